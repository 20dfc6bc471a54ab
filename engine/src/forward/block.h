#pragma once
// How a block wires each sublayer F (attention, FFN) to the residual stream x around its
// norm N (norm.h), by placement:
//   pre       h = N(x)   x = x + F(h)              GPT-2, Llama (as trained here)
//   sandwich  h = N(x)   x = x + N1(F(h))          N1 with gain 1: the checkpoint has none
//   post      h = x      x = N(x + F(h))           the original Transformer, BERT
//   deepnorm  h = x      x = N(alpha x + F(h))     DeepNet, alpha = (2N_layers)^(1/4)
// Each placement is a small strategy picked once per sublayer call (placementOf), not a flag
// tested per element.
#include "anatomy/architecture.h"

namespace anatomy {

struct Rows {
    int T = 0;    // tokens
    int dim = 0;  // width of the residual stream
};

struct Placement {
    const char* name;
    bool normsInput;  // h = N(x), else h = x
    // x [T, dim] updated in place from the sublayer output f [T, dim] (which may be overwritten).
    void (*add)(const LayerSpec& layer, Rows r, float* x, float* f, const float* gain);
};

const Placement& placementOf(NormPlacement p);

// h [T, dim] = the sublayer's input from x [T, dim]: N(x) with gain g, or x itself.
void sublayerInput(const LayerSpec& layer, Rows r, float* h, const float* x, const float* gain);
// x = the residual after the sublayer with output f (see the table above).
void residualAdd(const LayerSpec& layer, Rows r, float* x, float* f, const float* gain);

}  // namespace anatomy
