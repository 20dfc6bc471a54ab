// The sampler's pieces, each usable alone: repetition penalty, temperature, softmax, the top-k,
// top-p and min-p filters, the draw and llama2.c's RNG. They do llama2.c's float operations in
// its order, so the chain built from them (sampler_chain.cpp) reproduces llama2.c's tokens.
#include "anatomy/sampler.h"

#include "anatomy/error.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <sstream>

namespace anatomy {

namespace {

template <typename T>
std::string str(T v) {
    std::ostringstream os;
    os << v;
    return os.str();
}

bool topPActive(float p) { return p > 0.0f && p < 1.0f; }

// Key whose ascending order is the float's descending order: flip the bits of negatives, set the
// sign bit of positives (IEEE order -> unsigned order), then invert. -0 counts as +0.
uint32_t descKey(float v) {
    uint32_t u = std::bit_cast<uint32_t>(v == 0.0f ? 0.0f : v);
    u = (u & 0x80000000u) ? ~u : (u | 0x80000000u);
    return ~u;
}

// Sorts highest first by value, stably: the result holds (key << 32) | position, where position
// indexes `values`. Stable LSD radix sort over the 32-bit key in 3 passes of 11 bits, so sorting
// a 32000-token vocabulary on every slider move stays O(n). Stability keeps equal values in
// their incoming order, as glibc's merge-sort qsort does in llama2.c.
std::vector<uint64_t> radixSortDesc(std::span<const float> values) {
    constexpr int kBits = 11;
    constexpr uint32_t kBuckets = 1u << kBits;
    const size_t n = values.size();
    std::vector<uint64_t> a(n), b(n);                 // [n] (key << 32) | position
    std::vector<uint32_t> counts(3 * kBuckets, 0u);  // [pass, bucket]
    for (size_t i = 0; i < n; ++i) {
        const uint32_t key = descKey(values[i]);
        a[i] = (uint64_t(key) << 32) | uint64_t(i);
        for (int pass = 0; pass < 3; ++pass)
            ++counts[size_t(pass) * kBuckets + ((key >> (kBits * pass)) & (kBuckets - 1))];
    }
    for (int pass = 0; pass < 3; ++pass) {
        uint32_t* count = counts.data() + size_t(pass) * kBuckets;
        if (std::find(count, count + kBuckets, uint32_t(n)) != count + kBuckets) continue;
        uint32_t offset = 0;  // counts -> first slot of each bucket
        for (uint32_t k = 0; k < kBuckets; ++k) {
            const uint32_t here = count[k];
            count[k] = offset;
            offset += here;
        }
        const int shift = 32 + kBits * pass;
        for (uint64_t item : a) b[count[(item >> shift) & (kBuckets - 1)]++] = item;
        a.swap(b);
    }
    return a;
}

// The distinct tokens among the last `window` of history, ascending.
std::vector<int> recentTokens(std::span<const int> history, int window) {
    const size_t w = std::min(history.size(), size_t(std::max(window, 0)));
    std::vector<int> recent(history.end() - std::ptrdiff_t(w), history.end());  // [<= window]
    std::sort(recent.begin(), recent.end());
    recent.erase(std::unique(recent.begin(), recent.end()), recent.end());
    return recent;
}

// Shortens the candidates to their first n, clearing `normalized` if any went.
void truncate(Candidates& c, size_t n) {
    if (n >= c.ids.size()) return;
    c.ids.resize(n);
    c.values.resize(n);
    c.normalized = false;
}

}  // namespace

// ---- stages ----

// CTRL (Keskar et al. 2019) with the sign fix: for each distinct token t among the last `window`
// tokens, x_t <- x_t / penalty if x_t > 0, else x_t * penalty (penalty > 1 always discourages t).
void applyRepetitionPenalty(std::span<float> logits, std::span<const int> history, float penalty,
                            int window) {
    if (!(penalty > 0.0f) || !std::isfinite(penalty))
        throw Error("repetition penalty must be a finite number > 0, got " + str(penalty));
    if (window < 0) throw Error("repetition window must be >= 0, got " + str(window));
    if (penalty == 1.0f || window == 0) return;
    for (int t : recentTokens(history, window)) {
        if (t < 0 || size_t(t) >= logits.size())
            throw Error("repetition penalty: history token " + str(t) +
                        " is outside the vocabulary [0, " + str(logits.size()) + ")");
        float& x = logits[size_t(t)];
        x = x > 0.0f ? x / penalty : x * penalty;
    }
}

// x_i <- x_i / T (T > 0; T = 0 is greedy and never reaches here).
void applyTemperature(std::span<float> logits, float temperature) {
    if (!(temperature > 0.0f) || !std::isfinite(temperature))
        throw Error("temperature must be a finite number > 0 here (0 means greedy: use argmax), "
                    "got " + str(temperature));
    for (float& x : logits) x /= temperature;
}

// p_i = exp(x_i - max x) / sum_j exp(x_j - max x), in float, as llama2.c's softmax.
void softmaxInPlace(std::span<float> x) {
    if (x.empty()) return;
    float maxVal = x[0];
    for (size_t i = 1; i < x.size(); ++i)
        if (x[i] > maxVal) maxVal = x[i];
    float sum = 0.0f;
    for (float& v : x) {
        v = std::exp(v - maxVal);
        sum += v;
    }
    for (float& v : x) v /= sum;
}

// The first index of the largest value (llama2.c's sample_argmax).
int argmax(std::span<const float> x) {
    if (x.empty()) throw Error("argmax of an empty vector");
    size_t best = 0;
    for (size_t i = 1; i < x.size(); ++i)
        if (x[i] > x[best]) best = i;
    return int(best);
}

void sortDesc(Candidates& c) {
    if (c.sortedDesc) return;
    if (c.ids.size() != c.values.size())
        throw Error("candidates: " + str(c.ids.size()) + " ids but " + str(c.values.size()) +
                    " values");
    std::vector<uint64_t> sorted = radixSortDesc(c.values);  // [n]
    // Reuse the buffer to gather (value bits << 32) | id, then unpack in place.
    for (uint64_t& item : sorted) {
        const size_t from = size_t(item & 0xFFFFFFFFu);
        item = (uint64_t(std::bit_cast<uint32_t>(c.values[from])) << 32) |
               uint64_t(uint32_t(c.ids[from]));
    }
    for (size_t i = 0; i < sorted.size(); ++i) {
        c.ids[i] = int(uint32_t(sorted[i] & 0xFFFFFFFFu));
        c.values[i] = std::bit_cast<float>(uint32_t(sorted[i] >> 32));
    }
    c.sortedDesc = true;
}

// Keep p_(1) >= ... >= p_(k).
void keepTopK(Candidates& c, int k) {
    if (k <= 0) return;
    sortDesc(c);
    truncate(c, size_t(k));
}

// llama2.c's sample_topp selection. A token with p < (1 - topP) / (n - 1) can never be in the
// nucleus, so those are dropped before sorting; then keep the sorted prefix up to the first m
// with sum p_(1..m) > topP (all of it if rounding never gets there).
void keepTopP(Candidates& c, float p) {
    if (!topPActive(p) || c.ids.size() <= 1) return;
    const size_t n = c.ids.size();
    const float cutoff = (1.0f - p) / float(n - 1);
    size_t n0 = 0;
    for (size_t i = 0; i < n; ++i) {
        if (c.values[i] >= cutoff) {
            c.ids[n0] = c.ids[i];
            c.values[n0] = c.values[i];
            ++n0;
        }
    }
    if (n0 == 0) {  // only when the values do not sum to 1 (or uniform with p < 1/n): keep the top
        const size_t top = size_t(argmax(c.values));
        c.ids = {c.ids[top]};
        c.values = {c.values[top]};
        c.sortedDesc = true;
        c.normalized = false;
        return;
    }
    truncate(c, n0);
    sortDesc(c);
    float cumulative = 0.0f;
    size_t last = n0 - 1;
    for (size_t i = 0; i < n0; ++i) {
        cumulative += c.values[i];
        if (cumulative > p) {
            last = i;
            break;
        }
    }
    truncate(c, last + 1);
}

// Keep p_i >= minP * p_max (Nguyen et al. 2024, "min-p sampling"); order is preserved.
void keepMinP(Candidates& c, float minP) {
    if (!(minP > 0.0f) || c.values.empty()) return;
    const float pmax = c.sortedDesc ? c.values.front()
                                    : *std::max_element(c.values.begin(), c.values.end());
    const float threshold = minP * pmax;
    size_t kept = 0;
    for (size_t i = 0; i < c.values.size(); ++i) {
        if (c.values[i] >= threshold) {
            c.ids[kept] = c.ids[i];
            c.values[kept] = c.values[i];
            ++kept;
        }
    }
    truncate(c, kept);
}

// p_i <- p_i / sum_j p_j
void renormalize(Candidates& c) {
    double sum = 0.0;
    for (float v : c.values) sum += v;
    if (!(sum > 0.0)) return;
    for (float& v : c.values) v = float(v / sum);
    c.normalized = true;
}

// H = -sum_i p_i log2 p_i (terms with p_i = 0 contribute 0).
float entropyBits(std::span<const float> probs) {
    double h = 0.0;
    for (float p : probs)
        if (p > 0.0f) h -= double(p) * double(std::log2(p));
    return float(h);
}

// r = coin * mass; the first i (in the set's order) with p_1 + ... + p_i > r. The mass is 1 for
// a softmax output (llama2.c's sample_mult: coin < cdf) and the float sum of the survivors after
// a filter (its sample_topp: r = coin * cumulative_prob).
int drawToken(const Candidates& c, float coin) {
    if (c.ids.empty() || c.ids.size() != c.values.size())
        throw Error("draw: " + str(c.ids.size()) + " candidate ids with " + str(c.values.size()) +
                    " probabilities");
    float r = coin;
    if (!c.normalized) {
        float sum = 0.0f;
        for (float v : c.values) sum += v;
        r = coin * sum;
    }
    float cdf = 0.0f;
    for (size_t i = 0; i < c.values.size(); ++i) {
        cdf += c.values[i];
        if (r < cdf) return c.ids[i];
    }
    // Rounding left r at the total: the last candidate that has any probability.
    size_t last = c.values.size() - 1;
    while (last > 0 && !(c.values[last] > 0.0f)) --last;
    return c.ids[last];
}

// ---- RNG: llama2.c's xorshift* ----

// state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
// u32 = (state * 0x2545F4914F6CDD1D) >> 32
uint32_t Rng::nextU32() {
    m_state ^= m_state >> 12;
    m_state ^= m_state << 25;
    m_state ^= m_state >> 27;
    return uint32_t((m_state * 0x2545F4914F6CDD1Dull) >> 32);
}

// f32 = (u32 >> 8) / 2^24: 24 random bits, uniform in [0, 1).
float Rng::nextF32() { return float(nextU32() >> 8) / 16777216.0f; }

}  // namespace anatomy
