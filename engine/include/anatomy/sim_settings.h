#pragma once
// The architecture simulator's settings: changes to the loaded model's architecture applied live
// in the forward pass (norm placement and type, FFN activation, positions, attention masks and
// sparse patterns, head interventions, KV sharing, MoEfication). The defaults are the model as
// trained, and a Session with default settings computes bit-identical logits.
// Text form: `key=value`, one knob per string (applySetting); settingKeys() is the help text.
// Each knob is one row of the knob table (knob_table.h), which every function below reads.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "anatomy/model_config.h"

namespace anatomy {

enum class NormPlacement { Pre, Post, Sandwich, DeepNorm };
// Batch: BatchNorm at inference (eval mode) with the running statistics a trained model saved;
// no knob sets it (the trainer's norm.type=batch).
enum class NormType { Rms, Layer, Batch };
enum class Activation { Silu, GeluTanh, GeluErf, Relu, LeakyRelu, Elu, Swish };
enum class PositionEncoding { Rope, None, Alibi };
enum class RopeScaling { None, Linear, Ntk, DynamicNtk, NtkByParts, Yarn, Llama3 };
enum class AttentionMask { Causal, Bidirectional, PrefixLm };
enum class SparsePattern { None, SlidingWindow, SinksWindow, BlockStrided, DualChunk, ShiftedSparse };
enum class AttentionKernel { Softmax, Linear };
enum class KvSharing { AsLoaded, Mqa, Mha, Groups, LatentSvd };
enum class MoeGate { One, Softmax, Prob };

struct ActivationParams {
    float leakySlope = 0.01f;  // leaky ReLU slope for x < 0
    float eluAlpha = 1.0f;     // ELU: alpha (e^x - 1) for x < 0
    float swishBeta = 1.0f;    // Swish: x σ(βx)
    bool operator==(const ActivationParams&) const = default;
};

struct RopeScalingParams {
    RopeScaling method = RopeScaling::None;
    float factor = 1.0f;          // s: how many times longer than the original context
    int originalContext = 0;      // L0; 0 = the model's trained context
    float rampAlpha = 1.0f;       // NTK-by-parts / YaRN: below α rotations per L0, interpolate fully
    float rampBeta = 32.0f;       // ... above β rotations, keep the frequency
    float lowFreqFactor = 1.0f;   // Llama 3
    float highFreqFactor = 4.0f;  // Llama 3
    bool operator==(const RopeScalingParams&) const = default;
};

// One (layer, head) changed by hand.
struct HeadIntervention {
    enum class Kind { Zero, Mean, Gate } kind = Kind::Zero;
    int layer = 0;
    int head = 0;
    float gateLogit = 0.0f;  // Gate: output *= σ(gateLogit)
    bool operator==(const HeadIntervention&) const = default;
};

struct MoeParams {
    int experts = 0;              // E; 0 = dense FFN (as trained)
    int topK = 2;                 // k experts per token
    MoeGate gate = MoeGate::One;  // how chosen experts are weighted
    float noiseStd = 0.0f;        // noisy top-k: router logits + N(0, std²), seeded
    uint64_t seed = 1;            // k-means initialisation and router noise
    float capacityFactor = 0.0f;  // 0 = unlimited; else capacity = ceil(cf · T · k / E) per expert
    bool operator==(const MoeParams&) const = default;
};

struct SimSettings {
    // Norms
    NormPlacement normPlacement = NormPlacement::Pre;
    NormType normType = NormType::Rms;
    std::optional<float> normEps;      // none = the model's
    std::optional<float> deepNormAlpha; // none = (2 N_layers)^(1/4)
    // FFN
    Activation activation = Activation::Silu;
    ActivationParams activationParams;
    // Positions
    PositionEncoding positions = PositionEncoding::Rope;
    std::optional<float> ropeBase;     // none = the model's
    RopeScalingParams ropeScaling;
    // Attention
    float attnScale = 1.0f;            // multiplier on 1/sqrt(d_k)
    AttentionMask mask = AttentionMask::Causal;
    int prefixLength = 0;
    SparsePattern sparse = SparsePattern::None;
    int window = 64;
    int sinks = 4;
    int stride = 16;
    int chunk = 128;
    int s2Group = 64;
    AttentionKernel kernel = AttentionKernel::Softmax;
    // Heads
    std::vector<HeadIntervention> heads;
    // KV sharing
    KvSharing kvSharing = KvSharing::AsLoaded;
    int kvGroups = 0;                  // Groups: number of KV heads after pooling
    int kvRank = 0;                    // LatentSvd: latent rank r
    // MoE
    MoeParams moe;

    // Which attention path runs is the architecture's business (architecture.h, AttentionSpec::plain).
    bool operator==(const SimSettings&) const = default;
};

// Sets one knob from "key=value". Throws anatomy::Error naming the key, the allowed values and the
// value; s is unchanged then.
void applySetting(SimSettings& s, std::string_view keyEqualsValue);
// Checks the settings against a model; throws anatomy::Error naming the key, the allowed range
// and the value.
void validateSettings(const SimSettings& s, const ModelConfig& c);

// One knob's help: key, value syntax, default, a paragraph, and its formula.
struct SettingInfo {
    std::string key;
    std::string values;
    std::string defaultValue;
    std::string explanation;
    std::string formula;
};
const std::vector<SettingInfo>& settingInfo();
// The help text, one paragraph per key: "key=values (default d): explanation  Formula: f".
std::vector<std::string> settingKeys();
// Every knob whose value differs from its default, as "key=value", in table order. Applying them
// in order to SimSettings{} gives s back (heads listed as ablations, then gates, as applySetting
// keeps them). Session files store this list.
std::vector<std::string> assignments(const SimSettings& s);
// assignments(s) joined by ", "; "as trained" when empty. Lossless like assignments: splitting on
// ", " and applying each part gives s back.
std::string describe(const SimSettings& s);

}  // namespace anatomy
