#pragma once
// Read-only memory map of a whole file.
#include <cstddef>
#include <cstdint>
#include <string>

namespace anatomy {

// Throws Error unless path names a regular file (after symlinks): "is a directory", "is a FIFO
// (named pipe)", ... Checked before opening, since opening a FIFO blocks.
void requireRegularFile(const std::string& path);

class MappedFile {
public:
    // Throws Error with the OS reason; regular files only. Large files are copied into huge
    // pages unless `huge` is Huge::Never (a look at the header: no copy of the whole file).
    enum class Huge { WhenLarge, Never };
    explicit MappedFile(const std::string& path, Huge huge = Huge::WhenLarge);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const uint8_t* data() const { return m_data; }
    size_t size() const { return m_size; }
    const std::string& path() const { return m_path; }

    // Files at least this large are copied into (transparent) huge pages instead of mapped.
    static constexpr size_t kHugeCopyBytes = size_t(64) << 20;

private:
    bool loadIntoHugePages(int fd);
    std::string m_path;
    const uint8_t* m_data = nullptr;
    size_t m_size = 0;
};

}  // namespace anatomy
