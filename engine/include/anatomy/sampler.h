#pragma once
// The sampler as a chain of stage objects (llama.cpp's llama_sampler_i is the pattern). Drawing
// and analysis run the same chain: sample() runs it and draws, analyze() runs it and records what
// each stage passed on, without consuming randomness, so the sampling view shows what is drawn.
//
// The default order, and the one that reproduces llama2.c:
//
//     penalty -> temperature -> [softmax] -> top-k -> top-p -> min-p -> typical -> draw
//
// (typical-p, off by default, comes last so the order before it stays llama2.c's; llama.cpp runs
// it after top-k: --samplers penalty,temperature,top-k,typical,top-p,min-p.)
// With only temperature and top-p set the draw is bit-for-bit llama2.c's: the same xorshift RNG,
// the same seed, the same token. Other orders are opt-in (SamplerSettings::order,
// `anatomy-cli generate --samplers LIST`, the Settings dock).
//
// Where each stage works, and what a changed order means:
// - penalty and temperature edit logits; top-k, typical, top-p and min-p filter probabilities.
// - The chain takes the softmax once, just before the first probability stage (or before the
//   draw when there is none): p_i = exp(x_i - max x) / sum_j exp(x_j - max x).
// - The logits are kept after the softmax, so a logit stage placed later still acts on logits:
//   it edits the survivors' logits and the softmax is taken again over the survivors S. For
//   temperature that is p_i <- p_i^(1/T) / sum_{j in S} p_j^(1/T) (the same thing, because
//   exp(x_i / T) = (e^x_i)^(1/T) and the normaliser cancels); for the penalty it is
//   p_t <- p_t * exp(x'_t - x_t), renormalised over S.
// - Penalty and temperature commute (both scale logits), up to rounding.
// - top-k keeps the same set before or after temperature (x -> x / T keeps the order, so the k
//   most probable stay the k most probable); min-p and top-p do not: after a hot temperature the
//   nucleus and the min-p set grow, before it they are taken on the model's own distribution.
// - Filters receive a distribution that sums to 1: when an earlier filter removed candidates, a
//   filter renormalises (p_i / sum p) before applying its rule, so each cut-off is a probability
//   of what the stage received. The draw needs no renormalisation (it scales the coin by the mass).
// - Every filter leaves its survivors most probable first, and the draw walks them in that order
//   (llama2.c's sample_topp); when no filter ran it walks token ids in order (llama2.c's
//   sample_mult).
// - Temperature 0 is greedy: the temperature stage collapses the candidates to the one with the
//   largest logit (the smallest id among equals), and no coin is drawn. Later stages see a single
//   candidate with p = 1.
// - A stage left out of the order is not run at all, as if its setting were off.
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace anatomy {

enum class SamplerStageKind { Penalty, Temperature, TopK, TopP, MinP, Typical };

// penalty, temperature, top-k, top-p, min-p, typical: the default order (see above).
inline constexpr std::array<SamplerStageKind, 6> kDefaultSamplerOrder{
    SamplerStageKind::Penalty, SamplerStageKind::Temperature, SamplerStageKind::TopK,
    SamplerStageKind::TopP,    SamplerStageKind::MinP,        SamplerStageKind::Typical};

// "penalty", "temperature", "top-k", "top-p", "min-p", "typical".
const char* samplerStageName(SamplerStageKind kind);
// "penalty,temperature,top-k,top-p,min-p,typical" -> the order (spaces around names are ignored).
// Throws anatomy::Error for an empty list, an unknown name (the message lists the allowed ones)
// or a name given twice. A subset is fine: the stages left out are not run.
std::vector<SamplerStageKind> parseSamplerOrder(std::string_view list);
// The order as parseSamplerOrder reads it: names joined by commas.
std::string formatSamplerOrder(std::span<const SamplerStageKind> order);

struct SamplerSettings {
    float temperature = 1.0f;       // 0 = greedy
    int topK = 0;                   // 0 = off
    float topP = 0.9f;              // 1 (or <= 0) = off
    float minP = 0.0f;              // 0 = off
    float typicalP = 1.0f;          // 1 (or <= 0) = off (locally typical sampling)
    float repetitionPenalty = 1.0f; // 1 = off (CTRL: logit/penalty if > 0, logit*penalty if < 0)
    int repetitionWindow = 64;      // how many recent tokens the penalty looks at
    uint64_t seed = 42;
    // The stages in the order they run; each at most once, at least one.
    std::vector<SamplerStageKind> order{kDefaultSamplerOrder.begin(), kDefaultSamplerOrder.end()};

    bool operator==(const SamplerSettings&) const = default;
};

// A candidate set: token ids with their probabilities (or logits before softmax).
struct Candidates {
    std::vector<int> ids;
    std::vector<float> values;
    bool sortedDesc = false;  // sorted by value, highest first
    // The values are a softmax output (or renormalised) and none was removed since: the draw
    // takes their mass as 1 (llama2.c's sample_mult) instead of summing them (its sample_topp).
    bool normalized = false;
};

// One stage's record: the distribution it passed on (normalised probabilities).
struct StageReport {
    std::string stage;  // "softmax", "penalty", "temperature", "top-k", "top-p", "min-p",
                        // "typical", "final"
    std::vector<int> ids;       // surviving ids, most probable first
    std::vector<float> probs;   // their renormalised probabilities
    float entropyBits = 0.0f;   // of probs
    float cutoff = 0.0f;        // the threshold the stage applied (prob), 0 if none
    bool active = false;        // false when the stage's setting leaves it off

    bool operator==(const StageReport&) const = default;
};

struct SamplingReport {
    // "softmax" (the model's own distribution, what the chain receives), then one report per
    // stage in the chain's order, then "final" (what the draw draws from).
    std::vector<StageReport> stages;
    int chosen = -1;     // the drawn token (analyze: the most probable survivor)
    float coin = 0.0f;   // the uniform number used for the draw (0: none, as for greedy)
    // Exactly what the draw walks: the survivors in the chain's order with the mass it left
    // them. drawToken(drawn, coin) == chosen for a sampled step.
    Candidates drawn;
};

// ---- stages, each usable alone ----
void applyRepetitionPenalty(std::span<float> logits, std::span<const int> history, float penalty,
                            int window);
void applyTemperature(std::span<float> logits, float temperature);
void softmaxInPlace(std::span<float> x);
int argmax(std::span<const float> x);
// The keep* filters never renormalise (call renormalize() between them); a setting that means
// "off" (k <= 0, p <= 0 or p >= 1, minP <= 0) leaves the candidates as they are. A filter that
// removes candidates clears `normalized`.
// Sort highest first; stable, so equal values keep their order (ids ascending from a fresh set).
void sortDesc(Candidates& c);
// Keep the k most probable candidates (sorts them, highest first).
void keepTopK(Candidates& c, int k);
// Keep the smallest most-probable prefix whose mass exceeds p (llama2.c's rule). The values must
// be probabilities summing to 1.
void keepTopP(Candidates& c, float p);
// Keep candidates with prob >= minP * max prob.
void keepMinP(Candidates& c, float minP);
// Locally typical sampling (Meister et al. 2022, llama.cpp's llama_sampler_typical): keep the
// candidates closest to the entropy in surprise until their mass exceeds p (typical_p.cpp).
// The values must be probabilities summing to 1; survivors are left most probable first.
void keepTypical(Candidates& c, float p);
// Divide the values by their sum so they add up to 1 (sets `normalized`).
void renormalize(Candidates& c);
float entropyBits(std::span<const float> probs);
// The draw: r = coin (normalized values) or coin * sum(values); the first candidate, in the
// set's order, whose running sum exceeds r. Never a candidate with probability 0.
int drawToken(const Candidates& c, float coin);

// llama2.c's xorshift* RNG.
class Rng {
public:
    explicit Rng(uint64_t seed) : m_state(seed) {}
    uint32_t nextU32();
    float nextF32();  // [0, 1)
private:
    uint64_t m_state;
};

// ---- the chain ----

// What flows down the chain.
struct SamplerState {
    std::vector<float> logits;   // [vocab] by token id, as the logit stages left them
    Candidates candidates;       // the survivors; values are empty until the softmax
    bool probabilities = false;  // the softmax has been taken: candidates.values are probabilities
    bool greedy = false;         // temperature 0 collapsed the set to the argmax: no coin is drawn
};

struct SamplerContext {
    std::span<const int> history;  // the tokens so far (the penalty looks at the recent ones)
};

class SamplerStage {
public:
    virtual ~SamplerStage() = default;
    virtual SamplerStageKind kind() const = 0;
    const char* name() const { return samplerStageName(kind()); }
    // true: filters probabilities (top-k, top-p, min-p); false: edits logits (penalty,
    // temperature).
    virtual bool onProbabilities() const = 0;
    // false when the setting leaves the stage off: the chain passes its input on unchanged.
    virtual bool active() const = 0;
    // Edits the state; returns the cut-off applied, as a probability of what the stage received
    // (0 for none).
    virtual float apply(SamplerState& state, const SamplerContext& context) const = 0;
};

// The stage of that kind with its setting from s.
std::shared_ptr<const SamplerStage> makeSamplerStage(SamplerStageKind kind,
                                                     const SamplerSettings& s);

class SamplerChain {
public:
    // Checks the settings (throws anatomy::Error naming the bad one), builds s.order's stages.
    explicit SamplerChain(const SamplerSettings& s);
    const std::vector<std::shared_ptr<const SamplerStage>>& stages() const { return m_stages; }
    // Runs the stages over logits [vocab] (softmax where it belongs, see above). With reports,
    // appends "softmax", one StageReport per stage in order, and "final". Consumes no randomness.
    SamplerState run(std::span<const float> logits, std::span<const int> history,
                     std::vector<StageReport>* reports = nullptr) const;

private:
    std::vector<std::shared_ptr<const SamplerStage>> m_stages;
};

class Sampler {
public:
    explicit Sampler(SamplerSettings s = {});
    const SamplerSettings& settings() const { return m_settings; }
    const SamplerChain& chain() const { return m_chain; }
    // Runs the chain over logits [vocab] and draws the next token with one coin (none when
    // greedy); history is the tokens so far (for the penalty). A report records the same run.
    int sample(std::span<const float> logits, std::span<const int> history,
               SamplingReport* report = nullptr);
    // The same chain without consuming randomness: what each stage passes on.
    static SamplingReport analyze(std::span<const float> logits, std::span<const int> history,
                                  const SamplerSettings& s);

private:
    SamplerSettings m_settings;
    SamplerChain m_chain;
    Rng m_rng;
};

}  // namespace anatomy
