#pragma once
// The training text: cut at a fraction of its bytes into a training and a validation part
// (at the first space at or after the cut, so no word is split), each encoded once without BOS.
// A sequence of T tokens is [BOS, s_0 .. s_{T-2}] with targets [s_0 .. s_{T-1}], so every
// sequence starts as the perplexity protocol's windows do (eval/perplexity.cpp).
#include <cstdint>
#include <string>
#include <vector>

#include "anatomy/tokenizer.h"

namespace anatomy::training {

struct TokenSplit {
    std::vector<int> train;       // token ids of the training part
    std::vector<int> validation;  // token ids of the validation part
    size_t trainBytes = 0, validationBytes = 0;
};

TokenSplit splitAndEncode(const std::string& text, double trainFraction, const Tokenizer& tok);

struct Batch {
    int B = 0, T = 0;
    std::vector<int> inputs;   // [B, T]
    std::vector<int> targets;  // [B, T]
};

// The training batch of a step: B offsets drawn from a generator seeded by (seed, step), so a
// resumed run sees the same data as an uninterrupted one.
Batch trainingBatch(const std::vector<int>& tokens, int B, int T, uint64_t seed, int step);
// Validation window i of count: offsets evenly spread over the part, i = 0 .. count - 1.
Batch validationBatch(const std::vector<int>& tokens, int B, int T, int first, int count);

}  // namespace anatomy::training
