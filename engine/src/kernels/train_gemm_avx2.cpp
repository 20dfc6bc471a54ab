// The training GEMM (train_gemm.h) with AVX2 + FMA. Built with -mavx2 -mfma; only reached
// through trainGemmAvx2(), which checks the CPU first.
//
// Loop nest (BLIS): for each kc-deep block of k (in order), pack B's block into 16-column panels
// [kc, 16]; for each 72-row block of A, pack it into 6-row panels [kc, 6] (a transposed A; a
// row-major A is read in place, see microKernel); then every (6 x 16)
// tile of C gets kc rank-1 updates from one A and one B panel: per k, two B vectors, six
// broadcasts of A, twelve FMAs. A 6 x 256 A panel (6 KiB) and a 256 x 16 B panel (16 KiB) stay
// in L1; the B block (up to 256 x N) in L2. Edge panels are padded with zeros (0 · b adds
// nothing), edge tiles go through a local 6 x 16 tile.
#include <immintrin.h>

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <vector>

#include "kernels/train_gemm.h"

namespace anatomy::kernels {
namespace {

constexpr int kMr = 6, kNr = 16;
constexpr int kMc = 72;  // rows of A per packed block (a multiple of kMr)

// Per-thread, 64-byte aligned scratch that grows and is reused (no allocation per call once warm).
float* alignedScratch(std::vector<float>& buffer, size_t n) {
    if (buffer.size() < n + 16) buffer.resize(n + 16);
    const std::uintptr_t address = reinterpret_cast<std::uintptr_t>(buffer.data());
    return buffer.data() + (64 - address % 64) % 64 / sizeof(float);
}

// Ap [kc, 6] for rows [m0, m0 + mr) and depth [k0, k0 + kc): Ap[k 6 + i] = A(m0 + i, k0 + k).
void packA(float* Ap, bool transA, const float* A, long lda, int m0, int mr, int k0, int kc) {
    if (transA) {  // A(m, k) = a[k lda + m]: six contiguous values per k
        if (mr == kMr) {
            for (int k = 0; k < kc; ++k) {
                const float* src = A + long(k0 + k) * lda + m0;
                float* dst = Ap + long(k) * kMr;
                _mm_storeu_ps(dst, _mm_loadu_ps(src));
                dst[4] = src[4];
                dst[5] = src[5];
            }
            return;
        }
        for (int k = 0; k < kc; ++k) {
            const float* src = A + long(k0 + k) * lda + m0;
            float* dst = Ap + long(k) * kMr;
            int i = 0;
            for (; i < mr; ++i) dst[i] = src[i];
            for (; i < kMr; ++i) dst[i] = 0.0f;
        }
        return;
    }
    // A(m, k) = a[m lda + k]: six rows read side by side
    const float* rows[kMr];
    for (int i = 0; i < kMr; ++i) rows[i] = A + long(m0 + std::min(i, mr - 1)) * lda + k0;
    if (mr == kMr) {
        for (int k = 0; k < kc; ++k)
            for (int i = 0; i < kMr; ++i) Ap[long(k) * kMr + i] = rows[i][k];
        return;
    }
    for (int k = 0; k < kc; ++k)
        for (int i = 0; i < kMr; ++i) Ap[long(k) * kMr + i] = i < mr ? rows[i][k] : 0.0f;
}

// Bp [kc, 16] for columns [n0, n0 + nr): Bp[k 16 + j] = B(k0 + k, n0 + j).
void packB(float* Bp, bool transB, const float* B, long ldb, int n0, int nr, int k0, int kc) {
    if (!transB) {  // B(k, n) = b[k ldb + n]: sixteen contiguous values per k
        if (nr == kNr) {
            for (int k = 0; k < kc; ++k) {
                const float* src = B + long(k0 + k) * ldb + n0;
                _mm256_store_ps(Bp + long(k) * kNr, _mm256_loadu_ps(src));
                _mm256_store_ps(Bp + long(k) * kNr + 8, _mm256_loadu_ps(src + 8));
            }
            return;
        }
        for (int k = 0; k < kc; ++k) {
            const float* src = B + long(k0 + k) * ldb + n0;
            float* dst = Bp + long(k) * kNr;
            int j = 0;
            for (; j < nr; ++j) dst[j] = src[j];
            for (; j < kNr; ++j) dst[j] = 0.0f;
        }
        return;
    }
    // B(k, n) = b[n ldb + k]: a transpose; 8 x 8 blocks through registers, tails in scalar code
    int j = 0;
    for (; j + 8 <= nr; j += 8) {
        const float* src = B + long(n0 + j) * ldb + k0;
        int k = 0;
        for (; k + 8 <= kc; k += 8) {
            __m256 r[8];
            for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(src + long(i) * ldb + k);
            // 8 x 8 transpose: unpack pairs, then 64-bit shuffles, then 128-bit lanes
            const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
            const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
            const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
            const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
            const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
            const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
            const __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
            const __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
            float* dst = Bp + long(k) * kNr + j;
            _mm256_storeu_ps(dst + 0 * kNr, _mm256_permute2f128_ps(u0, u4, 0x20));
            _mm256_storeu_ps(dst + 1 * kNr, _mm256_permute2f128_ps(u1, u5, 0x20));
            _mm256_storeu_ps(dst + 2 * kNr, _mm256_permute2f128_ps(u2, u6, 0x20));
            _mm256_storeu_ps(dst + 3 * kNr, _mm256_permute2f128_ps(u3, u7, 0x20));
            _mm256_storeu_ps(dst + 4 * kNr, _mm256_permute2f128_ps(u0, u4, 0x31));
            _mm256_storeu_ps(dst + 5 * kNr, _mm256_permute2f128_ps(u1, u5, 0x31));
            _mm256_storeu_ps(dst + 6 * kNr, _mm256_permute2f128_ps(u2, u6, 0x31));
            _mm256_storeu_ps(dst + 7 * kNr, _mm256_permute2f128_ps(u3, u7, 0x31));
        }
        for (; k < kc; ++k)
            for (int i = 0; i < 8; ++i) Bp[long(k) * kNr + j + i] = src[long(i) * ldb + k];
    }
    for (; j < kNr; ++j)
        for (int k = 0; k < kc; ++k) Bp[long(k) * kNr + j] = j < nr ? B[long(n0 + j) * ldb + k0 + k] : 0.0f;
}

// C tile [6, 16] (row stride ldc) = (load ? C : 0) + Σ_k a(i, k) Bp[k, :], a(i, k) = Ap[k sk + i si]:
// a packed panel (sk = 6, si = 1) or A's own rows (sk = 1, si = lda: each broadcast reads A where
// it lies, so a product with few columns, N = 32 in attention, does not pay for packing A).
void microKernel(int kc, const float* Ap, long si, long sk, const float* Bp, float* C, long ldc, bool load) {
    __m256 c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
    if (load) {
        c00 = _mm256_loadu_ps(C + 0 * ldc), c01 = _mm256_loadu_ps(C + 0 * ldc + 8);
        c10 = _mm256_loadu_ps(C + 1 * ldc), c11 = _mm256_loadu_ps(C + 1 * ldc + 8);
        c20 = _mm256_loadu_ps(C + 2 * ldc), c21 = _mm256_loadu_ps(C + 2 * ldc + 8);
        c30 = _mm256_loadu_ps(C + 3 * ldc), c31 = _mm256_loadu_ps(C + 3 * ldc + 8);
        c40 = _mm256_loadu_ps(C + 4 * ldc), c41 = _mm256_loadu_ps(C + 4 * ldc + 8);
        c50 = _mm256_loadu_ps(C + 5 * ldc), c51 = _mm256_loadu_ps(C + 5 * ldc + 8);
    } else {
        c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = _mm256_setzero_ps();
    }
    const float *a0 = Ap, *a1 = Ap + si, *a2 = Ap + 2 * si, *a3 = Ap + 3 * si, *a4 = Ap + 4 * si, *a5 = Ap + 5 * si;
    for (int k = 0; k < kc; ++k) {
        const __m256 b0 = _mm256_load_ps(Bp), b1 = _mm256_load_ps(Bp + 8);
        const long o = long(k) * sk;
        __m256 a = _mm256_broadcast_ss(a0 + o);
        c00 = _mm256_fmadd_ps(a, b0, c00), c01 = _mm256_fmadd_ps(a, b1, c01);
        a = _mm256_broadcast_ss(a1 + o);
        c10 = _mm256_fmadd_ps(a, b0, c10), c11 = _mm256_fmadd_ps(a, b1, c11);
        a = _mm256_broadcast_ss(a2 + o);
        c20 = _mm256_fmadd_ps(a, b0, c20), c21 = _mm256_fmadd_ps(a, b1, c21);
        a = _mm256_broadcast_ss(a3 + o);
        c30 = _mm256_fmadd_ps(a, b0, c30), c31 = _mm256_fmadd_ps(a, b1, c31);
        a = _mm256_broadcast_ss(a4 + o);
        c40 = _mm256_fmadd_ps(a, b0, c40), c41 = _mm256_fmadd_ps(a, b1, c41);
        a = _mm256_broadcast_ss(a5 + o);
        c50 = _mm256_fmadd_ps(a, b0, c50), c51 = _mm256_fmadd_ps(a, b1, c51);
        Bp += kNr;
    }
    _mm256_storeu_ps(C + 0 * ldc, c00), _mm256_storeu_ps(C + 0 * ldc + 8, c01);
    _mm256_storeu_ps(C + 1 * ldc, c10), _mm256_storeu_ps(C + 1 * ldc + 8, c11);
    _mm256_storeu_ps(C + 2 * ldc, c20), _mm256_storeu_ps(C + 2 * ldc + 8, c21);
    _mm256_storeu_ps(C + 3 * ldc, c30), _mm256_storeu_ps(C + 3 * ldc + 8, c31);
    _mm256_storeu_ps(C + 4 * ldc, c40), _mm256_storeu_ps(C + 4 * ldc + 8, c41);
    _mm256_storeu_ps(C + 5 * ldc, c50), _mm256_storeu_ps(C + 5 * ldc + 8, c51);
}

void trainGemmAvx2Impl(bool transA, bool transB, int M, int N, int K, const float* A, long lda, const float* B,
                       long ldb, float* C, long ldc, bool accumulate) {
    assert(M >= 0 && N >= 0 && K >= 0);
    if (M == 0 || N == 0) return;
    if (K == 0) {
        if (!accumulate)
            for (int m = 0; m < M; ++m) std::fill_n(C + long(m) * ldc, N, 0.0f);
        return;
    }
    thread_local std::vector<float> aBuffer, bBuffer;
    const int nPanels = (N + kNr - 1) / kNr;
    const int kcMax = std::min(K, kGemmKc);
    float* Bp = alignedScratch(bBuffer, size_t(nPanels) * kNr * kcMax);  // [nPanels][kc, 16]
    float* Ap = alignedScratch(aBuffer, size_t(kMc) * kcMax);             // [kMc / 6][kc, 6]
    alignas(32) float edge[kMr * kNr] = {};
    for (int k0 = 0; k0 < K; k0 += kGemmKc) {
        const int kc = std::min(kGemmKc, K - k0);
        const bool load = accumulate || k0 > 0;
        for (int p = 0; p < nPanels; ++p)
            packB(Bp + long(p) * kNr * kc, transB, B, ldb, p * kNr, std::min(kNr, N - p * kNr), k0, kc);
        for (int m0 = 0; m0 < M; m0 += kMc) {
            const int mc = std::min(kMc, M - m0);
            // A row-major: full panels are read in place (sk = 1, si = lda), only a last partial
            // one is packed (zero rows); A transposed: every panel packed (six contiguous values a k).
            for (int i = 0; i < mc; i += kMr)
                if (transA || mc - i < kMr)
                    packA(Ap + long(i) * kc, transA, A, lda, m0 + i, std::min(kMr, mc - i), k0, kc);
            for (int p = 0; p < nPanels; ++p) {
                const int n0 = p * kNr, nr = std::min(kNr, N - n0);
                for (int i = 0; i < mc; i += kMr) {
                    const int mr = std::min(kMr, mc - i);
                    const bool direct = !transA && mr == kMr;
                    const float* a = direct ? A + long(m0 + i) * lda + k0 : Ap + long(i) * kc;
                    const long si = direct ? lda : 1, sk = direct ? 1 : kMr;
                    float* c = C + long(m0 + i) * ldc + n0;
                    if (mr == kMr && nr == kNr) {
                        microKernel(kc, a, si, sk, Bp + long(p) * kNr * kc, c, ldc, load);
                        continue;
                    }
                    // Edge tile: through a local tile, only the live part copied in and out.
                    if (load)
                        for (int r = 0; r < mr; ++r) std::memcpy(edge + r * kNr, c + long(r) * ldc, sizeof(float) * nr);
                    microKernel(kc, a, si, sk, Bp + long(p) * kNr * kc, edge, kNr, load);
                    for (int r = 0; r < mr; ++r) std::memcpy(c + long(r) * ldc, edge + r * kNr, sizeof(float) * nr);
                }
            }
        }
    }
}

}  // namespace

namespace detail {
void trainGemmAvx2Kernel(bool transA, bool transB, int M, int N, int K, const float* A, long lda, const float* B,
                         long ldb, float* C, long ldc, bool accumulate) {
    trainGemmAvx2Impl(transA, transB, M, N, K, A, lda, B, ldb, C, ldc, accumulate);
}
}  // namespace detail

}  // namespace anatomy::kernels
