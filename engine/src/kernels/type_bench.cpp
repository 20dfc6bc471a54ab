// Weight-type benchmark (not a test): the matvec (decode) and matmul (prefill, 64 tokens) of one
// [2048, 2048] matrix in each ggml type against the same shape in float32, the two interleaved
// run by run so both see the same machine (it is shared), medians reported. Matvec weights rotate
// through > 64 MB of copies, so they come from memory as in a real decode.
#include <oneapi/tbb/info.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "anatomy/ggml_type.h"
#include "anatomy/kernel_bench.h"
#include "anatomy/kernels.h"
#include "anatomy/model.h"
#include "kernels/matmul.h"

namespace anatomy {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kRows = 2048, kCols = 2048, kTok = 64;
constexpr size_t kMinBytes = size_t(64) << 20;

// Byte offsets of a block's f16 fields (ggml-common.h), set to small finite scales so the timed
// arithmetic sees ordinary numbers (random bytes would give NaNs and subnormals).
std::vector<int> halfFields(GgmlType t) {
    switch (t) {
        case GgmlType::Q4_0: case GgmlType::Q5_0: case GgmlType::Q8_0: return {0};
        case GgmlType::Q4_1: case GgmlType::Q5_1: case GgmlType::Q4_K: case GgmlType::Q5_K:
            return {0, 2};
        case GgmlType::Q2_K: return {80, 82};
        case GgmlType::Q3_K: return {108};
        case GgmlType::Q6_K: return {208};
        default: return {};
    }
}

std::vector<uint8_t> randomWeights(GgmlType t, size_t bytes, std::mt19937& rng) {
    std::vector<uint8_t> w(bytes);
    std::uniform_int_distribution<int> byte(0, 255);
    for (uint8_t& b : w) b = uint8_t(byte(rng));
    const GgmlTypeInfo& info = ggmlTypeInfo(t);
    if (t == GgmlType::F32 || t == GgmlType::F16 || t == GgmlType::BF16) {
        // Plain floats in [-1, 1): F32 as floats, halves and bfloats with a small exponent.
        for (size_t i = 0; i + 1 < bytes; i += 2) w[i + 1] = uint8_t((w[i + 1] & 0x83) | 0x30);
        if (t == GgmlType::F32) {
            std::uniform_real_distribution<float> d(-1.0f, 1.0f);
            for (size_t i = 0; i + 4 <= bytes; i += 4) {
                const float v = d(rng);
                std::memcpy(&w[i], &v, 4);
            }
        }
        return w;
    }
    const uint16_t scale = 0x2000;  // f16 0.0078
    for (size_t b = 0; b + size_t(info.blockBytes) <= bytes; b += size_t(info.blockBytes))
        for (int off : halfFields(t)) std::memcpy(&w[b + size_t(off)], &scale, 2);
    return w;
}

Matrix matrixAt(GgmlType t, const uint8_t* data) {
    Matrix W;
    W.rows = kRows;
    W.cols = kCols;
    if (t == GgmlType::F32) {
        W.f32 = reinterpret_cast<const float*>(data);
    } else {
        W.type = t;
        W.blocks = data;
    }
    return W;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

}  // namespace

int runTypeBench() {
    const kernels::KernelTable& k = kernels::activeKernels();
    const std::vector<GgmlType> types = {GgmlType::F16,  GgmlType::BF16, GgmlType::Q4_0, GgmlType::Q4_1,
                                         GgmlType::Q5_0, GgmlType::Q5_1, GgmlType::Q8_0, GgmlType::Q2_K,
                                         GgmlType::Q3_K, GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K};
    const int cores = tbb::info::default_concurrency();
    std::vector<int> threadCounts{1};
    if (cores >= 2) threadCounts.push_back(2);
    std::printf("Weight types vs float32, matrix %d x %d, kernels %s; each type interleaved run by "
                "run with float32, medians.\n", kRows, kCols, k.name);
    std::printf("matvec: weights rotate through > 64 MB of copies. matmul: %d tokens, one copy.\n",
                kTok);
    std::printf("Q8_0, Q4_K and Q6_K run with float activations (the path every type takes), then "
                "starred with quantized activations (their default: Q8_0 blocks for Q8_0, Q8_K "
                "for Q4_K and Q6_K; the matmul of %d tokens stays float for the k-quants).\n\n", kTok);
    std::printf("%-6s %3s %11s %11s %8s %9s %12s %12s %8s\n", "type", "thr", "matvec ms", "f32 ms",
                "speedup", "GB/s", "matmul ms", "f32 ms", "speedup");

    std::mt19937 rng(7);
    const size_t f32Bytes = ggmlRowBytes(GgmlType::F32, kCols) * kRows;
    const size_t f32Copies = std::max<size_t>(2, (kMinBytes + f32Bytes - 1) / f32Bytes);
    const std::vector<uint8_t> f32 = randomWeights(GgmlType::F32, f32Bytes * f32Copies, rng);
    std::vector<float> x(size_t(kTok) * kCols), y(size_t(kTok) * kRows);
    std::uniform_real_distribution<float> d(-1.0f, 1.0f);
    for (float& v : x) v = d(rng);

    // The types with a quantized-activation path run twice: float activations, then quantized (*).
    struct Row {
        GgmlType type;
        bool quantizedActivations;
    };
    std::vector<Row> rowsToRun;
    for (GgmlType t : types) {
        rowsToRun.push_back({t, false});
        if (t == GgmlType::Q8_0 || t == GgmlType::Q4_K || t == GgmlType::Q6_K)
            rowsToRun.push_back({t, true});
    }
    for (const Row& row : rowsToRun) {
        // Named copies, not a structured binding: clang 14 cannot capture a binding in a lambda.
        const GgmlType t = row.type;
        const bool fast = row.quantizedActivations;
        ops::setQuantizedActivations(fast);
        const size_t bytes = ggmlRowBytes(t, kCols) * kRows;
        const size_t copies = std::max<size_t>(2, (kMinBytes + bytes - 1) / bytes);
        const std::vector<uint8_t> w = randomWeights(t, bytes * copies, rng);
        for (int n : threadCounts) {
            ops::setThreads(n);
            std::vector<double> tq, tf, gq, gf;
            auto time = [](auto&& fn) {
                const auto t0 = Clock::now();
                fn();
                return std::chrono::duration<double>(Clock::now() - t0).count() * 1e3;
            };
            for (int i = 0; i < int(4 * std::max(copies, f32Copies)); ++i) {
                const Matrix Wq = matrixAt(t, w.data() + bytes * (size_t(i) % copies));
                const Matrix Wf = matrixAt(GgmlType::F32, f32.data() + f32Bytes * (size_t(i) % f32Copies));
                tq.push_back(time([&] { ops::matmul(k, y.data(), x.data(), Wq, 1); }));
                tf.push_back(time([&] { ops::matmul(k, y.data(), x.data(), Wf, 1); }));
            }
            for (int i = 0; i < 7; ++i) {
                gq.push_back(time([&] { ops::matmul(k, y.data(), x.data(), matrixAt(t, w.data()), kTok); }));
                gf.push_back(time([&] { ops::matmul(k, y.data(), x.data(), matrixAt(GgmlType::F32, f32.data()), kTok); }));
            }
            const double mq = median(tq), mf = median(tf), pq = median(gq), pf = median(gf);
            std::printf("%-6s %3d %11.3f %11.3f %7.2fx %9.1f %12.2f %12.2f %7.2fx\n",
                        (std::string(ggmlTypeInfo(t).name) + (fast ? "*" : "")).c_str(), n, mq,
                        mf, mf / mq, double(bytes) / (mq * 1e6), pq, pf, pf / pq);
            std::fflush(stdout);
        }
    }
    ops::setQuantizedActivations(true);
    ops::setThreads(0);
    return 0;
}

}  // namespace anatomy
