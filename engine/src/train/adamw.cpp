#include "train/adamw.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace anatomy::training {

double scheduledLr(const TrainOptimisation& o, int step) {
    if (step < o.warmup) return o.lr * double(step + 1) / double(o.warmup);
    const double progress = double(step - o.warmup) / double(std::max(1, o.steps - o.warmup));
    return o.minLr + (o.lr - o.minLr) * 0.5 * (1.0 + std::cos(std::numbers::pi * std::min(1.0, progress)));
}

double clipGradients(std::vector<float>& g, double clip) {
    double ss = 0.0;
    for (float x : g) ss += double(x) * double(x);
    const double norm = std::sqrt(ss);
    if (clip > 0.0) {
        const double coef = clip / (norm + 1e-6);
        if (coef < 1.0) {
            const float c = float(coef);
            for (float& x : g) x *= c;
        }
    }
    return norm;
}

void adamwStep(std::vector<float>& params, const std::vector<float>& grads, const std::vector<uint8_t>& decay,
               AdamWState& state, const TrainOptimisation& o, double lr) {
    if (state.m.size() != params.size()) state.m.assign(params.size(), 0.0f);
    if (state.v.size() != params.size()) state.v.assign(params.size(), 0.0f);
    state.t += 1;
    const double bc1 = 1.0 - std::pow(o.beta1, double(state.t));
    const double bc2 = 1.0 - std::pow(o.beta2, double(state.t));
    const float b1 = float(o.beta1), b2 = float(o.beta2), eps = float(o.eps);
    const float stepSize = float(lr / bc1), sqrtBc2 = float(std::sqrt(bc2));
    const float shrink = float(1.0 - lr * o.weightDecay);
    tbb::parallel_for(tbb::blocked_range<size_t>(0, params.size(), 4096), [&](const tbb::blocked_range<size_t>& r) {
        for (size_t i = r.begin(); i < r.end(); ++i) {
            if (decay[i]) params[i] *= shrink;
            const float g = grads[i];
            state.m[i] = b1 * state.m[i] + (1.0f - b1) * g;
            state.v[i] = b2 * state.v[i] + (1.0f - b2) * g * g;
            params[i] -= stepSize * state.m[i] / (std::sqrt(state.v[i]) / sqrtBc2 + eps);
        }
    });
}

}  // namespace anatomy::training
