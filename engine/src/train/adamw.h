#pragma once
// AdamW (Loshchilov & Hutter, 2019: decoupled weight decay), PyTorch's torch.optim.AdamW
// arithmetic, step t = 1, 2, ...:
//   p ← p (1 - lr λ)                                   (only tensors with decay)
//   m ← β1 m + (1 - β1) g,   v ← β2 v + (1 - β2) g²
//   p ← p - (lr / (1 - β1^t)) · m / (sqrt(v) / sqrt(1 - β2^t) + ε)
// the learning-rate schedule (warmup + cosine, train.h) and global-norm clipping:
//   ‖g‖ = sqrt(Σ g²);  g ← g · min(1, clip / (‖g‖ + 1e-6))   (torch.nn.utils.clip_grad_norm_)
#include <cstdint>
#include <vector>

#include "anatomy/train.h"

namespace anatomy::training {

struct AdamWState {
    std::vector<float> m;  // [parameters] first moment
    std::vector<float> v;  // [parameters] second moment
    int64_t t = 0;         // steps taken
};

// lr of step s (0-based) under warmup + cosine.
double scheduledLr(const TrainOptimisation& o, int step);

// Global L2 norm of g (summed in double, in order); scales g when it exceeds clip > 0.
double clipGradients(std::vector<float>& g, double clip);

// One AdamW step; decay[i] says whether parameter i decays (1) or not (0).
void adamwStep(std::vector<float>& params, const std::vector<float>& grads, const std::vector<uint8_t>& decay,
               AdamWState& state, const TrainOptimisation& o, double lr);

}  // namespace anatomy::training
