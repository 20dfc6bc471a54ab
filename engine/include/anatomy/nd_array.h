#pragma once
// A dense, row-major n-dimensional array: the unit of data a Trace holds and a .npy file stores.
#include <cstdint>
#include <initializer_list>
#include <numeric>
#include <memory>
#include <new>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace anatomy {

// Asks the kernel to back a large buffer with transparent huge pages before it is first
// touched: a full trace writes tens of megabytes, and 4 KiB page faults would cost more than
// the forward pass. A no-op for small buffers and where unsupported.
void adviseHugePages(void* p, size_t bytes);

// For programs that trace repeatedly (the app, benchmarks): keeps large freed buffers in the
// heap for reuse instead of returning them to the kernel, so the next trace's arrays need no
// fresh, zeroed pages. Process-wide (glibc mallopt); called by the executables, not the engine.
void keepLargeBuffersForReuse();

// An allocator whose value-less construct() leaves trivial types uninitialised, so a buffer
// that will be overwritten anyway is not zeroed first (see NdArray::uninitialized), and whose
// buffers start on a 64-byte cache line: a trace's attention rows of 16k floats then start on
// lines too, so streaming them past the cache writes whole lines only (a partial line is
// stored normally, read in from memory first).
template <class T>
struct DefaultInitAllocator : std::allocator<T> {
    static constexpr std::align_val_t kAlign{64};
    template <class U>
    struct rebind {
        using other = DefaultInitAllocator<U>;
    };
    using std::allocator<T>::allocator;
    T* allocate(size_t n) {
        if (n > size_t(-1) / sizeof(T)) throw std::bad_array_new_length();
        return static_cast<T*>(::operator new(n * sizeof(T), kAlign));
    }
    // The unsized aligned delete: clang 14 (the fuzz build) has no sized deallocation by default.
    void deallocate(T* p, size_t) noexcept { ::operator delete(p, kAlign); }
    template <class U>
    void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
        ::new (static_cast<void*>(p)) U;
    }
    template <class U, class... Args>
    void construct(U* p, Args&&... args) {
        ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
};

template <class T>
struct NdArray {
    std::vector<int64_t> shape;
    std::vector<T, DefaultInitAllocator<T>> data;

    // An array whose every element the caller writes before anyone reads it (the trace's
    // attention rows): no fill pass over tens of megabytes.
    static NdArray uninitialized(std::vector<int64_t> s) {
        NdArray a;
        a.shape = std::move(s);
        const size_t n = static_cast<size_t>(count(a.shape));
        a.data.reserve(n);
        adviseHugePages(a.data.data(), n * sizeof(T));
        a.data.resize(n);
        return a;
    }

    NdArray() = default;
    explicit NdArray(std::vector<int64_t> s, T fill = T{}) : shape(std::move(s)) {
        const size_t n = static_cast<size_t>(count(shape));
        data.reserve(n);
        adviseHugePages(data.data(), n * sizeof(T));
        data.assign(n, fill);
    }
    static int64_t count(const std::vector<int64_t>& s) {
        return std::accumulate(s.begin(), s.end(), int64_t{1}, std::multiplies<int64_t>());
    }
    bool empty() const { return data.empty(); }
    int64_t dim(size_t i) const { return i < shape.size() ? shape[i] : 0; }
    // Flat offset of a full index.
    int64_t offset(std::initializer_list<int64_t> idx) const {
        if (idx.size() != shape.size()) throw std::out_of_range("NdArray: index rank mismatch");
        int64_t off = 0;
        size_t d = 0;
        for (int64_t i : idx) {
            if (i < 0 || i >= shape[d]) throw std::out_of_range("NdArray: index out of range");
            off = off * shape[d] + i;
            ++d;
        }
        return off;
    }
    T at(std::initializer_list<int64_t> idx) const { return data[static_cast<size_t>(offset(idx))]; }
    T& at(std::initializer_list<int64_t> idx) { return data[static_cast<size_t>(offset(idx))]; }
};

using FloatArray = NdArray<float>;
using IntArray = NdArray<int32_t>;

}  // namespace anatomy
