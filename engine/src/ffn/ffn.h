#pragma once
// The position-wise feed-forward sublayer, gated (SwiGLU and its variants, activation.h):
//   FFN(h) = W2 · (act(W1 h) ⊙ W3 h)
// or not gated, with biases (GPT-2, Pythia): FFN(h) = W2 · act(W1 h + b1) + b2
// and its mixture-of-experts form (moe.h): a router picks the top-k experts per token and only
// their hidden units contribute, each scaled by its gate.
#include "anatomy/architecture.h"
#include "anatomy/model.h"
#include "ffn/moe.h"
#include "trace/trace_capture.h"

namespace anatomy {

struct FfnBuffers {
    const float* in = nullptr;  // [T, dim]     the sublayer input h
    float* gate = nullptr;      // [T, hidden]  W1 h, then act(W1 h) ⊙ W3 h
    float* up = nullptr;        // [T, hidden]  W3 h
    float* out = nullptr;       // [T, dim]     FFN(h)
};

// moe: the layer's experts when spec.nExperts > 0 (else null); moeTrace: its routing record.
void feedForward(const FfnSpec& spec, const LayerWeights& w, const MoeLayer* moe, const MoeParams& routing,
                 int layer, int start, int T, const FfnBuffers& b, TraceCapture& cap,
                 MoeLayerTrace* moeTrace);

}  // namespace anatomy
