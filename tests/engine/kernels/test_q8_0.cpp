// GGUF Q8_0 weights kept quantized: the SIMD q8_0 x q8_0 kernel against its scalar twin, and the
// threaded matmul against the float product of the dequantized weights, within the error that
// quantizing the activations allows. Each check prints the largest difference it saw.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include "anatomy/kernels.h"
#include "anatomy/model.h"
#include "kernels/matmul.h"
#include "kernels/q8_0.h"
#include "ggml_test_blocks.h"

using anatomy::Matrix;
using anatomy::kQ8_0Block;
using anatomy::kQ8_0BlockBytes;
using anatomy::kernels::KernelTable;

namespace {

constexpr double kU = 1.0 / (1 << 24);  // unit roundoff of float

// Random Q8_0 blocks [rows, nBlocks]: scales spread over two decades, q over the full int8 range
// (-128 included, which llama.cpp's quantiser never writes but a file may hold).
std::vector<uint8_t> randomBlocks(int rows, int nBlocks, std::mt19937& rng) {
    std::uniform_int_distribution<int> q(-128, 127);
    std::uniform_real_distribution<float> logScale(-3.0f, -1.0f);
    std::vector<uint8_t> w(size_t(rows) * nBlocks * kQ8_0BlockBytes);
    for (size_t b = 0; b < size_t(rows) * nBlocks; ++b) {
        uint8_t* blk = w.data() + b * kQ8_0BlockBytes;
        const uint16_t d = anatomy::q8_0::floatToHalf(std::pow(10.0f, logScale(rng)));
        std::memcpy(blk, &d, 2);
        for (int k = 0; k < kQ8_0Block; ++k) blk[2 + k] = uint8_t(int8_t(q(rng)));
    }
    return w;
}

std::vector<float> randomFloats(size_t n, std::mt19937& rng) {
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    std::vector<float> v(n);
    for (float& x : v) x = dist(rng);
    return v;
}

struct ThreadsGuard {
    ~ThreadsGuard() { anatomy::ops::setThreads(0); }
};

}  // namespace

TEST_CASE("Q8_0 matvec matches its scalar twin", "[kernels][q8_0]") {
    std::mt19937 rng(11);
    const KernelTable& ref = anatomy::kernels::scalarKernels();
    std::vector<const KernelTable*> simd;
    if (auto* t = anatomy::kernels::avx2Kernels()) simd.push_back(t);
    if (auto* t = anatomy::kernels::avx512Kernels()) simd.push_back(t);
    if (auto* t = anatomy::kernels::avx512VnniKernels()) simd.push_back(t);
    if (simd.empty()) SUCCEED("no SIMD table on this CPU: the scalar twin is the only kernel");
    for (const KernelTable* k : simd) {
        double worstRatio = 0, worstAbs = 0;
        for (int rows : {1, 3, 4, 5, 13}) {
            for (int nBlocks : {1, 2, 7, 24, 64}) {
                const std::vector<uint8_t> W = randomBlocks(rows, nBlocks, rng);
                std::vector<int8_t> xq(size_t(nBlocks) * kQ8_0Block);
                std::vector<float> xd(static_cast<size_t>(nBlocks));
                const std::vector<float> x = randomFloats(xq.size(), rng);
                anatomy::q8_0::quantizeActivations(xq.data(), xd.data(), x.data(), int(x.size()));
                std::vector<float> want(static_cast<size_t>(rows)), got(static_cast<size_t>(rows), -1.0f);
                ref.matvecQ8_0(want.data(), W.data(), xq.data(), xd.data(), rows, nBlocks);
                k->matvecQ8_0(got.data(), W.data(), xq.data(), xd.data(), rows, nBlocks);
                for (int r = 0; r < rows; ++r) {
                    // Exact integer partial sums (the SIMD kernel keeps 8 per block), then float
                    // terms added in another order: at most 2 (nBlocks + 2) u sum_b d_b sum_k
                    // |q_k qx_k| apart (the +2 covers rounding the scale product).
                    double sumAbs = 0;
                    const uint8_t* row = W.data() + size_t(r) * nBlocks * kQ8_0BlockBytes;
                    for (int b = 0; b < nBlocks; ++b) {
                        const uint8_t* blk = row + size_t(b) * kQ8_0BlockBytes;
                        int32_t absSum = 0;
                        for (int j = 0; j < kQ8_0Block; ++j)
                            absSum += std::abs(int32_t(int8_t(blk[2 + j])) * xq[size_t(b) * 32 + size_t(j)]);
                        sumAbs += double(absSum) * std::fabs(anatomy::q8_0::blockScale(blk) * xd[size_t(b)]);
                    }
                    const double diff = std::fabs(double(got[size_t(r)]) - want[size_t(r)]);
                    const double allowed = 2.0 * (nBlocks + 2) * kU * sumAbs + 1e-30;
                    worstAbs = std::max(worstAbs, diff);
                    worstRatio = std::max(worstRatio, diff / allowed);
                }
            }
        }
        std::printf("[q8_0] %s matvec vs scalar: max |diff| %.3g, worst diff / tolerance "
                    "(2 (nBlocks + 2) u sum d|q qx|) %.3g\n", k->name, worstAbs, worstRatio);
        CHECK(worstRatio <= 1.0);
    }
}

TEST_CASE("Q8_0 matmul stays within the activation rounding of the dequantized float product",
          "[kernels][q8_0]") {
    ThreadsGuard guard;
    std::mt19937 rng(12);
    const int rows = 203, cols = 768, nBlocks = cols / kQ8_0Block;
    const std::vector<uint8_t> blocks = randomBlocks(rows, nBlocks, rng);
    std::vector<float> dense(size_t(rows) * cols);
    anatomy::q8_0::dequantize(dense.data(), blocks.data(), size_t(rows) * nBlocks);
    const Matrix W = ggmltest::blockMatrix(anatomy::GgmlType::Q8_0, rows, cols, blocks);
    for (int nTok : {1, 5}) {
        const std::vector<float> X = randomFloats(size_t(nTok) * cols, rng);
        std::vector<float> got1(size_t(nTok) * rows), got2(size_t(nTok) * rows);
        anatomy::ops::setThreads(1);
        anatomy::ops::matmul(got1.data(), X.data(), W, nTok);
        anatomy::ops::setThreads(2);
        anatomy::ops::matmul(got2.data(), X.data(), W, nTok);
        CHECK(got1 == got2);  // the thread count does not change a single bit

        // Quantizing x moves each element by at most d_x / 2, so per block the product moves by
        // at most (d_x / 2) sum |w|; plus float rounding of both sums.
        double worstRatio = 0, worstAbs = 0;
        for (int t = 0; t < nTok; ++t) {
            const float* x = &X[size_t(t) * cols];
            for (int r = 0; r < rows; ++r) {
                const float* w = &dense[size_t(r) * cols];
                double want = 0, allowed = 0, sumAbs = 0;
                for (int b = 0; b < nBlocks; ++b) {
                    float amax = 0, wAbs = 0;
                    for (int j = 0; j < 32; ++j) {
                        amax = std::max(amax, std::fabs(x[b * 32 + j]));
                        wAbs += std::fabs(w[b * 32 + j]);
                    }
                    allowed += amax / 127.0 / 2.0 * wAbs;
                }
                for (int c = 0; c < cols; ++c) {
                    want += double(w[c]) * x[c];
                    sumAbs += std::fabs(double(w[c]) * x[c]);
                }
                allowed += 4.0 * (nBlocks + 2) * kU * sumAbs;
                const double diff = std::fabs(got1[size_t(t) * rows + size_t(r)] - want);
                worstAbs = std::max(worstAbs, diff);
                worstRatio = std::max(worstRatio, diff / allowed);
            }
        }
        std::printf("[q8_0] matmul nTok %d vs dequantized float: max |diff| %.3g, worst diff / "
                    "tolerance (activation rounding + float sums) %.3g\n", nTok, worstAbs, worstRatio);
        CHECK(worstRatio <= 1.0);
        CHECK(worstAbs > 0.0);  // the activations really were quantized (not a float product)
    }
}

TEST_CASE("Q8_0 matmul rejects a row width that is not whole blocks", "[kernels][q8_0]") {
    std::vector<uint8_t> blocks(size_t(kQ8_0BlockBytes) * 4);
    const Matrix W = ggmltest::blockMatrix(anatomy::GgmlType::Q8_0, 2, 40, blocks);
    std::vector<float> x(40), y(2);
    CHECK_THROWS_AS(anatomy::ops::matmul(y.data(), x.data(), W, 1), std::invalid_argument);
}

TEST_CASE("floatToHalf rounds to nearest even like ggml's conversion", "[kernels][q8_0]") {
    using anatomy::q8_0::floatToHalf;
    using anatomy::q8_0::halfToFloat;
    int checked = 0;
    for (uint32_t h = 0; h < 0x10000u; ++h) {
        const float f = halfToFloat(uint16_t(h));
        if (std::isnan(f)) {
            CHECK(std::isnan(halfToFloat(floatToHalf(f))));
            continue;
        }
        REQUIRE(floatToHalf(f) == h);  // every half survives the round trip
        // The midpoint to the next half up in magnitude rounds to the even one of the two.
        if ((h & 0x7fffu) < 0x7bffu) {
            const float next = halfToFloat(uint16_t(h + 1));
            const double mid = (double(f) + double(next)) / 2.0;
            const uint16_t even = (h & 1u) ? uint16_t(h + 1) : uint16_t(h);
            REQUIRE(floatToHalf(float(mid)) == even);
            REQUIRE(floatToHalf(std::nextafter(float(mid), next)) == uint16_t(h + 1));
            REQUIRE(floatToHalf(std::nextafter(float(mid), f)) == uint16_t(h));
            ++checked;
        }
    }
    CHECK(checked > 60000);
    CHECK(floatToHalf(65504.0f) == 0x7bffu);
    CHECK(floatToHalf(65519.99f) == 0x7bffu);
    CHECK(floatToHalf(65520.0f) == 0x7c00u);  // the tie above the largest half goes to inf
    CHECK(floatToHalf(-1e30f) == 0xfc00u);
    CHECK(floatToHalf(std::ldexp(1.0f, -25)) == 0);       // tie between 0 and 2^-24
    CHECK(floatToHalf(std::ldexp(1.5f, -25)) == 1);
    CHECK(floatToHalf(-0.0f) == 0x8000u);
}

TEST_CASE("the VNNI Q8_0 matvec gives the AVX2 kernel's bits, prefetching or not", "[kernels][q8_0]") {
    const KernelTable* avx2 = anatomy::kernels::avx2Kernels();
    const KernelTable* vnni = anatomy::kernels::avx512VnniKernels();
    if (avx2 == nullptr || vnni == nullptr) {
        SUCCEED("no AVX-512 VNNI on this CPU");
        return;
    }
    struct Restore {
        bool on;
        ~Restore() { anatomy::kernels::setMatvecPrefetch(on); }
    } restore{anatomy::kernels::matvecPrefetch()};
    std::mt19937 rng(12);
    for (int rows : {1, 2, 5, 16}) {
        for (int nBlocks : {1, 2, 3, 16, 24, 43, 64}) {  // odd counts: the last block alone
            const std::vector<uint8_t> W = randomBlocks(rows, nBlocks, rng);
            std::vector<int8_t> xq(size_t(nBlocks) * kQ8_0Block);
            std::vector<float> xd(static_cast<size_t>(nBlocks));
            const std::vector<float> x = randomFloats(xq.size(), rng);
            anatomy::q8_0::quantizeActivations(xq.data(), xd.data(), x.data(), int(x.size()));
            std::vector<float> want(static_cast<size_t>(rows)), got(static_cast<size_t>(rows) + 1, -7.0f);
            anatomy::kernels::setMatvecPrefetch(false);
            avx2->matvecQ8_0(want.data(), W.data(), xq.data(), xd.data(), rows, nBlocks);
            for (bool prefetch : {false, true}) {
                anatomy::kernels::setMatvecPrefetch(prefetch);
                vnni->matvecQ8_0(got.data(), W.data(), xq.data(), xd.data(), rows, nBlocks);
                REQUIRE(std::memcmp(want.data(), got.data(), want.size() * sizeof(float)) == 0);
                REQUIRE(got[size_t(rows)] == -7.0f);  // nothing past y[rows - 1]
                std::vector<float> again(static_cast<size_t>(rows));  // AVX2's own prefetch: no bit either
                avx2->matvecQ8_0(again.data(), W.data(), xq.data(), xd.data(), rows, nBlocks);
                REQUIRE(std::memcmp(want.data(), again.data(), want.size() * sizeof(float)) == 0);
            }
        }
    }
}
