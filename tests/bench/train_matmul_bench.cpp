// The training matmuls in isolation (a benchmark, not a test): GFLOP/s and % of the FMA peak of
// every product of a training step of issue 13's 857K Llama shape (dim 128, hidden 344,
// vocab 512, batch 8 x 256 = 2048 rows): forward Y = X Wᵀ, dX = dY W and dW = dYᵀ X, through the
// trainer's own entry points (train_ops.h), plus attention's per-head products.
//
//   build/release/tests/train_matmul_bench [--threads N] [--seconds S] [--scalar]
//
// The peak is measured here: a loop of independent FMA chains (2 FMA units x 8 lanes x 2 flops
// per cycle when the CPU sustains them), so the % holds on this machine at its current clock;
// the nominal figure of issue 13 (115 GFLOP/s per core) is printed beside it. Rates are per
// CPU-second of the process (GFLOP per core-second): on a shared machine the wall clock counts
// the other processes' time slices, the CPU time much less. At 2 threads oneTBB's idle spinning
// is in the CPU time, so the per-core rate there is a lower bound; the wall-clock rate is
// printed too.
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "kernels/matmul.h"
#include "kernels/train_gemm.h"
#include "train/train_ops.h"

using namespace anatomy;
using Clock = std::chrono::steady_clock;

namespace {

double cpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

// GFLOP/s of one core running 12 independent 8-lane FMA chains (enough to cover 2 units x
// 4 cycles of latency), the micro-kernel's register budget.
__attribute__((target("avx2,fma"))) double fmaPeakGflops(double seconds) {
    __m256 acc[12];
    for (int i = 0; i < 12; ++i) acc[i] = _mm256_set1_ps(float(i) * 1e-3f);
    const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
    long iterations = 0;
    const double t0 = cpuSeconds();
    double elapsed = 0;
    do {
        for (int r = 0; r < 100000; ++r)
            for (int i = 0; i < 12; ++i) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
        iterations += 100000;
        elapsed = cpuSeconds() - t0;
    } while (elapsed < seconds);
    float sink[8];
    __m256 s = acc[0];
    for (int i = 1; i < 12; ++i) s = _mm256_add_ps(s, acc[i]);
    _mm256_storeu_ps(sink, s);
    if (sink[0] == 12345.0f) std::puts("");  // keep the chains alive
    return double(iterations) * 12 * 8 * 2 / elapsed / 1e9;
}

std::vector<float> randomVector(size_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> v(n);
    for (float& x : v) x = u(rng);
    return v;
}

// Medians of 5 timings of body, each repeated for about seconds / 5 of CPU time: GFLOP per
// CPU-second (first) and per wall-second (second).
template <class Body>
std::pair<double, double> rate(double flops, double seconds, const Body& body) {
    body();  // warm the caches and the scratch buffers
    std::vector<double> cpuRates, wallRates;
    for (int rep = 0; rep < 5; ++rep) {
        long n = 0;
        const double c0 = cpuSeconds();
        const auto t0 = Clock::now();
        double elapsed = 0;
        do {
            body();
            ++n;
            elapsed = cpuSeconds() - c0;
        } while (elapsed < seconds / 5);
        cpuRates.push_back(flops * double(n) / elapsed / 1e9);
        wallRates.push_back(flops * double(n) / std::chrono::duration<double>(Clock::now() - t0).count() / 1e9);
    }
    std::sort(cpuRates.begin(), cpuRates.end());
    std::sort(wallRates.begin(), wallRates.end());
    return {cpuRates[2], wallRates[2]};
}

}  // namespace

int main(int argc, char** argv) {
    int threads = 1;
    double seconds = 1.0;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--threads" && i + 1 < argc) threads = std::stoi(argv[++i]);
        else if (a == "--seconds" && i + 1 < argc) seconds = std::stod(argv[++i]);
        else if (a == "--scalar") setenv("ANATOMY_KERNELS", "scalar", 1);
        else {
            std::fprintf(stderr, "usage: train_matmul_bench [--threads N] [--seconds S] [--scalar]\n");
            return 2;
        }
    }
    ops::setThreads(threads);
    double load[3] = {};
    if (FILE* f = std::fopen("/proc/loadavg", "r")) {
        if (std::fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3) load[0] = -1;
        std::fclose(f);
    }
    const double peak = fmaPeakGflops(0.5);  // per core-second
    std::printf("training matmuls, 857K Llama shape, %d thread(s), kernel %s; load average %.2f %.2f %.2f\n",
                threads, kernels::trainGemmKernel() == &kernels::trainGemmScalar ? "scalar" : "avx2 6x16",
                load[0], load[1], load[2]);
    std::printf("FMA peak measured: %.1f GFLOP per core-second (issue 13's nominal: 115); %% below are of it\n\n",
                peak);
    std::printf("%-28s %-18s %14s %8s %12s\n", "product", "M x N x K", "GFLOP/core-s", "% peak", "wall GFLOP/s");
    const int N = 2048, dim = 128, hidden = 344, vocab = 512;
    struct Linear {
        const char* name;
        int rows, cols;
    } linears[] = {{"wq wk wv wo 128x128", dim, dim}, {"w1 w3 344x128", hidden, dim},
                   {"w2 128x344", dim, hidden}, {"classifier 512x128", vocab, dim}};
    double totalFlops = 0, totalTime = 0;  // a training step's linear products, weighted by use
    const int uses[] = {4 * 4, 2 * 4, 4, 1};
    int li = 0;
    for (const Linear& l : linears) {
        const std::vector<float> X = randomVector(size_t(N) * l.cols, 1), W = randomVector(size_t(l.rows) * l.cols, 2),
                                 dY = randomVector(size_t(N) * l.rows, 3);
        std::vector<float> Y(size_t(N) * l.rows), dX(size_t(N) * l.cols), dW(size_t(l.rows) * l.cols);
        const double flops = 2.0 * N * l.rows * l.cols;
        char shape[64];
        const auto report = [&](const char* what, std::pair<double, double> r, int M, int Nn, int K) {
            std::snprintf(shape, sizeof shape, "%d x %d x %d", M, Nn, K);
            std::printf("%-28s %-18s %14.1f %7.1f%% %12.1f\n", (std::string(l.name) + " " + what).c_str(), shape,
                        r.first, 100.0 * r.first / peak, r.second);
            totalFlops += uses[li] * flops;
            totalTime += uses[li] * flops / (r.first * 1e9);
        };
        report("fwd", rate(flops, seconds, [&] { training::linearForward(Y.data(), X.data(), W.data(), N, l.rows, l.cols); }),
               N, l.rows, l.cols);
        report("dX", rate(flops, seconds, [&] {
                   training::linearBackward(dX.data(), false, nullptr, dY.data(), X.data(), W.data(), N, l.rows, l.cols);
               }),
               N, l.cols, l.rows);
        report("dW", rate(flops, seconds, [&] {
                   training::linearBackward(nullptr, false, dW.data(), dY.data(), X.data(), W.data(), N, l.rows, l.cols);
               }),
               l.rows, l.cols, N);
        ++li;
    }
    const double linearRate = totalFlops / totalTime / 1e9;
    std::printf("\nall linear products of a step (weighted by use): %.1f GFLOP per core-second = %.1f%% of the measured "
                "peak, %.1f%% of the nominal 115\n",
                linearRate, 100.0 * linearRate / peak, 100.0 * linearRate / 115.0);
    // Attention of one layer: 8 sequences x 4 heads of 32, T = 256 (the products are causal
    // blocks, so count the flops the kernels do: the blocks' full extent).
    {
        const int B = 8, T = 256, H = 4, hs = 32, q = H * hs;
        const std::vector<float> Q = randomVector(size_t(B) * T * q, 4), K = randomVector(size_t(B) * T * q, 5),
                                 V = randomVector(size_t(B) * T * q, 6), dO = randomVector(size_t(B) * T * q, 7);
        std::vector<float> O(Q.size()), P(size_t(B) * H * T * T), dQ(Q.size()), dK(Q.size()), dV(Q.size());
        double blockWork = 0;  // Σ over query blocks of rows x keys
        for (int t0 = 0; t0 < T; t0 += 64) blockWork += 64.0 * std::min(T, t0 + 64);
        const double fwdFlops = 2.0 * B * H * blockWork * hs * 2, bwdFlops = 2.0 * B * H * blockWork * hs * 4;
        const auto f = rate(fwdFlops, seconds, [&] {
            training::attentionForward(O.data(), P.data(), Q.data(), K.data(), V.data(), B, T, H, H, hs);
        });
        const auto b = rate(bwdFlops, seconds, [&] {
            training::attentionBackward(dQ.data(), dK.data(), dV.data(), dO.data(), P.data(), Q.data(), K.data(),
                                        V.data(), B, T, H, H, hs);
        });
        std::printf("attention forward (QKᵀ, softmax, PV): %.1f GFLOP per core-second (%.1f%%); backward: %.1f "
                    "(%.1f%%) (softmax included)\n",
                    f.first, 100.0 * f.first / peak, b.first, 100.0 * b.first / peak);
    }
    return 0;
}
