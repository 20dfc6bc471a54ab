#pragma once
// A loaded checkpoint: configuration, weights (memory-mapped where the file allows it),
// and the embedded vocabulary when the file carries one (GGUF).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "anatomy/architecture.h"
#include "anatomy/ggml_type.h"
#include "anatomy/model_config.h"
#include "anatomy/tokenizer.h"

namespace anatomy {

class MappedFile;
struct EncoderDecoderWeights;  // encoder_decoder.h

// GGUF Q8_0: blocks of 32 consecutive values of a row, each {f16 d; int8 q[32]}, value = d * q.
inline constexpr int kQ8_0Block = 32;
inline constexpr int kQ8_0BlockBytes = 34;

// A weight matrix W: [rows, cols] row-major (rows = outputs, cols = inputs), one of
//   float32;
//   llama2.c's int8 with one float scale per group of groupSize consecutive values in a row;
//   a GGUF tensor of any supported ggml type other than F32 (F16, BF16, Q4_0 ... Q6_K), kept as
//   the file stores it: each row is cols / blockSize blocks (ggml_type.h), read in place from
//   the mapping. Float GGUF tensors use f32.
struct Matrix {
    int rows = 0;
    int cols = 0;
    const float* f32 = nullptr;     // [rows, cols] when float
    const int8_t* q8 = nullptr;     // [rows, cols] when llama2.c int8
    const float* scales = nullptr;  // [rows * cols / groupSize]
    int groupSize = 0;
    GgmlType type = GgmlType::F32;    // the type of `blocks`
    const uint8_t* blocks = nullptr;  // [rows, cols / blockSize] blocks when a ggml type
    // llama2.c int8 (runq.c arithmetic, matched bit for bit).
    bool quantized() const { return q8 != nullptr; }
    // Stored as ggml blocks (type != F32).
    bool ggml() const { return blocks != nullptr; }
    bool blockQ8_0() const { return blocks != nullptr && type == GgmlType::Q8_0; }
    // Bytes of one row of blocks.
    size_t rowBytes() const { return ggmlRowBytes(type, cols); }
};

// Null pointers are the parts an architecture does not have (architecture.h says which it has).
struct LayerWeights {
    const float* rmsAtt = nullptr;  // [dim]  gain of the attention sublayer's norm
    const float* rmsFfn = nullptr;  // [dim]  gain of the FFN sublayer's norm
    Matrix wq;                      // [nHeads * headSize, dim]
    Matrix wk;                      // [nKvHeads * headSize, dim]
    Matrix wv;                      // [nKvHeads * headSize, dim]
    Matrix wo;                      // [dim, nHeads * headSize]
    Matrix w1;                      // [hiddenDim, dim]  gate
    Matrix w2;                      // [dim, hiddenDim]  down
    Matrix w3;                      // [hiddenDim, dim]  up (empty when the FFN is not gated: W2 act(W1 x))
    Matrix wg;                      // [nHeads or nHeads * headSize, dim]  attention output gate (OutputGate)
    // A trained mixture of experts (anatomy-train): w1, w3 [E hidden, dim] and w2 [dim, E hidden]
    // hold expert e's units at e hidden .. (e + 1) hidden - 1, and this is its router.
    const float* router = nullptr;  // [E, dim]
    const float* attNormBias = nullptr;  // [dim]  LayerNorm biases (GPT-2, Pythia)
    const float* ffnNormBias = nullptr;  // [dim]
    const float* postAttNorm = nullptr;  // [dim]  Gemma 2: gain of the norm on the attention output
    const float* postFfnNorm = nullptr;  // [dim]  ... and on the FFN output
    const float* qNorm = nullptr;        // [headSize]  Qwen 3: QK-norm gains, shared by all heads
    const float* kNorm = nullptr;        // [headSize]
    const float* bq = nullptr;           // [nHeads * headSize]  projection biases
    const float* bk = nullptr;           // [nKvHeads * headSize]
    const float* bv = nullptr;           // [nKvHeads * headSize]
    const float* bo = nullptr;           // [dim]
    const float* b1 = nullptr;           // [hiddenDim]  bias of W1 (the up projection when not gated)
    const float* b2 = nullptr;           // [dim]        bias of W2 (down)
    // BatchNorm (NormType::Batch): the running statistics of the two norms, as trained
    const float* attNormMean = nullptr;  // [dim]
    const float* attNormVar = nullptr;   // [dim]
    const float* ffnNormMean = nullptr;  // [dim]
    const float* ffnNormVar = nullptr;   // [dim]
    // MLA (latent_attention.h; wq is W_q, wk and wv are empty): r = mlaRank, d_r = mlaRopeDim
    Matrix wdkv;                         // [r, dim]              c = W_dkv h, the cached latent
    Matrix wuk;                          // [nHeads * headSize, r] content keys k_h = W_uk,h c
    Matrix wuv;                          // [nHeads * headSize, r] values v_h = W_uv,h c
    Matrix wkr;                          // [d_r, dim]             decoupled RoPE key (d_r > 0)
    Matrix wqr;                          // [nHeads * d_r, dim]    its queries
};

enum class ModelFormat { Llama2cLegacy, Llama2cV1, Llama2cV2Int8, Gguf };
const char* formatName(ModelFormat f);

class Model {
public:
    Model();
    ~Model();
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;

    ModelConfig config;
    Architecture architecture;  // what the network is, from the file's metadata (architecture.h)
    ModelFormat format = ModelFormat::Llama2cLegacy;
    std::string path;

    // [vocabSize, dim] when the table is float (llama2.c files, float GGUF), else nullptr;
    // tokenEmbeddings holds the table in any type, and embed() reads one row of either.
    const float* tokenEmbedding = nullptr;
    Matrix tokenEmbeddings;                 // [vocabSize, dim] as stored (GGUF)
    std::vector<LayerWeights> layers;       // [nLayers]
    const float* positionEmbedding = nullptr;  // [seqLen, dim] learned absolute positions (GPT-2)
    const float* tokenTypeEmbedding = nullptr; // [dim] BERT: row 0 ("sentence A") of token_types [nTypes, dim]
    const float* embeddingNorm = nullptr;      // [dim] BERT: gain of the LayerNorm after the embeddings
    const float* embeddingNormBias = nullptr;  // [dim]
    const float* rmsFinal = nullptr;        // [dim]
    const float* finalNormBias = nullptr;   // [dim] (GPT-2, Pythia)
    const float* finalNormMean = nullptr;   // [dim] BatchNorm's running statistics of the final norm
    const float* finalNormVar = nullptr;    // [dim]
    Matrix classifier;                      // [vocabSize, dim]
    // T5: the encoder stack and the decoder's cross-attention (encoder_decoder.h); null = decoder-only.
    std::shared_ptr<const EncoderDecoderWeights> encoderDecoder;

    // Vocabulary stored in the model file (GGUF), if any.
    std::optional<Tokenizer> embeddedTokenizer;

    // Storage the pointers above refer to.
    std::unique_ptr<MappedFile> file;
    std::vector<std::vector<float>> ownedF32;  // dequantised or converted tensors
    std::vector<std::vector<int8_t>> ownedI8;

    // out[0, dim) = the embedding of `token`: a copy of its row, or that one row dequantized.
    void embed(int token, float* out) const;

    // Keeps v alive inside the model and returns its data.
    const float* own(std::vector<float> v);
};

// Throws FormatError naming the field, the expected and the actual value.
std::unique_ptr<Model> loadLlama2c(const std::string& path);
std::unique_ptr<Model> loadGguf(const std::string& path);
// Picks the loader by the file's magic.
std::unique_ptr<Model> loadModel(const std::string& path);

// Throws Error naming the first tensor (by the file's own name: blk.0.attn_q.weight, or wq of
// layer 0) that holds a NaN or an infinity. loadModel runs it on every file.
void checkFiniteWeights(const Model& model);
// Checks a configuration read from a header before anything is allocated.
void validateConfig(const ModelConfig& c, const std::string& file);

}  // namespace anatomy
