// AVX2 kernels of Q4_K and Q6_K weights against Q8_K activations (q8_k.h has the formulas;
// kernels_scalar.cpp the twin). Built with -mavx2 -mfma -mf16c; reached only through
// avx2Kernels() and avx512Kernels(), which check the CPU first.
//
// Weight codes are unsigned (Q4_K 0..15, Q6_K 0..63 before its -32), so vpmaddubsw multiplies
// them with the signed activation codes and adds pairs to int16 without saturating
// (2 * 63 * 127 < 32767); vpmaddwd then multiplies the pairs by each sub-block's scale and adds
// them to int32 (exact). Q6_K's -32 is taken out once per block: 32 sum_s sc_s bsums[s].
// The float step (kquant_avx2.h) is the scalar twin's, so the result is the twin's, bit for bit.
#include <immintrin.h>

#include <cassert>
#include <cstdint>
#include <cstring>

#include "anatomy/ggml_type.h"
#include "kernels/kquant_avx2.h"
#include "kernels/q8_k.h"

namespace anatomy::kernels::detail {
void matvecQ8_KAvx2(GgmlType type, float* y, const uint8_t* W, const int8_t* xq, const float* xd,
                    const int16_t* xsums, int rows, int nBlocks);
void quantizeQ8_KAvx2(int8_t* xq, float* xd, int16_t* xsums, const float* x, int n);
}  // namespace anatomy::kernels::detail

namespace anatomy::kernels {
namespace {

using kquant::load128;
using kquant::load256;

// ---- Q4_K: d, dmin, scales[12], qs[128]; sub-block s = 2 c + h is nibble h of qs[32 c + l] ----
// The 16-bit scale of sub-block s in every lane, from the scales as 16-bit words in both halves.
inline __m256i scaleQ4_K(__m256i scales16, int s) {
    return _mm256_shuffle_epi8(scales16, _mm256_set1_epi16(int16_t((2 * s + 1) << 8 | 2 * s)));
}

// One block's partial sums: acc of sum_s sc_s sum_k q_k qx_k, mins of sum_s m_s bsum_s.
inline void blockQ4_K(const uint8_t* w, const int8_t* xq, const int16_t* xsums, __m256i& acc,
                      __m256i& mins) {
    const __m256i low4 = _mm256_set1_epi8(0x0F);
    const __m128i scMn = kquant::scaleMinsQ4_K(w + 4);
    const __m256i scales16 = _mm256_broadcastsi128_si256(_mm_cvtepu8_epi16(scMn));
    mins = kquant::minsQ4_K(scMn, xsums);
    acc = _mm256_setzero_si256();
    const uint8_t* qs = w + 16;
    for (int c = 0; c < 4; ++c) {
        const __m256i q = load256(qs + 32 * c);
        const __m256i lo = _mm256_and_si256(q, low4);
        const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(q, 4), low4);
        const __m256i pLo = _mm256_maddubs_epi16(lo, load256(xq + 64 * c));
        const __m256i pHi = _mm256_maddubs_epi16(hi, load256(xq + 64 * c + 32));
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(pLo, scaleQ4_K(scales16, 2 * c)));
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(pHi, scaleQ4_K(scales16, 2 * c + 1)));
    }
}

// ---- Q6_K: ql[128], qh[64], scales[16] int8, d ------------------------------------------------
// Values hf * 128 + 32 j + l (hf 0..1, j 0..3, l 0..31): nibble j / 2 of ql[64 hf + 32 (j % 2) + l]
// and bits 2 j of qh[32 hf + l]; sub-block 8 hf + 2 j for l < 16, the next one for l >= 16.
// The scales of sub-blocks (8 hf + 2 j, 8 hf + 2 j + 1), 8 lanes each, from the 16-bit scales
// 8 hf .. 8 hf + 7 in both halves.
inline __m256i scalesQ6_K(__m256i scales16, int j) {
    const int16_t a = int16_t((4 * j + 1) << 8 | 4 * j), b = int16_t((4 * j + 3) << 8 | (4 * j + 2));
    return _mm256_shuffle_epi8(scales16, _mm256_set_epi16(b, b, b, b, b, b, b, b, a, a, a, a, a, a, a, a));
}

// One block's partial sums of sum_s sc_s (sum_k q_k qx_k - 32 bsums[s]).
inline __m256i blockQ6_K(const uint8_t* w, const int8_t* xq, const int16_t* xsums) {
    const __m256i low4 = _mm256_set1_epi8(0x0F), bits45 = _mm256_set1_epi8(0x30);
    const __m256i scales = _mm256_cvtepi8_epi16(load128(w + 192));  // sc 0..15 as int16
    // 32 sum_s sc_s bsums[s], taken out at the end
    const __m256i offset = _mm256_slli_epi32(_mm256_madd_epi16(scales, load256(xsums)), 5);
    __m256i acc = _mm256_setzero_si256();
    for (int hf = 0; hf < 2; ++hf) {
        const __m256i sc = hf == 0 ? _mm256_permute2x128_si256(scales, scales, 0x00)
                                   : _mm256_permute2x128_si256(scales, scales, 0x11);
        const __m256i ql0 = load256(w + 64 * hf), ql1 = load256(w + 64 * hf + 32);
        const __m256i qh = load256(w + 128 + 32 * hf);
        const int8_t* x = xq + 128 * hf;
        // q = low nibble | (2 high bits) << 4: the high bits moved to bits 4-5 in place
        const __m256i q0 = _mm256_or_si256(_mm256_and_si256(ql0, low4),
                                           _mm256_and_si256(_mm256_slli_epi16(qh, 4), bits45));
        const __m256i q1 = _mm256_or_si256(_mm256_and_si256(ql1, low4),
                                           _mm256_and_si256(_mm256_slli_epi16(qh, 2), bits45));
        const __m256i q2 = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), low4),
                                           _mm256_and_si256(qh, bits45));
        const __m256i q3 = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), low4),
                                           _mm256_and_si256(_mm256_srli_epi16(qh, 2), bits45));
        const __m256i p0 = _mm256_madd_epi16(_mm256_maddubs_epi16(q0, load256(x)), scalesQ6_K(sc, 0));
        const __m256i p1 = _mm256_madd_epi16(_mm256_maddubs_epi16(q1, load256(x + 32)), scalesQ6_K(sc, 1));
        const __m256i p2 = _mm256_madd_epi16(_mm256_maddubs_epi16(q2, load256(x + 64)), scalesQ6_K(sc, 2));
        const __m256i p3 = _mm256_madd_epi16(_mm256_maddubs_epi16(q3, load256(x + 96)), scalesQ6_K(sc, 3));
        acc = _mm256_add_epi32(acc, _mm256_add_epi32(_mm256_add_epi32(p0, p1), _mm256_add_epi32(p2, p3)));
    }
    return _mm256_sub_epi32(acc, offset);
}

template <bool Prefetch>  // the caller reads matvecPrefetch() once a matrix (kernels.h)
float rowQ4_K(const uint8_t* w, const int8_t* xq, const float* xd, const int16_t* xsums,
              int nBlocks) {
    __m128 sum = _mm_setzero_ps();
    for (int b = 0; b < nBlocks; ++b, w += q8_k::kQ4_KBytes, xq += q8_k::kBlock, xsums += q8_k::kSums) {
        if constexpr (Prefetch) kquant::prefetchBlock(w, q8_k::kQ4_KBytes);
        __m256i acc, mins;
        blockQ4_K(w, xq, xsums, acc, mins);
        sum = kquant::addTermQ4_K(sum, xd[b], w, acc, mins);
    }
    return _mm_cvtss_f32(sum);
}

template <bool Prefetch>
float rowQ6_K(const uint8_t* w, const int8_t* xq, const float* xd, const int16_t* xsums,
              int nBlocks) {
    __m128 sum = _mm_setzero_ps();
    for (int b = 0; b < nBlocks; ++b, w += q8_k::kQ6_KBytes, xq += q8_k::kBlock, xsums += q8_k::kSums) {
        if constexpr (Prefetch) kquant::prefetchBlock(w, q8_k::kQ6_KBytes);
        sum = kquant::addTermQ6_K(sum, xd[b], w, blockQ6_K(w, xq, xsums));
    }
    return _mm_cvtss_f32(sum);
}

}  // namespace

namespace detail {

void matvecQ8_KAvx2(GgmlType type, float* y, const uint8_t* W, const int8_t* xq, const float* xd,
                    const int16_t* xsums, int rows, int nBlocks) {
    if (matvecPrefetch()) q8_k::matvecRows<rowQ4_K<true>, rowQ6_K<true>>(type, y, W, xq, xd, xsums, rows, nBlocks);
    else q8_k::matvecRows<rowQ4_K<false>, rowQ6_K<false>>(type, y, W, xq, xd, xsums, rows, nBlocks);
}

// The scalar rule (q8_k.cpp) 32 values at a time: the same float products, rounded to nearest
// even by vcvtps2dq (the default rounding mode, as nearbyint), so the same codes.
void quantizeQ8_KAvx2(int8_t* xq, float* xd, int16_t* xsums, const float* x, int n) {
    assert(n % q8_k::kBlock == 0);
    const __m256 absMask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);  // undoes the packs' lanes
    for (int b = 0; b < n / q8_k::kBlock; ++b, x += q8_k::kBlock, xq += q8_k::kBlock, xsums += q8_k::kSums) {
        __m256 vmax = _mm256_setzero_ps();
        for (int i = 0; i < q8_k::kBlock; i += 8)
            vmax = _mm256_max_ps(vmax, _mm256_and_ps(_mm256_loadu_ps(x + i), absMask));
        __m128 m = _mm_max_ps(_mm256_castps256_ps128(vmax), _mm256_extractf128_ps(vmax, 1));
        m = _mm_max_ps(m, _mm_movehl_ps(m, m));
        m = _mm_max_ss(m, _mm_movehdup_ps(m));
        const float amax = _mm_cvtss_f32(m);
        if (amax == 0.0f) {
            std::memset(xq, 0, q8_k::kBlock);
            std::memset(xsums, 0, q8_k::kSums * sizeof(int16_t));
            xd[b] = 0.0f;
            continue;
        }
        // The first value of that magnitude gives the sign.
        const __m256 va = _mm256_set1_ps(amax);
        int first = 0;
        for (int i = 0; i < q8_k::kBlock; i += 8) {
            const int hit = _mm256_movemask_ps(
                _mm256_cmp_ps(_mm256_and_ps(_mm256_loadu_ps(x + i), absMask), va, _CMP_EQ_OQ));
            if (hit) {
                first = i + __builtin_ctz(unsigned(hit));
                break;
            }
        }
        const float iscale = -127.0f / x[first];
        const __m256 vs = _mm256_set1_ps(iscale);
        const __m256i q127 = _mm256_set1_epi32(127);
        for (int i = 0; i < q8_k::kBlock; i += 32) {
            __m256i q[4];
            for (int k = 0; k < 4; ++k)
                q[k] = _mm256_min_epi32(
                    _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + i + 8 * k), vs)), q127);
            const __m256i q16 = _mm256_packs_epi16(_mm256_packs_epi32(q[0], q[1]),
                                                   _mm256_packs_epi32(q[2], q[3]));
            const __m256i q8 = _mm256_permutevar8x32_epi32(q16, order);
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(xq + i), q8);
            // Sums of 16 codes: |sad| of the codes + 128 per 8 bytes, pairs added, less 16 * 128.
            __m256i s = _mm256_sad_epu8(_mm256_xor_si256(q8, _mm256_set1_epi8(char(0x80))),
                                        _mm256_setzero_si256());
            s = _mm256_add_epi64(s, _mm256_srli_si256(s, 8));
            xsums[i / 16] = int16_t(_mm256_extract_epi16(s, 0) - 16 * 128);
            xsums[i / 16 + 1] = int16_t(_mm256_extract_epi16(s, 8) - 16 * 128);
        }
        xd[b] = 1.0f / iscale;
    }
}

}  // namespace detail

}  // namespace anatomy::kernels
