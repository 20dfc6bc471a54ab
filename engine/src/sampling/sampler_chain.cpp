// The sampler chain: stage objects run in the settings' order, the softmax where the first
// probability stage needs it, then the draw. sample() and analyze() both go through
// SamplerChain::run, so what the sampling view shows is what is drawn. The order's rules are in
// sampler.h.
#include "anatomy/sampler.h"

#include "anatomy/error.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <sstream>

namespace anatomy {

namespace {

template <typename T>
std::string str(T v) {
    std::ostringstream os;
    os << v;
    return os.str();
}

std::string allowedStages() { return formatSamplerOrder(kDefaultSamplerOrder); }

void checkOrder(std::span<const SamplerStageKind> order) {
    if (order.empty())
        throw Error("sampler order is empty: name at least one of " + allowedStages());
    for (size_t i = 0; i < order.size(); ++i) {
        if (std::find(kDefaultSamplerOrder.begin(), kDefaultSamplerOrder.end(), order[i]) ==
            kDefaultSamplerOrder.end())
            throw Error("sampler order: stage " + str(int(order[i])) + " is not one of " +
                        allowedStages());
        if (std::find(order.begin(), order.begin() + std::ptrdiff_t(i), order[i]) !=
            order.begin() + std::ptrdiff_t(i))
            throw Error(std::string("sampler order: '") + samplerStageName(order[i]) +
                        "' appears twice (each stage runs at most once)");
    }
}

void checkSettings(const SamplerSettings& s) {
    if (!(s.temperature >= 0.0f) || !std::isfinite(s.temperature))
        throw Error("sampler: temperature must be a finite number >= 0 (0 = greedy), got " +
                    str(s.temperature));
    if (s.topK < 0) throw Error("sampler: top-k must be >= 0 (0 = off), got " + str(s.topK));
    if (!(s.topP <= 1.0f))  // also rejects NaN
        throw Error("sampler: top-p must be <= 1 (<= 0 or 1 = off), got " + str(s.topP));
    if (!(s.typicalP <= 1.0f))  // also rejects NaN
        throw Error("sampler: typical-p must be <= 1 (<= 0 or 1 = off), got " + str(s.typicalP));
    if (!(s.minP >= 0.0f && s.minP <= 1.0f))
        throw Error("sampler: min-p must be in [0, 1] (0 = off), got " + str(s.minP));
    if (!(s.repetitionPenalty > 0.0f) || !std::isfinite(s.repetitionPenalty))
        throw Error("sampler: repetition penalty must be a finite number > 0 (1 = off), got " +
                    str(s.repetitionPenalty));
    if (s.repetitionWindow < 0)
        throw Error("sampler: repetition window must be >= 0, got " + str(s.repetitionWindow));
    checkOrder(s.order);
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

// p = softmax of the candidates' logits, in the candidates' order [candidates].
std::vector<float> softmaxOfCandidates(const SamplerState& st) {
    std::vector<float> p(st.candidates.ids.size());
    for (size_t i = 0; i < p.size(); ++i) p[i] = st.logits[size_t(st.candidates.ids[i])];
    softmaxInPlace(p);
    return p;
}

// A logit stage after the softmax: the survivors' probabilities from their edited logits,
// p_i = exp(x_i) / sum_{j in S} exp(x_j).
void refreshProbabilities(SamplerState& st) {
    st.candidates.values = softmaxOfCandidates(st);
    st.candidates.normalized = true;
    st.candidates.sortedDesc = false;
}

// A probability filter receives a distribution that sums to 1.
void ensureNormalized(Candidates& c) {
    if (!c.normalized) renormalize(c);
}

// ---- the stages ----

// CTRL's repetition penalty on the logits of recent tokens (applyRepetitionPenalty).
class PenaltyStage final : public SamplerStage {
public:
    PenaltyStage(float penalty, int window) : m_penalty(penalty), m_window(window) {}
    SamplerStageKind kind() const override { return SamplerStageKind::Penalty; }
    bool onProbabilities() const override { return false; }
    bool active() const override { return m_penalty != 1.0f && m_window > 0; }
    float apply(SamplerState& st, const SamplerContext& ctx) const override {
        applyRepetitionPenalty(st.logits, ctx.history, m_penalty, m_window);
        if (st.probabilities) refreshProbabilities(st);
        return 0.0f;
    }

private:
    float m_penalty;
    int m_window;
};

// x_i <- x_i / T; T = 0 (or a T so small that max x / T overflows) keeps only the argmax.
class TemperatureStage final : public SamplerStage {
public:
    explicit TemperatureStage(float temperature) : m_temperature(temperature) {}
    SamplerStageKind kind() const override { return SamplerStageKind::Temperature; }
    bool onProbabilities() const override { return false; }
    bool active() const override { return m_temperature != 1.0f; }
    float apply(SamplerState& st, const SamplerContext&) const override {
        Candidates& c = st.candidates;
        // The largest logit, the smallest id among equals: argmax() on a fresh set.
        int best = c.ids.front();
        for (int id : c.ids) {
            const float x = st.logits[size_t(id)], xb = st.logits[size_t(best)];
            if (x > xb || (x == xb && id < best)) best = id;
        }
        if (m_temperature == 0.0f || !std::isfinite(st.logits[size_t(best)] / m_temperature)) {
            // Greedy in name (T = 0, no coin) or in effect (inf - inf would poison the softmax;
            // the coin is still drawn so the stream stays aligned).
            c.ids = {best};
            c.values = {1.0f};
            c.sortedDesc = c.normalized = true;
            st.probabilities = true;
            st.greedy = m_temperature == 0.0f;
            return 0.0f;
        }
        for (int id : c.ids) st.logits[size_t(id)] /= m_temperature;  // as applyTemperature
        if (st.probabilities) refreshProbabilities(st);  // = p^(1/T), renormalised over S
        return 0.0f;
    }

private:
    float m_temperature;
};

// Keep the k most probable; cut-off p_(k), the k-th largest probability received.
class TopKStage final : public SamplerStage {
public:
    explicit TopKStage(int k) : m_k(k) {}
    SamplerStageKind kind() const override { return SamplerStageKind::TopK; }
    bool onProbabilities() const override { return true; }
    bool active() const override { return m_k > 0; }
    float apply(SamplerState& st, const SamplerContext&) const override {
        Candidates& c = st.candidates;
        ensureNormalized(c);
        sortDesc(c);
        const float cutoff = c.values[std::min(size_t(m_k), c.values.size()) - 1];
        keepTopK(c, m_k);
        return cutoff;
    }

private:
    int m_k;
};

// llama2.c's nucleus: the smallest prefix with p_(1) + ... + p_(m) > p; cut-off p_(m).
class TopPStage final : public SamplerStage {
public:
    explicit TopPStage(float p) : m_p(p) {}
    SamplerStageKind kind() const override { return SamplerStageKind::TopP; }
    bool onProbabilities() const override { return true; }
    bool active() const override { return m_p > 0.0f && m_p < 1.0f; }
    float apply(SamplerState& st, const SamplerContext&) const override {
        Candidates& c = st.candidates;
        ensureNormalized(c);
        keepTopP(c, m_p);
        sortDesc(c);  // a one-candidate set comes back unsorted-flagged
        return c.values.back();
    }

private:
    float m_p;
};

// Keep p_i >= minP * p_max; cut-off minP * p_max. Survivors are sorted, as the other filters'.
class MinPStage final : public SamplerStage {
public:
    explicit MinPStage(float minP) : m_minP(minP) {}
    SamplerStageKind kind() const override { return SamplerStageKind::MinP; }
    bool onProbabilities() const override { return true; }
    bool active() const override { return m_minP > 0.0f; }
    float apply(SamplerState& st, const SamplerContext&) const override {
        Candidates& c = st.candidates;
        ensureNormalized(c);
        const float pmax = c.sortedDesc ? c.values.front()
                                        : *std::max_element(c.values.begin(), c.values.end());
        const float cutoff = m_minP * pmax;
        keepMinP(c, m_minP);
        sortDesc(c);
        return cutoff;
    }

private:
    float m_minP;
};

// Locally typical sampling (keepTypical, typical_p.cpp); no probability cut-off to report.
class TypicalStage final : public SamplerStage {
public:
    explicit TypicalStage(float p) : m_p(p) {}
    SamplerStageKind kind() const override { return SamplerStageKind::Typical; }
    bool onProbabilities() const override { return true; }
    bool active() const override { return m_p > 0.0f && m_p < 1.0f; }
    float apply(SamplerState& st, const SamplerContext&) const override {
        Candidates& c = st.candidates;
        ensureNormalized(c);
        keepTypical(c, m_p);
        sortDesc(c);
        return 0.0f;
    }

private:
    float m_p;
};

// ---- the reports ----

// A softmax of the state's logits computed for a report, kept so the chain's own softmax (if
// it comes next, with the logits unchanged) need not compute it again.
struct SoftmaxCache {
    std::vector<float> p;  // [candidates] in the candidates' order
    bool valid = false;
};

// The distribution the state holds, as a report lists it: normalised, most probable first.
StageReport reportOf(const char* stage, const SamplerState& st, float cutoff, SoftmaxCache& cache) {
    Candidates c;
    if (st.probabilities) {
        c = st.candidates;
        if (!c.normalized) renormalize(c);  // as ensureNormalized would: the same floats
    } else {
        cache.p = softmaxOfCandidates(st);
        cache.valid = true;
        c.ids = st.candidates.ids;
        c.values = cache.p;
    }
    sortDesc(c);
    StageReport r;
    r.stage = stage;
    r.ids = std::move(c.ids);
    r.probs = std::move(c.values);
    r.entropyBits = entropyBits(r.probs);
    r.cutoff = cutoff;
    r.active = true;
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

// The chain's one softmax, over every candidate (the whole vocabulary, in id order: no filter
// has run yet), in float as llama2.c's.
void takeSoftmax(SamplerState& st, SoftmaxCache& cache) {
    st.candidates.values = cache.valid ? std::move(cache.p) : softmaxOfCandidates(st);
    cache.valid = false;
    st.candidates.normalized = true;
    st.probabilities = true;
}

}  // namespace

// ---- the order ----

const char* samplerStageName(SamplerStageKind kind) {
    switch (kind) {
        case SamplerStageKind::Penalty: return "penalty";
        case SamplerStageKind::Temperature: return "temperature";
        case SamplerStageKind::TopK: return "top-k";
        case SamplerStageKind::TopP: return "top-p";
        case SamplerStageKind::MinP: return "min-p";
        case SamplerStageKind::Typical: return "typical";
    }
    return "unknown";
}

std::vector<SamplerStageKind> parseSamplerOrder(std::string_view list) {
    auto isSpace = [](char ch) { return std::isspace(static_cast<unsigned char>(ch)) != 0; };
    std::vector<SamplerStageKind> order;
    if (std::all_of(list.begin(), list.end(), isSpace))
        throw Error("sampler order is empty: name at least one of " + allowedStages());
    size_t from = 0;
    while (from <= list.size()) {
        const size_t comma = std::min(list.find(',', from), list.size());
        std::string_view name = list.substr(from, comma - from);
        while (!name.empty() && isSpace(name.front())) name.remove_prefix(1);
        while (!name.empty() && isSpace(name.back())) name.remove_suffix(1);
        if (name.empty())
            throw Error("sampler order '" + std::string(list) +
                        "' has an empty stage name; allowed: " + allowedStages());
        const auto it =
            std::find_if(kDefaultSamplerOrder.begin(), kDefaultSamplerOrder.end(),
                         [&](SamplerStageKind k) { return name == samplerStageName(k); });
        if (it == kDefaultSamplerOrder.end())
            throw Error("sampler order: unknown stage '" + std::string(name) +
                        "'; allowed: " + allowedStages());
        if (std::find(order.begin(), order.end(), *it) != order.end())
            throw Error("sampler order: '" + std::string(name) +
                        "' appears twice (each stage runs at most once)");
        order.push_back(*it);
        from = comma + 1;
    }
    return order;
}

std::string formatSamplerOrder(std::span<const SamplerStageKind> order) {
    std::string out;
    for (SamplerStageKind k : order) {
        if (!out.empty()) out += ',';
        out += samplerStageName(k);
    }
    return out;
}

// ---- the chain ----

std::shared_ptr<const SamplerStage> makeSamplerStage(SamplerStageKind kind,
                                                     const SamplerSettings& s) {
    switch (kind) {
        case SamplerStageKind::Penalty:
            return std::make_shared<PenaltyStage>(s.repetitionPenalty, s.repetitionWindow);
        case SamplerStageKind::Temperature:
            return std::make_shared<TemperatureStage>(s.temperature);
        case SamplerStageKind::TopK: return std::make_shared<TopKStage>(s.topK);
        case SamplerStageKind::TopP: return std::make_shared<TopPStage>(s.topP);
        case SamplerStageKind::MinP: return std::make_shared<MinPStage>(s.minP);
        case SamplerStageKind::Typical: return std::make_shared<TypicalStage>(s.typicalP);
    }
    throw Error("sampler: unknown stage " + str(int(kind)));
}

SamplerChain::SamplerChain(const SamplerSettings& s) {
    checkSettings(s);
    for (SamplerStageKind k : s.order) m_stages.push_back(makeSamplerStage(k, s));
}

SamplerState SamplerChain::run(std::span<const float> logits, std::span<const int> history,
                               std::vector<StageReport>* reports) const {
    checkLogits(logits);
    const SamplerContext context{history};
    SamplerState st;
    st.logits.assign(logits.begin(), logits.end());  // [vocab]
    st.candidates.ids.resize(logits.size());         // every token, in id order
    for (size_t i = 0; i < logits.size(); ++i) st.candidates.ids[i] = int(i);

    SoftmaxCache cache;
    // The model's own distribution, p = softmax(x): what the chain receives.
    if (reports) reports->push_back(reportOf("softmax", st, 0.0f, cache));
    for (const auto& stage : m_stages) {
        if (stage->onProbabilities() && !st.probabilities) takeSoftmax(st, cache);
        if (!stage->active()) {
            if (reports) reports->push_back(passThrough(stage->name(), reports->back()));
            continue;
        }
        cache.valid = false;
        const float cutoff = stage->apply(st, context);
        if (reports) reports->push_back(reportOf(stage->name(), st, cutoff, cache));
    }
    if (!st.probabilities) takeSoftmax(st, cache);  // the draw needs probabilities
    if (reports) {
        StageReport final = reports->back();
        final.stage = "final";
        final.cutoff = 0.0f;
        final.active = true;
        reports->push_back(std::move(final));
    }
    return st;
}

// ---- the sampler ----

Sampler::Sampler(SamplerSettings s)
    : m_settings(std::move(s)), m_chain(m_settings), m_rng(m_settings.seed) {}

int Sampler::sample(std::span<const float> logits, std::span<const int> history,
                    SamplingReport* report) {
    if (report) *report = {};
    SamplerState st = m_chain.run(logits, history, report ? &report->stages : nullptr);
    const float coin = st.greedy ? 0.0f : m_rng.nextF32();  // one coin per step, as llama2.c
    const int next = drawToken(st.candidates, coin);
    if (report) {
        report->chosen = next;
        report->coin = coin;
        report->drawn = std::move(st.candidates);
    }
    return next;
}

SamplingReport Sampler::analyze(std::span<const float> logits, std::span<const int> history,
                                const SamplerSettings& s) {
    SamplingReport report;
    SamplerState st = SamplerChain(s).run(logits, history, &report.stages);
    report.chosen = report.stages.back().ids.front();  // the most probable survivor
    report.drawn = std::move(st.candidates);
    return report;
}

}  // namespace anatomy
