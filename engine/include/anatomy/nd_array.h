#pragma once
// A dense, row-major n-dimensional array: the unit of data a Trace holds and a .npy file stores.
#include <cstdint>
#include <initializer_list>
#include <numeric>
#include <stdexcept>
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

template <class T>
struct NdArray {
    std::vector<int64_t> shape;
    std::vector<T> data;

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
