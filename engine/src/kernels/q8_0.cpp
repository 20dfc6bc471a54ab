#include "kernels/q8_0.h"

#include <algorithm>
#include <cassert>

namespace anatomy::q8_0 {

void dequantize(float* out, const uint8_t* blocks, size_t nBlocks) {
    for (size_t b = 0; b < nBlocks; ++b) {
        const uint8_t* blk = blocks + b * kQ8_0BlockBytes;
        const float d = blockScale(blk);
        for (int j = 0; j < kQ8_0Block; ++j)
            out[b * kQ8_0Block + size_t(j)] = d * float(static_cast<int8_t>(blk[2 + j]));
    }
}

void quantizeActivations(int8_t* xq, float* xd, const float* x, int n) {
    assert(n % kQ8_0Block == 0);
    for (int b = 0; b < n / kQ8_0Block; ++b) {
        const float* xb = x + b * kQ8_0Block;
        float amax = 0.0f;
        for (int k = 0; k < kQ8_0Block; ++k) amax = std::max(amax, std::fabs(xb[k]));
        const float d = amax / 127.0f;
        const float id = d != 0.0f ? 1.0f / d : 0.0f;
        xd[b] = d;
        for (int k = 0; k < kQ8_0Block; ++k)
            xq[b * kQ8_0Block + k] = static_cast<int8_t>(std::round(xb[k] * id));
    }
}

}  // namespace anatomy::q8_0
