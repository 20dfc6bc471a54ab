#include "anatomy/model.h"

#include <cstring>

#include "anatomy/error.h"
#include "io/mapped_file.h"

namespace anatomy {

Model::Model() = default;
Model::~Model() = default;

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
    const int64_t d = dim, h = hiddenDim, kv = kvDim();
    int64_t perLayer = 2 * d + d * d + 2 * d * kv + d * d + 3 * d * h;
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
    if (c.dim % c.nHeads != 0)
        throw FormatError(file, "n_heads", "a divisor of dim " + std::to_string(c.dim),
                          std::to_string(c.nHeads));
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

std::unique_ptr<Model> loadModel(const std::string& path) {
    MappedFile probe(path);
    if (probe.size() >= 4 && std::memcmp(probe.data(), "GGUF", 4) == 0) return loadGguf(path);
    return loadLlama2c(path);
}

}  // namespace anatomy
