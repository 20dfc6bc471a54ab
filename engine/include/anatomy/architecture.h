#pragma once
// What the network is, as one value: per layer the norm (type, placement), the attention (mask,
// sparse pattern, kernel, scale, KV heads, head interventions), the FFN (gated or not, activation,
// MoE), plus the embeddings and positional scheme. Loaders fill it from the file's metadata
// (architectureOf), the simulator's knobs edit a copy (simulate), and the forward pass
// (forward.cpp) reads nothing else to decide what to compute. A new architecture (parallel
// residual, QK-norm, biases, encoder-decoder) is a new field here and a small strategy function
// where it is used, not a new if-chain in the forward pass.
#include <optional>
#include <string>
#include <vector>

#include "anatomy/model_config.h"
#include "anatomy/sim_settings.h"

namespace anatomy {

struct NormSpec {
    NormType type = NormType::Rms;
    float eps = 1e-5f;
    bool bias = false;    // o = N(x) + b with a learned b (GPT-2, Pythia LayerNorm)
    bool operator==(const NormSpec&) const = default;
};

// Where each sublayer's norm sits and how the residual is added (block.h).
struct ResidualSpec {
    NormPlacement placement = NormPlacement::Pre;
    float deepNormAlpha = 1.0f;  // DeepNorm: x = N(alpha x + F(x)); unused by the other placements
    // GPT-NeoX / Pythia: both sublayers read the layer's input, x = x + Attn(N1 x) + FFN(N2 x).
    bool parallel = false;
    bool operator==(const ResidualSpec&) const = default;
};

// Gated attention (Qiu et al., 2025): o_h <- o_h * sigmoid(W_g h) before Wo, h the attention
// sublayer's input; one scalar per head (HeadWise, W_g [nHeads, dim]) or per element (ElementWise,
// W_g [nHeads headSize, dim]). Trained by the trainer (anatomy-train files).
enum class OutputGate { None, HeadWise, ElementWise };

struct AttentionSpec {
    int nHeads = 0;
    int nKvHeads = 0;             // GQA: query head h reads KV head h / (nHeads / nKvHeads)
    int headSize = 0;
    float scale = 1.0f;           // multiplier m on 1/sqrt(d_k): score = m t q.k / sqrt(d_k)
    float temperature = 1.0f;     // t: YaRN's attention temperature on the logits
    AttentionMask mask = AttentionMask::Causal;
    int prefixLength = 0;         // PrefixLm: the first P tokens see each other
    SparsePattern sparse = SparsePattern::None;
    int window = 64, sinks = 4, stride = 16, chunk = 128, s2Group = 64;
    AttentionKernel kernel = AttentionKernel::Softmax;
    bool alibi = false;           // ALiBi's distance penalty on the scores (alibi.h)
    bool dualChunkRope = false;   // dual chunk attention re-rotates queries per key chunk (RoPE only)
    bool bias = false;            // q, k, v (and GPT-2's output) projections add a bias (Qwen 2, GPT-2)
    float softCap = 0.0f;         // Gemma 2: s = c tanh(s / c) on the scaled scores; 0 = none
    bool qkNorm = false;          // Qwen 3: RMSNorm of every query and key head before RoPE
    OutputGate outputGate = OutputGate::None;  // trained sigmoid gate on the heads' outputs (LayerWeights::wg)
    // Multi-head latent attention (DeepSeek-V2; trained, anatomy-train): keys and values come from
    // a cached latent of latentRank floats per token plus a decoupled RoPE key of latentRopeDim
    // floats shared by the heads (latent_attention.h). 0: keys and values are projected as usual.
    int latentRank = 0;
    int latentRopeDim = 0;
    std::vector<HeadIntervention> heads;  // this layer's ablations and gates
    // Whether any of the above departs from causal softmax attention at scale 1/sqrt(d_k): the
    // general (masked, biased, rescaled) attention then replaces the fast paths.
    bool plain() const;
    bool operator==(const AttentionSpec&) const = default;
};

struct FfnSpec {
    bool gated = true;                   // SwiGLU: W2 (act(W1 x) * W3 x); else W2 act(W1 x) (GPT-2)
    bool bias = false;                   // W1 and W2 add biases (GPT-2, Pythia)
    Activation activation = Activation::Silu;
    ActivationParams activationParams;
    int nExperts = 0;                    // 0 = dense; else MoE (moe.h)
    bool operator==(const FfnSpec&) const = default;
};

struct LayerSpec {
    ResidualSpec residual;
    NormSpec norm;        // both sublayer norms of the layer
    AttentionSpec attention;
    FfnSpec ffn;
    bool operator==(const LayerSpec&) const = default;
};

// Which head dimensions RoPE pairs (rope.h): llama.cpp's rope types NORM and NEOX.
enum class RopeLayout {
    Interleaved,  // (x[2i], x[2i+1])            Llama, as llama2.c
    HalfSplit,    // (x[i], x[i + d/2])         GPT-NeoX, Qwen 2, Phi-3, Gemma 2
};

struct PositionSpec {
    PositionEncoding kind = PositionEncoding::Rope;
    float ropeBase = 10000.0f;           // b in theta_i = b^(-2i/d)
    RopeScalingParams ropeScaling;       // PI, NTK, dynamic NTK, YaRN, Llama 3 (rope_scaling.h)
    RopeLayout layout = RopeLayout::Interleaved;
    int rotaryDims = 0;                  // d: the first d dims of a head rotate (Pythia: 1/4); 0 = all
    // GGUF rope_freqs.weight (Llama 3.x: its converter's rope scaling): theta_i / c_i. [d/2] or empty
    std::vector<float> freqFactors;
    bool operator==(const PositionSpec&) const = default;
};

struct EmbeddingSpec {
    bool tiedClassifier = true;          // classifier = token embedding
    float scale = 1.0f;                  // Gemma: x = sqrt(dim) E[token]
    bool learnedPositions = false;       // GPT-2: x = E[token] + P[position] (Model::positionEmbedding)
    bool tokenType = false;              // BERT: x += T[0], the token-type ("sentence A") row (Model::tokenTypeEmbedding)
    std::optional<NormSpec> norm;        // BERT: x = LayerNorm(x) after the sum (Model::embeddingNorm)
    bool sinusoidalPositions = false;    // Vaswani et al.: that table is the fixed sinusoid, not learned
    bool operator==(const EmbeddingSpec&) const = default;
};

// Encoder-decoder (T5, encoder_decoder.h): an encoder stack whose output every decoder layer
// cross-attends to; both stacks' self-attention add a learned bias per head and distance bucket.
struct EncoderDecoderSpec {
    bool enabled = false;
    std::vector<LayerSpec> encoderLayers;  // [nLayers]; Architecture::layers are the decoder's
    NormSpec encoderFinalNorm;
    int relativeBuckets = 32;              // {arch}.attention.relative_buckets_count
    int relativeMaxDistance = 128;         // distances from here on share the last bucket
    int decoderStartToken = 0;             // {arch}.decoder_start_token_id (T5: pad, 0)
    bool operator==(const EncoderDecoderSpec&) const = default;
};
// How an encoder makes one vector of its last hidden states h [T, dim] (llama.cpp's pooling types):
//   mean  e = (1/T) sum_t h[t]      cls  e = h[0] ([CLS])      last  e = h[T - 1]
enum class Pooling { None, Mean, Cls, Last };

struct Architecture {
    std::string name = "llama";          // GGUF general.architecture
    EmbeddingSpec embeddings;
    PositionSpec positions;
    std::vector<LayerSpec> layers;       // [nLayers]
    NormSpec finalNorm;
    float finalSoftCap = 0.0f;           // Gemma 2: logits = c tanh(logits / c); 0 = none
    MoeParams moe;                       // routing for every MoE layer (ffn.nExperts > 0)
    EncoderDecoderSpec encoderDecoder;   // T5; disabled for decoder-only models
    // false: an encoder (BERT): no final norm, no classifier; forward() returns no logits and its
    // output is the last hidden states (Session::hiddenStates), pooled as `pooling` says (pooling.h).
    bool languageModel = true;
    Pooling pooling = Pooling::None;
    bool operator==(const Architecture&) const = default;
};

// The Llama architecture as trained, from a checkpoint's hyper-parameters: pre-RMSNorm blocks,
// RoPE, causal GQA softmax attention, SwiGLU FFN.
Architecture llamaArchitecture(const ModelConfig& c);
// What sets the architecture apart, in words, for `info` and the views: "LayerNorm with bias,
// learned absolute positions, GELU (tanh) FFN, biases"; "pre-RMSNorm, RoPE, SwiGLU" for Llama.
std::string architectureFeatures(const Architecture& a);
// Throws Error when the model cannot predict the next token (an encoder): "bert is an encoder:
// it has no next-token head (no LM head); use `anatomy-cli embed`". what: "generate", ...
void requireLanguageModel(const Architecture& a, const std::string& what);
// "none", "mean", "cls", "last"
const char* poolingName(Pooling p);
// Why a simulator knob (knob_table.h key) does not apply to a trained architecture ("gpt2 learns
// absolute position embeddings; it has no RoPE"), or empty when it does.
std::string knobRefusal(const Architecture& trained, const std::string& key);
// Throws Error naming the first knob that s sets away from its default although it does not
// apply to the trained architecture, with knobRefusal's reason.
void checkKnobsApply(const Architecture& trained, const SimSettings& s);
// The simulator's attention knobs (mask, sparse pattern, kernel, scale, ALiBi) on one layer's spec;
// the sizes, KV heads and head interventions are left as they are.
void applyAttentionKnobs(AttentionSpec& a, const SimSettings& s);
// The architecture the simulator's knobs describe on top of a trained one (validateSettings
// first). kvHeads: the KV heads the shared/pooled KV weights have (kv_sharing.h). A knob at its
// default keeps what the model was trained with (its norms, positions, activation, windows).
Architecture simulate(const Architecture& trained, const SimSettings& s, const ModelConfig& c, int kvHeads);

}  // namespace anatomy
