// Q4_K and Q6_K weights against activations quantized to Q8_K (issue 11, llama.cpp's decode dot):
// the quantizer of every kernel table against a plain reading of ggml's quantize_row_q8_K_ref, the
// SIMD kernels against their scalar twin bit for bit, the twin against the double dot of the
// dequantized weights and activations, and the threaded matmul against the float-activation one
// within the error that quantizing the activations allows. Each check prints what it saw.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "anatomy/ggml_type.h"
#include "anatomy/kernels.h"
#include "anatomy/model.h"
#include "ggml_test_blocks.h"
#include "kernels/ggml_blocks.h"
#include "kernels/matmul.h"
#include "kernels/q8_k.h"

using anatomy::GgmlType;
using anatomy::Matrix;
using anatomy::kernels::KernelTable;
namespace q8_k = anatomy::q8_k;

namespace {

constexpr double kU = 1.0 / (1 << 24);  // unit roundoff of float

// ggml's quantize_row_q8_K_ref as written there: nearest_int is the 1.5 * 2^23 trick (ties to
// even), the largest magnitude found with a strict >, d = 1 / iscale.
struct Q8K {
    std::vector<int8_t> q;
    std::vector<float> d;
    std::vector<int16_t> bsums;
};
int nearestInt(float f) {
    const float v = f + 12582912.0f;
    int32_t i;
    std::memcpy(&i, &v, 4);
    return (i & 0x007fffff) - 0x00400000;
}
Q8K ggmlQuantizeQ8K(const std::vector<float>& x) {
    const size_t nb = x.size() / 256;
    Q8K out{std::vector<int8_t>(x.size()), std::vector<float>(nb), std::vector<int16_t>(nb * 16)};
    for (size_t i = 0; i < nb; ++i) {
        const float* xb = &x[i * 256];
        float max = 0, amax = 0;
        for (int j = 0; j < 256; ++j) {
            const float ax = std::fabs(xb[j]);
            if (ax > amax) amax = ax, max = xb[j];
        }
        if (!amax) continue;  // d = 0, q = 0, bsums = 0
        const float iscale = -127.f / max;
        for (int j = 0; j < 256; ++j) out.q[i * 256 + size_t(j)] = int8_t(std::min(127, nearestInt(iscale * xb[j])));
        for (int j = 0; j < 16; ++j) {
            int sum = 0;
            for (int k = 0; k < 16; ++k) sum += out.q[i * 256 + size_t(16 * j + k)];
            out.bsums[i * 16 + size_t(j)] = int16_t(sum);
        }
        out.d[i] = 1 / iscale;
    }
    return out;
}

Q8K quantizeWith(const KernelTable& k, const std::vector<float>& x) {
    const size_t nb = x.size() / 256;
    Q8K out{std::vector<int8_t>(x.size(), 99), std::vector<float>(nb, -1.0f),
            std::vector<int16_t>(nb * 16, 999)};
    k.quantizeQ8_K(out.q.data(), out.d.data(), out.bsums.data(), x.data(), int(x.size()));
    return out;
}

bool sameBits(const Q8K& a, const Q8K& b) {
    return a.q == b.q && a.bsums == b.bsums &&
           std::memcmp(a.d.data(), b.d.data(), 4 * a.d.size()) == 0;
}

std::vector<float> randomFloats(size_t n, std::mt19937& rng, float scale = 1.0f) {
    std::uniform_real_distribution<float> dist(-scale, scale);
    std::vector<float> v(n);
    for (float& x : v) x = dist(rng);
    return v;
}

std::vector<const KernelTable*> allTables() {
    std::vector<const KernelTable*> t = {&anatomy::kernels::scalarKernels()};
    if (auto* k = anatomy::kernels::avx2Kernels()) t.push_back(k);
    if (auto* k = anatomy::kernels::avx512Kernels()) t.push_back(k);  // AVX2's k-quant kernels
    if (auto* k = anatomy::kernels::avx512VnniKernels()) t.push_back(k);
    return t;
}

const std::vector<GgmlType> kTypes = {GgmlType::Q4_K, GgmlType::Q6_K};

struct Guard {
    ~Guard() {
        anatomy::ops::setThreads(0);
        anatomy::ops::setQuantizedActivations(true);
    }
};

}  // namespace

TEST_CASE("Q8_K quantizer: every table gives ggml's quantize_row_q8_K_ref bit for bit",
          "[kernels][q8_k]") {
    std::mt19937 rng(1201);
    std::vector<std::vector<float>> cases;
    for (float scale : {1.0f, 1e-3f, 300.0f}) cases.push_back(randomFloats(256 * 5, rng, scale));
    // Ties for the largest magnitude: the first one's sign decides d's sign.
    std::vector<float> ties = randomFloats(256 * 4, rng, 0.5f);
    ties[3] = -2.0f, ties[200] = 2.0f;          // block 0: -2 first
    ties[256 + 10] = 2.0f, ties[256 + 11] = -2.0f;  // block 1: +2 first
    std::fill(ties.begin() + 512, ties.begin() + 768, 0.0f);  // block 2: all zero
    ties[768 + 255] = -1e-30f;                                 // block 3: one tiny value last
    cases.push_back(ties);
    // Exact halves: xmax = -127 makes iscale 1, so x = k + 0.5 rounds to even (std::round would
    // not), and x = +127 gives -127 after the sign flip.
    std::vector<float> halves(256);
    for (int i = 0; i < 256; ++i) halves[size_t(i)] = float(i % 64 - 32) + 0.5f;
    halves[0] = -127.0f, halves[1] = 127.0f;
    cases.push_back(halves);
    int blocks = 0;
    for (const std::vector<float>& x : cases) {
        const Q8K want = ggmlQuantizeQ8K(x);
        for (const KernelTable* k : allTables()) {
            INFO(k->name << ", case of " << x.size() / 256 << " blocks");
            CHECK(sameBits(quantizeWith(*k, x), want));
        }
        blocks += int(x.size() / 256);
    }
    const Q8K h = ggmlQuantizeQ8K(halves);
    CHECK(h.d[0] == 1.0f);   // xmax = -127 (first of the two): iscale = 1
    CHECK(h.q[1] == 127);
    CHECK(h.q[3] == -28);    // -28.5 to even (std::round would give -29)
    CHECK(h.q[4] == -28);    // -27.5 to even
    const Q8K t = ggmlQuantizeQ8K(ties);
    CHECK(t.d[0] > 0.0f);  // xmax = -2: iscale = 63.5, d = 1 / 63.5
    CHECK(t.d[1] < 0.0f);  // xmax = +2
    CHECK(t.d[2] == 0.0f);
    std::printf("[q8_k] quantizer: %d blocks (random at 3 scales, tied maxima, zero, exact halves), "
                "%zu tables equal to ggml's reference rule bit for bit\n", blocks, allTables().size());
}

TEST_CASE("Q4_K and Q6_K x Q8_K: SIMD equals the scalar twin, the twin equals the double dot",
          "[kernels][q8_k]") {
    std::mt19937 rng(1202);
    const KernelTable& ref = anatomy::kernels::scalarKernels();
    struct Restore {
        bool on;
        ~Restore() { anatomy::kernels::setMatvecPrefetch(on); }
    } restore{anatomy::kernels::matvecPrefetch()};
    for (GgmlType t : kTypes) {
        const anatomy::GgmlTypeInfo& info = anatomy::ggmlTypeInfo(t);
        double worstRef = 0;
        int compared = 0, differing = 0;
        for (int rows : {1, 3, 7}) {
            for (int nBlocks : {1, 2, 3, 5, 7, 8}) {  // 4 blocks at a time, and 1-3 left
                const int cols = 256 * nBlocks;
                const std::vector<uint8_t> W = ggmltest::randomMatrix(t, rows, cols, 0.1f, rng);
                const std::vector<float> x = randomFloats(size_t(cols), rng);
                const Q8K a = quantizeWith(ref, x);
                std::vector<float> want(static_cast<size_t>(rows));
                ref.matvecQ8_K(t, want.data(), W.data(), a.q.data(), a.d.data(), a.bsums.data(), rows, nBlocks);
                for (const KernelTable* k : allTables())
                    for (bool prefetch : {false, true}) {  // the software prefetch changes no bit
                        anatomy::kernels::setMatvecPrefetch(prefetch);
                        std::vector<float> got(size_t(rows), -1.0f);
                        k->matvecQ8_K(t, got.data(), W.data(), a.q.data(), a.d.data(), a.bsums.data(), rows, nBlocks);
                        differing += std::memcmp(got.data(), want.data(), 4 * size_t(rows)) != 0;
                        ++compared;
                    }
                // The twin against sum_i w_i (dx q_i) in double: exact integer sums, then float
                // terms per block, so within (nBlocks + 4) u S.
                std::vector<float> w(size_t(rows) * size_t(cols)), xa(static_cast<size_t>(cols));
                anatomy::ggml::dequantize(t, w.data(), W.data(), w.size());
                for (int c = 0; c < cols; ++c) xa[size_t(c)] = a.d[size_t(c / 256)] * float(a.q[size_t(c)]);
                for (int r = 0; r < rows; ++r) {
                    const float* wr = &w[size_t(r) * size_t(cols)];
                    double exact = 0;
                    for (int c = 0; c < cols; ++c) exact += double(wr[c]) * double(a.d[size_t(c / 256)]) * a.q[size_t(c)];
                    const uint8_t* row = W.data() + size_t(r) * anatomy::ggmlRowBytes(t, cols);
                    const double S = ggmltest::termScale(t, row, wr, xa.data(), cols) + 1e-30;
                    worstRef = std::max(worstRef, std::fabs(want[size_t(r)] - exact) / ((nBlocks + 4) * kU * S));
                }
            }
        }
        std::printf("[q8_k] %s x Q8_K: %d kernel runs over %zu tables, %d not bit-equal to the scalar "
                    "twin; twin vs double dot: worst diff / ((nBlocks + 4) u S) %.3g\n",
                    info.name, compared, allTables().size(), differing, worstRef);
        INFO(info.name);
        CHECK(differing == 0);
        CHECK(worstRef <= 1.0);
    }
}

TEST_CASE("Q4_K and Q6_K x Q8_K: the largest codes and activations do not overflow",
          "[kernels][q8_k]") {
    // Q4_K: every code 15, every scale and min 63, d = dmin = 1; Q6_K: every code 63 (value 31),
    // every scale -128, d = 1. Activations all -1 (Q4_K: codes -127) or all +1 (Q6_K: codes -127).
    for (GgmlType t : kTypes) {
        const bool q4 = t == GgmlType::Q4_K;
        const int nBlocks = 3, cols = 256 * nBlocks;
        std::vector<uint8_t> W(anatomy::ggmlRowBytes(t, cols));
        for (int b = 0; b < nBlocks; ++b) {
            uint8_t* blk = W.data() + b * (q4 ? 144 : 210);
            if (q4) {
                blk[0] = 0x00, blk[1] = 0x3c, blk[2] = 0x00, blk[3] = 0x3c;  // f16 1.0 twice
                std::fill(blk + 4, blk + 144, 0xFF);
            } else {
                std::fill(blk, blk + 192, 0xFF);
                std::fill(blk + 192, blk + 208, 0x80);
                blk[208] = 0x00, blk[209] = 0x3c;
            }
        }
        const std::vector<float> x(size_t(cols), q4 ? -1.0f : 1.0f);
        std::vector<float> dense(static_cast<size_t>(cols));
        anatomy::ggml::dequantize(t, dense.data(), W.data(), dense.size());
        double exact = 0;  // sum_i w_i (dx q_i), in double
        const Q8K a = quantizeWith(anatomy::kernels::scalarKernels(), x);
        for (int c = 0; c < cols; ++c) exact += double(dense[size_t(c)]) * double(a.d[size_t(c / 256)]) * a.q[size_t(c)];
        for (const KernelTable* k : allTables()) {
            float y = 0;
            k->matvecQ8_K(t, &y, W.data(), a.q.data(), a.d.data(), a.bsums.data(), 1, nBlocks);
            INFO(k->name << " " << anatomy::ggmlTypeInfo(t).name << ": " << y << " vs " << exact);
            CHECK(std::fabs(y - exact) <= 1e-5 * std::fabs(exact));
        }
        std::printf("[q8_k] %s extreme block (largest codes and scales): dot %.6g, as the double "
                    "dot of the dequantized values\n", anatomy::ggmlTypeInfo(t).name, exact);
    }
}

TEST_CASE("Q4_K and Q6_K matmul: quantized activations at decode stay within their rounding of "
          "the float-activation product", "[kernels][q8_k]") {
    Guard guard;
    std::mt19937 rng(1203);
    const int rows = 203, cols = 1024;  // rows not divisible by any split
    for (GgmlType t : kTypes) {
        const std::vector<uint8_t> blocks = ggmltest::randomMatrix(t, rows, cols, 0.1f, rng);
        const Matrix W = ggmltest::blockMatrix(t, rows, cols, blocks);
        std::vector<float> dense(size_t(rows) * size_t(cols));
        anatomy::ops::dequantizeRows(dense.data(), W, 0, rows);
        for (int nTok : {1, 3, 5}) {
            const std::vector<float> X = randomFloats(size_t(nTok) * size_t(cols), rng);
            std::vector<float> fast1(size_t(nTok) * rows), fast2(fast1.size()), slow(fast1.size());
            anatomy::ops::setQuantizedActivations(true);
            anatomy::ops::setThreads(1);
            anatomy::ops::matmul(fast1.data(), X.data(), W, nTok);
            anatomy::ops::setThreads(2);
            anatomy::ops::matmul(fast2.data(), X.data(), W, nTok);
            anatomy::ops::setQuantizedActivations(false);
            anatomy::ops::matmul(slow.data(), X.data(), W, nTok);
            INFO(anatomy::ggmlTypeInfo(t).name << " nTok " << nTok);
            CHECK(fast1 == fast2);  // the thread count does not change a single bit
            if (nTok >= 4) {  // prefill: dequantize + float gemm whatever the switch says
                CHECK(fast1 == slow);
                continue;
            }
            // Quantizing x moves each element by at most |d_x| / 2 (round to nearest), so the dot
            // moves by at most sum_b (|d_x,b| / 2) sum_{i in b} |w_i|; plus float rounding of both
            // paths, within 4 (n + 4) u S.
            double worstRatio = 0, errSq = 0, refSq = 0;
            for (int tk = 0; tk < nTok; ++tk) {
                const float* x = &X[size_t(tk) * cols];
                const Q8K a = quantizeWith(anatomy::kernels::scalarKernels(), std::vector<float>(x, x + cols));
                for (int r = 0; r < rows; ++r) {
                    const float* w = &dense[size_t(r) * cols];
                    double allowed = 0;
                    for (int b = 0; b < cols / 256; ++b) {
                        double wAbs = 0;
                        for (int i = 0; i < 256; ++i) wAbs += std::fabs(w[b * 256 + i]);
                        allowed += std::fabs(a.d[size_t(b)]) / 2.0 * wAbs * (1 + 8 * kU);
                    }
                    const uint8_t* row = blocks.data() + size_t(r) * W.rowBytes();
                    allowed += 4.0 * (cols + 4) * kU * ggmltest::termScale(t, row, w, x, cols);
                    const double f = fast1[size_t(tk) * rows + size_t(r)], s = slow[size_t(tk) * rows + size_t(r)];
                    worstRatio = std::max(worstRatio, std::fabs(f - s) / allowed);
                    errSq += (f - s) * (f - s);
                    refSq += s * s;
                }
            }
            const double rel = std::sqrt(errSq / refSq);
            std::printf("[q8_k] %s matmul %d x %d, %d token(s), 1 and 2 threads: quantized vs float "
                        "activations: relative RMS error %.3g, worst diff / bound (activation "
                        "rounding + float sums) %.3g\n", anatomy::ggmlTypeInfo(t).name, rows, cols,
                        nTok, rel, worstRatio);
            CHECK(worstRatio <= 1.0);
            CHECK(rel > 0.0);    // the activations really were quantized
            CHECK(rel < 0.02);   // 127 levels per 256 values: about 0.5% on uniform activations
        }
    }
}
