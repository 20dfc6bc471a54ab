#pragma once
// How positions enter attention, per the architecture's positional scheme:
//   rope   rotate every query and key head by its position (rope.h; scaled frequencies for PI,
//          NTK, dynamic NTK, YaRN and Llama 3 come from rope_scaling.h)
//   alibi  nothing here: a per-head linear distance penalty on the scores (alibi.h, attention.cpp)
//   none   nothing at all: only the causal mask leaks order
#include "anatomy/architecture.h"
#include "positions/rope.h"

namespace anatomy {

// Rotates q [T, nHeads * hs] and the new keys k [T, nKvHeads * hs] of positions start..start+T-1.
void applyPositions(const PositionSpec& p, const AttentionSpec& a, const RopeTable& rope, float* q, float* k,
                    int start, int T);

}  // namespace anatomy
