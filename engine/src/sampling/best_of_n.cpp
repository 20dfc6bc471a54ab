// Best-of-N: draw N samples, sample i exactly as `generate --seed S+i` does (generateTokens with
// the same sampler settings), record each token's log-probability under the model at T = 1
// (what was drawn from the chain is scored by the model's own distribution) and keep the best:
//     mean-logprob = (1/n) sum_i lp(y_i | y_<i)      sum-logprob = sum_i lp(y_i | y_<i)
// over the n generated tokens, the stop token included when one was drawn.
#include <cmath>

#include "anatomy/decoding.h"
#include "anatomy/error.h"
#include "anatomy/generate.h"
#include "anatomy/session.h"
#include "anatomy/tokenizer.h"

namespace anatomy {

SampleScorer parseSampleScorer(std::string_view name) {
    if (name == "mean-logprob") return SampleScorer::MeanLogprob;
    if (name == "sum-logprob") return SampleScorer::SumLogprob;
    throw Error("unknown scorer '" + std::string(name) + "'; allowed: mean-logprob, sum-logprob");
}

const char* sampleScorerName(SampleScorer scorer) {
    return scorer == SampleScorer::MeanLogprob ? "mean-logprob" : "sum-logprob";
}

double sampleScore(const DecodedSample& s, SampleScorer scorer) {
    return scorer == SampleScorer::MeanLogprob ? s.meanLogprob : s.sumLogprob;
}

int bestSample(std::span<const DecodedSample> samples, SampleScorer scorer) {
    int best = -1;
    for (size_t i = 0; i < samples.size(); ++i)
        if (best < 0 || sampleScore(samples[i], scorer) > sampleScore(samples[size_t(best)], scorer))
            best = int(i);
    return best;
}

DecodedSample drawSample(Session& session, const Tokenizer& tokenizer, const std::vector<int>& prompt,
                         SamplerSettings settings, int maxNewTokens, std::stop_token stop) {
    requireLanguageModel(session.model().architecture, "sampling");
    if (maxNewTokens < 1) throw Error("sampling: max new tokens must be >= 1, got " + std::to_string(maxNewTokens));
    DecodedSample d;
    d.seed = settings.seed;
    Sampler sampler(settings);
    session.reset();
    std::vector<float> last;  // [vocab] the logits the next token is drawn from
    const int V = session.config().vocabSize;
    GenerateOptions options;
    options.maxNewTokens = maxNewTokens;
    options.onLogits = [&](std::span<const float> l) { last.assign(l.end() - V, l.end()); };
    auto score = [&](int id) {
        d.ids.push_back(id);
        d.logprobs.push_back(logSoftmax(last)[size_t(id)]);
    };
    const GenerateResult r = generateTokens(session, tokenizer, sampler, prompt, options,
                                            [&](int id, const std::string& piece) {
                                                score(id);
                                                d.text += piece;
                                                return true;
                                            }, stop);
    if (r.stop == GenerateStop::Cancelled) throw Cancelled();
    if (r.stop == GenerateStop::StopToken) {
        score(r.stopToken);
        d.stopped = true;
    }
    for (double lp : d.logprobs) d.sumLogprob += lp;
    d.meanLogprob = d.ids.empty() ? 0.0 : d.sumLogprob / double(d.ids.size());
    return d;
}

std::vector<DecodedSample> drawSamples(Session& session, const Tokenizer& tokenizer,
                                       const std::vector<int>& prompt, const SamplerSettings& sampler,
                                       int n, int maxNewTokens,
                                       const std::function<bool(const DecodedSample&)>& onSample,
                                       std::stop_token stop) {
    if (n < 1) throw Error("best-of: the number of samples must be >= 1, got " + std::to_string(n));
    std::vector<DecodedSample> out;
    for (int i = 0; i < n; ++i) {
        SamplerSettings s = sampler;
        s.seed = sampler.seed + uint64_t(i);
        try {
            out.push_back(drawSample(session, tokenizer, prompt, s, maxNewTokens, stop));
        } catch (const Cancelled&) {
            break;
        }
        out.back().index = i;
        if (onSample && !onSample(out.back())) break;
    }
    return out;
}

}  // namespace anatomy
