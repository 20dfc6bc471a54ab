// BERT in GGUF, as llama.cpp's build_bert computes it:
//   x = LayerNorm(E[token] + T[0] + P[position])              token types all 0 ("sentence A")
//   per layer (post-norm):  x = LN1(x + Wo attn(Wq x + bq, Wk x + bk, Wv x + bv) + bo)   bidirectional
//                           x = LN2(x + W2 gelu(W1 x + b1) + b2)
//   output: the hidden states x [T, dim], pooled as bert.pooling_type says (pooling.h); no LM head.
// Metadata: bert.attention.layer_norm_epsilon, bert.attention.causal (false), bert.pooling_type
// (0 none, 1 mean, 2 cls, 3 last, 4 rank), tokenizer.ggml.token_type_count (rows of token_types).
// Tensors: token_embd, token_types, position_embd, token_embd_norm.{weight,bias}; per layer
// attn_q, attn_k, attn_v (or one attn_qkv, rows q | k | v) with biases, attn_output(.bias),
// attn_output_norm, ffn_up, ffn_down (with biases), layer_output_norm.
#include "io/gguf_bert.h"

#include "io/finite_weights.h"

#include <string>

namespace anatomy {

namespace {

Pooling poolingOf(const GgufSource& f) {
    const std::string key = "bert.pooling_type";
    if (!f.hasKey(key)) return Pooling::None;  // llama.cpp: unspecified means none
    switch (f.getInteger(key)) {
        case 0: return Pooling::None;
        case 1: return Pooling::Mean;
        case 2: return Pooling::Cls;
        case 3: return Pooling::Last;
        default:
            f.fail(key, "0 (none), 1 (mean), 2 (cls) or 3 (last); 4 (rank, a reranker's head) is not supported",
                   std::to_string(f.getInteger(key)));
    }
    return Pooling::None;  // not reached: fail throws
}

void editBert(const GgufSource& f, const ModelConfig& c, Architecture& a) {
    a.languageModel = false;
    a.pooling = poolingOf(f);
    a.embeddings.tokenType = true;
    a.embeddings.norm = NormSpec{NormType::Layer, c.normEps, true};
    const bool causal = f.getBoolOr("bert.attention.causal", false);
    for (LayerSpec& L : a.layers) {
        L.residual.placement = NormPlacement::Post;
        L.attention.mask = causal ? AttentionMask::Causal : AttentionMask::Bidirectional;
    }
}

void loadBertWeights(const GgufSource& f, const GgufArchitecture&, Model& m) {
    const ModelConfig& c = m.config;
    const uint64_t dim = uint64_t(c.dim), hidden = uint64_t(c.hiddenDim);
    const uint64_t qDim = uint64_t(c.nHeads) * c.headSize(), kvDim = uint64_t(c.kvDim());
    // Every tensor is checked for NaN and infinity as it is read, under its name in the file.
    auto vec = [&](const std::string& name, uint64_t n) {
        const float* v = f.floatTensor(m, name, {n});
        requireFinite(m, v, int64_t(n), name);
        return v;
    };
    auto mat = [&](const std::string& name, int rows, int cols) {
        Matrix w = f.matrix(m, name, rows, cols);
        requireFiniteMatrix(m, w, name);
        return w;
    };

    m.tokenEmbeddings = mat("token_embd.weight", c.vocabSize, c.dim);
    m.tokenEmbedding = m.tokenEmbeddings.f32;
    // [nTypes, dim]; every token is of type 0, so only the first row is read.
    const std::vector<uint64_t>* types = f.tensorShape("token_types.weight");
    if (!types) f.fail("token_types.weight", "a tensor [bert.embedding_length, token types]", "missing");
    const uint64_t nTypes = types->size() == 2 ? (*types)[1] : 0;
    if (nTypes < 1 || nTypes > 1024)
        f.fail("token_types.weight shape", "1 to 1024 token types of bert.embedding_length values",
               std::to_string(nTypes) + " token types");
    m.tokenTypeEmbedding = f.floatTensor(m, "token_types.weight", {dim, nTypes});
    requireFinite(m, m.tokenTypeEmbedding, int64_t(dim * nTypes), "token_types.weight");
    m.positionEmbedding = f.floatTensor(m, "position_embd.weight", {dim, uint64_t(c.seqLen)});
    requireFinite(m, m.positionEmbedding, int64_t(dim) * c.seqLen, "position_embd.weight");
    m.embeddingNorm = vec("token_embd_norm.weight", dim);
    m.embeddingNormBias = vec("token_embd_norm.bias", dim);

    m.layers.resize(size_t(c.nLayers));
    for (int l = 0; l < c.nLayers; ++l) {
        const std::string p = "blk." + std::to_string(l) + ".";
        LayerWeights& L = m.layers[size_t(l)];
        if (f.tensorShape(p + "attn_qkv.weight")) {
            // [qDim + 2 kvDim, dim] rows q | k | v (nomic-bert's layout, with BERT's biases).
            const Matrix qkv = mat(p + "attn_qkv.weight", int(qDim + 2 * kvDim), c.dim);
            L.wq = rowSlice(qkv, 0, int(qDim));
            L.wk = rowSlice(qkv, int(qDim), int(kvDim));
            L.wv = rowSlice(qkv, int(qDim + kvDim), int(kvDim));
            const float* b = vec(p + "attn_qkv.bias", qDim + 2 * kvDim);
            L.bq = b;
            L.bk = b + qDim;
            L.bv = b + qDim + kvDim;
        } else {
            L.wq = mat(p + "attn_q.weight", int(qDim), c.dim);
            L.wk = mat(p + "attn_k.weight", int(kvDim), c.dim);
            L.wv = mat(p + "attn_v.weight", int(kvDim), c.dim);
            L.bq = vec(p + "attn_q.bias", qDim);
            L.bk = vec(p + "attn_k.bias", kvDim);
            L.bv = vec(p + "attn_v.bias", kvDim);
        }
        L.wo = mat(p + "attn_output.weight", c.dim, int(qDim));
        L.bo = vec(p + "attn_output.bias", dim);
        // Post-norm: the attention sublayer's norm is attn_output_norm, the FFN's layer_output_norm.
        L.rmsAtt = vec(p + "attn_output_norm.weight", dim);
        L.attNormBias = vec(p + "attn_output_norm.bias", dim);
        L.w1 = mat(p + "ffn_up.weight", c.hiddenDim, c.dim);
        L.b1 = vec(p + "ffn_up.bias", hidden);
        L.w2 = mat(p + "ffn_down.weight", c.dim, c.hiddenDim);
        L.b2 = vec(p + "ffn_down.bias", dim);
        L.rmsFfn = vec(p + "layer_output_norm.weight", dim);
        L.ffnNormBias = vec(p + "layer_output_norm.bias", dim);
    }
    // No final norm and no classifier: the model's output is its hidden states.
}

}  // namespace

GgufArchitecture bertGgufArchitecture() {
    GgufArchitecture b{.name = "bert"};
    b.norm = NormType::Layer;
    b.normBias = true;
    b.qkvBias = true;
    b.outputBias = true;
    b.gated = false;
    b.activation = Activation::GeluTanh;  // ggml_gelu, llama.cpp's LLM_FFN_GELU (Hugging Face's BERT uses erf)
    b.ffnBias = true;
    b.learnedPositions = true;
    b.output = GgufArchitecture::Output::Tied;  // output.weight is never read: there is no LM head
    b.editArchitecture = editBert;
    b.loadWeights = loadBertWeights;
    return b;
}

}  // namespace anatomy
