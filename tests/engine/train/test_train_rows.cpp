// Training's row loops (train/train_rows.h): the baseline and the AVX2 builds against formulas
// evaluated in double here, with printed largest errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "anatomy/activation.h"
#include "train/train_rows.h"

using namespace anatomy::training;

namespace {

std::vector<float> randomVector(size_t n, uint32_t seed, float scale) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> nd(0.0f, scale);
    std::vector<float> v(n);
    for (float& x : v) x = nd(rng);
    return v;
}

double sigmoid(double a) { return 1.0 / (1.0 + std::exp(-a)); }

void checkTable(const TrainRowKernels& k) {
    INFO(k.name);
    double worst = 0;
    // Causal softmax of query rows t = 0 .. 40 of T = 48, with an ALiBi slope.
    const int T = 48;
    const float sqrtD = std::sqrt(32.0f), slope = 0.25f;
    for (int t = 0; t < 41; ++t) {
        std::vector<float> row = randomVector(size_t(T), uint32_t(t + 1), 3.0f);
        const std::vector<float> in = row;
        k.causalSoftmax(row.data(), t + 1, T, sqrtD, slope);
        double maxv = -1e30, sum = 0;
        for (int j = 0; j <= t; ++j) maxv = std::max(maxv, double(in[j]) / sqrtD - slope * (t - j));
        for (int j = 0; j <= t; ++j) sum += std::exp(double(in[j]) / sqrtD - slope * (t - j) - maxv);
        for (int j = 0; j < T; ++j) {
            const double want = j <= t ? std::exp(double(in[j]) / sqrtD - slope * (t - j) - maxv) / sum : 0.0;
            worst = std::max(worst, std::fabs(row[j] - want));
            if (j > t) CHECK(row[j] == 0.0f);
        }
    }
    std::printf("%s causal softmax: largest |error| %.3g (tolerance 1e-6)\n", k.name, worst);
    CHECK(worst < 1e-6);
    // Softmax backward: ds = p (dp - Σ p dp) / sqrt(d)
    worst = 0;
    for (int n : {1, 7, 8, 33}) {
        std::vector<float> p = randomVector(size_t(T), 50, 1.0f), ds = randomVector(size_t(T), 51, 1.0f);
        const std::vector<float> dp = ds;
        k.softmaxBackward(ds.data(), p.data(), n, T, 1.0f / sqrtD);
        double dot = 0;
        for (int j = 0; j < n; ++j) dot += double(p[j]) * dp[j];
        for (int j = 0; j < T; ++j) {
            const double want = j < n ? p[j] * (dp[j] - dot) / sqrtD : 0.0;
            worst = std::max(worst, std::fabs(ds[j] - want));
        }
    }
    std::printf("%s softmax backward: largest |error| %.3g (tolerance 1e-5)\n", k.name, worst);
    CHECK(worst < 1e-5);
    // SwiGLU forward and backward, relative to the largest magnitude
    const long n = 1001;
    const std::vector<float> a = randomVector(size_t(n), 60, 4.0f), b = randomVector(size_t(n), 61, 1.0f),
                             dg = randomVector(size_t(n), 62, 1.0f);
    std::vector<float> g(static_cast<size_t>(n)), da(static_cast<size_t>(n)), db(static_cast<size_t>(n));
    k.swigluForward(g.data(), a.data(), b.data(), n);
    k.swigluBackward(da.data(), db.data(), dg.data(), a.data(), b.data(), n);
    worst = 0;
    for (long i = 0; i < n; ++i) {
        const double s = sigmoid(a[size_t(i)]), silu = a[size_t(i)] * s;
        const auto rel = [](double got, double want) { return std::fabs(got - want) / std::max(1.0, std::fabs(want)); };
        worst = std::max(worst, rel(g[size_t(i)], silu * b[size_t(i)]));
        worst = std::max(worst, rel(da[size_t(i)], dg[size_t(i)] * b[size_t(i)] * s * (1 + a[size_t(i)] * (1 - s))));
        worst = std::max(worst, rel(db[size_t(i)], dg[size_t(i)] * silu));
    }
    // a few float roundings of products up to ~10 in magnitude
    std::printf("%s swiglu forward and backward: largest error %.3g (tolerance 2e-6)\n", k.name, worst);
    CHECK(worst < 2e-6);
    // GPT-2's GELU (tanh form) and its derivative, against activation.cpp's (std::tanh)
    {
        std::vector<float> ga(static_cast<size_t>(n)), gda(static_cast<size_t>(n));
        k.geluTanhForward(ga.data(), a.data(), n);
        k.geluTanhBackward(gda.data(), dg.data(), a.data(), n);
        worst = 0;
        for (long i = 0; i < n; ++i) {
            const anatomy::ActivationPoint v = anatomy::evaluateActivation(anatomy::Activation::GeluTanh, {}, a[size_t(i)]);
            worst = std::max(worst, double(std::fabs(ga[size_t(i)] - v.value)) / std::max(1.0f, std::fabs(v.value)));
            worst = std::max(worst, double(std::fabs(gda[size_t(i)] - dg[size_t(i)] * v.derivative)) /
                                        std::max(1.0f, std::fabs(dg[size_t(i)] * v.derivative)));
        }
        // tanh from the polynomial exp: ~2e-7 absolute in tanh, times |a| up to ~12 here
        std::printf("%s gelu-tanh forward and backward: largest error %.3g (tolerance 1e-5)\n", k.name, worst);
        CHECK(worst < 1e-5);
    }
    // Cross-entropy of a row of 517 logits: the loss and the gradient scale (softmax - onehot)
    const int V = 517, y = 300;
    std::vector<float> z = randomVector(size_t(V), 70, 5.0f);
    const std::vector<float> zin = z;
    double maxv = -1e30, sum = 0;
    for (float v : zin) maxv = std::max(maxv, double(v));
    for (float v : zin) sum += std::exp(v - maxv);
    const double loss = std::log(sum) + maxv - zin[y];
    const double lossOnly = k.crossEntropyRow(z.data(), y, V);
    const double lossGrad = k.crossEntropyGradRow(z.data(), y, V, 0.5f);
    worst = 0;
    for (int i = 0; i < V; ++i)
        worst = std::max(worst, std::fabs(z[size_t(i)] - 0.5 * (std::exp(zin[size_t(i)] - maxv) / sum - (i == y))));
    std::printf("%s cross-entropy: loss relative error %.3g, %.3g; gradient |error| %.3g (tolerances 1e-6, 1e-7)\n",
                k.name, std::fabs(lossOnly - loss) / loss, std::fabs(lossGrad - loss) / loss, worst);
    CHECK(std::fabs(lossOnly - loss) / loss < 1e-6);
    CHECK(std::fabs(lossGrad - loss) / loss < 1e-6);
    CHECK(worst < 1e-7);
}

}  // namespace

TEST_CASE("training's row loops equal their formulas in the baseline and AVX2 builds", "[train][kernels]") {
    checkTable(trainRowKernelsBaseline());
    if (const TrainRowKernels* avx2 = trainRowKernelsAvx2()) checkTable(*avx2);
    else WARN("no AVX2 + FMA on this CPU: only the baseline build is checked");
}
