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
#if defined(__AVX2__)
#include <immintrin.h>
#endif

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
// Below this many multiply-adds a layer's attention stays on the calling thread. Decode at two
// threads: 200000 kept every head of a 256-token stories15M generation on one thread while the
// other waited (run.c splits the heads); 20000 splits them from position 70 on.
constexpr long kParallelWork = 20000;

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

#if defined(__AVX2__)
// Lanes 0 .. n - 1 set, n in [0, 8].
inline __m256i firstLanes(int n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// r[i] = 8 consecutive floats of key i  ->  r[d] = element d of the 8 keys (8x8 transpose).
inline void transpose8(__m256 r[8]) {
    const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    const __m256 u0 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0));  // dims 0 | 4, keys 0-3
    const __m256 u1 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2));  // dims 1 | 5
    const __m256 u2 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0));  // dims 2 | 6
    const __m256 u3 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2));  // dims 3 | 7
    const __m256 u4 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(1, 0, 1, 0));  // the same, keys 4-7
    const __m256 u5 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(3, 2, 3, 2));
    const __m256 u6 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(1, 0, 1, 0));
    const __m256 u7 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(3, 2, 3, 2));
    r[0] = _mm256_permute2f128_ps(u0, u4, 0x20);
    r[1] = _mm256_permute2f128_ps(u1, u5, 0x20);
    r[2] = _mm256_permute2f128_ps(u2, u6, 0x20);
    r[3] = _mm256_permute2f128_ps(u3, u7, 0x20);
    r[4] = _mm256_permute2f128_ps(u0, u4, 0x31);
    r[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
    r[6] = _mm256_permute2f128_ps(u2, u6, 0x31);
    r[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
}

// Queries r0 .. r0 + MR - 1 over keys [j, j + nKeys), nKeys <= 8, as one block: lane b of
// acc[l] sums q_l[i] k_{j+b}[i] for i = 0, 1, ... in order, exactly the scalar chain. A short
// block (the last keys of a range) repeats key j + nKeys - 1 in its spare lanes (a row the cache
// holds) and stores only its nKeys lanes.
template <int MR>
inline void scoreKeyBlock(const KeyScores& k, int r0, int j, int nKeys, __m256 div) {
    const int hs = k.headSize;
    __m256 acc[MR];
    for (int l = 0; l < MR; ++l) acc[l] = _mm256_setzero_ps();
    const float* kb = k.keys + size_t(j) * k.kvDim;
    for (int c = 0; c < hs; c += 8) {
        __m256 col[8];
        for (int b = 0; b < 8; ++b) col[b] = _mm256_loadu_ps(kb + size_t(std::min(b, nKeys - 1)) * k.kvDim + c);
        transpose8(col);
        for (int l = 0; l < MR; ++l) {
            const float* q = k.q[r0 + l] + c;
            for (int i = 0; i < 8; ++i)
                acc[l] = _mm256_add_ps(acc[l], _mm256_mul_ps(_mm256_broadcast_ss(q + i), col[i]));
        }
    }
    if (nKeys == 8) {
        for (int l = 0; l < MR; ++l) _mm256_storeu_ps(k.out[r0 + l] + j, _mm256_div_ps(acc[l], div));
        return;
    }
    const __m256i mask = firstLanes(nKeys);
    for (int l = 0; l < MR; ++l) _mm256_maskstore_ps(k.out[r0 + l] + j, mask, _mm256_div_ps(acc[l], div));
}

// One query over keys [j, j + 8 NB), NB whole blocks of eight: scoreKeyBlock<1> for each block,
// their NB chains interleaved. A single query (decode) has one add chain a block, so its blocks
// otherwise wait on the adder's latency one after the other; each lane's sum is the same.
template <int NB>
inline void scoreKeyBlocksOne(const KeyScores& k, int r0, int j, __m256 div) {
    const int hs = k.headSize;
    __m256 acc[NB];
    for (int b = 0; b < NB; ++b) acc[b] = _mm256_setzero_ps();
    const float* kb = k.keys + size_t(j) * k.kvDim;
    const float* q0 = k.q[r0];
    for (int c = 0; c < hs; c += 8) {
        __m256 col[NB][8];
        for (int b = 0; b < NB; ++b) {
            for (int i = 0; i < 8; ++i) col[b][i] = _mm256_loadu_ps(kb + size_t(8 * b + i) * k.kvDim + c);
            transpose8(col[b]);
        }
        for (int i = 0; i < 8; ++i) {
            const __m256 qi = _mm256_broadcast_ss(q0 + c + i);
            for (int b = 0; b < NB; ++b) acc[b] = _mm256_add_ps(acc[b], _mm256_mul_ps(qi, col[b][i]));
        }
    }
    for (int b = 0; b < NB; ++b) _mm256_storeu_ps(k.out[r0] + j + 8 * b, _mm256_div_ps(acc[b], div));
}

// Queries r0 .. r0 + MR - 1 over keys [j, to], eight keys a block, the last block short.
template <int MR>
void scoreKeyBlocks(const KeyScores& k, int r0, int j) {
    const __m256 div = _mm256_set1_ps(std::sqrt(float(k.headSize)));
    if constexpr (MR == 1)
        for (; j + 32 <= k.to + 1; j += 32) scoreKeyBlocksOne<4>(k, r0, j, div);
    for (; j + 8 <= k.to + 1; j += 8) scoreKeyBlock<MR>(k, r0, j, 8, div);
    if (j <= k.to) scoreKeyBlock<MR>(k, r0, j, k.to + 1 - j, div);
}
#endif

// KeyScores (shared_prefix_attention.h): blocks of eight keys in the AVX2 build (head sizes a
// multiple of 8), else the scalar chains.
void scoreKeysIn(const KeyScores& k) {
    const float sqrtDk = std::sqrt(float(k.headSize));
    for (int r0 = 0; r0 < k.m; r0 += kLanes) {
        const int mr = std::min(kLanes, k.m - r0);
#if defined(__AVX2__)
        if (k.headSize % 8 == 0) {
            if (mr == 4) scoreKeyBlocks<4>(k, r0, k.from);
            else if (mr == 3) scoreKeyBlocks<3>(k, r0, k.from);
            else if (mr == 2) scoreKeyBlocks<2>(k, r0, k.from);
            else scoreKeyBlocks<1>(k, r0, k.from);
            continue;
        }
#endif
        for (int l = 0; l < mr; ++l)
            tailScores(k.q[r0 + l], k.keys, k.kvDim, k.headSize, sqrtDk, k.from, k.to, k.out[r0 + l]);
    }
}

#if defined(__AVX2__)
// fastExpf(raw) (fast_exp.h) eight lanes at once with its very operations in its order (this
// build has no FMA, so every product rounds on its own as there). Its upper clamp (raw > 88
// gives 88) is left out: softmaxRow shifts by the row's max, so raw = x - max <= 0 or NaN.
inline __m256 fastExpNonPositive(__m256 raw) {
    const __m256 lo = _mm256_set1_ps(-87.0f);
    const __m256 log2e = _mm256_set1_ps(1.44269504f), round = _mm256_set1_ps(12582912.0f);
    const __m256 ln2Hi = _mm256_set1_ps(0.693359375f), ln2Lo = _mm256_set1_ps(-2.12194440e-4f);
    const __m256 c6 = _mm256_set1_ps(1.0f / 720.0f), c5 = _mm256_set1_ps(1.0f / 120.0f),
                 c4 = _mm256_set1_ps(1.0f / 24.0f), c3 = _mm256_set1_ps(1.0f / 6.0f), c2 = _mm256_set1_ps(0.5f),
                 one = _mm256_set1_ps(1.0f);
    // clamped = raw >= -87 ? raw : -87;  v = raw is NaN ? raw : clamped
    const __m256 clamped = _mm256_blendv_ps(lo, raw, _mm256_cmp_ps(raw, lo, _CMP_GE_OQ));
    const __m256 v = _mm256_blendv_ps(clamped, raw, _mm256_cmp_ps(raw, raw, _CMP_UNORD_Q));
    const __m256 nf = _mm256_sub_ps(_mm256_add_ps(_mm256_mul_ps(clamped, log2e), round), round);
    const __m256 r = _mm256_sub_ps(_mm256_sub_ps(v, _mm256_mul_ps(nf, ln2Hi)), _mm256_mul_ps(nf, ln2Lo));
    __m256 p = c6;
    p = _mm256_add_ps(_mm256_mul_ps(p, r), c5);
    p = _mm256_add_ps(_mm256_mul_ps(p, r), c4);
    p = _mm256_add_ps(_mm256_mul_ps(p, r), c3);
    p = _mm256_add_ps(_mm256_mul_ps(p, r), c2);
    p = _mm256_add_ps(_mm256_mul_ps(p, r), one);
    p = _mm256_add_ps(_mm256_mul_ps(p, r), one);
    const __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvttps_epi32(nf), _mm256_set1_epi32(127)), 23);
    return _mm256_blendv_ps(_mm256_mul_ps(p, _mm256_castsi256_ps(bits)), _mm256_setzero_ps(),
                            _mm256_cmp_ps(raw, lo, _CMP_LT_OQ));
}

// expShiftSum (fast_exp.h) for shift = the row's max, eight lanes a step, its eight partial
// sums kept in the same pass. The last n % 8 elements go through the same vector (spare lanes
// unused) and are summed one after the other as expShiftSum's tail loop sums them, then the
// partials are added: the same sum, bit for bit.
float expShiftSumAvx2(float* x, int n, float shift) {
    const __m256 vShift = _mm256_set1_ps(shift);
    __m256 acc = _mm256_setzero_ps();
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 e = fastExpNonPositive(_mm256_sub_ps(_mm256_loadu_ps(x + i), vShift));
        _mm256_storeu_ps(x + i, e);
        acc = _mm256_add_ps(acc, e);
    }
    float sum = 0.0f;
    if (i < n) {
        const __m256i mask = firstLanes(n - i);
        alignas(32) float tail[8];
        _mm256_store_ps(tail, fastExpNonPositive(_mm256_sub_ps(_mm256_maskload_ps(x + i, mask), vShift)));
        _mm256_maskstore_ps(x + i, mask, _mm256_load_ps(tail));
        for (int k = 0; k < n - i; ++k) sum += tail[k];
    }
    alignas(32) float partial[8];
    _mm256_store_ps(partial, acc);
    for (float a : partial) sum += a;
    return sum;
}
#endif

// p = softmax(row[0..n)) in place, as causal rows computes it (the max is order-free).
void softmaxRow(float* row, int n) {
    alignas(32) float m[8] = {-INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY, -INFINITY};
    int j = 0;
#if defined(__AVX2__)
    __m256 m8 = _mm256_load_ps(m);
    // std::max(m, x) = m < x ? x : m = max_ps(x, m) (a NaN x leaves m), lane b as m[b] below
    for (; j + 8 <= n; j += 8) m8 = _mm256_max_ps(_mm256_loadu_ps(row + j), m8);
    _mm256_store_ps(m, m8);
#endif
    for (; j + 8 <= n; j += 8)
        for (int b = 0; b < 8; ++b) m[b] = std::max(m[b], row[j + b]);
    for (; j < n; ++j) m[0] = std::max(m[0], row[j]);
    float maxv = -INFINITY;
    for (float x : m) maxv = std::max(maxv, x);
#if defined(__AVX2__)
    const float sum = expShiftSumAvx2(row, n, maxv);
    const __m256 s8 = _mm256_set1_ps(sum);
    int jj = 0;
    for (; jj + 8 <= n; jj += 8) _mm256_storeu_ps(row + jj, _mm256_div_ps(_mm256_loadu_ps(row + jj), s8));
    if (jj < n) {
        const __m256i mask = firstLanes(n - jj);
        _mm256_maskstore_ps(row + jj, mask, _mm256_div_ps(_mm256_maskload_ps(row + jj, mask), s8));
    }
#else
    const float sum = expShiftSum(row, n, maxv);
    for (int jj = 0; jj < n; ++jj) row[jj] /= sum;
#endif
}

#if defined(__AVX2__)
// out_r = sum_j a_rj v_j for rows r0 .. r0 + MR - 1 (MR accumulators stay in registers), eight
// dimensions a vector: the shared values once for every row, then each row's own tail.
template <int MR>
void valueRows(const SharedPrefixRows& in, const Dims& d, int h, int r0, float* const* rows) {
    const int P = in.prefix, hs = d.hs, kh = h / d.group;
    int i0 = 0;
    if constexpr (MR == 1) {
        // One row (decode): NV blocks of eight dimensions a pass over its keys, so NV add chains
        // run side by side instead of one after the other; every element's sum is unchanged.
        // Its keys below the prefix are its own cache's (the shared values are row r0's), so
        // one pass over j = 0 .. pos reads what the shared and own loops below read.
        constexpr int NV = 4;
        const float* values = in.values[r0] + size_t(kh) * hs;
        const float* a = rows[0];
        for (; i0 + 8 * NV <= hs; i0 += 8 * NV) {
            __m256 acc[NV];
            for (int b = 0; b < NV; ++b) acc[b] = _mm256_setzero_ps();
            for (int j = 0; j <= in.pos[r0]; ++j) {
                const __m256 aj = _mm256_broadcast_ss(a + j);
                const float* vj = values + size_t(j) * d.kvDim + i0;
                for (int b = 0; b < NV; ++b) acc[b] = _mm256_add_ps(acc[b], _mm256_mul_ps(aj, _mm256_loadu_ps(vj + 8 * b)));
            }
            for (int b = 0; b < NV; ++b) _mm256_storeu_ps(in.out + size_t(r0) * d.qDim + size_t(h) * hs + i0 + 8 * b, acc[b]);
        }
    }
    for (; i0 < hs; i0 += 8) {
        __m256 acc[MR];
        for (int l = 0; l < MR; ++l) acc[l] = _mm256_setzero_ps();
        const float* vShared = in.values[r0] + size_t(kh) * hs + i0;
        for (int j = 0; j < P; ++j) {
            const __m256 v = _mm256_loadu_ps(vShared + size_t(j) * d.kvDim);
            for (int l = 0; l < MR; ++l) acc[l] = _mm256_add_ps(acc[l], _mm256_mul_ps(_mm256_broadcast_ss(rows[l] + j), v));
        }
        for (int l = 0; l < MR; ++l) {
            const float* values = in.values[r0 + l] + size_t(kh) * hs + i0;
            __m256 a = acc[l];
            for (int j = P; j <= in.pos[r0 + l]; ++j)
                a = _mm256_add_ps(a, _mm256_mul_ps(_mm256_broadcast_ss(rows[l] + j),
                                                   _mm256_loadu_ps(values + size_t(j) * d.kvDim)));
            _mm256_storeu_ps(in.out + size_t(r0 + l) * d.qDim + size_t(h) * hs + i0, a);
        }
    }
}

// headRows for head sizes a multiple of 8, AVX2: keys eight at a time as lanes (scoreKeysIn),
// and the values one 8-dimension vector a key, broadcast against each row's probability:
// out_r[i] = ((0 + a_r0 v_0i) + a_r1 v_1i) + ..., the same sums in the same order.
void headRowsWide(const SharedPrefixRows& in, const Dims& d, int h, int r0, int m, int stride, float* sc) {
    const int P = in.prefix, hs = d.hs, kh = h / d.group;
    const float* qs[kLanes];
    float* rows[kLanes];  // [m] each row's scores, then probabilities
    for (int l = 0; l < m; ++l) {
        qs[l] = in.q + size_t(r0 + l) * d.qDim + size_t(h) * hs;
        rows[l] = sc + l * stride;
    }
    KeyScores ks;
    ks.kvDim = d.kvDim;
    ks.headSize = hs;
    // 1. The shared prefix's whole blocks of eight keys, each read and transposed once for the
    // m rows (its last P % 8 keys join each row's own: they are the same in every cache).
    const int P8 = P / 8 * 8;
    if (P8 > 0) {
        ks.q = qs;
        ks.m = m;
        ks.keys = in.keys[r0] + size_t(kh) * hs;  // any row's cache: identical below P
        ks.from = 0;
        ks.to = P8 - 1;
        ks.out = rows;
        scoreKeysIn(ks);
    }
    // 2. Each row's own positions P8..pos, then its softmax.
    for (int l = 0; l < m; ++l) {
        const int pos = in.pos[r0 + l];
        ks.q = &qs[l];
        ks.m = 1;
        ks.keys = in.keys[r0 + l] + size_t(kh) * hs;
        ks.from = P8;
        ks.to = pos;
        ks.out = &rows[l];
        scoreKeysIn(ks);
        softmaxRow(rows[l], pos + 1);
    }
    // 3. out = sum_j a_j v_j: the shared values once for every row, then each row's own tail.
    if (m == 4) valueRows<4>(in, d, h, r0, rows);
    else if (m == 3) valueRows<3>(in, d, h, r0, rows);
    else if (m == 2) valueRows<2>(in, d, h, r0, rows);
    else valueRows<1>(in, d, h, r0, rows);
}
#endif

// Rows [r0, r0 + m) of head h, m <= kLanes. Each sum is the one causal rows computes:
//   score  d = ((0 + q_0 k_0) + q_1 k_1) + ...   then d / sqrt(d_k)
//   output o_i = ((0 + a_0 v_0i) + a_1 v_1i) + ...   over j ascending (prefix, then the row's tail)
void headRows(const SharedPrefixRows& in, const Dims& d, int h, int r0, int m, int stride, Lanes* qT, float* sc) {
#if defined(__AVX2__)
    if (d.hs % 8 == 0) {
        headRowsWide(in, d, h, r0, m, stride, sc);
        return;
    }
#endif
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

void scoreKeys(const KeyScores& k) { scoreKeysIn(k); }

void softmax(float* row, int n) { softmaxRow(row, n); }

void attendHeads(const SharedPrefixRows& in, int hBegin, int hEnd) { heads(in, Dims(*in.spec), hBegin, hEnd); }

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
