#include "attention/linear_attention.h"

#include <vector>

namespace anatomy {

void linearAttentionHead(const float* q, int qStride, const float* k, const float* v, int kvStride,
                         int start, int nKv, int d, float* out, int outStride) {
    std::vector<double> S(size_t(d) * d, 0.0);  // [d, d]  Σ φ(k_j) v_jᵀ
    std::vector<double> z(size_t(d), 0.0);      // [d]     Σ φ(k_j)
    std::vector<float> phi(static_cast<size_t>(d));
    for (int j = 0; j < nKv; ++j) {
        const float* kj = k + size_t(j) * kvStride;
        const float* vj = v + size_t(j) * kvStride;
        for (int a = 0; a < d; ++a) {
            const double fk = linearFeature(kj[a]);
            z[size_t(a)] += fk;
            for (int b = 0; b < d; ++b) S[size_t(a) * d + b] += fk * vj[b];
        }
        if (j < start) continue;
        const float* qi = q + size_t(j - start) * qStride;
        for (int a = 0; a < d; ++a) phi[size_t(a)] = linearFeature(qi[a]);
        double norm = 0.0;
        for (int a = 0; a < d; ++a) norm += phi[size_t(a)] * z[size_t(a)];
        float* o = out + size_t(j - start) * outStride;
        for (int b = 0; b < d; ++b) {
            double acc = 0.0;
            for (int a = 0; a < d; ++a) acc += phi[size_t(a)] * S[size_t(a) * d + b];
            o[b] = float(acc / norm);
        }
    }
}

int64_t softmaxAttentionFlops(int64_t n, int64_t d) { return 4 * n * n * d; }
int64_t linearAttentionFlops(int64_t n, int64_t d) { return 4 * n * d * d + 4 * n * d; }

}  // namespace anatomy
