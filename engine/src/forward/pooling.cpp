#include "anatomy/pooling.h"

#include <cmath>
#include <string>

#include "anatomy/error.h"

namespace anatomy {

std::vector<float> pool(Pooling p, std::span<const float> hidden, int T, int dim) {
    if (T < 1 || dim < 1 || hidden.size() < size_t(T) * size_t(dim))
        throw Error("pooling: expected hidden states [T >= 1, dim], got " + std::to_string(hidden.size()) + " values");
    std::vector<float> e(size_t(dim), 0.0f);
    auto row = [&](int t) { return hidden.subspan(size_t(t) * size_t(dim), size_t(dim)); };
    switch (p) {
        case Pooling::Mean: {
            // Summed in double: the mean of a few hundred rows keeps float precision.
            std::vector<double> sum(size_t(dim), 0.0);
            for (int t = 0; t < T; ++t)
                for (int i = 0; i < dim; ++i) sum[size_t(i)] += row(t)[size_t(i)];
            for (int i = 0; i < dim; ++i) e[size_t(i)] = float(sum[size_t(i)] / T);
            return e;
        }
        case Pooling::Cls: e.assign(row(0).begin(), row(0).end()); return e;
        case Pooling::Last: e.assign(row(T - 1).begin(), row(T - 1).end()); return e;
        case Pooling::None: break;
    }
    throw Error("pooling: the model pools nothing (pooling type none): no single vector per text");
}

void l2Normalize(std::span<float> v) {
    double sum = 0.0;  // as llama.cpp's common_embd_normalize: the sum in double
    for (float x : v) sum += double(x) * x;
    const double norm = std::sqrt(sum);
    if (norm <= 0.0) return;
    const float inv = float(1.0 / norm);
    for (float& x : v) x *= inv;
}

std::vector<float> pooledEmbedding(Pooling p, std::span<const float> hidden, int T, int dim) {
    std::vector<float> e = pool(p, hidden, T, dim);
    l2Normalize(e);
    return e;
}

float cosineSimilarity(std::span<const float> a, std::span<const float> b) {
    if (a.size() != b.size())
        throw Error("cosine similarity: vectors of " + std::to_string(a.size()) + " and " + std::to_string(b.size()) +
                    " values");
    double ab = 0.0, aa = 0.0, bb = 0.0;
    for (size_t i = 0; i < a.size(); ++i) {
        ab += double(a[i]) * b[i];
        aa += double(a[i]) * a[i];
        bb += double(b[i]) * b[i];
    }
    if (aa <= 0.0 || bb <= 0.0) return 0.0f;
    return float(ab / std::sqrt(aa * bb));
}

}  // namespace anatomy
