// Architecture "anatomy-train": the designs `anatomy-cli train` writes beyond a plain Llama
// (train_gguf.h). The file embeds the training config (anatomy.train.config), which names every
// design choice, and the trainer's tensors under their own names ("wq.0", "wg.1", "pos_embedding",
// ne = the trainer's [rows, cols] reversed, float32). The config parsed by the trainer's own parser
// gives the shape; train_model.h's tensorList gives every tensor's name and shape, each checked
// against the file; the architecture description then says what the forward pass computes:
//   norm placement, RMSNorm / LayerNorm (gain only), DeepNorm's alpha   -> ResidualSpec, NormSpec
//   pos = rope | alibi | none | learned (P[t]) | sinusoidal (sqrt(d) E + PE[t]) -> PositionSpec, EmbeddingSpec
//   ffn.gated, ffn.act and its parameters                               -> FfnSpec
//   attn.gate = head | element: o_h * sigmoid(W_g h)                    -> AttentionSpec::outputGate
//   moe.* (trained router and experts)                                  -> FfnSpec::nExperts, MoeParams,
//     the experts as one FFN of width E hidden (moe.h routes and masks it): W1, W3 [E hidden, dim]
//     as stacked; W2 [E, dim, hidden] re-laid as [dim, E hidden]; LayerWeights::router [E, dim].
//     Evaluation routes without noise, as the trainer's validation does.
//   norm.type = batch: BatchNorm in eval mode with the saved running statistics
//     bn_{att,ffn}_{mean,var}.L, bn_final_{mean,var} (norm.h)                 -> NormType::Batch, LayerWeights::*NormMean/Var
//   kv.sharing = latent (MLA): wdkv, wuk, wuv (and wkr, wqr for the RoPE key)  -> AttentionSpec::latentRank,
//     latentRopeDim (latent_attention.h); the KV cache holds the latent and the RoPE key
#include <algorithm>
#include <cmath>

#include "anatomy/error.h"
#include "anatomy/train.h"
#include "io/gguf_architectures.h"
#include "train/train_gguf.h"
#include "train/train_model.h"

namespace anatomy {

namespace {

const char* const kConfigKey = "anatomy.train.config";

std::string shapeText(const std::vector<uint64_t>& ne) {
    std::string s = "[";
    for (size_t i = 0; i < ne.size(); ++i) s += (i ? ", " : "") + std::to_string(ne[i]);
    return s + "]";
}

// The trained shape from the embedded config, with the designs the forward pass cannot run refused.
TrainShape trainedShape(const GgufSource& f) {
    if (!f.hasKey(kConfigKey)) f.fail(kConfigKey, "the training config anatomy-cli train embeds", "missing");
    TrainShape s;
    try {
        s = parseTrainConfig(f.getString(kConfigKey)).shape;
    } catch (const Error& e) {
        f.fail(kConfigKey, "a training config the trainer accepts", e.what());
    }
    // The trainer refuses these too (train_config.cpp); a hand-edited config must not reach the forward pass.
    if (s.batchNorm && s.placement == NormPlacement::Sandwich)
        f.fail(kConfigKey, "BatchNorm with pre, post or deepnorm placement", "sandwich");
    if (s.mla() && s.nKvHeads != s.nHeads)
        f.fail(kConfigKey, "MLA with kv_heads = heads (" + std::to_string(s.nHeads) + ")", std::to_string(s.nKvHeads));
    if (s.mla() && (s.mlaRopeDim < 0 || s.mlaRopeDim % 2 != 0 || (s.positions == PositionEncoding::Rope) != (s.mlaRopeDim > 0)))
        f.fail(kConfigKey, "MLA with an even mla.rope_dim > 0 exactly when pos is rope", std::to_string(s.mlaRopeDim));
    // The shape keys the writer puts beside the config must agree with it.
    auto agree = [&](const char* key, int value) {
        const std::string k = std::string("anatomy-train.") + key;
        if (f.hasKey(k) && f.getInteger(k) != value) f.fail(k, std::to_string(value) + " (the config's)",
                                                               std::to_string(f.getInteger(k)));
    };
    agree("embedding_length", s.dim);
    agree("block_count", s.nLayers);
    agree("feed_forward_length", s.hidden);
    agree("attention.head_count", s.nHeads);
    agree("attention.head_count_kv", s.nKvHeads);
    agree("context_length", s.context);
    return s;
}

}  // namespace

ModelConfig readAnatomyTrainConfig(const GgufSource& f) {
    const TrainShape s = trainedShape(f);
    ModelConfig c;
    c.dim = s.dim;
    c.hiddenDim = std::max(1, s.experts()) * s.hidden;  // MoE: the experts side by side
    c.nLayers = s.nLayers;
    c.nHeads = s.nHeads;
    c.nKvHeads = s.nKvHeads;
    c.vocabSize = s.vocab;
    c.seqLen = s.context;
    c.normEps = s.normEps;
    c.ropeTheta = s.ropeTheta;
    c.sharedClassifier = s.tiedClassifier;
    c.mlaRank = s.mlaRank;
    c.mlaRopeDim = s.mla() ? s.mlaRopeDim : 0;
    const std::vector<uint64_t>* emb = f.tensorShape("token_embedding");
    if (!emb) f.fail("token_embedding", "a tensor", "missing");
    if (emb->size() != 2 || (*emb)[1] != uint64_t(s.vocab))
        f.fail("token_embedding shape", shapeText({uint64_t(s.dim), uint64_t(s.vocab)}), shapeText(*emb));
    validateConfig(c, f.fileName());
    return c;
}

Architecture anatomyTrainArchitecture(const GgufSource& f, const ModelConfig& c) {
    const TrainShape s = trainedShape(f);
    Architecture a = llamaArchitecture(c);
    a.name = "anatomy-train";
    a.embeddings.tiedClassifier = s.tiedClassifier;
    // Absolute positions are a table added to the embedding (forward.cpp step 0): learned P, or the
    // sinusoid with the embedding scaled by sqrt(dim) (loadAnatomyTrainWeights builds it).
    a.embeddings.learnedPositions = s.absolute != AbsolutePositions::None;
    a.embeddings.sinusoidalPositions = s.absolute == AbsolutePositions::Sinusoidal;
    a.embeddings.scale = training::embeddingScale(s);
    a.positions.kind = s.positions;
    a.positions.ropeBase = s.ropeTheta;
    const NormType norm = s.batchNorm ? NormType::Batch : s.normType;
    a.finalNorm = NormSpec{norm, s.normEps};
    const OutputGate gate = s.attentionGate == AttentionGate::HeadWise      ? OutputGate::HeadWise
                            : s.attentionGate == AttentionGate::ElementWise ? OutputGate::ElementWise
                                                                            : OutputGate::None;
    if (s.experts() > 0) {
        a.moe = s.moe;
        a.moe.noiseStd = 0.0f;  // noisy top-k's noise is for training only
    }
    for (LayerSpec& L : a.layers) {
        L.ffn.nExperts = s.experts();
        L.residual.placement = s.placement;
        L.residual.deepNormAlpha = s.residualAlpha();
        L.norm = NormSpec{norm, s.normEps};
        L.attention.latentRank = s.mlaRank;
        L.attention.latentRopeDim = s.mla() ? s.mlaRopeDim : 0;
        L.attention.alibi = s.positions == PositionEncoding::Alibi;
        L.attention.outputGate = gate;
        L.ffn.gated = s.gatedFfn;
        L.ffn.activation = s.activation;
        L.ffn.activationParams = s.activationParams;
    }
    return a;
}

void loadAnatomyTrainWeights(const GgufSource& f, Model& m) {
    const TrainShape s = trainedShape(f);
    // Every tensor of the layout, shape-checked, before any pointer is kept.
    for (const training::TensorInfo& t : training::tensorList(s)) {
        std::vector<uint64_t> ne(t.shape.rbegin(), t.shape.rend());
        const std::vector<uint64_t>* have = f.tensorShape(t.name);
        if (!have) f.fail(t.name, "a tensor of shape " + shapeText(ne) + " (" + training::ggufDesignName(s) + ")",
                          "missing");
        if (*have != ne) f.fail(t.name + " shape", shapeText(ne), shapeText(*have));
    }
    const uint64_t dim = uint64_t(s.dim);
    auto vec = [&](const std::string& name) { return f.floatTensor(m, name, {dim}); };
    // BatchNorm's running variance: a negative one (a damaged file) would make the norm NaN.
    auto variance = [&](const std::string& name) {
        const float* v = vec(name);
        for (uint64_t i = 0; i < dim; ++i)
            if (!(v[i] >= 0.0f))
                f.fail(name + "[" + std::to_string(i) + "]", "a running variance >= 0", std::to_string(v[i]));
        return v;
    };
    m.tokenEmbeddings = f.matrix(m, "token_embedding", s.vocab, s.dim);
    m.tokenEmbedding = m.tokenEmbeddings.f32;
    if (s.absolute == AbsolutePositions::Learned)
        m.positionEmbedding = f.floatTensor(m, "pos_embedding", {dim, uint64_t(s.context)});
    if (s.absolute == AbsolutePositions::Sinusoidal)
        m.positionEmbedding = m.own(training::sinusoidalTable(s.context, s.dim));  // [context, dim]
    const int E = std::max(1, s.experts());
    m.layers.resize(size_t(s.nLayers));
    for (int l = 0; l < s.nLayers; ++l) {
        std::string n = ".";
        n += std::to_string(l);
        LayerWeights& L = m.layers[size_t(l)];
        L.rmsAtt = vec("rms_att" + n);
        L.rmsFfn = vec("rms_ffn" + n);
        L.wq = f.matrix(m, "wq" + n, s.qDim(), s.dim);
        if (s.mla()) {
            L.wdkv = f.matrix(m, "wdkv" + n, s.mlaRank, s.dim);
            L.wuk = f.matrix(m, "wuk" + n, s.qDim(), s.mlaRank);
            L.wuv = f.matrix(m, "wuv" + n, s.qDim(), s.mlaRank);
            if (!L.wuk.f32 || !L.wuv.f32) f.fail("wuk" + n, "float32 up-projections (MLA expands them per head)", "another type");
            if (s.mlaRopeDim > 0) {
                L.wkr = f.matrix(m, "wkr" + n, s.mlaRopeDim, s.dim);
                L.wqr = f.matrix(m, "wqr" + n, s.nHeads * s.mlaRopeDim, s.dim);
            }
        } else {
            L.wk = f.matrix(m, "wk" + n, s.kvDim(), s.dim);
            L.wv = f.matrix(m, "wv" + n, s.kvDim(), s.dim);
        }
        if (s.batchNorm) {
            L.attNormMean = vec("bn_att_mean" + n);
            L.attNormVar = variance("bn_att_var" + n);
            L.ffnNormMean = vec("bn_ffn_mean" + n);
            L.ffnNormVar = variance("bn_ffn_var" + n);
        }
        L.wo = f.matrix(m, "wo" + n, s.dim, s.qDim());
        L.w1 = f.matrix(m, "w1" + n, E * s.hidden, s.dim);
        if (s.gatedFfn) L.w3 = f.matrix(m, "w3" + n, E * s.hidden, s.dim);
        if (s.experts() == 0) {
            L.w2 = f.matrix(m, "w2" + n, s.dim, s.hidden);
        } else {
            // [E, dim, hidden] -> [dim, E hidden]: column e H + j of row d is expert e's W2[d, j].
            const float* w2 = f.floatTensor(m, "w2" + n, {uint64_t(s.hidden), uint64_t(E) * dim});
            std::vector<float> dense(size_t(E) * dim * s.hidden);
            for (int e = 0; e < E; ++e)
                for (uint64_t d = 0; d < dim; ++d)
                    for (int j = 0; j < s.hidden; ++j)
                        dense[d * size_t(E) * s.hidden + size_t(e) * s.hidden + j] =
                            w2[(size_t(e) * dim + d) * s.hidden + j];
            L.w2 = Matrix{};
            L.w2.rows = s.dim;
            L.w2.cols = E * s.hidden;
            L.w2.f32 = m.own(std::move(dense));
            L.router = f.floatTensor(m, "router" + n, {dim, uint64_t(E)});
        }
        if (s.gateWidth() > 0) L.wg = f.matrix(m, "wg" + n, s.gateWidth(), s.dim);
    }
    m.rmsFinal = vec("rms_final");
    if (s.batchNorm) {
        m.finalNormMean = vec("bn_final_mean");
        m.finalNormVar = variance("bn_final_var");
    }
    m.classifier = s.tiedClassifier ? m.tokenEmbeddings : f.matrix(m, "wcls", s.vocab, s.dim);
}

}  // namespace anatomy
