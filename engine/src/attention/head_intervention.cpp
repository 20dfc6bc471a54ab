#include "attention/head_intervention.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace anatomy {

void applyHeadInterventions(const std::vector<HeadIntervention>& heads, int layer, float* att,
                            std::vector<float>& history, int start, int T, int nHeads, int hs) {
    const size_t qDim = size_t(nHeads) * hs;
    bool needMean = false;
    for (const auto& h : heads)
        if (h.layer == layer && h.kind == HeadIntervention::Kind::Mean) needMean = true;
    if (needMean) {
        if (history.size() < size_t(start + T) * qDim) history.resize(size_t(start + T) * qDim);
        std::memcpy(&history[size_t(start) * qDim], att, sizeof(float) * size_t(T) * qDim);
    }
    for (const auto& h : heads) {
        if (h.layer != layer) continue;
        for (int t = 0; t < T; ++t) {
            float* o = att + size_t(t) * qDim + size_t(h.head) * hs;
            switch (h.kind) {
                case HeadIntervention::Kind::Zero: std::fill(o, o + hs, 0.0f); break;
                case HeadIntervention::Kind::Gate: {
                    const float g = 1.0f / (1.0f + std::exp(-h.gateLogit));
                    for (int i = 0; i < hs; ++i) o[i] *= g;
                    break;
                }
                case HeadIntervention::Kind::Mean: {
                    const int n = start + t + 1;
                    for (int i = 0; i < hs; ++i) {
                        double sum = 0.0;
                        for (int p = 0; p < n; ++p) sum += history[size_t(p) * qDim + size_t(h.head) * hs + i];
                        o[i] = float(sum / n);
                    }
                    break;
                }
            }
        }
    }
}

}  // namespace anatomy
