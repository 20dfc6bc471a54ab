#include "anatomy/activation.h"

#include "anatomy/kernels.h"

#include <cmath>
#include <numbers>

namespace anatomy {

namespace {

inline float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

inline float apply(Activation a, const ActivationParams& p, float x) {
    switch (a) {
        case Activation::Silu: return x * (1.0f / (1.0f + std::exp(-x)));
        case Activation::GeluErf: return 0.5f * x * (1.0f + std::erf(x / std::numbers::sqrt2_v<float>));
        case Activation::GeluTanh: {
            const float u = std::sqrt(2.0f / std::numbers::pi_v<float>) * (x + 0.044715f * x * x * x);
            return 0.5f * x * (1.0f + std::tanh(u));
        }
        case Activation::Relu: return x > 0.0f ? x : 0.0f;
        case Activation::LeakyRelu: return x > 0.0f ? x : p.leakySlope * x;
        case Activation::Elu: return x > 0.0f ? x : p.eluAlpha * (std::exp(x) - 1.0f);
        case Activation::Swish: return x * sigmoid(p.swishBeta * x);
    }
    return x;
}

}  // namespace

ActivationPoint evaluateActivation(Activation a, const ActivationParams& p, float x) {
    float d = 0.0f;
    switch (a) {
        case Activation::Silu: {
            const float s = sigmoid(x);
            d = s * (1.0f + x * (1.0f - s));
            break;
        }
        case Activation::GeluErf: {
            const float cdf = 0.5f * (1.0f + std::erf(x / std::numbers::sqrt2_v<float>));
            const float pdf = std::exp(-0.5f * x * x) / std::sqrt(2.0f * std::numbers::pi_v<float>);
            d = cdf + x * pdf;
            break;
        }
        case Activation::GeluTanh: {
            const float k = std::sqrt(2.0f / std::numbers::pi_v<float>);
            const float u = k * (x + 0.044715f * x * x * x);
            const float th = std::tanh(u);
            d = 0.5f * (1.0f + th) + 0.5f * x * (1.0f - th * th) * k * (1.0f + 3.0f * 0.044715f * x * x);
            break;
        }
        case Activation::Relu: d = x > 0.0f ? 1.0f : 0.0f; break;
        case Activation::LeakyRelu: d = x > 0.0f ? 1.0f : p.leakySlope; break;
        case Activation::Elu: d = x > 0.0f ? 1.0f : p.eluAlpha * std::exp(x); break;
        case Activation::Swish: {
            const float s = sigmoid(p.swishBeta * x);
            d = s * (1.0f + p.swishBeta * x * (1.0f - s));
            break;
        }
    }
    return {apply(a, p, x), d};
}

void activate(Activation a, const ActivationParams& p, float* x, long n) {
    for (long i = 0; i < n; ++i) x[i] = apply(a, p, x[i]);
}

void gatedActivation(Activation a, const ActivationParams& p, float* gate, const float* up, long n) {
    if (a == Activation::Silu) {  // libm's expf bit for bit, vectorised (KernelTable::swiglu)
        kernels::activeKernels().swiglu(gate, up, n);
        return;
    }
    for (long i = 0; i < n; ++i) gate[i] = apply(a, p, gate[i]) * up[i];
}

}  // namespace anatomy
