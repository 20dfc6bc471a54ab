#include "io/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "anatomy/error.h"
#include "anatomy/printable.h"

namespace anatomy {

namespace {

// What a path is when it is not a regular file, for the message.
const char* fileKind(mode_t m) {
    if (S_ISDIR(m)) return "a directory";
    if (S_ISFIFO(m)) return "a FIFO (named pipe)";
    if (S_ISCHR(m)) return "a character device";
    if (S_ISBLK(m)) return "a block device";
    if (S_ISSOCK(m)) return "a socket";
    return "not a regular file";
}

}  // namespace

void requireRegularFile(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw Error(printable(path) + ": cannot open: " + std::strerror(errno));
    if (!S_ISREG(st.st_mode))
        throw Error(printable(path) + ": is " + fileKind(st.st_mode) + ", expected a regular file");
}

MappedFile::MappedFile(const std::string& path, Huge huge) : m_path(path) {
    // Refused before open(): opening a FIFO for reading blocks until a writer appears, and a
    // device such as /dev/zero never ends.
    requireRegularFile(path);
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) throw Error(printable(path) + ": cannot open: " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        int e = errno;
        ::close(fd);
        throw Error(printable(path) + ": cannot stat: " + std::strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {  // replaced between stat and open
        ::close(fd);
        throw Error(printable(path) + ": is " + fileKind(st.st_mode) + ", expected a regular file");
    }
    m_size = static_cast<size_t>(st.st_size);
    const char* noHuge = std::getenv("ANATOMY_NO_HUGEPAGES");  // for A/B benchmarks
    if (huge == Huge::WhenLarge && m_size >= kHugeCopyBytes && !(noHuge && *noHuge == '1') && loadIntoHugePages(fd)) {
        ::close(fd);
        return;
    }
    if (m_size > 0) {
        void* p = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            int e = errno;
            ::close(fd);
            throw Error(printable(path) + ": cannot map: " + std::strerror(e));
        }
        m_data = static_cast<const uint8_t*>(p);
    }
    ::close(fd);
}

// Decode streams every weight once per token, so it runs at memory bandwidth; with 4 KiB pages
// of a file mapping the TLB misses cost a good share of it. Large files are therefore read into
// anonymous memory that the kernel may back with 2 MiB pages (MADV_HUGEPAGE). Small files keep
// the plain mapping.
bool MappedFile::loadIntoHugePages(int fd) {
    void* p = ::mmap(nullptr, m_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return false;
#ifdef MADV_HUGEPAGE
    ::madvise(p, m_size, MADV_HUGEPAGE);
#endif
    size_t done = 0;
    while (done < m_size) {
        const ssize_t n = ::pread(fd, static_cast<uint8_t*>(p) + done, m_size - done, off_t(done));
        if (n <= 0) {
            ::munmap(p, m_size);
            return false;
        }
        done += size_t(n);
    }
    ::mprotect(p, m_size, PROT_READ);
    m_data = static_cast<const uint8_t*>(p);
    return true;
}

MappedFile::~MappedFile() {
    if (m_data) ::munmap(const_cast<uint8_t*>(m_data), m_size);
}

}  // namespace anatomy
