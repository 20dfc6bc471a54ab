#pragma once
// GGUF architectures as llama.cpp (c392e5094) names them: per `general.architecture`, the
// metadata keys ("{arch}.embedding_length", ...) and tensor names ("blk.N.attn_qkv.weight", ...)
// the file has, and what the network computes (architecture.h). One row of a table per
// architecture; the loader (gguf_loader.cpp) and the synthetic-model writer (synth_gguf.cpp)
// both read it.
#include <string>
#include <vector>

#include "anatomy/architecture.h"
#include "anatomy/model.h"
#include "io/gguf_source.h"

namespace anatomy {

struct GgufArchitecture {
    enum class Output { Optional, Required, Tied };  // output.weight: absent = tied, must be there, never read
    enum class Window { None, AllLayers, EvenLayers };  // {arch}.attention.sliding_window on which layers

    const char* name;
    NormType norm = NormType::Rms;
    bool normBias = false;            // attn_norm.bias, ffn_norm.bias, output_norm.bias (LayerNorm)
    bool fusedQkv = false;            // attn_qkv.weight [dim, qDim + 2 kvDim], rows q | k | v
    bool qkvBias = false;             // attn_q/k/v.bias or attn_qkv.bias
    bool outputBias = false;          // attn_output.bias
    bool qkNorm = false;              // attn_q_norm.weight, attn_k_norm.weight [head size]
    bool gated = true;                // ffn_gate + ffn_up, else ffn_up only
    bool fusedGateUp = false;         // ffn_up.weight [dim, 2 hidden], rows gate | up (Phi-3)
    Activation activation = Activation::Silu;
    bool ffnBias = false;             // ffn_up.bias, ffn_down.bias
    bool learnedPositions = false;    // position_embd.weight [dim, context], no RoPE
    RopeLayout rope = RopeLayout::Interleaved;
    bool partialRotary = false;       // {arch}.rope.dimension_count may be below the head size
    bool parallelResidualKey = false; // {arch}.use_parallel_residual (GPT-NeoX)
    bool postNorms = false;           // post_attention_norm, post_ffw_norm (Gemma 2)
    bool embeddingScale = false;      // x = sqrt(dim) E[token] (Gemma)
    bool softCaps = false;            // {arch}.attn_logit_softcapping, {arch}.final_logit_softcapping
    Window window = Window::None;
    int defaultWindow = 0;            // when the sliding_window key is absent (Gemma 2: 4096)
    Output output = Output::Optional;
    bool encoderDecoder = false;      // T5: enc.blk.N.* and dec.blk.N.* stacks (gguf_t5.h)
    // An architecture whose tensors are laid out otherwise maps them in its own file (bert:
    // gguf_bert.cpp): edits what ggufArchitecture() read, and loads the weights instead of
    // loadGgufWeights(). Null = the decoder layout above.
    void (*editArchitecture)(const GgufSource& f, const ModelConfig& c, Architecture& a) = nullptr;
    void (*loadWeights)(const GgufSource& f, const GgufArchitecture& g, Model& m) = nullptr;
    // The trainer's own layout (anatomy-train, gguf_anatomy_train.cpp): its tensor names and its
    // config in anatomy.train.config decide everything; the flags above are unused.
    bool trainerLayout = false;

    // "{arch}.suffix"
    std::string key(const std::string& suffix) const { return std::string(name) + "." + suffix; }
    // The key of the norm epsilon: attention.layer_norm_epsilon (LayerNorm) or _rms_epsilon.
    std::string epsKey() const;
};

// The row of general.architecture, or null when it is not one of ggufArchitectureNames().
const GgufArchitecture* findGgufArchitecture(const std::string& name);
// "llama, qwen2, qwen3, gpt2, gptneox, phi3, gemma2"
std::string ggufArchitectureNames();

// The hyper-parameters from the architecture's keys (throws FormatError naming the key).
ModelConfig readGgufConfig(const GgufSource& f, const GgufArchitecture& a);
// What the network computes, from the row and the file's keys.
Architecture ggufArchitecture(const GgufSource& f, const GgufArchitecture& a, const ModelConfig& c);
// Rows [first, first + n) of a weight in any stored form (a fused tensor's q | k | v parts): rows
// are contiguous, float or whole blocks.
Matrix rowSlice(const Matrix& w, int first, int n);
// Every weight of the architecture, shape-checked (a missing or misshapen tensor is a FormatError
// naming it).
void loadGgufWeights(const GgufSource& f, const GgufArchitecture& a, Model& m);

// Architecture "anatomy-train" (the trainer's designs, train_gguf.h): the same three steps from
// the training config the file embeds. A design the forward pass does not run yet is refused
// with one line naming it.
ModelConfig readAnatomyTrainConfig(const GgufSource& f);
Architecture anatomyTrainArchitecture(const GgufSource& f, const ModelConfig& c);
void loadAnatomyTrainWeights(const GgufSource& f, Model& m);

}  // namespace anatomy
