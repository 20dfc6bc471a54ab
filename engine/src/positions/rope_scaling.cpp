#include "anatomy/rope_scaling.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace anatomy {

std::vector<float> ropeBaseFrequencies(int headSize, float base) {
    std::vector<float> f;
    for (int i = 0; i < headSize; i += 2) f.push_back(1.0f / std::pow(base, float(i) / float(headSize)));
    return f;
}

std::vector<float> ropeScaledFrequencies(const RopeScalingParams& p, int headSize, float base,
                                         int trainedContext, int currentLength) {
    const float s = p.factor;
    const float L0 = float(p.originalContext > 0 ? p.originalContext : trainedContext);
    const float d = float(headSize);
    const float twoPi = 2.0f * std::numbers::pi_v<float>;
    switch (p.method) {
        case RopeScaling::None: return ropeBaseFrequencies(headSize, base);
        case RopeScaling::Linear: {
            auto f = ropeBaseFrequencies(headSize, base);
            for (float& x : f) x = x / s;
            return f;
        }
        case RopeScaling::Ntk: return ropeBaseFrequencies(headSize, base * std::pow(s, d / (d - 2.0f)));
        case RopeScaling::DynamicNtk: {
            const float L = float(currentLength);
            const float sNow = L > L0 ? std::max(1.0f, s * L / L0 - (s - 1.0f)) : 1.0f;
            return ropeBaseFrequencies(headSize, base * std::pow(sNow, d / (d - 2.0f)));
        }
        case RopeScaling::NtkByParts:
        case RopeScaling::Yarn: {
            auto f = ropeBaseFrequencies(headSize, base);
            for (float& th : f) {
                const float r = L0 * th / twoPi;  // rotations of this pair over the original context
                const float g = std::clamp((r - p.rampAlpha) / (p.rampBeta - p.rampAlpha), 0.0f, 1.0f);
                th = th / s + g * (th - th / s);
            }
            return f;
        }
        case RopeScaling::Llama3: {
            auto f = ropeBaseFrequencies(headSize, base);
            const float lowWavelen = L0 / p.lowFreqFactor, highWavelen = L0 / p.highFreqFactor;
            for (float& th : f) {
                const float wavelen = twoPi / th;
                if (wavelen < highWavelen) continue;
                if (wavelen > lowWavelen) {
                    th = th / s;
                    continue;
                }
                const float smooth = (L0 / wavelen - p.lowFreqFactor) / (p.highFreqFactor - p.lowFreqFactor);
                th = th / s + smooth * (th - th / s);
            }
            return f;
        }
    }
    return ropeBaseFrequencies(headSize, base);
}

float ropeLogitScale(const RopeScalingParams& p) {
    if (p.method != RopeScaling::Yarn) return 1.0f;
    const float m = 0.1f * std::log(p.factor) + 1.0f;
    return m * m;
}

}  // namespace anatomy
