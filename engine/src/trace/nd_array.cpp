#include "anatomy/nd_array.h"

#include <malloc.h>
#include <sys/mman.h>

#include <cstdint>

namespace anatomy {

void adviseHugePages(void* p, size_t bytes) {
#ifdef MADV_HUGEPAGE
    constexpr size_t kHuge = size_t(2) << 20;
    if (!p || bytes < 2 * kHuge) return;
    // Only whole 2 MiB-aligned pieces inside the buffer can become huge pages.
    const uintptr_t begin = (reinterpret_cast<uintptr_t>(p) + kHuge - 1) & ~(kHuge - 1);
    const uintptr_t end = (reinterpret_cast<uintptr_t>(p) + bytes) & ~(kHuge - 1);
    if (end > begin) ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}

void keepLargeBuffersForReuse() {
#if defined(__GLIBC__)
    mallopt(M_MMAP_THRESHOLD, 32 << 20);     // blocks up to the 32 MiB maximum from the heap
    mallopt(M_TRIM_THRESHOLD, 0x7fffffff);   // and do not hand freed heap back to the kernel
    mallopt(M_TOP_PAD, 64 << 20);
#endif
}

}  // namespace anatomy
