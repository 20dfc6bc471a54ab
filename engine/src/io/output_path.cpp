#include "anatomy/output_path.h"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>

#include "anatomy/error.h"
#include "anatomy/printable.h"

namespace anatomy {

namespace fs = std::filesystem;

namespace {

// Folders that belong to the system: writing a trace or a dump there is always a mistake (and
// as root it would succeed).
constexpr std::array<std::string_view, 12> kSystemFolders = {
    "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/sbin", "/sys", "/usr"};

[[noreturn]] void refuse(const std::string& what, const std::string& path, const std::string& why) {
    throw Error(what + " " + printable(path) + ": " + why);
}

// The absolute path with symlinks of its existing part resolved.
fs::path resolved(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
    return ec ? fs::absolute(path) : p;
}

void refuseSystemPath(const fs::path& abs, const std::string& what, const std::string& path) {
    const std::string s = abs.lexically_normal().string();
    if (s == "/" || s.empty()) refuse(what, path, "is the root folder; choose a folder of your own");
    for (std::string_view sys : kSystemFolders)
        if (s == sys || (s.size() > sys.size() && s.compare(0, sys.size(), sys) == 0 && s[sys.size()] == '/'))
            refuse(what, path, "lies in the system folder " + std::string(sys) + "; choose a folder of your own");
}

const char* kindOf(mode_t m) {
    if (S_ISDIR(m)) return "a directory";
    if (S_ISFIFO(m)) return "a FIFO (named pipe)";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISSOCK(m)) return "a socket";
    return "not a regular file";
}

void requireWritableDirectory(const fs::path& dir, const std::string& what, const std::string& path) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0)
        refuse(what, path, "folder " + printable(dir.string()) + " does not exist");
    if (!S_ISDIR(st.st_mode)) refuse(what, path, printable(dir.string()) + " is " + kindOf(st.st_mode) + ", not a folder");
    if (::access(dir.c_str(), W_OK) != 0)
        refuse(what, path, "folder " + printable(dir.string()) + " is not writable: " + std::strerror(errno));
}

}  // namespace

void requireWritableFile(const std::string& path, const std::string& what) {
    if (path.empty()) throw Error(what + ": expected a file name, got an empty path");
    const fs::path abs = resolved(path);
    refuseSystemPath(abs, what, path);
    struct stat st {};
    if (::stat(abs.c_str(), &st) == 0) {
        if (!S_ISREG(st.st_mode)) refuse(what, path, "is " + std::string(kindOf(st.st_mode)) + ", expected a file to write");
        if (::access(abs.c_str(), W_OK) != 0) refuse(what, path, std::string("is not writable: ") + std::strerror(errno));
    }
    requireWritableDirectory(abs.parent_path(), what, path);
}

void requireWritableFolder(const std::string& path, const std::string& what) {
    if (path.empty()) throw Error(what + ": expected a folder, got an empty path");
    const fs::path abs = resolved(path);
    refuseSystemPath(abs, what, path);
    // The folder itself when it exists, else the nearest ancestor that does (created below it).
    fs::path dir = abs;
    struct stat st {};
    while (::stat(dir.c_str(), &st) != 0 && dir.has_parent_path() && dir != dir.parent_path()) dir = dir.parent_path();
    if (dir == abs && !S_ISDIR(st.st_mode))
        refuse(what, path, "is " + std::string(kindOf(st.st_mode)) + ", expected a folder");
    requireWritableDirectory(dir, what, path);
}

}  // namespace anatomy
