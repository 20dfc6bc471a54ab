#include "anatomy/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "anatomy/error.h"

namespace anatomy {

MappedFile::MappedFile(const std::string& path) : m_path(path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw Error(path + ": cannot open: " + std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        int e = errno;
        ::close(fd);
        throw Error(path + ": cannot stat: " + std::strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        throw Error(path + ": not a regular file");
    }
    m_size = static_cast<size_t>(st.st_size);
    const char* noHuge = std::getenv("ANATOMY_NO_HUGEPAGES");  // for A/B benchmarks
    if (m_size >= kHugeCopyBytes && !(noHuge && *noHuge == '1') && loadIntoHugePages(fd)) {
        ::close(fd);
        return;
    }
    if (m_size > 0) {
        void* p = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            int e = errno;
            ::close(fd);
            throw Error(path + ": cannot map: " + std::strerror(e));
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
