#pragma once
// Key/value head sharing, applied to a copy of W_K and W_V (the loaded Model stays untouched).
//   GQA (as loaded): query head h reads KV head h / (H / H_kv)
//   pool into G groups: query heads split into G contiguous groups; the new KV head g is the mean
//     of the original KV heads its query heads read:  W_K^g = mean_{h in g} W_K^{h}  (same for W_V).
//     RoPE is linear and the same for every head, so pooling weights = pooling the rotated keys.
//     G = 1 is MQA (Shazeer, 2019); G = H duplicates heads into MHA; G = H_kv is the model itself.
//   latent (MLA-style, DeepSeek-V2): the stacked [W_K; W_V] [2 kvDim, dim] is replaced by its
//     rank-r truncated SVD U_r Σ_r V_rᵀ: a token's keys and values are decoded from one latent
//     c = V_rᵀ x [r], which is all a cache would store. (MLA's decoupled RoPE key is not modelled:
//     RoPE is applied to the decoded keys.)
#include <memory>
#include <vector>

#include "anatomy/model.h"
#include "anatomy/sim_settings.h"

namespace anatomy {

struct KvWeights {
    int nKvHeads = 0;
    int latentRank = 0;             // > 0 for the latent variant
    std::vector<Matrix> wk;         // [nLayers] each [nKvHeads * headSize, dim]
    std::vector<Matrix> wv;         // [nLayers] each [nKvHeads * headSize, dim]
    std::vector<std::vector<float>> storage;  // what the matrices point into
};

// Null for as-loaded (the model's own weights are used).
std::unique_ptr<KvWeights> buildKvWeights(const Model& model, const SimSettings& s);

// W as float [rows, cols] (int8 matrices dequantised: q · scale of its group).
std::vector<float> denseMatrix(const Matrix& w);

}  // namespace anatomy
