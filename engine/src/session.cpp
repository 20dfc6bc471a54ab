// The Llama forward pass, read top to bottom like the paper (and llama2.c's run.c):
//   x = embed(token)
//   for each layer:  x += Wo · attention(RoPE(Wq·rms(x)), RoPE(Wk·rms(x)), Wv·rms(x))
//                    x += W2 · (silu(W1·rms(x)) ⊙ W3·rms(x))
//   logits = Wcls · rms(x)
// A batch of T tokens goes through matrix-matrix products (prefill); T = 1 through
// matrix-vector products (decode). Both read and extend the same KV cache.
#include "anatomy/session.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>

#include "anatomy/error.h"
#include "ops.h"
#include "rope.h"
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

    void ensureCapacity(const ModelConfig& c, int needed) {
        if (needed <= capacity) return;
        int newCap = std::max(needed, std::max(capacity * 2, std::min(c.seqLen, 1024)));
        const size_t kv = size_t(c.kvDim());
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
    m_impl->rope = RopeTable(c.headSize(), c.ropeTheta);
}

Session::~Session() = default;

void Session::reset() { m_pos = 0; }

void Session::truncate(int pos) { m_pos = std::clamp(pos, 0, m_pos); }

namespace {

template <class V>
void growTo(V& v, size_t n) {
    if (v.size() < n) v.resize(n);
}

// RMSNorm: o = g ⊙ x / sqrt(mean(x²) + eps)
void rmsnorm(float* o, const float* x, const float* g, int n, float eps) {
    float ss = 0.0f;
    for (int i = 0; i < n; ++i) ss += x[i] * x[i];
    ss = ss / float(n) + eps;
    ss = 1.0f / std::sqrt(ss);
    for (int i = 0; i < n; ++i) o[i] = g[i] * (ss * x[i]);
}

// SiLU(x) = x · σ(x)
inline float silu(float x) { return x * (1.0f / (1.0f + std::exp(-x))); }

}  // namespace

const std::vector<float>& Session::forward(std::span<const int> tokens, bool allLogits,
                                           Trace* trace, std::stop_token stop) {
    const ModelConfig& c = m_model->config;
    const Model& w = *m_model;
    Impl& s = *m_impl;
    const int T = static_cast<int>(tokens.size());
    if (T == 0) throw Error("forward: no tokens to feed (an empty prompt still needs BOS)");
    for (int t : tokens)
        if (t < 0 || t >= c.vocabSize)
            throw Error("forward: token id " + std::to_string(t) + " outside the vocabulary [0, " +
                        std::to_string(c.vocabSize) + ")");

    const auto t0 = std::chrono::steady_clock::now();
    const int dim = c.dim, hidden = c.hiddenDim, hs = c.headSize();
    const int nH = c.nHeads, qDim = nH * hs, kvDim = c.kvDim(), kvGroup = c.kvGroup();
    const int start = m_pos, nKv = start + T;
    // Why divide by sqrt(d_k): for q, k with unit-variance entries q·k has variance d_k, so
    // unscaled scores would push the softmax into saturation as heads get wider.
    const float sqrtDk = std::sqrt(float(hs));

    s.ensureCapacity(c, nKv);
    s.rope.ensure(nKv);
    growTo(s.x, size_t(T) * dim);
    growTo(s.xb, size_t(T) * dim);
    growTo(s.xb2, size_t(T) * dim);
    growTo(s.q, size_t(T) * qDim);
    growTo(s.att, size_t(T) * qDim);
    growTo(s.hb, size_t(T) * hidden);
    growTo(s.hb2, size_t(T) * hidden);

    s.history.resize(size_t(start));
    s.history.insert(s.history.end(), tokens.begin(), tokens.end());
    TraceCapture cap(trace, w, s.history, start, T);

    // Token embedding: x[t] = E[token_t]
    for (int t = 0; t < T; ++t)
        std::memcpy(&s.x[size_t(t) * dim], w.tokenEmbedding + size_t(tokens[size_t(t)]) * dim,
                    sizeof(float) * size_t(dim));

    for (int l = 0; l < c.nLayers; ++l) {
        if (stop.stop_requested()) throw Cancelled();
        const LayerWeights& lw = w.layers[size_t(l)];
        float* keys = s.keyCache[size_t(l)].data();    // [capacity, kvDim]
        float* values = s.valueCache[size_t(l)].data();  // [capacity, kvDim]
        cap.residualIn(l, s.x.data());

        // 1. Attention sublayer on the normed residual.
        for (int t = 0; t < T; ++t)
            rmsnorm(&s.xb[size_t(t) * dim], &s.x[size_t(t) * dim], lw.rmsAtt, dim, c.normEps);
        cap.attnNormOut(l, s.xb.data());

        // 2. Projections; k and v go straight into the cache at their positions.
        float* kNew = keys + size_t(start) * kvDim;    // [T, kvDim]
        float* vNew = values + size_t(start) * kvDim;  // [T, kvDim]
        ops::matmul(s.q.data(), s.xb.data(), lw.wq, T);
        ops::matmul(kNew, s.xb.data(), lw.wk, T);
        ops::matmul(vNew, s.xb.data(), lw.wv, T);

        // 3. RoPE: rotate each adjacent pair (2i, 2i+1) by pos · θ_i, θ_i = base^(-2i/d_head).
        for (int t = 0; t < T; ++t) {
            const int pos = start + t;
            for (int h = 0; h < nH; ++h) s.rope.rotate(&s.q[size_t(t) * qDim + size_t(h) * hs], pos);
            for (int h = 0; h < c.nKvHeads; ++h)
                s.rope.rotate(&kNew[size_t(t) * kvDim + size_t(h) * hs], pos);
        }
        cap.queriesKeys(l, s.q.data(), keys);

        // 4. Causal scaled dot-product attention per (token, head):
        //    a = softmax(q·Kᵀ / sqrt(d_k)) over positions 0..pos, out = a · V.
        //    Query head h reads KV head h / (nHeads / nKvHeads) (grouped-query attention).
        auto attendRow = [&](int t, int h, float* sc) {
            const int pos = start + t;
            const float* qh = &s.q[size_t(t) * qDim + size_t(h) * hs];
            const int kh = h / kvGroup;
            float maxv = -INFINITY;
            for (int j = 0; j <= pos; ++j) {
                const float* kj = keys + size_t(j) * kvDim + size_t(kh) * hs;
                float d = 0.0f;
                for (int i = 0; i < hs; ++i) d += qh[i] * kj[i];
                d /= sqrtDk;  // divided, not multiplied by 1/sqrt: bit-exact with llama2.c
                sc[j] = d;
                maxv = std::max(maxv, d);
            }
            cap.scoresRow(l, h, t, sc, pos + 1);
            float sum = 0.0f;
            for (int j = 0; j <= pos; ++j) {
                sc[j] = std::exp(sc[j] - maxv);
                sum += sc[j];
            }
            for (int j = 0; j <= pos; ++j) sc[j] /= sum;
            cap.probsRow(l, h, t, sc, pos + 1);
            float* out = &s.att[size_t(t) * qDim + size_t(h) * hs];
            std::fill(out, out + hs, 0.0f);
            for (int j = 0; j <= pos; ++j) {
                const float* vj = values + size_t(j) * kvDim + size_t(kh) * hs;
                const float a = sc[j];
                for (int i = 0; i < hs; ++i) out[i] += a * vj[i];
            }
        };
        const long work = long(T) * nH * nKv * hs;
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

        // 5. Output projection and residual add: x += Wo · att
        ops::matmul(s.xb2.data(), s.att.data(), lw.wo, T);
        cap.attnOut(l, s.xb2.data());
        for (size_t i = 0; i < size_t(T) * dim; ++i) s.x[i] += s.xb2[i];
        cap.residualMid(l, s.x.data());

        // 6. FFN sublayer (SwiGLU): x += W2 · (silu(W1·h) ⊙ W3·h), h = rms(x)
        for (int t = 0; t < T; ++t)
            rmsnorm(&s.xb[size_t(t) * dim], &s.x[size_t(t) * dim], lw.rmsFfn, dim, c.normEps);
        cap.ffnNormOut(l, s.xb.data());
        ops::matmul(s.hb.data(), s.xb.data(), lw.w1, T);
        ops::matmul(s.hb2.data(), s.xb.data(), lw.w3, T);
        for (size_t i = 0; i < size_t(T) * hidden; ++i) s.hb[i] = silu(s.hb[i]) * s.hb2[i];
        cap.ffnActivations(l, s.hb.data());
        ops::matmul(s.xb2.data(), s.hb.data(), lw.w2, T);
        cap.ffnOut(l, s.xb2.data());
        for (size_t i = 0; i < size_t(T) * dim; ++i) s.x[i] += s.xb2[i];
        cap.residualOut(l, s.x.data());
    }

    // Final norm and classifier. Only the last row is needed unless asked for all.
    const int firstRow = allLogits ? 0 : T - 1;
    const int nRows = T - firstRow;
    for (int t = firstRow; t < T; ++t)
        rmsnorm(&s.xb[size_t(t - firstRow) * dim], &s.x[size_t(t) * dim], w.rmsFinal, dim, c.normEps);
    s.logits.resize(size_t(nRows) * c.vocabSize);
    ops::matmul(s.logits.data(), s.xb.data(), w.classifier, nRows);
    m_pos = nKv;

    if (trace) {
        cap.logits(s.logits.data(), firstRow);
        trace->elapsedMs =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    }
    return s.logits;
}

std::shared_ptr<const Trace> traceTokens(std::shared_ptr<const Model> model,
                                         const std::vector<int>& tokens, const CaptureSpec& spec,
                                         const Tokenizer* tokenizer, std::stop_token stop) {
    auto trace = std::make_shared<Trace>();
    trace->spec = spec;
    Session session(model);
    session.forward(tokens, spec.logits != CaptureSpec::Logits::None, trace.get(), stop);
    if (tokenizer) {
        trace->tokenText.reserve(tokens.size());
        for (size_t i = 0; i < tokens.size(); ++i)
            trace->tokenText.push_back(tokenizer->piece(tokens[i]));
    }
    return trace;
}

}  // namespace anatomy
