// AVX2 + FMA dot kernels of ggml weight rows with a float vector (kernels_ggml_scalar.cpp has
// the scalar twin). Built with -mavx2 -mfma -mf16c; reached only through avx2Kernels() and
// avx512Kernels(), which check the CPU first.
//
// Each block's codes are unpacked to 32 int8 lanes, widened to float and multiplied with x in
// 8-lane FMAs; the scale of each (sub-)block multiplies the partial sum once, and a min term
// uses the sum of x over the sub-block (summed once per call, not per row):
//   sum_i (d_s q_i - m_s) x_i = d_s sum_i q_i x_i - m_s sum_i x_i.
// Factoring the scale out rounds differently from the scalar twin's value-by-value sum (the
// kernel tests bound the difference).
#include <immintrin.h>

#include <cassert>
#include <cstdint>
#include <cstring>
#include <vector>

#include "anatomy/ggml_type.h"
#include "kernels/ggml_blocks.h"

namespace anatomy::kernels::detail {
void matvecBlocksAvx2(GgmlType type, float* y, const uint8_t* W, const float* x, int rows,
                      int cols);
void dequantizeAvx2(GgmlType type, float* out, const uint8_t* blocks, size_t n);
}  // namespace anatomy::kernels::detail

namespace anatomy::kernels {
namespace {

inline float hsum(__m256 v) {
    const __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 h = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(h, _mm_movehdup_ps(h)));
}

inline float halfF16c(const uint8_t* p) {
    uint16_t h;
    std::memcpy(&h, p, sizeof h);
    return _cvtsh_ss(h);
}

inline __m128i load128(const uint8_t* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }
inline __m256i load256(const uint8_t* p) {
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}

// 8 int8 codes (the low 64 bits of v) as 8 floats.
inline __m256 widen8(__m128i v) { return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(v)); }

// Partial dot products of 32 int8 codes with x[0, 32): lo = codes 0-15, hi = codes 16-31.
struct Dot32 {
    __m256 lo, hi;
    __m256 sum() const { return _mm256_add_ps(lo, hi); }
};
inline Dot32 dot32(__m256i q, const float* x) {
    const __m128i a = _mm256_castsi256_si128(q), b = _mm256_extracti128_si256(q, 1);
    __m256 lo = _mm256_mul_ps(widen8(a), _mm256_loadu_ps(x));
    lo = _mm256_fmadd_ps(widen8(_mm_unpackhi_epi64(a, a)), _mm256_loadu_ps(x + 8), lo);
    __m256 hi = _mm256_mul_ps(widen8(b), _mm256_loadu_ps(x + 16));
    hi = _mm256_fmadd_ps(widen8(_mm_unpackhi_epi64(b, b)), _mm256_loadu_ps(x + 24), hi);
    return {lo, hi};
}
// 16 bytes of nibbles -> 32 codes: low nibbles first, then high nibbles (ggml's order).
inline __m256i nibbles(const uint8_t* qs) {
    const __m128i raw = load128(qs), m = _mm_set1_epi8(0x0F);
    return _mm256_set_m128i(_mm_and_si128(_mm_srli_epi16(raw, 4), m), _mm_and_si128(raw, m));
}

// Bit i of a 32-bit word as byte i: 0x10 where set, 0 elsewhere (Q5's fifth bit).
inline __m256i fifthBits(const uint8_t* qh) {
    uint32_t bits;
    std::memcpy(&bits, qh, sizeof bits);
    const __m256i spread = _mm256_shuffle_epi8(
        _mm256_set1_epi32(int(bits)),
        _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202, 0x0101010101010101, 0));
    const __m256i bit = _mm256_set1_epi64x(0x8040201008040201);
    const __m256i set = _mm256_cmpeq_epi8(_mm256_and_si256(spread, bit), bit);
    return _mm256_and_si256(set, _mm256_set1_epi8(0x10));
}

// Byte-wise (v >> shift) & mask for 32 bytes.
inline __m256i bitsAt(__m256i v, int shift, int mask) {
    return _mm256_and_si256(_mm256_srli_epi16(v, shift), _mm256_set1_epi8(char(mask)));
}

// ---- one row of each type: sum_c value(w, c) * x[c] ----------------------------------------
// acc: sum of scaled partial dots; accMin: sum of min terms (subtracted or added at the end).

float rowF16(const uint8_t* w, const float* x, const float* /*xs*/, int cols) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    int c = 0;
    for (; c + 16 <= cols; c += 16) {
        acc0 = _mm256_fmadd_ps(_mm256_cvtph_ps(load128(w + 2 * c)), _mm256_loadu_ps(x + c), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_cvtph_ps(load128(w + 2 * c + 16)),
                               _mm256_loadu_ps(x + c + 8), acc1);
    }
    for (; c + 8 <= cols; c += 8)
        acc0 = _mm256_fmadd_ps(_mm256_cvtph_ps(load128(w + 2 * c)), _mm256_loadu_ps(x + c), acc0);
    float sum = hsum(_mm256_add_ps(acc0, acc1));
    for (; c < cols; ++c) sum += ggml::half(w + 2 * c) * x[c];  // scalar tail
    return sum;
}

inline __m256 bf16x8(const uint8_t* p) {
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(load128(p)), 16));
}

float rowBF16(const uint8_t* w, const float* x, const float* /*xs*/, int cols) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    int c = 0;
    for (; c + 16 <= cols; c += 16) {
        acc0 = _mm256_fmadd_ps(bf16x8(w + 2 * c), _mm256_loadu_ps(x + c), acc0);
        acc1 = _mm256_fmadd_ps(bf16x8(w + 2 * c + 16), _mm256_loadu_ps(x + c + 8), acc1);
    }
    for (; c + 8 <= cols; c += 8)
        acc0 = _mm256_fmadd_ps(bf16x8(w + 2 * c), _mm256_loadu_ps(x + c), acc0);
    float sum = hsum(_mm256_add_ps(acc0, acc1));
    for (; c < cols; ++c) {  // scalar tail
        uint16_t h;
        std::memcpy(&h, w + 2 * c, 2);
        const uint32_t bits = uint32_t(h) << 16;
        float v;
        std::memcpy(&v, &bits, 4);
        sum += v * x[c];
    }
    return sum;
}

float rowQ4_0(const uint8_t* w, const float* x, const float* /*xs*/, int cols) {
    __m256 acc = _mm256_setzero_ps();
    for (int b = 0; b < cols / 32; ++b, w += 18, x += 32) {
        const __m256i q = _mm256_sub_epi8(nibbles(w + 2), _mm256_set1_epi8(8));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(halfF16c(w)), dot32(q, x).sum(), acc);
    }
    return hsum(acc);
}

float rowQ4_1(const uint8_t* w, const float* x, const float* xs, int cols) {
    __m256 acc = _mm256_setzero_ps();
    float accMin = 0.0f;
    for (int b = 0; b < cols / 32; ++b, w += 20, x += 32, xs += 2) {
        acc = _mm256_fmadd_ps(_mm256_set1_ps(halfF16c(w)), dot32(nibbles(w + 4), x).sum(), acc);
        accMin += halfF16c(w + 2) * (xs[0] + xs[1]);
    }
    return hsum(acc) + accMin;
}

float rowQ5_0(const uint8_t* w, const float* x, const float* /*xs*/, int cols) {
    __m256 acc = _mm256_setzero_ps();
    for (int b = 0; b < cols / 32; ++b, w += 22, x += 32) {
        const __m256i q = _mm256_sub_epi8(_mm256_or_si256(nibbles(w + 6), fifthBits(w + 2)),
                                          _mm256_set1_epi8(16));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(halfF16c(w)), dot32(q, x).sum(), acc);
    }
    return hsum(acc);
}

float rowQ5_1(const uint8_t* w, const float* x, const float* xs, int cols) {
    __m256 acc = _mm256_setzero_ps();
    float accMin = 0.0f;
    for (int b = 0; b < cols / 32; ++b, w += 24, x += 32, xs += 2) {
        const __m256i q = _mm256_or_si256(nibbles(w + 8), fifthBits(w + 4));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(halfF16c(w)), dot32(q, x).sum(), acc);
        accMin += halfF16c(w + 2) * (xs[0] + xs[1]);
    }
    return hsum(acc) + accMin;
}

float rowQ8_0(const uint8_t* w, const float* x, const float* /*xs*/, int cols) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    int b = 0;
    for (; b + 2 <= cols / 32; b += 2, w += 68, x += 64) {
        acc0 = _mm256_fmadd_ps(_mm256_set1_ps(halfF16c(w)), dot32(load256(w + 2), x).sum(), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_set1_ps(halfF16c(w + 34)),
                               dot32(load256(w + 36), x + 32).sum(), acc1);
    }
    if (b < cols / 32)
        acc0 = _mm256_fmadd_ps(_mm256_set1_ps(halfF16c(w)), dot32(load256(w + 2), x).sum(), acc0);
    return hsum(_mm256_add_ps(acc0, acc1));
}

// k-quant sub-block scales are converted to float 8 at a time (a scalar int-to-float per
// sub-block cost a sixth of the Q4_K kernel's time, through vcvtsi2ss's false dependency).
inline __m256 widenU8(const uint8_t* p) {  // 8 unsigned bytes as 8 floats
    return _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
}
inline __m256 widenI8(const int8_t* p) {  // 8 signed bytes as 8 floats
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
}

// xs: [cols / 16] sums of x over each 16 values.
float rowQ2_K(const uint8_t* w, const float* x, const float* xs, int cols) {
    __m256 acc = _mm256_setzero_ps(), accMin = _mm256_setzero_ps();
    alignas(32) float dl[16];
    for (int b = 0; b < cols / ggml::kQK; ++b, w += 84, x += ggml::kQK, xs += 16) {
        const float d = halfF16c(w + 80), dmin = halfF16c(w + 82);
        alignas(16) uint8_t sc[16], mn[16];
        const __m128i raw = load128(w), nib = _mm_set1_epi8(0x0F);
        _mm_store_si128(reinterpret_cast<__m128i*>(sc), _mm_and_si128(raw, nib));
        _mm_store_si128(reinterpret_cast<__m128i*>(mn), _mm_and_si128(_mm_srli_epi16(raw, 4), nib));
        const __m256 vd = _mm256_set1_ps(d), vmin = _mm256_set1_ps(dmin);
        _mm256_store_ps(dl, _mm256_mul_ps(vd, widenU8(sc)));
        _mm256_store_ps(dl + 8, _mm256_mul_ps(vd, widenU8(sc + 8)));
        // min terms: dmin m_s sum(x over sub-block s)
        accMin = _mm256_fmadd_ps(_mm256_mul_ps(vmin, widenU8(mn)), _mm256_loadu_ps(xs), accMin);
        accMin = _mm256_fmadd_ps(_mm256_mul_ps(vmin, widenU8(mn + 8)), _mm256_loadu_ps(xs + 8), accMin);
        for (int hf = 0; hf < 2; ++hf) {
            const __m256i qv = load256(w + 16 + 32 * hf);
            for (int sh = 0; sh < 4; ++sh) {
                const int s = hf * 8 + sh * 2;  // sub-blocks s (values 0-15) and s + 1
                const Dot32 p = dot32(bitsAt(qv, 2 * sh, 3), x + 16 * s);
                acc = _mm256_fmadd_ps(_mm256_broadcast_ss(dl + s), p.lo, acc);
                acc = _mm256_fmadd_ps(_mm256_broadcast_ss(dl + s + 1), p.hi, acc);
            }
        }
    }
    return hsum(_mm256_sub_ps(acc, accMin));
}

float rowQ3_K(const uint8_t* w, const float* x, const float* /*xs*/, int cols) {
    __m256 acc = _mm256_setzero_ps();
    alignas(32) float dl[16];
    for (int b = 0; b < cols / ggml::kQK; ++b, w += 110, x += ggml::kQK) {
        const __m256i hm = load256(w);
        const float d = halfF16c(w + 108);
        alignas(16) int8_t sc[16];
        for (int s = 0; s < 16; ++s) sc[s] = int8_t(ggml::scaleQ3K(s, w + 96));
        const __m256 vd = _mm256_set1_ps(d);
        _mm256_store_ps(dl, _mm256_mul_ps(vd, widenI8(sc)));
        _mm256_store_ps(dl + 8, _mm256_mul_ps(vd, widenI8(sc + 8)));
        for (int hf = 0; hf < 2; ++hf) {
            const __m256i qv = load256(w + 32 + 32 * hf);
            for (int sh = 0; sh < 4; ++sh) {
                const int s = hf * 8 + sh * 2;
                // q = low - 4 where the hmask bit (hf * 4 + sh) of element l is clear
                const __m256i bit = _mm256_set1_epi8(char(1 << (hf * 4 + sh)));
                const __m256i set = _mm256_cmpeq_epi8(_mm256_and_si256(hm, bit), bit);
                const __m256i q = _mm256_sub_epi8(bitsAt(qv, 2 * sh, 3),
                                                  _mm256_andnot_si256(set, _mm256_set1_epi8(4)));
                const Dot32 p = dot32(q, x + 16 * s);
                acc = _mm256_fmadd_ps(_mm256_broadcast_ss(dl + s), p.lo, acc);
                acc = _mm256_fmadd_ps(_mm256_broadcast_ss(dl + s + 1), p.hi, acc);
            }
        }
    }
    return hsum(acc);
}

// Q4_K and Q5_K: 8 sub-blocks of 32 with a 6-bit scale and min each.
// xs: [cols / 16] sums over 16 values, then [cols / 32] sums over 32 (rows() fills both).
template <bool kFifthBit>
float rowQ45_K(const uint8_t* w, const float* x, const float* xs, int cols) {
    constexpr int kBytes = kFifthBit ? 176 : 144;
    const float* xs32 = xs + cols / 16;
    __m256 acc = _mm256_setzero_ps(), accMin = _mm256_setzero_ps();
    alignas(32) float dl[8];
    for (int b = 0; b < cols / ggml::kQK; ++b, w += kBytes, x += ggml::kQK, xs32 += 8) {
        const float d = halfF16c(w), dmin = halfF16c(w + 2);
        const uint8_t* qs = w + (kFifthBit ? 48 : 16);
        const __m256i qh = kFifthBit ? load256(w + 16) : _mm256_setzero_si256();
        alignas(8) uint8_t sc[8], mn[8];
        for (int s = 0; s < 8; ++s) ggml::scaleMinK4(s, w + 4, sc[s], mn[s]);
        _mm256_store_ps(dl, _mm256_mul_ps(_mm256_set1_ps(d), widenU8(sc)));
        accMin = _mm256_fmadd_ps(_mm256_mul_ps(_mm256_set1_ps(dmin), widenU8(mn)),
                                 _mm256_loadu_ps(xs32), accMin);
        for (int s = 0; s < 8; ++s) {
            __m256i q = bitsAt(load256(qs + 32 * (s / 2)), 4 * (s % 2), 0x0F);
            if constexpr (kFifthBit) {
                const __m256i bit = _mm256_set1_epi8(char(1 << s));
                const __m256i set = _mm256_cmpeq_epi8(_mm256_and_si256(qh, bit), bit);
                q = _mm256_or_si256(q, _mm256_and_si256(set, _mm256_set1_epi8(0x10)));
            }
            acc = _mm256_fmadd_ps(_mm256_broadcast_ss(dl + s), dot32(q, x + 32 * s).sum(), acc);
        }
    }
    return hsum(_mm256_sub_ps(acc, accMin));
}

float rowQ6_K(const uint8_t* w, const float* x, const float* /*xs*/, int cols) {
    __m256 acc = _mm256_setzero_ps();
    alignas(32) float dl[16];
    for (int b = 0; b < cols / ggml::kQK; ++b, w += 210, x += ggml::kQK) {
        const int8_t* scales = reinterpret_cast<const int8_t*>(w + 192);
        const __m256 vd = _mm256_set1_ps(halfF16c(w + 208));
        _mm256_store_ps(dl, _mm256_mul_ps(vd, widenI8(scales)));
        _mm256_store_ps(dl + 8, _mm256_mul_ps(vd, widenI8(scales + 8)));
        for (int hf = 0; hf < 2; ++hf) {
            const __m256i qh = load256(w + 128 + 32 * hf);
            for (int j = 0; j < 4; ++j) {
                // values hf * 128 + j * 32 + l: nibble (j / 2) of ql[hf * 64 + (j % 2) * 32 + l],
                // bits 2 j of qh[hf * 32 + l]
                const __m256i lo = bitsAt(load256(w + 64 * hf + 32 * (j % 2)), 4 * (j / 2), 0x0F);
                const __m256i hi = _mm256_slli_epi16(bitsAt(qh, 2 * j, 3), 4);
                const __m256i q = _mm256_sub_epi8(_mm256_or_si256(lo, hi), _mm256_set1_epi8(32));
                const int s = hf * 8 + j * 2;
                const Dot32 p = dot32(q, x + 16 * s);
                acc = _mm256_fmadd_ps(_mm256_broadcast_ss(dl + s), p.lo, acc);
                acc = _mm256_fmadd_ps(_mm256_broadcast_ss(dl + s + 1), p.hi, acc);
            }
        }
    }
    return hsum(acc);
}

// xs: [cols / 16] sums of x over each 16 values, then [cols / 32] over each 32, for the min
// terms (computed once per call, not per row).
using RowFn = float (*)(const uint8_t*, const float*, const float*, int);

template <RowFn Row, bool kMins = false>
void rows(float* y, const uint8_t* W, size_t rowBytes, const float* x, int nRows, int cols) {
    thread_local std::vector<float> sums;
    sums.assign(size_t(cols / 16 + cols / 32), 0.0f);
    if (kMins) {
        for (int g = 0; g < cols / 16; ++g)
            for (int k = 0; k < 16; ++k) sums[size_t(g)] += x[16 * g + k];
        for (int g = 0; g < cols / 32; ++g)
            sums[size_t(cols / 16 + g)] = sums[size_t(2 * g)] + sums[size_t(2 * g + 1)];
    }
    for (int r = 0; r < nRows; ++r) y[r] = Row(W + size_t(r) * rowBytes, x, sums.data(), cols);
}

}  // namespace

namespace detail {
// One row at a time: a single sequential stream of blocks, as the float matvec.
void matvecBlocksAvx2(GgmlType type, float* y, const uint8_t* W, const float* x, int nRows,
                      int cols) {
    assert(nRows >= 0 && cols >= 0);
    const size_t rb = ggmlRowBytes(type, cols);
    switch (type) {
        case GgmlType::F16: return rows<rowF16>(y, W, rb, x, nRows, cols);
        case GgmlType::BF16: return rows<rowBF16>(y, W, rb, x, nRows, cols);
        case GgmlType::Q4_0: return rows<rowQ4_0>(y, W, rb, x, nRows, cols);
        case GgmlType::Q4_1: return rows<rowQ4_1, true>(y, W, rb, x, nRows, cols);
        case GgmlType::Q5_0: return rows<rowQ5_0>(y, W, rb, x, nRows, cols);
        case GgmlType::Q5_1: return rows<rowQ5_1, true>(y, W, rb, x, nRows, cols);
        case GgmlType::Q8_0: return rows<rowQ8_0>(y, W, rb, x, nRows, cols);
        case GgmlType::Q2_K: return rows<rowQ2_K, true>(y, W, rb, x, nRows, cols);
        case GgmlType::Q3_K: return rows<rowQ3_K>(y, W, rb, x, nRows, cols);
        case GgmlType::Q4_K: return rows<rowQ45_K<false>, true>(y, W, rb, x, nRows, cols);
        case GgmlType::Q5_K: return rows<rowQ45_K<true>, true>(y, W, rb, x, nRows, cols);
        case GgmlType::Q6_K: return rows<rowQ6_K>(y, W, rb, x, nRows, cols);
        default: assert(false && "matvecBlocks: type not supported (the loader refuses it)");
    }
}

// F16 through F16C (exact, subnormals included); every other type is the scalar dequantizer,
// whose float products and sums must not be contracted into FMAs (this file is built with FMA).
void dequantizeAvx2(GgmlType type, float* out, const uint8_t* in, size_t n) {
    if (type != GgmlType::F16) return ggml::dequantize(type, out, in, n);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, _mm256_cvtph_ps(load128(in + 2 * i)));
    for (; i < n; ++i) out[i] = ggml::half(in + 2 * i);  // scalar tail
}
}  // namespace detail

}  // namespace anatomy::kernels
