#include "forward/block.h"

#include <cstring>

#include "norm/norm.h"

namespace anatomy {

namespace {

void normRows(const NormSpec& n, Rows r, float* o, const float* x, const float* g) {
    for (int t = 0; t < r.T; ++t)
        applyNorm(n.type, o + size_t(t) * r.dim, x + size_t(t) * r.dim, g, r.dim, n.eps);
}

void addPre(const LayerSpec&, Rows r, float* x, float* f, const float*) {  // x += F(N(x))
    const size_t n = size_t(r.T) * r.dim;
    for (size_t i = 0; i < n; ++i) x[i] += f[i];
}

void addSandwich(const LayerSpec& l, Rows r, float* x, float* f, const float*) {  // x += N1(F(N(x)))
    normRows(l.norm, r, f, f, nullptr);
    addPre(l, r, x, f, nullptr);
}

void addPost(const LayerSpec& l, Rows r, float* x, float* f, const float* g) {  // x = N(x + F(x))
    addPre(l, r, x, f, nullptr);
    normRows(l.norm, r, x, x, g);
}

void addDeepNorm(const LayerSpec& l, Rows r, float* x, float* f, const float* g) {  // x = N(alpha x + F(x))
    const float alpha = l.residual.deepNormAlpha;
    const size_t n = size_t(r.T) * r.dim;
    for (size_t i = 0; i < n; ++i) x[i] = alpha * x[i] + f[i];
    normRows(l.norm, r, x, x, g);
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

void sublayerInput(const LayerSpec& layer, Rows r, float* h, const float* x, const float* gain) {
    if (placementOf(layer.residual.placement).normsInput) normRows(layer.norm, r, h, x, gain);
    else std::memcpy(h, x, sizeof(float) * size_t(r.T) * r.dim);
}

void residualAdd(const LayerSpec& layer, Rows r, float* x, float* f, const float* gain) {
    placementOf(layer.residual.placement).add(layer, r, x, f, gain);
}

}  // namespace anatomy
