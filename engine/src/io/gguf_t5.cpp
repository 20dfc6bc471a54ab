#include "io/gguf_t5.h"

#include <cmath>

#include "anatomy/encoder_decoder.h"
#include "anatomy/error.h"
#include "io/finite_weights.h"
#include "io/gguf_architectures.h"

namespace anatomy {

const float* EncoderDecoderWeights::encoderBias(int layer) const {
    const float* b = encoderRelativeBias[size_t(layer)];
    return b ? b : encoderRelativeBias.front();
}

const float* EncoderDecoderWeights::decoderBias(int layer) const {
    const float* b = decoderRelativeBias[size_t(layer)];
    return b ? b : decoderRelativeBias.front();
}

Architecture t5Architecture(const GgufSource& f, const GgufArchitecture& g, const ModelConfig& c) {
    Architecture a = llamaArchitecture(c);
    a.name = g.name;
    a.embeddings.tiedClassifier = c.sharedClassifier;
    a.positions.kind = PositionEncoding::None;  // positions enter as the relative bias on the scores
    const bool gated = f.tensorShape("enc.blk.0.ffn_gate.weight") != nullptr;
    for (LayerSpec& L : a.layers) {
        L.norm = NormSpec{NormType::Rms, c.normEps, false};  // T5's LayerNorm: RMS, no mean, no bias
        // kq_scale 1: no 1/sqrt(d_k) (AttentionSpec::scale multiplies it away).
        L.attention.scale = std::sqrt(float(c.headSize()));
        L.ffn.gated = gated;
        L.ffn.activation = gated ? Activation::GeluTanh : Activation::Relu;
    }
    a.finalNorm = NormSpec{NormType::Rms, c.normEps, false};
    EncoderDecoderSpec& e = a.encoderDecoder;
    e.enabled = true;
    e.encoderLayers = a.layers;
    for (LayerSpec& L : e.encoderLayers) L.attention.mask = AttentionMask::Bidirectional;
    e.encoderFinalNorm = a.finalNorm;
    const std::string bucketsKey = g.key("attention.relative_buckets_count");
    if (!f.hasKey(bucketsKey)) f.fail(bucketsKey, "a required metadata key", "missing");
    e.relativeBuckets = f.getInt(bucketsKey);
    if (e.relativeBuckets < 4 || e.relativeBuckets > 4096 || e.relativeBuckets % 4 != 0)
        f.fail(bucketsKey, "a multiple of 4 from 4 to 4096 (two directions of exact and log-spaced buckets)",
               std::to_string(e.relativeBuckets));
    // llama.cpp falls back to BOS when the key is absent; T5 has none, and starts from pad (0).
    const std::string startKey = g.key("decoder_start_token_id");
    int start = f.getIntOr(startKey, -1);
    if (start < 0 && f.hasKey("tokenizer.ggml.bos_token_id")) start = f.getInt("tokenizer.ggml.bos_token_id");
    if (start < 0) start = 0;
    if (start >= c.vocabSize)
        f.fail(startKey, "a token id below the vocabulary size " + std::to_string(c.vocabSize), std::to_string(start));
    e.decoderStartToken = start;
    return a;
}

void loadT5Weights(const GgufSource& f, const GgufArchitecture& g, Model& m) {
    (void)g;
    const ModelConfig& c = m.config;
    const int qDim = c.qDim(), kvDim = c.kvDim();
    const uint64_t dim = uint64_t(c.dim);
    const uint64_t buckets = uint64_t(m.architecture.encoderDecoder.relativeBuckets);
    const bool gated = m.architecture.layers.front().ffn.gated;
    // Every tensor is checked for NaN and infinity as it is read, under its name in the file.
    auto vec = [&](const std::string& name) {
        const float* v = f.floatTensor(m, name, {dim});
        requireFinite(m, v, int64_t(dim), name);
        return v;
    };
    auto mat = [&](const std::string& name, int rows, int cols) {
        Matrix w = f.matrix(m, name, rows, cols);
        requireFiniteMatrix(m, w, name);
        return w;
    };
    // attn_rel_b: [heads, buckets] ne; layer 0 must have it, later layers may (llama.cpp reads theirs first).
    auto bias = [&](const std::string& name, int layer) -> const float* {
        if (layer > 0 && !f.tensorShape(name)) return nullptr;
        const float* b = f.floatTensor(m, name, {uint64_t(c.nHeads), buckets});
        requireFinite(m, b, int64_t(c.nHeads) * int64_t(buckets), name);
        return b;
    };
    auto block = [&](const std::string& p, LayerWeights& L) {
        L.rmsAtt = vec(p + "attn_norm.weight");
        L.wq = mat(p + "attn_q.weight", qDim, c.dim);
        L.wk = mat(p + "attn_k.weight", kvDim, c.dim);
        L.wv = mat(p + "attn_v.weight", kvDim, c.dim);
        L.wo = mat(p + "attn_o.weight", c.dim, qDim);
        L.rmsFfn = vec(p + "ffn_norm.weight");
        if (gated) {
            L.w1 = mat(p + "ffn_gate.weight", c.hiddenDim, c.dim);  // gelu(W_gate h) * W_up h
            L.w3 = mat(p + "ffn_up.weight", c.hiddenDim, c.dim);
        } else {
            L.w1 = mat(p + "ffn_up.weight", c.hiddenDim, c.dim);  // W_down relu(W_up h)
        }
        L.w2 = mat(p + "ffn_down.weight", c.dim, c.hiddenDim);
    };

    auto ed = std::make_shared<EncoderDecoderWeights>();
    m.tokenEmbeddings = mat("token_embd.weight", c.vocabSize, c.dim);
    m.tokenEmbedding = m.tokenEmbeddings.f32;
    m.layers.resize(size_t(c.nLayers));
    ed->encoder.resize(size_t(c.nLayers));
    ed->cross.resize(size_t(c.nLayers));
    ed->encoderRelativeBias.assign(size_t(c.nLayers), nullptr);
    ed->decoderRelativeBias.assign(size_t(c.nLayers), nullptr);
    for (int l = 0; l < c.nLayers; ++l) {
        const std::string pe = "enc.blk." + std::to_string(l) + ".", pd = "dec.blk." + std::to_string(l) + ".";
        block(pe, ed->encoder[size_t(l)]);
        ed->encoderRelativeBias[size_t(l)] = bias(pe + "attn_rel_b.weight", l);
        block(pd, m.layers[size_t(l)]);
        ed->decoderRelativeBias[size_t(l)] = bias(pd + "attn_rel_b.weight", l);
        CrossAttentionWeights& x = ed->cross[size_t(l)];
        x.norm = vec(pd + "cross_attn_norm.weight");
        x.wq = mat(pd + "cross_attn_q.weight", qDim, c.dim);
        x.wk = mat(pd + "cross_attn_k.weight", kvDim, c.dim);
        x.wv = mat(pd + "cross_attn_v.weight", kvDim, c.dim);
        x.wo = mat(pd + "cross_attn_o.weight", c.dim, qDim);
    }
    ed->encoderFinalNorm = vec("enc.output_norm.weight");
    m.rmsFinal = vec("dec.output_norm.weight");
    if (c.sharedClassifier) m.classifier = m.tokenEmbeddings;
    else m.classifier = mat("output.weight", c.vocabSize, c.dim);
    m.encoderDecoder = std::move(ed);
}

}  // namespace anatomy
