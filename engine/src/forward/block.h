#pragma once
// How a block wires each sublayer F (attention, FFN) to the residual stream x around its
// norm N (norm.h), by placement:
//   pre       h = N(x)   x = x + F(h)              GPT-2, Llama (as trained here)
//   sandwich  h = N(x)   x = x + N1(F(h))          Gemma 2 (N1 with its post-norm gain), else gain 1
//   post      h = x      x = N(x + F(h))           the original Transformer, BERT
//   deepnorm  h = x      x = N(alpha x + F(h))     DeepNet, alpha = (2N_layers)^(1/4)
// Each placement is a small strategy picked once per sublayer call (placementOf), not a flag
// tested per element.
#include "anatomy/architecture.h"
#include "norm/norm.h"

namespace anatomy {

struct Rows {
    int T = 0;    // tokens
    int dim = 0;  // width of the residual stream
};

// One sublayer's norm weights: N(x) = gain ⊙ norm(x) + bias, N1 = postGain ⊙ norm(x) (sandwich;
// BatchNorm has no sandwich).
// Null: unit gain, no bias.
struct SublayerNorm {
    const float* gain = nullptr;      // [dim]
    const float* bias = nullptr;      // [dim]
    const float* postGain = nullptr;  // [dim]
    RunningStats stats;               // BatchNorm: the running mean and variance [dim]
};

struct Placement {
    const char* name;
    bool normsInput;  // h = N(x), else h = x
    // x [T, dim] updated in place from the sublayer output f [T, dim] (which may be overwritten).
    void (*add)(const LayerSpec& layer, Rows r, float* x, float* f, const SublayerNorm& n);
};

const Placement& placementOf(NormPlacement p);

// h [T, dim] = the sublayer's input from x [T, dim]: N(x), or x itself.
void sublayerInput(const LayerSpec& layer, Rows r, float* h, const float* x, const SublayerNorm& n);
void sublayerInput(const LayerSpec& layer, Rows r, float* h, const float* x, const float* gain);
// x = the residual after the sublayer with output f (see the table above).
void residualAdd(const LayerSpec& layer, Rows r, float* x, float* f, const SublayerNorm& n);
void residualAdd(const LayerSpec& layer, Rows r, float* x, float* f, const float* gain);

}  // namespace anatomy
