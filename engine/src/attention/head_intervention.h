#pragma once
// Hand-made changes to single attention heads, applied to the head's output o_{l,h}(t) [headSize]
// before the output projection Wo:
//   zero ablation   o ← 0
//   mean ablation   o ← mean over positions 0..t of o (causal, so prefill and decode agree)
//   sigmoid gate    o ← σ(g) o   (manual counterfactual: this checkpoint has no trained gates)
#include <vector>

#include "anatomy/sim_settings.h"

namespace anatomy {

// att: [T, nHeads * headSize] outputs of layer l at positions start..start+T-1, changed in place.
// history: [>= start + T, nHeads * headSize] the unchanged outputs of every position of layer l
// so far (this function writes rows start..start+T-1 first), used by mean ablation.
void applyHeadInterventions(const std::vector<HeadIntervention>& heads, int layer, float* att,
                            std::vector<float>& history, int start, int T, int nHeads, int headSize);

}  // namespace anatomy
