#pragma once
// Gated attention (Qiu et al., 2025, "Gated Attention for Large Language Models"): each head's
// output is scaled by a sigmoid gate computed from the attention sublayer's input h, before Wo:
//   head-wise:     o_h <- o_h * sigmoid(W_g h)_h          W_g [nHeads, dim]
//   element-wise:  o_h,i <- o_h,i * sigmoid(W_g h)_(h,i)  W_g [nHeads headSize, dim]
// as the trainer computes it (train_ops.cpp attentionGateApply), so a trained gate runs here.
#include "anatomy/architecture.h"
#include "anatomy/model.h"

namespace anatomy {

// att [T, nHeads headSize] in place; h [T, dim]; scratch [T, >= W_g rows].
void applyOutputGate(OutputGate gate, const Matrix& wg, const float* h, float* att, float* scratch, int T,
                     int nHeads, int headSize);

}  // namespace anatomy
