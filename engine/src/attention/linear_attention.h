#pragma once
// Linear attention (Katharopoulos et al., 2020): softmax(q·k) is replaced by the kernel
// φ(q)·φ(k) with the feature map φ(x) = elu(x) + 1 (positive), so the causal sum factorises:
//   out_i = φ(q_i)ᵀ S_i / (φ(q_i)ᵀ z_i),   S_i = Σ_{j<=i} φ(k_j) v_jᵀ  [d, d],   z_i = Σ_{j<=i} φ(k_j)  [d]
// S and z are running prefix sums, so a sequence of N tokens costs O(N d²) instead of softmax
// attention's O(N² d).
#include <cmath>
#include <cstdint>

namespace anatomy {

inline float linearFeature(float x) { return x > 0.0f ? x + 1.0f : std::exp(x); }  // elu(x) + 1

// One head over keys/values 0..nKv-1 (row stride kvStride), emitting outputs for the queries at
// positions start..nKv-1: q [nKv - start, row stride qStride], out likewise [.., headSize].
void linearAttentionHead(const float* q, int qStride, const float* k, const float* v, int kvStride,
                         int start, int nKv, int headSize, float* out, int outStride);

// Floating-point operations of one head over N tokens (a multiply-add counts 2, causal halving
// ignored): softmax attention 4 N² d (scores + weighted sum), linear attention 4 N d² + 4 N d
// (outer-product updates of S, the readout φ(q)ᵀS and the normaliser).
int64_t softmaxAttentionFlops(int64_t n, int64_t d);
int64_t linearAttentionFlops(int64_t n, int64_t d);

}  // namespace anatomy
