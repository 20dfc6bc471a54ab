#pragma once
// The FFN gate's nonlinearity. The checkpoint was trained with SwiGLU, FFN(x) = W2 (silu(W1 x) ⊙ W3 x);
// the simulator swaps silu for another function and keeps the rest.
#include "anatomy/sim_settings.h"

namespace anatomy {

struct ActivationPoint {
    float value;
    float derivative;
};

// f(x) and f'(x) of one activation (for plots):
//   silu       x σ(x)                                    σ(x)(1 + x(1 - σ(x)))
//   gelu-erf   x Φ(x), Φ(x) = (1 + erf(x/√2)) / 2        Φ(x) + x φ(x)
//   gelu-tanh  x/2 (1 + tanh(u)), u = √(2/π)(x + 0.044715 x³)
//   relu       max(0, x)                                 [x > 0]
//   leaky-relu x or slope·x                              1 or slope
//   elu        x or α(eˣ - 1)                            1 or α eˣ
//   swish      x σ(βx)                                   σ(βx)(1 + βx(1 - σ(βx)))
ActivationPoint evaluateActivation(Activation a, const ActivationParams& p, float x);

// In place over n values: x[i] = f(x[i]) (an FFN that is not gated, GPT-2).
void activate(Activation a, const ActivationParams& p, float* x, long n);

// In place over a row of gates, then times the up projection: gate[i] = f(gate[i]) * up[i].
// For silu this is llama2.c's expression, bit for bit.
void gatedActivation(Activation a, const ActivationParams& p, float* gate, const float* up, long n);

}  // namespace anatomy
