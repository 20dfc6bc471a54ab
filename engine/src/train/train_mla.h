#pragma once
// Multi-head latent attention (DeepSeek-V2, 2024) as the trainer trains it: keys and values come
// from one latent c per token, and a small decoupled key carries RoPE for all heads:
//   c = W_dkv h            [N, r]          the only thing a KV cache stores, with k_r
//   k_h = W_uk,h c,  v_h = W_uv,h c        [N, hs] per head (content keys, values)
//   k_r = RoPE(W_kr h)     [N, d_r]        shared by every head
//   q_h = [W_q,h h ; RoPE(W_qr,h h)]       [N, hs + d_r]
//   s_h[t, j] = (q_c · k_c + q_r · k_r) / sqrt(hs + d_r),  causal softmax, o_h = Σ p v_h
// Attention runs as MHA over heads of width hs + d_r: K' = [k_h ; k_r] and V' = [v_h ; 0], and
// the output keeps each head's first hs values. KV cache per token and layer: r + d_r floats.
#include <vector>

#include "anatomy/train.h"

namespace anatomy::training {

struct LayerTensors;

// Fills Q', K', V' [N, H (hs + d_r)] and the latent c [N, r] from h [N, dim]; RoPE tables for
// d_r dims over T positions (cosR, sinR: [T, d_r / 2]).
void mlaForward(const TrainShape& s, const LayerTensors& w, const float* h, float* latent, float* Q, float* K, float* V,
                int N, int T, const float* cosR, const float* sinR);
// From dQ', dK', dV' (attention's backward): every MLA weight's gradient (written) and
// dh [N, dim] (added to).
void mlaBackward(const TrainShape& s, const LayerTensors& w, const LayerTensors& g, const float* h, const float* latent,
                 const float* dQ, const float* dK, const float* dV, float* dh, int N, int T, const float* cosR,
                 const float* sinR);
// O' [N, H (hs + d_r)] -> att [N, H hs] (each head's first hs), and its transpose for dO'.
void mlaNarrow(const TrainShape& s, float* att, const float* wide, int N);
void mlaWiden(const TrainShape& s, float* wide, const float* att, int N);

}  // namespace anatomy::training
