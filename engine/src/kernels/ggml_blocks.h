#pragma once
// ggml block layouts (ggml-common.h) and their exact dequantization, the definition every dot
// kernel is tested against. Values are what llama.cpp's gguf-py gguf.quants.dequantize gives, bit
// for bit: the same float32 operations in the same order (f16 scales converted exactly, then
// products and sums rounded one at a time; this file is built with -ffp-contract=off).
//
//   type   block bytes  layout                                      value of element i
//   F16      1    2     ggml_half                                   half -> float
//   BF16     1    2     upper 16 bits of a float                    bits << 16
//   Q4_0    32   18     d, qs[16]                                   d * (nib_i - 8)
//   Q4_1    32   20     d, m, qs[16]                                d * nib_i + m
//   Q5_0    32   22     d, qh[4], qs[16]                            d * ((nib_i | h_i << 4) - 16)
//   Q5_1    32   24     d, m, qh[4], qs[16]                         d * (nib_i | h_i << 4) + m
//   Q8_0    32   34     d, qs[32] int8                              d * q_i
//   Q2_K   256   84     scales[16], qs[64], d, dmin                 (d sc_s) q_i - (dmin m_s), s = i/16
//   Q3_K   256  110     hmask[32], qs[64], scales[12], d            (d (sc_s - 32)) (q_i - 4 [h_i = 0])
//   Q4_K   256  144     d, dmin, scales[12], qs[128]                (d sc_s) q_i - (dmin m_s), s = i/32
//   Q5_K   256  176     d, dmin, scales[12], qh[32], qs[128]        as Q4_K with a fifth bit
//   Q6_K   256  210     ql[128], qh[64], scales[16] int8, d         (d sc_s) (q_i - 32), s = i/16
// nib_i: element i < 16 is the low nibble of qs[i], element i >= 16 the high nibble of qs[i-16].
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "anatomy/ggml_type.h"
#include "kernels/q8_0.h"

namespace anatomy::ggml {

inline constexpr int kQK = 256;  // values per k-quant super-block

inline float half(const uint8_t* p) {
    uint16_t h;
    std::memcpy(&h, p, sizeof h);
    return q8_0::halfToFloat(h);
}

// The 6-bit scale and min of sub-block j (0..7) of a Q4_K / Q5_K block (ggml get_scale_min_k4).
inline void scaleMinK4(int j, const uint8_t* q, uint8_t& sc, uint8_t& m) {
    if (j < 4) {
        sc = q[j] & 63;
        m = q[j + 4] & 63;
    } else {
        sc = uint8_t((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
        m = uint8_t((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}

// The 6-bit scale of sub-block s (0..15) of a Q3_K block, minus 32.
inline int scaleQ3K(int s, const uint8_t* scales) {
    const int low = s < 8 ? scales[s] & 0xF : scales[s - 8] >> 4;
    const int high = (scales[8 + s % 4] >> (2 * (s / 4))) & 3;
    return (low | high << 4) - 32;
}

// out[0, nValues) = the values of consecutive blocks of type t; nValues a multiple of the
// block size. Throws std::invalid_argument for a type this engine does not support.
void dequantize(GgmlType t, float* out, const uint8_t* blocks, size_t nValues);

}  // namespace anatomy::ggml
