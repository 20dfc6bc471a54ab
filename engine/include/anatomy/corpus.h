#pragma once
// Finding the shared data folder (models/, corpus/, reference/) and the corpus in it, once for
// both faces: the CLI's default --text and the app's perplexity window read the same file.
#include <cstddef>
#include <string>
#include <vector>

namespace anatomy {

// The TinyStories excerpt (CDLA-Sharing-1.0) that perplexity is measured on by default.
inline constexpr const char* kTinyStoriesCorpus = "corpus/tinystories/tinystories_train_head_197K.txt";

// Folders that may be the shared data folder, in this order: $ANATOMY_SHARED_DIR, the build's
// ANATOMY_DEFAULT_SHARED_DIR (CMake's ANATOMY_SHARED_DIR), ../shared beside the working
// directory, then shared/ or ../shared beside the working directory, the executable or one of
// their parents (up to six levels; only folders that exist). No folder is listed twice.
std::vector<std::string> sharedDirs();
// relative (e.g. "corpus/...") under the first shared folder that holds it; empty when none does.
std::string findSharedFile(const std::string& relative);
// The TinyStories corpus file, canonical; empty when no shared folder holds it.
std::string defaultCorpusPath();
// One line for a person when defaultCorpusPath() is empty.
std::string corpusNotFoundMessage();
// The largest text file readTextFile reads (the TinyStories excerpt is 197 KB).
inline constexpr size_t kMaxTextFileBytes = size_t(256) << 20;
// A regular file's bytes. Throws Error "<path>: cannot open: ...", "<path>: is a directory,
// expected a regular file" (FIFOs and devices likewise, before opening), or when it holds more
// than kMaxTextFileBytes.
std::string readTextFile(const std::string& path);

}  // namespace anatomy
