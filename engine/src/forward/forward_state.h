#pragma once
// What a Session keeps between forward passes: the KV cache, scratch buffers sized for the
// largest batch seen, and the architecture it runs (architecture.h) with the weights the
// simulator derived for it. Shared by forward.cpp and the files of each step.
#include <memory>
#include <span>
#include <vector>

#include "anatomy/architecture.h"
#include "attention/kv_sharing.h"
#include "ffn/moe.h"
#include "anatomy/session.h"
#include "positions/rope.h"

namespace anatomy {

struct Session::Impl {
    // KV cache per layer, grown on demand (also past the trained context). An MLA layer
    // (latent_attention.h) keeps its latent c in keyCache [capacity, r] and its RoPE key k_r in
    // valueCache [capacity, d_r].
    std::vector<std::vector<float>> keyCache;    // [nLayers][capacity, kvDim]
    std::vector<std::vector<float>> valueCache;  // [nLayers][capacity, kvDim]
    int capacity = 0;
    // Floats per position of keyCache and valueCache: kvDim each, or MLA's r and d_r.
    size_t keyWidth(const ModelConfig& c) const { return c.mlaRank > 0 ? size_t(c.mlaRank) : size_t(kvHeads) * c.headSize(); }
    size_t valueWidth(const ModelConfig& c) const { return c.mlaRank > 0 ? size_t(c.mlaRopeDim) : size_t(kvHeads) * c.headSize(); }

    // Scratch, sized for the largest batch seen.
    std::vector<float> x;       // [T, dim]     residual stream
    std::vector<float> xb;      // [T, dim]     normed input of a sublayer
    std::vector<float> q;       // [T, qDim]
    std::vector<float> qRaw;    // [T, qDim]    queries before RoPE (dual chunk attention)
    std::vector<float> qWide;   // [T, nHeads (hs + d_r)]  MLA: content and RoPE queries per head
    std::vector<float> qRope;   // [T, nHeads d_r]         MLA: W_qr h
    std::vector<float> att;     // [T, qDim]    attention output (heads concatenated)
    std::vector<float> gate;    // [T, qDim]    sigmoid(W_g h), gated attention (output_gate.h)
    std::vector<float> xb2;     // [T, dim]     sublayer output before the residual add
    std::vector<float> attnOut; // [T, dim]     attention output held back (parallel residual)
    std::vector<float> hb;      // [T, hidden]  gate, then act(gate) * up
    std::vector<float> hb2;     // [T, hidden]  up
    std::vector<float> logits;  // [T, vocab] or [vocab]
    std::vector<int> history;   // [nKv] tokens the cache holds
    int hiddenRows = 0;         // T of the last forward: x [hiddenRows, dim] holds its output
    RopeTable rope;
    RopeTable latentRope;       // MLA: the decoupled key's d_r dims, θ_i = base^(-2i/d_r)

    // The architecture that runs: the model's as trained, edited by the simulator's settings.
    SimSettings settings;
    Architecture arch;
    std::unique_ptr<KvWeights> kv;        // transformed W_K/W_V, null = the model's
    std::vector<MoeLayer> moe;            // [nLayers] when MoE is on
    std::vector<float> alibi;             // [nHeads] ALiBi slopes
    std::vector<std::vector<float>> headHistory;  // [nLayers][pos, qDim] head outputs (mean ablation)
    int kvHeads = 0;                      // KV heads per layer in the cache

    // RoPE's (scaled) frequencies for the current length (dynamic NTK follows it).
    void buildRope(const ModelConfig& c, int currentLength);
    void ensureCapacity(const ModelConfig& c, int needed);
    // Makes room for tokens at positions start..start+T-1: cache, RoPE rows, scratch, history.
    void prepare(const ModelConfig& c, std::span<const int> tokens, int start);
};

template <class V>
void growTo(V& v, size_t n) {
    if (v.size() < n) v.resize(n);
}

}  // namespace anatomy
