// The sampler chain: repetition penalty -> temperature -> softmax -> top-k -> top-p -> min-p ->
// draw. With only temperature and top-p set, sample() follows llama2.c's run.c step for step
// (same float operations in the same order), so a seed gives llama2.c's tokens.
#include "anatomy/sampler.h"

#include "anatomy/error.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <numbers>
#include <sstream>

namespace anatomy {

namespace {

template <typename T>
std::string str(T v) {
    std::ostringstream os;
    os << v;
    return os.str();
}

void checkSettings(const SamplerSettings& s) {
    if (!(s.temperature >= 0.0f) || !std::isfinite(s.temperature))
        throw Error("sampler: temperature must be a finite number >= 0 (0 = greedy), got " +
                    str(s.temperature));
    if (s.topK < 0) throw Error("sampler: top-k must be >= 0 (0 = off), got " + str(s.topK));
    if (!(s.topP <= 1.0f))  // also rejects NaN
        throw Error("sampler: top-p must be <= 1 (<= 0 or 1 = off), got " + str(s.topP));
    if (!(s.minP >= 0.0f && s.minP <= 1.0f))
        throw Error("sampler: min-p must be in [0, 1] (0 = off), got " + str(s.minP));
    if (!(s.repetitionPenalty > 0.0f) || !std::isfinite(s.repetitionPenalty))
        throw Error("sampler: repetition penalty must be a finite number > 0 (1 = off), got " +
                    str(s.repetitionPenalty));
    if (s.repetitionWindow < 0)
        throw Error("sampler: repetition window must be >= 0, got " + str(s.repetitionWindow));
}

// -inf is allowed (a masked token); NaN and +inf would poison the softmax.
void checkLogits(std::span<const float> logits) {
    if (logits.empty()) throw Error("sampler: logits are empty (vocabulary size 0)");
    if (logits.size() > size_t(std::numeric_limits<int>::max()))
        throw Error("sampler: vocabulary of " + str(logits.size()) + " tokens is too large");
    bool anyFinite = false;
    for (size_t i = 0; i < logits.size(); ++i) {
        if (std::isnan(logits[i]) || logits[i] == std::numeric_limits<float>::infinity())
            throw Error("sampler: logits[" + str(i) + "] is " + str(logits[i]) +
                        ", expected a finite number");
        anyFinite = anyFinite || std::isfinite(logits[i]);
    }
    if (!anyFinite) throw Error("sampler: every logit is -inf, nothing can be sampled");
}

bool penaltyActive(const SamplerSettings& s) {
    return s.repetitionPenalty != 1.0f && s.repetitionWindow > 0;
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

// All ids 0..n-1 with their values, in id order.
Candidates allCandidates(std::span<const float> values) {
    Candidates c;
    c.ids.resize(values.size());
    for (size_t i = 0; i < values.size(); ++i) c.ids[i] = int(i);
    c.values.assign(values.begin(), values.end());
    return c;
}

// llama2.c's sample_mult: the first id whose cdf (in id order) exceeds coin.
int sampleMult(std::span<const float> probs, float coin) {
    float cdf = 0.0f;
    for (size_t i = 0; i < probs.size(); ++i) {
        cdf += probs[i];
        if (coin < cdf) return int(i);
    }
    return int(probs.size()) - 1;  // rounding: coin >= total mass
}

// Draw from the kept candidates in their order: r = coin * sum(p); first i with cdf_i > r.
// On llama2.c's top-p survivors this is its sample_topp draw (sum == its cumulative_prob).
int drawFrom(const Candidates& c, float coin) {
    float sum = 0.0f;
    for (float v : c.values) sum += v;
    const float r = coin * sum;
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

// A stage's report; the entropy is computed unless the caller knows it.
StageReport record(const char* stage, Candidates c, float cutoff, bool active,
                   float entropy = -1.0f) {
    StageReport r;
    r.stage = stage;
    r.ids = std::move(c.ids);
    r.probs = std::move(c.values);
    r.entropyBits = entropy >= 0.0f ? entropy : entropyBits(r.probs);
    r.cutoff = cutoff;
    r.active = active;
    return r;
}

// An inactive stage passes on what it received.
StageReport passThrough(const char* stage, const StageReport& previous) {
    StageReport r = previous;
    r.stage = stage;
    r.cutoff = 0.0f;
    r.active = false;
    return r;
}

// The distinct tokens among the last `window` of history, ascending.
std::vector<int> recentTokens(std::span<const int> history, int window) {
    const size_t w = std::min(history.size(), size_t(std::max(window, 0)));
    std::vector<int> recent(history.end() - std::ptrdiff_t(w), history.end());  // [<= window]
    std::sort(recent.begin(), recent.end());
    recent.erase(std::unique(recent.begin(), recent.end()), recent.end());
    return recent;
}

// ids 0..n-1 ordered by x descending, equal x in id order.
std::vector<int> orderByValue(std::span<const float> x) {
    const std::vector<uint64_t> sorted = radixSortDesc(x);  // [vocab]
    std::vector<int> order(sorted.size());                  // [vocab]
    for (size_t i = 0; i < sorted.size(); ++i) order[i] = int(uint32_t(sorted[i] & 0xFFFFFFFFu));
    return order;
}

// `order` (by the old logits) after the tokens in `changed` (ascending) got new logits x: the
// unchanged tokens keep their relative order, the changed ones are merged back in.
std::vector<int> reorderChanged(std::span<const int> order, std::span<const float> x,
                                std::span<const int> changed) {
    auto before = [&](int a, int b) {  // x descending, then id ascending
        return x[size_t(a)] > x[size_t(b)] || (x[size_t(a)] == x[size_t(b)] && a < b);
    };
    std::vector<int> moved(changed.begin(), changed.end());  // [changed]
    std::sort(moved.begin(), moved.end(), before);
    std::vector<char> isMoved(order.size(), 0);  // [vocab]
    for (int id : moved) isMoved[size_t(id)] = 1;
    std::vector<int> merged;  // [vocab]
    merged.reserve(order.size());
    size_t m = 0;
    for (int id : order) {
        if (isMoved[size_t(id)]) continue;
        while (m < moved.size() && before(moved[m], id)) merged.push_back(moved[m++]);
        merged.push_back(id);
    }
    merged.insert(merged.end(), moved.begin() + std::ptrdiff_t(m), moved.end());
    return merged;
}

// Candidates sorted highest first, as sortDesc would leave allCandidates(p), computed from
// `order`, the ids sorted by logits of which p is a monotone function (softmax of x / T). The
// order already holds up to ties that rounding created; each run of equal p is put back in id
// order. Falls back to a full sort if p is not monotone in the order or ties are many.
Candidates sortedLike(std::span<const int> order, std::span<const float> p) {
    Candidates c;
    c.ids.assign(order.begin(), order.end());
    c.values.resize(order.size());
    for (size_t i = 0; i < order.size(); ++i) c.values[i] = p[size_t(order[i])];
    size_t fixed = 0;
    for (size_t i = 0; i < c.values.size();) {
        size_t j = i + 1;
        while (j < c.values.size() && c.values[j] == c.values[i]) ++j;
        if (j < c.values.size() && c.values[j] > c.values[i]) {  // not monotone: sort afresh
            c = allCandidates(p);
            sortDesc(c);
            return c;
        }
        if (!std::is_sorted(c.ids.begin() + std::ptrdiff_t(i), c.ids.begin() + std::ptrdiff_t(j))) {
            fixed += j - i;
            if (fixed > c.ids.size() / 8) {  // e.g. a long tail underflowed to 0
                c = allCandidates(p);
                sortDesc(c);
                return c;
            }
            std::sort(c.ids.begin() + std::ptrdiff_t(i), c.ids.begin() + std::ptrdiff_t(j));
        }
        i = j;
    }
    c.sortedDesc = true;
    return c;
}

// A full-vocabulary stage: p = softmax(x), listed like sortDesc would, reusing `order` (ids
// sorted by x); p is scratch space [vocab]. The entropy comes from the logits, without a
// logarithm per token: ln p_i = (x_i - m) - ln Z and 1 / Z = p_max, so
// H = -sum_i p_i ln p_i = -ln p_max - sum_i p_i (x_i - m)   (nats; / ln 2 for bits).
StageReport softmaxStage(const char* stage, std::span<const float> x, std::span<const int> order,
                         std::vector<float>& p) {
    p.assign(x.begin(), x.end());
    softmaxInPlace(p);
    const float m = x[size_t(order.front())];
    double weighted = 0.0;  // sum_i p_i (x_i - m)
    for (size_t i = 0; i < p.size(); ++i)
        if (p[i] > 0.0f) weighted += double(p[i]) * (double(x[i]) - double(m));
    const double nats = -std::log(double(p[size_t(order.front())])) - weighted;
    return record(stage, sortedLike(order, p), 0.0f, true,
                  float(std::max(0.0, nats / std::numbers::ln2)));
}

// True when x / T overflows (T so small that it is greedy in all but name): the caller takes the
// argmax instead of letting inf - inf poison the softmax.
bool temperatureOverflows(std::span<const float> x, float temperature) {
    return !std::isfinite(x[size_t(argmax(x))] / temperature);
}

// top-k -> top-p -> min-p on candidates sorted highest first and normalised. Each active stage
// renormalises what it keeps; stages (when given) receive one report per stage.
void runFilters(Candidates& c, const SamplerSettings& s, std::vector<StageReport>* stages) {
    // top-k: keep the k most probable; cutoff = p_(k), the k-th largest probability.
    if (s.topK > 0) {
        const float cutoff = c.values[std::min<size_t>(size_t(s.topK), c.values.size()) - 1];
        keepTopK(c, s.topK);
        renormalize(c);
        if (stages) stages->push_back(record("top-k", c, cutoff, true));
    } else if (stages) {
        stages->push_back(passThrough("top-k", stages->back()));
    }
    // top-p: smallest prefix with sum p_(1..m) > topP; cutoff = p_(m), the last one kept.
    if (topPActive(s.topP)) {
        keepTopP(c, s.topP);
        const float cutoff = c.values.back();
        renormalize(c);
        if (stages) stages->push_back(record("top-p", c, cutoff, true));
    } else if (stages) {
        stages->push_back(passThrough("top-p", stages->back()));
    }
    // min-p: keep p_i >= minP * p_max; cutoff = minP * p_max.
    if (s.minP > 0.0f) {
        const float cutoff = s.minP * c.values.front();
        keepMinP(c, s.minP);
        renormalize(c);
        if (stages) stages->push_back(record("min-p", c, cutoff, true));
    } else if (stages) {
        stages->push_back(passThrough("min-p", stages->back()));
    }
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
    if (size_t(k) < c.ids.size()) {
        c.ids.resize(size_t(k));
        c.values.resize(size_t(k));
    }
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
        return;
    }
    c.ids.resize(n0);
    c.values.resize(n0);
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
    c.ids.resize(last + 1);
    c.values.resize(last + 1);
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
    c.ids.resize(kept);
    c.values.resize(kept);
}

// p_i <- p_i / sum_j p_j
void renormalize(Candidates& c) {
    double sum = 0.0;
    for (float v : c.values) sum += v;
    if (!(sum > 0.0)) return;
    for (float& v : c.values) v = float(v / sum);
}

// H = -sum_i p_i log2 p_i (terms with p_i = 0 contribute 0).
float entropyBits(std::span<const float> probs) {
    double h = 0.0;
    for (float p : probs)
        if (p > 0.0f) h -= double(p) * double(std::log2(p));
    return float(h);
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

// ---- the chain ----

Sampler::Sampler(SamplerSettings s) : m_settings(s), m_rng(s.seed) { checkSettings(m_settings); }

int Sampler::sample(std::span<const float> logits, std::span<const int> history,
                    SamplingReport* report) {
    checkLogits(logits);
    const SamplerSettings& s = m_settings;
    std::vector<float> x(logits.begin(), logits.end());  // [vocab] logits, then probabilities
    if (penaltyActive(s))
        applyRepetitionPenalty(x, history, s.repetitionPenalty, s.repetitionWindow);

    int next = 0;
    float coin = 0.0f;
    if (s.temperature == 0.0f) {
        next = argmax(x);  // greedy: no randomness consumed
    } else if (temperatureOverflows(x, s.temperature)) {
        next = argmax(x);
        coin = m_rng.nextF32();  // still one coin per step, to keep the stream aligned
    } else {
        applyTemperature(x, s.temperature);
        softmaxInPlace(x);
        coin = m_rng.nextF32();  // one coin per step, as llama2.c
        if (s.topK == 0 && s.minP == 0.0f) {
            if (!topPActive(s.topP)) {
                next = sampleMult(x, coin);
            } else {
                Candidates c = allCandidates(x);
                keepTopP(c, s.topP);
                next = drawFrom(c, coin);  // llama2.c: r = coin * cumulative_prob
            }
        } else {
            Candidates c = allCandidates(x);
            sortDesc(c);
            runFilters(c, s, nullptr);
            next = drawFrom(c, coin);
        }
    }
    if (report) {
        *report = analyze(logits, history, s);
        report->chosen = next;
        report->coin = coin;
    }
    return next;
}

SamplingReport Sampler::analyze(std::span<const float> logits, std::span<const int> history,
                                const SamplerSettings& s) {
    checkSettings(s);
    checkLogits(logits);
    SamplingReport report;
    auto& stages = report.stages;
    stages.reserve(7);

    // One sort of the logits serves the three full-vocabulary stages: the penalty moves only the
    // recent tokens, and softmax and temperature keep the order.
    std::vector<float> x(logits.begin(), logits.end());  // [vocab] logits as the chain edits them
    std::vector<int> order = orderByValue(x);             // [vocab] ids by x, highest first
    std::vector<float> p;                                 // [vocab] scratch probabilities

    // softmax: the model's own distribution, p = softmax(x) at T = 1.
    stages.push_back(softmaxStage("softmax", x, order, p));

    if (penaltyActive(s)) {
        applyRepetitionPenalty(x, history, s.repetitionPenalty, s.repetitionWindow);
        order = reorderChanged(order, x, recentTokens(history, s.repetitionWindow));
        stages.push_back(softmaxStage("penalty", x, order, p));
    } else {
        stages.push_back(passThrough("penalty", stages.back()));
    }

    // temperature: p = softmax(x / T); T = 0 collapses to the argmax with p = 1.
    if (s.temperature == 1.0f) {
        stages.push_back(passThrough("temperature", stages.back()));
    } else if (s.temperature == 0.0f || temperatureOverflows(x, s.temperature)) {
        stages.push_back(record("temperature", Candidates{{argmax(x)}, {1.0f}, true}, 0.0f, true));
    } else {
        applyTemperature(x, s.temperature);
        stages.push_back(softmaxStage("temperature", x, order, p));
    }
    Candidates c{stages.back().ids, stages.back().probs, true};  // what the filters receive

    runFilters(c, s, &stages);

    stages.push_back(stages.back());
    stages.back().stage = "final";
    stages.back().cutoff = 0.0f;
    stages.back().active = true;
    report.chosen = c.ids.front();
    return report;
}

}  // namespace anatomy
