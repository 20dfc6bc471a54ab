// AVX-512 VNNI kernels of Q4_K and Q6_K weights against Q8_K activations (q8_k.h has the
// formulas; kernels_scalar.cpp the twin, kernels_kquant_avx2.cpp the AVX2 variant). Built with
// -mavx512f/bw/vl/dq/vnni; reached only through avx512VnniKernels(), which checks the CPU first.
//
// 64 codes at a time, laid out in the activations' order, so vpdpbusd multiplies them with 64
// activation codes and adds each 4 to an int32 lane (unsigned codes times signed activations,
// exact): Q4_K's 32 codes of sub-block 2c (low nibbles of qs[32 c ..]) and 2c + 1 (high nibbles)
// are one 32-byte load and its copy shifted by 4; Q6_K's 64 codes
// of a quarter are its low nibbles or high nibbles of 64 ql bytes with 2 bits of qh shifted into
// bits 4-5. A 4-code sum fits 16 bits (4 * 63 * 127 < 32768), so two such vectors pack to
// int16 and vpmaddwd multiplies them by their sub-blocks' scales into int32. The super-block
// sums are exact and the float step is the scalar twin's, so the bits are the twin's.
#include <immintrin.h>

#include <cassert>
#include <cstdint>
#include <cstring>

#include "anatomy/ggml_type.h"
#include "anatomy/kernels.h"
#include "anatomy/model.h"
#include "kernels/kquant_avx2.h"
#include "kernels/q8_k.h"

namespace anatomy::kernels::detail {
void matvecQ8_KAvx512Vnni(GgmlType type, float* y, const uint8_t* W, const int8_t* xq,
                          const float* xd, const int16_t* xsums, int rows, int nBlocks);
void matvecQ8_0Avx512Vnni(float* y, const uint8_t* W, const int8_t* xq, const float* xd, int rows,
                          int nBlocks);
}  // namespace anatomy::kernels::detail

namespace anatomy::kernels {
namespace {

// GCC 12's unmasked 512-bit extracts, inserts and broadcasts (and _mm512_castsi512_si256, an
// extract) trip -Wmaybe-uninitialized inside its own headers (kernels_avx512.cpp has the same
// note): full-mask forms instead, and a copy for the low half.
constexpr __mmask8 kAll8 = 0xFF;

inline __m512i load512(const void* p) { return _mm512_loadu_si512(p); }
using kquant::load128;
using kquant::load256;
// 32 bytes in both halves.
inline __m512i broadcast256(const void* p) {
    return _mm512_mask_broadcast_i64x4(_mm512_setzero_si512(), kAll8, load256(p));
}

// The low 256 bits (a register's lower half: no instruction).
inline __m256i low256(__m512i v) {
    __m256i lo;
    std::memcpy(&lo, &v, sizeof lo);
    return lo;
}
// The 16 int32 lanes added pairwise into 8 (lanes i and i + 8).
inline __m256i fold(__m512i v) {
    return _mm256_add_epi32(low256(v), _mm512_mask_extracti64x4_epi64(low256(v), kAll8, v, 1));
}

// After _mm512_packs_epi32(a, b), 128-bit lane k holds 4 int16 sums of a's lane k, then 4 of
// b's. Each row is the sub-block of every int16 for one pair, indices into the 16-bit scales
// for _mm512_permutexvar_epi16.
#define ANATOMY_PAIR(a0, a1, a2, a3, b0, b1, b2, b3)                                       \
    {a0, a0, a0, a0, b0, b0, b0, b0, a1, a1, a1, a1, b1, b1, b1, b1,                      \
     a2, a2, a2, a2, b2, b2, b2, b2, a3, a3, a3, a3, b3, b3, b3, b3}
// Q4_K chunks (0, 1) and (2, 3): 64 codes of chunk c are sub-block 2c (lanes 0-7), 2c + 1.
alignas(64) constexpr int16_t kQ4_KPairs[2][32] = {ANATOMY_PAIR(0, 0, 1, 1, 2, 2, 3, 3),
                                                   ANATOMY_PAIR(4, 4, 5, 5, 6, 6, 7, 7)};
// Q6_K quarters (0, 1) and (2, 3): 64 values of quarter q are sub-blocks 4q .. 4q + 3.
alignas(64) constexpr int16_t kQ6_KPairs[2][32] = {ANATOMY_PAIR(0, 1, 2, 3, 4, 5, 6, 7),
                                                   ANATOMY_PAIR(8, 9, 10, 11, 12, 13, 14, 15)};
#undef ANATOMY_PAIR

// Sum of pairs of 4-code sums a, b (each fits int16) times their sub-blocks' scales, int32.
inline __m512i scaledPair(__m512i a, __m512i b, __m512i scales16, __m512i index) {
    return _mm512_madd_epi16(_mm512_packs_epi32(a, b), _mm512_permutexvar_epi16(index, scales16));
}

// One Q4_K block's partial sums: acc of sum_s sc_s sum_k q_k qx_k, mins of sum_s m_s bsum_s.
inline void blockQ4_K(const uint8_t* w, const int8_t* xq, const int16_t* xsums, __m512i index01,
                      __m512i index23, __m256i& acc, __m256i& mins) {
    const __m512i low4 = _mm512_set1_epi8(0x0F);
    const __m128i scMn = kquant::scaleMinsQ4_K(w + 4);
    // sc 0..7 as int16, the rest of the register unused (the permutes read lanes 0-7)
    const __m512i scales16 = _mm512_castsi128_si512(_mm_cvtepu8_epi16(scMn));
    mins = kquant::minsQ4_K(scMn, xsums);
    __m512i dot[4];
    for (int c = 0; c < 4; ++c) {
        // chunk c's 32 bytes: low nibbles (sub-block 2c), then high nibbles (2c + 1)
        const __m256i raw = load256(w + 16 + 32 * c);
        const __m512i lo = _mm512_castsi256_si512(raw);
        const __m512i q = _mm512_and_si512(_mm512_mask_inserti64x4(lo, kAll8, lo, _mm256_srli_epi16(raw, 4), 1), low4);
        dot[c] = _mm512_dpbusd_epi32(_mm512_setzero_si512(), q, load512(xq + 64 * c));
    }
    acc = fold(_mm512_add_epi32(scaledPair(dot[0], dot[1], scales16, index01),
                                scaledPair(dot[2], dot[3], scales16, index23)));
}

// One Q6_K block's partial sums of sum_s sc_s (sum_k q_k qx_k - 32 bsums[s]).
inline __m256i blockQ6_K(const uint8_t* w, const int8_t* xq, const int16_t* xsums, __m512i index01,
                         __m512i index23) {
    const __m512i low4 = _mm512_set1_epi8(0x0F), bits45 = _mm512_set1_epi8(0x30);
    // qh bits (0-1 | 2-3) to bits 4-5: left by (4 | 2); bits (4-5 | 6-7): right by (0 | 2).
    constexpr long long k2 = 0x0002000200020002, k4 = 0x0004000400040004;
    const __m512i upLow = _mm512_setr_epi64(k4, k4, k4, k4, k2, k2, k2, k2);
    const __m512i downHigh = _mm512_setr_epi64(0, 0, 0, 0, k2, k2, k2, k2);
    constexpr int kOrAnd = 0xF8;  // ternary logic: a | (b & c)
    const __m256i scales = _mm256_cvtepi8_epi16(load128(w + 192));  // sc 0..15 as int16
    const __m512i scales16 = _mm512_castsi256_si512(scales);  // the permutes read lanes 0-15
    // 32 sum_s sc_s bsums[s], taken out at the end
    const __m256i offset = _mm256_slli_epi32(_mm256_madd_epi16(scales, load256(xsums)), 5);
    __m512i dot[4];
    for (int hf = 0; hf < 2; ++hf) {
        const __m512i ql = load512(w + 64 * hf);
        const __m512i qh = broadcast256(w + 128 + 32 * hf);
        // values 128 hf + [0, 64): low nibbles of ql, qh bits (0-1 | 2-3)
        const __m512i q0 = _mm512_ternarylogic_epi32(_mm512_and_si512(ql, low4),
                                                     _mm512_sllv_epi16(qh, upLow), bits45, kOrAnd);
        // values 128 hf + [64, 128): high nibbles of ql, qh bits (4-5 | 6-7)
        const __m512i q1 = _mm512_ternarylogic_epi32(_mm512_and_si512(_mm512_srli_epi16(ql, 4), low4),
                                                     _mm512_srlv_epi16(qh, downHigh), bits45, kOrAnd);
        const int8_t* x = xq + 128 * hf;
        dot[2 * hf] = _mm512_dpbusd_epi32(_mm512_setzero_si512(), q0, load512(x));
        dot[2 * hf + 1] = _mm512_dpbusd_epi32(_mm512_setzero_si512(), q1, load512(x + 64));
    }
    const __m512i acc = _mm512_add_epi32(scaledPair(dot[0], dot[1], scales16, index01),
                                         scaledPair(dot[2], dot[3], scales16, index23));
    return _mm256_sub_epi32(fold(acc), offset);
}

using kquant::prefetchBlock;

template <bool Prefetch>  // the caller reads matvecPrefetch() once a matrix (kernels.h)
float rowQ4_K(const uint8_t* w, const int8_t* xq, const float* xd, const int16_t* xsums,
              int nBlocks) {
    const __m512i index01 = load512(kQ4_KPairs[0]), index23 = load512(kQ4_KPairs[1]);
    __m128 sum = _mm_setzero_ps();
    for (int b = 0; b < nBlocks; ++b, w += q8_k::kQ4_KBytes, xq += q8_k::kBlock, xsums += q8_k::kSums) {
        if constexpr (Prefetch) prefetchBlock(w, q8_k::kQ4_KBytes);
        __m256i acc, mins;
        blockQ4_K(w, xq, xsums, index01, index23, acc, mins);
        sum = kquant::addTermQ4_K(sum, xd[b], w, acc, mins);
    }
    return _mm_cvtss_f32(sum);
}

template <bool Prefetch>
float rowQ6_K(const uint8_t* w, const int8_t* xq, const float* xd, const int16_t* xsums,
              int nBlocks) {
    const __m512i index01 = load512(kQ6_KPairs[0]), index23 = load512(kQ6_KPairs[1]);
    __m128 sum = _mm_setzero_ps();
    for (int b = 0; b < nBlocks; ++b, w += q8_k::kQ6_KBytes, xq += q8_k::kBlock, xsums += q8_k::kSums) {
        if constexpr (Prefetch) prefetchBlock(w, q8_k::kQ6_KBytes);
        sum = kquant::addTermQ6_K(sum, xd[b], w, blockQ6_K(w, xq, xsums, index01, index23));
    }
    return _mm_cvtss_f32(sum);
}

// ---- Q8_0 weights x Q8_0 activations: y[r] = sum_b dW[r, b] dx[b] sum_k qW[r, b, k] qx[b, k] --
// Two blocks a register: block b's 32 codes in the low half, b + 1's in the high half, against
// 64 activation codes in one load. vpdpbusd wants unsigned x signed, so |qW| meets qx with qW's
// sign (qx stays in [-127, 127], so negating it is exact; |-128| is 128 unsigned): each int32
// lane is the exact sum of 4 consecutive products, the lanes AVX2's maddubs + madd make. Lanes
// 0-7 then carry the even blocks and 8-15 the odd ones, with one FMA each by its block's
// dW dx, exactly AVX2's two accumulators (kernels_avx2.cpp dotRowQ8_0), folded and reduced in
// its order: the same bits as the AVX2 kernel, row for row.
inline __m512i pairCodes(const uint8_t* blk) {  // codes of blocks b (low) and b + 1 (high)
    return _mm512_mask_broadcast_i64x4(broadcast256(blk + 2), 0xF0, load256(blk + kQ8_0BlockBytes + 2));
}
inline __m512 pairDot(__m512i q, __m512i qx) {
    const __m512i sx = _mm512_mask_sub_epi8(qx, _mm512_movepi8_mask(q), _mm512_setzero_si512(), qx);
    const __m512i dot = _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_abs_epi8(q), sx);
    return _mm512_mask_cvtepi32_ps(_mm512_setzero_ps(), 0xFFFF, dot);  // full mask: see kAll8
}
inline float halfAt(const uint8_t* blk) {
    uint16_t h;
    std::memcpy(&h, blk, sizeof h);
    return _cvtsh_ss(h);
}
inline float hsum8(__m512 v) {  // lanes i + (i + 8), then AVX2's hsum of the 8
    __m256 lo;
    std::memcpy(&lo, &v, sizeof lo);
    const __m256 a = _mm256_add_ps(lo, _mm256_castpd_ps(_mm512_mask_extractf64x4_pd(
                                           _mm256_castps_pd(lo), kAll8, _mm512_castps_pd(v), 1)));
    const __m128 s = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    const __m128 h = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(h, _mm_movehdup_ps(h)));
}

// One row: a single stream of blocks, as the AVX2 kernel reads it (four rows interleaved ran at
// half llama.cpp's speed on an AMD EPYC once the weights left the cache), prefetched into L2
// kQuantPrefetchBytes ahead where matvecPrefetch() says so (kernels.h).
float rowQ8_0(const uint8_t* w, const int8_t* xq, const float* xd, int nBlocks, bool prefetch) {
    __m512 acc = _mm512_setzero_ps();
    int b = 0;
    for (; b + 2 <= nBlocks; b += 2) {
        const uint8_t* blk = w + long(b) * kQ8_0BlockBytes;
        // 68 bytes a pass: one prefetch a pass reaches every line.
        if (prefetch) _mm_prefetch(reinterpret_cast<const char*>(blk) + kQuantPrefetchBytes, _MM_HINT_T1);
        const __m512 d = _mm512_mask_broadcastss_ps(_mm512_set1_ps(halfAt(blk) * xd[b]), 0xFF00,
                                                    _mm_set_ss(halfAt(blk + kQ8_0BlockBytes) * xd[b + 1]));
        acc = _mm512_fmadd_ps(pairDot(pairCodes(blk), load512(xq + long(b) * kQ8_0Block)), d, acc);
    }
    if (b < nBlocks) {  // an odd last block: the even lanes only, as AVX2 adds it to acc0
        const uint8_t* blk = w + long(b) * kQ8_0BlockBytes;
        const __m512i qx = _mm512_maskz_loadu_epi8(0xFFFFFFFFull, xq + long(b) * kQ8_0Block);
        const __m512i q = _mm512_maskz_loadu_epi8(0xFFFFFFFFull, blk + 2);
        acc = _mm512_mask3_fmadd_ps(pairDot(q, qx), _mm512_set1_ps(halfAt(blk) * xd[b]), acc, 0x00FF);
    }
    return hsum8(acc);
}

}  // namespace

namespace detail {

void matvecQ8_0Avx512Vnni(float* y, const uint8_t* W, const int8_t* xq, const float* xd, int rows,
                          int nBlocks) {
    assert(rows >= 0 && nBlocks >= 0);
    const long rowBytes = long(nBlocks) * kQ8_0BlockBytes;
    const bool prefetch = matvecPrefetch();
    for (int r = 0; r < rows; ++r) y[r] = rowQ8_0(W + r * rowBytes, xq, xd, nBlocks, prefetch);
}

void matvecQ8_KAvx512Vnni(GgmlType type, float* y, const uint8_t* W, const int8_t* xq, const float* xd,
                          const int16_t* xsums, int rows, int nBlocks) {
    if (matvecPrefetch()) q8_k::matvecRows<rowQ4_K<true>, rowQ6_K<true>>(type, y, W, xq, xd, xsums, rows, nBlocks);
    else q8_k::matvecRows<rowQ4_K<false>, rowQ6_K<false>>(type, y, W, xq, xd, xsums, rows, nBlocks);
}

}  // namespace detail

}  // namespace anatomy::kernels
