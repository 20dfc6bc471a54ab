#include "anatomy/forward_cost.h"

namespace anatomy {
namespace {

// Multiply-adds of one token through every layer's seven matrices (not the classifier).
double layerMacsPerToken(const Model& m) {
    double macs = 0;
    for (const LayerWeights& l : m.layers)
        for (const Matrix* w : {&l.wq, &l.wk, &l.wv, &l.wo, &l.w1, &l.w2, &l.w3})
            macs += double(w->rows) * w->cols;
    return macs;
}

double layerBytes(const Model& m) {
    double bytes = 0;
    for (const LayerWeights& l : m.layers)
        for (const Matrix* w : {&l.wq, &l.wk, &l.wv, &l.wo, &l.w1, &l.w2, &l.w3})
            bytes += matrixBytes(*w);
    return bytes;
}

// Keys visible to the queries at positions [start, start + nTok): sum of (p + 1).
double visibleKeys(int start, int nTok) {
    const double a = start + 1.0, b = double(start) + nTok;  // first and last count
    return (a + b) * nTok / 2.0;
}

// Attention of nTok queries: per layer and query head, q·k_j and a_j v_j for every visible key
// (head size multiply-adds each); K and V rows read once per KV head and query.
void addAttention(ForwardCost& c, const Model& m, int start, int nTok) {
    const ModelConfig& cfg = m.config;
    const double keys = visibleKeys(start, nTok);
    c.flops += 2.0 * 2.0 * cfg.nLayers * double(cfg.nHeads) * cfg.headSize() * keys;
    // Decode reads the whole visible cache once; prefill's batched path reads it per head too,
    // but from cache: count each row once per forward.
    c.kvBytes += 2.0 * cfg.nLayers * double(cfg.kvDim()) * sizeof(float) * (double(start) + nTok);
}

}  // namespace

double matrixBytes(const Matrix& W) {
    const double n = double(W.rows) * W.cols;
    if (W.ggml()) {
        const GgmlTypeInfo& t = ggmlTypeInfo(W.type);
        return n * t.blockBytes / t.blockSize;
    }
    if (W.quantized()) return n * (1.0 + 4.0 / W.groupSize);
    return n * 4.0;
}

ForwardCost prefillCost(const Model& m, int start, int nTok) {
    ForwardCost c;
    const double classifierMacs = double(m.classifier.rows) * m.classifier.cols;
    c.flops = 2.0 * (nTok * layerMacsPerToken(m) + classifierMacs);  // logits: last row only
    c.weightBytes = layerBytes(m) + matrixBytes(m.classifier);
    addAttention(c, m, start, nTok);
    return c;
}

ForwardCost decodeCost(const Model& m, int pos) { return prefillCost(m, pos, 1); }

std::string forwardCostCounts() {
    return "2 flops per multiply-add of the matrix products for every prompt position, of the "
           "classifier for the last position only, and of causal attention (q.k and a.v over "
           "visible keys); bytes: weight matrices as stored plus the K/V cache rows read; norms, "
           "RoPE, softmax and activations not counted";
}

}  // namespace anatomy
