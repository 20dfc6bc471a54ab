#include "ffn/moe.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "attention/kv_sharing.h"

namespace anatomy {

namespace {

// splitmix64: a platform-independent stream (std:: distributions are not).
uint64_t splitmix(uint64_t& s) {
    uint64_t z = (s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
double uniform01(uint64_t& s) { return double(splitmix(s) >> 11) * (1.0 / 9007199254740992.0); }
// Box–Muller standard normal.
double normal(uint64_t& s) {
    const double u1 = std::max(uniform01(s), 1e-300), u2 = uniform01(s);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

}  // namespace

std::vector<int> balancedKMeans(const std::vector<float>& pts, int n, int width, int k, uint64_t seed,
                                int iterations) {
    // Initial centroids: k distinct points picked by a seeded Fisher–Yates shuffle.
    std::vector<int> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    uint64_t st = seed;
    for (int i = n - 1; i > 0; --i) std::swap(order[size_t(i)], order[splitmix(st) % uint64_t(i + 1)]);
    std::vector<double> cent(size_t(k) * width);
    for (int e = 0; e < k; ++e)
        for (int d = 0; d < width; ++d) cent[size_t(e) * width + d] = pts[size_t(order[size_t(e)]) * width + d];
    std::vector<int> cap(static_cast<size_t>(k));
    for (int e = 0; e < k; ++e) cap[size_t(e)] = n / k + (e < n % k ? 1 : 0);
    std::vector<int> assign(static_cast<size_t>(n), -1);
    std::vector<std::pair<double, int>> pairs(size_t(n) * k);  // (squared distance, unit * k + expert)
    for (int it = 0; it < iterations; ++it) {
        for (int u = 0; u < n; ++u)
            for (int e = 0; e < k; ++e) {
                double d2 = 0.0;
                for (int d = 0; d < width; ++d) {
                    const double diff = pts[size_t(u) * width + d] - cent[size_t(e) * width + d];
                    d2 += diff * diff;
                }
                pairs[size_t(u) * k + e] = {d2, u * k + e};
            }
        // Greedy balanced assignment: closest (unit, expert) pairs first, while the expert has room.
        std::sort(pairs.begin(), pairs.end());
        std::vector<int> next(static_cast<size_t>(n), -1), room = cap;
        for (const auto& [d2, ue] : pairs) {
            const int u = ue / k, e = ue % k;
            if (next[size_t(u)] >= 0 || room[size_t(e)] == 0) continue;
            next[size_t(u)] = e;
            --room[size_t(e)];
        }
        const bool same = next == assign;
        assign = std::move(next);
        std::fill(cent.begin(), cent.end(), 0.0);
        for (int u = 0; u < n; ++u)
            for (int d = 0; d < width; ++d) cent[size_t(assign[size_t(u)]) * width + d] += pts[size_t(u) * width + d];
        for (int e = 0; e < k; ++e)
            for (int d = 0; d < width; ++d) cent[size_t(e) * width + d] /= double(cap[size_t(e)]);
        if (same) break;
    }
    return assign;
}

std::vector<MoeLayer> buildMoe(const Model& model, const MoeParams& p) {
    std::vector<MoeLayer> out;
    if (p.experts == 0) return out;
    const ModelConfig& c = model.config;
    const int H = c.hiddenDim, dim = c.dim, E = p.experts;
    for (int l = 0; l < c.nLayers; ++l) {
        const LayerWeights& lw = model.layers[size_t(l)];
        const std::vector<float> w1 = denseMatrix(lw.w1), w3 = denseMatrix(lw.w3);  // [H, dim]
        std::vector<float> pts(size_t(H) * 2 * dim);                                // [H, 2 dim]
        for (int u = 0; u < H; ++u)
            for (int d = 0; d < dim; ++d) {
                pts[size_t(u) * 2 * dim + d] = w1[size_t(u) * dim + d];
                pts[size_t(u) * 2 * dim + dim + d] = w3[size_t(u) * dim + d];
            }
        MoeLayer m;
        m.experts = E;
        m.expertOfUnit = balancedKMeans(pts, H, 2 * dim, E, p.seed + uint64_t(l) * 7919);
        m.unitsPerExpert.assign(size_t(E), 0);
        std::vector<double> sum(size_t(E) * dim, 0.0);
        for (int u = 0; u < H; ++u) {
            const int e = m.expertOfUnit[size_t(u)];
            ++m.unitsPerExpert[size_t(e)];
            for (int d = 0; d < dim; ++d) sum[size_t(e) * dim + d] += w1[size_t(u) * dim + d];
        }
        m.router.resize(size_t(E) * dim);
        for (int e = 0; e < E; ++e)
            for (int d = 0; d < dim; ++d)
                m.router[size_t(e) * dim + d] = float(sum[size_t(e) * dim + d] / m.unitsPerExpert[size_t(e)]);
        out.push_back(std::move(m));
    }
    return out;
}

std::vector<MoeLayer> trainedMoe(const Model& model) {
    std::vector<MoeLayer> out;
    const int E = model.architecture.moe.experts, H = model.config.hiddenDim, dim = model.config.dim;
    if (E == 0 || model.layers.empty() || !model.layers[0].router) return out;
    for (const LayerWeights& lw : model.layers) {
        MoeLayer m;
        m.experts = E;
        m.unitsPerExpert.assign(size_t(E), H / E);
        m.expertOfUnit.resize(size_t(H));
        for (int u = 0; u < H; ++u) m.expertOfUnit[size_t(u)] = u / (H / E);
        m.router.assign(lw.router, lw.router + size_t(E) * dim);
        out.push_back(std::move(m));
    }
    return out;
}

std::vector<MoeLayer> sessionMoe(const Model& model, const MoeParams& knobs) {
    return knobs.experts > 0 ? buildMoe(model, knobs) : trainedMoe(model);
}

void routeAndMask(const MoeLayer& m, const MoeParams& p, int layer, const float* xb, float* hb, int T,
                  int start, int dim, int hidden, MoeLayerTrace* out) {
    const int E = m.experts, k = p.topK;
    const long capacity = p.capacityFactor > 0
                              ? long(std::ceil(double(p.capacityFactor) * T * k / E))
                              : std::numeric_limits<long>::max();
    std::vector<long> load(static_cast<size_t>(E), 0);
    std::vector<double> importance(static_cast<size_t>(E), 0.0);
    std::vector<float> score(static_cast<size_t>(E)), gate(static_cast<size_t>(E));
    std::vector<int> idx(static_cast<size_t>(E));
    long dropped = 0;
    double activeUnits = 0.0;
    if (out) {
        out->routerLogits = FloatArray({T, E});
        out->chosen = IntArray({T, k}, -1);
        out->droppedMask = IntArray({T, k}, 0);
    }
    for (int t = 0; t < T; ++t) {
        const float* x = xb + size_t(t) * dim;
        for (int e = 0; e < E; ++e) {
            float s = 0.0f;
            for (int d = 0; d < dim; ++d) s += m.router[size_t(e) * dim + d] * x[d];
            score[size_t(e)] = s;
        }
        if (p.noiseStd > 0) {
            uint64_t st = p.seed * 0x100000001B3ULL ^ (uint64_t(layer) << 40) ^ uint64_t(start + t);
            for (int e = 0; e < E; ++e) score[size_t(e)] += float(p.noiseStd * normal(st));
        }
        if (out) std::copy(score.begin(), score.end(), &out->routerLogits.data[size_t(t) * E]);
        // p = softmax over all experts (importance, and Switch's gate)
        const float mx = *std::max_element(score.begin(), score.end());
        double z = 0.0;
        for (int e = 0; e < E; ++e) z += std::exp(double(score[size_t(e)]) - mx);
        for (int e = 0; e < E; ++e) importance[size_t(e)] += std::exp(double(score[size_t(e)]) - mx) / z;
        std::iota(idx.begin(), idx.end(), 0);
        std::partial_sort(idx.begin(), idx.begin() + k, idx.end(), [&](int a, int b) {
            return score[size_t(a)] > score[size_t(b)] || (score[size_t(a)] == score[size_t(b)] && a < b);
        });
        double zk = 0.0;
        for (int r = 0; r < k; ++r) zk += std::exp(double(score[size_t(idx[size_t(r)])]) - mx);
        std::fill(gate.begin(), gate.end(), 0.0f);
        for (int r = 0; r < k; ++r) {
            const int e = idx[size_t(r)];
            if (out) out->chosen.data[size_t(t) * k + r] = e;
            if (load[size_t(e)] >= capacity) {
                ++dropped;
                if (out) out->droppedMask.data[size_t(t) * k + r] = 1;
                continue;
            }
            ++load[size_t(e)];
            activeUnits += m.unitsPerExpert[size_t(e)];
            const double pe = std::exp(double(score[size_t(e)]) - mx);
            switch (p.gate) {
                case MoeGate::One: gate[size_t(e)] = 1.0f; break;
                case MoeGate::Softmax: gate[size_t(e)] = float(pe / zk); break;
                case MoeGate::Prob: gate[size_t(e)] = float(pe / z); break;
            }
        }
        float* h = hb + size_t(t) * hidden;
        for (int u = 0; u < hidden; ++u) h[u] *= gate[size_t(m.expertOfUnit[size_t(u)])];
    }
    if (!out) return;
    out->expertLoad = IntArray({E});
    for (int e = 0; e < E; ++e) out->expertLoad.data[size_t(e)] = int32_t(load[size_t(e)]);
    double mean = 0.0;
    for (double v : importance) mean += v;
    mean /= E;
    double var = 0.0;
    for (double v : importance) var += (v - mean) * (v - mean);
    var /= E;
    out->importanceCv = mean > 0 ? float(std::sqrt(var) / mean) : 0.0f;
    out->droppedAssignments = int(dropped);
    const int64_t perUnit = 3LL * dim;  // a row of W1 and W3, a column of W2
    out->totalFfnParams = perUnit * hidden + int64_t(E) * dim;
    out->activeFfnParams = int64_t(std::llround(perUnit * activeUnits / T)) + int64_t(E) * dim;
}

}  // namespace anatomy
