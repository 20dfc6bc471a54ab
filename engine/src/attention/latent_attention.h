#pragma once
// Multi-head latent attention (DeepSeek-V2, 2024) at inference, as the trainer trains it
// (train/train_mla.h). Per token and layer the KV cache keeps only
//   c   = W_dkv h              [r]     the latent          (an MLA layer's keyCache:   [capacity, r])
//   k_r = RoPE(W_kr h)         [d_r]   the decoupled key   (an MLA layer's valueCache: [capacity, d_r])
// that is r + d_r floats instead of MHA's 2 nHeads hs. Each forward expands every head's keys and
// values from the cached latent and attends as MHA over heads of width hs + d_r:
//   k_h,j = W_uk,h c_j,   v_h,j = W_uv,h c_j                   [hs] each
//   q_h   = [W_q,h h ; RoPE(W_qr,h h)]                         [hs + d_r]
//   s_h[t, j] = q_h,t · [k_h,j ; k_r,j] / sqrt(hs + d_r)   (ALiBi: - m_h (t - j)),  j <= t
//   o_h,t = Σ_j softmax(s_h[t])_j v_h,j
// Expanding costs nKv r hs multiply-adds per head, layer and forward; DeepSeek absorbs W_uk into
// the queries instead (q_h · W_uk,h c = (W_uk,hᵀ q_h) · c). The expansion keeps the trainer's
// order of operations, so the logits match its own forward pass to float rounding.
#include "anatomy/model.h"
#include "attention/attention.h"

namespace anatomy {

// Steps 2-3 of an MLA layer for T new tokens at positions start..: the latents into
// latent [T, r] and the rotated RoPE keys into ropeKeys [T, d_r] (both the cache's new rows), the
// queries q [T, nHeads (hs + d_r)] (RoPE parts rotated). scratch: [T, nHeads hs] and [T, nHeads d_r].
void latentProjections(const LayerWeights& w, const AttentionSpec& a, const RopeTable& rope, const float* h,
                       int start, int T, float* latent, float* ropeKeys, float* q, float* qContent, float* qRope);

// The attention variant of MLA layers (chooseAttention picks it for every spec with latentRank > 0):
// in.keys = the latent cache [start + T, r], in.values = the RoPE key cache [start + T, d_r],
// in.q [T, nHeads (hs + d_r)], in.upKeys = W_uk, in.upValues = W_uv; in.out [T, nHeads hs].
const AttentionVariant& latentAttention();

}  // namespace anatomy
