#include "plot/positions_math.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace anatomy::widgets::positions {

std::vector<double> sinusoidalEncoding(int pos, int dim, double base) {
    std::vector<double> pe(static_cast<size_t>(std::max(dim, 0)));
    for (int j = 0; j < dim; ++j) {
        const int twoI = j - j % 2;  // the pair (2i, 2i+1) shares one frequency
        const double angle = pos / std::pow(base, double(twoI) / dim);  // pos / 10000^(2i/d)
        pe[size_t(j)] = j % 2 == 0 ? std::sin(angle) : std::cos(angle);
    }
    return pe;
}

std::vector<double> sinusoidalTable(int nPositions, int dim, double base, int columns) {
    if (columns < 0 || columns > dim) columns = dim;
    std::vector<double> table;
    table.reserve(size_t(std::max(nPositions, 0)) * size_t(std::max(columns, 0)));
    for (int p = 0; p < nPositions; ++p)
        for (int j = 0; j < columns; ++j) {
            const int twoI = j - j % 2;  // the pair (2i, 2i+1) shares one frequency
            const double angle = p / std::pow(base, double(twoI) / dim);  // pos / 10000^(2i/d)
            table.push_back(j % 2 == 0 ? std::sin(angle) : std::cos(angle));
        }
    return table;
}

int t5Bucket(int distance, bool bidirectional, int nBuckets, int maxDistance) {
    int offset = 0;
    int n = distance;
    if (bidirectional) {
        nBuckets /= 2;                       // one half per direction
        if (n < 0) offset = nBuckets;        // keys after the query: upper half
        n = std::abs(n);
    } else {
        n = std::max(n, 0);                  // causal: a later key has no bucket of its own
    }
    const int exact = nBuckets / 2;
    if (n < exact) return offset + n;        // small distances: one bucket each
    // Log-spaced: ln(n / exact) / ln(maxDistance / exact) of the remaining buckets.
    const double frac = std::log(double(n) / exact) / std::log(double(maxDistance) / exact);
    const int bucket = exact + int(frac * (nBuckets - exact));
    return offset + std::min(bucket, nBuckets - 1);
}

std::vector<double> alibiBias(double slope, int maxDistance) {
    std::vector<double> b(size_t(std::max(maxDistance + 1, 0)));
    for (size_t d = 0; d < b.size(); ++d) b[d] = -slope * double(d);  // -m · d
    return b;
}

PositionSimilarity learnedPositionSimilarity(const float* table, int rows, int dim, int maxDrawn) {
    PositionSimilarity r;
    if (!table || rows <= 0 || dim <= 0 || maxDrawn <= 0) return r;
    r.stride = (rows + maxDrawn - 1) / maxDrawn;
    r.n = (rows + r.stride - 1) / r.stride;
    const size_t n = size_t(r.n), d = size_t(dim);
    std::vector<double> unit(n * d);  // each drawn row scaled to length 1 (double: no cancellation)
    for (size_t i = 0; i < n; ++i) {
        const float* p = table + i * size_t(r.stride) * d;
        double norm = 0.0;
        for (size_t k = 0; k < d; ++k) norm += double(p[k]) * p[k];
        const double inv = norm > 0.0 ? 1.0 / std::sqrt(norm) : 0.0;
        for (size_t k = 0; k < d; ++k) unit[i * d + k] = p[k] * inv;
    }
    r.cosine.assign(n * n, 0.0);
    for (size_t i = 0; i < n; ++i)
        for (size_t j = i; j < n; ++j) {
            double dot = 0.0;
            for (size_t k = 0; k < d; ++k) dot += unit[i * d + k] * unit[j * d + k];
            r.cosine[i * n + j] = r.cosine[j * n + i] = dot;
        }
    return r;
}

}  // namespace anatomy::widgets::positions
