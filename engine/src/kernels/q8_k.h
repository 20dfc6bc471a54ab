#pragma once
// Q8_K: activations quantized per super-block of 256 values (ggml's block_q8_K), the partner of
// Q4_K and Q6_K weights in llama.cpp's decode dot products (ggml_vec_dot_q4_K_q8_K, _q6_K_q8_K).
// One super-block of x (ggml's quantize_row_q8_K_ref):
//   amax = max_i |x_i|,  xmax = the first x_i with |x_i| = amax (its sign matters)
//   iscale = -127 / xmax,  q_i = min(127, nearest(iscale x_i)) (ties to even),  d = 1 / iscale
//   bsums[j] = sum_{i in [16 j, 16 j + 16)} q_i
// and q = 0, d = 0 when amax = 0. d is negative when xmax is positive; d q_i ~ x_i either way,
// and q_i stays in [-127, 127].
//
// A weight super-block then meets it in exact integer arithmetic, and only the scales are float:
//   Q4_K  sum_i w_i x_i = (dx dW) sum_s sc_s sum_{i in s} q_i qx_i - (dx dminW) sum_s m_s bsum_s
//         (8 sub-blocks of 32: bsum_s = bsums[2 s] + bsums[2 s + 1])
//   Q6_K  sum_i w_i x_i = (dx dW) sum_s sc_s (sum_{i in s} q_i qx_i - 32 bsums[s])
//         (16 sub-blocks of 16, q_i the unsigned 6-bit code; its value is q_i - 32)
// Each kernel variant computes the integer sums its own way and adds the float terms below, in
// block order, so every variant gives the scalar twin's bits.
#include <cassert>
#include <cstddef>
#include <cstdint>

#include "anatomy/ggml_type.h"
#include "kernels/rounded.h"

namespace anatomy::q8_k {

inline constexpr int kBlock = 256;   // values per super-block
inline constexpr int kSums = 16;     // bsums per super-block, one per 16 values
inline constexpr int kQ4_KBytes = 144;
inline constexpr int kQ6_KBytes = 210;

// One Q4_K super-block's term: (dx dW) isum - (dx dminW) imin, each product rounded.
inline float termQ4_K(float dx, float dW, float dminW, int32_t isum, int32_t imin) {
    const float a = rounded(rounded(dx * dW) * float(isum));
    const float b = rounded(rounded(dx * dminW) * float(imin));
    return a - b;
}

// One Q6_K super-block's term: (dx dW) isum, each product rounded.
inline float termQ6_K(float dx, float dW, int32_t isum) {
    return rounded(rounded(dx * dW) * float(isum));
}

// x[0, n) to Q8_K, the plain scalar rule above; xq: [n], xd: [n / 256], xsums: [n / 16];
// n a multiple of 256. The scalar table's quantizeQ8_K.
void quantize(int8_t* xq, float* xd, int16_t* xsums, const float* x, int n);

// y[r] for rows [0, rows) of a Q4_K or Q6_K matrix against one token's Q8_K activations, with
// a kernel table's row functions: one row at a time, a single sequential stream of blocks, as
// the float matvec.
template <auto RowQ4_K, auto RowQ6_K>
void matvecRows(GgmlType type, float* y, const uint8_t* W, const int8_t* xq, const float* xd,
                const int16_t* xsums, int rows, int nBlocks) {
    assert(rows >= 0 && nBlocks >= 0 && (type == GgmlType::Q4_K || type == GgmlType::Q6_K));
    const bool q4 = type == GgmlType::Q4_K;
    const size_t rowBytes = size_t(nBlocks) * size_t(q4 ? kQ4_KBytes : kQ6_KBytes);
    for (int r = 0; r < rows; ++r) {
        const uint8_t* w = W + size_t(r) * rowBytes;
        y[r] = q4 ? RowQ4_K(w, xq, xd, xsums, nBlocks) : RowQ6_K(w, xq, xd, xsums, nBlocks);
    }
}

}  // namespace anatomy::q8_k
