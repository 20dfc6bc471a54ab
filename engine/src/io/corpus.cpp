#include "anatomy/corpus.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cstdlib>
#include <filesystem>

#include "anatomy/error.h"
#include "anatomy/printable.h"
#include "io/mapped_file.h"

namespace anatomy {

namespace fs = std::filesystem;

namespace {

bool isDir(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
}

// The running executable's folder (Linux: /proc/self/exe); empty when unknown.
fs::path executableDir() {
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : exe.parent_path();
}

}  // namespace

std::vector<std::string> sharedDirs() {
    std::vector<fs::path> dirs;
    if (const char* e = std::getenv("ANATOMY_SHARED_DIR"); e && *e) dirs.emplace_back(e);
    dirs.emplace_back(ANATOMY_DEFAULT_SHARED_DIR);
    std::error_code ec;
    const fs::path cwd = fs::current_path(ec);
    if (!ec) dirs.push_back(cwd.parent_path() / "shared");
    // The app started from a build folder or an installed tree finds shared/ upwards.
    for (fs::path start : {ec ? fs::path() : cwd, executableDir()}) {
        for (int up = 0; up < 6 && !start.empty(); ++up) {
            for (const fs::path& d : {start / "shared", start.parent_path() / "shared"})
                if (isDir(d)) dirs.push_back(d);
            if (start == start.parent_path()) break;
            start = start.parent_path();
        }
    }
    std::vector<std::string> out;
    std::vector<fs::path> seen;  // canonical forms, so ../shared and /abs/shared count once
    for (const fs::path& d : dirs) {
        std::error_code ce;
        const fs::path key = fs::weakly_canonical(d, ce);
        const fs::path k = ce ? d.lexically_normal() : key;
        if (std::find(seen.begin(), seen.end(), k) != seen.end()) continue;
        seen.push_back(k);
        out.push_back(d.string());
    }
    return out;
}

std::string findSharedFile(const std::string& relative) {
    for (const std::string& d : sharedDirs()) {
        const fs::path p = fs::path(d) / relative;
        std::error_code ec;
        if (fs::is_regular_file(p, ec)) {
            const fs::path c = fs::canonical(p, ec);
            return ec ? p.string() : c.string();
        }
    }
    return {};
}

std::string defaultCorpusPath() { return findSharedFile(kTinyStoriesCorpus); }

std::string corpusNotFoundMessage() {
    return std::string("the TinyStories corpus (") + kTinyStoriesCorpus +
           ") was not found in any shared folder (set ANATOMY_SHARED_DIR)";
}

std::string readTextFile(const std::string& path) {
    // A regular file only (a FIFO would block in open(), /dev/zero never ends), and a bounded one.
    requireRegularFile(path);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) throw Error(printable(path) + ": cannot open the text file: " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {  // replaced between the check and open()
        ::close(fd);
        throw Error(printable(path) + ": is not a regular file");
    }
    if (st.st_size > off_t(kMaxTextFileBytes)) {
        ::close(fd);
        throw Error(printable(path) + ": the text file has " + std::to_string(st.st_size) + " bytes; at most " +
                    std::to_string(kMaxTextFileBytes) + " are read");
    }
    std::string text(size_t(st.st_size), '\0');
    size_t done = 0;
    while (done < text.size()) {  // a file that shrinks while read ends early; one that grows is cut
        const ssize_t n = ::read(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int e = errno;
            ::close(fd);
            throw Error(printable(path) + ": cannot read the text file: " + std::strerror(e));
        }
        if (n == 0) break;
        done += size_t(n);
    }
    ::close(fd);
    text.resize(done);
    return text;
}

}  // namespace anatomy
