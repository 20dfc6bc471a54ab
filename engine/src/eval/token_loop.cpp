#include "eval/token_loop.h"

#include "anatomy/error.h"
#include "anatomy/sampler.h"
#include "anatomy/tokenizer.h"

namespace anatomy {

void runTokenLoop(GenerateResult& r, std::span<const float> logits, const Tokenizer& tokenizer, Sampler& sampler,
                  const GenerateOptions& options, const TokenCallback& onToken, std::stop_token stop,
                  const FeedToken& feed) {
    const size_t V = logits.size();
    for (;;) {
        if (r.drawn >= options.maxNewTokens) {
            r.stop = GenerateStop::MaxTokens;
            return;
        }
        if (stop.stop_requested()) {
            r.stop = GenerateStop::Cancelled;
            return;
        }
        const int next = sampler.sample(logits, r.tokens);
        ++r.drawn;
        // next >= 0, so a missing BOS (-1) never matches.
        if (next == tokenizer.bosId() || next == tokenizer.eosId()) {
            r.stop = GenerateStop::StopToken;
            r.stopToken = next;
            return;
        }
        const std::string piece = tokenizer.decode(r.tokens.back(), next);
        r.tokens.push_back(next);
        ++r.emitted;
        if (onToken && !onToken(next, piece)) {
            r.stop = GenerateStop::Callback;
            return;
        }
        if (r.drawn >= options.maxNewTokens) {  // printed, not fed: nothing would read its logits
            r.stop = GenerateStop::MaxTokens;
            return;
        }
        try {
            const std::vector<float>& row = feed(next);
            if (options.onLogits) options.onLogits(row);
            logits = std::span<const float>(row.data(), V);
        } catch (const Cancelled&) {
            r.stop = GenerateStop::Cancelled;
            return;
        }
    }
}

}  // namespace anatomy
