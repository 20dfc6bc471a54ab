#include "attention/kv_sharing.h"

#include <Eigen/Dense>
#include <Eigen/SVD>
#include <set>

#include "anatomy/error.h"
#include "kernels/matmul.h"

namespace anatomy {

std::vector<float> denseMatrix(const Matrix& w) {
    std::vector<float> out(size_t(w.rows) * w.cols);
    ops::dequantizeRows(out.data(), w, 0, w.rows);
    return out;
}

namespace {

// Mean of the original KV heads' rows for each of G groups. [G * hs, dim]
std::vector<float> poolHeads(const std::vector<float>& w, const ModelConfig& c, int G) {
    const int hs = c.headSize(), dim = c.dim, H = c.nHeads, perGroup = H / G;
    std::vector<float> out(size_t(G) * hs * dim, 0.0f);
    for (int g = 0; g < G; ++g) {
        std::set<int> src;  // original KV heads read by this group's query heads
        for (int h = g * perGroup; h < (g + 1) * perGroup; ++h) src.insert(h / c.kvGroup());
        float* dst = &out[size_t(g) * hs * dim];
        for (int kh : src)
            for (size_t i = 0; i < size_t(hs) * dim; ++i) dst[i] += w[size_t(kh) * hs * dim + i];
        for (size_t i = 0; i < size_t(hs) * dim; ++i) dst[i] /= float(src.size());
    }
    return out;
}

}  // namespace

std::unique_ptr<KvWeights> buildKvWeights(const Model& model, const SimSettings& s) {
    if (s.kvSharing == KvSharing::AsLoaded) return nullptr;
    const ModelConfig& c = model.config;
    validateSettings(s, c);
    auto kv = std::make_unique<KvWeights>();
    int G = c.nKvHeads;
    switch (s.kvSharing) {
        case KvSharing::Mqa: G = 1; break;
        case KvSharing::Mha: G = c.nHeads; break;
        case KvSharing::Groups: G = s.kvGroups; break;
        default: break;
    }
    kv->nKvHeads = G;
    kv->storage.reserve(size_t(c.nLayers) * 2);
    const int hs = c.headSize(), dim = c.dim;
    for (const LayerWeights& lw : model.layers) {
        std::vector<float> k = denseMatrix(lw.wk), v = denseMatrix(lw.wv);  // [kvDim, dim]
        if (s.kvSharing == KvSharing::LatentSvd) {
            kv->latentRank = s.kvRank;
            const int rows = 2 * c.kvDim();
            Eigen::MatrixXd A(rows, dim);  // [W_K; W_V]
            for (int r = 0; r < c.kvDim(); ++r)
                for (int col = 0; col < dim; ++col) {
                    A(r, col) = k[size_t(r) * dim + col];
                    A(c.kvDim() + r, col) = v[size_t(r) * dim + col];
                }
            Eigen::JacobiSVD<Eigen::MatrixXd> svd(A, Eigen::ComputeThinU | Eigen::ComputeThinV);
            const int r = s.kvRank;
            const Eigen::MatrixXd Ar = svd.matrixU().leftCols(r) *
                                       svd.singularValues().head(r).asDiagonal() *
                                       svd.matrixV().leftCols(r).transpose();
            for (int row = 0; row < c.kvDim(); ++row)
                for (int col = 0; col < dim; ++col) {
                    k[size_t(row) * dim + col] = float(Ar(row, col));
                    v[size_t(row) * dim + col] = float(Ar(c.kvDim() + row, col));
                }
        } else {
            k = poolHeads(k, c, G);
            v = poolHeads(v, c, G);
        }
        const int rows = kv->nKvHeads * hs;
        kv->storage.push_back(std::move(k));
        kv->wk.push_back(Matrix{rows, dim, kv->storage.back().data(), nullptr, nullptr, 0});
        kv->storage.push_back(std::move(v));
        kv->wv.push_back(Matrix{rows, dim, kv->storage.back().data(), nullptr, nullptr, 0});
    }
    return kv;
}

}  // namespace anatomy
