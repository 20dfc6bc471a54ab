// Norms and FFN activations of the architecture simulator, against hand-computed values.
#include <catch2/catch.hpp>

#include <cmath>

#include "anatomy/activation.h"
#include "norm/norm.h"
#include "engine/sim_test_util.h"

using namespace anatomy;

TEST_CASE("RMSNorm and LayerNorm of a hand-computed vector", "[sim]") {
    const float x[4] = {1, 2, 3, 4}, g[4] = {1, 1, 2, 1};
    float o[4];
    rmsNorm(o, x, g, 4, 0.0f);  // rms = sqrt(30/4) = 2.738613
    CHECK(o[0] == Approx(1 / 2.738613f));
    CHECK(o[2] == Approx(2 * 3 / 2.738613f));
    layerNorm(o, x, g, 4, 0.0f);  // mean 2.5, var 1.25
    CHECK(o[0] == Approx(-1.5f / std::sqrt(1.25f)));
    CHECK(o[2] == Approx(2 * 0.5f / std::sqrt(1.25f)));
    CHECK(o[3] == Approx(1.5f / std::sqrt(1.25f)));
    // eps matters for a tiny vector: (1e-3)/sqrt(1e-6 + 1e-2) ~ 0.01
    const float tiny[2] = {1e-3f, -1e-3f};
    float t[2];
    applyNorm(NormType::Rms, t, tiny, nullptr, 2, 1e-2f);
    CHECK(t[0] == Approx(1e-3f / std::sqrt(1e-6f + 1e-2f)));
    CHECK(deepNormAlpha(5) == Approx(std::pow(10.0f, 0.25f)));  // (2N)^(1/4)
}

TEST_CASE("activations and their derivatives at hand-computed points", "[sim]") {
    ActivationParams p;
    p.leakySlope = 0.1f;
    p.eluAlpha = 1.0f;
    p.swishBeta = 2.0f;
    CHECK(evaluateActivation(Activation::Silu, p, 1.0f).value == Approx(0.7310586f));
    CHECK(evaluateActivation(Activation::GeluErf, p, 1.0f).value == Approx(0.8413447f));
    CHECK(evaluateActivation(Activation::GeluTanh, p, 1.0f).value == Approx(0.8411920f));
    CHECK(evaluateActivation(Activation::GeluErf, p, -1.0f).value == Approx(-0.1586553f));
    CHECK(evaluateActivation(Activation::Relu, p, -1.0f).value == 0.0f);
    CHECK(evaluateActivation(Activation::Relu, p, 2.0f).value == 2.0f);
    CHECK(evaluateActivation(Activation::LeakyRelu, p, -2.0f).value == Approx(-0.2f));
    CHECK(evaluateActivation(Activation::Elu, p, -1.0f).value == Approx(std::exp(-1.0f) - 1.0f));
    CHECK(evaluateActivation(Activation::Swish, p, 1.0f).value == Approx(0.8807971f));  // σ(2)
    CHECK(evaluateActivation(Activation::Silu, p, 0.0f).derivative == Approx(0.5f));
    // Every derivative agrees with a central difference.
    for (Activation a : {Activation::Silu, Activation::GeluTanh, Activation::GeluErf, Activation::Relu,
                         Activation::LeakyRelu, Activation::Elu, Activation::Swish})
        for (float x : {-2.5f, -0.7f, 0.3f, 1.9f}) {
            const float h = 1e-3f;
            const float fd = (evaluateActivation(a, p, x + h).value - evaluateActivation(a, p, x - h).value) / (2 * h);
            INFO("activation " << int(a) << " at " << x);
            CHECK(evaluateActivation(a, p, x).derivative == Approx(fd).margin(2e-3));
        }
}

TEST_CASE("the gated activation multiplies by the up projection, silu as llama2.c", "[sim]") {
    float gate[3] = {-1.0f, 0.5f, 2.0f};
    const float up[3] = {2.0f, -1.0f, 0.5f};
    float expect[3];
    for (int i = 0; i < 3; ++i) expect[i] = gate[i] * (1.0f / (1.0f + std::exp(-gate[i]))) * up[i];
    gatedActivation(Activation::Silu, {}, gate, up, 3);
    for (int i = 0; i < 3; ++i) CHECK(gate[i] == expect[i]);
    float g2[2] = {-1.0f, 3.0f};
    gatedActivation(Activation::Relu, {}, g2, up, 2);
    CHECK(g2[0] == 0.0f);
    CHECK(g2[1] == -3.0f);
}

TEST_CASE("post-norm keeps every layer's output residual at unit RMS", "[sim]") {
    // x = N(x + F(x)) with the learned gain: the residual's RMS is the gain's RMS-weighted size,
    // and with LayerNorm the residual's mean is zero at every position.
    auto model = simtest::model260K();
    const auto ids = simtest::tokens(20);
    auto tr = traceTokens(model, ids, CaptureSpec::everything(),
                          simtest::settings({"norm.placement=post", "norm.type=layer", "norm.eps=1e-9"}));
    REQUIRE(describe(tr->settings) == "norm.placement=post, norm.type=layer, norm.eps=1e-09");
    REQUIRE(tr->settings == simtest::settings({"norm.placement=post", "norm.type=layer", "norm.eps=1e-9"}));
    // Pre-norm lets the residual grow; post-norm bounds it by the gain.
    auto pre = traceTokens(model, ids, CaptureSpec::everything());
    const int L = model->config.nLayers;
    float maxPost = 0, maxPre = 0;
    for (int q = 0; q < 20; ++q) {
        maxPost = std::max(maxPost, tr->residRmsOut.at({L - 1, q}));
        maxPre = std::max(maxPre, pre->residRmsOut.at({L - 1, q}));
    }
    float gainRms = 0;
    for (int i = 0; i < model->config.dim; ++i) gainRms += model->layers[L - 1].rmsFfn[i] * model->layers[L - 1].rmsFfn[i];
    gainRms = std::sqrt(gainRms / float(model->config.dim));
    std::printf("[sim] last-layer residual RMS: pre-norm max %.3f, post-norm max %.3f (bound: max |g| = ffn gain)\n", maxPre, maxPost);
    float maxGain = 0;
    for (int i = 0; i < model->config.dim; ++i) maxGain = std::max(maxGain, std::fabs(model->layers[L - 1].rmsFfn[i]));
    CHECK(maxPost <= maxGain * 1.0001f);
    CHECK(gainRms > 0);
}
