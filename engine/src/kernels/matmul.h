#pragma once
// matmul.h: the threaded matrix products of the engine (ops.cpp).
// Threaded wrappers over the kernel table: oneTBB splits the rows of W (and, for a prompt over
// a narrow matrix, the tokens) into blocks that workers take; each block runs the
// single-threaded kernel. Small products run on the calling thread, so a tiny model pays no
// threading overhead. Every output element is summed in the same order however the work is
// split, so results do not depend on the thread count.
#include <span>

#include "anatomy/kernels.h"
#include "anatomy/model.h"

namespace anatomy::ops {

// Y[t, r] = sum_c X[t, c] * W[r, c]
// X: [nTok, W.cols], Y: [nTok, W.rows], both dense (row stride = width).
// Float W: one token goes through matvec (decode), several through gemm (prefill).
// Int8 W: llama2.c runq.c exactly: each row of X is quantised to int8 per group of
// W.groupSize (scale = max|x| / 127), group dot products are exact integers, and
// y = sum over groups, in order, of (float) ival * wScale * xScale.
// Q8_0 W (GGUF): each row of X is quantised to Q8_0 blocks (q8_0.h), and
// y = sum over blocks of dW dx (exact integer block dot), as llama.cpp computes it.
// Q4_K and Q6_K W (GGUF), fewer than 4 tokens (decode): each row of X is quantised to Q8_K
// super-blocks of 256 (q8_k.h) and y = sum over super-blocks of scales times exact integer
// sub-block dots, as llama.cpp computes it; 4 tokens or more (prefill) take the float path below.
// Other ggml W (F16, BF16, Q4_0 ... Q6_K, and Q8_0, Q4_K, Q6_K when quantizedActivations() is
// off): float activations, y = sum_c value(W[r, c]) x[c] with the values dequantization gives (no
// rounding of x), so the result is the float product of the dequantized weights up to summation
// order.
// Throws std::invalid_argument when W.cols is not a multiple of W.groupSize (or of the block).
void matmul(float* Y, const float* X, const Matrix& W, int nTok);
// The same with a given kernel table (benchmarks and tests compare instruction sets).
void matmul(const kernels::KernelTable& k, float* Y, const float* X, const Matrix& W, int nTok);

// Several products of one input: outs[i].y = X W_i^T, as matmul computes each, element for
// element. One token through float matrices of the same width (decode's q, k and v, the FFN's
// W1 and W3) shares one pass of the workers over all their rows: one fork and join instead
// of one each, and projections too small to split alone (a 288-wide model's q, k, v) are split
// together. Anything else is matmul after matmul.
struct SameInputProduct {
    float* y = nullptr;
    const Matrix* w = nullptr;
};
void matmulSameInput(std::span<const SameInputProduct> outs, const float* X, int nTok);

// At decode (fewer than 4 tokens) Q8_0 weights meet Q8_0-quantized activations, and Q4_K and Q6_K
// weights Q8_K-quantized ones (llama.cpp's fast paths, the default; prefill dequantizes into the
// float gemm either way), or all three float activations like every other
// type (off: what comparisons with llama.cpp's F32 results within 1e-3 need). Process-wide;
// ANATOMY_ACTIVATIONS=float (or the older ANATOMY_Q8_0_ACTIVATIONS=float) in the environment
// starts it off.
void setQuantizedActivations(bool on);
bool quantizedActivations();

// out[0, (r1 - r0) * W.cols) = rows [r0, r1) of W as floats, whatever W's type.
void dequantizeRows(float* out, const Matrix& W, int r0, int r1);

// Products with fewer multiply-adds than this run on the calling thread. 5e4 splits a
// 288-wide model's 288 x 288 output projection (1e5 kept it on one thread at decode).
inline constexpr double kMinParallelWork = 5e4;

// Worker threads for all oneTBB loops in the process (0 = all cores). threads() reports the
// effective count.
void setThreads(int n);
int threads();

}  // namespace anatomy::ops
