#include "attention/latent_attention.h"

#include <cmath>
#include <cstring>
#include <vector>

#include "anatomy/kernels.h"
#include "forward/forward_state.h"
#include "kernels/matmul.h"

namespace anatomy {

void latentProjections(const LayerWeights& w, const AttentionSpec& a, const RopeTable& rope, const float* h,
                       int start, int T, float* latent, float* ropeKeys, float* q, float* qContent, float* qRope) {
    const int H = a.nHeads, hs = a.headSize, dr = a.latentRopeDim, wide = hs + dr;
    ops::matmul(latent, h, w.wdkv, T);    // c = W_dkv h          [T, r]
    ops::matmul(qContent, h, w.wq, T);    // q_c = W_q h          [T, H hs]
    if (dr > 0) {
        ops::matmul(ropeKeys, h, w.wkr, T);  // k_r = RoPE(W_kr h)   [T, d_r]
        ops::matmul(qRope, h, w.wqr, T);     // q_r = RoPE(W_qr h)   [T, H d_r]
        for (int t = 0; t < T; ++t) {
            rope.rotate(ropeKeys + size_t(t) * dr, start + t);
            for (int hd = 0; hd < H; ++hd) rope.rotate(qRope + (size_t(t) * H + hd) * dr, start + t);
        }
    }
    // q_h = [q_c,h ; q_r,h]
    for (int t = 0; t < T; ++t)
        for (int hd = 0; hd < H; ++hd) {
            float* dst = q + (size_t(t) * H + hd) * wide;
            std::memcpy(dst, qContent + (size_t(t) * H + hd) * hs, sizeof(float) * size_t(hs));
            if (dr > 0) std::memcpy(dst + hs, qRope + (size_t(t) * H + hd) * dr, sizeof(float) * size_t(dr));
        }
}

namespace {

// Whole heads: expand head h's keys [nKv, hs + d_r] and values (transposed, [hs, nKv]) from the
// cache, then causal softmax attention of the T queries over them.
void latentHeads(const AttentionInput& in, int begin, int end) {
    const AttentionSpec& a = *in.spec;
    const int H = a.nHeads, hs = a.headSize, r = a.latentRank, dr = a.latentRopeDim, wide = hs + dr;
    const int nKv = in.start + in.T;
    const float sqrtD = std::sqrt(float(wide));
    const auto& k = kernels::activeKernels();
    thread_local std::vector<float> keys, valuesT, row;
    growTo(keys, size_t(nKv) * wide);    // [nKv, hs + d_r]
    growTo(valuesT, size_t(hs) * nKv);   // [hs, nKv]
    growTo(row, size_t(nKv));            // [nKv] one query's scores, then probabilities
    for (int h = begin; h < end; ++h) {
        const float* uk = in.upKeys + size_t(h) * hs * r;    // W_uk,h [hs, r]
        const float* uv = in.upValues + size_t(h) * hs * r;  // W_uv,h [hs, r]
        for (int j = 0; j < nKv; ++j) {
            const float* c = in.keys + size_t(j) * r;
            float* kj = &keys[size_t(j) * wide];
            for (int i = 0; i < hs; ++i) {
                kj[i] = k.dot(uk + size_t(i) * r, c, r);
                valuesT[size_t(i) * nKv + j] = k.dot(uv + size_t(i) * r, c, r);
            }
            if (dr > 0) std::memcpy(kj + hs, in.values + size_t(j) * dr, sizeof(float) * size_t(dr));
        }
        const float slope = a.alibi ? in.alibiSlopes[size_t(h)] : 0.0f;
        for (int t = 0; t < in.T; ++t) {
            const int pos = in.start + t, n = pos + 1;  // the causal mask hides j > pos
            const float* qt = in.q + (size_t(t) * H + h) * wide;
            float* s = row.data();
            float maxv = -INFINITY;
            for (int j = 0; j < n; ++j) {
                s[j] = k.dot(qt, &keys[size_t(j) * wide], wide) / sqrtD - slope * float(pos - j);
                maxv = std::max(maxv, s[j]);
            }
            in.cap->scoresRow(in.layer, h, t, s, n);
            k.expNormalize(s, n, maxv);
            in.cap->probsRow(in.layer, h, t, s, n, true);
            float* out = in.out + (size_t(t) * H + h) * hs;
            for (int i = 0; i < hs; ++i) out[i] = k.dot(s, &valuesT[size_t(i) * nKv], n);
        }
    }
}

const AttentionVariant kLatent{"latent (MLA)", false, latentHeads};

}  // namespace

const AttentionVariant& latentAttention() { return kLatent; }

}  // namespace anatomy
