// RoPE base and scaling, ALiBi: the per-pair frequencies against hand-computed values, and
// scaling by a factor of 1 is the unscaled model.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <vector>
#include <numbers>

#include "anatomy/alibi.h"
#include "anatomy/rope_scaling.h"
#include "positions/rope.h"
#include "engine/sim_test_util.h"

using namespace anatomy;
using namespace simtest;

TEST_CASE("RoPE scaling frequencies for a head of 8 at base 10000", "[sim]") {
    // θ = 10000^(-2i/8) = 1, 0.1, 0.01, 0.001
    const auto base = ropeBaseFrequencies(8, 10000.0f);
    REQUIRE(base.size() == 4);
    CHECK(base[1] == Approx(0.1f));
    CHECK(base[3] == Approx(0.001f));
    RopeScalingParams p;
    p.factor = 4;
    p.method = RopeScaling::Linear;
    auto f = ropeScaledFrequencies(p, 8, 10000.0f, 512, 0);
    CHECK(f[1] == Approx(0.025f));
    p.method = RopeScaling::Ntk;  // b' = 10000 · 4^(8/6) = 63496.04; θ_1 = b'^(-1/4)
    f = ropeScaledFrequencies(p, 8, 10000.0f, 512, 0);
    CHECK(f[0] == 1.0f);
    CHECK(f[1] == Approx(std::pow(63496.04f, -0.25f)).epsilon(1e-4));
    p.method = RopeScaling::NtkByParts;  // r = 512 θ / 2π = 81.5, 8.15, 0.815, 0.0815
    f = ropeScaledFrequencies(p, 8, 10000.0f, 512, 0);
    const float r1 = 512 * 0.1f / (2 * std::numbers::pi_v<float>);
    const float g1 = (r1 - 1) / 31;  // α = 1, β = 32
    CHECK(f[0] == Approx(1.0f));                        // r > β: kept
    CHECK(f[1] == Approx(0.025f + g1 * 0.075f));         // ramp
    CHECK(f[2] == Approx(0.0025f));                      // r < α: interpolated
    p.method = RopeScaling::Yarn;
    CHECK(ropeScaledFrequencies(p, 8, 10000.0f, 512, 0) == f);
    CHECK(ropeLogitScale(p) == Approx(std::pow(0.1f * std::log(4.0f) + 1.0f, 2.0f)));  // 1.296
    CHECK(ropeLogitScale(p) == Approx(1.2964766f));
    p.method = RopeScaling::Llama3;  // L0 = 2048: high wavelength 512, low 2048
    p.originalContext = 2048;
    f = ropeScaledFrequencies(p, 8, 10000.0f, 512, 0);
    CHECK(f[0] == 1.0f);    // λ = 6.28 < 512: kept
    CHECK(f[1] == 0.1f);    // λ = 62.8 < 512: kept
    const float smooth = (2048 / (2 * std::numbers::pi_v<float> / 0.01f) - 1) / 3;  // λ = 628
    CHECK(f[2] == Approx(0.0025f + smooth * 0.0075f));
    CHECK(f[3] == Approx(0.00025f));  // λ = 6283 > 2048: divided by s
    p.method = RopeScaling::DynamicNtk;  // s' = max(1, s L/L0 - (s-1)) = 4·4096/2048 - 3 = 5
    p.factor = 4;
    CHECK(ropeScaledFrequencies(p, 8, 10000.0f, 512, 1000) == base);  // below L0: unscaled
    f = ropeScaledFrequencies(p, 8, 10000.0f, 512, 4096);
    CHECK(f[1] == Approx(std::pow(10000.0f * std::pow(5.0f, 8.0f / 6.0f), -0.25f)).epsilon(1e-4));
}

TEST_CASE("RoPE scaling with factor 1 is no scaling", "[sim]") {
    const auto ids = tokens(90);
    const std::vector<float> ref = logits(SimSettings{}, ids);
    for (const char* m : {"linear", "ntk", "dynamic-ntk", "ntk-by-parts", "yarn", "llama3"}) {
        SimSettings s;
        applySetting(s, std::string("rope.scaling=") + m);
        applySetting(s, "rope.factor=1");
        INFO(m);
        CHECK(ropeScaledFrequencies(s.ropeScaling, 8, 10000.0f, 512, 512) == ropeBaseFrequencies(8, 10000.0f));
        CHECK(logits(s, ids) == ref);
        applySetting(s, "rope.original=32");
        applySetting(s, "rope.factor=8");
        CHECK(maxAbsDiff(logits(s, ids), ref) > 1e-3f);
    }
}

TEST_CASE("dynamic NTK keeps growing past the original context even at factor 1", "[sim]") {
    // s' = max(1, s L / L0 - (s - 1)): at s = 1 and L = 8 L0 the base grows as for s' = 8.
    RopeScalingParams p;
    p.method = RopeScaling::DynamicNtk;
    p.factor = 1;
    CHECK(ropeScaledFrequencies(p, 8, 10000.0f, 512, 4096) ==
          ropeBaseFrequencies(8, 10000.0f * std::pow(8.0f, 8.0f / 6.0f)));
}

TEST_CASE("ALiBi slopes are geometric, 2^(-8h/H)", "[sim]") {
    const auto m = alibiSlopes(8);
    REQUIRE(m.size() == 8);
    for (int h = 0; h < 8; ++h) CHECK(m[size_t(h)] == std::pow(2.0f, -float(h + 1)));
    const auto m6 = alibiSlopes(6);  // 4 of 2^(-2h), then every other of 2^(-h): 1/2, 1/8
    REQUIRE(m6.size() == 6);
    CHECK(m6[0] == 0.25f);
    CHECK(m6[4] == 0.5f);
    CHECK(m6[5] == 0.125f);
}

TEST_CASE("ALiBi scores in the trace are q.k / sqrt(d) minus slope times distance", "[sim]") {
    auto tr = traceTokens(model260K(), tokens(12), CaptureSpec::everything(), settings({"pos=alibi"}));
    const auto& L = tr->layers[1];
    const float slope = alibiSlopes(8)[5];
    for (int j = 0; j <= 9; ++j) {
        float d = 0;
        for (int i = 0; i < 8; ++i) d += L.q.at({5, 9, i}) * L.k.at({5 / 2, j, i});
        CHECK(L.attnScores.at({5, 9, j}) == Approx(d / std::sqrt(8.0f) - slope * float(9 - j)).margin(1e-5));
    }
}

TEST_CASE("RoPE rows beyond the table are computed on the spot, bit for bit", "[rope][hardening]") {
    // Dual chunk attention reaches a trained context past the last key; a file claiming a
    // 4,194,304-token context must not make the table that long.
    RopeTable small(16, 10000.0f), big(16, 10000.0f);
    small.ensure(8);
    big.ensure(3000);
    for (int pos : {7, 8, 100, 2999}) {
        std::vector<float> a(16), b(16);
        for (int i = 0; i < 16; ++i) a[size_t(i)] = b[size_t(i)] = 0.1f * float(i) - 0.7f;
        small.rotate(a.data(), pos);
        big.rotate(b.data(), pos);
        INFO("position " << pos);
        CHECK(std::memcmp(a.data(), b.data(), sizeof(float) * 16) == 0);
    }
}
