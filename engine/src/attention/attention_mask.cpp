#include "attention/attention_mask.h"

#include <algorithm>

namespace anatomy {

namespace {
int floorDiv(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
}  // namespace

bool attentionVisible(const SimSettings& s, int nHeads, int h, int i, int j, int nKv) {
    AttentionSpec a;
    a.nHeads = nHeads;
    applyAttentionKnobs(a, s);
    return attentionVisible(a, h, i, j, nKv);
}

bool attentionVisible(const AttentionSpec& s, int h, int i, int j, int nKv) {
    const int nHeads = s.nHeads;
    if (j < 0 || j >= nKv) return false;
    switch (s.mask) {
        case AttentionMask::Causal:
            if (j > i) return false;
            break;
        case AttentionMask::Bidirectional: break;
        case AttentionMask::PrefixLm:
            if (j > i && !(i < s.prefixLength && j < s.prefixLength)) return false;
            break;
    }
    const int dist = i - j;  // >= 0 under the causal mask
    switch (s.sparse) {
        case SparsePattern::None:
        case SparsePattern::DualChunk: return true;
        case SparsePattern::SlidingWindow: return dist < s.window;
        case SparsePattern::SinksWindow: return j < s.sinks || dist < s.window;
        case SparsePattern::BlockStrided: return dist < s.window || (dist % s.stride) == 0;
        case SparsePattern::ShiftedSparse: {
            const int o = h >= nHeads / 2 ? s.s2Group / 2 : 0;
            return floorDiv(i + o, s.s2Group) == floorDiv(j + o, s.s2Group);
        }
    }
    return true;
}

void attentionVisibleRow(const AttentionSpec& a, int h, int i, int nKv, unsigned char* visible) {
    // The plain causal mask (what a trained model runs): keys 0..i, then nothing.
    if (a.mask == AttentionMask::Causal && (a.sparse == SparsePattern::None || a.sparse == SparsePattern::DualChunk)) {
        const int seen = std::clamp(i + 1, 0, std::max(nKv, 0));
        std::fill(visible, visible + seen, static_cast<unsigned char>(1));
        std::fill(visible + seen, visible + std::max(nKv, 0), static_cast<unsigned char>(0));
        return;
    }
    for (int j = 0; j < nKv; ++j) visible[j] = attentionVisible(a, h, i, j, nKv) ? 1 : 0;
}

int dualChunkDistance(int i, int j, int chunk, int trainedContext) {
    const int ci = i / chunk, cj = j / chunk;
    const int pk = j % chunk;
    int pq;
    if (ci == cj) pq = i % chunk;
    else if (ci == cj + 1) pq = std::min(i % chunk + chunk, trainedContext - 1);
    else pq = trainedContext - 1;
    return pq - pk;
}

}  // namespace anatomy
