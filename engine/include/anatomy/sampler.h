#pragma once
// The sampler as a chain of small stages: repetition penalty -> temperature -> softmax -> top-k
// -> top-p -> min-p -> draw. Every stage is a free function that can be tested alone, and the
// chain can report the distribution each stage received and passed on (the sampling view draws
// these). Temperature 0 means greedy (argmax). With only temperature and top-p set, the draw is
// bit-for-bit llama2.c's: the same xorshift RNG, the same seed, the same token.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace anatomy {

struct SamplerSettings {
    float temperature = 1.0f;       // 0 = greedy
    int topK = 0;                   // 0 = off
    float topP = 0.9f;              // 1 (or <= 0) = off
    float minP = 0.0f;              // 0 = off
    float repetitionPenalty = 1.0f; // 1 = off (CTRL: logit/penalty if > 0, logit*penalty if < 0)
    int repetitionWindow = 64;      // how many recent tokens the penalty looks at
    uint64_t seed = 42;
};

// A candidate set: token ids with their probabilities (or logits before softmax).
struct Candidates {
    std::vector<int> ids;
    std::vector<float> values;
    bool sortedDesc = false;  // sorted by value, highest first
};

// One stage's record: the distribution it passed on (normalised probabilities).
struct StageReport {
    std::string stage;  // "softmax", "penalty", "temperature", "top-k", "top-p", "min-p", "final"
    std::vector<int> ids;       // surviving ids, most probable first
    std::vector<float> probs;   // their renormalised probabilities
    float entropyBits = 0.0f;   // of probs
    float cutoff = 0.0f;        // the threshold the stage applied (prob), 0 if none
    bool active = false;        // false when the stage's setting leaves it off
};

struct SamplingReport {
    std::vector<StageReport> stages;
    int chosen = -1;     // the drawn (or argmax) token
    float coin = 0.0f;   // the uniform number used for the draw
};

// ---- stages, each usable alone ----
void applyRepetitionPenalty(std::span<float> logits, std::span<const int> history, float penalty,
                            int window);
void applyTemperature(std::span<float> logits, float temperature);
void softmaxInPlace(std::span<float> x);
int argmax(std::span<const float> x);
// The keep* filters never renormalise (call renormalize() between them); a setting that means
// "off" (k <= 0, p <= 0 or p >= 1, minP <= 0) leaves the candidates as they are.
// Sort highest first; stable, so equal values keep their order (ids ascending from a fresh set).
void sortDesc(Candidates& c);
// Keep the k most probable candidates (sorts them, highest first).
void keepTopK(Candidates& c, int k);
// Keep the smallest most-probable prefix whose mass exceeds p (llama2.c's rule). The values must
// be probabilities summing to 1.
void keepTopP(Candidates& c, float p);
// Keep candidates with prob >= minP * max prob.
void keepMinP(Candidates& c, float minP);
// Divide the values by their sum so they add up to 1.
void renormalize(Candidates& c);
float entropyBits(std::span<const float> probs);

// llama2.c's xorshift* RNG.
class Rng {
public:
    explicit Rng(uint64_t seed) : m_state(seed) {}
    uint32_t nextU32();
    float nextF32();  // [0, 1)
private:
    uint64_t m_state;
};

class Sampler {
public:
    explicit Sampler(SamplerSettings s = {});
    const SamplerSettings& settings() const { return m_settings; }
    // Draws the next token from logits [vocab]; history is the tokens so far (for the penalty).
    int sample(std::span<const float> logits, std::span<const int> history,
               SamplingReport* report = nullptr);
    // The whole chain without consuming randomness: what each stage passes on.
    static SamplingReport analyze(std::span<const float> logits, std::span<const int> history,
                                  const SamplerSettings& s);

private:
    SamplerSettings m_settings;
    Rng m_rng;
};

}  // namespace anatomy
