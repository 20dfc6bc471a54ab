// The encoder-decoder forward pass (T5, encoder_decoder.h), read top to bottom like the paper:
//   encode:  x = E[input]
//            for each encoder layer:  x = x + Wo Attn(N1 x)     bidirectional, + relative bias
//                                     x = x + FFN(N2 x)         ReLU (T5) or gated GELU (flan-t5)
//            e = N_enc(x);  per decoder layer K_l = Wk_l e, V_l = Wv_l e   (the fixed cross cache)
//   decode:  x = E[token]
//            for each decoder layer:  x = x + Wo Attn(N1 x)     causal over the KV cache, + relative bias
//                                     x = x + Wo' CrossAttn(N2 x; K_l, V_l)
//                                     x = x + FFN(N3 x)
//            logits = Wcls N_dec(x)
// Every N is T5's LayerNorm: RMS, no mean subtraction, no bias (norm.h's rmsNorm).
#include <cmath>
#include <cstring>

#include "anatomy/encoder_decoder.h"
#include "anatomy/error.h"
#include "attention/cross_attention.h"
#include "ffn/ffn.h"
#include "forward/bias.h"
#include "kernels/matmul.h"
#include "norm/norm.h"
#include "trace/trace_capture.h"

namespace anatomy {

bool isEncoderDecoder(const Model& m) { return m.encoderDecoder != nullptr; }

void requireDecoderOnly(const Model& m, const std::string& what) {
    if (isEncoderDecoder(m))
        throw Error(what + ": " + m.architecture.name +
                    " is an encoder-decoder model (encoder, decoder and cross-attention); this runs decoder-only "
                    "models, an encoder-decoder runs in generate and trace");
}

struct EncoderDecoderSession::Impl {
    std::vector<float> encOut;                   // [nEnc, dim]
    int nEnc = 0;
    std::vector<std::vector<float>> crossK;      // [nLayers][nEnc, kvDim]
    std::vector<std::vector<float>> crossV;      // [nLayers][nEnc, kvDim]
    std::vector<std::vector<float>> selfK;       // [nLayers][capacity, kvDim] the decoder's KV cache
    std::vector<std::vector<float>> selfV;
    std::vector<int> history;                    // [pos] decoder tokens the cache holds
    int pos = 0;
    // Scratch for T rows.
    std::vector<float> x, xb, q, att, xb2, hb, hb2, logits;

    void size(const ModelConfig& c, int T) {
        const size_t t = size_t(T);
        for (auto* v : {&x, &xb, &xb2}) v->resize(t * size_t(c.dim));
        for (auto* v : {&q, &att}) v->resize(t * size_t(c.qDim()));
        for (auto* v : {&hb, &hb2}) v->resize(t * size_t(c.hiddenDim));
    }
};

EncoderDecoderSession::EncoderDecoderSession(std::shared_ptr<const Model> model)
    : m_model(std::move(model)), m_impl(new Impl) {
    if (!m_model || !isEncoderDecoder(*m_model))
        throw Error("encoder-decoder: the model is decoder-only (" + (m_model ? m_model->architecture.name : "none") + ")");
    const size_t L = size_t(m_model->config.nLayers);
    m_impl->crossK.resize(L);
    m_impl->crossV.resize(L);
    m_impl->selfK.resize(L);
    m_impl->selfV.resize(L);
}

EncoderDecoderSession::~EncoderDecoderSession() = default;

int EncoderDecoderSession::decoderStartToken() const { return m_model->architecture.encoderDecoder.decoderStartToken; }
const std::vector<float>& EncoderDecoderSession::encoderOutput() const { return m_impl->encOut; }
int EncoderDecoderSession::encodedLength() const { return m_impl->nEnc; }
int EncoderDecoderSession::position() const { return m_impl->pos; }

void EncoderDecoderSession::resetDecoder() {
    m_impl->pos = 0;
    m_impl->history.clear();
}

namespace {

void checkIds(std::span<const int> tokens, int vocab, const char* what) {
    for (int t : tokens)
        if (t < 0 || t >= vocab)
            throw Error(std::string(what) + ": token id " + std::to_string(t) + " outside the vocabulary [0, " +
                        std::to_string(vocab) + ")");
}

// h [T, dim] = RMSNorm(x) * g, row by row.
void normRows(float* h, const float* x, const float* g, int T, int dim, float eps) {
    for (int t = 0; t < T; ++t) rmsNorm(h + size_t(t) * dim, x + size_t(t) * dim, g, dim, eps);
}

}  // namespace

void EncoderDecoderSession::encode(std::span<const int> input, EncoderDecoderTrace* trace, std::stop_token stop) {
    const Model& m = *m_model;
    const ModelConfig& c = m.config;
    const EncoderDecoderWeights& ew = *m.encoderDecoder;
    const EncoderDecoderSpec& spec = m.architecture.encoderDecoder;
    if (input.empty()) throw Error("encode: the input has no tokens (an empty text still needs </s>)");
    checkIds(input, c.vocabSize, "encode");
    Impl& s = *m_impl;
    const int T = int(input.size()), dim = c.dim, kvDim = c.kvDim();
    s.size(c, T);
    std::vector<float> k(size_t(T) * kvDim), v(size_t(T) * kvDim);  // [T, kvDim]
    if (trace) {
        trace->nEnc = T;
        trace->encoderTokens.assign(input.begin(), input.end());
        trace->encoderLayers.assign(size_t(c.nLayers), LayerTrace{});
    }
    TraceCapture cap(nullptr, m, {}, 0, T);

    // 0. x = E[input]
    for (int t = 0; t < T; ++t) m.embed(input[size_t(t)], &s.x[size_t(t) * dim]);
    for (int l = 0; l < c.nLayers; ++l) {
        if (stop.stop_requested()) throw Cancelled();
        const LayerSpec& L = spec.encoderLayers[size_t(l)];
        const LayerWeights& w = ew.encoder[size_t(l)];
        // 1. Self-attention over the whole input, every key visible, plus the stack's bias.
        normRows(s.xb.data(), s.x.data(), w.rmsAtt, T, dim, L.norm.eps);
        ops::matmul(s.q.data(), s.xb.data(), w.wq, T);
        ops::matmul(k.data(), s.xb.data(), w.wk, T);
        ops::matmul(v.data(), s.xb.data(), w.wv, T);
        AttentionRows a;
        a.q = s.q.data();
        a.keys = k.data();
        a.values = v.data();
        a.nQ = a.nK = T;
        a.nHeads = c.nHeads;
        a.nKvHeads = c.nKvHeads;
        a.headSize = c.headSize();
        a.scale = L.attention.scale / std::sqrt(float(c.headSize()));  // T5: exactly 1
        a.biasTable = ew.encoderBias(l);
        a.nBuckets = spec.relativeBuckets;
        a.maxDistance = spec.relativeMaxDistance;
        a.bidirectional = true;
        a.out = s.att.data();
        if (trace) {
            LayerTrace& lt = trace->encoderLayers[size_t(l)];
            lt.attnScores = FloatArray({c.nHeads, T, T});
            lt.attnProbs = FloatArray({c.nHeads, T, T});
            a.scores = &lt.attnScores;
            a.probs = &lt.attnProbs;
        }
        attendRows(a);
        ops::matmul(s.xb2.data(), s.att.data(), w.wo, T);
        addBias(s.x.data(), s.xb2.data(), 1, T * dim);  // x += Wo att
        // 2. FFN: x += FFN(N(x))
        normRows(s.xb.data(), s.x.data(), w.rmsFfn, T, dim, L.norm.eps);
        feedForward(L.ffn, w, nullptr, MoeParams{}, l, 0, T, FfnBuffers{s.xb.data(), s.hb.data(), s.hb2.data(), s.xb2.data()},
                    cap, nullptr);
        addBias(s.x.data(), s.xb2.data(), 1, T * dim);
    }
    // 3. e = N_enc(x), then every decoder layer's cross-attention keys and values, once.
    s.encOut.resize(size_t(T) * dim);
    normRows(s.encOut.data(), s.x.data(), ew.encoderFinalNorm, T, dim, spec.encoderFinalNorm.eps);
    for (int l = 0; l < c.nLayers; ++l) {
        s.crossK[size_t(l)].resize(size_t(T) * kvDim);
        s.crossV[size_t(l)].resize(size_t(T) * kvDim);
        ops::matmul(s.crossK[size_t(l)].data(), s.encOut.data(), ew.cross[size_t(l)].wk, T);
        ops::matmul(s.crossV[size_t(l)].data(), s.encOut.data(), ew.cross[size_t(l)].wv, T);
    }
    s.nEnc = T;
    resetDecoder();
    if (trace) {
        trace->encoderOutput = FloatArray({T, dim});
        std::memcpy(trace->encoderOutput.data.data(), s.encOut.data(), sizeof(float) * s.encOut.size());
        const int64_t B = spec.relativeBuckets, H = c.nHeads;
        trace->relativeBuckets = spec.relativeBuckets;
        trace->relativeMaxDistance = spec.relativeMaxDistance;
        trace->encoderBiasTable = FloatArray({B, H});
        trace->decoderBiasTable = FloatArray({B, H});
        std::memcpy(trace->encoderBiasTable.data.data(), ew.encoderBias(0), sizeof(float) * size_t(B * H));
        std::memcpy(trace->decoderBiasTable.data.data(), ew.decoderBias(0), sizeof(float) * size_t(B * H));
    }
}

const std::vector<float>& EncoderDecoderSession::decode(std::span<const int> tokens, bool allLogits, Trace* trace,
                                                        EncoderDecoderTrace* cross, std::stop_token stop) {
    const Model& m = *m_model;
    const ModelConfig& c = m.config;
    const EncoderDecoderWeights& ew = *m.encoderDecoder;
    const Architecture& arch = m.architecture;
    const EncoderDecoderSpec& spec = arch.encoderDecoder;
    Impl& s = *m_impl;
    if (s.nEnc == 0) throw Error("decode: nothing encoded yet (encode the input first)");
    if (tokens.empty()) throw Error("decode: no tokens to feed (the decoder starts from its start token)");
    checkIds(tokens, c.vocabSize, "decode");
    const int T = int(tokens.size()), start = s.pos, nKv = start + T, dim = c.dim, kvDim = c.kvDim();
    s.size(c, T);
    s.history.insert(s.history.end(), tokens.begin(), tokens.end());
    for (int l = 0; l < c.nLayers; ++l) {
        for (auto* cache : {&s.selfK[size_t(l)], &s.selfV[size_t(l)]})
            if (cache->size() < size_t(nKv) * kvDim) cache->resize(size_t(std::max(nKv, 2 * start)) * kvDim);
    }
    TraceCapture cap(trace, m, s.history, start, T);
    if (cross) cross->crossLayers.assign(size_t(c.nLayers), LayerTrace{});

    // 0. x = E[token]
    for (int t = 0; t < T; ++t) m.embed(tokens[size_t(t)], &s.x[size_t(t) * dim]);
    for (int l = 0; l < c.nLayers; ++l) {
        if (stop.stop_requested()) throw Cancelled();
        const LayerSpec& L = arch.layers[size_t(l)];
        const LayerWeights& w = m.layers[size_t(l)];
        const CrossAttentionWeights& xw = ew.cross[size_t(l)];
        float* keys = s.selfK[size_t(l)].data();
        float* values = s.selfV[size_t(l)].data();
        cap.residualIn(l, s.x.data());
        // 1. Causal self-attention over the decoder's cache, plus the decoder stack's bias.
        normRows(s.xb.data(), s.x.data(), w.rmsAtt, T, dim, L.norm.eps);
        cap.attnNormOut(l, s.xb.data());
        ops::matmul(s.q.data(), s.xb.data(), w.wq, T);
        ops::matmul(keys + size_t(start) * kvDim, s.xb.data(), w.wk, T);
        ops::matmul(values + size_t(start) * kvDim, s.xb.data(), w.wv, T);
        cap.queriesKeys(l, s.q.data(), keys, values);
        AttentionRows a;
        a.q = s.q.data();
        a.keys = keys;
        a.values = values;
        a.nQ = T;
        a.nK = nKv;
        a.nHeads = c.nHeads;
        a.nKvHeads = c.nKvHeads;
        a.headSize = c.headSize();
        a.scale = L.attention.scale / std::sqrt(float(c.headSize()));
        a.queryStart = start;
        a.causal = true;
        a.biasTable = ew.decoderBias(l);
        a.nBuckets = spec.relativeBuckets;
        a.maxDistance = spec.relativeMaxDistance;
        a.out = s.att.data();
        a.cap = &cap;
        a.layer = l;
        attendRows(a);
        ops::matmul(s.xb2.data(), s.att.data(), w.wo, T);
        cap.attnOut(l, s.xb2.data());
        addBias(s.x.data(), s.xb2.data(), 1, T * dim);
        // 2. Cross-attention: queries from the decoder, keys and values from the encoder output.
        normRows(s.xb.data(), s.x.data(), xw.norm, T, dim, L.norm.eps);
        ops::matmul(s.q.data(), s.xb.data(), xw.wq, T);
        AttentionRows x = a;
        x.keys = s.crossK[size_t(l)].data();
        x.values = s.crossV[size_t(l)].data();
        x.nK = s.nEnc;
        x.queryStart = 0;
        x.causal = false;
        x.biasTable = nullptr;  // T5 learns no bias for cross-attention (llama.cpp reads, never uses, cross_attn_rel_b)
        x.cap = nullptr;
        if (cross) {
            LayerTrace& lt = cross->crossLayers[size_t(l)];
            lt.attnScores = FloatArray({c.nHeads, T, s.nEnc});
            lt.attnProbs = FloatArray({c.nHeads, T, s.nEnc});
            x.scores = &lt.attnScores;
            x.probs = &lt.attnProbs;
        }
        attendRows(x);
        ops::matmul(s.xb2.data(), s.att.data(), xw.wo, T);
        addBias(s.x.data(), s.xb2.data(), 1, T * dim);
        cap.residualMid(l, s.x.data());
        // 3. FFN
        normRows(s.xb.data(), s.x.data(), w.rmsFfn, T, dim, L.norm.eps);
        cap.ffnNormOut(l, s.xb.data());
        feedForward(L.ffn, w, nullptr, MoeParams{}, l, start, T,
                    FfnBuffers{s.xb.data(), s.hb.data(), s.hb2.data(), s.xb2.data()}, cap, nullptr);
        cap.ffnOut(l, s.xb2.data());
        addBias(s.x.data(), s.xb2.data(), 1, T * dim);
        cap.residualOut(l, s.x.data());
    }
    // 4. logits = Wcls N_dec(x), the last row unless all are asked for.
    const int firstRow = allLogits ? 0 : T - 1, nRows = T - firstRow;
    normRows(s.xb.data(), s.x.data() + size_t(firstRow) * dim, m.rmsFinal, nRows, dim, arch.finalNorm.eps);
    s.logits.resize(size_t(nRows) * c.vocabSize);
    ops::matmul(s.logits.data(), s.xb.data(), m.classifier, nRows);
    s.pos = nKv;
    if (trace) {
        cap.logits(s.logits.data(), firstRow);
        trace->architecture = arch;
    }
    return s.logits;
}

}  // namespace anatomy
