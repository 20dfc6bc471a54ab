#include "train/train_data.h"

#include <algorithm>

#include "anatomy/error.h"

namespace anatomy::training {

TokenSplit splitAndEncode(const std::string& text, double trainFraction, const Tokenizer& tok) {
    size_t cut = size_t(double(text.size()) * trainFraction);
    while (cut < text.size() && text[cut] != ' ') ++cut;
    TokenSplit s;
    s.trainBytes = cut;
    s.validationBytes = text.size() - cut;
    s.train = tok.encode(std::string_view(text).substr(0, cut), false);
    if (cut < text.size()) s.validation = tok.encode(std::string_view(text).substr(cut + 1), false);
    return s;
}

namespace {

// One sequence from offset: inputs [BOS, s_o .. s_{o+T-2}], targets [s_o .. s_{o+T-1}].
void window(const std::vector<int>& tokens, size_t offset, int T, int* in, int* tg) {
    in[0] = Tokenizer::kBos;
    for (int t = 0; t < T; ++t) {
        tg[t] = tokens[offset + size_t(t)];
        if (t + 1 < T) in[t + 1] = tg[t];
    }
}

uint64_t mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void requireTokens(const std::vector<int>& tokens, int T, const char* part) {
    if (tokens.size() < size_t(T))
        throw Error(std::string("train: the ") + part + " part has " + std::to_string(tokens.size()) +
                    " tokens, fewer than one sequence of " + std::to_string(T));
}

}  // namespace

Batch trainingBatch(const std::vector<int>& tokens, int B, int T, uint64_t seed, int step) {
    requireTokens(tokens, T, "training");
    Batch b{B, T, std::vector<int>(size_t(B) * T), std::vector<int>(size_t(B) * T)};
    const uint64_t range = tokens.size() - size_t(T) + 1;
    uint64_t state = mix(seed * 0x9E3779B97F4A7C15ull + uint64_t(step) + 1);
    for (int i = 0; i < B; ++i) {
        state = mix(state + 0x9E3779B97F4A7C15ull);
        window(tokens, size_t(state % range), T, &b.inputs[size_t(i) * T], &b.targets[size_t(i) * T]);
    }
    return b;
}

Batch validationBatch(const std::vector<int>& tokens, int B, int T, int first, int count) {
    requireTokens(tokens, T, "validation");
    Batch b{B, T, std::vector<int>(size_t(B) * T), std::vector<int>(size_t(B) * T)};
    const size_t range = tokens.size() - size_t(T);
    for (int i = 0; i < B; ++i) {
        const int w = first + i;
        const size_t offset = count > 1 ? size_t(double(range) * double(w) / double(count - 1)) : 0;
        window(tokens, std::min(offset, range), T, &b.inputs[size_t(i) * T], &b.targets[size_t(i) * T]);
    }
    return b;
}

}  // namespace anatomy::training
