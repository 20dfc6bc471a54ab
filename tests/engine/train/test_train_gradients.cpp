// Finite-difference checks of every training op and of the whole model: the analytic gradient
// of L = Σ dY ⊙ op(X) equals (L(x + h) - L(x - h)) / 2h, in float, within a printed tolerance.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <functional>
#include <random>
#include <vector>

#include "train/train_model.h"
#include "train/train_ops.h"

using namespace anatomy;
using namespace anatomy::training;

namespace {

std::vector<float> randomVector(size_t n, uint32_t seed, float scale = 1.0f) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> nd(0.0f, scale);
    std::vector<float> v(n);
    for (float& x : v) x = nd(rng);
    return v;
}

double dotD(const std::vector<float>& a, const std::vector<float>& b) {
    double s = 0;
    for (size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
    return s;
}

// Checks analytic[i] against central differences of loss() over x[i] at a few indices.
// Returns the largest relative error |fd - an| / max(|fd|, floor).
double checkFd(std::vector<float>& x, const std::vector<float>& analytic, const std::function<double()>& loss,
               const char* what, float h = 1e-2f, double floor = 1e-2) {
    double worst = 0;
    const size_t stride = std::max<size_t>(1, x.size() / 23);
    for (size_t i = 0; i < x.size(); i += stride) {
        const float keep = x[i];
        x[i] = keep + h;
        const double up = loss();
        x[i] = keep - h;
        const double down = loss();
        x[i] = keep;
        const double fd = (up - down) / (2.0 * h);
        worst = std::max(worst, std::fabs(fd - analytic[i]) / std::max(std::fabs(fd), floor));
    }
    std::printf("finite differences, %s: largest relative error %.3g\n", what, worst);
    return worst;
}

}  // namespace

TEST_CASE("linear backward matches finite differences", "[train]") {
    const int N = 5, rows = 7, cols = 9;
    std::vector<float> X = randomVector(size_t(N) * cols, 1), W = randomVector(size_t(rows) * cols, 2),
                       dY = randomVector(size_t(N) * rows, 3), Y(size_t(N) * rows);
    auto loss = [&] {
        linearForward(Y.data(), X.data(), W.data(), N, rows, cols);
        return dotD(Y, dY);
    };
    std::vector<float> dX(X.size(), 0.5f), dW(W.size());
    linearBackward(dX.data(), true, dW.data(), dY.data(), X.data(), W.data(), N, rows, cols);
    for (float& v : dX) v -= 0.5f;  // accumulate added onto what was there
    // L is linear in X and in W: a large step has no truncation error, only rounding.
    CHECK(checkFd(X, dX, loss, "linear dX", 0.25f) < 1e-3);
    CHECK(checkFd(W, dW, loss, "linear dW", 0.25f) < 1e-3);
}

TEST_CASE("RMSNorm backward matches finite differences", "[train]") {
    const int N = 4, n = 16;
    std::vector<float> X = randomVector(size_t(N) * n, 4), g = randomVector(size_t(n), 5),
                       dY = randomVector(size_t(N) * n, 6), Y(X.size()), r(static_cast<size_t>(N));
    auto loss = [&] {
        rmsNormForward(Y.data(), r.data(), X.data(), g.data(), N, n, 1e-5f);
        return dotD(Y, dY);
    };
    loss();
    std::vector<float> dX(X.size(), 0.0f), dg(g.size());
    rmsNormBackward(dX.data(), dg.data(), dY.data(), X.data(), r.data(), g.data(), N, n);
    CHECK(checkFd(X, dX, loss, "rmsnorm dX", 1e-2f) < 5e-3);
    CHECK(checkFd(g, dg, loss, "rmsnorm dg") < 2e-3);
}

TEST_CASE("LayerNorm backward matches finite differences", "[train]") {
    const int N = 4, n = 16;
    std::vector<float> X = randomVector(size_t(N) * n, 24), g = randomVector(size_t(n), 25),
                       dY = randomVector(size_t(N) * n, 26), Y(X.size()), mean(static_cast<size_t>(N)),
                       r(static_cast<size_t>(N));
    auto loss = [&] {
        layerNormForward(Y.data(), mean.data(), r.data(), X.data(), g.data(), N, n, 1e-5f);
        return dotD(Y, dY);
    };
    loss();
    std::vector<float> dX(X.size(), 0.0f), dg(g.size());
    layerNormBackward(dX.data(), dg.data(), dY.data(), X.data(), mean.data(), r.data(), g.data(), N, n);
    CHECK(checkFd(X, dX, loss, "layernorm dX", 1e-2f) < 5e-3);
    CHECK(checkFd(g, dg, loss, "layernorm dg") < 2e-3);
}

TEST_CASE("RoPE backward is the inverse rotation and matches finite differences", "[train]") {
    const int T = 6, B = 2, N = B * T, nHeads = 2, hs = 8;
    std::vector<float> cosT, sinT;
    ropeTables(cosT, sinT, T, hs, 10000.0f);
    std::vector<float> X = randomVector(size_t(N) * nHeads * hs, 7), dY = randomVector(X.size(), 8), Y(X.size());
    auto loss = [&] {
        Y = X;
        ropeApply(Y.data(), N, T, nHeads, hs, cosT.data(), sinT.data(), false);
        return dotD(Y, dY);
    };
    std::vector<float> dX = dY;
    ropeApply(dX.data(), N, T, nHeads, hs, cosT.data(), sinT.data(), true);
    CHECK(checkFd(X, dX, loss, "rope dX") < 2e-3);
    // Rotating forward then back gives the input again.
    std::vector<float> round = X;
    ropeApply(round.data(), N, T, nHeads, hs, cosT.data(), sinT.data(), false);
    ropeApply(round.data(), N, T, nHeads, hs, cosT.data(), sinT.data(), true);
    double err = 0;
    for (size_t i = 0; i < X.size(); ++i) err = std::max(err, double(std::fabs(round[i] - X[i])));
    CHECK(err < 1e-5);
}

TEST_CASE("causal attention backward matches finite differences (GQA)", "[train]") {
    const int B = 2, T = 5, nHeads = 4, nKv = 2, hs = 8, N = B * T;
    std::vector<float> Q = randomVector(size_t(N) * nHeads * hs, 9), K = randomVector(size_t(N) * nKv * hs, 10),
                       V = randomVector(size_t(N) * nKv * hs, 11), dO = randomVector(Q.size(), 12), O(Q.size()),
                       P(size_t(B) * nHeads * T * T);
    auto loss = [&] {
        attentionForward(O.data(), P.data(), Q.data(), K.data(), V.data(), B, T, nHeads, nKv, hs);
        return dotD(O, dO);
    };
    loss();
    std::vector<float> dQ(Q.size()), dK(K.size()), dV(V.size());
    attentionBackward(dQ.data(), dK.data(), dV.data(), dO.data(), P.data(), Q.data(), K.data(), V.data(), B, T,
                      nHeads, nKv, hs);
    CHECK(checkFd(Q, dQ, loss, "attention dQ") < 5e-3);
    CHECK(checkFd(K, dK, loss, "attention dK") < 5e-3);
    CHECK(checkFd(V, dV, loss, "attention dV") < 5e-3);
    // Causality: the first position's output depends on the first key only.
    CHECK(P[1] == 0.0f);
}

TEST_CASE("SwiGLU backward matches finite differences", "[train]") {
    const long n = 50;
    std::vector<float> A = randomVector(size_t(n), 13, 2.0f), Bv = randomVector(size_t(n), 14), dG = randomVector(size_t(n), 15),
                       G(static_cast<size_t>(n));
    auto loss = [&] {
        swigluForward(G.data(), A.data(), Bv.data(), n);
        return dotD(G, dG);
    };
    std::vector<float> dA(static_cast<size_t>(n)), dB(static_cast<size_t>(n));
    swigluBackward(dA.data(), dB.data(), dG.data(), A.data(), Bv.data(), n);
    CHECK(checkFd(A, dA, loss, "swiglu da", 1e-3f) < 5e-3);
    CHECK(checkFd(Bv, dB, loss, "swiglu db") < 2e-3);
}

TEST_CASE("gated FFN backward matches finite differences for every activation", "[train]") {
    const long n = 40;
    for (Activation f : {Activation::GeluTanh, Activation::GeluErf, Activation::Relu, Activation::LeakyRelu,
                         Activation::Elu, Activation::Swish}) {
        ActivationParams p;
        p.leakySlope = 0.1f;
        p.eluAlpha = 0.7f;
        p.swishBeta = 1.5f;
        std::vector<float> A = randomVector(size_t(n), 27, 2.0f), Bv = randomVector(size_t(n), 28),
                           dG = randomVector(size_t(n), 29), G(static_cast<size_t>(n));
        // Keep ReLU's kink away from the finite-difference steps.
        for (float& a : A)
            if (std::fabs(a) < 0.01f) a = 0.5f;
        auto loss = [&] {
            gatedForward(f, p, G.data(), A.data(), Bv.data(), n);
            return dotD(G, dG);
        };
        std::vector<float> dA(static_cast<size_t>(n)), dB(static_cast<size_t>(n));
        gatedBackward(f, p, dA.data(), dB.data(), dG.data(), A.data(), Bv.data(), n);
        CHECK(checkFd(A, dA, loss, "gated da", 1e-3f) < 5e-3);
        CHECK(checkFd(Bv, dB, loss, "gated db") < 2e-3);
    }
}

TEST_CASE("cross-entropy gradient matches finite differences and the loss is log(V) for flat logits", "[train]") {
    const int N = 3, V = 11;
    std::vector<float> z = randomVector(size_t(N) * V, 16);
    const std::vector<int> y = {0, 5, 10};
    auto loss = [&] { return crossEntropy(z.data(), y.data(), N, V); };
    std::vector<float> dz = z;
    const double l = crossEntropyForwardBackward(dz.data(), y.data(), N, V);
    CHECK(l == Approx(loss()).epsilon(1e-12));
    CHECK(checkFd(z, dz, loss, "cross-entropy dz", 1e-3f, 1e-3) < 5e-3);
    std::vector<float> flat(size_t(N) * V, 0.25f);
    CHECK(crossEntropy(flat.data(), y.data(), N, V) == Approx(std::log(double(V))).epsilon(1e-9));
}

TEST_CASE("the whole model's gradients match finite differences (tied/untied, pre/post, RMS/Layer, positions, activations, GQA)",
          "[train]") {
    using P = PositionEncoding;
    using A = Activation;
    const struct {
        bool tied;
        NormPlacement placement;
        NormType norm;
        PositionEncoding pos;
        Activation act;
        const char* name;
    } variants[] = {{true, NormPlacement::Pre, NormType::Rms, P::Rope, A::Silu, "tied pre rms rope silu"},
                    {false, NormPlacement::Pre, NormType::Rms, P::Rope, A::GeluTanh, "untied pre rms rope gelu-tanh"},
                    {true, NormPlacement::Post, NormType::Rms, P::Alibi, A::Silu, "tied post rms alibi silu"},
                    {false, NormPlacement::Post, NormType::Layer, P::Rope, A::GeluErf, "untied post layer rope gelu-erf"},
                    {true, NormPlacement::Pre, NormType::Layer, P::None, A::Swish, "tied pre layer none swish"},
                    {false, NormPlacement::Sandwich, NormType::Rms, P::Rope, A::Silu, "untied sandwich rms rope silu"},
                    {true, NormPlacement::DeepNorm, NormType::Layer, P::Rope, A::Silu, "tied deepnorm layer rope silu"}};
    for (const auto& variant : variants) {
        const bool tied = variant.tied;
        TrainShape s;
        s.placement = variant.placement;
        s.normType = variant.norm;
        s.positions = variant.pos;
        s.activation = variant.act;
        s.activationParams.swishBeta = 1.7f;
        s.deepNormAlpha = 1.3f;
        s.dim = 16;
        s.nLayers = 2;
        s.nHeads = 4;
        s.nKvHeads = 2;
        s.hidden = 24;
        s.vocab = 13;
        s.context = 8;
        s.tiedClassifier = tied;
        std::vector<float> params;
        initialise(s, params, 7);
        // Larger weights than the initialisation, so every term of the gradient is sizeable.
        std::vector<float> noise = randomVector(params.size(), 17, 0.3f);
        for (size_t i = 0; i < params.size(); ++i) params[i] += noise[i];
        const int B = 2, T = 6;
        std::vector<int> tokens(size_t(B) * T), targets(size_t(B) * T);
        for (size_t i = 0; i < tokens.size(); ++i) {
            tokens[i] = int((i * 7 + 3) % size_t(s.vocab));
            targets[i] = int((i * 5 + 1) % size_t(s.vocab));
        }
        const Tensors w = bind(s, params.data());
        Activations act;
        std::vector<float> grads(params.size());
        forward(s, w, tokens.data(), targets.data(), B, T, act);
        backward(s, w, bind(s, grads.data()), tokens.data(), targets.data(), act);
        auto loss = [&] { return forward(s, w, tokens.data(), targets.data(), B, T, act); };
        for (const TensorInfo& t : tensorList(s)) {
            size_t n = 1;
            for (int d : t.shape) n *= size_t(d);
            std::vector<float> x(params.begin() + long(t.offset), params.begin() + long(t.offset + n));
            std::vector<float> an(grads.begin() + long(t.offset), grads.begin() + long(t.offset + n));
            // Finite differences on the model's own storage, through a view of this tensor.
            double worst = 0;
            const size_t stride = std::max<size_t>(1, n / 7);
            const float h = 1e-2f;
            for (size_t i = 0; i < n; i += stride) {
                float& p = params[t.offset + i];
                const float keep = p;
                auto central = [&](float step) {
                    p = keep + step;
                    const double up = loss();
                    p = keep - step;
                    const double down = loss();
                    p = keep;
                    return (up - down) / (2.0 * double(step));
                };
                // Richardson: (4 D(h/2) - D(h)) / 3 cancels the h² term of the central difference.
                const double fd = (4.0 * central(h / 2) - central(h)) / 3.0;
                worst = std::max(worst, std::fabs(fd - an[i]) / std::max(std::fabs(fd), 1e-2));
            }
            std::printf("finite differences, model (%s) %s: largest relative error %.3g\n", variant.name,
                        t.name.c_str(), worst);
            CHECK(worst < 2e-2);
        }
    }
}
