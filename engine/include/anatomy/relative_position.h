#pragma once
// T5's relative position bias (Raffel et al., 2020), as llama.cpp c392e5094 computes it
// (llama_relative_position_bucket): each head learns one scalar per bucket of the distance
// between key j and query i, added to the score before the softmax:
//   score(h, i, j) = q_i . k_j + B[bucket(j - i), h]
// with N buckets (bidirectional: N/2 per direction, keys after the query in the upper half;
// causal: a later key falls in bucket 0, it is masked anyway) and n = |j - i| (causal: i - j):
//   n < N'/2:  bucket = n                               N' = N (causal) or N/2 (bidirectional)
//   else:      bucket = min(N' - 1, floor(N'/2 + ln(n / (N'/2)) / ln(maxDistance / (N'/2)) (N' - N'/2)))
namespace anatomy {

int relativePositionBucket(int keyPos, int queryPos, int nBuckets, bool bidirectional, int maxDistance = 128);

// The bias head h adds for a key at keyPos from a query at queryPos; table [nBuckets, nHeads].
inline float relativePositionBias(const float* table, int nHeads, int h, int keyPos, int queryPos, int nBuckets,
                                  bool bidirectional, int maxDistance = 128) {
    return table[relativePositionBucket(keyPos, queryPos, nBuckets, bidirectional, maxDistance) * nHeads + h];
}

}  // namespace anatomy
