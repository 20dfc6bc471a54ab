#pragma once
// Attention of one head and one query, walked step by step from the trace's own vectors:
//   1. d_j  = q · k_j                     for every key j       (q, k after RoPE)
//   2. u_j  = d_j / √d_k                  the scaling            (d_k = head size)
//   3. s_j  = m t u_j (+ ALiBi bias)      the trace's score      (m: attn.scale, t: YaRN)
//      masked keys (the trace's mask and sparse pattern): s_j = −∞
//   4. e_j  = exp(s_j − max s),  p_j = e_j / Σ e   softmax
//   5. o    = Σ_j p_j v_j                 the head's output, before Wo
// and why step 2 is there: for q, k with independent unit-variance entries Var(q·k) = d_k, so
// without the division the scores grow with the head size and the softmax saturates on one key;
// divided, Var = 1 whatever d_k is.
#include <cstdint>
#include <vector>

#include "anatomy/attention_visibility.h"
#include "anatomy/trace.h"

namespace anatomy::widgets {

struct Selection;

struct AttentionStepKey {
    int position = 0;        // key position j
    bool visible = true;     // the query read this key under the trace's mask
    anatomy::MaskReason reason = anatomy::MaskReason::Visible;
    double dot = 0.0;        // q · k_j
    double scaled = 0.0;     // q · k_j / √d_k
    double score = 0.0;      // the trace's score s_j (−∞ when masked)
    double expShifted = 0.0; // exp(s_j − max s), 0 when masked
    double prob = 0.0;       // e_j / Σ e: the softmax recomputed here
    double traceProb = 0.0;  // the trace's probability of this key
};

struct AttentionSteps {
    bool valid = false;
    const char* message = "";  // why not valid
    int layer = 0, head = 0, kvHead = 0;
    int row = 0;               // query row of the trace
    int queryPos = 0;          // its absolute position
    int headSize = 0;          // d_k
    double sqrtDk = 1.0;
    double multiplier = 1.0;   // m t on top of 1/√d_k (attn.scale × YaRN's temperature)
    bool alibi = false;        // the scores carry ALiBi's distance bias
    bool softmaxKernel = true; // false for linear attention: no score matrix, no softmax
    std::vector<float> q;      // [d_k]
    std::vector<AttentionStepKey> keys;  // [nKv]
    std::vector<float> out;    // [d_k] o = Σ p_j v_j (the trace's probabilities)
    int topKey = -1;           // key of the largest probability
    int nVisible = 0;
    double maxScore = 0.0, sumExp = 0.0;
    // Largest |s_j − m t u_j| over visible keys (0 up to rounding unless ALiBi or dual chunk) and
    // largest |p_j − the trace's p_j|.
    double maxScoreGap = 0.0, maxProbGap = 0.0;
    // This query's softmax as the model runs it and without the division (scores × √d_k).
    double entropyBits = 0.0, entropyUnscaledBits = 0.0;
    double topProb = 0.0, topProbUnscaled = 0.0;
    // This head's q·k over every query row and the keys it saw: variance before and after ÷√d_k.
    double headVarDot = 0.0, headVarScaled = 0.0;
    int64_t headPairs = 0;
    // The key vector k_j and value v_j of a key, [d_k]; empty outside the trace.
    std::vector<float> keyVector(const anatomy::Trace& t, int j) const;
    std::vector<float> valueVector(const anatomy::Trace& t, int j) const;
};

// The steps for the selection's layer, head and query (position −1 = last row). Needs the trace's
// q, k and v (CaptureSpec::qk) and its attention.
AttentionSteps attentionSteps(const anatomy::Trace& trace, const Selection& sel);

// The √d_k demonstration on random vectors with independent N(0, 1) entries (seeded, the same
// numbers on every run): per head size d_k, the variance of q·k with and without the division,
// and the mean entropy of softmax over nKeys keys with and without it.
struct ScalingDemo {
    int nKeys = 0;
    std::vector<int> dk;                  // 1, 2, 4, ... 256
    std::vector<double> varDot;           // Var(q·k), ≈ d_k
    std::vector<double> varScaled;        // Var(q·k / √d_k), ≈ 1
    std::vector<double> entropyBits;      // H(softmax(q·k / √d_k)) in bits
    std::vector<double> entropyUnscaledBits;  // H(softmax(q·k))
    double maxEntropyBits = 0.0;          // log2 nKeys: uniform attention
};
ScalingDemo scalingDemo(int nKeys, uint64_t seed = 1);

// -Σ p log2 p of a row of probabilities.
double entropyBitsOf(const std::vector<double>& p);

}  // namespace anatomy::widgets
