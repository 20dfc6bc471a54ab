#include "ffn/ffn.h"

#include "anatomy/activation.h"
#include "forward/bias.h"
#include "kernels/matmul.h"

namespace anatomy {

void feedForward(const FfnSpec& spec, const LayerWeights& w, const MoeLayer* moe, const MoeParams& routing,
                 int layer, int start, int T, const FfnBuffers& b, TraceCapture& cap,
                 MoeLayerTrace* moeTrace) {
    const int dim = w.w1.cols, hidden = w.w1.rows;
    if (!spec.gated) {
        // GPT-2, Pythia: FFN(h) = W2 act(W1 h + b1) + b2
        ops::matmul(b.gate, b.in, w.w1, T);
        addBias(b.gate, w.b1, T, hidden);
        activate(spec.activation, spec.activationParams, b.gate, long(T) * hidden);
        if (moe) routeAndMask(*moe, routing, layer, b.in, b.gate, T, start, dim, hidden, moeTrace);
        cap.ffnActivations(layer, b.gate);
        ops::matmul(b.out, b.gate, w.w2, T);
        addBias(b.out, w.b2, T, dim);
        return;
    }
    const ops::SameInputProduct gateUp[] = {{b.gate, &w.w1}, {b.up, &w.w3}};
    ops::matmulSameInput(gateUp, b.in, T);  // W1 h and W3 h
    gatedActivation(spec.activation, spec.activationParams, b.gate, b.up, long(T) * hidden);
    // MoE: route each token to its top-k experts and keep only their hidden units.
    if (moe) routeAndMask(*moe, routing, layer, b.in, b.gate, T, start, dim, hidden, moeTrace);
    cap.ffnActivations(layer, b.gate);
    ops::matmul(b.out, b.gate, w.w2, T);  // W2 (act(W1 h) ⊙ W3 h)
}

}  // namespace anatomy
