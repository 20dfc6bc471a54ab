#pragma once
// Mixture of experts by MoEfication (Zhang et al., 2022) of the dense checkpoint: each FFN's
// hidden units are split into E experts by balanced k-means on the rows [W1_u, W3_u]
// (deterministic seed), so FFN(x) = Σ_e W2[:, U_e] (act(W1[U_e] x) ⊙ W3[U_e] x) exactly.
// Routing per token (no trained router exists):
//   score_e = c_e · x        c_e = the W1 half of expert e's centroid (= mean W1 row of its units),
//                            x = the normed FFN input; i.e. the expert's mean gate pre-activation
//   noisy top-k (Shazeer et al., 2017): score_e + N(0, σ²), seeded per (layer, position)
//   choose the k best; gate g_e = 1 (one), softmax over the k (softmax), softmax over all (prob,
//   Switch, Fedus et al. 2021)
//   capacity C = ceil(cf · T · k / E) per expert and batch; assignments beyond C are dropped
//   (the token gets no output from that expert; with k = 1 its FFN output is zero)
// Load-balance statistic: importance_e = Σ_t p_e(t), p = softmax(score) over all experts;
// CV = std(importance) / mean(importance), the quantity the auxiliary loss drives down.
#include <cstdint>
#include <vector>

#include "anatomy/model.h"
#include "anatomy/sim_settings.h"
#include "anatomy/trace.h"

namespace anatomy {

struct MoeLayer {
    int experts = 0;
    std::vector<int> expertOfUnit;    // [hidden]
    std::vector<int> unitsPerExpert;  // [E]
    std::vector<float> router;        // [E, dim]  centroid W1 halves
};

// Balanced k-means: every expert gets floor or ceil of hidden / E units.
// points [n, width] -> cluster of each point [n]
std::vector<int> balancedKMeans(const std::vector<float>& points, int n, int width, int k,
                                uint64_t seed, int iterations = 25);

std::vector<MoeLayer> buildMoe(const Model& model, const MoeParams& p);
// A trained mixture of experts (anatomy-train, LayerWeights::router): expert e owns the hidden
// units e H/E .. (e + 1) H/E - 1 and its router row is the trained one.
std::vector<MoeLayer> trainedMoe(const Model& model);
// What a session routes with: the simulator's MoEfication when the moe knobs ask for experts,
// else the model's trained experts (empty for a dense model).
std::vector<MoeLayer> sessionMoe(const Model& model, const MoeParams& knobs);

// Routes T tokens (xb [T, dim], positions start..) and masks hb [T, hidden] in place: units of
// experts not chosen (or dropped) are zeroed, chosen ones multiplied by their gate.
// Fills out (when non-null) with the layer's routing record.
void routeAndMask(const MoeLayer& moe, const MoeParams& p, int layer, const float* xb, float* hb,
                  int T, int start, int dim, int hidden, MoeLayerTrace* out);

}  // namespace anatomy
