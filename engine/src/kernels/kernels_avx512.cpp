// AVX-512 kernels (16 float lanes). Built with -mavx512f/bw/vl/dq -mfma; only reached through
// avx512Kernels(), which checks the CPU first. Column tails use masked loads, so any width works.
#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "anatomy/kernels.h"
#include "kernels/fast_exp.h"
#include "kernels/libm_expf.h"
#include "kernels/top_k.h"

namespace anatomy::kernels {
namespace detail {
extern const KernelTable kAvx512Table;
extern const KernelTable kAvx512VnniTable;
// Q8_0: the AVX2 kernel (kernels_avx2.cpp) without VNNI, matvecQ8_0Avx512Vnni with it.
void matvecQ8_0Avx2(float* y, const uint8_t* W, const int8_t* xq, const float* xd, int rows,
                    int nBlocks);
// So are the ggml block kernels (kernels_ggml_avx2.cpp) with float activations: decode is
// bound by memory there.
void matvecBlocksAvx2(GgmlType type, float* y, const uint8_t* W, const float* x, int rows,
                      int cols);
void dequantizeAvx2(GgmlType type, float* out, const uint8_t* blocks, size_t n);
void matvecQ8_KAvx2(GgmlType type, float* y, const uint8_t* W, const int8_t* xq, const float* xd,
                    const int16_t* xsums, int rows, int nBlocks);  // kernels_kquant_avx2.cpp
void quantizeQ8_KAvx2(int8_t* xq, float* xd, int16_t* xsums, const float* x, int n);
// Q4_K and Q6_K x Q8_K with vpdpbusd (kernels_kquant_avx512.cpp), for the CPUs with AVX-512 VNNI.
void matvecQ8_KAvx512Vnni(GgmlType type, float* y, const uint8_t* W, const int8_t* xq,
                          const float* xd, const int16_t* xsums, int rows, int nBlocks);
// Q8_0 x Q8_0 with vpdpbusd (kernels_kquant_avx512.cpp): the AVX2 kernel's bits.
void matvecQ8_0Avx512Vnni(float* y, const uint8_t* W, const int8_t* xq, const float* xd, int rows,
                          int nBlocks);
}  // namespace detail
namespace {

constexpr int kLanes = 16;

// The low n lanes (n in [0, 16]).
inline __mmask16 tailMask(int n) { return static_cast<__mmask16>((1u << n) - 1u); }

// Sum of the 16 lanes. Written with full-mask forms because GCC 12's unmasked shuffles,
// extracts and _mm512_reduce_add_ps trip -Wuninitialized inside its own headers.
constexpr __mmask16 kAll = 0xFFFF;

// The 16 lanes combined pairwise, halves, then quarters, pairs and neighbours: the tree every
// lane sum here takes (transposeSum16 keeps it too).
template <class Combine>
inline float reduceLanes(__m512 v, Combine combine) {
    v = combine(v, _mm512_mask_shuffle_f32x4(v, kAll, v, v, _MM_SHUFFLE(1, 0, 3, 2)));
    v = combine(v, _mm512_mask_shuffle_f32x4(v, kAll, v, v, _MM_SHUFFLE(2, 3, 0, 1)));
    v = combine(v, _mm512_mask_permute_ps(v, kAll, v, _MM_SHUFFLE(1, 0, 3, 2)));
    v = combine(v, _mm512_mask_permute_ps(v, kAll, v, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm512_cvtss_f32(v);
}

inline float hsum(__m512 v) {
    return reduceLanes(v, [](__m512 a, __m512 b) { return _mm512_add_ps(a, b); });
}

// The lane max, NaN-free lanes (max is exact in any order). GCC 12's unmasked _mm512_max_ps
// and _mm512_reduce_max_ps read an undefined vector (-Wuninitialized): the masked forms instead.
inline __m512 maxLanes(__m512 a, __m512 b) { return _mm512_mask_max_ps(a, kAll, a, b); }
inline float hmax(__m512 v) { return reduceLanes(v, maxLanes); }

inline int32_t hsum(__m512i v) {
    v = _mm512_add_epi32(v, _mm512_mask_shuffle_i32x4(v, kAll, v, v, _MM_SHUFFLE(1, 0, 3, 2)));
    v = _mm512_add_epi32(v, _mm512_mask_shuffle_i32x4(v, kAll, v, v, _MM_SHUFFLE(2, 3, 0, 1)));
    v = _mm512_add_epi32(v, _mm512_mask_shuffle_epi32(v, kAll, v, _MM_PERM_BADC));
    v = _mm512_add_epi32(v, _mm512_mask_shuffle_epi32(v, kAll, v, _MM_PERM_CDAB));
    return _mm512_cvtsi512_si32(v);
}

// ---- matvec: y[r] = sum_c W[r, c] * x[c] ---------------------------------------------------
// Memory-bound: W is streamed once, one row after the other, so the hardware prefetcher sees a
// single sequential stream (as run.c's plain loop does). Measured on an AMD EPYC (AVX2, rotating
// 256+ MB of weights): rows 768 x 768 at 16-26 GB/s one row at a time, 8-16 GB/s with 2, 4 or 8
// rows interleaved, and software prefetch 256-1024 bytes ahead no better or worse (both removed).
// This AVX-512 twin reads 1 or 4 rows a pass, as avx512MatvecRows() chose for the CPU. On an AMD
// Zen 5 (family 26; 4 December 2026) one row at a time decoded random-weight stories110M at 75
// tok/s (1 thread) against 89-91 with 4 rows and 89-91 for the AVX2 table's one row (its 4 rows:
// 80-82); on a Zen 4 (family 25, model 17; 7 December) 4 rows decoded 42M at 62-69 tok/s against
// 115-149 with one, in interleaved runs. On an Intel Xeon (family 6, model 167; 8 December) the
// hardware prefetcher alone left one stream latency-bound (42M: 70 tok/s), and prefetching each
// row 2048 bytes ahead into L1 gave 86: matvecPrefetch() (kernels.h) turns it on off AMD.
// Two accumulators (even and odd 16-column chunks) keep enough FMAs in flight; NR rows at once
// remain available for cache-resident callers. Every y[r] is summed in the same order whatever NR.
template <int NR>
inline void matvecRows(float* y, const float* W, long ldw, const float* x, int cols, int prefetch) {
    __m512 acc0[NR], acc1[NR];
#pragma GCC unroll 8
    for (int r = 0; r < NR; ++r) acc0[r] = acc1[r] = _mm512_setzero_ps();
    int c = 0;
    for (; c + 2 * kLanes <= cols; c += 2 * kLanes) {
        const __m512 x0 = _mm512_loadu_ps(x + c);
        const __m512 x1 = _mm512_loadu_ps(x + c + kLanes);
#pragma GCC unroll 8
        for (int r = 0; r < NR; ++r) {
            if (prefetch) {  // the two lines this pass reads, prefetch bytes further on, into L1 (never faults)
                const char* ahead = reinterpret_cast<const char*>(W + r * ldw + c) + prefetch;
                _mm_prefetch(ahead, _MM_HINT_T0);
                _mm_prefetch(ahead + 64, _MM_HINT_T0);
            }
            acc0[r] = _mm512_fmadd_ps(_mm512_loadu_ps(W + r * ldw + c), x0, acc0[r]);
            acc1[r] = _mm512_fmadd_ps(_mm512_loadu_ps(W + r * ldw + c + kLanes), x1, acc1[r]);
        }
    }
    if (c + kLanes <= cols) {
        const __m512 x0 = _mm512_loadu_ps(x + c);
#pragma GCC unroll 8
        for (int r = 0; r < NR; ++r)
            acc0[r] = _mm512_fmadd_ps(_mm512_loadu_ps(W + r * ldw + c), x0, acc0[r]);
        c += kLanes;
    }
    if (c < cols) {  // tail: fewer than 16 columns, masked lanes read as zero
        const __mmask16 m = tailMask(cols - c);
        const __m512 x0 = _mm512_maskz_loadu_ps(m, x + c);
#pragma GCC unroll 8
        for (int r = 0; r < NR; ++r)
            acc1[r] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, W + r * ldw + c), x0, acc1[r]);
    }
#pragma GCC unroll 8
    for (int r = 0; r < NR; ++r) y[r] = hsum(_mm512_add_ps(acc0[r], acc1[r]));
}

void matvecAvx512(float* y, const float* W, const float* x, int rows, int cols) {
    assert(rows >= 0 && cols >= 0);
    int r = 0;
    const int prefetch = matvecPrefetch() ? kFloatPrefetchBytes : 0;
    if (avx512MatvecRows() == 4)
        for (; r + 4 <= rows; r += 4) matvecRows<4>(y + r, W + long(r) * cols, cols, x, cols, prefetch);
    for (; r < rows; ++r) matvecRows<1>(y + r, W + long(r) * cols, cols, x, cols, prefetch);
}

// ---- gemm: Y[t, r] = sum_c X[t, c] * W[r, c] -----------------------------------------------
// Register tile of NT tokens x NR rows: NT*NR accumulators of 16 lanes run along the shared
// column dimension (4 x 6 = 24 of the 32 zmm registers), each loaded X vector feeds NR FMAs and
// each W vector NT FMAs. Lanes are reduced once per tile and column block.
constexpr int kTileTok = 4;
constexpr int kTileRows = 6;

// Transposing reduction: lane m of the result is the lane sum of v[m], for 16 vectors at once,
// in 15 adds instead of 16 separate reductions. Each level halves the vector count and adds
// lane groups of half the width: 256-bit halves, 128-bit quarters, lane pairs, single lanes.
// Every vector's lanes are summed in the same tree as hsum(), whatever its position.
template <int kLo, int kHi>
inline __m512 addHalves(__m512 a, __m512 b) {
    return _mm512_add_ps(_mm512_mask_shuffle_f32x4(a, kAll, a, b, kLo),
                         _mm512_mask_shuffle_f32x4(a, kAll, a, b, kHi));
}
template <int kLo, int kHi>
inline __m512 addLanes(__m512 a, __m512 b) {
    return _mm512_add_ps(_mm512_mask_shuffle_ps(a, kAll, a, b, kLo),
                         _mm512_mask_shuffle_ps(a, kAll, a, b, kHi));
}

// in[i] must hold the vector whose sum belongs in lane 4 * (i % 4) + i / 4.
inline __m512 transposeSum16(const __m512* in) {
    __m512 p[8], q[4], r[2];
    constexpr int kLow = _MM_SHUFFLE(1, 0, 1, 0), kHigh = _MM_SHUFFLE(3, 2, 3, 2);
    constexpr int kEven = _MM_SHUFFLE(2, 0, 2, 0), kOdd = _MM_SHUFFLE(3, 1, 3, 1);
#pragma GCC unroll 8
    for (int k = 0; k < 8; ++k)  // [a.lo256 + a.hi256 | b.lo256 + b.hi256]
        p[k] = addHalves<kLow, kHigh>(in[2 * k], in[2 * k + 1]);
#pragma GCC unroll 4
    for (int k = 0; k < 4; ++k)  // one 128-bit quarter of partial sums per vector
        q[k] = addHalves<kEven, kOdd>(p[2 * k], p[2 * k + 1]);
#pragma GCC unroll 2
    for (int k = 0; k < 2; ++k)  // two lanes per vector
        r[k] = addLanes<kLow, kHigh>(q[2 * k], q[2 * k + 1]);
    return addLanes<kEven, kOdd>(r[0], r[1]);
}

// Y[t, r] (+)= lane sum of acc[t][r] for the NT x NR tile.
template <int NT, int NR>
inline void storeTile(float* Y, int ldy, const __m512 (&acc)[NT][NR], bool accumulate) {
    constexpr int kN = NT * NR;
    constexpr int kGroups = (kN + 15) / 16;
    __m512 sums[kGroups];  // lane m of group g: tile element g * 16 + m, row-major (t, r)
#pragma GCC unroll 2
    for (int g = 0; g < kGroups; ++g) {
        __m512 in[16];
#pragma GCC unroll 16
        for (int i = 0; i < 16; ++i) {
            const int m = g * 16 + 4 * (i % 4) + i / 4;
            in[i] = m < kN ? acc[m / NR][m % NR] : _mm512_setzero_ps();
        }
        sums[g] = transposeSum16(in);
    }
    const __mmask16 rowMask = tailMask(NR);
    const __m512i iota = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
#pragma GCC unroll 8
    for (int t = 0; t < NT; ++t) {
        // Token t's NR sums start at lane t * NR and may run into the next group.
        const int first = t * NR, g = first / 16;
        const __m512i idx = _mm512_add_epi32(iota, _mm512_set1_epi32(first - g * 16));
        __m512 s = _mm512_permutex2var_ps(sums[g], idx, sums[std::min(g + 1, kGroups - 1)]);
        float* y = Y + long(t) * ldy;
        if (accumulate) s = _mm512_add_ps(s, _mm512_maskz_loadu_ps(rowMask, y));
        _mm512_mask_storeu_ps(y, rowMask, s);
    }
}

template <int NT, int NR>
void gemmTile(float* Y, int ldy, const float* X, int ldx, const float* W, int ldw, int kc,
              bool accumulate) {
    __m512 acc[NT][NR];
#pragma GCC unroll 8
    for (int t = 0; t < NT; ++t)
#pragma GCC unroll 8
        for (int r = 0; r < NR; ++r) acc[t][r] = _mm512_setzero_ps();

    int c = 0;
    for (; c + kLanes <= kc; c += kLanes) {
        __m512 x[NT];
#pragma GCC unroll 8
        for (int t = 0; t < NT; ++t) x[t] = _mm512_loadu_ps(X + long(t) * ldx + c);
#pragma GCC unroll 8
        for (int r = 0; r < NR; ++r) {
            const __m512 w = _mm512_loadu_ps(W + long(r) * ldw + c);
#pragma GCC unroll 8
            for (int t = 0; t < NT; ++t) acc[t][r] = _mm512_fmadd_ps(x[t], w, acc[t][r]);
        }
    }
    if (c < kc) {  // tail: fewer than 16 columns, masked lanes read as zero
        const __mmask16 m = tailMask(kc - c);
        __m512 x[NT];
#pragma GCC unroll 8
        for (int t = 0; t < NT; ++t) x[t] = _mm512_maskz_loadu_ps(m, X + long(t) * ldx + c);
#pragma GCC unroll 8
        for (int r = 0; r < NR; ++r) {
            const __m512 w = _mm512_maskz_loadu_ps(m, W + long(r) * ldw + c);
#pragma GCC unroll 8
            for (int t = 0; t < NT; ++t) acc[t][r] = _mm512_fmadd_ps(x[t], w, acc[t][r]);
        }
    }

    storeTile<NT, NR>(Y, ldy, acc, accumulate);
}

using TileFn = void (*)(float*, int, const float*, int, const float*, int, int, bool);

// kTiles[nt - 1][nr - 1] = gemmTile<nt, nr>: edge tiles get their own unrolled instance.
template <int NT, int... NRs>
constexpr std::array<TileFn, kTileRows> tileRow(std::integer_sequence<int, NRs...>) {
    return {gemmTile<NT, NRs + 1>...};
}
template <int... NTs>
constexpr std::array<std::array<TileFn, kTileRows>, kTileTok> tileTable(
    std::integer_sequence<int, NTs...>) {
    return {tileRow<NTs + 1>(std::make_integer_sequence<int, kTileRows>{})...};
}
constexpr auto kTiles = tileTable(std::make_integer_sequence<int, kTileTok>{});

// Cache blocking: a block of W rows x kc columns stays in L1 while a block of kTokBlock tokens
// x kc columns of X stays in L2. Column blocks are multiples of 16 so only the last has a tail.
// The X block is copied to an aligned per-thread buffer whose row stride is not a multiple of
// 4 KiB: with 2048-wide rows every X row would otherwise map to the same L1 sets (measured with
// AVX-512: 128 x 768 x 2048 from 181 to 230 GFLOP/s). The copy is reused by every row tile.
constexpr int kMaxColBlock = 1024;
constexpr int kTokBlock = 64;

// Per-thread scratch of at least n floats, 64-byte aligned; grows, never shrinks.
float* packBuffer(size_t n) {
    thread_local std::vector<float> buffer;
    if (buffer.size() < n + 16) buffer.resize(n + 16);
    const std::uintptr_t address = reinterpret_cast<std::uintptr_t>(buffer.data());
    return buffer.data() + (64 - address % 64) % 64 / sizeof(float);
}

void gemmAvx512(float* Y, int ldy, const float* X, int ldx, const float* W, int nTok, int rows,
                int cols) {
    assert(nTok >= 0 && rows >= 0 && cols >= 0 && ldx >= cols && ldy >= rows);
    if (cols == 0) {
        for (int t = 0; t < nTok; ++t) std::fill_n(Y + long(t) * ldy, rows, 0.0f);
        return;
    }
    const int nColBlocks = (cols + kMaxColBlock - 1) / kMaxColBlock;
    const int colBlock = ((cols + nColBlocks - 1) / nColBlocks + kLanes - 1) / kLanes * kLanes;
    int ldp = colBlock + 16;  // packed row stride, in floats (64-byte multiple, not 4 KiB)
    if (ldp % 1024 == 0) ldp += 16;
    float* packed = packBuffer(size_t(std::min(nTok, kTokBlock)) * ldp);  // [tn, ldp]
    for (int t0 = 0; t0 < nTok; t0 += kTokBlock) {
        const int tn = std::min(kTokBlock, nTok - t0);
        for (int c0 = 0; c0 < cols; c0 += colBlock) {
            const int kc = std::min(colBlock, cols - c0);
            for (int t = 0; t < tn; ++t)
                std::memcpy(packed + long(t) * ldp, X + long(t0 + t) * ldx + c0,
                            sizeof(float) * kc);
            for (int r0 = 0; r0 < rows; r0 += kTileRows) {
                const int nr = std::min(kTileRows, rows - r0);
                for (int t = 0; t < tn; t += kTileTok) {
                    const int nt = std::min(kTileTok, tn - t);
                    kTiles[nt - 1][nr - 1](Y + long(t0 + t) * ldy + r0, ldy,
                                           packed + long(t) * ldp, ldp,
                                           W + long(r0) * cols + c0, cols, kc, c0 > 0);
                }
            }
        }
    }
}

// ---- vector helpers ------------------------------------------------------------------------
float dotAvx512(const float* a, const float* b, int n) {
    assert(n >= 0);
    __m512 acc0 = _mm512_setzero_ps(), acc1 = _mm512_setzero_ps();
    __m512 acc2 = _mm512_setzero_ps(), acc3 = _mm512_setzero_ps();
    int i = 0;
    for (; i + 4 * kLanes <= n; i += 4 * kLanes) {
        acc0 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), acc0);
        acc1 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), acc1);
        acc2 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 32), _mm512_loadu_ps(b + i + 32), acc2);
        acc3 = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 48), _mm512_loadu_ps(b + i + 48), acc3);
    }
    for (; i < n; i += kLanes) {  // up to three full chunks, then a masked tail
        const __mmask16 m = tailMask(std::min(kLanes, n - i));
        acc0 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, a + i), _mm512_maskz_loadu_ps(m, b + i),
                               acc0);
    }
    return hsum(
        _mm512_add_ps(_mm512_add_ps(acc0, acc1), _mm512_add_ps(acc2, acc3)));
}

void axpyAvx512(float* y, float alpha, const float* x, int n) {
    assert(n >= 0);
    const __m512 a = _mm512_set1_ps(alpha);
    int i = 0;
    for (; i + kLanes <= n; i += kLanes)
        _mm512_storeu_ps(y + i, _mm512_fmadd_ps(a, _mm512_loadu_ps(x + i), _mm512_loadu_ps(y + i)));
    if (i < n) {
        const __mmask16 m = tailMask(n - i);
        const __m512 v =
            _mm512_fmadd_ps(a, _mm512_maskz_loadu_ps(m, x + i), _mm512_maskz_loadu_ps(m, y + i));
        _mm512_mask_storeu_ps(y + i, m, v);
    }
}

// ---- attention rows against a head's transposed keys and values ------------------------
// Scores of 64 keys at a time in four accumulators, each dimension's query value broadcast
// once for them, a masked tail of 16; the max as scaleMaxRow takes it (x > m ? x : m, which is
// vmaxps's rule with x first: NaNs skipped).
float scoreRowTAvx512(float* row, const float* q, const float* kT, int ldk, int hs, int n, float divisor) {
    assert(n >= 0 && hs >= 0 && ldk >= n);
    const __m512 d = _mm512_set1_ps(divisor);
    __m512 mx = _mm512_set1_ps(-3.4e38f);
    int j = 0;
    for (; j + 4 * kLanes <= n; j += 4 * kLanes) {
        __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        const float* k = kT + j;
        for (int i = 0; i < hs; ++i, k += ldk) {
            const __m512 qi = _mm512_set1_ps(q[i]);
            a0 = _mm512_fmadd_ps(qi, _mm512_loadu_ps(k), a0);
            a1 = _mm512_fmadd_ps(qi, _mm512_loadu_ps(k + 16), a1);
            a2 = _mm512_fmadd_ps(qi, _mm512_loadu_ps(k + 32), a2);
            a3 = _mm512_fmadd_ps(qi, _mm512_loadu_ps(k + 48), a3);
        }
        a0 = _mm512_div_ps(a0, d), a1 = _mm512_div_ps(a1, d);
        a2 = _mm512_div_ps(a2, d), a3 = _mm512_div_ps(a3, d);
        _mm512_storeu_ps(row + j, a0), _mm512_storeu_ps(row + j + 16, a1);
        _mm512_storeu_ps(row + j + 32, a2), _mm512_storeu_ps(row + j + 48, a3);
        mx = maxLanes(a0, mx), mx = maxLanes(a1, mx);
        mx = maxLanes(a2, mx), mx = maxLanes(a3, mx);
    }
    for (; j < n; j += kLanes) {
        const __mmask16 m = tailMask(std::min(kLanes, n - j));
        __m512 a = _mm512_setzero_ps();
        for (int i = 0; i < hs; ++i)
            a = _mm512_fmadd_ps(_mm512_set1_ps(q[i]), _mm512_maskz_loadu_ps(m, kT + long(i) * ldk + j), a);
        a = _mm512_div_ps(a, d);
        _mm512_mask_storeu_ps(row + j, m, a);
        mx = _mm512_mask_max_ps(mx, m, a, mx);
    }
    return hmax(mx);
}

// out[0, M) for M dimensions of vT: dotAvx512(p, vT row, n) for each, its very sums (four
// accumulators a dimension along 64 keys, the rest of the keys 16 at a time into the first,
// masked, then (a0 + a1) + (a2 + a3) reduced in hsum's tree, which transposeSum16 keeps), with
// each block of p loaded once for the M dimensions instead of once per dimension.
template <int M>
inline void valueDimsAvx512(float* out, const float* p, const float* vT, int ldv, int n) {
    __m512 a0[M], a1[M], a2[M], a3[M];
#pragma GCC unroll 4
    for (int i = 0; i < M; ++i) a0[i] = a1[i] = a2[i] = a3[i] = _mm512_setzero_ps();
    int j = 0;
    for (; j + 4 * kLanes <= n; j += 4 * kLanes) {
        const __m512 p0 = _mm512_loadu_ps(p + j), p1 = _mm512_loadu_ps(p + j + 16);
        const __m512 p2 = _mm512_loadu_ps(p + j + 32), p3 = _mm512_loadu_ps(p + j + 48);
#pragma GCC unroll 4
        for (int i = 0; i < M; ++i) {
            const float* v = vT + long(i) * ldv + j;
            a0[i] = _mm512_fmadd_ps(p0, _mm512_loadu_ps(v), a0[i]);
            a1[i] = _mm512_fmadd_ps(p1, _mm512_loadu_ps(v + 16), a1[i]);
            a2[i] = _mm512_fmadd_ps(p2, _mm512_loadu_ps(v + 32), a2[i]);
            a3[i] = _mm512_fmadd_ps(p3, _mm512_loadu_ps(v + 48), a3[i]);
        }
    }
    for (; j < n; j += kLanes) {
        const __mmask16 m = tailMask(std::min(kLanes, n - j));
        const __m512 pj = _mm512_maskz_loadu_ps(m, p + j);
#pragma GCC unroll 4
        for (int i = 0; i < M; ++i)
            a0[i] = _mm512_fmadd_ps(pj, _mm512_maskz_loadu_ps(m, vT + long(i) * ldv + j), a0[i]);
    }
    __m512 in[16];
#pragma GCC unroll 16
    for (int i = 0; i < 16; ++i) {
        const int m = 4 * (i % 4) + i / 4;  // transposeSum16's lane order
        in[i] = m < M ? _mm512_add_ps(_mm512_add_ps(a0[m], a1[m]), _mm512_add_ps(a2[m], a3[m]))
                      : _mm512_setzero_ps();
    }
    _mm512_mask_storeu_ps(out, tailMask(M), transposeSum16(in));
}

void valueRowTAvx512(float* out, const float* p, const float* vT, int ldv, int hs, int n) {
    assert(n >= 0 && hs >= 0 && ldv >= n);
    int i = 0;
    for (; i + 4 <= hs; i += 4) valueDimsAvx512<4>(out + i, p, vT + long(i) * ldv, ldv, n);
    for (; i < hs; ++i) out[i] = dotAvx512(p, vT + long(i) * ldv, n);
}

// fastExpf of 16 lanes, operation for operation as GCC vectorises it at 8 lanes for this
// table's softmax rows (fast_exp.h): n = fma(clamp(x), log2e, 1.5 2^23) - 1.5 2^23, r = (x - n
// ln2hi) - n ln2lo without fusing, the polynomial by fused steps, 2^n from the exponent bits;
// lanes below -87 give 0, a NaN stays NaN. The same bits as the 8-lane loop (tested against the
// AVX2 table, whose loop is that code). Masked forms keep GCC from fusing the separate steps.
inline __m512 expLanes(__m512 x) {
    const __m512 lo = _mm512_set1_ps(-87.0f), hi = _mm512_set1_ps(88.0f);
    // max and min pass their second operand for a NaN: a NaN lane is clamped to -87 here.
    const __m512 clamped = _mm512_mask_min_ps(x, kAll, _mm512_mask_max_ps(x, kAll, x, lo), hi);
    const __m512 v = _mm512_mask_mov_ps(clamped, _mm512_cmp_ps_mask(x, x, _CMP_UNORD_Q), x);
    const __m512 shifter = _mm512_set1_ps(12582912.0f);
    const __m512 nf = _mm512_mask_sub_ps(x, kAll, _mm512_fmadd_ps(clamped, _mm512_set1_ps(1.44269504f), shifter), shifter);
    __m512 r = _mm512_mask_sub_ps(x, kAll, v, _mm512_mask_mul_ps(x, kAll, nf, _mm512_set1_ps(0.693359375f)));
    r = _mm512_mask_sub_ps(x, kAll, r, _mm512_mask_mul_ps(x, kAll, nf, _mm512_set1_ps(-2.12194440e-4f)));
    __m512 p = _mm512_fmadd_ps(_mm512_set1_ps(1.0f / 720.0f), r, _mm512_set1_ps(1.0f / 120.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 24.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 6.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
    const __m512i n = _mm512_add_epi32(_mm512_mask_cvttps_epi32(_mm512_setzero_si512(), kAll, nf), _mm512_set1_epi32(127));
    const __m512 scale = _mm512_castsi512_ps(_mm512_mask_slli_epi32(n, kAll, n, 23));
    return _mm512_maskz_mul_ps(_mm512_cmp_ps_mask(x, lo, _CMP_NLT_UQ), p, scale);
}

// The 8-lane halves (masked extracts: GCC 12's cast and unmasked extract read an undefined
// vector, -Wmaybe-uninitialized).
template <int kHalf>
inline __m256 half8(__m512 v) {
    return _mm256_castpd_ps(_mm512_mask_extractf64x4_pd(_mm256_setzero_pd(), 0xF, _mm512_castps_pd(v), kHalf));
}
inline __m256 low8(__m512 v) { return half8<0>(v); }
inline __m256 high8(__m512 v) { return half8<1>(v); }

// The softmax rows of fast_exp.h (expShiftSum, expNormalizeRow, expNormalizeEntropyRow) 16
// exps at a time, each half added into the same eight partial sums in the same order: row
// elements i, i + 8, ... into partial i % 8, the last n % 8 one by one into a sum from 0, then
// the partials 0..7 into it. With the entropy, the dot of e and d = x - max likewise (fused in
// the partials, as the 8-lane loop is; its last n % 8 terms rounded, then added: the entropy
// may differ from the 8-lane loop's in its last bits, which GCC rounds either way by path).
template <bool kEntropy>
float expNormalizeRow16(float* x, int n, float max) {
    assert(n >= 0);
    const __m512 m = _mm512_set1_ps(max);
    __m256 acc = _mm256_setzero_ps(), dacc = _mm256_setzero_ps();
    int i = 0;
    for (; i + 2 * 8 <= n; i += 2 * 8) {
        const __m512 d = _mm512_sub_ps(_mm512_loadu_ps(x + i), m);
        const __m512 e = expLanes(d);
        _mm512_storeu_ps(x + i, e);
        acc = _mm256_add_ps(_mm256_add_ps(acc, low8(e)), high8(e));
        if constexpr (kEntropy)
            dacc = _mm256_fmadd_ps(high8(e), high8(d), _mm256_fmadd_ps(low8(e), low8(d), dacc));
    }
    float sum = 0.0f, dot = 0.0f;
    if (i < n) {  // up to 15 left: one more partial step of 8, then the last n % 8
        const __mmask16 t = tailMask(n - i);
        const __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(t, x + i), m);
        const __m512 e = _mm512_maskz_mov_ps(t, expLanes(d));
        _mm512_mask_storeu_ps(x + i, t, e);
        alignas(64) float es[16], ds[16];
        _mm512_store_ps(es, e);
        _mm512_store_ps(ds, d);
        int j = 0;
        if (n - i >= 8) {
            acc = _mm256_add_ps(acc, low8(e));
            if constexpr (kEntropy) dacc = _mm256_fmadd_ps(low8(e), low8(d), dacc);
            j = 8;
        }
        for (; j < n - i; ++j) {
            sum += es[j];
            if constexpr (kEntropy) dot = _mm_cvtss_f32(_mm_add_ss(_mm_set_ss(dot), _mm_mul_ss(_mm_set_ss(es[j]), _mm_set_ss(ds[j]))));
        }
    }
    alignas(32) float partial[8], dpartial[8];
    _mm256_store_ps(partial, acc);
    _mm256_store_ps(dpartial, dacc);
    for (float a : dpartial) dot += a;
    for (float a : partial) sum += a;
    const float inv = 1.0f / sum;
    const __m512 vinv = _mm512_set1_ps(inv);
    int j = 0;
    for (; j + 16 <= n; j += 16) _mm512_storeu_ps(x + j, _mm512_mul_ps(_mm512_loadu_ps(x + j), vinv));
    if (j < n) {
        const __mmask16 t = tailMask(n - j);
        _mm512_mask_storeu_ps(x + j, t, _mm512_maskz_mul_ps(t, _mm512_maskz_loadu_ps(t, x + j), vinv));
    }
    if constexpr (kEntropy) return std::max(std::log(sum) - dot * inv, 0.0f);
    return sum;
}

// sum_i exp(x[i] - max): four 16-lane partial sums (the lens's normaliser reads 2,560 rows a
// trace; the eight-partial loop every softmax shares ran at a quarter of this width).
float expSumAvx512(const float* x, int n, float max) {
    assert(n >= 0);
    const __m512 m = _mm512_set1_ps(max);
    __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    int i = 0;
    for (; i + 4 * kLanes <= n; i += 4 * kLanes) {
        a0 = _mm512_add_ps(a0, expLanes(_mm512_sub_ps(_mm512_loadu_ps(x + i), m)));
        a1 = _mm512_add_ps(a1, expLanes(_mm512_sub_ps(_mm512_loadu_ps(x + i + 16), m)));
        a2 = _mm512_add_ps(a2, expLanes(_mm512_sub_ps(_mm512_loadu_ps(x + i + 32), m)));
        a3 = _mm512_add_ps(a3, expLanes(_mm512_sub_ps(_mm512_loadu_ps(x + i + 48), m)));
    }
    for (; i + kLanes <= n; i += kLanes) a0 = _mm512_add_ps(a0, expLanes(_mm512_sub_ps(_mm512_loadu_ps(x + i), m)));
    if (i < n) {  // masked lanes add nothing
        const __mmask16 t = tailMask(n - i);
        a1 = _mm512_add_ps(a1, _mm512_maskz_mov_ps(t, expLanes(_mm512_sub_ps(_mm512_maskz_loadu_ps(t, x + i), m))));
    }
    return hsum(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
}

// KernelTable::topK: the 16 lanes' maxima are 16 of the row's values, so their k-th largest,
// tau, is at most the row's k-th largest, and every value of the top k is >= tau. One pass takes
// the lane maxima (and finds NaNs), k rounds of a lane max take tau, one more compresses the
// values >= tau and their ids into a list (typically a few dozen of 512), and the best k of the
// list are selected in index order.
void topKAvx512(const float* x, int n, int k, int32_t* ids, float* vals) {
    assert(k >= 0 && k <= n);
    if (k == 0) return;
    if (k > kLanes) return topKScalar(x, n, k, ids, vals);
    const __m512 ninf = _mm512_set1_ps(-std::numeric_limits<float>::infinity());
    __m512 m = ninf;
    __mmask16 nan = 0;
    int i = 0;
    for (; i + kLanes <= n; i += kLanes) {
        const __m512 v = _mm512_loadu_ps(x + i);
        nan |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
        m = maxLanes(m, v);
    }
    const __mmask16 tail = tailMask(n - i);
    if (tail) {
        const __m512 v = _mm512_mask_loadu_ps(ninf, tail, x + i);
        nan |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
        m = maxLanes(m, v);
    }
    if (nan) return topKScalar(x, n, k, ids, vals);  // its order for NaNs
    // tau: k times the largest lane, that lane then set to -inf (one lane a round, so equal
    // maxima count once each). Lanes only the padding filled are -inf: tau may then be -inf,
    // and every value is a candidate.
    float tau = 0.0f;
    for (int r = 0; r < k; ++r) {
        tau = hmax(m);
        const __mmask16 eq = _mm512_cmp_ps_mask(m, _mm512_set1_ps(tau), _CMP_EQ_OQ);
        m = _mm512_mask_mov_ps(m, __mmask16(eq & -eq), ninf);
    }
    TopKScratch& scratch = topKScratch(n);
    float* cv = scratch.values.data();
    int32_t* ci = scratch.ids.data();
    const __m512 t = _mm512_set1_ps(tau);
    __m512i idx = _mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    const __m512i step = _mm512_set1_epi32(kLanes);
    int count = 0;
    for (i = 0; i + kLanes <= n; i += kLanes) {
        const __m512 v = _mm512_loadu_ps(x + i);
        const __mmask16 hit = _mm512_cmp_ps_mask(v, t, _CMP_GE_OQ);
        _mm512_storeu_ps(cv + count, _mm512_maskz_compress_ps(hit, v));
        _mm512_storeu_si512(ci + count, _mm512_maskz_compress_epi32(hit, idx));
        count += __builtin_popcount(hit);
        idx = _mm512_add_epi32(idx, step);
    }
    if (tail) {
        const __m512 v = _mm512_mask_loadu_ps(ninf, tail, x + i);
        const __mmask16 hit = _mm512_mask_cmp_ps_mask(tail, v, t, _CMP_GE_OQ);
        _mm512_storeu_ps(cv + count, _mm512_maskz_compress_ps(hit, v));
        _mm512_storeu_si512(ci + count, _mm512_maskz_compress_epi32(hit, idx));
        count += __builtin_popcount(hit);
    }
    selectTopK(cv, ci, count, k, ids, vals);
}

// libm's expf of 8 doubles (|x| < 88; kernels/libm_expf.h), the library's steps: k by a
// fused multiply-add onto the shifter, r = x N / ln 2 - k fused, the table entry for k % 32 by
// two two-register permutes, the cubic by fused steps, r^2 and the final scaling unfused
// (masked forms: GCC may not fuse them).
inline __m512d libmExpf8(__m512d xd, const __m512i (&tab)[4]) {
    using namespace libm_expf;
    const __m512d shift = _mm512_set1_pd(kShift), inv = _mm512_set1_pd(kInvLn2N);
    const __m512d kd0 = _mm512_fmadd_pd(inv, xd, shift);
    const __m512i ki = _mm512_castpd_si512(kd0);
    const __m512d kd = _mm512_mask_sub_pd(kd0, 0xFF, kd0, shift);
    const __m512d r = _mm512_fmsub_pd(inv, xd, kd);
    const __m512i idx = _mm512_and_si512(ki, _mm512_set1_epi64(31));
    const __m512i lo = _mm512_permutex2var_epi64(tab[0], idx, tab[1]);
    const __m512i hi = _mm512_permutex2var_epi64(tab[2], idx, tab[3]);
    __m512i t = _mm512_mask_blend_epi64(_mm512_test_epi64_mask(idx, _mm512_set1_epi64(16)), lo, hi);
    t = _mm512_add_epi64(t, _mm512_mask_slli_epi64(ki, 0xFF, ki, 47));
    const __m512d z = _mm512_fmadd_pd(_mm512_set1_pd(kC0), r, _mm512_set1_pd(kC1));
    const __m512d r2 = _mm512_mask_mul_pd(r, 0xFF, r, r);
    const __m512d y1 = _mm512_fmadd_pd(_mm512_set1_pd(kC2), r, _mm512_set1_pd(1.0));
    const __m512d y = _mm512_fmadd_pd(z, r2, y1);
    return _mm512_mask_mul_pd(y, 0xFF, y, _mm512_castsi512_pd(t));
}

// KernelTable::swiglu: 16 gates a step, expf(-g) as two halves of 8 doubles, rounded to float
// as libm rounds its result; then 1 / (1 + e), g times that, times up, in float as the scalar
// loop. Lanes with |g| >= 88 or NaN are redone with std::exp.
void swigluAvx512(float* gate, const float* up, long n) {
    assert(n >= 0);
    const uint64_t* table = libm_expf::table();
    const __m512i tab[4] = {_mm512_load_si512(table), _mm512_load_si512(table + 8), _mm512_load_si512(table + 16),
                            _mm512_load_si512(table + 24)};
    const __m512 one = _mm512_set1_ps(1.0f);
    const __m512i absMask = _mm512_set1_epi32(0x7fffffff);
    const __m512i special = _mm512_set1_epi32(int(libm_expf::kSpecialAbsBits));
    for (long i = 0; i < n; i += kLanes) {
        const __mmask16 m = n - i >= kLanes ? kAll : tailMask(int(n - i));
        const __m512 g = _mm512_maskz_loadu_ps(m, gate + i);
        const __m512 x = _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(g), _mm512_set1_epi32(int(0x80000000u))));
        const __m512d zero = _mm512_setzero_pd();
        const __m512d e0 = libmExpf8(_mm512_mask_cvtps_pd(zero, 0xFF, half8<0>(x)), tab);
        const __m512d e1 = libmExpf8(_mm512_mask_cvtps_pd(zero, 0xFF, half8<1>(x)), tab);
        const __m256 z8 = _mm256_setzero_ps();
        const __m512 z16 = _mm512_setzero_ps();
        const __m512 eLow = _mm512_mask_insertf32x8(z16, kAll, z16, _mm512_mask_cvtpd_ps(z8, 0xFF, e0), 0);
        const __m512 e = _mm512_mask_insertf32x8(eLow, kAll, eLow, _mm512_mask_cvtpd_ps(z8, 0xFF, e1), 1);
        const __m512 sig = _mm512_div_ps(one, _mm512_add_ps(one, e));
        const __m512 out = _mm512_mul_ps(_mm512_mul_ps(g, sig), _mm512_maskz_loadu_ps(m, up + i));
        _mm512_mask_storeu_ps(gate + i, m, out);
        const __mmask16 odd =
            m & _mm512_cmp_epu32_mask(_mm512_and_si512(_mm512_castps_si512(x), absMask), special, _MM_CMPINT_NLT);
        if (odd) {
            alignas(64) float gs[kLanes];
            _mm512_store_ps(gs, g);
            for (unsigned b = odd; b; b &= b - 1) {
                const int l = __builtin_ctz(b);
                gate[i + l] = gs[l] * (1.0f / (1.0f + std::exp(-gs[l]))) * up[i + l];
            }
        }
    }
}

// out[g] = sum_k a[g*GS + k] * b[g*GS + k]: int8 widened to int16, pairwise products summed
// into int32 by vpmaddwd (exact: |a*b + a'*b'| <= 2 * 128 * 128).
void dotI8GroupsAvx512(int32_t* out, const int8_t* a, const int8_t* b, int nGroups,
                       int groupSize) {
    assert(nGroups >= 0 && groupSize > 0);
    for (int g = 0; g < nGroups; ++g) {
        const int8_t* ag = a + long(g) * groupSize;
        const int8_t* bg = b + long(g) * groupSize;
        __m512i acc = _mm512_setzero_si512();
        int k = 0;
        for (; k + 32 <= groupSize; k += 32) {
            __m256i va, vb;
            std::memcpy(&va, ag + k, sizeof va);
            std::memcpy(&vb, bg + k, sizeof vb);
            acc = _mm512_add_epi32(
                acc, _mm512_madd_epi16(_mm512_cvtepi8_epi16(va), _mm512_cvtepi8_epi16(vb)));
        }
        int32_t sum = hsum(acc);
        for (; k < groupSize; ++k) sum += int32_t(ag[k]) * int32_t(bg[k]);  // scalar tail
        out[g] = sum;
    }
}

// As streamRow's contract says: whole 64-byte lines of dst non-temporally, one store a line.
void streamRowAvx512(float* dst, const float* src, float fill, int n) {
    assert(n >= 0);
    int i = 0;
    const int head = int(((64 - (reinterpret_cast<uintptr_t>(dst) & 63)) & 63) / sizeof(float));
    if ((reinterpret_cast<uintptr_t>(dst) & 3) == 0 && n - std::min(head, n) >= 16) {
        for (; i < head; ++i) dst[i] = src ? src[i] : fill;
        if (src) {
            for (; i + 16 <= n; i += 16) _mm512_stream_ps(dst + i, _mm512_loadu_ps(src + i));
        } else {
            const __m512 f = _mm512_set1_ps(fill);
            for (; i + 16 <= n; i += 16) _mm512_stream_ps(dst + i, f);
        }
    }
    for (; i < n; ++i) dst[i] = src ? src[i] : fill;
}

}  // namespace

namespace detail {
// Two tables that differ only in the k-quant x Q8_K kernel: AVX2's, or AVX-512 VNNI's where
// the CPU has VNNI (kernels_dispatch.cpp checks). On a Zen 4 (512-bit operations split in two)
// the VNNI kernel streams Q6_K rows 24% faster and Q4_K rows as fast as AVX2's.
constexpr KernelTable avx512Table(const char* name, decltype(KernelTable::matvecQ8_0) matvecQ8_0,
                                  decltype(KernelTable::matvecQ8_K) matvecQ8_K) {
    return {
        name, matvecAvx512, gemmAvx512, dotAvx512, axpyAvx512, dotI8GroupsAvx512,
        matvecQ8_0,
        [](float* x, int n, float d) { return scaleMaxRow(x, n, d); },
        [](float* x, int n, float m) { expNormalizeRow16<false>(x, n, m); },
        [](const float* p, int n) { return entropyNats(p, n); },
        expSumAvx512,
        matvecBlocksAvx2,
        dequantizeAvx2,
        matvecQ8_K,
        quantizeQ8_KAvx2,
        streamRowAvx512,
        [](float* x, int n, float m) { return expNormalizeRow16<true>(x, n, m); },
        scoreRowTAvx512,
        valueRowTAvx512,
        topKAvx512,
        swigluAvx512,
    };
}
constinit const KernelTable kAvx512Table = avx512Table("avx512", matvecQ8_0Avx2, matvecQ8_KAvx2);
constinit const KernelTable kAvx512VnniTable =
    avx512Table("avx512vnni", matvecQ8_0Avx512Vnni, matvecQ8_KAvx512Vnni);
}  // namespace detail

}  // namespace anatomy::kernels
