#include "positions/positions.h"

namespace anatomy {

namespace {

template <class Rotate>
void rotateHeads(float* q, float* k, int start, int T, const AttentionSpec& a, Rotate rotate) {
    const int hs = a.headSize, qDim = a.nHeads * hs, kvDim = a.nKvHeads * hs;
    for (int t = 0; t < T; ++t) {
        const int pos = start + t;
        for (int h = 0; h < a.nHeads; ++h) rotate(q + size_t(t) * qDim + size_t(h) * hs, pos);
        for (int h = 0; h < a.nKvHeads; ++h) rotate(k + size_t(t) * kvDim + size_t(h) * hs, pos);
    }
}

}  // namespace

void applyPositions(const PositionSpec& p, const AttentionSpec& a, const RopeTable& rope, float* q, float* k,
                    int start, int T) {
    if (p.kind != PositionEncoding::Rope) return;
    // RoPE: rotate each pair by pos · θ_i, θ_i = base^(-2i/d): adjacent pairs (2i, 2i+1), or
    // (i, i + d/2) in the half-split layout (rope.h); the table holds d/2 frequencies.
    if (p.layout == RopeLayout::HalfSplit) {
        rotateHeads(q, k, start, T, a, [&](float* x, int pos) { rope.rotateHalves(x, pos); });
        return;
    }
    rotateHeads(q, k, start, T, a, [&](float* x, int pos) { rope.rotate(x, pos); });
}

}  // namespace anatomy
