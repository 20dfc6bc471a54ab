#include "kernels/q8_k.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace anatomy::q8_k {

void quantize(int8_t* xq, float* xd, int16_t* xsums, const float* x, int n) {
    assert(n % kBlock == 0);
    for (int b = 0; b < n / kBlock; ++b, x += kBlock, xq += kBlock, xsums += kSums) {
        float amax = 0.0f, xmax = 0.0f;
        for (int i = 0; i < kBlock; ++i)
            if (std::fabs(x[i]) > amax) amax = std::fabs(x[i]), xmax = x[i];
        if (amax == 0.0f) {
            xd[b] = 0.0f;
            std::fill(xq, xq + kBlock, int8_t(0));
            std::fill(xsums, xsums + kSums, int16_t(0));
            continue;
        }
        const float iscale = -127.0f / xmax;
        // nearbyint rounds ties to even in the default rounding mode, as ggml's nearest_int does.
        for (int i = 0; i < kBlock; ++i)
            xq[i] = int8_t(std::min(127.0f, std::nearbyint(iscale * x[i])));
        for (int j = 0; j < kSums; ++j) {
            int sum = 0;
            for (int i = 0; i < 16; ++i) sum += xq[16 * j + i];
            xsums[j] = int16_t(sum);
        }
        xd[b] = 1.0f / iscale;
    }
}

}  // namespace anatomy::q8_k
