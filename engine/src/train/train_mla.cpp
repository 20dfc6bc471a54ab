#include "train/train_mla.h"

#include <cstring>

#include "train/train_model.h"
#include "train/train_ops.h"

namespace anatomy::training {

namespace {

// Copies columns: dst[n, dOff + i] = src[n, sOff + i], i < width, for every row.
void copyCols(float* dst, int dStride, int dOff, const float* src, int sStride, int sOff, int width, int N) {
    for (int n = 0; n < N; ++n)
        std::memcpy(dst + long(n) * dStride + dOff, src + long(n) * sStride + sOff, sizeof(float) * size_t(width));
}

}  // namespace

void mlaForward(const TrainShape& s, const LayerTensors& w, const float* h, float* latent, float* Q, float* K, float* V,
                int N, int T, const float* cosR, const float* sinR) {
    const int H = s.nHeads, hs = s.headSize(), dr = s.mlaRopeDim, r = s.mlaRank, dim = s.dim, ah = hs + dr,
              qDim = s.qDim();
    std::vector<float> qc(size_t(N) * qDim), kc(size_t(N) * qDim), vc(size_t(N) * qDim), qr(size_t(N) * H * dr),
        kr(size_t(N) * dr);
    linearForward(latent, h, w.wdkv, N, r, dim);           // c = W_dkv h
    linearForward(kc.data(), latent, w.wuk, N, qDim, r);   // k_c = W_uk c
    linearForward(vc.data(), latent, w.wuv, N, qDim, r);   // v = W_uv c
    linearForward(qc.data(), h, w.wq, N, qDim, dim);       // q_c = W_q h
    if (dr > 0) {
        linearForward(qr.data(), h, w.wqr, N, H * dr, dim);  // q_r = RoPE(W_qr h)
        linearForward(kr.data(), h, w.wkr, N, dr, dim);      // k_r = RoPE(W_kr h)
        ropeApply(qr.data(), N, T, H, dr, cosR, sinR, false);
        ropeApply(kr.data(), N, T, 1, dr, cosR, sinR, false);
    }
    std::fill_n(V, size_t(N) * H * ah, 0.0f);
    for (int hd = 0; hd < H; ++hd) {
        copyCols(Q, H * ah, hd * ah, qc.data(), qDim, hd * hs, hs, N);
        copyCols(K, H * ah, hd * ah, kc.data(), qDim, hd * hs, hs, N);
        copyCols(V, H * ah, hd * ah, vc.data(), qDim, hd * hs, hs, N);
        if (dr > 0) {
            copyCols(Q, H * ah, hd * ah + hs, qr.data(), H * dr, hd * dr, dr, N);
            copyCols(K, H * ah, hd * ah + hs, kr.data(), dr, 0, dr, N);
        }
    }
}

void mlaBackward(const TrainShape& s, const LayerTensors& w, const LayerTensors& g, const float* h, const float* latent,
                 const float* dQ, const float* dK, const float* dV, float* dh, int N, int T, const float* cosR,
                 const float* sinR) {
    const int H = s.nHeads, hs = s.headSize(), dr = s.mlaRopeDim, r = s.mlaRank, dim = s.dim, ah = hs + dr,
              qDim = s.qDim();
    std::vector<float> dqc(size_t(N) * qDim), dkc(size_t(N) * qDim), dvc(size_t(N) * qDim), dqr(size_t(N) * H * dr),
        dkr(size_t(N) * dr, 0.0f), dc(size_t(N) * r);
    for (int hd = 0; hd < H; ++hd) {
        copyCols(dqc.data(), qDim, hd * hs, dQ, H * ah, hd * ah, hs, N);
        copyCols(dkc.data(), qDim, hd * hs, dK, H * ah, hd * ah, hs, N);
        copyCols(dvc.data(), qDim, hd * hs, dV, H * ah, hd * ah, hs, N);
        if (dr > 0) {
            copyCols(dqr.data(), H * dr, hd * dr, dQ, H * ah, hd * ah + hs, dr, N);
            for (int n = 0; n < N; ++n)  // k_r serves every head: its gradient is their sum
                for (int i = 0; i < dr; ++i) dkr[size_t(n) * dr + i] += dK[long(n) * H * ah + hd * ah + hs + i];
        }
    }
    // c's gradient through W_uk and W_uv, then h's through W_dkv, W_q (and the RoPE parts)
    linearBackward(dc.data(), false, g.wuk, dkc.data(), latent, w.wuk, N, qDim, r);
    linearBackward(dc.data(), true, g.wuv, dvc.data(), latent, w.wuv, N, qDim, r);
    linearBackward(dh, true, g.wdkv, dc.data(), h, w.wdkv, N, r, dim);
    linearBackward(dh, true, g.wq, dqc.data(), h, w.wq, N, qDim, dim);
    if (dr > 0) {
        ropeApply(dqr.data(), N, T, H, dr, cosR, sinR, true);
        ropeApply(dkr.data(), N, T, 1, dr, cosR, sinR, true);
        linearBackward(dh, true, g.wqr, dqr.data(), h, w.wqr, N, H * dr, dim);
        linearBackward(dh, true, g.wkr, dkr.data(), h, w.wkr, N, dr, dim);
    }
}

void mlaNarrow(const TrainShape& s, float* att, const float* wide, int N) {
    const int H = s.nHeads, hs = s.headSize(), ah = hs + s.mlaRopeDim;
    for (int hd = 0; hd < H; ++hd) copyCols(att, H * hs, hd * hs, wide, H * ah, hd * ah, hs, N);
}

void mlaWiden(const TrainShape& s, float* wide, const float* att, int N) {
    const int H = s.nHeads, hs = s.headSize(), ah = hs + s.mlaRopeDim;
    std::fill_n(wide, size_t(N) * H * ah, 0.0f);
    for (int hd = 0; hd < H; ++hd) copyCols(wide, H * ah, hd * ah, att, H * hs, hd * hs, hs, N);
}

}  // namespace anatomy::training
