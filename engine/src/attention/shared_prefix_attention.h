#pragma once
// Causal attention of n decode rows (beam search's live hypotheses, one query each) whose KV
// caches hold the same first P positions bit for bit (copies of one computation: the prompt and
// the hypotheses' common ancestor). Per row r at position pos_r, head h:
//   s_j = q_r·k_j / sqrt(d_k)  for j <= pos_r,   a = softmax(s),   out_r = sum_j a_j v_j
// exactly as the plain decode rows (attention.cpp, causal rows) compute it, each sum in the same
// order, so every row's output is bit-identical to its own single-row pass. What changes is the
// traversal: keys and values j < P are read once for all rows, with the rows as SIMD lanes
// (four dot products per key instead of one), and only positions P..pos_r are read per row.
#include <cstddef>

#include "anatomy/architecture.h"

namespace anatomy {

struct SharedPrefixRows {
    const AttentionSpec* spec = nullptr;
    int n = 0;                            // rows
    int prefix = 0;                       // P: positions every row's cache holds identically
    const float* q = nullptr;             // [n, nHeads * headSize] rotated queries
    const float* const* keys = nullptr;   // [n] each row's cache, [pos_r + 1, nKvHeads * headSize]
    const float* const* values = nullptr; // [n] likewise
    const int* pos = nullptr;             // [n] each row's position (P <= pos_r)
    float* out = nullptr;                 // [n, nHeads * headSize] heads concatenated
};

// Scores of m decode queries over keys from..to of one cache (one KV head's slice), per query r:
//   out_r[j] = (q_r·k_j) / sqrt(d_k),  the dot summed i = 0, 1, ... hs - 1 in order
// (llama2.c's bits: each product rounded, then added). The AVX2 build (no FMA) takes eight keys
// as lanes (8x8 transposes of the cache, shared by the queries) where headSize % 8 == 0; the
// baseline build is the scalar twin; both give the same bits.
struct KeyScores {
    const float* const* q = nullptr;  // [m] each query, [headSize]
    int m = 0;
    const float* keys = nullptr;      // [to + 1, kvDim] from the head's first element
    int kvDim = 0, headSize = 0;
    int from = 0, to = -1;            // keys from..to inclusive
    float* const* out = nullptr;      // [m] each query's row, written at [from, to]
};
void scoreKeys(const KeyScores& k);          // the build chosen with attendSharedPrefix
void scoreKeysBaseline(const KeyScores& k);  // the scalar twin

// The decode rows' softmax in place, p_j = exp(s_j - max) / sum (the fast exp, fast_exp.h), of
// the chosen build, and its scalar twin: the same bits.
void softmaxDecodeRow(float* row, int n);
void softmaxDecodeRowBaseline(float* row, int n);

// Head sizes up to this run the shared-prefix pass (larger ones run row by row).
inline constexpr int kMaxHeadSize = 256;

// Whether the shared-prefix pass computes what chooseAttention() runs for a one-token decode of
// this spec (plain causal softmax with the fast exp); otherwise run each row on its own.
bool sharedPrefixApplies(const AttentionSpec& spec, bool exactSoftmax);

// Runs the build chosen once at start-up: AVX2 (without FMA) where the kernel table is not
// scalar, else the baseline build; both give the same bits.
void attendSharedPrefix(const SharedPrefixRows& in);
// Heads [hBegin, hEnd) only, on the calling thread (a plain decode row is one row, prefix 0:
// causal rows hands it here when nothing is captured).
void attendSharedPrefixHeads(const SharedPrefixRows& in, int hBegin, int hEnd);
// For tests: whether attendSharedPrefix runs the AVX2 build, and the baseline build itself.
bool sharedPrefixAvx2();
void attendSharedPrefixBaseline(const SharedPrefixRows& in);
// The calling thread's scratch of at least n floats (grows, reused across calls).
float* sharedPrefixScratch(size_t n);

}  // namespace anatomy
