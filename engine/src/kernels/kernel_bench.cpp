// Kernel throughput against the machine's own ceilings, measured in the same run:
//   matvec (decode): GB/s of weights read, vs single-core read bandwidth;
//   gemm (prefill):  GFLOP/s (2 per multiply-add), vs single-core FMA peak.
// With n threads the ratio is to n times the single-core figure.
#include "anatomy/kernel_bench.h"

#include <oneapi/tbb/info.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "anatomy/kernels.h"
#include "anatomy/machine_probe.h"
#include "anatomy/model.h"
#include "kernels/matmul.h"

namespace anatomy {
namespace {

using Clock = std::chrono::steady_clock;

struct Timing {
    double median = 0, best = 0;  // seconds per call
};

// Runs fn(i) at least minRuns times and for at least minSeconds (capped at maxRuns).
template <class Fn>
Timing timeRuns(const Fn& fn, int minRuns, int maxRuns, double minSeconds) {
    std::vector<double> t;
    const auto start = Clock::now();
    for (int i = 0; i < maxRuns; ++i) {
        const auto t0 = Clock::now();
        fn(i);
        t.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        if (i + 1 >= minRuns && elapsed >= minSeconds) break;
    }
    std::sort(t.begin(), t.end());
    return {t[t.size() / 2], t.front()};
}

std::vector<float> randomFloats(size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    std::vector<float> v(n);
    for (float& x : v) x = dist(rng);
    return v;
}

void printRow(const char* kernel, const std::string& shape, const char* isa, int threads,
              double median, double best, const char* unit, double peakPerCore) {
    std::printf("%-7s %-22s %-12s %3d %9.1f %9.1f %-7s %7.1f%%\n", kernel, shape.c_str(), isa,
                threads, median, best, unit, 100.0 * median / (peakPerCore * threads));
}

}  // namespace

int runKernelBench() {
    std::printf("CPU: %s\n", cpuDescription().c_str());
    std::printf("Measuring this machine's single-core peaks...\n");
    const MachinePeak peak = measureMachinePeak(0.3);
    std::printf("  FP32 FMA peak: %.1f GFLOP/s per core (%s)\n", peak.fmaGflopsPerCore,
                peak.fmaIsa);
    std::printf("  read bandwidth: %.1f GB/s per core (256 MB buffer)\n\n", peak.readGBsPerCore);

    std::vector<const kernels::KernelTable*> tables{&kernels::scalarKernels()};
    if (auto* t = kernels::avx2Kernels()) tables.push_back(t);
    if (auto* t = kernels::avx512Kernels()) tables.push_back(t);
    const int cores = tbb::info::default_concurrency();
    std::vector<int> threadCounts{1};
    if (cores >= 2) threadCounts.push_back(2);

    const int chosenRows = kernels::avx512Kernels() ? kernels::avx512MatvecRows() : 0;
    const bool chosenPrefetch = kernels::matvecPrefetch();
    std::printf("matvec: weights streamed from memory (rotating copies, > 256 MB in all).%s\n",
                chosenRows ? (" avx512/R: R rows a pass, +pf: prefetching " + std::to_string(kernels::kFloatPrefetchBytes) +
                              " bytes ahead (this CPU uses " + std::to_string(chosenRows) + " row(s), prefetch " +
                              (chosenPrefetch ? "on" : "off") + ").").c_str()
                           : "");
    std::printf("gemm: nTok = 128 tokens. median and best of several runs; %% = median / "
                "(threads x 1-core peak).\n\n");
    std::printf("%-7s %-22s %-12s %3s %9s %9s %-7s %8s\n", "kernel", "shape (rows x cols)", "isa",
                "thr", "median", "best", "unit", "of peak");

    // ---- matvec: y[rows] = W[rows, cols] x[cols] ---------------------------------------------
    const int matvecShapes[][2] = {{768, 768}, {2048, 768}, {32000, 768}};
    for (const auto& s : matvecShapes) {
        const int rows = s[0], cols = s[1];
        const size_t perCopy = size_t(rows) * cols;
        const size_t minFloats = (size_t(256) << 20) / sizeof(float);
        const size_t copies = std::max<size_t>(2, (minFloats + perCopy - 1) / perCopy);
        const std::vector<float> w = randomFloats(perCopy * copies, 1);
        const std::vector<float> x = randomFloats(cols, 2);
        std::vector<float> y(rows);
        const std::string shape = std::to_string(rows) + " x " + std::to_string(cols);
        for (const kernels::KernelTable* k : tables) {
            // The AVX-512 matvec each way (one row a pass, four; without and with the prefetch),
            // whichever this CPU chose.
            const bool avx512 = k == kernels::avx512Kernels();
            struct Way {
                int rows;
                bool prefetch;
            };
            const std::vector<Way> ways = avx512 ? std::vector<Way>{{1, false}, {4, false}, {1, true}, {4, true}}
                                                 : std::vector<Way>{{0, false}};
            for (const Way& way : ways) {
                if (way.rows) {
                    kernels::setAvx512MatvecRows(way.rows);
                    kernels::setMatvecPrefetch(way.prefetch);
                }
                const std::string isa = way.rows ? std::string(k->name) + "/" + std::to_string(way.rows) +
                                                       (way.prefetch ? "+pf" : "")
                                                 : std::string(k->name);
                for (int n : threadCounts) {
                    ops::setThreads(n);
                    auto run = [&](int i) {
                        Matrix W;
                        W.rows = rows;
                        W.cols = cols;
                        W.f32 = w.data() + perCopy * (size_t(i) % copies);
                        ops::matmul(*k, y.data(), x.data(), W, 1);
                    };
                    run(0);  // warm-up
                    const Timing t = timeRuns(run, 2 * int(copies), 40 * int(copies), 0.2);
                    const double bytes = double(perCopy) * sizeof(float) * 1e-9;
                    printRow("matvec", shape, isa.c_str(), n, bytes / t.median, bytes / t.best, "GB/s",
                             peak.readGBsPerCore);
                }
            }
            if (avx512) {
                kernels::setAvx512MatvecRows(chosenRows);
                kernels::setMatvecPrefetch(chosenPrefetch);
            }
        }
    }

    // ---- gemm: Y[128, rows] = X[128, cols] W[rows, cols]^T ------------------------------------
    constexpr int kTok = 128;
    const int gemmShapes[][2] = {{768, 768}, {2048, 768}, {768, 2048}};
    for (const auto& s : gemmShapes) {
        const int rows = s[0], cols = s[1];
        const std::vector<float> w = randomFloats(size_t(rows) * cols, 3);
        const std::vector<float> x = randomFloats(size_t(kTok) * cols, 4);
        std::vector<float> y(size_t(kTok) * rows);
        Matrix W;
        W.rows = rows;
        W.cols = cols;
        W.f32 = w.data();
        const std::string shape =
            std::to_string(rows) + " x " + std::to_string(cols) + ", nTok " + std::to_string(kTok);
        for (const kernels::KernelTable* k : tables) {
            for (int n : threadCounts) {
                ops::setThreads(n);
                auto run = [&](int) { ops::matmul(*k, y.data(), x.data(), W, kTok); };
                run(0);  // warm-up
                const bool slow = std::string(k->name) == "scalar";
                const Timing t = timeRuns(run, slow ? 3 : 9, slow ? 5 : 200, slow ? 0.0 : 0.3);
                const double gflop = 2.0 * kTok * rows * cols * 1e-9;
                printRow("gemm", shape, k->name, n, gflop / t.median, gflop / t.best, "GFLOP/s",
                         peak.fmaGflopsPerCore);
            }
        }
    }
    ops::setThreads(0);
    return 0;
}

}  // namespace anatomy
