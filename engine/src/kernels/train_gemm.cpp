// The training GEMM's reference twin, its dispatch and its threaded split (train_gemm.h).
// Built for baseline x86-64: the CPU check runs before any AVX instruction can.
#include "kernels/train_gemm.h"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "kernels/matmul.h"

namespace anatomy::kernels {
namespace detail {
void trainGemmAvx2Kernel(bool transA, bool transB, int M, int N, int K, const float* A, long lda, const float* B,
                         long ldb, float* C, long ldc, bool accumulate);  // train_gemm_avx2.cpp
}  // namespace detail

void trainGemmScalar(bool transA, bool transB, int M, int N, int K, const float* A, long lda, const float* B,
                     long ldb, float* C, long ldc, bool accumulate) {
    for (int m = 0; m < M; ++m)
        for (int n = 0; n < N; ++n) {
            float sum = 0.0f;
            for (int k = 0; k < K; ++k) {
                const float a = transA ? A[long(k) * lda + m] : A[long(m) * lda + k];
                const float b = transB ? B[long(n) * ldb + k] : B[long(k) * ldb + n];
                sum += a * b;
            }
            float& c = C[long(m) * ldc + n];
            c = accumulate ? c + sum : sum;
        }
}

TrainGemmFn trainGemmAvx2() {
    static const bool ok = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return ok ? &detail::trainGemmAvx2Kernel : nullptr;
}

TrainGemmFn trainGemmKernel() {
    static const TrainGemmFn chosen = [] {
        const char* env = std::getenv("ANATOMY_KERNELS");
        if (env && std::strcmp(env, "scalar") == 0) return &trainGemmScalar;
        const TrainGemmFn avx2 = trainGemmAvx2();
        return avx2 ? avx2 : &trainGemmScalar;
    }();
    return chosen;
}

void trainGemm(bool transA, bool transB, int M, int N, int K, const float* A, long lda, const float* B, long ldb,
               float* C, long ldc, bool accumulate) {
    const TrainGemmFn k = trainGemmKernel();
    // Tiles: rows in multiples of the micro-kernel's 6, columns in multiples of its 16. Start at
    // 96 x 256 and halve (rows first: a tile packs all of its B columns for every k block, so
    // narrow tiles pack B again and again) until there are two tasks per worker; the k order
    // inside each tile is the same whatever the split.
    int mt = 96, nt = 256;
    const auto tasks = [&] { return long((M + mt - 1) / mt) * ((N + nt - 1) / nt); };
    const int workers = ops::threads();
    if (workers <= 1 || double(M) * N * K < ops::kMinParallelWork) {
        k(transA, transB, M, N, K, A, lda, B, ldb, C, ldc, accumulate);
        return;
    }
    while (tasks() < 2L * workers && (mt > 24 || nt > 32)) {
        if (mt > 24 && (mt >= nt / 2 || nt <= 32)) mt /= 2;
        else nt /= 2;
    }
    const int mTiles = (M + mt - 1) / mt, nTiles = (N + nt - 1) / nt;
    tbb::parallel_for(0, mTiles * nTiles, [&](int t) {
        const int m0 = (t / nTiles) * mt, n0 = (t % nTiles) * nt;
        const int mc = std::min(mt, M - m0), nc = std::min(nt, N - n0);
        const float* a = transA ? A + m0 : A + long(m0) * lda;
        const float* b = transB ? B + long(n0) * ldb : B + n0;
        k(transA, transB, mc, nc, K, a, lda, b, ldb, C + long(m0) * ldc + n0, ldc, accumulate);
    });
}

}  // namespace anatomy::kernels
