#include "anatomy/architecture.h"

#include "anatomy/error.h"
#include "norm/norm.h"
#include "anatomy/rope_scaling.h"

namespace anatomy {

bool AttentionSpec::plain() const {
    return !alibi && scale == 1.0f && temperature == 1.0f && mask == AttentionMask::Causal &&
           sparse == SparsePattern::None && kernel == AttentionKernel::Softmax && softCap == 0.0f;
}

Architecture llamaArchitecture(const ModelConfig& c) {
    Architecture a;
    a.embeddings.tiedClassifier = c.sharedClassifier;
    a.positions.kind = PositionEncoding::Rope;
    a.positions.ropeBase = c.ropeTheta;
    a.finalNorm = NormSpec{NormType::Rms, c.normEps};
    LayerSpec layer;
    layer.residual = ResidualSpec{NormPlacement::Pre, 1.0f};
    layer.norm = NormSpec{NormType::Rms, c.normEps};
    layer.attention.nHeads = c.nHeads;
    layer.attention.nKvHeads = c.nKvHeads;
    layer.attention.headSize = c.headSize();
    a.layers.assign(size_t(c.nLayers), layer);
    return a;
}

std::string architectureFeatures(const Architecture& a) {
    if (a.layers.empty()) return {};
    const LayerSpec& L = a.layers.front();
    std::vector<std::string> f;
    if (a.encoderDecoder.enabled) {  // T5 (encoder_decoder.h)
        const std::string n = std::to_string(a.layers.size());
        return "encoder-decoder (" + n + " encoder + " + n + " decoder layers) with cross-attention, relative position "
               "bias (" + std::to_string(a.encoderDecoder.relativeBuckets) + " buckets), RMS norm without mean or "
               "bias, no 1/sqrt(d_k), " + (L.ffn.gated ? "gated GELU FFN" : "ReLU FFN") + ", " +
               (a.embeddings.tiedClassifier ? "tied" : "untied") + " classifier";
    }
    std::string norm = L.norm.type == NormType::Rms     ? "RMSNorm"
                       : L.norm.type == NormType::Batch ? "BatchNorm (running statistics)"
                                                        : "LayerNorm";
    if (L.norm.bias) norm += " with bias";
    const NormPlacement place = L.residual.placement;
    f.push_back((place == NormPlacement::Sandwich ? "pre- and post-" : place == NormPlacement::Post ? "post-" : "pre-") + norm);
    if (L.residual.parallel) f.push_back("parallel residual");
    if (a.embeddings.scale != 1.0f) f.push_back("embedding scaled by sqrt(dim)");
    if (a.embeddings.sinusoidalPositions) f.push_back("sinusoidal absolute positions");
    else if (a.embeddings.learnedPositions) f.push_back("learned absolute positions");
    if (a.embeddings.tokenType) f.push_back("token-type embedding");
    if (a.embeddings.norm) f.push_back("embedding LayerNorm");
    if (L.attention.mask == AttentionMask::Bidirectional) f.push_back("bidirectional attention");
    if (a.positions.kind == PositionEncoding::Rope) {
        std::string r = a.positions.layout == RopeLayout::HalfSplit ? "RoPE (half-split pairs" : "RoPE (interleaved pairs";
        if (a.positions.rotaryDims > 0) r += ", first " + std::to_string(a.positions.rotaryDims) + " dims of each head";
        f.push_back(r + ")");
    }
    if (L.attention.latentRank > 0)
        f.push_back("MLA (latent rank " + std::to_string(L.attention.latentRank) + " + RoPE key " +
                    std::to_string(L.attention.latentRopeDim) + ")");
    if (L.attention.bias) f.push_back("QKV biases");
    if (L.attention.qkNorm) f.push_back("QK-norm");
    if (L.attention.outputGate == OutputGate::HeadWise) f.push_back("head-wise gated attention");
    if (L.attention.outputGate == OutputGate::ElementWise) f.push_back("element-wise gated attention");
    if (L.attention.softCap > 0.0f) f.push_back("attention soft-cap");
    int sliding = 0, window = 0;
    for (const LayerSpec& l : a.layers)
        if (l.attention.sparse == SparsePattern::SlidingWindow) {
            ++sliding;
            window = l.attention.window;
        }
    if (sliding)
        f.push_back("sliding window " + std::to_string(window) + " on " + std::to_string(sliding) + " of " +
                    std::to_string(a.layers.size()) + " layers");
    const char* act = L.ffn.activation == Activation::Silu ? "SiLU" : L.ffn.activation == Activation::GeluTanh ? "GELU (tanh)" : "other";
    f.push_back(L.ffn.gated ? std::string(L.ffn.activation == Activation::Silu ? "SwiGLU" : "gated ") +
                                  (L.ffn.activation == Activation::Silu ? "" : act)
                            : std::string(act) + " FFN");
    if (L.ffn.bias) f.push_back("FFN biases");
    if (L.ffn.nExperts > 0)
        f.push_back("trained MoE (" + std::to_string(L.ffn.nExperts) + " experts, top-" + std::to_string(a.moe.topK) + ")");
    if (a.finalSoftCap > 0.0f) f.push_back("final logit soft-cap");
    if (!a.languageModel) f.push_back(std::string("encoder (no LM head), ") + poolingName(a.pooling) + " pooling");
    else f.push_back(a.embeddings.tiedClassifier ? "tied classifier" : "untied classifier");
    std::string s;
    for (const std::string& x : f) s += (s.empty() ? "" : ", ") + x;
    return s;
}

void requireLanguageModel(const Architecture& a, const std::string& what) {
    if (!a.languageModel)
        throw Error(what + ": " + a.name + " is an encoder: it has no next-token head (no LM head) to " +
                    "predict or score text with; use `anatomy-cli embed` for its pooled embeddings");
}

const char* poolingName(Pooling p) {
    switch (p) {
        case Pooling::None: return "none";
        case Pooling::Mean: return "mean";
        case Pooling::Cls: return "cls";
        case Pooling::Last: return "last";
    }
    return "none";
}

void applyAttentionKnobs(AttentionSpec& at, const SimSettings& s) {
    at.scale = s.attnScale;
    // YaRN's attention temperature multiplies the logits whatever the positions (rope_scaling.h).
    at.temperature = ropeLogitScale(s.ropeScaling);
    at.mask = s.mask;
    at.prefixLength = s.prefixLength;
    // No sparse pattern asked for: the trained one stays (Gemma 2's sliding-window layers).
    if (s.sparse != SparsePattern::None) {
        at.sparse = s.sparse;
        at.window = s.window;
    }
    at.sinks = s.sinks;
    at.stride = s.stride;
    at.chunk = s.chunk;
    at.s2Group = s.s2Group;
    at.kernel = s.kernel;
    at.alibi = s.positions == PositionEncoding::Alibi;
    at.dualChunkRope = s.sparse == SparsePattern::DualChunk && s.positions == PositionEncoding::Rope;
}

Architecture simulate(const Architecture& trained, const SimSettings& s, const ModelConfig& c, int kvHeads) {
    const SimSettings d;  // the defaults: the model as trained
    Architecture a = trained;
    if (s.positions != d.positions) a.positions.kind = s.positions;
    if (s.ropeBase) a.positions.ropeBase = *s.ropeBase;
    if (!(s.ropeScaling == d.ropeScaling)) a.positions.ropeScaling = s.ropeScaling;
    // No MoE knob: a model trained with experts keeps its routing (anatomy-train).
    const bool moeKnobs = !(s.moe == d.moe);
    if (moeKnobs) a.moe = s.moe;
    const bool normKnobs = s.normType != d.normType || s.normEps;
    const float eps = s.normEps.value_or(c.normEps);
    if (normKnobs) a.finalNorm = NormSpec{s.normType, eps};
    const bool activationKnobs = s.activation != d.activation || !(s.activationParams == d.activationParams);
    for (size_t l = 0; l < a.layers.size(); ++l) {
        LayerSpec& L = a.layers[l];
        if (s.normPlacement != d.normPlacement) L.residual.placement = s.normPlacement;
        if (s.normPlacement == NormPlacement::DeepNorm)
            L.residual.deepNormAlpha = s.deepNormAlpha.value_or(deepNormAlpha(c.nLayers));
        if (normKnobs) L.norm = NormSpec{s.normType, eps};
        AttentionSpec& at = L.attention;
        at.nKvHeads = kvHeads;
        const AttentionMask trainedMask = at.mask;
        applyAttentionKnobs(at, s);
        // The knob at its default keeps the trained mask (an encoder's bidirectional one).
        if (s.mask == d.mask) at.mask = trainedMask;
        // No positions knob: a model trained with ALiBi keeps it (anatomy-train files).
        if (s.positions == d.positions) at.alibi = trained.layers[l].attention.alibi;
        at.heads.clear();
        for (const HeadIntervention& h : s.heads)
            if (h.layer == int(l)) at.heads.push_back(h);
        if (activationKnobs) {
            L.ffn.activation = s.activation;
            L.ffn.activationParams = s.activationParams;
        }
        if (moeKnobs) L.ffn.nExperts = s.moe.experts;
    }
    return a;
}

}  // namespace anatomy
