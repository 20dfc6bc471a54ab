#include "attention/cross_attention.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <limits>
#include <vector>

#include "anatomy/relative_position.h"
#include "trace/trace_capture.h"

namespace anatomy {

void attendRows(const AttentionRows& a) {
    const int hs = a.headSize, qDim = a.nHeads * hs, kvDim = a.nKvHeads * hs, group = a.nHeads / a.nKvHeads;
    const float ninf = -std::numeric_limits<float>::infinity();
    // One head per task: rows of scores [nK] and the head's slice of the output.
    tbb::parallel_for(tbb::blocked_range<int>(0, a.nHeads), [&](const tbb::blocked_range<int>& r) {
        std::vector<float> s(size_t(a.nK)), p(size_t(a.nK));
        for (int h = r.begin(); h < r.end(); ++h) {
            const int kvh = h / group;
            for (int i = 0; i < a.nQ; ++i) {
                const int qPos = a.queryStart + i;
                const int visible = a.causal ? std::min(a.nK, qPos + 1) : a.nK;
                const float* q = a.q + size_t(i) * qDim + size_t(h) * hs;
                // 1. Scores: scale q.k + the bucket's bias; masked keys -inf.
                float maxS = ninf;
                for (int j = 0; j < a.nK; ++j) {
                    if (j >= visible) {
                        s[size_t(j)] = ninf;
                        continue;
                    }
                    const float* k = a.keys + size_t(j) * kvDim + size_t(kvh) * hs;
                    float dot = 0.0f;
                    for (int d = 0; d < hs; ++d) dot += q[d] * k[d];
                    float v = a.scale * dot;
                    if (a.biasTable)
                        v += relativePositionBias(a.biasTable, a.nHeads, h, j, qPos, a.nBuckets, a.bidirectional,
                                                  a.maxDistance);
                    s[size_t(j)] = v;
                    maxS = std::max(maxS, v);
                }
                // 2. p = exp(s - max) / sum (ggml sums in double).
                double sum = 0.0;
                for (int j = 0; j < a.nK; ++j) {
                    p[size_t(j)] = j < visible ? std::exp(s[size_t(j)] - maxS) : 0.0f;
                    sum += p[size_t(j)];
                }
                const float inv = float(1.0 / sum);
                for (int j = 0; j < visible; ++j) p[size_t(j)] *= inv;
                // 3. o = sum_j p_j v_j
                float* o = a.out + size_t(i) * qDim + size_t(h) * hs;
                for (int d = 0; d < hs; ++d) o[d] = 0.0f;
                for (int j = 0; j < visible; ++j) {
                    const float* v = a.values + size_t(j) * kvDim + size_t(kvh) * hs;
                    const float pj = p[size_t(j)];
                    for (int d = 0; d < hs; ++d) o[d] += pj * v[d];
                }
                if (a.scores) std::copy(s.begin(), s.end(), a.scores->data.begin() + (int64_t(h) * a.nQ + i) * a.nK);
                if (a.probs) std::copy(p.begin(), p.end(), a.probs->data.begin() + (int64_t(h) * a.nQ + i) * a.nK);
                if (a.cap) {
                    a.cap->scoresRow(a.layer, h, i, s.data(), visible);
                    a.cap->probsRow(a.layer, h, i, p.data(), visible, true);
                }
            }
        }
        if (a.cap) TraceCapture::streamedRowsDone();
    });
}

}  // namespace anatomy
