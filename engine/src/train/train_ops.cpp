#include "train/train_ops.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "anatomy/kernels.h"
#include "kernels/matmul.h"

namespace anatomy::training {
namespace {

// Rows per task of the elementwise loops: enough work to pay for a task.
constexpr long kRowGrain = 16;

template <class Body>
void forRows(long n, const Body& body) {
    tbb::parallel_for(tbb::blocked_range<long>(0, n, kRowGrain), [&](const tbb::blocked_range<long>& r) {
        for (long i = r.begin(); i < r.end(); ++i) body(i);
    });
}

// Per-thread scratch vectors that grow and are reused (the products run on the calling thread,
// their blocks on workers, so one set per calling thread suffices).
float* scratch(int slot, size_t n) {
    thread_local std::vector<float> buffers[3];
    std::vector<float>& b = buffers[slot];
    if (b.size() < n) b.resize(n);
    return b.data();
}

// T[c, r] = M[r, c]:  M [rows, cols] -> T [cols, rows], in 32 x 32 tiles.
void transpose(float* T, const float* M, int rows, int cols) {
    constexpr int kTile = 32;
    const int rowTiles = (rows + kTile - 1) / kTile;
    tbb::parallel_for(0, rowTiles, [&](int rt) {
        const int r0 = rt * kTile, r1 = std::min(rows, r0 + kTile);
        for (int c0 = 0; c0 < cols; c0 += kTile) {
            const int c1 = std::min(cols, c0 + kTile);
            for (int r = r0; r < r1; ++r)
                for (int c = c0; c < c1; ++c) T[long(c) * rows + r] = M[long(r) * cols + c];
        }
    });
}

Matrix dense(const float* W, int rows, int cols) {
    Matrix m;
    m.rows = rows;
    m.cols = cols;
    m.f32 = W;
    return m;
}

}  // namespace

void linearForward(float* Y, const float* X, const float* W, int N, int rows, int cols) {
    ops::matmul(Y, X, dense(W, rows, cols), N);
}

void linearBackward(float* dX, bool accumulate, float* dW, const float* dY, const float* X, const float* W, int N,
                    int rows, int cols) {
    if (dX) {
        // dX = dY (Wᵀ)ᵀ: gemm against Wᵀ [cols, rows].
        float* wt = scratch(0, size_t(rows) * cols);
        transpose(wt, W, rows, cols);
        float* out = accumulate ? scratch(1, size_t(N) * cols) : dX;
        ops::matmul(out, dY, dense(wt, cols, rows), N);
        if (accumulate) forRows(N, [&](long n) {
            float* d = dX + n * cols;
            const float* o = out + n * cols;
            for (int c = 0; c < cols; ++c) d[c] += o[c];
        });
    }
    if (dW) {
        // dW [rows, cols] = dYᵀ [rows, N] against Xᵀ [cols, N].
        float* dyt = scratch(0, size_t(rows) * N);
        float* xt = scratch(2, size_t(cols) * N);
        transpose(dyt, dY, N, rows);
        transpose(xt, X, N, cols);
        ops::matmul(dW, dyt, dense(xt, cols, N), rows);
    }
}

void rmsNormForward(float* Y, float* r, const float* X, const float* g, int N, int n, float eps) {
    forRows(N, [&](long row) {
        const float* x = X + row * n;
        float* y = Y + row * n;
        float ss = 0.0f;
        for (int i = 0; i < n; ++i) ss += x[i] * x[i];
        ss = ss / float(n) + eps;
        ss = 1.0f / std::sqrt(ss);
        r[row] = ss;
        for (int i = 0; i < n; ++i) y[i] = g[i] * (ss * x[i]);
    });
}

void rmsNormBackward(float* dX, float* dg, const float* dY, const float* X, const float* r, const float* g, int N,
                     int n) {
    forRows(N, [&](long row) {
        const float* x = X + row * n;
        const float* dy = dY + row * n;
        float* dx = dX + row * n;
        const float rr = r[row];
        float s = 0.0f;  // Σ_i g_i dy_i x_i
        for (int i = 0; i < n; ++i) s += g[i] * dy[i] * x[i];
        const float c = rr * rr * rr * s / float(n);
        for (int i = 0; i < n; ++i) dx[i] += rr * g[i] * dy[i] - c * x[i];
    });
    // dg in a fixed order (row by row), so it does not depend on the thread count.
    std::fill_n(dg, n, 0.0f);
    for (long row = 0; row < N; ++row) {
        const float* x = X + row * n;
        const float* dy = dY + row * n;
        const float rr = r[row];
        for (int i = 0; i < n; ++i) dg[i] += dy[i] * (rr * x[i]);
    }
}

void ropeTables(std::vector<float>& cosTable, std::vector<float>& sinTable, int T, int headSize, float base) {
    // θ_i exactly as RopeTable computes it (positions/rope.h), angle = float(pos) θ_i in float.
    std::vector<float> freq;
    for (int i = 0; i < headSize; i += 2) freq.push_back(1.0f / std::pow(base, float(i) / float(headSize)));
    const int half = headSize / 2;
    cosTable.assign(size_t(T) * half, 0.0f);
    sinTable.assign(size_t(T) * half, 0.0f);
    for (int pos = 0; pos < T; ++pos)
        for (int i = 0; i < half; ++i) {
            const float angle = float(pos) * freq[size_t(i)];
            cosTable[size_t(pos) * half + i] = std::cos(angle);
            sinTable[size_t(pos) * half + i] = std::sin(angle);
        }
}

void ropeApply(float* X, int N, int T, int nHeads, int headSize, const float* cosTable, const float* sinTable,
               bool inverse) {
    const int half = headSize / 2, width = nHeads * headSize;
    forRows(N, [&](long row) {
        const int pos = int(row % T);
        const float* c = cosTable + long(pos) * half;
        const float* s = sinTable + long(pos) * half;
        for (int h = 0; h < nHeads; ++h) {
            float* x = X + row * width + long(h) * headSize;
            for (int i = 0; i < half; ++i) {
                const float v0 = x[2 * i], v1 = x[2 * i + 1];
                const float si = inverse ? -s[i] : s[i];
                x[2 * i] = v0 * c[i] - v1 * si;
                x[2 * i + 1] = v0 * si + v1 * c[i];
            }
        }
    });
}

void attentionForward(float* O, float* P, const float* Q, const float* K, const float* V, int B, int T, int nHeads,
                      int nKvHeads, int hs) {
    const kernels::KernelTable& k = kernels::activeKernels();
    const int qDim = nHeads * hs, kvDim = nKvHeads * hs, group = nHeads / nKvHeads;
    const float sqrtD = std::sqrt(float(hs));
    tbb::parallel_for(0, B * nHeads, [&](int unit) {
        const int b = unit / nHeads, h = unit % nHeads, kh = h / group;
        for (int t = 0; t < T; ++t) {
            const float* q = Q + (long(b) * T + t) * qDim + long(h) * hs;
            float* p = P + ((long(b) * nHeads + h) * T + t) * T;
            float maxv = -INFINITY;
            for (int j = 0; j <= t; ++j) {
                p[j] = k.dot(q, K + (long(b) * T + j) * kvDim + long(kh) * hs, hs) / sqrtD;
                maxv = std::max(maxv, p[j]);
            }
            float sum = 0.0f;
            for (int j = 0; j <= t; ++j) {
                p[j] = std::exp(p[j] - maxv);
                sum += p[j];
            }
            const float inv = 1.0f / sum;
            for (int j = 0; j <= t; ++j) p[j] *= inv;
            std::fill(p + t + 1, p + T, 0.0f);
            float* o = O + (long(b) * T + t) * qDim + long(h) * hs;
            std::fill_n(o, hs, 0.0f);
            for (int j = 0; j <= t; ++j) k.axpy(o, p[j], V + (long(b) * T + j) * kvDim + long(kh) * hs, hs);
        }
    });
}

void attentionBackward(float* dQ, float* dK, float* dV, const float* dO, const float* P, const float* Q,
                       const float* K, const float* V, int B, int T, int nHeads, int nKvHeads, int hs) {
    const kernels::KernelTable& k = kernels::activeKernels();
    const int qDim = nHeads * hs, kvDim = nKvHeads * hs, group = nHeads / nKvHeads;
    const float sqrtD = std::sqrt(float(hs));
    // One task per (sequence, KV head): it owns that head's dK and dV rows and its query heads' dQ.
    tbb::parallel_for(0, B * nKvHeads, [&](int unit) {
        const int b = unit / nKvHeads, kh = unit % nKvHeads;
        std::vector<float> dp(static_cast<size_t>(T));
        for (int t = 0; t < T; ++t) {
            std::fill_n(dK + (long(b) * T + t) * kvDim + long(kh) * hs, hs, 0.0f);
            std::fill_n(dV + (long(b) * T + t) * kvDim + long(kh) * hs, hs, 0.0f);
        }
        for (int h = kh * group; h < (kh + 1) * group; ++h)
            for (int t = 0; t < T; ++t) {
                const long qRow = (long(b) * T + t) * qDim + long(h) * hs;
                const float* p = P + ((long(b) * nHeads + h) * T + t) * T;
                const float* dout = dO + qRow;
                float dsum = 0.0f;  // Σ_j P dP
                for (int j = 0; j <= t; ++j) {
                    dp[size_t(j)] = k.dot(dout, V + (long(b) * T + j) * kvDim + long(kh) * hs, hs);
                    dsum += p[j] * dp[size_t(j)];
                }
                float* dq = dQ + qRow;
                std::fill_n(dq, hs, 0.0f);
                for (int j = 0; j <= t; ++j) {
                    const long kvRow = (long(b) * T + j) * kvDim + long(kh) * hs;
                    const float ds = p[j] * (dp[size_t(j)] - dsum) / sqrtD;
                    k.axpy(dq, ds, K + kvRow, hs);
                    k.axpy(dK + kvRow, ds, Q + qRow, hs);
                    k.axpy(dV + kvRow, p[j], dout, hs);
                }
            }
    });
}

void swigluForward(float* G, const float* A, const float* Bv, long n) {
    forRows((n + 255) / 256, [&](long blk) {
        for (long i = blk * 256; i < std::min(n, blk * 256 + 256); ++i)
            G[i] = A[i] * (1.0f / (1.0f + std::exp(-A[i]))) * Bv[i];
    });
}

void swigluBackward(float* dA, float* dB, const float* dG, const float* A, const float* Bv, long n) {
    forRows((n + 255) / 256, [&](long blk) {
        for (long i = blk * 256; i < std::min(n, blk * 256 + 256); ++i) {
            const float s = 1.0f / (1.0f + std::exp(-A[i]));
            dA[i] = dG[i] * Bv[i] * s * (1.0f + A[i] * (1.0f - s));
            dB[i] = dG[i] * A[i] * s;
        }
    });
}

namespace {

// -log softmax(z)[y] of one row, with the log-sum-exp in double.
double rowLoss(const float* z, int y, int vocab, float* maxOut, double* sumOut) {
    float maxv = z[0];
    for (int i = 1; i < vocab; ++i) maxv = std::max(maxv, z[i]);
    double sum = 0.0;
    for (int i = 0; i < vocab; ++i) sum += std::exp(double(z[i]) - maxv);
    if (maxOut) *maxOut = maxv;
    if (sumOut) *sumOut = sum;
    return std::log(sum) + maxv - double(z[y]);
}

}  // namespace

double crossEntropyForwardBackward(float* logits, const int* targets, int N, int vocab) {
    std::vector<double> losses(static_cast<size_t>(N));
    forRows(N, [&](long n) {
        float* z = logits + n * vocab;
        float maxv;
        double sum;
        losses[size_t(n)] = rowLoss(z, targets[n], vocab, &maxv, &sum);
        for (int i = 0; i < vocab; ++i) z[i] = float(std::exp(double(z[i]) - maxv) / sum / N);
        z[targets[n]] -= 1.0f / float(N);
    });
    double total = 0.0;  // in row order: the same sum for any thread count
    for (double l : losses) total += l;
    return total / N;
}

double crossEntropy(const float* logits, const int* targets, int N, int vocab) {
    std::vector<double> losses(static_cast<size_t>(N));
    forRows(N, [&](long n) { losses[size_t(n)] = rowLoss(logits + n * vocab, targets[n], vocab, nullptr, nullptr); });
    double total = 0.0;
    for (double l : losses) total += l;
    return total / N;
}

}  // namespace anatomy::training
