#pragma once
// Normalisation layers and where they sit in a block (pre-, post-, sandwich norm, DeepNorm).
//   RMSNorm:   o = g ⊙ x / sqrt(mean(x²) + eps)                       (Zhang & Sennrich, 2019)
//   LayerNorm: o = g ⊙ (x - mean(x)) / sqrt(mean((x - mean)²) + eps)  (Ba et al., 2016; no bias)
//   BatchNorm: o_i = g_i (x_i - mu_i) / sqrt(var_i + eps) per channel i, mu and var the running
//              statistics the trainer saved (Ioffe & Szegedy, 2015; eval mode, so one token's
//              output does not depend on the others in its batch; no bias, as the trainer's)
//   DeepNorm:  x_{l+1} = LN(alpha · x_l + F(x_l)), alpha = (2N)^(1/4) for a decoder of N layers
//              (Wang et al., 2022). Its beta scales weights at initialisation only.
#include "anatomy/sim_settings.h"

namespace anatomy {

// RMSNorm exactly as llama2.c's rmsnorm (float accumulation, same order).
void rmsNorm(float* o, const float* x, const float* g, int n, float eps);
// LayerNorm without bias; g may be null for unit gain.
void layerNorm(float* o, const float* x, const float* g, int n, float eps);
// BatchNorm's running statistics per channel (the trainer's bn_*_mean, bn_*_var tensors).
struct RunningStats {
    const float* mean = nullptr;  // [n]
    const float* var = nullptr;   // [n] population variance estimate, >= 0
};
// BatchNorm in eval mode over one row, the trainer's arithmetic: r_i = 1 / sqrt(var_i + eps) in
// float, o_i = g_i ((x_i - mu_i) r_i). g may be null for unit gain.
void batchNorm(float* o, const float* x, const float* g, RunningStats stats, int n, float eps);
// The chosen norm over one row; g may be null for unit gain. o may alias x. BatchNorm reads
// stats (throws Error without them).
void applyNorm(NormType type, float* o, const float* x, const float* g, int n, float eps, RunningStats stats = {});
// QK-norm (Qwen 3): the norm of every head vector of x [rows, hs] in place, with one gain g [hs]
// shared by the heads.
void normHeads(NormType type, float* x, const float* g, int rows, int hs, float eps);
// DeepNet's decoder-only residual scale alpha = (2N)^(1/4).
float deepNormAlpha(int nLayers);

}  // namespace anatomy
