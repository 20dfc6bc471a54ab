#pragma once
// Normalisation layers and where they sit in a block (pre-, post-, sandwich norm, DeepNorm).
//   RMSNorm:   o = g ⊙ x / sqrt(mean(x²) + eps)                       (Zhang & Sennrich, 2019)
//   LayerNorm: o = g ⊙ (x - mean(x)) / sqrt(mean((x - mean)²) + eps)  (Ba et al., 2016; no bias)
//   DeepNorm:  x_{l+1} = LN(alpha · x_l + F(x_l)), alpha = (2N)^(1/4) for a decoder of N layers
//              (Wang et al., 2022). Its beta scales weights at initialisation only.
#include "anatomy/sim_settings.h"

namespace anatomy {

// RMSNorm exactly as llama2.c's rmsnorm (float accumulation, same order).
void rmsNorm(float* o, const float* x, const float* g, int n, float eps);
// LayerNorm without bias; g may be null for unit gain.
void layerNorm(float* o, const float* x, const float* g, int n, float eps);
// The chosen norm over one row; g may be null for unit gain. o may alias x.
void applyNorm(NormType type, float* o, const float* x, const float* g, int n, float eps);
// QK-norm (Qwen 3): the norm of every head vector of x [rows, hs] in place, with one gain g [hs]
// shared by the heads.
void normHeads(NormType type, float* x, const float* g, int rows, int hs, float eps);
// DeepNet's decoder-only residual scale alpha = (2N)^(1/4).
float deepNormAlpha(int nLayers);

}  // namespace anatomy
