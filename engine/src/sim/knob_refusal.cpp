// Which simulator knobs apply to a trained architecture. The knobs were written for Llama's
// block (pre-RMSNorm, RoPE, SwiGLU, bias-free projections); where a model departs from it, the
// knob that would silently drop what the model has (a bias, a learned table, a post-norm) is
// refused with the reason instead.
#include <string>

#include "anatomy/architecture.h"
#include "anatomy/error.h"
#include "anatomy/knob_table.h"

namespace anatomy {

namespace {

// What about the trained norms the norm knobs would replace, or empty.
std::string normDeparture(const Architecture& a) {
    const LayerSpec& L = a.layers.front();
    if (L.norm.type == NormType::Layer && L.norm.bias) return "LayerNorm with bias";
    if (L.norm.type == NormType::Batch) return "BatchNorm";
    if (L.norm.type != NormType::Rms) return "LayerNorm";
    if (L.residual.placement == NormPlacement::Sandwich) return "pre- and post-norms (sandwich) with their own gains";
    if (L.residual.parallel) return "a parallel residual";
    return {};
}

}  // namespace

std::string knobRefusal(const Architecture& a, const std::string& key) {
    const Knob* k = findKnob(key);
    if (!k || a.layers.empty()) return {};
    if (a.encoderDecoder.enabled)
        return a.name + " is an encoder-decoder model; the architecture simulator edits decoder-only models";
    const LayerSpec& L = a.layers.front();
    const std::string who = a.name;
    switch (k->group) {
        case KnobGroup::Norm:
            if (const std::string d = normDeparture(a); !d.empty())
                return who + " is trained with " + d + "; the norm knobs change the pre-RMSNorm of Llama-style models";
            return {};
        case KnobGroup::Ffn:
            if (!L.ffn.gated || L.ffn.activation != Activation::Silu || L.ffn.bias)
                return who + "'s FFN is not SwiGLU (gated SiLU without biases); the activation knobs replace SwiGLU's SiLU";
            return {};
        case KnobGroup::Positions:
            if (L.attention.latentRank > 0)
                return who + " is trained with MLA, whose decoupled RoPE key has its own rotation; the position "
                             "knobs change the RoPE of standard attention";
            if (a.embeddings.learnedPositions)
                return who + " learns absolute position embeddings; it has no RoPE to change";
            return {};
        case KnobGroup::Kv:
            if (L.attention.latentRank > 0)
                return who + " is trained with MLA: its keys and values already come from a latent of rank " +
                       std::to_string(L.attention.latentRank) + "; KV sharing rebuilds W_K and W_V";
            if (L.attention.bias || L.attention.qkNorm)
                return who + " has " + (L.attention.bias ? "K and V biases" : "QK-norm") +
                       "; KV sharing rebuilds W_K and W_V of models without them";
            return {};
        case KnobGroup::Moe:
            if (!L.ffn.gated || L.ffn.bias)
                return who + "'s FFN is not gated or has biases; MoEfication splits a SwiGLU FFN";
            return {};
        case KnobGroup::Attention:
            if (L.attention.latentRank > 0)
                return who + " is trained with MLA; the attention knobs edit standard (non-latent) attention";
            // The masks, sparse patterns and linear kernel are written for causal decoders (i >= j).
            if (!a.languageModel && (key == "attn.mask" || key == "attn.prefix" || key == "attn.sparse" || key == "attn.kernel"))
                return who + " is an encoder trained with bidirectional attention; " + key +
                       " changes the causal attention of decoders";
            return {};
        case KnobGroup::Heads: return {};
    }
    return {};
}

void checkKnobsApply(const Architecture& trained, const SimSettings& s) {
    for (const Knob& k : knobTable()) {
        if (!k.stored() || k.isDefault(s)) continue;
        if (const std::string why = knobRefusal(trained, k.key); !why.empty())
            throw Error(k.key + ": does not apply to this model: " + why);
    }
    // Dual chunk attention re-rotates queries with the interleaved RoPE pairs.
    if (s.sparse == SparsePattern::DualChunk && trained.positions.layout != RopeLayout::Interleaved)
        throw Error("attn.sparse: dual-chunk does not apply to this model: " + trained.name +
                    " rotates half-split RoPE pairs; dual chunk attention re-rotates interleaved ones");
}

}  // namespace anatomy
