#pragma once
// y = W x + b: the bias of a projection, added to each of T rows after the matrix product.
// A null b is a projection without bias (Llama), so the call costs nothing there.
#include <cstddef>

namespace anatomy {

// y [T, n] += b [n] per row.
inline void addBias(float* y, const float* b, int T, int n) {
    if (!b) return;
    for (int t = 0; t < T; ++t) {
        float* row = y + size_t(t) * n;
        for (int i = 0; i < n; ++i) row[i] += b[i];
    }
}

}  // namespace anatomy
