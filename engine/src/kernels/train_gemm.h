#pragma once
// train_gemm.h: the general float matrix product of training (train_ops.cpp), a small GEMM in
// the BLIS manner: A and B are packed into panels (6 rows of A, 16 columns of B, k-major), and a
// register-blocked 6 x 16 micro-kernel (12 ymm accumulators) runs over each panel pair. Either
// operand may be read transposed, so the backward products need no transposed copies:
//   forward  Y = X Wᵀ     gemm(false, true,  N, rows, cols, X, cols, W, cols, Y, rows)
//   dX       dX = dY W    gemm(false, false, N, cols, rows, dY, rows, W, cols, dX, cols)
//   dW       dW = dYᵀ X   gemm(true,  false, rows, cols, N, dY, rows, X, cols, dW, cols)
//
//   C[m, n] = (accumulate ? C[m, n] : 0) + Σ_k A(m, k) B(k, n)
//   A(m, k) = transA ? a[k lda + m] : a[m lda + k]      (M x K)
//   B(k, n) = transB ? b[n ldb + k] : b[k ldb + n]      (K x N)
//
// The sum over k runs in blocks of kGemmKc, in order, each block a fixed-order FMA chain per
// element, so a result does not depend on how the M x N tiles are split over threads: training
// gives the same bits at any thread count. The scalar reference sums in plain k order.
namespace anatomy::kernels {

// The depth of one packed block (the k extent of a panel, chosen so a 6 x 256 A panel and a
// 256 x 16 B panel stay in L1).
inline constexpr int kGemmKc = 256;

// One single-threaded product (the table's entry; the AVX2 one needs AVX2 + FMA).
using TrainGemmFn = void (*)(bool transA, bool transB, int M, int N, int K, const float* A, long lda,
                             const float* B, long ldb, float* C, long ldc, bool accumulate);

// Plain triple loop, k ascending (the reference twin).
void trainGemmScalar(bool transA, bool transB, int M, int N, int K, const float* A, long lda, const float* B,
                     long ldb, float* C, long ldc, bool accumulate);
// The AVX2 + FMA kernel, or null when the CPU lacks them.
TrainGemmFn trainGemmAvx2();
// The best single-threaded kernel for this CPU (ANATOMY_KERNELS=scalar selects the reference).
TrainGemmFn trainGemmKernel();

// The product split into M x N tiles over oneTBB's workers (each tile a single-threaded call);
// small products run on the calling thread. Same bits at any thread count.
void trainGemm(bool transA, bool transB, int M, int N, int K, const float* A, long lda, const float* B, long ldb,
               float* C, long ldc, bool accumulate);

}  // namespace anatomy::kernels
