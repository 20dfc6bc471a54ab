#pragma once
// The row loops of training's elementwise steps (the causal softmax and its backward, SwiGLU and
// cross-entropy), written once (train_rows.inl) and built twice: for baseline x86-64, the
// reference twin, and with AVX2 + FMA (train_rows_avx2.cpp). The table is chosen once at start-up
// (ANATOMY_KERNELS=scalar selects the baseline build). The loops are plain C++ the compiler
// vectorises: the exp is fast_exp.h's polynomial (relative error < 2e-7), reductions keep eight
// partial sums or maxima, so the baseline build computes the same formulas in 4-lane SSE.
namespace anatomy::training {

struct TrainRowKernels {
    const char* name;
    // One query row of causal attention, t = n - 1:  s_j = row[j] / sqrt(d) - slope (t - j),
    // row[j] = softmax_j(s) for j <= t, 0 for t < j < T.
    void (*causalSoftmax)(float* row, int n, int T, float sqrtD, float slope);
    // dS row from dP (in ds) and P:  ds[j] = p[j] (ds[j] - Σ_i p[i] ds[i]) / sqrt(d) for j < n, 0 to T.
    void (*softmaxBackward)(float* ds, const float* p, int n, int T, float invSqrtD);
    // g = silu(a) ⊙ b;   da = dg ⊙ b ⊙ σ(a)(1 + a(1 - σ(a))),  db = dg ⊙ silu(a)
    void (*swigluForward)(float* G, const float* A, const float* B, long n);
    void (*swigluBackward)(float* dA, float* dB, const float* dG, const float* A, const float* B, long n);
    // GPT-2's GELU, g = 0.5 a (1 + tanh u), u = sqrt(2/π)(a + 0.044715 a³) (activation.cpp's
    // formula, tanh u = 1 - 2 / (exp(2u) + 1));  da = dg (0.5 (1 + tanh u) + 0.5 a (1 - tanh² u) du/da)
    void (*geluTanhForward)(float* G, const float* A, long n);
    void (*geluTanhBackward)(float* dA, const float* dG, const float* A, long n);
    // -log softmax(z)[y] of one row of vocab logits (the log-sum-exp summed in double).
    double (*crossEntropyRow)(const float* z, int y, int vocab);
    // The same, and z <- scale (softmax(z) - onehot(y)) (the mean's gradient with scale = 1 / N).
    double (*crossEntropyGradRow)(float* z, int y, int vocab, float scale);
};

const TrainRowKernels& trainRowKernels();
// The baseline build (the reference twin), and the AVX2 one or null when the CPU lacks it.
const TrainRowKernels& trainRowKernelsBaseline();
const TrainRowKernels* trainRowKernelsAvx2();

}  // namespace anatomy::training
