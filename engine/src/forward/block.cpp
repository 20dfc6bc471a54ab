#include "forward/block.h"

#include <cstring>

#include "norm/norm.h"

namespace anatomy {

namespace {

// o = g ⊙ norm(x) + b per row; b null = no bias.
void normRows(const NormSpec& n, Rows r, float* o, const float* x, const float* g, const float* b = nullptr,
              RunningStats stats = {}) {
    for (int t = 0; t < r.T; ++t) {
        float* row = o + size_t(t) * r.dim;
        applyNorm(n.type, row, x + size_t(t) * r.dim, g, r.dim, n.eps, stats);
        if (b)
            for (int i = 0; i < r.dim; ++i) row[i] += b[i];
    }
}

void addPre(const LayerSpec&, Rows r, float* x, float* f, const SublayerNorm&) {  // x += F(N(x))
    const size_t n = size_t(r.T) * r.dim;
    for (size_t i = 0; i < n; ++i) x[i] += f[i];
}

void addSandwich(const LayerSpec& l, Rows r, float* x, float* f, const SublayerNorm& w) {  // x += N1(F(N(x)))
    normRows(l.norm, r, f, f, w.postGain);
    addPre(l, r, x, f, w);
}

void addPost(const LayerSpec& l, Rows r, float* x, float* f, const SublayerNorm& w) {  // x = N(x + F(x))
    addPre(l, r, x, f, w);
    normRows(l.norm, r, x, x, w.gain, w.bias, w.stats);
}

void addDeepNorm(const LayerSpec& l, Rows r, float* x, float* f, const SublayerNorm& w) {  // x = N(alpha x + F(x))
    const float alpha = l.residual.deepNormAlpha;
    const size_t n = size_t(r.T) * r.dim;
    for (size_t i = 0; i < n; ++i) x[i] = alpha * x[i] + f[i];
    normRows(l.norm, r, x, x, w.gain, w.bias, w.stats);
}

const Placement kPre{"pre", true, addPre};
const Placement kSandwich{"sandwich", true, addSandwich};
const Placement kPost{"post", false, addPost};
const Placement kDeepNorm{"deepnorm", false, addDeepNorm};

}  // namespace

const Placement& placementOf(NormPlacement p) {
    switch (p) {
        case NormPlacement::Pre: return kPre;
        case NormPlacement::Sandwich: return kSandwich;
        case NormPlacement::Post: return kPost;
        case NormPlacement::DeepNorm: return kDeepNorm;
    }
    return kPre;
}

void sublayerInput(const LayerSpec& layer, Rows r, float* h, const float* x, const SublayerNorm& n) {
    if (placementOf(layer.residual.placement).normsInput) normRows(layer.norm, r, h, x, n.gain, n.bias, n.stats);
    else std::memcpy(h, x, sizeof(float) * size_t(r.T) * r.dim);
}

void sublayerInput(const LayerSpec& layer, Rows r, float* h, const float* x, const float* gain) {
    sublayerInput(layer, r, h, x, SublayerNorm{gain, nullptr, nullptr, {}});
}

void residualAdd(const LayerSpec& layer, Rows r, float* x, float* f, const SublayerNorm& n) {
    placementOf(layer.residual.placement).add(layer, r, x, f, n);
}

void residualAdd(const LayerSpec& layer, Rows r, float* x, float* f, const float* gain) {
    residualAdd(layer, r, x, f, SublayerNorm{gain, nullptr, nullptr, {}});
}

}  // namespace anatomy
