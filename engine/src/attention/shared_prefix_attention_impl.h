// The shared-prefix attention kernel (shared_prefix_attention.h), compiled once per instruction
// set: shared_prefix_attention.cpp (the baseline ISA) and shared_prefix_attention_avx2.cpp
// (AVX2 without FMA, so every product and sum rounds as in the baseline and causal rows).
// Each includes this file with SPA_ISA naming its namespace. No std::vector or other shared
// template is instantiated here (an AVX2 copy of one could be the one the linker keeps):
// scratch comes from sharedPrefixScratch(), built with the baseline ISA.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>

#include "attention/shared_prefix_attention.h"
#include "kernels/fast_exp.h"

namespace anatomy::shared_prefix::SPA_ISA {

namespace {

// Rows are SIMD lanes: four rows fill one 128-bit vector (GCC/Clang vector extensions: plain
// lane-wise float arithmetic, so each lane rounds exactly as the scalar code does); a larger
// beam runs in groups of four.
constexpr int kLanes = 4;
using Lanes = float __attribute__((vector_size(16)));
// Keys per block over the shared prefix: eight independent add chains, so the loop waits on
// the adder's throughput, not on its latency.
constexpr int kKeyBlock = 8;
// Output dimensions per block: eight accumulator vectors held in registers.
constexpr int kValueBlock = 8;
// Below this many multiply-adds a layer's attention stays on the calling thread (attention.cpp).
constexpr long kParallelWork = 200000;

struct Dims {
    int hs, nH, qDim, kvDim, group;
    explicit Dims(const AttentionSpec& s)
        : hs(s.headSize), nH(s.nHeads), qDim(s.nHeads * s.headSize), kvDim(s.nKvHeads * s.headSize),
          group(s.nHeads / s.nKvHeads) {}
};

// Scores of one row over positions [from, to] with its own keys, four keys at a time (four
// chains, each summed in order as causal rows sums it).
void tailScores(const float* q, const float* keys, int kvDim, int hs, float sqrtDk, int from, int to, float* row) {
    int j = from;
    for (; j + 3 <= to; j += 4) {
        const float* k0 = keys + size_t(j) * kvDim;
        const float* k1 = k0 + kvDim;
        const float* k2 = k1 + kvDim;
        const float* k3 = k2 + kvDim;
        float d0 = 0.0f, d1 = 0.0f, d2 = 0.0f, d3 = 0.0f;
        for (int i = 0; i < hs; ++i) {
            d0 += q[i] * k0[i];
            d1 += q[i] * k1[i];
            d2 += q[i] * k2[i];
            d3 += q[i] * k3[i];
        }
        row[j] = d0 / sqrtDk;
        row[j + 1] = d1 / sqrtDk;
        row[j + 2] = d2 / sqrtDk;
        row[j + 3] = d3 / sqrtDk;
    }
    for (; j <= to; ++j) {
        const float* kj = keys + size_t(j) * kvDim;
        float d = 0.0f;
        for (int i = 0; i < hs; ++i) d += q[i] * kj[i];
        row[j] = d / sqrtDk;
    }
}

// p = softmax(row[0..n)) in place, as causal rows computes it (the max is order-free).
void softmaxRow(float* row, int n) {
    float m[8] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY};
    int j = 0;
    for (; j + 8 <= n; j += 8)
        for (int b = 0; b < 8; ++b) m[b] = std::max(m[b], row[j + b]);
    for (; j < n; ++j) m[0] = std::max(m[0], row[j]);
    float maxv = -INFINITY;
    for (float x : m) maxv = std::max(maxv, x);
    const float sum = expShiftSum(row, n, maxv);
    for (int jj = 0; jj < n; ++jj) row[jj] /= sum;
}

// Rows [r0, r0 + m) of head h, m <= kLanes. Each sum is the one causal rows computes:
//   score  d = ((0 + q_0 k_0) + q_1 k_1) + ...   then d / sqrt(d_k)
//   output o_i = ((0 + a_0 v_0i) + a_1 v_1i) + ...   over j ascending (prefix, then the row's tail)
void headRows(const SharedPrefixRows& in, const Dims& d, int h, int r0, int m, int stride, Lanes* qT, float* sc) {
    const int P = in.prefix, hs = d.hs, kh = h / d.group;
    const float sqrtDk = std::sqrt(float(hs));
    // qT[i] = (q_{r0}[h hs + i], q_{r0 + 1}[...], ...); unused lanes 0.
    for (int i = 0; i < hs; ++i)
        for (int l = 0; l < kLanes; ++l)
            qT[i][l] = l < m ? in.q[size_t(r0 + l) * d.qDim + size_t(h) * hs + i] : 0.0f;

    // 1. Scores over the shared prefix: one read of each key for every row. sc is [m][stride].
    const float* kShared = in.keys[r0] + size_t(kh) * hs;  // any row's cache: identical below P
    int j = 0;
    for (; j + kKeyBlock <= P; j += kKeyBlock) {
        Lanes s[kKeyBlock] = {};
        const float* kb = kShared + size_t(j) * d.kvDim;
        for (int i = 0; i < hs; ++i)
            for (int b = 0; b < kKeyBlock; ++b) s[b] += qT[i] * kb[size_t(b) * d.kvDim + i];
        for (int b = 0; b < kKeyBlock; ++b) {
            const Lanes scaled = s[b] / sqrtDk;
            for (int l = 0; l < m; ++l) sc[l * stride + j + b] = scaled[l];
        }
    }
    for (; j < P; ++j) {
        Lanes s = {};
        const float* kj = kShared + size_t(j) * d.kvDim;
        for (int i = 0; i < hs; ++i) s += qT[i] * kj[i];
        const Lanes scaled = s / sqrtDk;
        for (int l = 0; l < m; ++l) sc[l * stride + j] = scaled[l];
    }
    // 2. Each row's own positions P..pos, then its softmax.
    for (int l = 0; l < m; ++l) {
        const int pos = in.pos[r0 + l];
        const float* q = in.q + size_t(r0 + l) * d.qDim + size_t(h) * hs;
        tailScores(q, in.keys[r0 + l] + size_t(kh) * hs, d.kvDim, hs, sqrtDk, P, pos, sc + l * stride);
        softmaxRow(sc + l * stride, pos + 1);
    }
    // 3. out = sum_j a_j v_j, kValueBlock dimensions at a time: the shared values once for every
    // row (lanes), then each row's own tail continues its lane's sums.
    const float* vShared = in.values[r0] + size_t(kh) * hs;
    for (int i0 = 0; i0 < hs; i0 += kValueBlock) {
        const int w = std::min(kValueBlock, hs - i0);
        Lanes acc[kValueBlock] = {};
        for (int jj = 0; jj < P; ++jj) {
            Lanes a = {};
            for (int l = 0; l < m; ++l) a[l] = sc[l * stride + jj];
            const float* vj = vShared + size_t(jj) * d.kvDim + i0;
            if (w == kValueBlock)
                for (int b = 0; b < kValueBlock; ++b) acc[b] += a * vj[b];
            else
                for (int b = 0; b < w; ++b) acc[b] += a * vj[b];
        }
        for (int l = 0; l < m; ++l) {
            const int pos = in.pos[r0 + l];
            const float* row = sc + l * stride;
            const float* values = in.values[r0 + l] + size_t(kh) * hs + i0;
            float t[kValueBlock];
            for (int b = 0; b < kValueBlock; ++b) t[b] = acc[b][l];
            for (int jj = P; jj <= pos; ++jj) {
                const float* vj = values + size_t(jj) * d.kvDim;
                for (int b = 0; b < w; ++b) t[b] += row[jj] * vj[b];
            }
            float* out = in.out + size_t(r0 + l) * d.qDim + size_t(h) * hs + i0;
            for (int b = 0; b < w; ++b) out[b] = t[b];
        }
    }
}

void heads(const SharedPrefixRows& in, const Dims& d, int hBegin, int hEnd) {
    int maxPos = 0;
    for (int r = 0; r < in.n; ++r) maxPos = std::max(maxPos, in.pos[r]);
    const int stride = maxPos + 1;
    Lanes qT[kMaxHeadSize];  // [hs] a query element of every lane
    float* sc = sharedPrefixScratch(size_t(kLanes) * stride);  // [lanes, pos + 1] scores, then probabilities
    for (int h = hBegin; h < hEnd; ++h)
        for (int r0 = 0; r0 < in.n; r0 += kLanes)
            headRows(in, d, h, r0, std::min(kLanes, in.n - r0), stride, qT, sc);
}

}  // namespace

void attend(const SharedPrefixRows& in) {
    const Dims d(*in.spec);
    long work = 0;
    for (int r = 0; r < in.n; ++r) work += long(in.pos[r] + 1) * d.nH * d.hs;
    if (work < kParallelWork) {
        heads(in, d, 0, d.nH);
        return;
    }
    tbb::parallel_for(tbb::blocked_range<int>(0, d.nH),
                      [&](const tbb::blocked_range<int>& r) { heads(in, d, r.begin(), r.end()); });
}

}  // namespace anatomy::shared_prefix::SPA_ISA
