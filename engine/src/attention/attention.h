#pragma once
// Scaled dot-product attention of one layer over a batch of T queries at positions
// start..start+T-1, reading keys and values from the KV cache:
//   S = Q Kᵀ / sqrt(d_k)   O = softmax(S) V      per query head; head h reads KV head
//   h / (nHeads / nKvHeads) (GQA; MQA is one KV head, MHA one per query head).
// Why divide by sqrt(d_k): for q, k with unit-variance entries q·k has variance d_k, so unscaled
// scores would push the softmax into saturation as heads get wider.
// Each variant is a small function; chooseAttention() picks one per layer and forward, never
// per element:
//   causal rows     one query row at a time, in llama2.c's summation order (decode, int8)
//   causal batched  per head, S and O as matrix products over the batch (float prefill)
//   general rows    any mask or sparse pattern, ALiBi, a score scale, YaRN's temperature,
//                   dual-chunk positions, soft-capped scores (the simulator's attention and
//                   Gemma 2's; scalar and clear)
//   linear          phi(q)·phi(k) with running sums instead of softmax (linear_attention.h)
//   latent (MLA)    keys and values expanded from a cached latent plus a shared RoPE key
//                   (latent_attention.h), any layer with AttentionSpec::latentRank > 0
#include "anatomy/architecture.h"
#include "positions/rope.h"
#include "trace/trace_capture.h"

namespace anatomy {

struct AttentionInput {
    const AttentionSpec* spec = nullptr;
    int layer = 0;
    int start = 0;                  // position of the first query
    int T = 0;                      // queries in the batch
    int trainedContext = 0;         // dual chunk attention keeps distances below it
    const float* q = nullptr;       // [T, nHeads * headSize] rotated queries
    const float* qRaw = nullptr;    // [T, nHeads * headSize] before RoPE (dual chunk only)
    const float* keys = nullptr;    // [start + T, nKvHeads * headSize] the layer's cache
    const float* values = nullptr;  // [start + T, nKvHeads * headSize]
    const RopeTable* rope = nullptr;
    const float* alibiSlopes = nullptr;  // [nHeads]
    bool exactSoftmax = false;      // libm exp (int8 models match runq.c bit for bit)
    float* out = nullptr;           // [T, nHeads * headSize] heads concatenated
    // MLA (latent_attention.h): keys is the latent cache [start + T, r], values the RoPE key cache
    // [start + T, d_r], q [T, nHeads (headSize + d_r)]; the up-projections expand them per head.
    const float* upKeys = nullptr;    // W_uk [nHeads * headSize, r]
    const float* upValues = nullptr;  // W_uv [nHeads * headSize, r]
    TraceCapture* cap = nullptr;
};

struct AttentionVariant {
    const char* name;
    bool perRow;  // units of work: (query, head) rows, else whole heads
    // Runs units [begin, end): row i is query i / nHeads, head i % nHeads; head i is head i.
    void (*run)(const AttentionInput& in, int begin, int end);
};

// The variant for a layer's attention spec and batch (see the list above).
const AttentionVariant& chooseAttention(const AttentionSpec& spec, int T, bool exactSoftmax);
// Runs the variant over every unit, split across threads when the work is worth it.
void attend(const AttentionVariant& v, const AttentionInput& in);

}  // namespace anatomy
