#pragma once
// A trained mixture-of-experts FFN (Shazeer et al., 2017; Switch, Fedus et al., 2021), forward and
// backward. Per token n with FFN input h_n [dim]:
//   z_n = W_r h_n (+ σ ε_n, noisy top-k: the same ε tensor for PyTorch)     W_r [E, dim]
//   p_n = softmax(z_n) over all E experts
//   choose the k experts of largest z_n (ties: the lower index), gate w_{n,j}:
//     prob (Switch):  p_n[e_j];   softmax (Mixtral): softmax over the k chosen z;   one: 1
//   capacity C = ceil(cf T k / E) per expert and sequence (cf = 0: unlimited); choices are served
//   in token order, then rank order; a choice beyond C is dropped (no output from that expert)
//   y_n = Σ_{kept j} w_{n,j} FFN_{e_j}(h_n),  FFN_e the shape's FFN (gated or not) of width hidden
//   auxiliary load-balancing loss: α E Σ_e f_e P_e, f_e = (choices of e before capacity) / (N k),
//   P_e = (1/N) Σ_n p_n[e]   (f is counted, so only P carries a gradient)
// Experts' weights are stacked: W1 [E, hidden, dim], W2 [E, dim, hidden], W3 [E, hidden, dim].
#include <cstdint>
#include <vector>

#include "anatomy/train.h"

namespace anatomy::training {

struct MoeActivations {
    std::vector<float> logits;     // [N, E] router logits, noise included
    std::vector<float> probs;      // [N, E] softmax over all experts
    std::vector<int> choice;       // [N, k] chosen experts, largest logit first
    std::vector<float> weight;     // [N, k] gate of each choice
    std::vector<uint8_t> kept;     // [N, k] 0: dropped at capacity
    std::vector<double> assigned;  // [E] choices before capacity
    int dropped = 0;               // choices dropped at capacity
    double aux = 0;                // α E Σ f_e P_e
    struct Expert {
        std::vector<int> slots;    // [n_e] kept choices n k + j, in token order
        std::vector<float> x;      // [n_e, dim]    their inputs h_n
        std::vector<float> a, b;   // [n_e, hidden] W1 x, W3 x (b: gated only)
        std::vector<float> g;      // [n_e, hidden] act(a) ⊙ b or act(a)
        std::vector<float> o;      // [n_e, dim]    W2 g
    };
    std::vector<Expert> experts;   // [E]
};

struct MoeWeights {
    const float* router = nullptr;  // [E, dim]
    const float* w1 = nullptr;      // [E, hidden, dim]
    const float* w2 = nullptr;      // [E, dim, hidden]
    const float* w3 = nullptr;      // [E, hidden, dim] (gated FFN only)
};
struct MoeGrads {
    float* router = nullptr;
    float* w1 = nullptr;
    float* w2 = nullptr;
    float* w3 = nullptr;
};

// Y [N, dim] = the MoE output for H [N, dim] of B sequences of T tokens; noise [N, E] or null.
void moeForward(const TrainShape& s, float* Y, MoeActivations& act, const float* H, const MoeWeights& w,
                const float* noise, int B, int T, double auxWeight);
// dH [N, dim] (written) and every weight's gradient (written) from dY [N, dim], plus the auxiliary
// loss's gradient through P.
void moeBackward(const TrainShape& s, float* dH, const MoeGrads& g, const float* dY, const MoeActivations& act,
                 const float* H, const MoeWeights& w, int B, int T, double auxWeight);

}  // namespace anatomy::training
