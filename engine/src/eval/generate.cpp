#include "anatomy/generate.h"

#include <chrono>

#include "anatomy/error.h"
#include "anatomy/sampler.h"
#include "anatomy/session.h"
#include "anatomy/tokenizer.h"
#include "eval/token_loop.h"

namespace anatomy {

namespace {
using Clock = std::chrono::steady_clock;
double msBetween(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}
}  // namespace

GenerateResult generateTokens(Session& session, const Tokenizer& tokenizer, Sampler& sampler,
                              std::vector<int> prompt, const GenerateOptions& options,
                              const TokenCallback& onToken, std::stop_token stop) {
    requireLanguageModel(session.model().architecture, "generate");
    if (prompt.empty()) throw Error("generate: the prompt has no tokens (expected at least BOS)");
    const int V = session.config().vocabSize;
    GenerateResult r;
    r.tokens = std::move(prompt);
    const auto t0 = Clock::now();
    // 1. Prefill: one pass over the whole prompt; the last row is the next token's logits.
    const std::vector<float>& all = session.forward(r.tokens, options.prefillAllRows, nullptr, stop);
    if (options.onLogits) options.onLogits(all);
    std::span<const float> logits(all.data() + (all.size() - size_t(V)), size_t(V));
    const auto t1 = Clock::now();
    r.prefillMs = msBetween(t0, t1);
    // 2. Decode one token at a time from the KV cache.
    runTokenLoop(r, logits, tokenizer, sampler, options, onToken, stop, [&](int next) -> const std::vector<float>& {
        const int one[1] = {next};
        return session.forward(one, false, nullptr, stop);
    });
    r.decodeMs = msBetween(t1, Clock::now());
    return r;
}

}  // namespace anatomy
