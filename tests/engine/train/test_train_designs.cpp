// Finite-difference checks of the designs beyond the Llama shape: gated attention (head-wise and
// element-wise), plain FFNs, the mixture of experts (router, gates, capacity, auxiliary loss) and
// learned / sinusoidal positions, op by op and through the whole model.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <functional>
#include <random>
#include <vector>

#include "train/train_model.h"
#include "train/train_moe.h"
#include "train/train_ops.h"

using namespace anatomy;
using namespace anatomy::training;

namespace {

std::vector<float> randomValues(size_t n, uint32_t seed, float scale = 1.0f) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> nd(0.0f, scale);
    std::vector<float> v(n);
    for (float& x : v) x = nd(rng);
    return v;
}

double dot(const std::vector<float>& a, const std::vector<float>& b) {
    double s = 0;
    for (size_t i = 0; i < a.size(); ++i) s += double(a[i]) * b[i];
    return s;
}

// Largest relative error of analytic against Richardson-extrapolated central differences of loss()
// over a sample of x's entries.
double worstFd(std::vector<float>& x, const std::vector<float>& analytic, const std::function<double()>& loss,
               const std::string& what, float h = 1e-2f) {
    double worst = 0;
    const size_t stride = std::max<size_t>(1, x.size() / 17);
    for (size_t i = 0; i < x.size(); i += stride) {
        const float keep = x[i];
        auto central = [&](float step) {
            x[i] = keep + step;
            const double up = loss();
            x[i] = keep - step;
            const double down = loss();
            x[i] = keep;
            return (up - down) / (2.0 * double(step));
        };
        const double fd = (4.0 * central(h / 2) - central(h)) / 3.0;
        worst = std::max(worst, std::fabs(fd - analytic[i]) / std::max(std::fabs(fd), 1e-2));
    }
    std::printf("finite differences, %s: largest relative error %.3g\n", what.c_str(), worst);
    return worst;
}

}  // namespace

TEST_CASE("attention gate backward matches finite differences (head-wise and element-wise)", "[train][design]") {
    const int N = 5, nHeads = 3, hs = 4, qDim = nHeads * hs;
    for (int width : {nHeads, qDim}) {
        std::vector<float> O = randomValues(size_t(N) * qDim, 1), pre = randomValues(size_t(N) * width, 2),
                           dY = randomValues(size_t(N) * qDim, 3), Y(O.size()), S(pre.size());
        auto loss = [&] {
            for (size_t i = 0; i < pre.size(); ++i) S[i] = 1.0f / (1.0f + std::exp(-pre[i]));
            attentionGateApply(Y.data(), O.data(), S.data(), N, qDim, width);
            return dot(Y, dY);
        };
        loss();
        std::vector<float> dO(O.size()), dPre(pre.size());
        attentionGateBackward(dO.data(), dPre.data(), dY.data(), O.data(), S.data(), N, qDim, width);
        const std::string kind = width == nHeads ? "head-wise" : "element-wise";
        CHECK(worstFd(O, dO, loss, kind + " gate dO") < 1e-3);
        CHECK(worstFd(pre, dPre, loss, kind + " gate dpre") < 1e-3);
    }
}

TEST_CASE("BatchNorm backward matches finite differences, running statistics follow PyTorch's update", "[train][design]") {
    const int N = 6, n = 5;
    std::vector<float> X = randomValues(size_t(N) * n, 30), g = randomValues(size_t(n), 31),
                       dY = randomValues(size_t(N) * n, 32), Y(X.size()), mean(static_cast<size_t>(n)), r(static_cast<size_t>(n)),
                       runMean(size_t(n), 0.0f), runVar(size_t(n), 1.0f);
    auto loss = [&] {
        batchNormForward(Y.data(), mean.data(), r.data(), X.data(), g.data(), N, n, 1e-5f, runMean.data(),
                         runVar.data(), true, false);
        return dot(Y, dY);
    };
    loss();
    std::vector<float> dX(X.size(), 0.0f), dg(g.size());
    batchNormBackward(dX.data(), dg.data(), dY.data(), X.data(), mean.data(), r.data(), g.data(), N, n);
    CHECK(worstFd(X, dX, loss, "batchnorm dX") < 5e-3);
    CHECK(worstFd(g, dg, loss, "batchnorm dg") < 2e-3);
    CHECK(runMean[0] == 0.0f);  // update = false left them
    // One training step: running = 0.9 running + 0.1 (batch mean, unbiased batch variance).
    batchNormForward(Y.data(), mean.data(), r.data(), X.data(), g.data(), N, n, 1e-5f, runMean.data(), runVar.data(),
                     true, true);
    double mu = 0, var = 0;
    for (int row = 0; row < N; ++row) mu += X[size_t(row) * n];
    mu /= N;
    for (int row = 0; row < N; ++row) var += (X[size_t(row) * n] - mu) * (X[size_t(row) * n] - mu);
    CHECK(runMean[0] == Approx(0.1 * mu).epsilon(1e-5));
    CHECK(runVar[0] == Approx(0.9 + 0.1 * var / (N - 1)).epsilon(1e-5));
    // Evaluation normalises with the running statistics.
    batchNormForward(Y.data(), mean.data(), r.data(), X.data(), g.data(), N, n, 1e-5f, runMean.data(), runVar.data(),
                     false, false);
    CHECK(Y[0] == Approx(g[0] * (X[0] - runMean[0]) / std::sqrt(runVar[0] + 1e-5f)).epsilon(1e-5));
}

TEST_CASE("plain FFN activation backward matches finite differences", "[train][design]") {
    const long n = 40;
    for (Activation f : {Activation::GeluTanh, Activation::GeluErf, Activation::Relu, Activation::Silu}) {
        std::vector<float> A = randomValues(size_t(n), 4, 2.0f), dG = randomValues(size_t(n), 5), G(size_t(n), 0.0f);
        for (float& a : A)
            if (std::fabs(a) < 0.05f) a = 0.5f;  // away from ReLU's kink
        auto loss = [&] {
            activationForward(f, {}, G.data(), A.data(), n);
            return dot(G, dG);
        };
        std::vector<float> dA(static_cast<size_t>(n));
        activationBackward(f, {}, dA.data(), dG.data(), A.data(), n);
        CHECK(worstFd(A, dA, loss, "plain activation da", 1e-3f) < 5e-3);
    }
}

TEST_CASE("MoE backward matches finite differences (gates, capacity, auxiliary loss)", "[train][design]") {
    const struct {
        MoeGate gate;
        int k;
        float capacity;
        bool gated;
        const char* name;
    } variants[] = {{MoeGate::Prob, 2, 1.0f, true, "switch gates top-2, capacity 1"},
                    {MoeGate::Softmax, 2, 0.0f, true, "softmax gates top-2"},
                    {MoeGate::Prob, 1, 1.25f, false, "top-1 plain experts, capacity 1.25"},
                    {MoeGate::One, 2, 0.0f, true, "unit gates (router trained by the auxiliary loss only)"}};
    for (const auto& v : variants) {
        TrainShape s;
        s.dim = 8;
        s.hidden = 6;
        s.gatedFfn = v.gated;
        s.moe.experts = 4;
        s.moe.topK = v.k;
        s.moe.gate = v.gate;
        s.moe.capacityFactor = v.capacity;
        s.moe.noiseStd = 0.5f;
        const int B = 2, T = 6, N = B * T, E = 4, dim = s.dim, hid = s.hidden;
        const double aux = 0.3;
        std::vector<float> H = randomValues(size_t(N) * dim, 6), router = randomValues(size_t(E) * dim, 7),
                           w1 = randomValues(size_t(E) * hid * dim, 8, 0.5f),
                           w2 = randomValues(size_t(E) * dim * hid, 9, 0.5f),
                           w3 = randomValues(size_t(E) * hid * dim, 10, 0.5f), dY = randomValues(size_t(N) * dim, 11),
                           noise = randomValues(size_t(N) * E, 12), Y(size_t(N) * dim);
        MoeActivations act;
        auto loss = [&] {
            moeForward(s, Y.data(), act, H.data(), {router.data(), w1.data(), w2.data(), w3.data()}, noise.data(), B,
                       T, aux);
            return dot(Y, dY) + act.aux;
        };
        loss();
        if (v.capacity == 1.0f) CHECK(act.dropped > 0);  // the case the capacity is there for
        std::vector<float> dH(H.size()), dR(router.size()), dW1(w1.size()), dW2(w2.size()), dW3(w3.size());
        moeBackward(s, dH.data(), {dR.data(), dW1.data(), dW2.data(), dW3.data()}, dY.data(), act, H.data(),
                    {router.data(), w1.data(), w2.data(), w3.data()}, B, T, aux);
        // Steps of 1e-2: larger ones can swap a top-k choice (the loss jumps), smaller ones drown in
        // float rounding.
        const std::string name = v.name;
        CHECK(worstFd(H, dH, loss, name + " dH", 1e-2f) < 3e-2);
        CHECK(worstFd(router, dR, loss, name + " dRouter", 1e-2f) < 3e-2);
        CHECK(worstFd(w1, dW1, loss, name + " dW1", 1e-2f) < 3e-2);
        CHECK(worstFd(w2, dW2, loss, name + " dW2", 1e-2f) < 3e-2);
        if (v.gated) CHECK(worstFd(w3, dW3, loss, name + " dW3", 1e-2f) < 3e-2);
    }
}

TEST_CASE("the whole model's gradients match finite differences for gated attention, plain FFN, MoE and absolute positions",
          "[train][design]") {
    struct Variant {
        const char* name;
        std::function<void(TrainShape&)> set;
    };
    const Variant variants[] = {
        {"head-wise gate, learned positions",
         [](TrainShape& s) {
             s.attentionGate = AttentionGate::HeadWise;
             s.absolute = AbsolutePositions::Learned;
             s.positions = PositionEncoding::None;
         }},
        {"element-wise gate, sinusoidal positions, plain GELU FFN",
         [](TrainShape& s) {
             s.attentionGate = AttentionGate::ElementWise;
             s.absolute = AbsolutePositions::Sinusoidal;
             s.positions = PositionEncoding::None;
             s.gatedFfn = false;
             s.activation = Activation::GeluTanh;
         }},
        {"BatchNorm, pre-norm", [](TrainShape& s) { s.batchNorm = true; }},
        {"MLA rank 6 with a decoupled RoPE key of 2",
         [](TrainShape& s) {
             s.nKvHeads = s.nHeads;
             s.mlaRank = 6;
             s.mlaRopeDim = 2;
         }},
        {"MoE top-2 switch gates, capacity 1.25",
         [](TrainShape& s) {
             s.moe.experts = 3;
             s.moe.topK = 2;
             s.moe.gate = MoeGate::Prob;
             s.moe.capacityFactor = 1.25f;
         }},
    };
    for (const Variant& variant : variants) {
        TrainShape s;
        s.dim = 16;
        s.nLayers = 2;
        s.nHeads = 4;
        s.nKvHeads = 2;
        s.hidden = 12;
        s.vocab = 13;
        s.context = 8;
        variant.set(s);
        std::vector<float> params;
        initialise(s, params, 3);
        std::vector<float> jitter = randomValues(params.size(), 19, 0.3f);
        for (size_t i = 0; i < params.size(); ++i) params[i] += jitter[i];
        const int B = 2, T = 6;
        std::vector<int> tokens(size_t(B) * T), targets(size_t(B) * T);
        for (size_t i = 0; i < tokens.size(); ++i) {
            tokens[i] = int((i * 7 + 3) % size_t(s.vocab));
            targets[i] = int((i * 5 + 1) % size_t(s.vocab));
        }
        const Tensors w = bind(s, params.data());
        Activations act;
        act.auxWeight = 0.1;
        std::vector<float> grads(params.size());
        forward(s, w, tokens.data(), targets.data(), B, T, act);
        backward(s, w, bind(s, grads.data()), tokens.data(), targets.data(), act);
        auto loss = [&] { return forward(s, w, tokens.data(), targets.data(), B, T, act) + act.auxLoss; };
        for (const TensorInfo& t : tensorList(s)) {
            size_t n = 1;
            for (int d : t.shape) n *= size_t(d);
            std::vector<float> x(params.begin() + long(t.offset), params.begin() + long(t.offset + n));
            std::vector<float> an(grads.begin() + long(t.offset), grads.begin() + long(t.offset + n));
            // Differences on the model's own storage: copy x back after each probe.
            auto lossOf = [&] {
                std::copy(x.begin(), x.end(), params.begin() + long(t.offset));
                return loss();
            };
            const double worst = worstFd(x, an, lossOf, std::string(variant.name) + " " + t.name, 4e-3f);
            std::copy(x.begin(), x.end(), params.begin() + long(t.offset));
            CHECK(worst < 2e-2);
        }
    }
}
