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

// Float to IEEE half, rounding to nearest even (what ggml_fp32_to_fp16 and a C cast to
// _Float16 do), overflow to inf, nan kept a quiet nan. Integer-only, so it needs no _Float16
// support from the compiler (clang 14 has none on x86).
inline uint16_t floatToHalf(float f) {
    const uint32_t x = std::bit_cast<uint32_t>(f);
    const uint16_t sign = uint16_t((x >> 16) & 0x8000u);
    const uint32_t ax = x & 0x7fffffffu;
    if (ax > 0x7f800000u) return sign | 0x7e00u;    // nan
    if (ax >= 0x477ff000u) return sign | 0x7c00u;   // >= 65520 rounds to inf (and inf itself)
    auto roundShift = [](uint32_t v, int shift) {   // v >> shift, ties to even
        uint32_t q = v >> shift;
        const uint32_t rem = v & ((1u << shift) - 1u), halfway = 1u << (shift - 1);
        if (rem > halfway || (rem == halfway && (q & 1u))) ++q;
        return q;
    };
    if (ax >= 0x38800000u)  // a normal half (>= 2^-14): rebias the exponent, drop 13 bits
        return uint16_t(sign | roundShift(ax - (uint32_t(127 - 15) << 23), 13));  // carry ok
    if (ax < 0x33000000u) return sign;  // below 2^-25 (2^-25 itself ties to 0)
    // A subnormal half counts units of 2^-24: value / 2^-24 = m * 2^(e - 126).
    const int e = int(ax >> 23);
    const uint32_t m = (ax & 0x7fffffu) | 0x800000u;
    return uint16_t(sign | roundShift(m, 126 - e));
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
