// Locally typical sampling (Meister et al. 2022, "Locally Typical Sampling"), as llama.cpp's
// llama_sampler_typical does it. With H the entropy of the distribution,
//     H = -sum_i p_i ln p_i,     s_i = | -ln p_i - H |   (how far token i's surprise is from H)
// candidates are taken in increasing s_i until their mass exceeds p; at least one is kept.
// The tokens kept are the "typical" ones: neither much more nor much less surprising than the
// distribution is on average, so a very probable token can be cut when the distribution is flat.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "anatomy/sampler.h"

namespace anatomy {

void keepTypical(Candidates& c, float p) {
    if (!(p > 0.0f && p < 1.0f) || c.ids.size() <= 1) return;
    const size_t n = c.ids.size();
    float entropy = 0.0f;  // in nats; a token with p = 0 adds nothing (llama.cpp would add NaN)
    for (float v : c.values)
        if (v > 0.0f) entropy += -v * std::log(v);
    std::vector<float> shifted(n);  // [n] s_i, +inf for p_i = 0: never typical
    for (size_t i = 0; i < n; ++i)
        shifted[i] = c.values[i] > 0.0f ? std::fabs(-std::log(c.values[i]) - entropy)
                                        : std::numeric_limits<float>::infinity();
    std::vector<size_t> order(n);  // [n] candidates by increasing s_i (stable: ties keep order)
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return shifted[a] < shifted[b]; });
    float cumulative = 0.0f;
    size_t kept = n;
    for (size_t i = 0; i < n; ++i) {
        cumulative += c.values[order[i]];
        if (cumulative > p) {  // llama.cpp's rule with min_keep = 1
            kept = i + 1;
            break;
        }
    }
    if (kept == n) return;
    Candidates out;
    out.ids.reserve(kept);
    out.values.reserve(kept);
    for (size_t i = 0; i < kept; ++i) {
        out.ids.push_back(c.ids[order[i]]);
        out.values.push_back(c.values[order[i]]);
    }
    // The chain's filters leave their survivors most probable first (sampler.h); the kept set
    // is llama.cpp's, only walked in that order by the draw.
    out.sortedDesc = false;
    out.normalized = false;
    sortDesc(out);
    c = std::move(out);
}

}  // namespace anatomy
