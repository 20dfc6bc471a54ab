#include "train/train_ops.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "anatomy/activation.h"
#include "anatomy/kernels.h"
#include "kernels/matmul.h"
#include "kernels/train_gemm.h"
#include "train/train_rows.h"

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

}  // namespace

// The three products of a linear layer are one packed GEMM each (kernels/train_gemm.h): the
// transposes are folded into how the panels are read, so no transposed copy is made.
void linearForward(float* Y, const float* X, const float* W, int N, int rows, int cols) {
    kernels::trainGemm(false, true, N, rows, cols, X, cols, W, cols, Y, rows, false);
}

void linearBackward(float* dX, bool accumulate, float* dW, const float* dY, const float* X, const float* W, int N,
                    int rows, int cols) {
    // dX [N, cols] (+)= dY [N, rows] W [rows, cols]
    if (dX) kernels::trainGemm(false, false, N, cols, rows, dY, rows, W, cols, dX, cols, accumulate);
    // dW [rows, cols] = dYᵀ [rows, N] X [N, cols]: dY read down its columns
    if (dW) kernels::trainGemm(true, false, rows, cols, N, dY, rows, X, cols, dW, cols, false);
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

void layerNormForward(float* Y, float* mean, float* r, const float* X, const float* g, int N, int n, float eps) {
    forRows(N, [&](long row) {
        const float* x = X + row * n;
        float* y = Y + row * n;
        float mu = 0.0f;
        for (int i = 0; i < n; ++i) mu += x[i];
        mu /= float(n);
        float var = 0.0f;
        for (int i = 0; i < n; ++i) var += (x[i] - mu) * (x[i] - mu);
        var /= float(n);
        const float inv = 1.0f / std::sqrt(var + eps);
        mean[row] = mu;
        r[row] = inv;
        for (int i = 0; i < n; ++i) y[i] = g[i] * ((x[i] - mu) * inv);
    });
}

void layerNormBackward(float* dX, float* dg, const float* dY, const float* X, const float* mean, const float* r,
                       const float* g, int N, int n) {
    forRows(N, [&](long row) {
        const float* x = X + row * n;
        const float* dy = dY + row * n;
        float* dx = dX + row * n;
        const float mu = mean[row], rr = r[row];
        float sumD = 0.0f, sumDX = 0.0f;  // Σ dx̂, Σ dx̂ x̂
        for (int i = 0; i < n; ++i) {
            const float d = g[i] * dy[i];
            sumD += d;
            sumDX += d * ((x[i] - mu) * rr);
        }
        const float mD = sumD / float(n), mDX = sumDX / float(n);
        for (int i = 0; i < n; ++i) dx[i] += rr * (g[i] * dy[i] - mD - ((x[i] - mu) * rr) * mDX);
    });
    std::fill_n(dg, n, 0.0f);
    for (long row = 0; row < N; ++row) {
        const float* x = X + row * n;
        const float* dy = dY + row * n;
        for (int i = 0; i < n; ++i) dg[i] += dy[i] * ((x[i] - mean[row]) * r[row]);
    }
}

void batchNormForward(float* Y, float* mean, float* r, const float* X, const float* g, int N, int n, float eps,
                      float* runMean, float* runVar, bool training, bool update, float momentum) {
    if (training) {
        // Statistics in double, row by row: the same for any thread count.
        std::vector<double> mu(size_t(n), 0.0), var(size_t(n), 0.0);
        for (long row = 0; row < N; ++row)
            for (int i = 0; i < n; ++i) mu[size_t(i)] += X[row * n + i];
        for (int i = 0; i < n; ++i) mu[size_t(i)] /= N;
        for (long row = 0; row < N; ++row)
            for (int i = 0; i < n; ++i) {
                const double d = X[row * n + i] - mu[size_t(i)];
                var[size_t(i)] += d * d;
            }
        for (int i = 0; i < n; ++i) {
            var[size_t(i)] /= N;
            mean[i] = float(mu[size_t(i)]);
            r[i] = float(1.0 / std::sqrt(var[size_t(i)] + eps));
            if (!update) continue;
            runMean[i] = (1.0f - momentum) * runMean[i] + momentum * mean[i];
            runVar[i] = (1.0f - momentum) * runVar[i] + momentum * float(N > 1 ? var[size_t(i)] * N / (N - 1) : var[size_t(i)]);
        }
    } else {
        for (int i = 0; i < n; ++i) {
            mean[i] = runMean[i];
            r[i] = 1.0f / std::sqrt(runVar[i] + eps);
        }
    }
    forRows(N, [&](long row) {
        for (int i = 0; i < n; ++i) Y[row * n + i] = g[i] * ((X[row * n + i] - mean[i]) * r[i]);
    });
}

void batchNormBackward(float* dX, float* dg, const float* dY, const float* X, const float* mean, const float* r,
                       const float* g, int N, int n) {
    // Sums over the rows in double: every row's gradient depends on them.
    std::vector<double> sumD(size_t(n), 0.0), sumDX(size_t(n), 0.0), sumG(size_t(n), 0.0);
    for (long row = 0; row < N; ++row)
        for (int i = 0; i < n; ++i) {
            const double xh = (double(X[row * n + i]) - mean[i]) * r[i];
            const double d = double(g[i]) * dY[row * n + i];
            sumD[size_t(i)] += d;
            sumDX[size_t(i)] += d * xh;
            sumG[size_t(i)] += double(dY[row * n + i]) * xh;
        }
    for (int i = 0; i < n; ++i) dg[i] = float(sumG[size_t(i)]);
    forRows(N, [&](long row) {
        for (int i = 0; i < n; ++i) {
            const float xh = (X[row * n + i] - mean[i]) * r[i];
            dX[row * n + i] += r[i] * (g[i] * dY[row * n + i] - float(sumD[size_t(i)] / N) - xh * float(sumDX[size_t(i)] / N));
        }
    });
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

namespace {

// Query rows per block of the causal products: block [t0, t1) needs keys [0, t1) only, and the
// transposed products of backward (dK, dV) for keys [j0, j1) need queries [j0, T) only.
constexpr int kQueryBlock = 64;

// S[t, j] = a_t · b_j for j < t1 of each query block (entries j > t are computed, then masked).
// a: [T] rows of hs with stride lda; b: [T] rows of hs with stride ldb; S: [T, T].
void causalScores(kernels::TrainGemmFn gemm, float* S, const float* a, long lda, const float* b, long ldb, int T,
                  int hs) {
    for (int t0 = 0; t0 < T; t0 += kQueryBlock) {
        const int t1 = std::min(T, t0 + kQueryBlock);
        gemm(false, true, t1 - t0, t1, hs, a + t0 * lda, lda, b, ldb, S + long(t0) * T, T, false);
    }
}

// Y[t] = Σ_{j <= t} M[t, j] x_j:  M [T, T] zero above the diagonal, x rows of hs (stride ldx),
// Y rows of hs (stride ldy); each query block reads keys [0, t1) only.
void causalApply(kernels::TrainGemmFn gemm, float* Y, long ldy, const float* M, const float* x, long ldx, int T,
                 int hs) {
    for (int t0 = 0; t0 < T; t0 += kQueryBlock) {
        const int t1 = std::min(T, t0 + kQueryBlock);
        gemm(false, false, t1 - t0, hs, t1, M + long(t0) * T, T, x, ldx, Y + t0 * ldy, ldy, false);
    }
}

// Y[j] (+)= Σ_{t >= j} M[t, j] x_t  (Y = Mᵀ x, M read down its columns): keys [j0, j1) need
// queries [j0, T) only.
void causalApplyTransposed(kernels::TrainGemmFn gemm, float* Y, long ldy, const float* M, const float* x, long ldx,
                           int T, int hs, bool accumulate) {
    for (int j0 = 0; j0 < T; j0 += kQueryBlock) {
        const int j1 = std::min(T, j0 + kQueryBlock);
        gemm(true, false, j1 - j0, hs, T - j0, M + long(j0) * T + j0, T, x + j0 * ldx, ldx, Y + j0 * ldy, ldy,
             accumulate);
    }
}

// Per-thread [T, T] scratch of the backward tasks (each task runs on one worker at a time).
float* squareScratch(int T) {
    thread_local std::vector<float> buffer;
    if (buffer.size() < size_t(T) * T) buffer.resize(size_t(T) * T);
    return buffer.data();
}

}  // namespace

void attentionForward(float* O, float* P, const float* Q, const float* K, const float* V, int B, int T, int nHeads,
                      int nKvHeads, int hs, const float* alibi) {
    const kernels::TrainGemmFn gemm = kernels::trainGemmKernel();
    const int qDim = nHeads * hs, kvDim = nKvHeads * hs, group = nHeads / nKvHeads;
    const float sqrtD = std::sqrt(float(hs));
    const TrainRowKernels& rows = trainRowKernels();
    tbb::parallel_for(0, B * nHeads, [&](int unit) {
        const int b = unit / nHeads, h = unit % nHeads, kh = h / group;
        const float* k = K + long(b) * T * kvDim + long(kh) * hs;
        const float* v = V + long(b) * T * kvDim + long(kh) * hs;
        float* p = P + (long(b) * nHeads + h) * T * T;  // [T, T]
        const float* q = Q + long(b) * T * qDim + long(h) * hs;
        causalScores(gemm, p, q, qDim, k, kvDim, T, hs);
        const float slope = alibi ? alibi[h] : 0.0f;
        for (int t = 0; t < T; ++t) rows.causalSoftmax(p + long(t) * T, t + 1, T, sqrtD, slope);
        // O_h = P V_h: the masked entries are exact zeros, so the causal blocks give the full product.
        causalApply(gemm, O + long(b) * T * qDim + long(h) * hs, qDim, p, v, kvDim, T, hs);
    });
}

void attentionBackward(float* dQ, float* dK, float* dV, const float* dO, const float* P, const float* Q,
                       const float* K, const float* V, int B, int T, int nHeads, int nKvHeads, int hs) {
    const kernels::TrainGemmFn gemm = kernels::trainGemmKernel();
    const int qDim = nHeads * hs, kvDim = nKvHeads * hs, group = nHeads / nKvHeads;
    const float invSqrtD = 1.0f / std::sqrt(float(hs));
    const TrainRowKernels& rows = trainRowKernels();
    // One task per (sequence, KV head): it owns that head's dK and dV rows and its query heads' dQ.
    tbb::parallel_for(0, B * nKvHeads, [&](int unit) {
        const int b = unit / nKvHeads, kh = unit % nKvHeads;
        float* ds = squareScratch(T);  // [T, T]  dP, then dS
        const long kvBase = long(b) * T * kvDim + long(kh) * hs;
        for (int h = kh * group; h < (kh + 1) * group; ++h) {
            const long qBase = long(b) * T * qDim + long(h) * hs;
            const float* p = P + (long(b) * nHeads + h) * T * T;
            // dP = dO_h V_hᵀ (causal blocks), then dS = P ⊙ (dP - Σ_j P dP) / sqrt(d), 0 above the diagonal
            causalScores(gemm, ds, dO + qBase, qDim, V + kvBase, kvDim, T, hs);
            for (int t = 0; t < T; ++t) rows.softmaxBackward(ds + long(t) * T, p + long(t) * T, t + 1, T, invSqrtD);
            // dQ_h = dS K_h;  dK (+)= dSᵀ Q_h;  dV (+)= Pᵀ dO_h   (the group's heads summed in order)
            causalApply(gemm, dQ + qBase, qDim, ds, K + kvBase, kvDim, T, hs);
            const bool acc = h > kh * group;
            causalApplyTransposed(gemm, dK + kvBase, kvDim, ds, Q + qBase, qDim, T, hs, acc);
            causalApplyTransposed(gemm, dV + kvBase, kvDim, p, dO + qBase, qDim, T, hs, acc);
        }
    });
}

void swigluForward(float* G, const float* A, const float* Bv, long n) {
    const TrainRowKernels& rows = trainRowKernels();
    forRows((n + 1023) / 1024, [&](long blk) {
        const long i0 = blk * 1024;
        rows.swigluForward(G + i0, A + i0, Bv + i0, std::min(n, i0 + 1024) - i0);
    });
}

void swigluBackward(float* dA, float* dB, const float* dG, const float* A, const float* Bv, long n) {
    const TrainRowKernels& rows = trainRowKernels();
    forRows((n + 1023) / 1024, [&](long blk) {
        const long i0 = blk * 1024;
        rows.swigluBackward(dA + i0, dB + i0, dG + i0, A + i0, Bv + i0, std::min(n, i0 + 1024) - i0);
    });
}

void gatedForward(Activation f, const ActivationParams& p, float* G, const float* A, const float* Bv, long n) {
    if (f == Activation::Silu) return swigluForward(G, A, Bv, n);
    forRows((n + 255) / 256, [&](long blk) {
        const long i0 = blk * 256, len = std::min(n, i0 + 256) - i0;
        std::memcpy(G + i0, A + i0, sizeof(float) * size_t(len));
        gatedActivation(f, p, G + i0, Bv + i0, len);
    });
}

void gatedBackward(Activation f, const ActivationParams& p, float* dA, float* dB, const float* dG, const float* A,
                   const float* Bv, long n) {
    if (f == Activation::Silu) return swigluBackward(dA, dB, dG, A, Bv, n);
    forRows((n + 255) / 256, [&](long blk) {
        for (long i = blk * 256; i < std::min(n, blk * 256 + 256); ++i) {
            const ActivationPoint v = evaluateActivation(f, p, A[i]);
            dA[i] = dG[i] * Bv[i] * v.derivative;
            dB[i] = dG[i] * v.value;
        }
    });
}

void activationForward(Activation f, const ActivationParams& p, float* G, const float* A, long n) {
    if (f == Activation::GeluTanh) {  // GPT-2's: vectorised (train_rows.h)
        const TrainRowKernels& rows = trainRowKernels();
        return forRows((n + 1023) / 1024, [&](long blk) {
            const long i0 = blk * 1024;
            rows.geluTanhForward(G + i0, A + i0, std::min(n, i0 + 1024) - i0);
        });
    }
    forRows((n + 255) / 256, [&](long blk) {
        const long i0 = blk * 256, len = std::min(n, i0 + 256) - i0;
        std::memcpy(G + i0, A + i0, sizeof(float) * size_t(len));
        activate(f, p, G + i0, len);
    });
}

void activationBackward(Activation f, const ActivationParams& p, float* dA, const float* dG, const float* A, long n) {
    if (f == Activation::GeluTanh) {
        const TrainRowKernels& rows = trainRowKernels();
        return forRows((n + 1023) / 1024, [&](long blk) {
            const long i0 = blk * 1024;
            rows.geluTanhBackward(dA + i0, dG + i0, A + i0, std::min(n, i0 + 1024) - i0);
        });
    }
    forRows((n + 255) / 256, [&](long blk) {
        for (long i = blk * 256; i < std::min(n, blk * 256 + 256); ++i)
            dA[i] = dG[i] * evaluateActivation(f, p, A[i]).derivative;
    });
}

void attentionGateApply(float* Y, const float* O, const float* S, int N, int qDim, int width) {
    const int per = qDim / width;
    forRows(N, [&](long n) {
        for (int i = 0; i < qDim; ++i) Y[n * qDim + i] = O[n * qDim + i] * S[n * width + i / per];
    });
}

void attentionGateBackward(float* dO, float* dPre, const float* dY, const float* O, const float* S, int N, int qDim,
                           int width) {
    const int per = qDim / width;
    forRows(N, [&](long n) {
        for (int j = 0; j < width; ++j) {
            const float s = S[n * width + j];
            float acc = 0.0f;
            for (int i = j * per; i < (j + 1) * per; ++i) {
                dO[n * qDim + i] = dY[n * qDim + i] * s;
                acc += dY[n * qDim + i] * O[n * qDim + i];
            }
            dPre[n * width + j] = acc * s * (1.0f - s);
        }
    });
}

// The rows' log-sum-exp in double over fast_exp.h's exp (train_rows.h); the mean summed in row
// order, so the same for any thread count.
double crossEntropyForwardBackward(float* logits, const int* targets, int N, int vocab) {
    const TrainRowKernels& rows = trainRowKernels();
    std::vector<double> losses(static_cast<size_t>(N));
    forRows(N, [&](long n) {
        losses[size_t(n)] = rows.crossEntropyGradRow(logits + n * vocab, targets[n], vocab, 1.0f / float(N));
    });
    double total = 0.0;
    for (double l : losses) total += l;
    return total / N;
}

double crossEntropy(const float* logits, const int* targets, int N, int vocab) {
    const TrainRowKernels& rows = trainRowKernels();
    std::vector<double> losses(static_cast<size_t>(N));
    forRows(N, [&](long n) { losses[size_t(n)] = rows.crossEntropyRow(logits + n * vocab, targets[n], vocab); });
    double total = 0.0;
    for (double l : losses) total += l;
    return total / N;
}

}  // namespace anatomy::training
