#pragma once
// The operations of training, each a forward and its backward (the chain rule written out).
// Rows are tokens: X [N, width] row-major. Backward functions take dY and what forward saved,
// and return dX (and parameter gradients). Products go through the engine's threaded SIMD gemm
// (kernels/matmul.h); elementwise loops are split over rows with oneTBB.
#include <vector>

#include "anatomy/sim_settings.h"

namespace anatomy::training {

// Y = X Wᵀ:  Y[n, r] = Σ_c X[n, c] W[r, c]      X [N, cols], W [rows, cols], Y [N, rows]
void linearForward(float* Y, const float* X, const float* W, int N, int rows, int cols);
// dX = dY W (dX[n, c] = Σ_r dY[n, r] W[r, c]); added to dX when accumulate, else written.
// dW = dYᵀ X (dW[r, c] = Σ_n dY[n, r] X[n, c]), written; dW may be null.
void linearBackward(float* dX, bool accumulate, float* dW, const float* dY, const float* X, const float* W, int N,
                    int rows, int cols);

// RMSNorm: r = 1 / sqrt(mean(x²) + eps), y = g ⊙ (r x) (norm.cpp's rmsNorm, same arithmetic).
// r: [N] saved for backward.
void rmsNormForward(float* Y, float* r, const float* X, const float* g, int N, int n, float eps);
// dx = r (g ⊙ dy) - r³ / n · x · Σ_i (g ⊙ dy)_i x_i;   dg = Σ_rows dy ⊙ r x (written).
// dX is added to (the residual stream's gradient already flows through it).
void rmsNormBackward(float* dX, float* dg, const float* dY, const float* X, const float* r, const float* g, int N,
                     int n);

// LayerNorm without bias (norm.cpp's layerNorm, same arithmetic):
//   μ = mean(x), r = 1 / sqrt(mean((x - μ)²) + eps), x̂ = (x - μ) r, y = g ⊙ x̂.   mean, r: [N]
void layerNormForward(float* Y, float* mean, float* r, const float* X, const float* g, int N, int n, float eps);
// dx̂ = g ⊙ dy;  dx = r (dx̂ - mean(dx̂) - x̂ mean(dx̂ ⊙ x̂))  (added to dX);  dg = Σ_rows dy ⊙ x̂ (written).
void layerNormBackward(float* dX, float* dg, const float* dY, const float* X, const float* mean, const float* r,
                       const float* g, int N, int n);

// BatchNorm over the N rows (Ioffe & Szegedy, 2015), per feature i, without bias:
//   training:  μ_i = mean_n x[n, i],  σ²_i = mean_n (x[n, i] - μ_i)²,  r_i = 1 / sqrt(σ²_i + eps);
//              running ← (1 - m) running + m (μ, σ² N / (N - 1))   (PyTorch's momentum m = 0.1)
//   eval:      μ, σ² = the running statistics (no update); update = false: batch statistics, no update
//   y = g ⊙ (x - μ) r.   mean, r: [n] saved for backward.
void batchNormForward(float* Y, float* mean, float* r, const float* X, const float* g, int N, int n, float eps,
                      float* runMean, float* runVar, bool training, bool update = true, float momentum = 0.1f);
// With batch statistics: dx̂ = g ⊙ dy;  dx = r (dx̂ - mean_n dx̂ - x̂ mean_n(dx̂ x̂)) (added to dX);
// dg = Σ_n dy ⊙ x̂ (written).
void batchNormBackward(float* dX, float* dg, const float* dY, const float* X, const float* mean, const float* r,
                       const float* g, int N, int n);

// RoPE over T positions per sequence (positions restart at 0 for each of the N / T sequences),
// heads of headSize in each row of width nHeads · headSize, adjacent pairs (positions/rope.h):
//   x'[2i] = x[2i] cos - x[2i+1] sin,  x'[2i+1] = x[2i] sin + x[2i+1] cos,  angle = pos θ_i
// cosTable, sinTable: [T, headSize / 2]. Backward rotates by -angle (the transpose).
void ropeTables(std::vector<float>& cosTable, std::vector<float>& sinTable, int T, int headSize, float base);
void ropeApply(float* X, int N, int T, int nHeads, int headSize, const float* cosTable, const float* sinTable,
               bool inverse);

// Causal softmax attention per sequence b and query head h (KV head h / (nHeads / nKvHeads)):
//   S[t, j] = q_t · k_j / sqrt(d),  j <= t;   P = softmax_j(S);   O_t = Σ_j P[t, j] v_j
// Q, O: [B T, nHeads hs]; K, V: [B T, nKvHeads hs]; P: [B, nHeads, T, T] (saved).
// alibi: [nHeads] slopes m_h (alibi.h) or null; with them S[t, j] -= m_h (t - j). The bias is a
// constant, so the backward below serves both.
void attentionForward(float* O, float* P, const float* Q, const float* K, const float* V, int B, int T, int nHeads,
                      int nKvHeads, int hs, const float* alibi = nullptr);
//   dV_j = Σ_t P[t, j] dO_t,   dP[t, j] = dO_t · v_j,   dS = P ⊙ (dP - Σ_j P dP) / sqrt(d),
//   dQ_t = Σ_j dS[t, j] k_j,   dK_j = Σ_t dS[t, j] q_t      (dQ, dK, dV written)
void attentionBackward(float* dQ, float* dK, float* dV, const float* dO, const float* P, const float* Q,
                       const float* K, const float* V, int B, int T, int nHeads, int nKvHeads, int hs);

// SwiGLU gate: g = silu(a) ⊙ b, silu(a) = a σ(a) (activation.cpp's expression).
void swigluForward(float* G, const float* A, const float* Bv, long n);
// da = dg ⊙ b ⊙ σ(a)(1 + a(1 - σ(a))),  db = dg ⊙ silu(a)   (written)
void swigluBackward(float* dA, float* dB, const float* dG, const float* A, const float* Bv, long n);
// Any gate nonlinearity f (activation.h): g = f(a) ⊙ b (gatedActivation's arithmetic);
// da = dg ⊙ b ⊙ f'(a), db = dg ⊙ f(a) (evaluateActivation's value and derivative). Silu goes
// through the two functions above.
void gatedForward(Activation f, const ActivationParams& p, float* G, const float* A, const float* Bv, long n);
void gatedBackward(Activation f, const ActivationParams& p, float* dA, float* dB, const float* dG, const float* A,
                   const float* Bv, long n);

// A plain (not gated) FFN's nonlinearity, GPT-2's W2 f(W1 h): g = f(a) (activation.h's activate);
// da = dg ⊙ f'(a) (written).
void activationForward(Activation f, const ActivationParams& p, float* G, const float* A, long n);
void activationBackward(Activation f, const ActivationParams& p, float* dA, const float* dG, const float* A, long n);

// Gated attention (Qiu et al., 2025), the gate after the heads' outputs, before W_o:
//   s = σ(h W_gᵀ)  [N, width];  width = nHeads (head-wise: s[n, head] scales the head's hs values)
//   or nHeads hs (element-wise);   Y[n, i] = O[n, i] s[n, i / (qDim / width)]
// S holds σ; O, Y: [N, qDim].
void attentionGateApply(float* Y, const float* O, const float* S, int N, int qDim, int width);
// dO = dY ⊙ s (written);  dPre[n, j] = σ'(·) Σ_{i in gate j} dY[n, i] O[n, i] = s (1 - s) Σ dY O (written)
void attentionGateBackward(float* dO, float* dPre, const float* dY, const float* O, const float* S, int N, int qDim,
                           int width);

// Mean cross-entropy over N rows: L = (1/N) Σ_n (logsumexp(z_n) - z_n[y_n]). Replaces logits
// with dL/dz = (softmax(z) - onehot(y)) / N. Returns L (summed in double).
double crossEntropyForwardBackward(float* logits, const int* targets, int N, int vocab);
// Only the loss, logits unchanged.
double crossEntropy(const float* logits, const int* targets, int N, int vocab);

}  // namespace anatomy::training
