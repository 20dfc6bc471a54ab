#pragma once
// Finding heads by behaviour: one number per (layer, head), from the attention probabilities.
//   first-token mass  m_0 = mean over q >= 1 of p(q -> 0)            (attention sink)
//   entropy           H   = mean over q >= 1 of -sum_k p log2 p      (bits; 0 = one key)
//   previous-token    s_p = mean over q >= 1 of p(q -> q - 1)
//   induction         s_i = mean over the second copy of p(q -> q - n + 1) on BOS + r + r, r
//                     random tokens of length n: attention from a repeated token to the token
//                     that followed its earlier occurrence (Olsson et al., 2022)
#include <cstdint>
#include <vector>

#include "anatomy/trace.h"

namespace anatomy::widgets {

enum class HeadMetric { FirstToken, Entropy, PreviousToken, Induction };

struct HeadScores {
    int nLayers = 0;
    int nHeads = 0;
    std::vector<float> firstToken;     // [nLayers * nHeads]
    std::vector<float> entropyBits;    // [nLayers * nHeads]
    std::vector<float> previousToken;  // [nLayers * nHeads]
    std::vector<float> induction;      // [nLayers * nHeads]; empty until measured
    const std::vector<float>& of(HeadMetric m) const;
};

// Query heads of the trace's attention: from its per-row summaries, else its first whole map;
// 0 when it recorded no attention.
int tracedHeads(const anatomy::Trace& trace);

// First-token mass, entropy and previous-token score of every head of the trace (the query rows
// it holds, absolute positions firstQueryPos + row); induction is left empty. From the trace's
// per-row summaries (every layer, also those it did not keep whole) when it has them, else from
// the maps.
HeadScores headScores(const anatomy::Trace& trace);
// The induction score of every head, [nLayers * nHeads], from a trace of inductionTokens(...):
// BOS followed by the same n tokens twice.
std::vector<float> inductionScores(const anatomy::Trace& repeated, int n);
// BOS + r + r with r n random ids drawn (seeded) from [firstId, vocabSize), firstId skipping
// the special tokens.
std::vector<int> inductionTokens(int bosId, int vocabSize, int n, uint64_t seed, int firstId = 3);

}  // namespace anatomy::widgets
