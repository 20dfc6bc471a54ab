// The training GEMM (kernels/train_gemm.h): the AVX2 micro-kernel against its scalar twin for
// every transpose combination, edge tiles (M, N not multiples of 6, 16), more than one k block
// (K > kGemmKc) and accumulation; and the threaded split gives the same bits at 1 and 2 threads.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "kernels/matmul.h"
#include "kernels/train_gemm.h"

using namespace anatomy;

namespace {

std::vector<float> randomMatrix(size_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> v(n);
    for (float& x : v) x = u(rng);
    return v;
}

struct Case {
    int M, N, K;
};

}  // namespace

TEST_CASE("the training GEMM's AVX2 kernel matches its scalar reference", "[train][kernels]") {
    const kernels::TrainGemmFn avx2 = kernels::trainGemmAvx2();
    if (!avx2) {
        WARN("no AVX2 + FMA on this CPU: only the scalar reference runs");
        return;
    }
    for (const Case c : {Case{6, 16, 8}, Case{13, 37, 300}, Case{1, 5, 3}, Case{70, 48, 129}, Case{97, 130, 520}}) {
        for (int trans = 0; trans < 4; ++trans)
            for (bool accumulate : {false, true}) {
                const bool tA = trans & 1, tB = trans & 2;
                // A stored [M, K] or [K, M], B [K, N] or [N, K], each with 3 spare columns (lda > width)
                const long lda = (tA ? c.M : c.K) + 3, ldb = (tB ? c.K : c.N) + 3, ldc = c.N + 5;
                const std::vector<float> A = randomMatrix(size_t(tA ? c.K : c.M) * lda, 1);
                const std::vector<float> B = randomMatrix(size_t(tB ? c.N : c.K) * ldb, 2);
                std::vector<float> ref = randomMatrix(size_t(c.M) * ldc, 3), got = ref;
                kernels::trainGemmScalar(tA, tB, c.M, c.N, c.K, A.data(), lda, B.data(), ldb, ref.data(), ldc,
                                         accumulate);
                avx2(tA, tB, c.M, c.N, c.K, A.data(), lda, B.data(), ldb, got.data(), ldc, accumulate);
                double worst = 0;
                for (size_t i = 0; i < ref.size(); ++i) {
                    // Σ of K products of values in [-1, 1]: bound the error by K ulp-scale steps.
                    worst = std::max(worst, double(std::fabs(ref[i] - got[i])) / std::sqrt(double(c.K)));
                }
                std::printf("train gemm %dx%dx%d transA %d transB %d accumulate %d: largest |avx2 - scalar| / "
                            "sqrt(K) %.3g (tolerance 1e-5)\n",
                            c.M, c.N, c.K, int(tA), int(tB), int(accumulate), worst);
                CHECK(worst < 1e-5);
                // The spare columns of C are untouched.
                for (int m = 0; m < c.M; ++m)
                    for (long n = c.N; n < ldc; ++n) CHECK(got[size_t(m * ldc + n)] == ref[size_t(m * ldc + n)]);
            }
    }
}

TEST_CASE("the threaded training GEMM gives the same bits at 1 and 2 threads", "[train][kernels]") {
    const int M = 200, N = 150, K = 600;
    const std::vector<float> A = randomMatrix(size_t(K) * M, 4), B = randomMatrix(size_t(K) * N, 5);
    std::vector<float> one, two;
    for (int threads : {1, 2}) {
        ops::setThreads(threads);
        std::vector<float> C(size_t(M) * N, 0.5f);
        kernels::trainGemm(true, false, M, N, K, A.data(), M, B.data(), N, C.data(), N, true);
        (threads == 1 ? one : two) = C;
    }
    ops::setThreads(0);
    CHECK(one == two);
    std::vector<float> direct(size_t(M) * N, 0.5f);
    kernels::trainGemmKernel()(true, false, M, N, K, A.data(), M, B.data(), N, direct.data(), N, true);
    CHECK(one == direct);
}
