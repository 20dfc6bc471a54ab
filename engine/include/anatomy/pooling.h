#pragma once
// Sentence embeddings of an encoder (BERT, bge, all-MiniLM) as llama.cpp's embedding tool makes
// them: the last hidden states h [T, dim] pooled into one vector as the model says
// (Architecture::pooling, GGUF bert.pooling_type), then L2-normalised (its default --embd-normalize 2):
//   e = p / ||p||_2   with p = mean_t h[t] | h[0] | h[T - 1]        (p = 0 stays 0)
// Two texts are compared by cosine similarity, cos(a, b) = a.b / (||a|| ||b||).
#include <span>
#include <vector>

#include "anatomy/architecture.h"

namespace anatomy {

// p [dim] from hidden [T, dim]; throws Error for Pooling::None or T < 1.
std::vector<float> pool(Pooling p, std::span<const float> hidden, int T, int dim);
// v / ||v||_2 in place (a zero vector is left as it is).
void l2Normalize(std::span<float> v);
// pool, then l2Normalize.
std::vector<float> pooledEmbedding(Pooling p, std::span<const float> hidden, int T, int dim);
// a.b / (||a|| ||b||); 0 when either is zero. Throws Error when the sizes differ.
float cosineSimilarity(std::span<const float> a, std::span<const float> b);

}  // namespace anatomy
