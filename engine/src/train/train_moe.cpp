#include "train/train_moe.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "train/train_ops.h"

namespace anatomy::training {

namespace {

// One expert's FFN on its rows, forward: a = W1 x, (b = W3 x), g = act(a) ⊙ b or act(a), o = W2 g.
void expertForward(const TrainShape& s, MoeActivations::Expert& ex, const float* w1, const float* w2,
                   const float* w3) {
    const int n = int(ex.slots.size()), dim = s.dim, H = s.hidden;
    ex.a.assign(size_t(n) * H, 0.0f);
    ex.b.assign(s.gatedFfn ? size_t(n) * H : 0, 0.0f);
    ex.g.assign(size_t(n) * H, 0.0f);
    ex.o.assign(size_t(n) * dim, 0.0f);
    if (n == 0) return;
    linearForward(ex.a.data(), ex.x.data(), w1, n, H, dim);
    if (s.gatedFfn) {
        linearForward(ex.b.data(), ex.x.data(), w3, n, H, dim);
        gatedForward(s.activation, s.activationParams, ex.g.data(), ex.a.data(), ex.b.data(), long(n) * H);
    } else {
        activationForward(s.activation, s.activationParams, ex.g.data(), ex.a.data(), long(n) * H);
    }
    linearForward(ex.o.data(), ex.g.data(), w2, n, dim, H);
}

}  // namespace

void moeForward(const TrainShape& s, float* Y, MoeActivations& act, const float* H, const MoeWeights& w,
                const float* noise, int B, int T, double auxWeight) {
    const int N = B * T, E = s.moe.experts, k = s.moe.topK, dim = s.dim, hid = s.hidden;
    act.logits.assign(size_t(N) * E, 0.0f);
    act.probs.assign(size_t(N) * E, 0.0f);
    act.choice.assign(size_t(N) * k, 0);
    act.weight.assign(size_t(N) * k, 0.0f);
    act.kept.assign(size_t(N) * k, 0);
    act.assigned.assign(size_t(E), 0.0);
    act.experts.assign(size_t(E), {});
    act.dropped = 0;
    // 1. z = W_r h (+ σ ε), p = softmax(z)
    linearForward(act.logits.data(), H, w.router, N, E, dim);
    for (int n = 0; n < N; ++n) {
        float* z = act.logits.data() + size_t(n) * E;
        if (noise)
            for (int e = 0; e < E; ++e) z[e] += s.moe.noiseStd * noise[size_t(n) * E + e];
        float* p = act.probs.data() + size_t(n) * E;
        const float maxv = *std::max_element(z, z + E);
        float sum = 0.0f;
        for (int e = 0; e < E; ++e) sum += (p[e] = std::exp(z[e] - maxv));
        for (int e = 0; e < E; ++e) p[e] /= sum;
        // 2. the k largest logits, then their gates
        std::vector<int> order(static_cast<size_t>(E));
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return z[x] > z[y]; });
        int* c = act.choice.data() + size_t(n) * k;
        float* g = act.weight.data() + size_t(n) * k;
        for (int j = 0; j < k; ++j) c[j] = order[size_t(j)];
        if (s.moe.gate == MoeGate::Prob) {
            for (int j = 0; j < k; ++j) g[j] = p[c[j]];
        } else if (s.moe.gate == MoeGate::Softmax) {
            float gs = 0.0f;
            for (int j = 0; j < k; ++j) gs += (g[j] = std::exp(z[c[j]] - z[c[0]]));
            for (int j = 0; j < k; ++j) g[j] /= gs;
        } else {
            std::fill_n(g, k, 1.0f);
        }
        for (int j = 0; j < k; ++j) act.assigned[size_t(c[j])] += 1.0;
    }
    // 3. capacity per expert and sequence, served in token order, then rank order
    const long capacity = s.moe.capacityFactor > 0 ? long(std::ceil(double(s.moe.capacityFactor) * T * k / E)) : long(N) * k;
    for (int b = 0; b < B; ++b) {
        std::vector<long> used(size_t(E), 0);
        for (int t = 0; t < T; ++t)
            for (int j = 0; j < k; ++j) {
                const int n = b * T + t, e = act.choice[size_t(n) * k + j];
                if (used[size_t(e)] < capacity) {
                    ++used[size_t(e)];
                    act.kept[size_t(n) * k + j] = 1;
                    act.experts[size_t(e)].slots.push_back(n * k + j);
                } else {
                    ++act.dropped;
                }
            }
    }
    // 4. each expert on its rows; y_n = Σ w FFN_e(h_n)
    std::fill_n(Y, size_t(N) * dim, 0.0f);
    for (int e = 0; e < E; ++e) {
        MoeActivations::Expert& ex = act.experts[size_t(e)];
        ex.x.resize(ex.slots.size() * size_t(dim));
        for (size_t r = 0; r < ex.slots.size(); ++r)
            std::memcpy(ex.x.data() + r * dim, H + size_t(ex.slots[r] / k) * dim, sizeof(float) * size_t(dim));
        expertForward(s, ex, w.w1 + size_t(e) * hid * dim, w.w2 + size_t(e) * dim * hid,
                      s.gatedFfn ? w.w3 + size_t(e) * hid * dim : nullptr);
        for (size_t r = 0; r < ex.slots.size(); ++r) {
            const int slot = ex.slots[r];
            const float gate = act.weight[size_t(slot)];
            float* y = Y + size_t(slot / k) * dim;
            const float* o = ex.o.data() + r * dim;
            for (int i = 0; i < dim; ++i) y[i] += gate * o[i];
        }
    }
    // 5. α E Σ_e f_e P_e
    double aux = 0.0;
    for (int e = 0; e < E; ++e) {
        double P = 0.0;
        for (int n = 0; n < N; ++n) P += act.probs[size_t(n) * E + e];
        aux += act.assigned[size_t(e)] / (double(N) * k) * (P / N);
    }
    act.aux = auxWeight * E * aux;
}

void moeBackward(const TrainShape& s, float* dH, const MoeGrads& g, const float* dY, const MoeActivations& act,
                 const float* H, const MoeWeights& w, int B, int T, double auxWeight) {
    const int N = B * T, E = s.moe.experts, k = s.moe.topK, dim = s.dim, hid = s.hidden;
    std::fill_n(dH, size_t(N) * dim, 0.0f);
    std::vector<float> dWeight(size_t(N) * k, 0.0f);  // dL/dw_{n,j}
    for (int e = 0; e < E; ++e) {
        const MoeActivations::Expert& ex = act.experts[size_t(e)];
        const int n = int(ex.slots.size());
        float* dW1 = g.w1 + size_t(e) * hid * dim;
        float* dW2 = g.w2 + size_t(e) * dim * hid;
        float* dW3 = s.gatedFfn ? g.w3 + size_t(e) * hid * dim : nullptr;
        if (n == 0) {
            std::fill_n(dW1, size_t(hid) * dim, 0.0f);
            std::fill_n(dW2, size_t(dim) * hid, 0.0f);
            if (dW3) std::fill_n(dW3, size_t(hid) * dim, 0.0f);
            continue;
        }
        // do_r = w dY_n;  dw = dY_n · o_r
        std::vector<float> dO(size_t(n) * dim), dG(size_t(n) * hid), dA(size_t(n) * hid),
            dB(s.gatedFfn ? size_t(n) * hid : 0), dX(size_t(n) * dim);
        for (int r = 0; r < n; ++r) {
            const int slot = ex.slots[size_t(r)];
            const float* dy = dY + size_t(slot / k) * dim;
            const float* o = ex.o.data() + size_t(r) * dim;
            float dot = 0.0f;
            for (int i = 0; i < dim; ++i) {
                dO[size_t(r) * dim + i] = act.weight[size_t(slot)] * dy[i];
                dot += dy[i] * o[i];
            }
            dWeight[size_t(slot)] = dot;
        }
        const float* w1 = w.w1 + size_t(e) * hid * dim;
        const float* w2 = w.w2 + size_t(e) * dim * hid;
        linearBackward(dG.data(), false, dW2, dO.data(), ex.g.data(), w2, n, dim, hid);
        if (s.gatedFfn) {
            gatedBackward(s.activation, s.activationParams, dA.data(), dB.data(), dG.data(), ex.a.data(), ex.b.data(),
                          long(n) * hid);
            linearBackward(dX.data(), false, dW1, dA.data(), ex.x.data(), w1, n, hid, dim);
            linearBackward(dX.data(), true, dW3, dB.data(), ex.x.data(), w.w3 + size_t(e) * hid * dim, n, hid, dim);
        } else {
            activationBackward(s.activation, s.activationParams, dA.data(), dG.data(), ex.a.data(), long(n) * hid);
            linearBackward(dX.data(), false, dW1, dA.data(), ex.x.data(), w1, n, hid, dim);
        }
        for (int r = 0; r < n; ++r) {
            float* dh = dH + size_t(ex.slots[size_t(r)] / k) * dim;
            for (int i = 0; i < dim; ++i) dh[i] += dX[size_t(r) * dim + i];
        }
    }
    // Through the gates and the auxiliary loss to the logits.
    std::vector<float> dz(size_t(N) * E, 0.0f);
    const double auxScale = auxWeight * E / double(N);  // dAux/dp_{n,e} = α E f_e / N
    for (int n = 0; n < N; ++n) {
        const float* p = act.probs.data() + size_t(n) * E;
        const int* c = act.choice.data() + size_t(n) * k;
        const float* wv = act.weight.data() + size_t(n) * k;
        const float* dw = dWeight.data() + size_t(n) * k;
        float* d = dz.data() + size_t(n) * E;
        std::vector<float> dp(size_t(E), 0.0f);
        for (int e = 0; e < E; ++e) dp[size_t(e)] = float(auxScale * act.assigned[size_t(e)] / (double(N) * k));
        if (s.moe.gate == MoeGate::Prob) {
            for (int j = 0; j < k; ++j) dp[size_t(c[j])] += dw[j];
        } else if (s.moe.gate == MoeGate::Softmax) {
            // w = softmax over the chosen logits: dz_j = w_j (dw_j - Σ w dw)
            float sum = 0.0f;
            for (int j = 0; j < k; ++j) sum += wv[j] * dw[j];
            for (int j = 0; j < k; ++j) d[c[j]] += wv[j] * (dw[j] - sum);
        }
        // p = softmax(z): dz = p ⊙ (dp - Σ p dp)
        float sum = 0.0f;
        for (int e = 0; e < E; ++e) sum += p[e] * dp[size_t(e)];
        for (int e = 0; e < E; ++e) d[e] += p[e] * (dp[size_t(e)] - sum);
    }
    // z = W_r h: dW_r = dzᵀ H, dH += dz W_r
    linearBackward(dH, true, g.router, dz.data(), H, w.router, N, E, dim);
}

}  // namespace anatomy::training
