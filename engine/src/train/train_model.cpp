// The training forward and backward passes of the Llama-shaped model, one step a line:
//   x = E[token]
//   per layer:  h = N(x);  q, k, v = Wq h, Wk h, Wv h;  q, k = RoPE(q, k)
//               x = x + Wo · attention(q, k, v)
//               h = N(x);  x = x + W2 · (act(W1 h) ⊙ W3 h)      (act = silu: SwiGLU)
//   logits = Wcls · N(x);  loss = mean cross-entropy
// N is RMSNorm or LayerNorm; post-norm instead reads h = x and norms the sum, x = N(x + F(h));
// sandwich norms F's output too, DeepNorm scales the residual, x = N(α x + F(h)).
// Positions: RoPE, none (q and k as projected), ALiBi (a distance penalty on the scores), or
// absolute ones added to the embedding (learned P[t], or sinusoidal with E scaled by sqrt(dim)).
// Designs: MLA (train_mla.h) in place of Wk, Wv; the attention gate σ(h Wg) before Wo; a plain
// FFN W2 act(W1 h); the experts (train_moe.h) in place of the FFN; BatchNorm for N.
// Backward is the same lines in reverse order.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>

#include "anatomy/alibi.h"
#include "anatomy/error.h"
#include "train/train_mla.h"
#include "train/train_model.h"
#include "train/train_ops.h"

namespace anatomy::training {

std::vector<TensorInfo> tensorList(const TrainShape& s) {
    std::vector<TensorInfo> list;
    size_t off = 0;
    auto add = [&](std::string name, std::vector<int> shape, bool decayed) {
        size_t n = 1;
        for (int d : shape) n *= size_t(d);
        list.push_back({std::move(name), off, std::move(shape), decayed});
        off += n;
    };
    const int L = s.nLayers, dim = s.dim;
    for (int l = 0; l < L; ++l) add("rms_att." + std::to_string(l), {dim}, false);
    for (int l = 0; l < L; ++l) add("rms_ffn." + std::to_string(l), {dim}, false);
    add("rms_final", {dim}, false);
    add("token_embedding", {s.vocab, dim}, true);
    if (s.absolute == AbsolutePositions::Learned) add("pos_embedding", {s.context, dim}, true);
    const int E = std::max(1, s.experts());
    struct Mat {
        const char* name;
        int rows, cols;
    };
    std::vector<Mat> mats = {{"wq", s.qDim(), dim}};
    if (s.mla()) {
        mats.insert(mats.end(), {{"wdkv", s.mlaRank, dim}, {"wuk", s.qDim(), s.mlaRank}, {"wuv", s.qDim(), s.mlaRank}});
        if (s.mlaRopeDim > 0)
            mats.insert(mats.end(), {{"wkr", s.mlaRopeDim, dim}, {"wqr", s.nHeads * s.mlaRopeDim, dim}});
    } else {
        mats.insert(mats.end(), {{"wk", s.kvDim(), dim}, {"wv", s.kvDim(), dim}});
    }
    mats.insert(mats.end(), {{"wo", dim, s.qDim()}, {"w1", E * s.hidden, dim}, {"w2", E * dim, s.hidden}});
    if (s.gatedFfn) mats.push_back({"w3", E * s.hidden, dim});
    if (s.gateWidth() > 0) mats.push_back({"wg", s.gateWidth(), dim});
    if (s.experts() > 0) mats.push_back({"router", s.experts(), dim});
    for (const auto& m : mats)
        for (int l = 0; l < L; ++l) add(std::string(m.name) + "." + std::to_string(l), {m.rows, m.cols}, true);
    if (!s.tiedClassifier) add("wcls", {s.vocab, dim}, true);
    if (s.batchNorm) {
        for (const char* n : {"bn_att_mean", "bn_att_var", "bn_ffn_mean", "bn_ffn_var"})
            for (int l = 0; l < L; ++l) add(std::string(n) + "." + std::to_string(l), {dim}, false);
        add("bn_final_mean", {dim}, false);
        add("bn_final_var", {dim}, false);
    }
    return list;
}

size_t parameterCount(const TrainShape& s) {
    const auto list = tensorList(s);
    size_t n = 1;
    for (int d : list.back().shape) n *= size_t(d);
    return list.back().offset + n;
}

Tensors bind(const TrainShape& s, float* base) {
    Tensors t;
    t.layers.resize(size_t(s.nLayers));
    for (const TensorInfo& info : tensorList(s)) {
        float* p = base + info.offset;
        const auto dot = info.name.find('.');
        const std::string kind = info.name.substr(0, dot);
        if (dot == std::string::npos) {
            if (kind == "rms_final") t.rmsFinal = p;
            else if (kind == "token_embedding") t.embedding = p;
            else if (kind == "wcls") t.classifier = p;
            else if (kind == "pos_embedding") t.posEmbedding = p;
            else if (kind == "bn_final_mean") t.bnFinalMean = p;
            else if (kind == "bn_final_var") t.bnFinalVar = p;
            continue;
        }
        LayerTensors& l = t.layers[size_t(std::stoi(info.name.substr(dot + 1)))];
        if (kind == "rms_att") l.rmsAtt = p;
        else if (kind == "rms_ffn") l.rmsFfn = p;
        else if (kind == "wq") l.wq = p;
        else if (kind == "wk") l.wk = p;
        else if (kind == "wv") l.wv = p;
        else if (kind == "wo") l.wo = p;
        else if (kind == "w1") l.w1 = p;
        else if (kind == "w2") l.w2 = p;
        else if (kind == "w3") l.w3 = p;
        else if (kind == "wg") l.wg = p;
        else if (kind == "router") l.router = p;
        else if (kind == "wdkv") l.wdkv = p;
        else if (kind == "wuk") l.wuk = p;
        else if (kind == "wuv") l.wuv = p;
        else if (kind == "wkr") l.wkr = p;
        else if (kind == "wqr") l.wqr = p;
        else if (kind == "bn_att_mean") l.bnAttMean = p;
        else if (kind == "bn_att_var") l.bnAttVar = p;
        else if (kind == "bn_ffn_mean") l.bnFfnMean = p;
        else if (kind == "bn_ffn_var") l.bnFfnVar = p;
    }
    if (s.tiedClassifier) t.classifier = t.embedding;
    return t;
}

namespace {

// SplitMix64 (Steele et al., 2014): a tiny, well-mixed generator with a fixed definition.
struct SplitMix64 {
    uint64_t state;
    uint64_t next() {
        uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform() { return double((next() >> 11) + 1) * 0x1.0p-53; }  // (0, 1]
};

}  // namespace

void initialise(const TrainShape& s, std::vector<float>& params, uint64_t seed) {
    params.assign(parameterCount(s), 0.0f);
    SplitMix64 rng{seed};
    const double residualStd = 0.02 / std::sqrt(2.0 * s.nLayers);
    // DeepNet (Wang et al., 2022), decoder-only: the FFN, value and output projections start
    // scaled by β = (8 L)^(-1/4); q and k keep the plain scale.
    const double beta = s.placement == NormPlacement::DeepNorm ? std::pow(8.0 * s.nLayers, -0.25) : 1.0;
    for (const TensorInfo& info : tensorList(s)) {
        size_t n = 1;
        for (int d : info.shape) n *= size_t(d);
        float* p = params.data() + info.offset;
        if (info.name.rfind("rms", 0) == 0) {
            std::fill_n(p, n, 1.0f);
            continue;
        }
        if (info.name.rfind("bn_", 0) == 0) {  // running statistics: mean 0, variance 1
            std::fill_n(p, n, info.name.find("_var") != std::string::npos ? 1.0f : 0.0f);
            continue;
        }
        const bool residual = info.name.rfind("wo.", 0) == 0 || info.name.rfind("w2.", 0) == 0;
        const bool scaled = residual || info.name.rfind("wv.", 0) == 0 || info.name.rfind("w1.", 0) == 0 ||
                            info.name.rfind("w3.", 0) == 0;
        const double sd = (residual ? residualStd : 0.02) * (scaled ? beta : 1.0);
        // Box-Muller: z = sqrt(-2 ln u1) cos(2π u2)
        for (size_t i = 0; i < n; ++i) {
            const double u1 = rng.uniform(), u2 = rng.uniform();
            p[i] = float(sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2));
        }
    }
}

std::vector<float> normalNoise(size_t n, uint64_t seed) {
    SplitMix64 rng{seed};
    std::vector<float> out(n);
    for (float& v : out) {
        const double u1 = rng.uniform(), u2 = rng.uniform();
        v = float(std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2));
    }
    return out;
}

std::vector<float> routerNoise(const TrainShape& s, int N, int step) {
    if (s.experts() == 0 || s.moe.noiseStd <= 0) return {};
    return normalNoise(size_t(s.nLayers) * N * s.experts(), s.moe.seed * 0x9E3779B97F4A7C15ull + uint64_t(step));
}

namespace {

void resize(std::vector<float>& v, size_t n) {
    if (v.size() != n) v.assign(n, 0.0f);
}

std::vector<float>& sized(std::vector<float>& v, size_t n) {
    resize(v, n);
    return v;
}

void prepare(const TrainShape& s, int B, int T, Activations& act) {
    const size_t N = size_t(B) * T, dim = size_t(s.dim);
    const bool post = s.placement != NormPlacement::Pre, layer = s.normType == NormType::Layer;
    auto norm = [&](Activations::Norm& n) {
        resize(n.r, s.batchNorm ? dim : N);
        resize(n.mean, s.batchNorm ? dim : layer ? N : 0);
    };
    act.B = B;
    act.T = T;
    act.layers.resize(size_t(s.nLayers));
    for (Activations::Layer& l : act.layers) {
        resize(l.xIn, N * dim);
        norm(l.nAtt);
        norm(l.nAttOut);
        resize(l.yAtt, post ? N * dim : 0);
        resize(l.hAtt, N * dim);
        const size_t wide = size_t(s.nHeads) * s.attentionHead();
        resize(l.q, N * (s.mla() ? wide : size_t(s.qDim())));
        resize(l.k, N * (s.mla() ? wide : size_t(s.kvDim())));
        resize(l.v, N * (s.mla() ? wide : size_t(s.kvDim())));
        resize(l.latent, N * size_t(s.mlaRank));
        resize(l.attWide, s.mla() ? N * wide : 0);
        resize(l.prob, size_t(B) * s.nHeads * T * T);
        resize(l.att, N * size_t(s.qDim()));
        resize(l.gate, N * size_t(s.gateWidth()));
        resize(l.attGated, s.gateWidth() > 0 ? N * size_t(s.qDim()) : 0);
        resize(l.xMid, N * dim);
        norm(l.nFfn);
        norm(l.nFfnOut);
        resize(l.yFfn, post ? N * dim : 0);
        resize(l.hFfn, N * dim);
        const size_t dense = s.experts() > 0 ? 0 : N * size_t(s.hidden);
        resize(l.a, dense);
        resize(l.b, s.gatedFfn ? dense : 0);
        resize(l.g, dense);
    }
    resize(act.xOut, N * dim);
    norm(act.nFinal);
    resize(act.hFinal, N * dim);
    resize(act.logits, N * size_t(s.vocab));
}

// The FFN sublayer's F on h [N, dim] -> out [N, dim]: dense (gated or plain) or MoE.
void ffnForward(const TrainShape& s, const LayerTensors& lw, Activations::Layer& a, float* out, int layer,
                Activations& act) {
    const int N = act.B * act.T, dim = s.dim;
    if (s.experts() > 0) {
        const float* noise = act.routerNoise.empty()
                                 ? nullptr
                                 : act.routerNoise.data() + size_t(layer) * N * size_t(s.experts());
        moeForward(s, out, a.moe, a.hFfn.data(), {lw.router, lw.w1, lw.w2, lw.w3}, noise, act.B, act.T,
                   act.auxWeight);
        act.auxLoss += a.moe.aux;
        return;
    }
    linearForward(a.a.data(), a.hFfn.data(), lw.w1, N, s.hidden, dim);
    if (s.gatedFfn) {
        linearForward(a.b.data(), a.hFfn.data(), lw.w3, N, s.hidden, dim);
        gatedForward(s.activation, s.activationParams, a.g.data(), a.a.data(), a.b.data(), long(N) * s.hidden);
    } else {
        activationForward(s.activation, s.activationParams, a.g.data(), a.a.data(), long(N) * s.hidden);
    }
    linearForward(out, a.g.data(), lw.w2, N, dim, s.hidden);
}

// Y = N(X) with the shape's norm (RMSNorm or LayerNorm), saving its statistics.
void normForward(const TrainShape& s, float* Y, Activations::Norm& st, const float* X, const float* g, int N) {
    if (s.batchNorm)
        return batchNormForward(Y, st.mean.data(), st.r.data(), X, g, N, s.dim, s.normEps, st.runMean, st.runVar,
                                st.batchStats, st.update);
    if (s.normType == NormType::Layer) layerNormForward(Y, st.mean.data(), st.r.data(), X, g, N, s.dim, s.normEps);
    else rmsNormForward(Y, st.r.data(), X, g, N, s.dim, s.normEps);
}

// dX += N'(X)ᵀ dY;  dg = Σ_rows ∂N/∂g dY.
void normBackward(const TrainShape& s, float* dX, float* dg, const float* dY, const float* X,
                  const Activations::Norm& st, const float* g, int N) {
    if (s.batchNorm) return batchNormBackward(dX, dg, dY, X, st.mean.data(), st.r.data(), g, N, s.dim);
    if (s.normType == NormType::Layer) layerNormBackward(dX, dg, dY, X, st.mean.data(), st.r.data(), g, N, s.dim);
    else rmsNormBackward(dX, dg, dY, X, st.r.data(), g, N, s.dim);
}

// The residual wiring of one sublayer F (block.cpp), forward:
//   pre:       h = N(x),  x' = x + F(h)
//   post:      h = x,     x' = N(x + F(h))
//   sandwich:  h = N(x),  x' = x + N1(F(h))     (N1: unit gain)
//   deepnorm:  h = x,     x' = N(α x + F(h))
// sublayerIn makes h from x; sublayerOut makes x' from x and f = F(h) (f is normed in place for
// sandwich, after its input is saved in y).
bool normsInput(const TrainShape& s) {
    return s.placement == NormPlacement::Pre || s.placement == NormPlacement::Sandwich;
}

void sublayerIn(const TrainShape& s, float* h, Activations::Norm& st, const float* x, const float* g, int N) {
    if (normsInput(s)) normForward(s, h, st, x, g, N);
    else std::memcpy(h, x, sizeof(float) * size_t(N) * s.dim);
}

void sublayerOut(const TrainShape& s, float* xOut, float* y, Activations::Norm& st, Activations::Norm& stOut,
                 const float* x, float* f, const float* g, const float* unit, int N) {
    const size_t n = size_t(N) * s.dim;
    switch (s.placement) {
        case NormPlacement::Pre:
            for (size_t i = 0; i < n; ++i) xOut[i] = x[i] + f[i];
            break;
        case NormPlacement::Sandwich:
            std::memcpy(y, f, sizeof(float) * n);
            normForward(s, f, stOut, y, unit, N);
            for (size_t i = 0; i < n; ++i) xOut[i] = x[i] + f[i];
            break;
        case NormPlacement::Post:
        case NormPlacement::DeepNorm: {
            const float alpha = s.residualAlpha();
            for (size_t i = 0; i < n; ++i) y[i] = alpha * x[i] + f[i];
            normForward(s, xOut, st, y, g, N);
            break;
        }
    }
}

}  // namespace

float embeddingScale(const TrainShape& s) {
    return s.absolute == AbsolutePositions::Sinusoidal ? std::sqrt(float(s.dim)) : 1.0f;
}

std::vector<float> sinusoidalTable(int T, int dim) {
    std::vector<float> pe(size_t(T) * dim);
    for (int t = 0; t < T; ++t)
        for (int i = 0; i < dim; i += 2) {
            const double angle = t / std::pow(10000.0, double(i) / dim);
            pe[size_t(t) * dim + i] = float(std::sin(angle));
            if (i + 1 < dim) pe[size_t(t) * dim + i + 1] = float(std::cos(angle));
        }
    return pe;
}

double forward(const TrainShape& s, const Tensors& w, const int* tokens, const int* targets, int B, int T,
               Activations& act) {
    prepare(s, B, T, act);
    act.auxLoss = 0.0;
    if (s.batchNorm) {
        // Each BatchNorm reads and updates its running statistics as act.normStats says.
        using M = Activations::NormStats;
        auto bind = [&](Activations::Norm& n, float* mean, float* var) {
            n.runMean = mean;
            n.runVar = var;
            n.batchStats = act.normStats != M::Running;
            n.update = act.normStats == M::Train;
        };
        for (int l = 0; l < s.nLayers; ++l) {
            Activations::Layer& a = act.layers[size_t(l)];
            const LayerTensors& lw = w.layers[size_t(l)];
            bind(a.nAtt, lw.bnAttMean, lw.bnAttVar);
            bind(a.nFfn, lw.bnFfnMean, lw.bnFfnVar);
        }
        bind(act.nFinal, w.bnFinalMean, w.bnFinalVar);
    }
    const int N = B * T, dim = s.dim, hs = s.headSize();
    std::vector<float> cosT, sinT, cosR, sinR;
    ropeTables(cosT, sinT, T, hs, s.ropeTheta);
    if (s.mla()) ropeTables(cosR, sinR, T, std::max(2, s.mlaRopeDim), s.ropeTheta);  // MLA's decoupled key
    std::vector<float>& tmp = sized(act.buffers.tmp, size_t(N) * dim);
    const bool rope = s.positions == PositionEncoding::Rope;
    const std::vector<float> unit(size_t(dim), 1.0f);  // the sandwich's output norm has no gain
    const std::vector<float> slopes = s.positions == PositionEncoding::Alibi ? alibiSlopes(s.nHeads) : std::vector<float>{};
    const std::vector<float> sinusoid =
        s.absolute == AbsolutePositions::Sinusoidal ? sinusoidalTable(T, dim) : std::vector<float>{};
    const float embScale = embeddingScale(s);
    if (s.absolute == AbsolutePositions::Learned && T > s.context)
        throw Error("train: learned positions end at the trained context " + std::to_string(s.context) + ", got " +
                    std::to_string(T) + " tokens");

    // 0. Token embedding: x[n] = E[token_n] (+ P[t] learned, or sqrt(d) E + PE[t] sinusoidal)
    float* x = act.layers.empty() ? act.xOut.data() : act.layers[0].xIn.data();
    for (int n = 0; n < N; ++n) {
        if (tokens[n] < 0 || tokens[n] >= s.vocab) throw Error("train: token id " + std::to_string(tokens[n]) +
                                                               " outside the vocabulary");
        float* row = x + size_t(n) * dim;
        const float* e = w.embedding + size_t(tokens[n]) * dim;
        const int t = n % T;
        if (w.posEmbedding)
            for (int i = 0; i < dim; ++i) row[i] = e[i] + w.posEmbedding[size_t(t) * dim + i];
        else if (!sinusoid.empty())
            for (int i = 0; i < dim; ++i) row[i] = embScale * e[i] + sinusoid[size_t(t) * dim + i];
        else
            std::memcpy(row, e, sizeof(float) * size_t(dim));
    }
    for (int l = 0; l < s.nLayers; ++l) {
        Activations::Layer& a = act.layers[size_t(l)];
        const LayerTensors& lw = w.layers[size_t(l)];
        // 1. h = N(x) (pre) or x (post)
        sublayerIn(s, a.hAtt.data(), a.nAtt, a.xIn.data(), lw.rmsAtt, N);
        // 2. q, k, v = Wq h, Wk h, Wv h; RoPE on q and k (MLA: from the latent, train_mla.h)
        if (s.mla()) {
            mlaForward(s, lw, a.hAtt.data(), a.latent.data(), a.q.data(), a.k.data(), a.v.data(), N, T, cosR.data(),
                       sinR.data());
        } else {
            linearForward(a.q.data(), a.hAtt.data(), lw.wq, N, s.qDim(), dim);
            linearForward(a.k.data(), a.hAtt.data(), lw.wk, N, s.kvDim(), dim);
            linearForward(a.v.data(), a.hAtt.data(), lw.wv, N, s.kvDim(), dim);
            if (rope) {
                ropeApply(a.q.data(), N, T, s.nHeads, hs, cosT.data(), sinT.data(), false);
                ropeApply(a.k.data(), N, T, s.nKvHeads, hs, cosT.data(), sinT.data(), false);
            }
        }
        // 3. causal softmax attention per head (ALiBi: minus m_h times the distance)
        attentionForward(s.mla() ? a.attWide.data() : a.att.data(), a.prob.data(), a.q.data(), a.k.data(),
                         a.v.data(), B, T, s.nHeads, s.attentionKvHeads(), s.attentionHead(),
                         slopes.empty() ? nullptr : slopes.data());
        if (s.mla()) mlaNarrow(s, a.att.data(), a.attWide.data(), N);
        // 3b. gated attention: att ⊙ σ(h Wg)
        const float* attOut = a.att.data();
        if (s.gateWidth() > 0) {
            linearForward(a.gate.data(), a.hAtt.data(), lw.wg, N, s.gateWidth(), dim);
            for (float& v : a.gate) v = 1.0f / (1.0f + std::exp(-v));
            attentionGateApply(a.attGated.data(), a.att.data(), a.gate.data(), N, s.qDim(), s.gateWidth());
            attOut = a.attGated.data();
        }
        // 4. x = x + Wo att (pre) or N(x + Wo att) (post)
        linearForward(tmp.data(), attOut, lw.wo, N, dim, s.qDim());
        sublayerOut(s, a.xMid.data(), a.yAtt.data(), a.nAtt, a.nAttOut, a.xIn.data(), tmp.data(), lw.rmsAtt,
                    unit.data(), N);
        // 5. the same around the FFN: W2 (act(W1 h) ⊙ W3 h), W2 act(W1 h), or the experts
        sublayerIn(s, a.hFfn.data(), a.nFfn, a.xMid.data(), lw.rmsFfn, N);
        ffnForward(s, lw, a, tmp.data(), l, act);
        float* next = l + 1 < s.nLayers ? act.layers[size_t(l) + 1].xIn.data() : act.xOut.data();
        sublayerOut(s, next, a.yFfn.data(), a.nFfn, a.nFfnOut, a.xMid.data(), tmp.data(), lw.rmsFfn, unit.data(),
                    N);
    }
    // 6. logits = Wcls N(x)
    normForward(s, act.hFinal.data(), act.nFinal, act.xOut.data(), w.rmsFinal, N);
    linearForward(act.logits.data(), act.hFinal.data(), w.classifier, N, s.vocab, dim);
    if (!targets) return 0.0;
    for (int n = 0; n < N; ++n)
        if (targets[n] < 0 || targets[n] >= s.vocab) throw Error("train: target id outside the vocabulary");
    return crossEntropy(act.logits.data(), targets, N, s.vocab);
}

void backward(const TrainShape& s, const Tensors& w, const Tensors& grads, const int* tokens, const int* targets,
              Activations& act) {
    const int B = act.B, T = act.T, N = B * T, dim = s.dim, hs = s.headSize();
    const bool post = s.placement != NormPlacement::Pre;
    std::vector<float> cosT, sinT, cosR, sinR;
    ropeTables(cosT, sinT, T, hs, s.ropeTheta);
    if (s.mla()) ropeTables(cosR, sinR, T, std::max(2, s.mlaRopeDim), s.ropeTheta);
    const size_t wide = size_t(N) * s.nHeads * s.attentionHead();
    Activations::Buffers& bb = act.buffers;
    std::vector<float>& dWide = sized(bb.dWide, s.mla() ? wide : 0);
    std::vector<float>& dqW = sized(bb.dqW, s.mla() ? wide : 0);
    std::vector<float>& dkW = sized(bb.dkW, s.mla() ? wide : 0);
    std::vector<float>& dvW = sized(bb.dvW, s.mla() ? wide : 0);
    std::vector<float>& dx = sized(bb.dx, size_t(N) * dim);
    std::vector<float>& dh = sized(bb.dh, size_t(N) * dim);
    std::vector<float>& dy = sized(bb.dy, post ? size_t(N) * dim : 0);
    std::vector<float>& dHidA = sized(bb.dHidA, size_t(N) * s.hidden);
    std::vector<float>& dHidB = sized(bb.dHidB, size_t(N) * s.hidden);
    std::vector<float>& dHidG = sized(bb.dHidG, size_t(N) * s.hidden);
    std::vector<float>& dAtt = sized(bb.dAtt, size_t(N) * s.qDim());
    std::vector<float>& dAttGated = sized(bb.dAttGated, s.gateWidth() > 0 ? size_t(N) * s.qDim() : 0);
    std::vector<float>& dGate = sized(bb.dGate, size_t(N) * s.gateWidth());
    std::vector<float>& dq = sized(bb.dq, size_t(N) * s.qDim());
    std::vector<float>& dk = sized(bb.dk, size_t(N) * s.kvDim());
    std::vector<float>& dv = sized(bb.dv, size_t(N) * s.kvDim());

    // Backward of one sublayer's wiring around inner (dF -> dh, the gradient at F's input):
    //   pre:       dF = dx',  dx = dx' + N'(dh)
    //   sandwich:  dF = N1'(dx'),  dx = dx' + N'(dh)
    //   post, deepnorm:  dy = N'(dx'),  dF = dy,  dx = α dy + dh   (h = x)
    const std::vector<float> unit(size_t(dim), 1.0f);
    std::vector<float> unitGrad(static_cast<size_t>(dim));  // the unit gain's gradient, discarded
    const float alpha = s.residualAlpha();
    auto sublayerBackward = [&](const float* xIn, const float* y, const Activations::Norm& st,
                                const Activations::Norm& stOut, const float* gain, float* dGain, auto&& inner) {
        switch (s.placement) {
            case NormPlacement::Pre:
                inner(dx.data());
                normBackward(s, dx.data(), dGain, dh.data(), xIn, st, gain, N);
                return;
            case NormPlacement::Sandwich:
                std::fill(dy.begin(), dy.end(), 0.0f);
                normBackward(s, dy.data(), unitGrad.data(), dx.data(), y, stOut, unit.data(), N);
                inner(dy.data());
                normBackward(s, dx.data(), dGain, dh.data(), xIn, st, gain, N);
                return;
            case NormPlacement::Post:
            case NormPlacement::DeepNorm:
                std::fill(dy.begin(), dy.end(), 0.0f);
                normBackward(s, dy.data(), dGain, dx.data(), y, st, gain, N);
                inner(dy.data());
                for (size_t i = 0; i < dx.size(); ++i) dx[i] = alpha * dy[i] + dh[i];
                return;
        }
    };

    // 6'. dlogits = (softmax - onehot) / N; through the classifier and the final norm
    crossEntropyForwardBackward(act.logits.data(), targets, N, s.vocab);
    linearBackward(dh.data(), false, grads.classifier, act.logits.data(), act.hFinal.data(), w.classifier, N, s.vocab,
                   dim);
    std::fill(dx.begin(), dx.end(), 0.0f);
    normBackward(s, dx.data(), grads.rmsFinal, dh.data(), act.xOut.data(), act.nFinal, w.rmsFinal, N);

    for (int l = s.nLayers - 1; l >= 0; --l) {
        Activations::Layer& a = act.layers[size_t(l)];
        const LayerTensors& lw = w.layers[size_t(l)];
        const LayerTensors& lg = grads.layers[size_t(l)];
        // 5'. FFN: dg = dF W2;  da, db;  dh = da W1 + db W3
        sublayerBackward(a.xMid.data(), a.yFfn.data(), a.nFfn, a.nFfnOut, lw.rmsFfn, lg.rmsFfn, [&](const float* dF) {
            if (s.experts() > 0) {
                moeBackward(s, dh.data(), {lg.router, lg.w1, lg.w2, lg.w3}, dF, a.moe, a.hFfn.data(),
                            {lw.router, lw.w1, lw.w2, lw.w3}, B, T, act.auxWeight);
                return;
            }
            linearBackward(dHidG.data(), false, lg.w2, dF, a.g.data(), lw.w2, N, dim, s.hidden);
            if (!s.gatedFfn) {
                activationBackward(s.activation, s.activationParams, dHidA.data(), dHidG.data(), a.a.data(),
                                   long(N) * s.hidden);
                linearBackward(dh.data(), false, lg.w1, dHidA.data(), a.hFfn.data(), lw.w1, N, s.hidden, dim);
                return;
            }
            gatedBackward(s.activation, s.activationParams, dHidA.data(), dHidB.data(), dHidG.data(), a.a.data(),
                          a.b.data(), long(N) * s.hidden);
            linearBackward(dh.data(), false, lg.w1, dHidA.data(), a.hFfn.data(), lw.w1, N, s.hidden, dim);
            linearBackward(dh.data(), true, lg.w3, dHidB.data(), a.hFfn.data(), lw.w3, N, s.hidden, dim);
        });
        // 4'-2'. attention: dAtt = dF Wo; attention; RoPE rotated back; dh = dq Wq + dk Wk + dv Wv
        sublayerBackward(a.xIn.data(), a.yAtt.data(), a.nAtt, a.nAttOut, lw.rmsAtt, lg.rmsAtt, [&](const float* dF) {
            const bool gated = s.gateWidth() > 0;
            linearBackward(gated ? dAttGated.data() : dAtt.data(), false, lg.wo, dF,
                           gated ? a.attGated.data() : a.att.data(), lw.wo, N, dim, s.qDim());
            if (gated)
                attentionGateBackward(dAtt.data(), dGate.data(), dAttGated.data(), a.att.data(), a.gate.data(), N,
                                      s.qDim(), s.gateWidth());
            if (s.mla()) {
                mlaWiden(s, dWide.data(), dAtt.data(), N);
                attentionBackward(dqW.data(), dkW.data(), dvW.data(), dWide.data(), a.prob.data(), a.q.data(),
                                  a.k.data(), a.v.data(), B, T, s.nHeads, s.nHeads, s.attentionHead());
                std::fill(dh.begin(), dh.end(), 0.0f);
                mlaBackward(s, lw, lg, a.hAtt.data(), a.latent.data(), dqW.data(), dkW.data(), dvW.data(), dh.data(),
                            N, T, cosR.data(), sinR.data());
                if (gated)
                    linearBackward(dh.data(), true, lg.wg, dGate.data(), a.hAtt.data(), lw.wg, N, s.gateWidth(), dim);
                return;
            }
            attentionBackward(dq.data(), dk.data(), dv.data(), dAtt.data(), a.prob.data(), a.q.data(), a.k.data(),
                              a.v.data(), B, T, s.nHeads, s.nKvHeads, hs);
            if (s.positions == PositionEncoding::Rope) {
                ropeApply(dq.data(), N, T, s.nHeads, hs, cosT.data(), sinT.data(), true);
                ropeApply(dk.data(), N, T, s.nKvHeads, hs, cosT.data(), sinT.data(), true);
            }
            linearBackward(dh.data(), false, lg.wq, dq.data(), a.hAtt.data(), lw.wq, N, s.qDim(), dim);
            linearBackward(dh.data(), true, lg.wk, dk.data(), a.hAtt.data(), lw.wk, N, s.kvDim(), dim);
            linearBackward(dh.data(), true, lg.wv, dv.data(), a.hAtt.data(), lw.wv, N, s.kvDim(), dim);
            if (gated) linearBackward(dh.data(), true, lg.wg, dGate.data(), a.hAtt.data(), lw.wg, N, s.gateWidth(), dim);
        });
    }
    // 0'. dE[token_n] += scale dx[n] (after the classifier's gradient when they are tied); dP[t] += dx[n]
    if (!s.tiedClassifier) std::fill_n(grads.embedding, size_t(s.vocab) * dim, 0.0f);
    if (grads.posEmbedding) std::fill_n(grads.posEmbedding, size_t(s.context) * dim, 0.0f);
    const float embScale = embeddingScale(s);
    for (int n = 0; n < N; ++n) {
        float* row = grads.embedding + size_t(tokens[n]) * dim;
        const float* d = dx.data() + size_t(n) * dim;
        for (int i = 0; i < dim; ++i) row[i] += embScale * d[i];
        if (grads.posEmbedding) {
            float* prow = grads.posEmbedding + size_t(n % T) * dim;
            for (int i = 0; i < dim; ++i) prow[i] += d[i];
        }
    }
}

}  // namespace anatomy::training
