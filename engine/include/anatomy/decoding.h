#pragma once
// Decoding strategies beyond one draw at a time: beam search, best-of-N, self-consistency
// (majority vote over extracted answers) and the metrics that compare them. Both faces
// (anatomy-cli decode, the app's Decoding view) call these functions.
//
// Log-probabilities are the model's at temperature 1, in double (logSoftmax):
//     lp_i = (x_i - m) - ln sum_j exp(x_j - m),   m = max_j x_j
//
// Beam search, width W (beamSearch): every live hypothesis is extended by every token; of all
// the extensions the W best by cumulative log-probability are kept (ties: the lower token id,
// then the hypothesis ranked higher in the current beam). A kept extension that emits a stop
// token (BOS or EOS) is finished with
//     score = sum lp / length^alpha          (length counts the stop token; alpha = the length penalty)
// the others form the next live beam. The search stops once W have finished, when none is live
// or at maxNewTokens (then the live ones are scored the same way). The result is the W best by
// score (ties: finished before live, earlier before later), rank 1 first. Width 1 is greedy.
//
// Best-of-N (drawSamples, bestSample): sample i is exactly `generate` with seed S + i; scored by
// the mean log-probability per generated token (the stop token included when drawn) or the sum.
// Self-consistency (AnswerPattern, majorityVote): the first capture group of the first match of
// an ECMAScript regex in prompt + generated text is a sample's answer; the vote is the most
// frequent answer, ties going to the one seen first.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <regex>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "anatomy/sampler.h"
#include "anatomy/sim_settings.h"

namespace anatomy {

class Model;
class Session;
class Tokenizer;

// lp = log-softmax(logits) in double [vocab]. -inf logits give -inf.
std::vector<double> logSoftmax(std::span<const float> logits);

// ---- beam search ----

// Hypothesis i of a live beam: hypothesis `parent` of the previous beam followed by `token`.
struct BeamLink {
    int parent = -1;  // -1: the prompt alone (the first call)
    int token = -1;
};

// Where beam search gets next-token log-probabilities: the model (SessionLogProbs) or any
// hand-built distribution (FunctionLogProbs, for tests and toys).
class LogProbSource {
public:
    virtual ~LogProbSource() = default;
    virtual int vocabSize() const = 0;
    // Called once per step with the live beam; generated[i] is hypothesis i's tokens after the
    // prompt. The first call has one link {-1, -1} and an empty sequence. Returns the next
    // token's log-probabilities, [beam.size()][vocab]. Throws Cancelled when stop is requested.
    virtual std::vector<std::vector<double>> next(std::span<const BeamLink> beam,
                                                  std::span<const std::vector<int>> generated,
                                                  std::stop_token stop) = 0;
};

// lp = f(generated tokens): a stateless distribution.
class FunctionLogProbs final : public LogProbSource {
public:
    using Function = std::function<std::vector<double>(std::span<const int> generated)>;
    FunctionLogProbs(int vocabSize, Function f) : m_vocab(vocabSize), m_f(std::move(f)) {}
    int vocabSize() const override { return m_vocab; }
    std::vector<std::vector<double>> next(std::span<const BeamLink> beam,
                                          std::span<const std::vector<int>> generated,
                                          std::stop_token stop) override;

private:
    int m_vocab;
    Function m_f;
};

// The model's distribution with one Session (KV cache) per live hypothesis. A hypothesis keeps
// its parent's session; a parent with several surviving children forks: the extra child takes a
// session that is free this step and copies from the parent only the cached positions after
// the prefix the two already share (Session::copyCacheFrom), so no full copy is made per step.
class SessionLogProbs final : public LogProbSource {
public:
    SessionLogProbs(std::shared_ptr<const Model> model, const SimSettings& settings,
                    std::vector<int> prompt);
    ~SessionLogProbs() override;
    int vocabSize() const override;
    std::vector<std::vector<double>> next(std::span<const BeamLink> beam,
                                          std::span<const std::vector<int>> generated,
                                          std::stop_token stop) override;

    struct Stats {
        long long forwardTokens = 0;  // tokens fed through the model (the prompt once)
        long long copiedPositions = 0;  // cached positions copied by forks
        int sessions = 0;             // sessions created (at most the width)
    };
    const Stats& stats() const { return m_stats; }

private:
    std::shared_ptr<const Model> m_model;
    SimSettings m_settings;
    std::vector<int> m_prompt;
    std::vector<std::unique_ptr<Session>> m_sessions;
    std::vector<std::vector<int>> m_held;  // [sessions] the tokens each session's cache holds
    std::vector<int> m_sessionOf;          // [live beam] the session of each hypothesis
    Stats m_stats;
};

struct BeamOptions {
    int width = 4;              // W >= 1
    double lengthPenalty = 1.0; // alpha: score = sum lp / length^alpha (0 = the sum, 1 = the mean)
    int maxNewTokens = 64;      // >= 1
    std::vector<int> stopTokens;  // a kept extension emitting one of these is finished
    int recordPruned = 0;       // per step, how many of the best extensions not kept to record
};

enum class BeamNodeState { Live, Pruned, Finished };

// One extension the search looked at (a node of the beam tree).
struct BeamNode {
    int step = 0;            // 1 = the first generated token
    int parent = -1;         // index into BeamResult::nodes; -1 = the prompt
    int token = -1;
    double logprob = 0.0;    // lp of token after the parent's sequence
    double cumulative = 0.0; // sum of lp from the prompt to here
    double score = 0.0;      // cumulative / length^alpha
    BeamNodeState state = BeamNodeState::Live;
    int rank = 0;            // 1-based among the step's extensions, best first
};

struct BeamHypothesis {
    std::vector<int> ids;     // generated tokens, the stop token included when finished
    double sumLogprob = 0.0;
    double score = 0.0;
    bool finished = false;    // ended with a stop token
    int node = -1;            // its last node in BeamResult::nodes
};

struct BeamResult {
    std::vector<BeamHypothesis> ranked;  // the W best by score, rank 1 first
    std::vector<BeamNode> nodes;         // every kept extension, and recordPruned more per step
    std::vector<int> live;               // node indices of the live beam after the last step
    int steps = 0;
    bool done = false;                   // a stop rule ended the search
};

// score = sumLogprob / length^alpha; 0 for length 0.
double lengthPenalized(double sumLogprob, int length, double alpha);

// Called after every step with the search so far (ranked is filled only when done).
// Returning false stops the search after this step (ranked is then filled from what exists).
using BeamStepCallback = std::function<bool(const BeamResult& partial)>;

// Beam search one step at a time (the app's Step button computes exactly one): step() runs
// one step of the rules above and returns false, computing nothing, once the search is done.
// A Cancelled from step() comes from the source before this search changed; the search may be
// stepped again only if the source is still consistent (SessionLogProbs is not: rebuild both).
class BeamSearch {
public:
    // Throws Error for width < 1, maxNewTokens < 1 or a length penalty that is not finite.
    BeamSearch(LogProbSource& source, BeamOptions options);
    ~BeamSearch();
    BeamSearch(const BeamSearch&) = delete;
    BeamSearch& operator=(const BeamSearch&) = delete;

    bool step(std::stop_token stop = {});
    // Ends the search now: ranked from the finished and the live (as at maxNewTokens).
    void finish();
    const BeamResult& result() const { return m_r; }
    bool done() const { return m_r.done; }

    struct Extension {
        double cumulative;
        int token;
        int rank;  // 0-based in the current live beam
    };

private:
    struct Live {
        std::vector<int> ids;
        double cumulative = 0.0;
        int node = -1;
    };
    bool isStop(int token) const;
    std::vector<BeamHypothesis> finishedAndLive() const;
    void selectBest(const std::vector<std::vector<double>>& lp, size_t n);

    LogProbSource& m_source;
    BeamOptions m_o;
    BeamResult m_r;
    std::vector<BeamHypothesis> m_finished;      // in the order they finished
    std::vector<Live> m_live;                    // the live beam, best first
    std::vector<BeamLink> m_links;               // [live] how each came from the previous beam
    std::vector<Extension> m_ext;                // the best extensions of a step, best first
    std::vector<std::vector<int>> m_generated;   // [live] their tokens, for the source
};

// The whole search: BeamSearch stepped to the end. Throws Error for width < 1 or
// maxNewTokens < 1, Cancelled when stop is requested.
BeamResult beamSearch(LogProbSource& source, const BeamOptions& options,
                      const BeamStepCallback& onStep = {}, std::stop_token stop = {});

// The tokenizer's BOS and EOS (the stop tokens of generate.h).
std::vector<int> stopTokensOf(const Tokenizer& tokenizer);

// The generated text of ids after the prompt's last token, stop tokens left out.
std::string generatedText(const Tokenizer& tokenizer, int lastPromptToken, std::span<const int> ids);

// ---- best-of-N and self-consistency ----

struct DecodedSample {
    int index = 0;                 // i: drawn with seed S + i
    uint64_t seed = 0;
    std::vector<int> ids;          // generated tokens, the stop token included when drawn
    std::vector<double> logprobs;  // [ids] under the model at T = 1
    std::string text;              // the generated text, without the prompt
    bool stopped = false;          // ended with a stop token
    double sumLogprob = 0.0;
    double meanLogprob = 0.0;      // sumLogprob / ids.size() (0 when empty)
    std::optional<std::string> answer;  // filled by self-consistency
};

enum class SampleScorer { MeanLogprob, SumLogprob };
// "mean-logprob" / "sum-logprob"; throws Error naming the allowed ones.
SampleScorer parseSampleScorer(std::string_view name);
const char* sampleScorerName(SampleScorer scorer);
double sampleScore(const DecodedSample& sample, SampleScorer scorer);
// The index of the best score (ties: the first); -1 when empty.
int bestSample(std::span<const DecodedSample> samples, SampleScorer scorer);

// One sample as `generate --seed seed` draws it, with its log-probabilities. session is reset
// first (its settings kept).
DecodedSample drawSample(Session& session, const Tokenizer& tokenizer,
                         const std::vector<int>& prompt, SamplerSettings sampler, int maxNewTokens,
                         std::stop_token stop = {});

// Samples i = 0..n-1 with seeds sampler.seed + i. onSample (optional) sees each as it is drawn;
// returning false stops. A stop request ends with the samples drawn so far.
std::vector<DecodedSample> drawSamples(Session& session, const Tokenizer& tokenizer,
                                       const std::vector<int>& prompt,
                                       const SamplerSettings& sampler, int n, int maxNewTokens,
                                       const std::function<bool(const DecodedSample&)>& onSample = {},
                                       std::stop_token stop = {});

// An answer extractor: an ECMAScript regex with at least one capture group.
class AnswerPattern {
public:
    // Throws Error ("invalid regex ...", or one without a capture group).
    explicit AnswerPattern(const std::string& regex);
    const std::string& source() const { return m_source; }
    // The first match's first group in text; nullopt when nothing matches.
    std::optional<std::string> extract(std::string_view text) const;

private:
    std::string m_source;
    std::regex m_regex;
};

struct VoteResult {
    struct Count {
        std::string answer;
        int count = 0;
        int firstSeen = 0;  // index of the first sample with this answer
    };
    std::vector<Count> counts;  // every answer, most frequent first (ties: seen first)
    std::optional<std::string> winner;  // counts[0], nullopt when no sample has an answer
    int answered = 0;                   // samples with an answer
};
VoteResult majorityVote(std::span<const std::optional<std::string>> answers);

// ---- comparing strategies ----

// n-gram statistics of an output's token ids.
// distinct-n = unique n-grams / all n-grams (0 when shorter than n);
// repeated n-grams = occurrences of an n-gram already seen earlier in the same output.
double distinctN(std::span<const int> ids, int n);
int repeatedNgrams(std::span<const int> ids, int n);

struct OutputMetrics {
    double meanLogprob = 0.0;  // mean lp of the output's tokens under the model (T = 1)
    double distinct1 = 0.0;
    double distinct2 = 0.0;
    int repeated4 = 0;
    int length = 0;
};
OutputMetrics outputMetrics(std::span<const int> ids, std::span<const double> logprobs);

// A strategy for `compare`: "greedy", "beam:W[:alpha]", or sampler settings
// "temperature=0.8,top-p=0.9,seed=3" (keys temperature, top-k, top-p, min-p, typical-p,
// repetition-penalty, seed) applied over a base.
struct DecodeVariant {
    enum class Kind { Greedy, Beam, Sample };
    Kind kind = Kind::Greedy;
    std::string label;       // the spec as given
    int width = 4;           // Beam
    double lengthPenalty = 1.0;
    SamplerSettings sampler; // Sample (Greedy: temperature 0)
};
// Throws Error naming the bad part.
DecodeVariant parseDecodeVariant(std::string_view spec, const SamplerSettings& base);

struct VariantOutput {
    DecodeVariant variant;
    std::vector<int> ids;          // generated tokens, the stop token included
    std::vector<double> logprobs;  // [ids]
    std::string text;
    OutputMetrics metrics;
};

// Runs one variant from the prompt: greedy and sampling as `generate`, beam as beamSearch (its
// rank 1). session carries the settings (it is reset); beam forks sessions of the same model
// and settings.
VariantOutput runDecodeVariant(Session& session, const Tokenizer& tokenizer,
                               const std::vector<int>& prompt, const DecodeVariant& variant,
                               int maxNewTokens, std::stop_token stop = {});

}  // namespace anatomy
