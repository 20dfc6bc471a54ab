#pragma once
#include <cstdint>
#include <string>

namespace anatomy {

// Hyper-parameters of a checkpoint (shapes; what the network computes is its Architecture).
struct ModelConfig {
    int dim = 0;        // d_model, width of the residual stream
    int hiddenDim = 0;  // FFN inner width (SwiGLU)
    int nLayers = 0;
    int nHeads = 0;     // query heads
    int nKvHeads = 0;   // key/value heads (GQA: nHeads % nKvHeads == 0)
    int vocabSize = 0;
    int seqLen = 0;     // trained context length
    float normEps = 1e-5f;
    float ropeTheta = 10000.0f;
    bool sharedClassifier = true;  // classifier tied to the token embedding
    int headDim = 0;    // 0: dim / nHeads; else the file's own (Gemma 2, Qwen 3: attention.key_length)
    // Trained MLA (anatomy-train): the KV cache holds a latent of mlaRank floats and a decoupled
    // RoPE key of mlaRopeDim floats per token and layer instead of K and V. 0: no MLA.
    int mlaRank = 0;
    int mlaRopeDim = 0;

    int headSize() const { return headDim > 0 ? headDim : dim / nHeads; }
    int qDim() const { return nHeads * headSize(); }  // width of the queries (= dim unless headDim is set)
    int kvDim() const { return headSize() * nKvHeads; }
    int kvGroup() const { return nHeads / nKvHeads; }  // query heads per KV head
    int64_t parameterCount() const;
};

}  // namespace anatomy
