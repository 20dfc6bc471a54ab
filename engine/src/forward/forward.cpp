// The forward pass, read top to bottom like the paper (and llama2.c's run.c):
//   x = embed(token)                        (Gemma: scaled by sqrt(dim); GPT-2: + P[position];
//                                            BERT: + P[position] + T[0], then LayerNorm)
//   for each layer:  h = N(x) (or x);  x = x ⊕ Wo · attention(pos(Wq h + bq), pos(Wk h + bk), Wv h + bv)
//                    h = N(x) (or x);  x = x ⊕ FFN(h)
//                    (parallel residual, Pythia: both sublayers read the layer input x)
//   logits = Wcls · N(x)                    (Gemma 2: soft-capped; an encoder, BERT, stops at x)
// where the architecture description (architecture.h) decides every choice: the norm and its
// placement ⊕ (block.h), the positional scheme (positions.h), the attention variant
// (attention.h), the FFN and its experts (ffn.h). A batch of T tokens goes through
// matrix-matrix products (prefill), T = 1 through matrix-vector products (decode); both read
// and extend the same KV cache.
#include <chrono>
#include <cmath>
#include <cstring>
#include <optional>

#include "anatomy/error.h"
#include "attention/head_intervention.h"
#include "attention/output_gate.h"
#include "norm/norm.h"
#include "anatomy/sim_settings.h"
#include "attention/attention.h"
#include "attention/latent_attention.h"
#include "forward/bias.h"
#include "forward/block.h"
#include "ffn/ffn.h"
#include "forward/forward_state.h"
#include "kernels/matmul.h"
#include "positions/positions.h"
#include "anatomy/pooling.h"
#include "trace/trace_capture.h"

namespace anatomy {

namespace {

void checkTokens(std::span<const int> tokens, int vocabSize) {
    if (tokens.empty()) throw Error("forward: no tokens to feed (an empty prompt still needs BOS)");
    for (int t : tokens)
        if (t < 0 || t >= vocabSize)
            throw Error("forward: token id " + std::to_string(t) + " outside the vocabulary [0, " +
                        std::to_string(vocabSize) + ")");
}

}  // namespace

const std::vector<float>& Session::forward(std::span<const int> tokens, bool allLogits,
                                           Trace* trace, std::stop_token stop) {
    const ModelConfig& c = m_model->config;
    const Model& w = *m_model;
    Impl& s = *m_impl;
    const Architecture& arch = s.arch;
    checkTokens(tokens, c.vocabSize);
    const auto t0 = std::chrono::steady_clock::now();
    const int T = int(tokens.size()), start = m_pos, nKv = start + T, dim = c.dim;
    const int qDim = c.nHeads * c.headSize(), kvDim = s.kvHeads * c.headSize();
    const Rows rows{T, dim};
    s.prepare(c, tokens, start);

    ModelConfig runConfig = c;  // the architecture that runs: KV sharing changes the KV heads
    runConfig.nKvHeads = s.kvHeads;
    // An encoder has no classifier: nothing to record for the logits or the logit lens.
    if (trace && !arch.languageModel) {
        trace->spec.logits = CaptureSpec::Logits::None;
        trace->spec.logitLens = false;
    }
    TraceCapture cap(trace, w, s.history, start, T, &runConfig);
    cap.setFinalNorm(arch.finalNorm.type, arch.finalNorm.eps);
    cap.setFinalSoftCap(arch.finalSoftCap);
    if (trace && !s.moe.empty()) trace->moe.assign(size_t(c.nLayers), MoeLayerTrace{});

    // 0. Token embedding: x[t] = E[token_t] (times sqrt(dim) for Gemma, plus P[pos] for GPT-2)
    for (int t = 0; t < T; ++t)
        w.embed(tokens[size_t(t)], &s.x[size_t(t) * dim]);
    if (arch.embeddings.scale != 1.0f)
        for (size_t i = 0; i < size_t(T) * dim; ++i) s.x[i] *= arch.embeddings.scale;
    if (arch.embeddings.learnedPositions) {
        // The table covers the trained context only: there is nothing learned past it.
        if (nKv > c.seqLen)
            throw Error("forward: position " + std::to_string(nKv - 1) + " is past the " + std::to_string(c.seqLen) +
                        " learned position embeddings of this model");
        for (int t = 0; t < T; ++t) addBias(&s.x[size_t(t) * dim], w.positionEmbedding + size_t(start + t) * dim, 1, dim);
    }
    // BERT: + T[0] (every token is of type 0, "sentence A"), then x = LayerNorm(x) g + b.
    if (arch.embeddings.tokenType) addBias(s.x.data(), w.tokenTypeEmbedding, T, dim);
    if (const std::optional<NormSpec>& n = arch.embeddings.norm) {
        for (int t = 0; t < T; ++t)
            applyNorm(n->type, &s.x[size_t(t) * dim], &s.x[size_t(t) * dim], w.embeddingNorm, dim, n->eps);
        addBias(s.x.data(), w.embeddingNormBias, T, dim);
    }

    for (int l = 0; l < c.nLayers; ++l) {
        if (stop.stop_requested()) throw Cancelled();
        const LayerSpec& L = arch.layers[size_t(l)];
        const LayerWeights& lw = w.layers[size_t(l)];
        const bool latent = L.attention.latentRank > 0;  // MLA (latent_attention.h)
        float* keys = s.keyCache[size_t(l)].data();      // [capacity, kvDim] (MLA: the latents [capacity, r])
        float* values = s.valueCache[size_t(l)].data();  // [capacity, kvDim] (MLA: the RoPE keys [capacity, d_r])
        float* kNew = keys + size_t(start) * s.keyWidth(c);      // [T, kvDim] this batch's keys
        float* vNew = values + size_t(start) * s.valueWidth(c);  // [T, kvDim]
        cap.residualIn(l, s.x.data());

        // 1. Attention sublayer input: h = N(x), or x for post-norm placements.
        const SublayerNorm attNorm{lw.rmsAtt, lw.attNormBias, lw.postAttNorm, {lw.attNormMean, lw.attNormVar}};
        sublayerInput(L, rows, s.xb.data(), s.x.data(), attNorm);
        cap.attnNormOut(l, s.xb.data());

        if (latent) {
            // 2-3 (MLA). c = W_dkv h and k_r = RoPE(W_kr h) go into the cache; q = [W_q h ; RoPE(W_qr h)].
            latentProjections(lw, L.attention, s.latentRope, s.xb.data(), start, T, kNew, vNew, s.qWide.data(),
                              s.q.data(), s.qRope.data());
        } else {
            // 2. Projections q = Wq h + bq, k = Wk h + bk, v = Wv h + bv; k and v go straight into the
            //    cache. QK-norm (Qwen 3) normalises every query and key head before RoPE.
            const ops::SameInputProduct qkv[] = {{s.q.data(), &lw.wq},
                                                 {kNew, s.kv ? &s.kv->wk[size_t(l)] : &lw.wk},
                                                 {vNew, s.kv ? &s.kv->wv[size_t(l)] : &lw.wv}};
            ops::matmulSameInput(qkv, s.xb.data(), T);
            addBias(s.q.data(), lw.bq, T, qDim);
            addBias(kNew, lw.bk, T, kvDim);
            addBias(vNew, lw.bv, T, kvDim);
            if (L.attention.qkNorm) {
                normHeads(L.norm.type, s.q.data(), lw.qNorm, T * c.nHeads, c.headSize(), L.norm.eps);
                normHeads(L.norm.type, kNew, lw.kNorm, T * s.kvHeads, c.headSize(), L.norm.eps);
            }
            if (L.attention.dualChunkRope) std::memcpy(s.qRaw.data(), s.q.data(), sizeof(float) * size_t(T) * qDim);

            // 3. Positions: RoPE rotates q and k (ALiBi acts on the scores, none does nothing).
            applyPositions(arch.positions, L.attention, s.rope, s.q.data(), kNew, start, T);
            cap.queriesKeys(l, s.q.data(), keys, values);
        }

        // 4. Attention: softmax(q·Kᵀ / sqrt(d_k)) · V per head, the variant chosen once here.
        AttentionInput in;
        in.spec = &L.attention;
        in.layer = l;
        in.start = start;
        in.T = T;
        in.trainedContext = c.seqLen;
        in.q = latent ? s.qWide.data() : s.q.data();
        in.upKeys = lw.wuk.f32;
        in.upValues = lw.wuv.f32;
        in.qRaw = s.qRaw.data();
        in.keys = keys;
        in.values = values;
        in.rope = &s.rope;
        in.alibiSlopes = s.alibi.data();
        // int8 models match runq.c bit for bit, libm exp included; float models stay within 1e-4.
        in.exactSoftmax = w.classifier.quantized();
        in.out = s.att.data();
        in.cap = &cap;
        attend(chooseAttention(L.attention, T, in.exactSoftmax), in);
        // Gated attention (trained): o_h <- o_h * sigmoid(W_g h), before any intervention.
        applyOutputGate(L.attention.outputGate, lw.wg, s.xb.data(), s.att.data(), s.gate.data(), T, c.nHeads,
                        c.headSize());
        // Head ablations and gates (head_intervention.h), before the heads are mixed by Wo.
        if (!L.attention.heads.empty())
            applyHeadInterventions(L.attention.heads, l, s.att.data(), s.headHistory[size_t(l)], start, T,
                                   c.nHeads, c.headSize());

        // 5. Output projection and residual: x = x ⊕ (Wo · att + bo). A parallel residual holds
        //    the attention output back until the FFN, which reads the same x, has run.
        ops::matmul(s.xb2.data(), s.att.data(), lw.wo, T);
        addBias(s.xb2.data(), lw.bo, T, dim);
        cap.attnOut(l, s.xb2.data());
        if (L.residual.parallel) std::swap(s.xb2, s.attnOut);
        else residualAdd(L, rows, s.x.data(), s.xb2.data(), attNorm);
        cap.residualMid(l, s.x.data());

        // 6. FFN sublayer: x = x ⊕ W2 · (act(W1 h) ⊙ W3 h), h = N(x) or x; MoE keeps top-k experts.
        const SublayerNorm ffnNorm{lw.rmsFfn, lw.ffnNormBias, lw.postFfnNorm, {lw.ffnNormMean, lw.ffnNormVar}};
        sublayerInput(L, rows, s.xb.data(), s.x.data(), ffnNorm);
        cap.ffnNormOut(l, s.xb.data());
        feedForward(L.ffn, lw, s.moe.empty() ? nullptr : &s.moe[size_t(l)], arch.moe, l, start, T,
                    FfnBuffers{s.xb.data(), s.hb.data(), s.hb2.data(), s.xb2.data()}, cap,
                    trace && !s.moe.empty() ? &trace->moe[size_t(l)] : nullptr);
        cap.ffnOut(l, s.xb2.data());
        residualAdd(L, rows, s.x.data(), s.xb2.data(), ffnNorm);
        if (L.residual.parallel) addBias(s.x.data(), s.attnOut.data(), 1, T * dim);  // x += Attn(N1 x)
        cap.residualOut(l, s.x.data());
    }

    // 7. Final norm and classifier: logits = Wcls · N(x). Only the last row unless asked for all.
    //    An encoder stops at x [T, dim], its hidden states (hiddenStates(), pooling.h).
    const int firstRow = allLogits ? 0 : T - 1;
    const int nRows = T - firstRow;
    s.hiddenRows = T;
    if (!arch.languageModel) {
        s.logits.clear();
    } else {
        for (int t = firstRow; t < T; ++t)
            applyNorm(arch.finalNorm.type, &s.xb[size_t(t - firstRow) * dim], &s.x[size_t(t) * dim], w.rmsFinal, dim,
                      arch.finalNorm.eps, {w.finalNormMean, w.finalNormVar});
        addBias(s.xb.data(), w.finalNormBias, nRows, dim);
        s.logits.resize(size_t(nRows) * c.vocabSize);
        ops::matmul(s.logits.data(), s.xb.data(), w.classifier, nRows);
        // Final logit soft-capping (Gemma 2): logits = c tanh(logits / c).
        if (const float cap = arch.finalSoftCap; cap > 0.0f)
            for (float& z : s.logits) z = cap * std::tanh(z / cap);
    }
    m_pos = nKv;

    if (trace) {
        if (arch.languageModel) cap.logits(s.logits.data(), firstRow);
        else if (start == 0 && arch.pooling != Pooling::None)
            trace->embedding = pooledEmbedding(arch.pooling, hiddenStates(), T, dim);
        trace->settings = s.settings;
        trace->architecture = arch;
        trace->elapsedMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    }
    return s.logits;
}

}  // namespace anatomy
