#pragma once
// What a forward pass computes and reads, counted from the model's shapes, so a benchmark can
// divide measured time into FLOP/s and GB/s that mean what they say. Counted:
//   matrix products: 2 flops per multiply-add (float or integer), for every row that is computed;
//   attention: q·k_j and a_j v_j over the visible (causal) keys, 2 flops per multiply-add;
//   bytes: every weight matrix in the format it is stored in, plus the K and V cache rows read.
// Not counted: norms, RoPE, softmax, activations, the embedding row (elementwise, a few % of the
// flops at most on the shapes measured).
#include <string>

#include "anatomy/model.h"

namespace anatomy {

struct ForwardCost {
    double flops = 0;        // as counted above
    double weightBytes = 0;  // weight matrices streamed (each once per forward)
    double kvBytes = 0;      // K and V cache rows read by attention
};

// Bytes W occupies in memory: 4 per float, 1 + 4/groupSize for llama2.c int8, 34/32 for Q8_0.
double matrixBytes(const Matrix& W);

// A prompt of nTok tokens at positions [start, start + nTok) in one forward, logits for the
// last position only (what Session::forward computes unless asked for all logits).
ForwardCost prefillCost(const Model& m, int start, int nTok);
// One decoded token at position pos (it attends to pos + 1 keys).
ForwardCost decodeCost(const Model& m, int pos);

// One line naming what the counts above include, for benchmark output.
std::string forwardCostCounts();

}  // namespace anatomy
