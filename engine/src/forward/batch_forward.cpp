// One decode step for several sessions at once (beam search's live hypotheses): the same
// forward pass as forward.cpp, step for step, with row i belonging to session i at its own
// position. What only reads weights runs over the n rows together, as a prefill does (the
// projections, the FFN, the classifier: matrix-matrix products, one pass over each weight);
// what reads a cache runs per row on its own session (positions, attention, head
// interventions). The rows' logits can differ from n single-token passes by float rounding of
// the matrix-matrix kernel (as prefill differs from decode), never by more.
#include <algorithm>
#include <cstring>

#include "anatomy/error.h"
#include "attention/attention.h"
#include "attention/head_intervention.h"
#include "attention/shared_prefix_attention.h"
#include "ffn/ffn.h"
#include "forward/block.h"
#include "forward/forward_state.h"
#include "kernels/matmul.h"
#include "norm/norm.h"
#include "positions/positions.h"
#include "trace/trace_capture.h"

namespace anatomy {

std::vector<float> Session::forwardEach(std::span<Session* const> sessions, std::span<const int> tokens,
                                        std::stop_token stop, int sharedPrefix) {
    const int n = int(sessions.size());
    if (n == 0 || tokens.size() != sessions.size())
        throw Error("forwardEach: " + std::to_string(sessions.size()) + " sessions but " +
                    std::to_string(tokens.size()) + " tokens");
    Session& first = *sessions[0];
    const ModelConfig& c = first.m_model->config;
    for (Session* s : sessions)
        if (s->m_model != first.m_model || !(s->m_impl->settings == first.m_impl->settings))
            throw Error("forwardEach: the sessions run different models or settings");
    // The shared prefix must at least hold the same tokens in every session (its bits are the
    // caller's promise: copies of one computation).
    for (Session* s : sessions) {
        if (sharedPrefix < 0 || sharedPrefix > s->m_pos || s->cachedTokens().size() < size_t(sharedPrefix))
            throw Error("forwardEach: shared prefix " + std::to_string(sharedPrefix) + " outside a cache of " +
                        std::to_string(s->m_pos) + " positions");
        if (!std::equal(s->cachedTokens().begin(), s->cachedTokens().begin() + sharedPrefix,
                        first.cachedTokens().begin()))
            throw Error("forwardEach: the sessions' caches differ within the shared prefix");
    }
    const int V = c.vocabSize;
    // One session, experts (their routing is per batch), or an architecture other than Llama's
    // (biases, parallel residual, QK-norm, ...: forward.cpp has them): the plain pass, row by row.
    if (n == 1 || !first.m_impl->moe.empty() || first.m_impl->arch.name != "llama") {
        std::vector<float> out(size_t(n) * V);
        for (int i = 0; i < n; ++i) {
            const int one[1] = {tokens[size_t(i)]};
            const std::vector<float>& l = sessions[size_t(i)]->forward(one, false, nullptr, stop);
            std::memcpy(&out[size_t(i) * V], l.data(), sizeof(float) * size_t(V));
        }
        return out;
    }
    for (int t : tokens)
        if (t < 0 || t >= V) throw Error("forward: token id " + std::to_string(t) + " outside the vocabulary");
    const Model& w = *first.m_model;
    const Architecture& arch = first.m_impl->arch;
    const int dim = c.dim, qDim = c.nHeads * c.headSize(), kvDim = first.m_impl->kvHeads * c.headSize();
    const Rows rows{n, dim};
    std::vector<int> rowPos(static_cast<size_t>(n));                        // [n] each row's position
    std::vector<const float*> rowKeys(static_cast<size_t>(n)), rowValues(static_cast<size_t>(n));  // [n] a layer's caches
    for (int i = 0; i < n; ++i) {
        rowPos[size_t(i)] = sessions[size_t(i)]->m_pos;
        sessions[size_t(i)]->m_impl->prepare(c, tokens.subspan(size_t(i), 1), rowPos[size_t(i)]);
    }
    // The batch's scratch, [n, width] each.
    std::vector<float> x(size_t(n) * dim), xb(size_t(n) * dim), xb2(size_t(n) * dim), q(size_t(n) * qDim),
        qRaw(size_t(n) * qDim), att(size_t(n) * qDim), hb(size_t(n) * c.hiddenDim), hb2(size_t(n) * c.hiddenDim),
        k(size_t(n) * kvDim), v(size_t(n) * kvDim);
    ModelConfig runConfig = c;
    runConfig.nKvHeads = first.m_impl->kvHeads;
    TraceCapture cap(nullptr, w, {}, 0, n, &runConfig);  // records nothing

    // 0. x[i] = E[token_i]
    for (int i = 0; i < n; ++i)
        w.embed(tokens[size_t(i)], &x[size_t(i) * dim]);
    for (int l = 0; l < c.nLayers; ++l) {
        if (stop.stop_requested()) throw Cancelled();
        const LayerSpec& L = arch.layers[size_t(l)];
        const LayerWeights& lw = w.layers[size_t(l)];
        const KvWeights* kvw = first.m_impl->kv.get();
        // 1-2. h = N(x); q, k, v for every row at once.
        sublayerInput(L, rows, xb.data(), x.data(), lw.rmsAtt);
        ops::matmul(q.data(), xb.data(), lw.wq, n);
        ops::matmul(k.data(), xb.data(), kvw ? kvw->wk[size_t(l)] : lw.wk, n);
        ops::matmul(v.data(), xb.data(), kvw ? kvw->wv[size_t(l)] : lw.wv, n);
        if (L.attention.dualChunkRope) qRaw = q;
        // 3. Per row, on its own session: k and v into its cache, positions.
        for (int i = 0; i < n; ++i) {
            Session& s = *sessions[size_t(i)];
            Impl& si = *s.m_impl;
            const int start = s.m_pos;
            float* kNew = si.keyCache[size_t(l)].data() + size_t(start) * kvDim;
            std::memcpy(kNew, &k[size_t(i) * kvDim], sizeof(float) * size_t(kvDim));
            std::memcpy(si.valueCache[size_t(l)].data() + size_t(start) * kvDim, &v[size_t(i) * kvDim],
                        sizeof(float) * size_t(kvDim));
            applyPositions(arch.positions, L.attention, si.rope, &q[size_t(i) * qDim], kNew, start, 1);
        }
        // 4. Attention: over the shared prefix once for all rows where the variant allows
        // (shared_prefix_attention.h, the same bits as row by row), else each row on its own.
        const bool exact = w.classifier.quantized();
        if (sharedPrefix > 0 && sharedPrefixApplies(L.attention, exact)) {
            for (int i = 0; i < n; ++i) {
                const Impl& si = *sessions[size_t(i)]->m_impl;
                rowKeys[size_t(i)] = si.keyCache[size_t(l)].data();
                rowValues[size_t(i)] = si.valueCache[size_t(l)].data();
            }
            SharedPrefixRows in;
            in.spec = &L.attention;
            in.n = n;
            in.prefix = sharedPrefix;
            in.q = q.data();
            in.keys = rowKeys.data();
            in.values = rowValues.data();
            in.pos = rowPos.data();
            in.out = att.data();
            attendSharedPrefix(in);
        } else {
            for (int i = 0; i < n; ++i) {
                Impl& si = *sessions[size_t(i)]->m_impl;
                AttentionInput in;
                in.spec = &L.attention;
                in.layer = l;
                in.start = rowPos[size_t(i)];
                in.T = 1;
                in.trainedContext = c.seqLen;
                in.q = &q[size_t(i) * qDim];
                in.qRaw = &qRaw[size_t(i) * qDim];
                in.keys = si.keyCache[size_t(l)].data();
                in.values = si.valueCache[size_t(l)].data();
                in.rope = &si.rope;
                in.alibiSlopes = si.alibi.data();
                in.exactSoftmax = exact;
                in.out = &att[size_t(i) * qDim];
                in.cap = &cap;
                attend(chooseAttention(L.attention, 1, in.exactSoftmax), in);
            }
        }
        if (!L.attention.heads.empty())
            for (int i = 0; i < n; ++i)
                applyHeadInterventions(L.attention.heads, l, &att[size_t(i) * qDim],
                                       sessions[size_t(i)]->m_impl->headHistory[size_t(l)], rowPos[size_t(i)], 1,
                                       c.nHeads, c.headSize());
        // 5-6. x = x ⊕ Wo att;  x = x ⊕ FFN(N(x)), every row at once.
        ops::matmul(xb2.data(), att.data(), lw.wo, n);
        residualAdd(L, rows, x.data(), xb2.data(), lw.rmsAtt);
        sublayerInput(L, rows, xb.data(), x.data(), lw.rmsFfn);
        feedForward(L.ffn, lw, nullptr, arch.moe, l, 0, n, FfnBuffers{xb.data(), hb.data(), hb2.data(), xb2.data()}, cap,
                    nullptr);
        residualAdd(L, rows, x.data(), xb2.data(), lw.rmsFfn);
    }
    // 7. logits = Wcls N(x), [n, vocab].
    for (int i = 0; i < n; ++i)
        applyNorm(arch.finalNorm.type, &xb[size_t(i) * dim], &x[size_t(i) * dim], w.rmsFinal, dim, arch.finalNorm.eps);
    std::vector<float> logits(size_t(n) * V);
    ops::matmul(logits.data(), xb.data(), w.classifier, n);
    for (Session* s : sessions) ++s->m_pos;
    return logits;
}

}  // namespace anatomy
