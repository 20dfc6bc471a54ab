// AVX2 + FMA kernels (8 float lanes). Built with -mavx2 -mfma; only reached through
// avx2Kernels(), which checks the CPU first. Column tails are finished in scalar code.
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
#include "anatomy/model.h"
#include "kernels/fast_exp.h"
#include "kernels/libm_expf.h"
#include "kernels/top_k.h"

namespace anatomy::kernels {
namespace detail {
extern const KernelTable kAvx2Table;
void matvecQ8_0Avx2(float* y, const uint8_t* W, const int8_t* xq, const float* xd, int rows,
                    int nBlocks);
void matvecBlocksAvx2(GgmlType type, float* y, const uint8_t* W, const float* x, int rows,
                      int cols);
void dequantizeAvx2(GgmlType type, float* out, const uint8_t* blocks, size_t n);  // kernels_ggml_avx2.cpp
void matvecQ8_KAvx2(GgmlType type, float* y, const uint8_t* W, const int8_t* xq, const float* xd,
                    const int16_t* xsums, int rows, int nBlocks);  // kernels_kquant_avx2.cpp
void quantizeQ8_KAvx2(int8_t* xq, float* xd, int16_t* xsums, const float* x, int n);
}  // namespace detail
namespace {

constexpr int kLanes = 8;

inline float hsum(__m256 v) {
    const __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 h = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(h, _mm_movehdup_ps(h)));
}

// (hsum(a), hsum(b), hsum(c), hsum(d)) with hsum's very additions, four at a time:
//   s = lo + hi,  h = (s_0 + s_2, s_1 + s_3),  sum = h_0 + h_1
// (a short-row gemm, 64 columns, spent as much on one-at-a-time reductions as on its FMAs).
inline __m128 hsum4(__m256 a, __m256 b, __m256 c, __m256 d) {
    const __m256 sab = _mm256_add_ps(_mm256_permute2f128_ps(a, b, 0x20), _mm256_permute2f128_ps(a, b, 0x31));
    const __m256 scd = _mm256_add_ps(_mm256_permute2f128_ps(c, d, 0x20), _mm256_permute2f128_ps(c, d, 0x31));
    // low half (a, c), high half (b, d): (s_0 + s_2, s_1 + s_3) of each
    const __m256 h = _mm256_add_ps(_mm256_shuffle_ps(sab, scd, _MM_SHUFFLE(1, 0, 1, 0)),
                                   _mm256_shuffle_ps(sab, scd, _MM_SHUFFLE(3, 2, 3, 2)));
    const __m256 r = _mm256_add_ps(_mm256_shuffle_ps(h, h, _MM_SHUFFLE(2, 0, 2, 0)),
                                   _mm256_shuffle_ps(h, h, _MM_SHUFFLE(3, 1, 3, 1)));  // (a, c, a, c | b, d, b, d)
    return _mm_unpacklo_ps(_mm256_castps256_ps128(r), _mm256_extractf128_ps(r, 1));
}

// ---- matvec: y[r] = sum_c W[r, c] * x[c] ---------------------------------------------------
// Memory-bound: W is streamed once, one row after the other, so the hardware prefetcher sees a
// single sequential stream (as run.c's plain loop does). Measured on an AMD EPYC (AVX2, rotating
// 256+ MB of weights): rows 768 x 768 at 16-26 GB/s one row at a time, 8-16 GB/s with 2, 4 or 8
// rows interleaved, and software prefetch 256-1024 bytes ahead no better or worse (both removed).
// Two accumulators (even and odd 8-column chunks) keep enough FMAs in flight; NR rows at once
// remain available for cache-resident callers. Every y[r] is summed in the same order whatever NR.
// Off AMD, each row's line is prefetched `prefetch` bytes ahead into L1 (kernels.h matvecPrefetch;
// as the AVX-512 twin).
template <int NR>
inline void matvecRows(float* y, const float* W, long ldw, const float* x, int cols, int prefetch = 0) {
    __m256 acc0[NR], acc1[NR];
#pragma GCC unroll 8
    for (int r = 0; r < NR; ++r) acc0[r] = acc1[r] = _mm256_setzero_ps();
    int c = 0;
    for (; c + 2 * kLanes <= cols; c += 2 * kLanes) {
        const __m256 x0 = _mm256_loadu_ps(x + c);
        const __m256 x1 = _mm256_loadu_ps(x + c + kLanes);
#pragma GCC unroll 8
        for (int r = 0; r < NR; ++r) {
            if (prefetch) _mm_prefetch(reinterpret_cast<const char*>(W + r * ldw + c) + prefetch, _MM_HINT_T0);
            acc0[r] = _mm256_fmadd_ps(_mm256_loadu_ps(W + r * ldw + c), x0, acc0[r]);
            acc1[r] = _mm256_fmadd_ps(_mm256_loadu_ps(W + r * ldw + c + kLanes), x1, acc1[r]);
        }
    }
    if (c + kLanes <= cols) {
        const __m256 x0 = _mm256_loadu_ps(x + c);
#pragma GCC unroll 8
        for (int r = 0; r < NR; ++r)
            acc0[r] = _mm256_fmadd_ps(_mm256_loadu_ps(W + r * ldw + c), x0, acc0[r]);
        c += kLanes;
    }
#pragma GCC unroll 8
    for (int r = 0; r < NR; ++r) {
        float sum = hsum(_mm256_add_ps(acc0[r], acc1[r]));
        for (int k = c; k < cols; ++k) sum += W[r * ldw + k] * x[k];  // scalar tail
        y[r] = sum;
    }
}

void matvecAvx2(float* y, const float* W, const float* x, int rows, int cols) {
    assert(rows >= 0 && cols >= 0);
    const int prefetch = matvecPrefetch() ? kFloatPrefetchBytes : 0;
    for (int r = 0; r < rows; ++r) matvecRows<1>(y + r, W + long(r) * cols, cols, x, cols, prefetch);
}

// ---- gemm: Y[t, r] = sum_c X[t, c] * W[r, c] -----------------------------------------------
// Register tile of NT tokens x NR rows: 3 x 4 = 12 accumulators of 8 lanes plus 3 X vectors and
// one W vector fill the 16 ymm registers. Each loaded X vector feeds NR FMAs, each W vector NT.
constexpr int kTileTok = 3;
constexpr int kTileRows = 4;

template <int NT, int NR>
void gemmTile(float* Y, int ldy, const float* X, int ldx, const float* W, int ldw, int kc,
              bool accumulate) {
    __m256 acc[NT][NR];
#pragma GCC unroll 8
    for (int t = 0; t < NT; ++t)
#pragma GCC unroll 8
        for (int r = 0; r < NR; ++r) acc[t][r] = _mm256_setzero_ps();

    int c = 0;
    for (; c + kLanes <= kc; c += kLanes) {
        __m256 x[NT];
#pragma GCC unroll 8
        for (int t = 0; t < NT; ++t) x[t] = _mm256_loadu_ps(X + long(t) * ldx + c);
#pragma GCC unroll 8
        for (int r = 0; r < NR; ++r) {
            const __m256 w = _mm256_loadu_ps(W + long(r) * ldw + c);
#pragma GCC unroll 8
            for (int t = 0; t < NT; ++t) acc[t][r] = _mm256_fmadd_ps(x[t], w, acc[t][r]);
        }
    }

#pragma GCC unroll 8
    for (int t = 0; t < NT; ++t) {
        const float* xt = X + long(t) * ldx;
        float* y = Y + long(t) * ldy;
        float sums[NR];
        if constexpr (NR == 4) {
            const __m128 s4 = hsum4(acc[t][0], acc[t][1], acc[t][2], acc[t][3]);
            if (c == kc) {  // no column tail: y gets the four sums at once
                _mm_storeu_ps(y, accumulate ? _mm_add_ps(_mm_loadu_ps(y), s4) : s4);
                continue;
            }
            _mm_storeu_ps(sums, s4);
        } else {
#pragma GCC unroll 8
            for (int r = 0; r < NR; ++r) sums[r] = hsum(acc[t][r]);
        }
#pragma GCC unroll 8
        for (int r = 0; r < NR; ++r) {
            const float* wr = W + long(r) * ldw;
            float sum = sums[r];
            for (int k = c; k < kc; ++k) sum += xt[k] * wr[k];  // scalar tail
            y[r] = accumulate ? y[r] + sum : sum;
        }
    }
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
// x kc columns of X stays in L2. Column blocks are multiples of 8 so only the last has a tail.
// The X block is copied to an aligned per-thread buffer whose row stride is not a multiple of
// 4 KiB: with 2048-wide rows every X row would otherwise map to the same L1 sets (measured with
// AVX-512: 128 x 768 x 2048 from 181 to 230 GFLOP/s). The copy is reused by every row tile.
constexpr int kMaxColBlock = 1024;
constexpr int kTokBlock = 63;  // a multiple of kTileTok

// Per-thread scratch of at least n floats, 64-byte aligned; grows, never shrinks.
float* packBuffer(size_t n) {
    thread_local std::vector<float> buffer;
    if (buffer.size() < n + 16) buffer.resize(n + 16);
    const std::uintptr_t address = reinterpret_cast<std::uintptr_t>(buffer.data());
    return buffer.data() + (64 - address % 64) % 64 / sizeof(float);
}

void gemmAvx2(float* Y, int ldy, const float* X, int ldx, const float* W, int nTok, int rows,
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
float dotAvx2(const float* a, const float* b, int n) {
    assert(n >= 0);
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    __m256 acc2 = _mm256_setzero_ps(), acc3 = _mm256_setzero_ps();
    int i = 0;
    for (; i + 4 * kLanes <= n; i += 4 * kLanes) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), acc1);
        acc2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), acc2);
        acc3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), acc3);
    }
    for (; i + kLanes <= n; i += kLanes)
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
    float sum = hsum(_mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3)));
    for (; i < n; ++i) sum += a[i] * b[i];  // scalar tail
    return sum;
}

void axpyAvx2(float* y, float alpha, const float* x, int n) {
    assert(n >= 0);
    const __m256 a = _mm256_set1_ps(alpha);
    int i = 0;
    for (; i + kLanes <= n; i += kLanes)
        _mm256_storeu_ps(y + i, _mm256_fmadd_ps(a, _mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i)));
    for (; i < n; ++i) y[i] += alpha * x[i];  // scalar tail
}

// ---- attention rows against a head's transposed keys and values ------------------------
// Scores of 32 keys at a time in four accumulators, each dimension's query value broadcast
// once for them; the max as scaleMaxRow takes it (x > m ? x : m, from -3.4e38: NaNs skipped).
float scoreRowTAvx2(float* row, const float* q, const float* kT, int ldk, int hs, int n, float divisor) {
    assert(n >= 0 && hs >= 0 && ldk >= n);
    const __m256 d = _mm256_set1_ps(divisor);
    __m256 mx = _mm256_set1_ps(-3.4e38f);
    int j = 0;
    for (; j + 4 * kLanes <= n; j += 4 * kLanes) {
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        const float* k = kT + j;
        for (int i = 0; i < hs; ++i, k += ldk) {
            const __m256 qi = _mm256_set1_ps(q[i]);
            a0 = _mm256_fmadd_ps(qi, _mm256_loadu_ps(k), a0);
            a1 = _mm256_fmadd_ps(qi, _mm256_loadu_ps(k + 8), a1);
            a2 = _mm256_fmadd_ps(qi, _mm256_loadu_ps(k + 16), a2);
            a3 = _mm256_fmadd_ps(qi, _mm256_loadu_ps(k + 24), a3);
        }
        a0 = _mm256_div_ps(a0, d), a1 = _mm256_div_ps(a1, d);
        a2 = _mm256_div_ps(a2, d), a3 = _mm256_div_ps(a3, d);
        _mm256_storeu_ps(row + j, a0), _mm256_storeu_ps(row + j + 8, a1);
        _mm256_storeu_ps(row + j + 16, a2), _mm256_storeu_ps(row + j + 24, a3);
        mx = _mm256_max_ps(a0, mx), mx = _mm256_max_ps(a1, mx);
        mx = _mm256_max_ps(a2, mx), mx = _mm256_max_ps(a3, mx);
    }
    for (; j + kLanes <= n; j += kLanes) {
        __m256 a = _mm256_setzero_ps();
        for (int i = 0; i < hs; ++i) a = _mm256_fmadd_ps(_mm256_set1_ps(q[i]), _mm256_loadu_ps(kT + long(i) * ldk + j), a);
        a = _mm256_div_ps(a, d);
        _mm256_storeu_ps(row + j, a);
        mx = _mm256_max_ps(a, mx);
    }
    alignas(32) float lanes[kLanes];
    _mm256_store_ps(lanes, mx);
    float m = -3.4e38f;
    for (; j < n; ++j) {  // scalar tail, fused as GCC contracts axpyAvx2's tail (y += a x)
        float s = 0.0f;
        for (int i = 0; i < hs; ++i) s = std::fma(q[i], kT[long(i) * ldk + j], s);
        row[j] = s / divisor;
        m = row[j] > m ? row[j] : m;
    }
    for (float v : lanes) m = v > m ? v : m;
    return m;
}

// out[0, 2): dotAvx2(p, vT row, n) for two dimensions, its very sums (four accumulators a
// dimension along 32 keys, then 8 at a time into the first, hsum of (a0 + a1) + (a2 + a3), the
// scalar tail added last), with each block of p loaded once for both.
inline void valuePairAvx2(float* out, const float* p, const float* vT, int ldv, int n) {
    __m256 a0[2], a1[2], a2[2], a3[2];
    for (int i = 0; i < 2; ++i) a0[i] = a1[i] = a2[i] = a3[i] = _mm256_setzero_ps();
    int j = 0;
    for (; j + 4 * kLanes <= n; j += 4 * kLanes) {
        const __m256 p0 = _mm256_loadu_ps(p + j), p1 = _mm256_loadu_ps(p + j + 8);
        const __m256 p2 = _mm256_loadu_ps(p + j + 16), p3 = _mm256_loadu_ps(p + j + 24);
#pragma GCC unroll 2
        for (int i = 0; i < 2; ++i) {
            const float* v = vT + long(i) * ldv + j;
            a0[i] = _mm256_fmadd_ps(p0, _mm256_loadu_ps(v), a0[i]);
            a1[i] = _mm256_fmadd_ps(p1, _mm256_loadu_ps(v + 8), a1[i]);
            a2[i] = _mm256_fmadd_ps(p2, _mm256_loadu_ps(v + 16), a2[i]);
            a3[i] = _mm256_fmadd_ps(p3, _mm256_loadu_ps(v + 24), a3[i]);
        }
    }
    for (; j + kLanes <= n; j += kLanes) {
        const __m256 pj = _mm256_loadu_ps(p + j);
#pragma GCC unroll 2
        for (int i = 0; i < 2; ++i) a0[i] = _mm256_fmadd_ps(pj, _mm256_loadu_ps(vT + long(i) * ldv + j), a0[i]);
    }
    for (int i = 0; i < 2; ++i) {
        const float* v = vT + long(i) * ldv;
        float sum = hsum(_mm256_add_ps(_mm256_add_ps(a0[i], a1[i]), _mm256_add_ps(a2[i], a3[i])));
        for (int jj = j; jj < n; ++jj) sum += p[jj] * v[jj];  // scalar tail, as dotAvx2's
        out[i] = sum;
    }
}

void valueRowTAvx2(float* out, const float* p, const float* vT, int ldv, int hs, int n) {
    assert(n >= 0 && hs >= 0 && ldv >= n);
    int i = 0;
    for (; i + 2 <= hs; i += 2) valuePairAvx2(out + i, p, vT + long(i) * ldv, ldv, n);
    for (; i < hs; ++i) out[i] = dotAvx2(p, vT + long(i) * ldv, n);
}

// out[g] = sum_k a[g*GS + k] * b[g*GS + k]: int8 widened to int16, pairwise products summed
// into int32 by vpmaddwd (exact: |a*b + a'*b'| <= 2 * 128 * 128).
void dotI8GroupsAvx2(int32_t* out, const int8_t* a, const int8_t* b, int nGroups, int groupSize) {
    assert(nGroups >= 0 && groupSize > 0);
    for (int g = 0; g < nGroups; ++g) {
        const int8_t* ag = a + long(g) * groupSize;
        const int8_t* bg = b + long(g) * groupSize;
        __m256i acc = _mm256_setzero_si256();
        int k = 0;
        for (; k + 16 <= groupSize; k += 16) {
            __m128i va, vb;
            std::memcpy(&va, ag + k, sizeof va);
            std::memcpy(&vb, bg + k, sizeof vb);
            acc = _mm256_add_epi32(
                acc, _mm256_madd_epi16(_mm256_cvtepi8_epi16(va), _mm256_cvtepi8_epi16(vb)));
        }
        __m128i s = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(1, 0, 3, 2)));
        s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1)));
        int32_t sum = _mm_cvtsi128_si32(s);
        for (; k < groupSize; ++k) sum += int32_t(ag[k]) * int32_t(bg[k]);  // scalar tail
        out[g] = sum;
    }
}

// ---- Q8_0: y[r] = sum_b dW[r, b] dx[b] sum_k qW[r, b, k] qx[b, k] -------------------------
// One block's 32 products as 8 int32 lanes: |qW| (unsigned) times qx carrying qW's sign, pairs
// summed to int16 by vpmaddubsw (no saturation: 2 * 128 * 127 < 32768, since qx stays in
// [-127, 127]), then to int32 by vpmaddwd. Exact; converted to float once per block.
inline __m256 blockDotQ8_0(__m256i q, __m256i qx) {
    const __m256i products = _mm256_maddubs_epi16(_mm256_sign_epi8(q, q), _mm256_sign_epi8(qx, q));
    return _mm256_cvtepi32_ps(_mm256_madd_epi16(products, _mm256_set1_epi16(1)));
}

inline float blockScaleF16c(const uint8_t* block) {
    uint16_t h;
    std::memcpy(&h, block, sizeof h);
    return _cvtsh_ss(h);
}

// One row at a time, like the float matvec: a single sequential stream of blocks (4 rows
// interleaved ran at half llama.cpp's speed once the weights left the cache). Two accumulators,
// even and odd blocks, keep two add chains in flight.
inline __m256 termQ8_0(const uint8_t* w, const int8_t* xq, const float* xd, int b) {
    const uint8_t* blk = w + long(b) * kQ8_0BlockBytes;
    const __m256i q = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk + 2));
    const __m256i qx = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(xq + b * 32));
    return _mm256_mul_ps(blockDotQ8_0(q, qx), _mm256_set1_ps(blockScaleF16c(blk) * xd[b]));
}

inline float dotRowQ8_0(const uint8_t* w, const int8_t* xq, const float* xd, int nBlocks, bool prefetch) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    int b = 0;
    for (; b + 2 <= nBlocks; b += 2) {
        // Off AMD, 68 bytes a pass: one prefetch into L2 a pass reaches every line (kernels.h).
        if (prefetch)
            _mm_prefetch(reinterpret_cast<const char*>(w + long(b) * kQ8_0BlockBytes) + kQuantPrefetchBytes, _MM_HINT_T1);
        acc0 = _mm256_add_ps(acc0, termQ8_0(w, xq, xd, b));
        acc1 = _mm256_add_ps(acc1, termQ8_0(w, xq, xd, b + 1));
    }
    if (b < nBlocks) acc0 = _mm256_add_ps(acc0, termQ8_0(w, xq, xd, b));
    return hsum(_mm256_add_ps(acc0, acc1));
}

// Kernel anatomy as streamRow's contract says: plain stores up to dst's first 64-byte line,
// whole lines non-temporally (two 32-byte stores each), plain stores for the partial last line.
void streamRowAvx2(float* dst, const float* src, float fill, int n) {
    assert(n >= 0);
    int i = 0;
    const int head = int(((64 - (reinterpret_cast<uintptr_t>(dst) & 63)) & 63) / sizeof(float));
    if ((reinterpret_cast<uintptr_t>(dst) & 3) == 0 && n - std::min(head, n) >= 16) {
        for (; i < head; ++i) dst[i] = src ? src[i] : fill;
        if (src) {
            for (; i + 16 <= n; i += 16) {
                _mm256_stream_ps(dst + i, _mm256_loadu_ps(src + i));
                _mm256_stream_ps(dst + i + 8, _mm256_loadu_ps(src + i + 8));
            }
        } else {
            const __m256 f = _mm256_set1_ps(fill);
            for (; i + 16 <= n; i += 16) {
                _mm256_stream_ps(dst + i, f);
                _mm256_stream_ps(dst + i + 8, f);
            }
        }
    }
    for (; i < n; ++i) dst[i] = src ? src[i] : fill;
}

// fastExpf of 8 lanes: the same range reduction and degree-6 polynomial, 2^n from the
// exponent bits; lanes below -87 give 0, a NaN stays NaN.
inline __m256 expLanes(__m256 x) {
    const __m256 lo = _mm256_set1_ps(-87.0f);
    // max and min pass their second operand for a NaN: a NaN lane is clamped to -87 here.
    const __m256 clamped = _mm256_min_ps(_mm256_max_ps(x, lo), _mm256_set1_ps(88.0f));
    const __m256 v = _mm256_blendv_ps(clamped, x, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));
    const __m256 nf = _mm256_round_ps(_mm256_mul_ps(clamped, _mm256_set1_ps(1.44269504f)),
                                      _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(nf, _mm256_set1_ps(0.693359375f), v);
    r = _mm256_fnmadd_ps(nf, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.0f / 720.0f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 120.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 24.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 6.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(0.5f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
    const __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(nf), _mm256_set1_epi32(127)), 23);
    const __m256 e = _mm256_mul_ps(p, _mm256_castsi256_ps(bits));
    return _mm256_andnot_ps(_mm256_cmp_ps(x, lo, _CMP_LT_OQ), e);
}

// sum_i exp(x[i] - max): four 8-lane partial sums (the lens's normaliser reads 2,560 rows a
// trace), the last n % 8 values through one masked load.
float expSumAvx2(const float* x, int n, float max) {
    assert(n >= 0);
    const __m256 m = _mm256_set1_ps(max);
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
    int i = 0;
    for (; i + 4 * kLanes <= n; i += 4 * kLanes) {
        a0 = _mm256_add_ps(a0, expLanes(_mm256_sub_ps(_mm256_loadu_ps(x + i), m)));
        a1 = _mm256_add_ps(a1, expLanes(_mm256_sub_ps(_mm256_loadu_ps(x + i + 8), m)));
        a2 = _mm256_add_ps(a2, expLanes(_mm256_sub_ps(_mm256_loadu_ps(x + i + 16), m)));
        a3 = _mm256_add_ps(a3, expLanes(_mm256_sub_ps(_mm256_loadu_ps(x + i + 24), m)));
    }
    for (; i + kLanes <= n; i += kLanes) a0 = _mm256_add_ps(a0, expLanes(_mm256_sub_ps(_mm256_loadu_ps(x + i), m)));
    if (i < n) {  // masked lanes add nothing
        const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
        const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(n - i), lane);
        const __m256 e = expLanes(_mm256_sub_ps(_mm256_maskload_ps(x + i, mask), m));
        a1 = _mm256_add_ps(a1, _mm256_and_ps(_mm256_castsi256_ps(mask), e));
    }
    return hsum(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
}

// KernelTable::topK, as topKAvx512 with 8 lanes: tau, the k-th largest lane maximum, bounds
// the row's k-th largest from below; the values >= tau go to a list by movemask, the best k
// of it are selected in index order.
void topKAvx2(const float* x, int n, int k, int32_t* ids, float* vals) {
    assert(k >= 0 && k <= n);
    if (k == 0) return;
    if (k > kLanes) return topKScalar(x, n, k, ids, vals);
    const float ninfS = -std::numeric_limits<float>::infinity();
    const __m256 ninf = _mm256_set1_ps(ninfS);
    __m256 m = ninf, nan = _mm256_setzero_ps();
    int i = 0;
    for (; i + kLanes <= n; i += kLanes) {
        const __m256 v = _mm256_loadu_ps(x + i);
        nan = _mm256_or_ps(nan, _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
        m = _mm256_max_ps(m, v);
    }
    for (int j = i; j < n; ++j)
        if (x[j] != x[j]) return topKScalar(x, n, k, ids, vals);
    if (_mm256_movemask_ps(nan)) return topKScalar(x, n, k, ids, vals);  // its order for NaNs
    alignas(32) float lanes[kLanes];
    _mm256_store_ps(lanes, m);
    for (int j = i; j < n; ++j) lanes[(j - i) % kLanes] = std::max(lanes[(j - i) % kLanes], x[j]);
    std::sort(lanes, lanes + kLanes, [](float a, float b) { return a > b; });
    const float tau = lanes[k - 1];  // -inf where only padding filled a lane: every value a candidate
    TopKScratch& scratch = topKScratch(n);
    float* cv = scratch.values.data();
    int32_t* ci = scratch.ids.data();
    const __m256 t = _mm256_set1_ps(tau);
    int count = 0;
    for (i = 0; i + kLanes <= n; i += kLanes) {
        for (unsigned hit = unsigned(_mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(x + i), t, _CMP_GE_OQ))); hit;
             hit &= hit - 1) {
            const int j = i + __builtin_ctz(hit);
            cv[count] = x[j];
            ci[count++] = j;
        }
    }
    for (; i < n; ++i)
        if (x[i] >= tau) {
            cv[count] = x[i];
            ci[count++] = i;
        }
    selectTopK(cv, ci, count, k, ids, vals);
}

// libm's expf of 4 doubles (|x| < 88), as libmExpf8 in kernels_avx512.cpp, the table entry by
// a gather. r^2 and the final scaling feed no addition, so GCC has nothing to fuse them into.
inline __m256d libmExpf4(__m256d xd, const long long* table) {
    using namespace libm_expf;
    const __m256d shift = _mm256_set1_pd(kShift), inv = _mm256_set1_pd(kInvLn2N);
    const __m256d kd0 = _mm256_fmadd_pd(inv, xd, shift);
    const __m256i ki = _mm256_castpd_si256(kd0);
    const __m256d kd = _mm256_sub_pd(kd0, shift);
    const __m256d r = _mm256_fmsub_pd(inv, xd, kd);
    const __m256i idx = _mm256_and_si256(ki, _mm256_set1_epi64x(31));
    __m256i t = _mm256_i64gather_epi64(table, idx, 8);
    t = _mm256_add_epi64(t, _mm256_slli_epi64(ki, 47));
    const __m256d z = _mm256_fmadd_pd(_mm256_set1_pd(kC0), r, _mm256_set1_pd(kC1));
    const __m256d r2 = _mm256_mul_pd(r, r);
    const __m256d y1 = _mm256_fmadd_pd(_mm256_set1_pd(kC2), r, _mm256_set1_pd(1.0));
    const __m256d y = _mm256_fmadd_pd(z, r2, y1);
    return _mm256_mul_pd(y, _mm256_castsi256_pd(t));
}

// KernelTable::swiglu, as swigluAvx512 with 8 gates a step; lanes with |g| >= 88 or NaN are
// redone with std::exp, and so is the last n % 8.
void swigluAvx2(float* gate, const float* up, long n) {
    assert(n >= 0);
    const long long* table = reinterpret_cast<const long long*>(libm_expf::table());
    const __m256 one = _mm256_set1_ps(1.0f);
    const __m256i absMask = _mm256_set1_epi32(0x7fffffff);
    const __m256i special = _mm256_set1_epi32(int(libm_expf::kSpecialAbsBits) - 1);
    long i = 0;
    for (; i + kLanes <= n; i += kLanes) {
        const __m256 g = _mm256_loadu_ps(gate + i);
        const __m256 x = _mm256_castsi256_ps(_mm256_xor_si256(_mm256_castps_si256(g), _mm256_set1_epi32(int(0x80000000u))));
        const __m256d e0 = libmExpf4(_mm256_cvtps_pd(_mm256_castps256_ps128(x)), table);
        const __m256d e1 = libmExpf4(_mm256_cvtps_pd(_mm256_extractf128_ps(x, 1)), table);
        const __m256 e = _mm256_set_m128(_mm256_cvtpd_ps(e1), _mm256_cvtpd_ps(e0));
        const __m256 sig = _mm256_div_ps(one, _mm256_add_ps(one, e));
        _mm256_storeu_ps(gate + i, _mm256_mul_ps(_mm256_mul_ps(g, sig), _mm256_loadu_ps(up + i)));
        // |x| bits > special - 1 as signed ints: the absolute values are non-negative.
        const __m256i bits = _mm256_and_si256(_mm256_castps_si256(x), absMask);
        unsigned odd = unsigned(_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpgt_epi32(bits, special))));
        if (odd) {
            alignas(32) float gs[kLanes];
            _mm256_store_ps(gs, g);
            for (; odd; odd &= odd - 1) {
                const int l = __builtin_ctz(odd);
                gate[i + l] = gs[l] * (1.0f / (1.0f + std::exp(-gs[l]))) * up[i + l];
            }
        }
    }
    for (; i < n; ++i) gate[i] = gate[i] * (1.0f / (1.0f + std::exp(-gate[i]))) * up[i];
}

}  // namespace

namespace detail {
void matvecQ8_0Avx2(float* y, const uint8_t* W, const int8_t* xq, const float* xd, int rows,
                    int nBlocks) {
    assert(rows >= 0 && nBlocks >= 0);
    const long rowBytes = long(nBlocks) * kQ8_0BlockBytes;
    const bool prefetch = matvecPrefetch();
    for (int r = 0; r < rows; ++r) y[r] = dotRowQ8_0(W + r * rowBytes, xq, xd, nBlocks, prefetch);
}

const KernelTable kAvx2Table = {
    "avx2", matvecAvx2, gemmAvx2, dotAvx2, axpyAvx2, dotI8GroupsAvx2, matvecQ8_0Avx2,
    [](float* x, int n, float d) { return scaleMaxRow(x, n, d); },
    [](float* x, int n, float m) { expNormalizeRow(x, n, m); },
    [](const float* p, int n) { return entropyNats(p, n); },
    expSumAvx2,
    matvecBlocksAvx2,
    dequantizeAvx2,
    matvecQ8_KAvx2,
    quantizeQ8_KAvx2,
    streamRowAvx2,
    [](float* x, int n, float m) { return expNormalizeEntropyRow(x, n, m); },
    scoreRowTAvx2,
    valueRowTAvx2,
    topKAvx2,
    swigluAvx2,
};
}  // namespace detail

}  // namespace anatomy::kernels
