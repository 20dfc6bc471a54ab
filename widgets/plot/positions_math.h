#pragma once
// The classic ways of telling a transformer where a token is, as the positions view draws them
// beside RoPE. Pure math, Qt-free.
//
// Sinusoidal absolute encoding (Vaswani et al., 2017), added to the token embedding:
//     PE(pos, 2i)   = sin(pos / 10000^(2i/d))
//     PE(pos, 2i+1) = cos(pos / 10000^(2i/d))
// T5 relative position bias (Raffel et al., 2020): each head learns one scalar per bucket of the
// distance n = query - key; small distances get a bucket each, larger ones share log-spaced buckets:
//     n < N/2:  bucket = n                         (N buckets, N/2 exact ones)
//     else:     bucket = N/2 + floor(ln(n / (N/2)) / ln(maxDistance / (N/2)) · (N - N/2)),
//               capped at N - 1, so every distance from maxDistance on shares the last bucket.
// Bidirectional T5 halves N for each direction and puts keys after the query in the upper half.
// Learned absolute positions (GPT-2): a table P [context, d] added to the token embedding; how
// alike two positions' vectors are, cos(P_i, P_j) = P_i·P_j / (|P_i| |P_j|), shows what it learned
// (GPT-2's: a band along the diagonal, near positions alike, and a slow wave across).
// ALiBi (Press et al., 2022): bias -m_h · n on the score, m_h = 2^(-8h/H), h = 1..H
// (anatomy/alibi.h computes the slopes the forward pass uses).
#include <vector>

namespace anatomy::widgets::positions {

// PE(pos, j) for j = 0 .. dim-1 (sin at even j, cos at odd j). [dim]
std::vector<double> sinusoidalEncoding(int pos, int dim, double base = 10000.0);

// The table for positions 0 .. nPositions-1. [nPositions, dim], row-major.
// columns: how many of the dim dimensions to tabulate (the first ones; -1 = all), [nPositions, columns]
std::vector<double> sinusoidalTable(int nPositions, int dim, double base = 10000.0, int columns = -1);

// T5's bucket for a key `distance` = query position - key position tokens back (negative: the key
// comes after the query, only meaningful when bidirectional).
int t5Bucket(int distance, bool bidirectional = false, int nBuckets = 32, int maxDistance = 128);

// -slope · d for d = 0 .. maxDistance: the ALiBi bias one head adds to the score. [maxDistance + 1]
std::vector<double> alibiBias(double slope, int maxDistance);

// cos(P_a, P_b) between the rows a = i·stride, b = j·stride of a learned table P [rows, dim]
// (row-major), i, j = 0 .. n-1 with n = ceil(rows / stride) and stride = ceil(rows / maxDrawn), so
// at most maxDrawn x maxDrawn cells (n² dim flops stay small). A zero row gives 0. [n, n]
struct PositionSimilarity {
    int n = 0, stride = 1;
    std::vector<double> cosine;
};
PositionSimilarity learnedPositionSimilarity(const float* table, int rows, int dim, int maxDrawn);

}  // namespace anatomy::widgets::positions
