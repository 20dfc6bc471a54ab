#include "positions/positions.h"

namespace anatomy {

void applyPositions(const PositionSpec& p, const AttentionSpec& a, const RopeTable& rope, float* q, float* k,
                    int start, int T) {
    if (p.kind != PositionEncoding::Rope) return;
    // RoPE: rotate each adjacent pair (2i, 2i+1) by pos · θ_i, θ_i = base^(-2i/d_head).
    const int hs = a.headSize, qDim = a.nHeads * hs, kvDim = a.nKvHeads * hs;
    for (int t = 0; t < T; ++t) {
        const int pos = start + t;
        for (int h = 0; h < a.nHeads; ++h) rope.rotate(q + size_t(t) * qDim + size_t(h) * hs, pos);
        for (int h = 0; h < a.nKvHeads; ++h) rope.rotate(k + size_t(t) * kvDim + size_t(h) * hs, pos);
    }
}

}  // namespace anatomy
