#pragma once
// What the AVX2 and AVX-512 VNNI kernels of Q4_K and Q6_K weights x Q8_K activations share
// (kernels_kquant_avx2.cpp, kernels_kquant_avx512.cpp): unpacking Q4_K's scales and each
// super-block's float step from its integer partial sums. Include only from files built with
// -mavx2 -mf16c.
//
// The float step is the scalar twin's (q8_k.h termQ4_K, termQ6_K), lane for lane: the same
// products of the same floats, rounded once each, and each block's term added to the row's sum
// in block order. (Reducing four blocks' integer sums together, within a row or across rows,
// measured 5-25% slower on a Zen 4 than this one reduction per block.)
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "anatomy/kernels.h"
#include "kernels/q8_k.h"

namespace anatomy::kernels::kquant {

inline __m256i load256(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }
// The lines of one super-block of `bytes`, kQuantPrefetchBytes further on, into L2: off AMD
// (anatomy/kernels.h matvecPrefetch), where a single row stream was measured latency-bound.
inline void prefetchBlock(const uint8_t* w, int bytes) {
    for (int o = 0; o < bytes; o += 64)
        _mm_prefetch(reinterpret_cast<const char*>(w) + kQuantPrefetchBytes + o, _MM_HINT_T1);
}
inline __m128i load128(const void* p) { return _mm_loadu_si128(static_cast<const __m128i*>(p)); }
inline int load32(const void* p) {
    int v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

// Bytes (sc 0..7, m 0..7) from a Q4_K block's 12 scale bytes at p (ggml_blocks.h scaleMinK4, in
// one register): words (s0-3, s8-11, s4-7, s8-11) shifted by (0, 0, 0, 4) and masked to 6, 4,
// 6, 4 bits, or'd with the top 2 bits of words (-, s0-3, -, s4-7) moved to bits 4-5.
inline __m128i scaleMinsQ4_K(const uint8_t* p) {
    const __m128i v = load128(p);  // the 12 scale bytes and 4 code bytes after them
    const __m128i words = _mm_shuffle_epi8(v, _mm_setr_epi8(0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 8, 9, 10, 11));
    const __m128i low = _mm_and_si128(_mm_srlv_epi32(words, _mm_setr_epi32(0, 0, 0, 4)),
                                      _mm_setr_epi32(0x3f3f3f3f, 0x0f0f0f0f, 0x3f3f3f3f, 0x0f0f0f0f));
    const __m128i tops = _mm_shuffle_epi8(v, _mm_setr_epi8(-1, -1, -1, -1, 0, 1, 2, 3, -1, -1, -1, -1, 4, 5, 6, 7));
    return _mm_or_si128(low, _mm_and_si128(_mm_srli_epi32(tops, 2), _mm_set1_epi8(0x30)));
}

// sum_s m_s (bsums[2 s] + bsums[2 s + 1]) in 8 lanes, from (sc, m) bytes and a block's bsums.
inline __m256i minsQ4_K(__m128i scMn, const int16_t* bsums) {
    // each min twice, for the two bsums of 16 that make its sub-block's sum of 32
    const __m128i twice = _mm_setr_epi8(8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15);
    return _mm256_madd_epi16(_mm256_cvtepu8_epi16(_mm_shuffle_epi8(scMn, twice)), load256(bsums));
}

// One Q4_K block's float step, the scalar twin's lane for lane:
//   sum += (dx dW) isum - (dx dminW) imin
// from 8-lane partial sums acc (of isum) and mins (of imin); w: the block (dW, dminW first).
inline __m128 addTermQ4_K(__m128 sum, float dx, const uint8_t* w, __m256i acc, __m256i mins) {
    // (isum, imin): both reduced by the same adds
    const __m256i h = _mm256_hadd_epi32(acc, mins);  // per half (a01, a23, m01, m23)
    __m128i r = _mm_add_epi32(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
    r = _mm_hadd_epi32(r, r);
    const __m128 scales = _mm_mul_ps(_mm_set1_ps(dx), _mm_cvtph_ps(_mm_cvtsi32_si128(load32(w))));
    const __m128 terms = _mm_mul_ps(scales, _mm_cvtepi32_ps(r));  // (a, b, ...)
    return _mm_add_ss(sum, _mm_sub_ss(terms, _mm_movehdup_ps(terms)));
}

// One Q6_K block's float step, the scalar twin's: sum += (dx dW) isum, from 8-lane partial
// sums acc of isum; w: the block (dW at byte 208).
inline __m128 addTermQ6_K(__m128 sum, float dx, const uint8_t* w, __m256i acc) {
    __m128i r = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
    r = _mm_add_epi32(r, _mm_shuffle_epi32(r, _MM_SHUFFLE(1, 0, 3, 2)));
    r = _mm_add_epi32(r, _mm_shuffle_epi32(r, _MM_SHUFFLE(2, 3, 0, 1)));
    const __m128 dW = _mm_cvtph_ps(_mm_cvtsi32_si128(w[208] | w[209] << 8));
    const __m128 scale = _mm_mul_ss(_mm_set_ss(dx), dW);
    return _mm_add_ss(sum, _mm_mul_ss(scale, _mm_cvtepi32_ps(r)));
}

}  // namespace anatomy::kernels::kquant
