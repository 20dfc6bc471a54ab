// MoEfication of the dense FFN: clustering, routing, capacity, and k = E reproducing the model.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include "ffn/moe.h"
#include "engine/sim_test_util.h"

using namespace anatomy;
using namespace simtest;

TEST_CASE("balanced k-means splits two obvious clusters and keeps sizes equal", "[sim]") {
    const std::vector<float> pts = {0, 0.1f, 0.2f, 10, 10.1f, 10.2f};  // 6 points in 1D
    const auto a = balancedKMeans(pts, 6, 1, 2, 7);
    CHECK(a[0] == a[1]);
    CHECK(a[1] == a[2]);
    CHECK(a[3] == a[4]);
    CHECK(a[4] == a[5]);
    CHECK(a[0] != a[3]);
    // Three points near 0 and one far away: balance forces 2 + 2.
    const auto b = balancedKMeans({0, 0.1f, 0.2f, 10}, 4, 1, 2, 3);
    CHECK(std::count(b.begin(), b.end(), 0) == 2);
    CHECK(std::count(b.begin(), b.end(), 1) == 2);
    // Deterministic for a seed.
    CHECK(balancedKMeans(pts, 6, 1, 3, 11) == balancedKMeans(pts, 6, 1, 3, 11));
}

TEST_CASE("MoE with k = E and unit gates is the dense FFN", "[sim]") {
    const auto ids = tokens(50);
    const auto ref = logits(SimSettings{}, ids);
    for (const char* e : {"moe.experts=4", "moe.experts=7"}) {
        SimSettings s = settings({e});
        s.moe.topK = s.moe.experts;
        const float d = maxAbsDiff(logits(s, ids), ref);
        std::printf("[sim] MoE %s k=E vs dense: max |dlogit| %.3g (tolerance 1e-5)\n", e, d);
        CHECK(d <= 1e-5f);
    }
    const auto experts = buildMoe(*model260K(), settings({"moe.experts=4"}).moe);
    REQUIRE(experts.size() == 5);
    for (const auto& m : experts) {
        CHECK(std::accumulate(m.unitsPerExpert.begin(), m.unitsPerExpert.end(), 0) == 172);
        for (int n : m.unitsPerExpert) CHECK((n == 43));
    }
}

TEST_CASE("the routing record: chosen experts, load, importance CV, active parameters", "[sim]") {
    const int T = 40;
    auto tr = traceTokens(model260K(), tokens(T), CaptureSpec::everything(), settings({"moe.experts=4", "moe.k=1"}));
    REQUIRE(tr->moe.size() == 5);
    for (const auto& m : tr->moe) {
        REQUIRE(m.routerLogits.shape == std::vector<int64_t>{T, 4});
        // Top-1: the chosen expert is the argmax of the router logits; loads add up to T.
        for (int t = 0; t < T; ++t) {
            int best = 0;
            for (int e = 1; e < 4; ++e)
                if (m.routerLogits.at({t, e}) > m.routerLogits.at({t, best})) best = e;
            CHECK(m.chosen.at({t, 0}) == best);
        }
        CHECK(std::accumulate(m.expertLoad.data.begin(), m.expertLoad.data.end(), 0) == T);
        // CV of importance recomputed from the router logits.
        std::vector<double> imp(4, 0.0);
        for (int t = 0; t < T; ++t) {
            double z = 0;
            for (int e = 0; e < 4; ++e) z += std::exp(double(m.routerLogits.at({t, e})));
            for (int e = 0; e < 4; ++e) imp[size_t(e)] += std::exp(double(m.routerLogits.at({t, e}))) / z;
        }
        const double mean = (imp[0] + imp[1] + imp[2] + imp[3]) / 4;
        double var = 0;
        for (double v : imp) var += (v - mean) * (v - mean);
        CHECK(m.importanceCv == Approx(std::sqrt(var / 4) / mean).margin(1e-4));
        // A quarter of the units per token, plus the router.
        CHECK(m.totalFfnParams == 3 * 64 * 172 + 4 * 64);
        CHECK(m.activeFfnParams == 3 * 64 * 43 + 4 * 64);
        CHECK(m.droppedAssignments == 0);
    }
}

TEST_CASE("expert capacity drops overflowing tokens, noise is seeded", "[sim]") {
    const int T = 40;
    // capacity = ceil(0.5 · 40 · 1 / 4) = 5 tokens per expert: at most 20 of 40 get an expert.
    auto tr = traceTokens(model260K(), tokens(T), CaptureSpec::everything(),
                          settings({"moe.experts=4", "moe.k=1", "moe.capacity=0.5"}));
    for (const auto& m : tr->moe) {
        int processed = 0;
        for (int e = 0; e < 4; ++e) {
            CHECK(m.expertLoad.data[size_t(e)] <= 5);
            processed += m.expertLoad.data[size_t(e)];
        }
        CHECK(m.droppedAssignments == T - processed);
        CHECK(m.droppedAssignments >= 20);
        int flagged = 0;
        for (int v : m.droppedMask.data) flagged += v;
        CHECK(flagged == m.droppedAssignments);
    }
    const auto ids = tokens(30);
    const auto a = logits(settings({"moe.experts=4", "moe.k=1", "moe.noise=1", "moe.seed=5"}), ids);
    CHECK(logits(settings({"moe.experts=4", "moe.k=1", "moe.noise=1", "moe.seed=5"}), ids) == a);
    CHECK(maxAbsDiff(logits(settings({"moe.experts=4", "moe.k=1", "moe.noise=1", "moe.seed=6"}), ids), a) > 0);
}
