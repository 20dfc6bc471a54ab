#pragma once
// RoPE context extension: each method changes the per-pair frequencies θ_i = b^(-2i/d) so that
// positions beyond the original context L0 rotate into angles the model has seen.
//   linear (position interpolation, Chen et al. 2023):  θ'_i = θ_i / s
//   ntk-aware (bloc97, 2023):                           b' = b · s^(d/(d-2))
//   dynamic ntk:                                        s' = max(1, s·L/L0 - (s-1)) at current length L
//   ntk-by-parts (Peng et al., YaRN §3.2):  r_i = L0/λ_i, λ_i = 2π/θ_i,
//       γ_i = clamp((r_i - α)/(β - α), 0, 1),  θ'_i = θ_i/s + γ_i (θ_i - θ_i/s)
//   yarn: ntk-by-parts + attention temperature √(1/t) = 0.1 ln s + 1 on q and k, i.e. logits · (0.1 ln s + 1)²
//   llama3: λ_i < L0/high: θ_i;  λ_i > L0/low: θ_i/s;  else smooth = (L0/λ_i - low)/(high - low),
//       θ'_i = θ_i/s + smooth (θ_i - θ_i/s)
// Every method with s = 1 gives back θ_i exactly (θ/1 = θ, 1^x = 1, θ - θ = 0), except dynamic
// NTK once the sequence is longer than L0: its s' = L/L0 then grows with the length even at
// s = 1 (the behaviour of Hugging Face's implementation, pinned by a test).
#include <vector>

#include "anatomy/sim_settings.h"

namespace anatomy {

// The unscaled frequencies, computed in float as llama2.c does: [headSize / 2]
std::vector<float> ropeBaseFrequencies(int headSize, float base);

// Per-pair frequencies for a scaling method. trainedContext is used when p.originalContext is 0;
// currentLength only matters for dynamic NTK. [headSize / 2]
std::vector<float> ropeScaledFrequencies(const RopeScalingParams& p, int headSize, float base,
                                         int trainedContext, int currentLength);

// The factor YaRN multiplies attention logits by: (0.1 ln s + 1)² for yarn, 1 otherwise.
float ropeLogitScale(const RopeScalingParams& p);

}  // namespace anatomy
