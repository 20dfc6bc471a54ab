#include "norm/norm.h"

#include <cmath>
#include <vector>

#include "anatomy/error.h"

namespace anatomy {

void rmsNorm(float* o, const float* x, const float* g, int n, float eps) {
    float ss = 0.0f;
    for (int i = 0; i < n; ++i) ss += x[i] * x[i];
    ss = ss / float(n) + eps;
    ss = 1.0f / std::sqrt(ss);
    if (g)
        for (int i = 0; i < n; ++i) o[i] = g[i] * (ss * x[i]);
    else
        for (int i = 0; i < n; ++i) o[i] = ss * x[i];
}

void layerNorm(float* o, const float* x, const float* g, int n, float eps) {
    float mean = 0.0f;
    for (int i = 0; i < n; ++i) mean += x[i];
    mean /= float(n);
    float var = 0.0f;
    for (int i = 0; i < n; ++i) var += (x[i] - mean) * (x[i] - mean);
    var /= float(n);
    const float inv = 1.0f / std::sqrt(var + eps);
    for (int i = 0; i < n; ++i) o[i] = (g ? g[i] : 1.0f) * ((x[i] - mean) * inv);
}

void batchNorm(float* o, const float* x, const float* g, RunningStats stats, int n, float eps) {
    for (int i = 0; i < n; ++i) {
        const float r = 1.0f / std::sqrt(stats.var[i] + eps);
        o[i] = (g ? g[i] : 1.0f) * ((x[i] - stats.mean[i]) * r);
    }
}

void applyNorm(NormType type, float* o, const float* x, const float* g, int n, float eps, RunningStats stats) {
    if (type == NormType::Rms) {
        rmsNorm(o, x, g, n, eps);
    } else if (type == NormType::Batch) {
        if (!stats.mean || !stats.var) throw Error("BatchNorm: no running statistics for this norm");
        batchNorm(o, x, g, stats, n, eps);
    } else {
        layerNorm(o, x, g, n, eps);
    }
}

void normHeads(NormType type, float* x, const float* g, int rows, int hs, float eps) {
    for (int r = 0; r < rows; ++r) applyNorm(type, x + size_t(r) * hs, x + size_t(r) * hs, g, hs, eps);
}

float deepNormAlpha(int nLayers) { return std::pow(2.0f * float(nLayers), 0.25f); }

}  // namespace anatomy
