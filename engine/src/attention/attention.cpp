#include "attention/attention.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "attention/attention_mask.h"
#include "anatomy/kernels.h"
#include "attention/latent_attention.h"
#include "attention/linear_attention.h"
#include "attention/shared_prefix_attention.h"
#include "kernels/fast_exp.h"
#include "forward/forward_state.h"

namespace anatomy {

namespace {

// Below this many multiply-adds (T · nHeads · nKv · headSize) a layer's attention runs on the
// calling thread: handing it to the pool costs more than it saves.
constexpr long kParallelWork = 200000;

// ---- softmax over one score row, p_j = exp(s_j - max) / sum_j' exp(s_j' - max) ----

// libm's exp, summed in order: runq.c's arithmetic, bit for bit.
void softmaxLibm(float* row, int n, float maxv) {
    float sum = 0.0f;
    for (int j = 0; j < n; ++j) {
        row[j] = std::exp(row[j] - maxv);
        sum += row[j];
    }
    for (int j = 0; j < n; ++j) row[j] /= sum;
}

// The vectorised polynomial exp (fast_exp.h, relative error < 2e-7) stays well inside the 1e-4
// logit tolerance against llama2.c; libm's expf was a tenth of decode.
void softmaxFast(float* row, int n, float maxv) {
    const float sum = expShiftSum(row, n, maxv);
    for (int j = 0; j < n; ++j) row[j] /= sum;
}

struct Shape {
    int hs, nH, qDim, kvDim, group, nKv;
    explicit Shape(const AttentionInput& in)
        : hs(in.spec->headSize), nH(in.spec->nHeads), qDim(nH * hs), kvDim(in.spec->nKvHeads * hs),
          group(nH / in.spec->nKvHeads), nKv(in.start + in.T) {}
};

// Causal attention of query row t, head h, in llama2.c's order:
//   s_j = q·k_j / sqrt(d_k) for j <= pos,  a = softmax(s),  out = sum_j a_j v_j
template <bool kExact>
void causalRows(const AttentionInput& in, int begin, int end) {
    const Shape d(in);
    if (!kExact && in.T == 1 && !in.cap->active()) {
        // Nothing to record: the shared-prefix kernel's one-row case computes these heads with
        // the same sums in the same order (its AVX2 build: eight keys or dimensions a vector).
        SharedPrefixRows one;
        one.spec = in.spec;
        one.n = 1;
        one.q = in.q;
        one.keys = &in.keys;
        one.values = &in.values;
        one.pos = &in.start;
        one.out = in.out;
        attendSharedPrefixHeads(one, begin, end);
        return;
    }
    thread_local std::vector<float> scratch;
    growTo(scratch, size_t(d.nKv));  // [nKv] one query's scores, then probabilities
    float* sc = scratch.data();
    constexpr int kValueBlock = 8;
    for (int unit = begin; unit < end; ++unit) {
        const int t = unit / d.nH, h = unit % d.nH, pos = in.start + t, kh = h / d.group;
        const float* qh = in.q + size_t(t) * d.qDim + size_t(h) * d.hs;
        // s_j = q·k_j / sqrt(d_k), each dot summed in llama2.c's order (eight keys as SIMD
        // lanes where the build allows: the same bits, shared_prefix_attention.h).
        KeyScores ks;
        ks.q = &qh;
        ks.m = 1;
        ks.keys = in.keys + size_t(kh) * d.hs;
        ks.kvDim = d.kvDim;
        ks.headSize = d.hs;
        ks.from = 0;
        ks.to = pos;
        ks.out = &sc;
        scoreKeys(ks);
        // The max by eight partial maxima (a max is exact in any order; NaNs are skipped alike).
        float m8[8] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY};
        int jj = 0;
        for (; jj + 8 <= pos + 1; jj += 8)
            for (int b = 0; b < 8; ++b) m8[b] = std::max(m8[b], sc[jj + b]);
        for (; jj <= pos; ++jj) m8[0] = std::max(m8[0], sc[jj]);
        float maxv = -INFINITY;
        for (float x : m8) maxv = std::max(maxv, x);
        in.cap->scoresRow(in.layer, h, t, sc, pos + 1);
        if (kExact) softmaxLibm(sc, pos + 1, maxv);
        else softmaxFast(sc, pos + 1, maxv);
        in.cap->probsRow(in.layer, h, t, sc, pos + 1, true);
        // out = sum_j a_j v_j, each element summed over j in llama2.c's order. The sums live in
        // a local block of kValueBlock floats (registers), not in `out`, which the compiler would
        // otherwise store and reload for every key in case it aliases the cache.
        float* out = in.out + size_t(t) * d.qDim + size_t(h) * d.hs;
        const float* vHead = in.values + size_t(kh) * d.hs;  // [nKv, kvDim] from this head's slice
        for (int i0 = 0; i0 < d.hs; i0 += kValueBlock) {
            const int m = std::min(kValueBlock, d.hs - i0);
            float acc[kValueBlock] = {};
            if (m == kValueBlock) {
                for (int jj = 0; jj <= pos; ++jj) {
                    const float* vj = vHead + size_t(jj) * d.kvDim + i0;
                    const float a = sc[jj];
                    for (int i = 0; i < kValueBlock; ++i) acc[i] += a * vj[i];
                }
            } else {
                for (int jj = 0; jj <= pos; ++jj) {
                    const float* vj = vHead + size_t(jj) * d.kvDim + i0;
                    for (int i = 0; i < m; ++i) acc[i] += sc[jj] * vj[i];
                }
            }
            std::memcpy(out + i0, acc, sizeof(float) * size_t(m));
        }
    }
}

// Causal attention of whole heads over the batch:
//   S = Q_h K_hᵀ / sqrt(d_k)   [T, nKv], entries j > start + t masked
//   O_h = softmax(S) V_h       [T, head_size]
// K_h and V_h are gathered from the cache transposed, [head_size, nKv], so a query's scores are
// one pass over the keys (scoreRowT, the sums in registers) and its output one pass over its
// probabilities (valueRowT, up to 16 dimensions' sums at once), both vectorised along the keys.
void causalBatched(const AttentionInput& in, int begin, int end) {
    const Shape d(in);
    const float sqrtDk = std::sqrt(float(d.hs));
    const auto& k = kernels::activeKernels();
    // Per-thread scratch, reused across heads, layers and calls.
    thread_local std::vector<float> kT, vT, rowScratch;
    growTo(kT, size_t(d.hs) * d.nKv);     // [hs, nKv]
    growTo(vT, size_t(d.hs) * d.nKv);     // [hs, nKv]
    growTo(rowScratch, size_t(d.nKv));    // [nKv] one query's scores, then probabilities
    // Only a trace that keeps attention takes the rows (a trace of other parts runs as plain).
    const bool capturing = in.cap->capturesAttention();
    for (int h = begin; h < end; ++h) {
        const int kh = h / d.group;
        for (int j = 0; j < d.nKv; ++j) {
            const float* kj = in.keys + size_t(j) * d.kvDim + size_t(kh) * d.hs;
            const float* vj = in.values + size_t(j) * d.kvDim + size_t(kh) * d.hs;
            for (int i = 0; i < d.hs; ++i) {
                kT[size_t(i) * d.nKv + j] = kj[i];
                vT[size_t(i) * d.nKv + j] = vj[i];
            }
        }
        for (int t = 0; t < in.T; ++t) {
            const int n = in.start + t + 1;  // visible keys: the causal mask hides j >= n
            const float* qt = in.q + size_t(t) * d.qDim + size_t(h) * d.hs;
            float* row = rowScratch.data();
            const float maxv = k.scoreRowT(row, qt, kT.data(), d.nKv, d.hs, n, sqrtDk);
            if (capturing) {
                // The entropy comes out of the softmax's own pass (the same probabilities).
                in.cap->scoresRow(in.layer, h, t, row, n, true);
                const float entropy = k.expNormalizeEntropy(row, n, maxv);
                in.cap->probsRow(in.layer, h, t, row, n, true, entropy);
            } else {
                k.expNormalize(row, n, maxv);
            }
            k.valueRowT(in.out + size_t(t) * d.qDim + size_t(h) * d.hs, row, vT.data(), d.nKv, d.hs, n);
        }
    }
}

// The simulator's attention for one (query t, head h): any mask or sparse pattern, ALiBi, a
// score multiplier, YaRN's temperature, dual-chunk position remapping and Gemma 2's soft cap c.
//   S_j = c tanh((m t q·k_j / sqrt(d_k)) / c) - m_h |i - j| (ALiBi),  masked S_j = -inf,
//   out = softmax(S) V
void generalRows(const AttentionInput& in, int begin, int end) {
    const Shape d(in);
    const AttentionSpec& spec = *in.spec;
    const float sqrtDk = std::sqrt(float(d.hs));
    const float mul = spec.scale * spec.temperature;
    thread_local std::vector<float> scratch, qScratch;
    growTo(scratch, size_t(d.nKv));  // [nKv]
    growTo(qScratch, size_t(d.hs));  // [hs] a query re-rotated for dual chunk attention
    float* sc = scratch.data();
    float* qTmp = qScratch.data();
    for (int unit = begin; unit < end; ++unit) {
        const int t = unit / d.nH, h = unit % d.nH, i = in.start + t, kh = h / d.group;
        const float* qh = in.q + size_t(t) * d.qDim + size_t(h) * d.hs;
        float maxv = -INFINITY;
        for (int j = 0; j < d.nKv; ++j) {
            if (!attentionVisible(spec, h, i, j, d.nKv)) {
                sc[j] = -INFINITY;
                continue;
            }
            const float* qv = qh;
            if (spec.dualChunkRope) {
                // Rotate the raw query to j + distance, so q·k_j sees the remapped relative position.
                const int dist = dualChunkDistance(i, j, spec.chunk, in.trainedContext);
                if (dist != i - j) {
                    std::memcpy(qTmp, in.qRaw + size_t(t) * d.qDim + size_t(h) * d.hs, sizeof(float) * size_t(d.hs));
                    in.rope->rotate(qTmp, j + dist);
                    qv = qTmp;
                }
            }
            const float* kj = in.keys + size_t(j) * d.kvDim + size_t(kh) * d.hs;
            float dd = 0.0f;
            for (int x = 0; x < d.hs; ++x) dd += qv[x] * kj[x];
            dd = dd / sqrtDk * mul;
            if (spec.softCap > 0.0f) dd = spec.softCap * std::tanh(dd / spec.softCap);  // Gemma 2
            if (spec.alibi) dd -= in.alibiSlopes[size_t(h)] * float(std::abs(i - j));
            sc[j] = dd;
            maxv = std::max(maxv, dd);
        }
        in.cap->scoresRow(in.layer, h, t, sc, d.nKv);
        softmaxLibm(sc, d.nKv, maxv);  // masked keys: exp(-inf) = 0
        in.cap->probsRow(in.layer, h, t, sc, d.nKv);
        float* out = in.out + size_t(t) * d.qDim + size_t(h) * d.hs;
        std::fill(out, out + d.hs, 0.0f);
        for (int j = 0; j < d.nKv; ++j) {
            if (sc[j] == 0.0f) continue;
            const float* vj = in.values + size_t(j) * d.kvDim + size_t(kh) * d.hs;
            for (int x = 0; x < d.hs; ++x) out[x] += sc[j] * vj[x];
        }
    }
}

// Linear attention of whole heads (linear_attention.h). With a trace, also the weights it
// implies, a_ij = φ(q_i)·φ(k_j) / Σ_{j'<=i} φ(q_i)·φ(k_j'), recorded as probabilities
// (O(N²), capture only).
void linearHeads(const AttentionInput& in, int begin, int end) {
    const Shape d(in);
    for (int h = begin; h < end; ++h) {
        const int kh = h / d.group;
        const float* keys = in.keys + size_t(kh) * d.hs;
        const float* values = in.values + size_t(kh) * d.hs;
        linearAttentionHead(in.q + size_t(h) * d.hs, d.qDim, keys, values, d.kvDim, in.start, d.nKv, d.hs,
                            in.out + size_t(h) * d.hs, d.qDim);
        if (!in.cap->active()) continue;
        std::vector<float> w(static_cast<size_t>(d.nKv));
        for (int t = 0; t < in.T; ++t) {
            const float* qt = in.q + size_t(t) * d.qDim + size_t(h) * d.hs;
            const int n = in.start + t + 1;
            float sum = 0.0f;
            for (int j = 0; j < d.nKv; ++j) {
                if (j >= n) {
                    w[size_t(j)] = 0.0f;
                    continue;
                }
                float dd = 0.0f;
                for (int x = 0; x < d.hs; ++x) dd += linearFeature(qt[x]) * linearFeature(keys[size_t(j) * d.kvDim + x]);
                sum += (w[size_t(j)] = dd);
            }
            for (int j = 0; j < n; ++j) w[size_t(j)] /= sum;
            in.cap->scoresRow(in.layer, h, t, nullptr, 0);  // linear attention has no score matrix: all -inf
            in.cap->probsRow(in.layer, h, t, w.data(), d.nKv);
        }
    }
}

const AttentionVariant kCausalRowsExact{"causal rows (libm exp)", true, causalRows<true>};
const AttentionVariant kCausalRowsFast{"causal rows", true, causalRows<false>};
const AttentionVariant kCausalBatched{"causal batched", false, causalBatched};
const AttentionVariant kGeneralRows{"general rows", true, generalRows};
const AttentionVariant kLinear{"linear", false, linearHeads};

}  // namespace

const AttentionVariant& chooseAttention(const AttentionSpec& spec, int T, bool exactSoftmax) {
    if (spec.latentRank > 0) return latentAttention();
    if (spec.kernel == AttentionKernel::Linear) return kLinear;
    if (!spec.plain()) return kGeneralRows;
    // Decode, and int8 models, whose reference runq.c is matched bit for bit: one query row at a
    // time, summed in llama2.c's order. Float prefill: matrix products per head.
    if (exactSoftmax) return kCausalRowsExact;
    return T == 1 ? kCausalRowsFast : kCausalBatched;
}

void attend(const AttentionVariant& v, const AttentionInput& in) {
    const Shape d(in);
    const int units = v.perRow ? in.T * d.nH : d.nH;
    const long work = long(in.T) * d.nH * d.nKv * d.hs;
    const bool capturing = in.cap->active();
    if (work < kParallelWork) {
        v.run(in, 0, units);
        if (capturing) TraceCapture::streamedRowsDone();
        return;
    }
    tbb::parallel_for(tbb::blocked_range<int>(0, units, v.perRow ? 4 : 1), [&](const tbb::blocked_range<int>& r) {
        v.run(in, r.begin(), r.end());
        if (capturing) TraceCapture::streamedRowsDone();
    });
}

}  // namespace anatomy
