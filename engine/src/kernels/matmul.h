#pragma once
// matmul.h: the threaded matrix products of the engine (ops.cpp).
// Threaded wrappers over the kernel table: oneTBB splits the rows of W (and, for a prompt over
// a narrow matrix, the tokens) into blocks that workers take; each block runs the
// single-threaded kernel. Small products run on the calling thread, so a tiny model pays no
// threading overhead. Every output element is summed in the same order however the work is
// split, so results do not depend on the thread count.
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
// Throws std::invalid_argument when W.cols is not a multiple of W.groupSize (or of 32).
void matmul(float* Y, const float* X, const Matrix& W, int nTok);
// The same with a given kernel table (benchmarks and tests compare instruction sets).
void matmul(const kernels::KernelTable& k, float* Y, const float* X, const Matrix& W, int nTok);

// Products with fewer multiply-adds than this run on the calling thread.
inline constexpr double kMinParallelWork = 1e5;

// Worker threads for all oneTBB loops in the process (0 = all cores). threads() reports the
// effective count.
void setThreads(int n);
int threads();

}  // namespace anatomy::ops
