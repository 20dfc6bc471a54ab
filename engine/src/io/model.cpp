#include "anatomy/model.h"
#include "io/finite_weights.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>
#include <iterator>
#include <utility>

#include "anatomy/error.h"
#include "anatomy/printable.h"
#include "io/mapped_file.h"
#include "kernels/matmul.h"

namespace anatomy {

Model::Model() = default;
Model::~Model() = default;

void Model::embed(int token, float* out) const {
    const size_t dim = size_t(config.dim);
    if (tokenEmbedding) {
        std::memcpy(out, tokenEmbedding + size_t(token) * dim, sizeof(float) * dim);
        return;
    }
    ops::dequantizeRows(out, tokenEmbeddings, token, token + 1);  // just this row
}

const float* Model::own(std::vector<float> v) {
    ownedF32.push_back(std::move(v));
    return ownedF32.back().data();
}

const char* formatName(ModelFormat f) {
    switch (f) {
        case ModelFormat::Llama2cLegacy: return "llama2.c legacy (version 0, float32)";
        case ModelFormat::Llama2cV1: return "llama2.c ak42 version 1 (float32)";
        case ModelFormat::Llama2cV2Int8: return "llama2.c ak42 version 2 (int8 Q8_0 groups)";
        case ModelFormat::Gguf: return "GGUF";
    }
    return "unknown";
}

int64_t ModelConfig::parameterCount() const {
    const int64_t d = dim, h = hiddenDim, kv = kvDim(), q = qDim();
    // MLA: W_dkv [r, d], W_uk and W_uv [q, r], W_kr [d_r, d], W_qr [H d_r, d] instead of W_k and W_v
    const int64_t kvWeights = mlaRank > 0 ? int64_t(mlaRank) * d + 2 * q * mlaRank + int64_t(mlaRopeDim) * d * (1 + nHeads)
                                          : 2 * d * kv;
    int64_t perLayer = 2 * d + d * q + kvWeights + q * d + 3 * d * h;
    return int64_t(vocabSize) * d * (sharedClassifier ? 1 : 2) + nLayers * perLayer + d;
}

// Limits that keep every product below size_t overflow and reject absurd headers early.
static constexpr int kMaxDim = 1 << 16;
static constexpr int kMaxVocab = 1 << 21;
static constexpr int kMaxLayers = 1024;
static constexpr int kMaxSeq = 1 << 22;

static void checkRange(const std::string& file, const char* field, long long v, long long lo,
                       long long hi) {
    if (v < lo || v > hi)
        throw FormatError(file, field,
                          "a value in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]",
                          std::to_string(v));
}

void validateConfig(const ModelConfig& c, const std::string& file) {
    checkRange(file, "dim", c.dim, 1, kMaxDim);
    checkRange(file, "hidden_dim", c.hiddenDim, 1, 4 * kMaxDim);
    checkRange(file, "n_layers", c.nLayers, 1, kMaxLayers);
    checkRange(file, "n_heads", c.nHeads, 1, c.dim);
    checkRange(file, "n_kv_heads", c.nKvHeads, 1, c.nHeads);
    checkRange(file, "vocab_size", c.vocabSize, 1, kMaxVocab);
    checkRange(file, "seq_len", c.seqLen, 1, kMaxSeq);
    if (c.headDim == 0 && c.dim % c.nHeads != 0)
        throw FormatError(file, "n_heads", "a divisor of dim " + std::to_string(c.dim),
                          std::to_string(c.nHeads));
    if (c.headDim != 0) checkRange(file, "head_size", c.headDim, 2, kMaxDim / c.nHeads);
    if (c.nHeads % c.nKvHeads != 0)
        throw FormatError(file, "n_kv_heads", "a divisor of n_heads " + std::to_string(c.nHeads),
                          std::to_string(c.nKvHeads));
    if (c.headSize() % 2 != 0)
        throw FormatError(file, "head_size", "an even number (RoPE rotates pairs)",
                          std::to_string(c.headSize()));
    if (!(c.normEps > 0.0f && c.normEps < 1.0f))
        throw FormatError(file, "norm_eps", "a value in (0, 1)", std::to_string(c.normEps));
    if (!(c.ropeTheta > 1.0f))
        throw FormatError(file, "rope_theta", "a value > 1", std::to_string(c.ropeTheta));
}

namespace {

// Index of the first NaN or infinity in x[0..n), or -1. Branch-free per element (exponent bits
// all ones), so the pass runs at memory speed: 0.1 s for stories110M's 440 MB.
int64_t firstNonFinite(const float* x, int64_t n) {
    constexpr int64_t kBlock = 4096;
    for (int64_t b = 0; b < n; b += kBlock) {
        const int64_t e = std::min(n, b + kBlock);
        uint32_t bad = 0;
        for (int64_t i = b; i < e; ++i) {
            uint32_t u;
            std::memcpy(&u, x + i, 4);
            bad |= uint32_t((u & 0x7f800000u) == 0x7f800000u);
        }
        if (bad)
            for (int64_t i = b; i < e; ++i)
                if (!std::isfinite(x[i])) return i;
    }
    return -1;
}

// The tensor names a person finds in the file: GGUF's, or llama2.c's (run.c's struct fields).
struct TensorNames {
    const char* embedding;
    const char* layer[9];  // rms_att, wq, wk, wv, wo, rms_ffn, w1, w2, w3
    const char* finalNorm;
    const char* classifier;
};
constexpr TensorNames kGgufNames = {
    "token_embd.weight",
    {"attn_norm.weight", "attn_q.weight", "attn_k.weight", "attn_v.weight", "attn_output.weight",
     "ffn_norm.weight", "ffn_gate.weight", "ffn_down.weight", "ffn_up.weight"},
    "output_norm.weight", "output.weight"};
constexpr TensorNames kLlama2cNames = {
    "token_embedding_table",
    {"rms_att_weight", "wq", "wk", "wv", "wo", "rms_ffn_weight", "w1", "w2", "w3"},
    "rms_final_weight", "wcls"};

}  // namespace

void requireFinite(const Model& m, const float* x, int64_t n, const std::string& name, const char* part) {
    if (!x) return;
    if (const int64_t i = firstNonFinite(x, n); i >= 0)
        throw Error(printable(m.path) + ": tensor " + name + part + " holds " + std::to_string(x[i]) +
                    " at element " + std::to_string(i) + "; the weights are damaged (expected finite numbers)");
}

void requireFiniteMatrix(const Model& m, const Matrix& w, const std::string& name) {
    const int64_t n = int64_t(w.rows) * w.cols;
    if (w.ggml()) {
        // Row by row as dequantized (a non-finite f16 scale spoils its whole block).
        std::vector<float> row(size_t(w.cols));
        for (int r = 0; r < w.rows; ++r) {
            ops::dequantizeRows(row.data(), w, r, r + 1);
            if (const int64_t i = firstNonFinite(row.data(), w.cols); i >= 0)
                throw Error(printable(m.path) + ": tensor " + name + " (" + ggmlTypeInfo(w.type).name +
                            ") holds " + std::to_string(row[size_t(i)]) + " at element " +
                            std::to_string(int64_t(r) * w.cols + i) +
                            "; the weights are damaged (expected finite numbers)");
        }
    } else if (w.quantized()) requireFinite(m, w.scales, w.groupSize > 0 ? n / w.groupSize : 0, name, " (its scales)");
    else requireFinite(m, w.f32, n, name);
}

void checkFiniteWeights(const Model& m) {
    // t5 and bert: their loaders (gguf_t5.cpp, gguf_bert.cpp) check each tensor as they read it,
    // under the name it has in the file (enc./dec. stacks, cross-attention, attn_qkv).
    if (m.encoderDecoder || !m.architecture.languageModel) return;
    const bool gguf = m.format == ModelFormat::Gguf;
    const TensorNames& names = gguf ? kGgufNames : kLlama2cNames;
    auto check = [&](const float* x, int64_t n, const std::string& name, const char* part) {
        requireFinite(m, x, n, name, part);
    };
    auto checkMatrix = [&](const Matrix& w, const std::string& name) { requireFiniteMatrix(m, w, name); };
    auto layerName = [&](int l, int part) {
        return gguf ? "blk." + std::to_string(l) + "." + names.layer[part]
                    : std::string(names.layer[part]) + " of layer " + std::to_string(l);
    };
    const ModelConfig& c = m.config;
    check(m.tokenEmbedding, int64_t(c.vocabSize) * c.dim, names.embedding, "");
    if (!m.tokenEmbedding && m.tokenEmbeddings.ggml()) checkMatrix(m.tokenEmbeddings, names.embedding);
    for (int l = 0; l < int(m.layers.size()); ++l) {
        const LayerWeights& w = m.layers[size_t(l)];
        check(w.rmsAtt, c.dim, layerName(l, 0), "");
        const Matrix* mats[] = {&w.wq, &w.wk, &w.wv, &w.wo};
        for (int i = 0; i < 4; ++i) checkMatrix(*mats[i], layerName(l, 1 + i));
        check(w.rmsFfn, c.dim, layerName(l, 5), "");
        const Matrix* ffn[] = {&w.w1, &w.w2, &w.w3};
        for (int i = 0; i < 3; ++i) checkMatrix(*ffn[i], layerName(l, 6 + i));
        // The other architectures' vectors (null where the model has none), by their GGUF role.
        const int64_t hs = c.headSize(), q = int64_t(c.nHeads) * hs, kv = c.kvDim();
        const std::pair<const float*, int64_t> extra[] = {
            {w.attNormBias, c.dim}, {w.ffnNormBias, c.dim}, {w.postAttNorm, c.dim}, {w.postFfnNorm, c.dim},
            {w.qNorm, hs}, {w.kNorm, hs}, {w.bq, q}, {w.bk, kv}, {w.bv, kv}, {w.bo, c.dim}, {w.b1, c.hiddenDim},
            {w.b2, c.dim}};
        const char* extraNames[] = {"attn_norm.bias", "ffn_norm.bias", "post_attention_norm.weight",
                                    "post_ffw_norm.weight", "attn_q_norm.weight", "attn_k_norm.weight",
                                    "q bias", "k bias", "v bias", "attn_output.bias", "ffn_up.bias", "ffn_down.bias"};
        for (size_t i = 0; i < std::size(extra); ++i)
            check(extra[i].first, extra[i].second, "blk." + std::to_string(l) + "." + extraNames[i], "");
    }
    check(m.positionEmbedding, int64_t(c.seqLen) * c.dim, "position_embd.weight", "");
    check(m.tokenTypeEmbedding, c.dim, "token_types.weight", "");
    check(m.embeddingNorm, c.dim, "token_embd_norm.weight", "");
    check(m.embeddingNormBias, c.dim, "token_embd_norm.bias", "");
    check(m.finalNormBias, c.dim, "output_norm.bias", "");
    check(m.rmsFinal, c.dim, names.finalNorm, "");
    if (!c.sharedClassifier) checkMatrix(m.classifier, names.classifier);
}

std::unique_ptr<Model> loadModel(const std::string& path) {
    std::unique_ptr<Model> model;
    bool gguf = false;
    {
        // Mapped, not copied: a huge-page copy of the whole file beside the loader's own
        // doubled the resident memory while the model loaded.
        const MappedFile probe(path, MappedFile::Huge::Never);
        gguf = probe.size() >= 4 && std::memcmp(probe.data(), "GGUF", 4) == 0;
    }
    model = gguf ? loadGguf(path) : loadLlama2c(path);
    // NaN weights otherwise surface much later as "sampler: logits[0] is -nan".
    checkFiniteWeights(*model);
    return model;
}

}  // namespace anatomy
