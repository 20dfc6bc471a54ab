#pragma once
// GGUF Q8_0 (model.h: blocks of 32 values {f16 d; int8 q[32]}, value = d * q): the pieces the
// loader, the kernels and the tests share.
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "anatomy/model.h"

namespace anatomy::q8_0 {

// IEEE half to float, exact (subnormals, inf and nan included).
inline float halfToFloat(uint16_t h) {
    const uint32_t sign = uint32_t(h & 0x8000u) << 16;
    const uint32_t exp = (h >> 10) & 0x1fu;
    const uint32_t mant = h & 0x3ffu;
    if (exp == 0) {
        // Zero or subnormal: mant * 2^-24.
        const float f = std::ldexp(float(mant), -24);
        return sign ? -f : f;
    }
    if (exp == 31) return std::bit_cast<float>(sign | 0x7f800000u | (mant << 13));  // inf / nan
    return std::bit_cast<float>(sign | ((exp + 127 - 15) << 23) | (mant << 13));
}

// The scale d of one block.
inline float blockScale(const uint8_t* block) {
    uint16_t h;
    std::memcpy(&h, block, sizeof h);
    return halfToFloat(h);
}

// out[i] = d_b * q_b[i mod 32] for nBlocks consecutive blocks; out: [nBlocks * 32].
void dequantize(float* out, const uint8_t* blocks, size_t nBlocks);

// Activations to Q8_0 blocks (llama.cpp quantize_row_q8_0, scale kept in float):
//   d_b = max_k |x_b,k| / 127,  q_b,k = round(x_b,k / d_b)  (0 when d_b = 0)
// x: [n], xq: [n], xd: [n / 32]; n a multiple of 32.
void quantizeActivations(int8_t* xq, float* xd, const float* x, int n);

}  // namespace anatomy::q8_0
