#pragma once
// Finding models without copying them into the project: an explicit path, then the
// ANATOMY_MODELS environment variable, then models/ in each shared folder (corpus.h's
// sharedDirs(): $ANATOMY_SHARED_DIR, the build's default, ../shared beside the project, ...).
// samples/models.tsv lists known models with their sha256; a file whose name is listed there
// is verified on load.
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace anatomy {

class Model;
class Tokenizer;

struct KnownModel {
    std::string name;       // "stories260K"
    std::string file;       // "stories260K.bin" (relative to a models folder)
    std::string tokenizer;  // "stories260K/tok512.bin" or "" when embedded
    std::string url;        // public source
    int64_t size = 0;
    std::string sha256;
    std::string license;
    std::string format;     // "llama2c", "llama2c-q8", "gguf", "tokenizer"
    int trainedContext = 0; // when the file's metadata is wrong about it; 0 = trust the file
    std::string architecture;  // "llama", "qwen2", "gpt2", "bert"... (GGUF general.architecture)
    std::string note;          // quantization, parameters, what it is good for
};

std::string sha256File(const std::string& path);  // lowercase hex
std::string sha256Bytes(const void* data, size_t n);

// The manifest shipped in samples/models.tsv. An unknown size or sha256 is "-" there (0 and ""
// here): such a file's sha256 is recorded on its first download and verified after that.
const std::vector<KnownModel>& knownModels();
// Parses manifest text (the format samples/models.tsv documents). Throws Error naming the line.
std::vector<KnownModel> parseManifest(const std::string& text);

// The user's data folder: $XDG_DATA_HOME/transformer-anatomy, else
// ~/.local/share/transformer-anatomy (downloads, recorded checksums, trained models).
std::string userDataDir();
// sha256 recorded for a manifest file on its first download (userDataDir()/recorded_sha256.tsv),
// or "".
std::string recordedSha256(const std::string& manifestFile);
// Records it (replacing an earlier record for the same file). Written atomically.
void recordSha256(const std::string& manifestFile, const std::string& sha256);
// The sha256 a manifest file must have: the manifest's, else the recorded one, else "".
std::string expectedSha256(const KnownModel& m);
const KnownModel* findKnownModel(const std::string& fileName);
// The manifest row whose file has this path's file name (what sha256 verification and the
// trained-context correction use), or nullptr.
const KnownModel* knownModelForFile(const std::string& path);

// Folders searched for models, in order.
std::vector<std::string> modelSearchDirs();
// Resolves a model given by path or by a manifest name/file; empty when not found.
std::string resolveModelPath(const std::string& nameOrPath);
// The default model (stories260K.bin) path, or empty when it cannot be found.
std::string defaultModelPath();
// A tokenizer file for a model path: tok512.bin beside it, or the manifest's choice.
std::string defaultTokenizerPath(const std::string& modelPath);
// Throws Error when the file is listed in the manifest and its sha256 differs from the manifest's
// (or, where the manifest has none, from the one recorded on first download).
void verifyKnownModel(const std::string& path);

// What openModel found out on the way: the resolved file, its manifest row, the context the
// file's own metadata states (before the manifest's correction).
struct ModelFileFacts {
    std::string path;
    const KnownModel* manifest = nullptr;
    int fileContext = 0;
};

// Resolves, verifies (manifest sha256) and loads a model; applies the manifest's trained context.
// Throws Error with a message a person can act on. An empty name is an error (the faces choose
// their default: openModelWithTokenizer in open_model.h takes the default model).
std::unique_ptr<Model> openModel(const std::string& nameOrPath, ModelFileFacts* facts = nullptr);
// The tokenizer for a model: an explicit llama2.c tokenizer file, else the model's embedded
// vocabulary, else tokenizer.bin / tok512.bin beside the model. Throws Error when none is found.
// chosen (if given) receives the tokenizer file's path, or "embedded".
// Whether a (regular) file starts with the GGUF magic. Throws Error for a non-regular file.
bool isGgufFile(const std::string& path);
// A tokenizer on its own: a GGUF file's vocabulary (a model or a vocabulary-only file), a
// SentencePiece unigram .model file, or a llama2.c tokenizer file.
Tokenizer openTokenizerFile(const std::string& path);
Tokenizer openTokenizer(const Model& model, const std::string& explicitPath = {},
                        std::string* chosen = nullptr);

}  // namespace anatomy
