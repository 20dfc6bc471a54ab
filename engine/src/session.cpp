// The Llama forward pass, read top to bottom like the paper (and llama2.c's run.c):
//   x = embed(token)
//   for each layer:  x += Wo · attention(RoPE(Wq·rms(x)), RoPE(Wk·rms(x)), Wv·rms(x))
//                    x += W2 · (silu(W1·rms(x)) ⊙ W3·rms(x))
//   logits = Wcls · rms(x)
// A batch of T tokens goes through matrix-matrix products (prefill); T = 1 through
// matrix-vector products (decode). Both read and extend the same KV cache.
// The architecture simulator (SimSettings) swaps pieces of this pass: the norm (norm.h), the FFN
// activation (activation.h), RoPE frequencies (rope_scaling.h) or ALiBi (alibi.h), masks and
// sparse patterns (attention_mask.h), linear attention, head interventions, KV sharing and MoE.
// Defaults keep the llama2.c arithmetic unchanged, bit for bit.
#include "anatomy/session.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include "anatomy/error.h"
#include "anatomy/kernels.h"
#include "anatomy/activation.h"
#include "anatomy/alibi.h"
#include "anatomy/attention_mask.h"
#include "anatomy/head_intervention.h"
#include "anatomy/kv_sharing.h"
#include "anatomy/linear_attention.h"
#include "anatomy/moe.h"
#include "anatomy/norm.h"
#include "fast_exp.h"
#include "ops.h"
#include "rope.h"
#include "anatomy/rope_scaling.h"
#include "trace_capture.h"

namespace anatomy {

struct Session::Impl {
    // KV cache per layer, grown on demand (also past the trained context).
    std::vector<std::vector<float>> keyCache;    // [nLayers][capacity, kvDim]
    std::vector<std::vector<float>> valueCache;  // [nLayers][capacity, kvDim]
    int capacity = 0;

    // Scratch, sized for the largest batch seen.
    std::vector<float> x;       // [T, dim]     residual stream
    std::vector<float> xb;      // [T, dim]     normed input of a sublayer
    std::vector<float> q;       // [T, qDim]
    std::vector<float> k;       // [T, kvDim]
    std::vector<float> v;       // [T, kvDim]
    std::vector<float> att;     // [T, qDim]    attention output (heads concatenated)
    std::vector<float> xb2;     // [T, dim]     sublayer output before the residual add
    std::vector<float> hb;      // [T, hidden]  gate, then silu(gate) * up
    std::vector<float> hb2;     // [T, hidden]  up
    std::vector<float> scores;  // [threads-free: T, nHeads, nKv] scratch for softmax rows
    std::vector<float> logits;  // [T, vocab] or [vocab]
    std::vector<int> history;   // [nKv] tokens the cache holds
    RopeTable rope;

    // Architecture simulator state, derived from settings by setSettings().
    SimSettings settings;
    std::unique_ptr<KvWeights> kv;        // transformed W_K/W_V, null = the model's
    std::vector<MoeLayer> moe;            // [nLayers] when MoE is on
    std::vector<float> alibi;             // [nHeads] ALiBi slopes
    std::vector<float> qRaw;              // [T, qDim] queries before RoPE (dual chunk attention)
    std::vector<std::vector<float>> headHistory;  // [nLayers][pos, qDim] head outputs (mean ablation)
    int kvHeads = 0;                      // KV heads per layer in the cache
    float logitScale = 1.0f;              // YaRN attention temperature on the logits

    void buildRope(const ModelConfig& c, int currentLength) {
        const float base = settings.ropeBase.value_or(c.ropeTheta);
        rope = RopeTable(ropeScaledFrequencies(settings.ropeScaling, c.headSize(), base, c.seqLen, currentLength));
    }

    void ensureCapacity(const ModelConfig& c, int needed) {
        if (needed <= capacity) return;
        int newCap = std::max(needed, std::max(capacity * 2, std::min(c.seqLen, 1024)));
        const size_t kv = size_t(kvHeads) * c.headSize();
        for (int l = 0; l < c.nLayers; ++l) {
            keyCache[size_t(l)].resize(size_t(newCap) * kv);
            valueCache[size_t(l)].resize(size_t(newCap) * kv);
        }
        capacity = newCap;
    }
};

Session::Session(std::shared_ptr<const Model> model) : m_model(std::move(model)), m_impl(new Impl) {
    if (!m_model) throw Error("Session: no model");
    const auto& c = m_model->config;
    m_impl->keyCache.resize(size_t(c.nLayers));
    m_impl->valueCache.resize(size_t(c.nLayers));
    m_impl->kvHeads = c.nKvHeads;
    m_impl->buildRope(c, 0);
}

void Session::setSettings(const SimSettings& settings) {
    const ModelConfig& c = m_model->config;
    validateSettings(settings, c);
    Impl& s = *m_impl;
    // Derived weights are rebuilt only when their own knobs change (k-means and SVD are not free).
    const bool kvChanged = settings.kvSharing != s.settings.kvSharing || settings.kvGroups != s.settings.kvGroups ||
                           settings.kvRank != s.settings.kvRank || (!s.kv && settings.kvSharing != KvSharing::AsLoaded);
    const MoeParams& a = settings.moe;
    const MoeParams& b = s.settings.moe;
    const bool moeChanged = a.experts != b.experts || a.seed != b.seed || (a.experts && s.moe.empty());
    std::unique_ptr<KvWeights> kv = kvChanged ? buildKvWeights(*m_model, settings) : std::move(s.kv);
    std::vector<MoeLayer> moe = moeChanged ? buildMoe(*m_model, settings.moe) : std::move(s.moe);
    s.settings = settings;
    s.kv = std::move(kv);
    s.moe = std::move(moe);
    s.kvHeads = s.kv ? s.kv->nKvHeads : c.nKvHeads;
    s.alibi = alibiSlopes(c.nHeads);
    s.logitScale = ropeLogitScale(settings.ropeScaling);
    s.buildRope(c, 0);
    s.headHistory.assign(size_t(c.nLayers), {});
    // The cached keys belong to the old architecture.
    for (auto& v : s.keyCache) v.clear();
    for (auto& v : s.valueCache) v.clear();
    s.capacity = 0;
    m_pos = 0;
}

const SimSettings& Session::settings() const { return m_impl->settings; }

int Session::kvHeads() const { return m_impl->kvHeads; }

Session::~Session() = default;

void Session::reset() { m_pos = 0; }

void Session::truncate(int pos) { m_pos = std::clamp(pos, 0, m_pos); }

namespace {

template <class V>
void growTo(V& v, size_t n) {
    if (v.size() < n) v.resize(n);
}

}  // namespace

// Causal attention of one head over a batch of T queries at positions start..start+T-1:
//   S = Q_h K_hᵀ / sqrt(d_k)   [T, nKv], entries j > start + t masked
//   O_h = softmax(S) V_h       [T, head_size]
// K_h and V_h are gathered from the cache transposed, [head_size, nKv], so each score row is
// head_size axpys and each output entry one dot product, both vectorised along the keys.
static void attendHeadBatched(Session::Impl& s, const ModelConfig& c, int l, int h, int start,
                              int T, float sqrtDk, TraceCapture& cap) {
    const int hs = c.headSize(), qDim = c.nHeads * hs, kvDim = s.kvHeads * hs;
    const int kh = h / (c.nHeads / s.kvHeads), nKv = start + T;
    const float* keys = s.keyCache[size_t(l)].data();
    const float* values = s.valueCache[size_t(l)].data();
    // Per-thread scratch, reused across heads, layers and calls.
    thread_local std::vector<float> kT, vT, rowScratch;
    growTo(kT, size_t(hs) * nKv);  // [hs, nKv]
    growTo(vT, size_t(hs) * nKv);  // [hs, nKv]
    growTo(rowScratch, size_t(nKv));  // [nKv] one query's scores, then probabilities
    for (int j = 0; j < nKv; ++j) {
        const float* kj = keys + size_t(j) * kvDim + size_t(kh) * hs;
        const float* vj = values + size_t(j) * kvDim + size_t(kh) * hs;
        for (int i = 0; i < hs; ++i) {
            kT[size_t(i) * nKv + j] = kj[i];
            vT[size_t(i) * nKv + j] = vj[i];
        }
    }
    const auto& k = kernels::activeKernels();
    for (int t = 0; t < T; ++t) {
        const int n = start + t + 1;  // visible keys: the causal mask hides j >= n
        const float* qt = &s.q[size_t(t) * qDim + size_t(h) * hs];
        float* row = rowScratch.data();
        std::fill(row, row + n, 0.0f);
        for (int i = 0; i < hs; ++i) k.axpy(row, qt[i], &kT[size_t(i) * nKv], n);
        const float maxv = k.scaleMax(row, n, sqrtDk);
        cap.scoresRow(l, h, t, row, n);
        k.expNormalize(row, n, maxv);
        cap.probsRow(l, h, t, row, n, true);
        float* out = &s.att[size_t(t) * qDim + size_t(h) * hs];
        for (int i = 0; i < hs; ++i) out[i] = k.dot(row, &vT[size_t(i) * nKv], n);
    }
}

// The simulator's attention for one (query t, head h): any mask or sparse pattern, ALiBi, a score
// multiplier, YaRN's temperature and dual-chunk position remapping. Scalar and clear rather than
// fast; the trained architecture keeps the paths above.
//   S_j = m · q·k_j / sqrt(d_k) - m_h |i - j| (ALiBi),  masked S_j = -inf,  out = softmax(S) V
static void attendRowSimulated(Session::Impl& s, const ModelConfig& c, int l, int h, int t, int start,
                               int nKv, float sqrtDk, float* sc, float* qTmp, TraceCapture& cap) {
    const SimSettings& ss = s.settings;
    const int hs = c.headSize(), qDim = c.nHeads * hs, kvDim = s.kvHeads * hs;
    const int kh = h / (c.nHeads / s.kvHeads), i = start + t;
    const float* keys = s.keyCache[size_t(l)].data();
    const float* values = s.valueCache[size_t(l)].data();
    const float* qh = &s.q[size_t(t) * qDim + size_t(h) * hs];
    const bool dualChunk = ss.sparse == SparsePattern::DualChunk && ss.positions == PositionEncoding::Rope;
    const bool alibi = ss.positions == PositionEncoding::Alibi;
    const float mul = ss.attnScale * s.logitScale;
    float maxv = -INFINITY;
    for (int j = 0; j < nKv; ++j) {
        if (!attentionVisible(ss, c.nHeads, h, i, j, nKv)) {
            sc[j] = -INFINITY;
            continue;
        }
        const float* qv = qh;
        if (dualChunk) {
            // Rotate the raw query to j + distance, so q·k_j sees the remapped relative position.
            const int dist = dualChunkDistance(i, j, ss.chunk, c.seqLen);
            if (dist != i - j) {
                std::memcpy(qTmp, &s.qRaw[size_t(t) * qDim + size_t(h) * hs], sizeof(float) * size_t(hs));
                s.rope.rotate(qTmp, j + dist);
                qv = qTmp;
            }
        }
        const float* kj = keys + size_t(j) * kvDim + size_t(kh) * hs;
        float d = 0.0f;
        for (int x = 0; x < hs; ++x) d += qv[x] * kj[x];
        d = d / sqrtDk * mul;
        if (alibi) d -= s.alibi[size_t(h)] * float(std::abs(i - j));
        sc[j] = d;
        maxv = std::max(maxv, d);
    }
    cap.scoresRow(l, h, t, sc, nKv);
    float sum = 0.0f;
    for (int j = 0; j < nKv; ++j) sum += (sc[j] = std::exp(sc[j] - maxv));
    for (int j = 0; j < nKv; ++j) sc[j] /= sum;
    cap.probsRow(l, h, t, sc, nKv);
    float* out = &s.att[size_t(t) * qDim + size_t(h) * hs];
    std::fill(out, out + hs, 0.0f);
    for (int j = 0; j < nKv; ++j) {
        if (sc[j] == 0.0f) continue;
        const float* vj = values + size_t(j) * kvDim + size_t(kh) * hs;
        for (int x = 0; x < hs; ++x) out[x] += sc[j] * vj[x];
    }
}

// Linear attention of one head (linear_attention.h). With a trace, also the weights it implies,
// a_ij = φ(q_i)·φ(k_j) / Σ_{j'<=i} φ(q_i)·φ(k_j'), recorded as probabilities (O(N²), capture only).
static void attendHeadLinear(Session::Impl& s, const ModelConfig& c, int l, int h, int start, int T,
                             TraceCapture& cap) {
    const int hs = c.headSize(), qDim = c.nHeads * hs, kvDim = s.kvHeads * hs;
    const int kh = h / (c.nHeads / s.kvHeads), nKv = start + T;
    const float* keys = s.keyCache[size_t(l)].data() + size_t(kh) * hs;
    const float* values = s.valueCache[size_t(l)].data() + size_t(kh) * hs;
    linearAttentionHead(&s.q[size_t(h) * hs], qDim, keys, values, kvDim, start, nKv, hs,
                        &s.att[size_t(h) * hs], qDim);
    if (!cap.active()) return;
    std::vector<float> w(static_cast<size_t>(nKv));
    for (int t = 0; t < T; ++t) {
        const float* qt = &s.q[size_t(t) * qDim + size_t(h) * hs];
        const int n = start + t + 1;
        float sum = 0.0f;
        for (int j = 0; j < nKv; ++j) {
            if (j >= n) { w[size_t(j)] = 0.0f; continue; }
            float d = 0.0f;
            for (int x = 0; x < hs; ++x) d += linearFeature(qt[x]) * linearFeature(keys[size_t(j) * kvDim + x]);
            sum += (w[size_t(j)] = d);
        }
        for (int j = 0; j < n; ++j) w[size_t(j)] /= sum;
        cap.scoresRow(l, h, t, nullptr, 0);  // linear attention has no score matrix: all -inf
        cap.probsRow(l, h, t, w.data(), nKv);
    }
}

const std::vector<float>& Session::forward(std::span<const int> tokens, bool allLogits,
                                           Trace* trace, std::stop_token stop) {
    const ModelConfig& c = m_model->config;
    const Model& w = *m_model;
    Impl& s = *m_impl;
    const SimSettings& ss = s.settings;
    const int T = static_cast<int>(tokens.size());
    if (T == 0) throw Error("forward: no tokens to feed (an empty prompt still needs BOS)");
    for (int t : tokens)
        if (t < 0 || t >= c.vocabSize)
            throw Error("forward: token id " + std::to_string(t) + " outside the vocabulary [0, " +
                        std::to_string(c.vocabSize) + ")");

    const auto t0 = std::chrono::steady_clock::now();
    const int dim = c.dim, hidden = c.hiddenDim, hs = c.headSize();
    const int nH = c.nHeads, qDim = nH * hs, nKvH = s.kvHeads, kvDim = nKvH * hs, kvGroup = nH / nKvH;
    const int start = m_pos, nKv = start + T;
    // Why divide by sqrt(d_k): for q, k with unit-variance entries q·k has variance d_k, so
    // unscaled scores would push the softmax into saturation as heads get wider.
    const float sqrtDk = std::sqrt(float(hs));
    const bool plainAttention = ss.plainAttention();
    const bool useRope = ss.positions == PositionEncoding::Rope;
    const bool dualChunk = ss.sparse == SparsePattern::DualChunk && useRope;
    const NormType normType = ss.normType;
    const float eps = ss.normEps.value_or(c.normEps);
    const float alpha = ss.deepNormAlpha.value_or(deepNormAlpha(c.nLayers));
    auto norm = [&](float* o, const float* x, const float* g) { applyNorm(normType, o, x, g, dim, eps); };

    s.ensureCapacity(c, nKv);
    // Dynamic NTK: the frequencies follow the current length (cached keys keep their rotation).
    if (useRope && ss.ropeScaling.method == RopeScaling::DynamicNtk) s.buildRope(c, nKv);
    s.rope.ensure(dualChunk ? nKv + c.seqLen : nKv);
    growTo(s.x, size_t(T) * dim);
    growTo(s.xb, size_t(T) * dim);
    growTo(s.xb2, size_t(T) * dim);
    growTo(s.q, size_t(T) * qDim);
    growTo(s.att, size_t(T) * qDim);
    growTo(s.hb, size_t(T) * hidden);
    growTo(s.hb2, size_t(T) * hidden);
    if (dualChunk) growTo(s.qRaw, size_t(T) * qDim);

    s.history.resize(size_t(start));
    s.history.insert(s.history.end(), tokens.begin(), tokens.end());
    ModelConfig runConfig = c;  // the architecture that runs: KV sharing changes the KV heads
    runConfig.nKvHeads = nKvH;
    TraceCapture cap(trace, w, s.history, start, T, &runConfig);
    cap.setFinalNorm(normType, eps);
    if (trace && !s.moe.empty()) trace->moe.assign(size_t(c.nLayers), MoeLayerTrace{});

    // Token embedding: x[t] = E[token_t]
    for (int t = 0; t < T; ++t)
        std::memcpy(&s.x[size_t(t) * dim], w.tokenEmbedding + size_t(tokens[size_t(t)]) * dim,
                    sizeof(float) * size_t(dim));

    // Where the norm sits (norm.h): pre-norm reads N(x) and adds to x; post-norm and DeepNorm
    // read x and norm the sum; sandwich also norms the sublayer output (gain 1: none was trained).
    const NormPlacement placement = ss.normPlacement;
    const bool normInput = placement == NormPlacement::Pre || placement == NormPlacement::Sandwich;
    auto sublayerInput = [&](const float* g) {
        for (int t = 0; t < T; ++t) {
            if (normInput) norm(&s.xb[size_t(t) * dim], &s.x[size_t(t) * dim], g);
            else std::memcpy(&s.xb[size_t(t) * dim], &s.x[size_t(t) * dim], sizeof(float) * size_t(dim));
        }
    };
    auto residualAdd = [&](const float* g) {
        const size_t n = size_t(T) * dim;
        switch (placement) {
            case NormPlacement::Pre:  // x += F(N(x))
                for (size_t i = 0; i < n; ++i) s.x[i] += s.xb2[i];
                break;
            case NormPlacement::Sandwich:  // x += N(F(N(x)))
                for (int t = 0; t < T; ++t) norm(&s.xb2[size_t(t) * dim], &s.xb2[size_t(t) * dim], nullptr);
                for (size_t i = 0; i < n; ++i) s.x[i] += s.xb2[i];
                break;
            case NormPlacement::Post:  // x = N(x + F(x))
                for (size_t i = 0; i < n; ++i) s.x[i] += s.xb2[i];
                for (int t = 0; t < T; ++t) norm(&s.x[size_t(t) * dim], &s.x[size_t(t) * dim], g);
                break;
            case NormPlacement::DeepNorm:  // x = N(alpha x + F(x))
                for (size_t i = 0; i < n; ++i) s.x[i] = alpha * s.x[i] + s.xb2[i];
                for (int t = 0; t < T; ++t) norm(&s.x[size_t(t) * dim], &s.x[size_t(t) * dim], g);
                break;
        }
    };

    for (int l = 0; l < c.nLayers; ++l) {
        if (stop.stop_requested()) throw Cancelled();
        const LayerWeights& lw = w.layers[size_t(l)];
        const Matrix& wk = s.kv ? s.kv->wk[size_t(l)] : lw.wk;
        const Matrix& wv = s.kv ? s.kv->wv[size_t(l)] : lw.wv;
        float* keys = s.keyCache[size_t(l)].data();    // [capacity, kvDim]
        float* values = s.valueCache[size_t(l)].data();  // [capacity, kvDim]
        cap.residualIn(l, s.x.data());

        // 1. Attention sublayer on the normed residual.
        sublayerInput(lw.rmsAtt);
        cap.attnNormOut(l, s.xb.data());

        // 2. Projections; k and v go straight into the cache at their positions.
        float* kNew = keys + size_t(start) * kvDim;    // [T, kvDim]
        float* vNew = values + size_t(start) * kvDim;  // [T, kvDim]
        ops::matmul(s.q.data(), s.xb.data(), lw.wq, T);
        ops::matmul(kNew, s.xb.data(), wk, T);
        ops::matmul(vNew, s.xb.data(), wv, T);
        if (dualChunk) std::memcpy(s.qRaw.data(), s.q.data(), sizeof(float) * size_t(T) * qDim);

        // 3. RoPE: rotate each adjacent pair (2i, 2i+1) by pos · θ_i, θ_i = base^(-2i/d_head).
        if (useRope)
            for (int t = 0; t < T; ++t) {
                const int pos = start + t;
                for (int h = 0; h < nH; ++h) s.rope.rotate(&s.q[size_t(t) * qDim + size_t(h) * hs], pos);
                for (int h = 0; h < nKvH; ++h)
                    s.rope.rotate(&kNew[size_t(t) * kvDim + size_t(h) * hs], pos);
            }
        cap.queriesKeys(l, s.q.data(), keys);

        // 4. Causal scaled dot-product attention per (token, head):
        //    a = softmax(q·Kᵀ / sqrt(d_k)) over positions 0..pos, out = a · V.
        //    Query head h reads KV head h / (nHeads / nKvHeads) (grouped-query attention).
        // int8 models match runq.c bit for bit, libm exp included; float models only need to
        // stay within 1e-4 of llama2.c's logits.
        const bool exactSoftmax = w.classifier.quantized();
        constexpr int kValueBlock = 8;
        auto attendRow = [&](int t, int h, float* sc) {
            const int pos = start + t;
            const float* qh = &s.q[size_t(t) * qDim + size_t(h) * hs];
            const int kh = h / kvGroup;
            float maxv = -INFINITY;
            // Four keys at a time: four independent chains, each summed in llama2.c's order
            // (the same bits as one key at a time, without waiting on one add chain).
            int j = 0;
            for (; j + 3 <= pos; j += 4) {
                const float* k0 = keys + size_t(j) * kvDim + size_t(kh) * hs;
                const float* k1 = k0 + kvDim;
                const float* k2 = k1 + kvDim;
                const float* k3 = k2 + kvDim;
                float d0 = 0.0f, d1 = 0.0f, d2 = 0.0f, d3 = 0.0f;
                for (int i = 0; i < hs; ++i) {
                    d0 += qh[i] * k0[i];
                    d1 += qh[i] * k1[i];
                    d2 += qh[i] * k2[i];
                    d3 += qh[i] * k3[i];
                }
                sc[j] = d0 / sqrtDk;  // divided, not multiplied by 1/sqrt: bit-exact with llama2.c
                sc[j + 1] = d1 / sqrtDk;
                sc[j + 2] = d2 / sqrtDk;
                sc[j + 3] = d3 / sqrtDk;
            }
            for (; j <= pos; ++j) {
                const float* kj = keys + size_t(j) * kvDim + size_t(kh) * hs;
                float d = 0.0f;
                for (int i = 0; i < hs; ++i) d += qh[i] * kj[i];
                sc[j] = d / sqrtDk;
            }
            for (int jj = 0; jj <= pos; ++jj) maxv = std::max(maxv, sc[jj]);
            cap.scoresRow(l, h, t, sc, pos + 1);
            if (exactSoftmax) {
                float sum = 0.0f;
                for (int j = 0; j <= pos; ++j) {
                    sc[j] = std::exp(sc[j] - maxv);
                    sum += sc[j];
                }
                for (int j = 0; j <= pos; ++j) sc[j] /= sum;
            } else {
                // Float models: the vectorised polynomial exp (fast_exp.h, relative error < 2e-7)
                // stays well inside the 1e-4 logit tolerance; libm's expf was a tenth of decode.
                const float sum = expShiftSum(sc, pos + 1, maxv);
                for (int j = 0; j <= pos; ++j) sc[j] /= sum;
            }
            cap.probsRow(l, h, t, sc, pos + 1, true);
            // out = sum_j a_j v_j, each element summed over j in llama2.c's order. The sums live
            // in a local block of kValueBlock floats (registers), not in `out`, which the compiler
            // would otherwise store and reload for every key in case it aliases the cache.
            float* out = &s.att[size_t(t) * qDim + size_t(h) * hs];
            const float* vHead = values + size_t(kh) * hs;  // [nKv, kvDim] from this head's slice
            for (int i0 = 0; i0 < hs; i0 += kValueBlock) {
                const int m = std::min(kValueBlock, hs - i0);
                float acc[kValueBlock] = {};
                if (m == kValueBlock) {
                    for (int j = 0; j <= pos; ++j) {
                        const float* vj = vHead + size_t(j) * kvDim + i0;
                        const float a = sc[j];
                        for (int i = 0; i < kValueBlock; ++i) acc[i] += a * vj[i];
                    }
                } else {
                    for (int j = 0; j <= pos; ++j) {
                        const float* vj = vHead + size_t(j) * kvDim + i0;
                        for (int i = 0; i < m; ++i) acc[i] += sc[j] * vj[i];
                    }
                }
                std::memcpy(out + i0, acc, sizeof(float) * size_t(m));
            }
        };
        const long work = long(T) * nH * nKv * hs;
        if (ss.kernel == AttentionKernel::Linear) {
            auto attendHead = [&](int h) { attendHeadLinear(s, c, l, h, start, T, cap); };
            if (work < 200000)
                for (int h = 0; h < nH; ++h) attendHead(h);
            else
                tbb::parallel_for(0, nH, attendHead);
        } else if (!plainAttention) {
            auto rows = [&](int begin, int end) {
                std::vector<float> sc(static_cast<size_t>(nKv)), qTmp(static_cast<size_t>(hs));
                for (int i = begin; i < end; ++i)
                    attendRowSimulated(s, c, l, i % nH, i / nH, start, nKv, sqrtDk, sc.data(), qTmp.data(), cap);
            };
            if (work < 200000) rows(0, T * nH);
            else
                tbb::parallel_for(tbb::blocked_range<int>(0, T * nH, 4),
                                  [&](const tbb::blocked_range<int>& r) { rows(r.begin(), r.end()); });
        } else if (T == 1 || w.classifier.quantized()) {
            // Decode (and int8 models, whose reference runq.c is matched bit for bit): one
            // query row at a time, summed in llama2.c's order.
            if (work < 200000) {
                growTo(s.scores, size_t(nKv));
                for (int t = 0; t < T; ++t)
                    for (int h = 0; h < nH; ++h) attendRow(t, h, s.scores.data());
            } else {
                tbb::parallel_for(tbb::blocked_range<int>(0, T * nH, 4), [&](const tbb::blocked_range<int>& r) {
                    std::vector<float> sc(static_cast<size_t>(nKv));
                    for (int i = r.begin(); i < r.end(); ++i) attendRow(i / nH, i % nH, sc.data());
                });
            }
        } else {
            // Prefill: per head, S = Q_h K_hᵀ and O_h = softmax(S) V_h as matrix products.
            auto attendHead = [&](int h) { attendHeadBatched(s, c, l, h, start, T, sqrtDk, cap); };
            if (work < 200000)
                for (int h = 0; h < nH; ++h) attendHead(h);
            else
                tbb::parallel_for(0, nH, attendHead);
        }
        // Head ablations and gates (head_intervention.h), before the heads are mixed by Wo.
        if (!ss.heads.empty())
            applyHeadInterventions(ss.heads, l, s.att.data(), s.headHistory[size_t(l)], start, T, nH, hs);

        // 5. Output projection and residual add: x += Wo · att
        ops::matmul(s.xb2.data(), s.att.data(), lw.wo, T);
        cap.attnOut(l, s.xb2.data());
        residualAdd(lw.rmsAtt);
        cap.residualMid(l, s.x.data());

        // 6. FFN sublayer (SwiGLU): x += W2 · (silu(W1·h) ⊙ W3·h), h = rms(x)
        sublayerInput(lw.rmsFfn);
        cap.ffnNormOut(l, s.xb.data());
        ops::matmul(s.hb.data(), s.xb.data(), lw.w1, T);
        ops::matmul(s.hb2.data(), s.xb.data(), lw.w3, T);
        gatedActivation(ss.activation, ss.activationParams, s.hb.data(), s.hb2.data(), long(T) * hidden);
        // MoE (moe.h): route each token to its top-k experts and keep only their hidden units.
        if (!s.moe.empty())
            routeAndMask(s.moe[size_t(l)], ss.moe, l, s.xb.data(), s.hb.data(), T, start, dim, hidden,
                         trace ? &trace->moe[size_t(l)] : nullptr);
        cap.ffnActivations(l, s.hb.data());
        ops::matmul(s.xb2.data(), s.hb.data(), lw.w2, T);
        cap.ffnOut(l, s.xb2.data());
        residualAdd(lw.rmsFfn);
        cap.residualOut(l, s.x.data());
    }

    // Final norm and classifier. Only the last row is needed unless asked for all.
    const int firstRow = allLogits ? 0 : T - 1;
    const int nRows = T - firstRow;
    for (int t = firstRow; t < T; ++t) norm(&s.xb[size_t(t - firstRow) * dim], &s.x[size_t(t) * dim], w.rmsFinal);
    s.logits.resize(size_t(nRows) * c.vocabSize);
    ops::matmul(s.logits.data(), s.xb.data(), w.classifier, nRows);
    m_pos = nKv;

    if (trace) {
        cap.logits(s.logits.data(), firstRow);
        trace->settings = ss;
        trace->elapsedMs =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    }
    return s.logits;
}

std::shared_ptr<const Trace> traceTokens(std::shared_ptr<const Model> model,
                                         const std::vector<int>& tokens, const CaptureSpec& spec,
                                         const Tokenizer* tokenizer, std::stop_token stop) {
    return traceTokens(std::move(model), tokens, spec, SimSettings{}, tokenizer, stop);
}

std::shared_ptr<const Trace> traceTokens(std::shared_ptr<const Model> model,
                                         const std::vector<int>& tokens, const CaptureSpec& spec,
                                         const SimSettings& settings, const Tokenizer* tokenizer,
                                         std::stop_token stop) {
    auto trace = std::make_shared<Trace>();
    trace->spec = spec;
    Session session(model);
    session.setSettings(settings);
    session.forward(tokens, spec.logits != CaptureSpec::Logits::None, trace.get(), stop);
    if (tokenizer) {
        trace->tokenText.reserve(tokens.size());
        for (size_t i = 0; i < tokens.size(); ++i)
            trace->tokenText.push_back(tokenizer->piece(tokens[i]));
    }
    return trace;
}

}  // namespace anatomy
