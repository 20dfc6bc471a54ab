// Generation and tracing for encoder-decoder models (encoder_decoder.h): the loop of
// generate.cpp, with the input encoded once and the decoder starting from its start token.
#include <chrono>

#include "anatomy/encoder_decoder.h"
#include "anatomy/error.h"
#include "anatomy/sampler.h"
#include "anatomy/tokenizer.h"
#include "anatomy/trace_budget.h"
#include "eval/token_loop.h"

namespace anatomy {

namespace {
using Clock = std::chrono::steady_clock;
double msBetween(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}
}  // namespace

GenerateResult generateEncoderDecoder(EncoderDecoderSession& session, const Tokenizer& tokenizer, Sampler& sampler,
                                      const std::vector<int>& input, const GenerateOptions& options,
                                      const TokenCallback& onToken, std::stop_token stop,
                                      std::vector<int> decoderPrefix) {
    if (input.empty()) throw Error("generate: the input has no tokens (expected at least </s>)");
    const int V = session.model().config.vocabSize;
    GenerateResult r;
    const auto t0 = Clock::now();
    // 1. Encode once: the cross-attention keys and values are fixed from here on.
    session.encode(input, nullptr, stop);
    // 2. Decoder prefill: its start token (T5: <pad>), or the output so far to continue.
    r.tokens = decoderPrefix.empty() ? std::vector<int>{session.decoderStartToken()} : std::move(decoderPrefix);
    const std::vector<float>& all = session.decode(r.tokens, false, nullptr, nullptr, stop);
    if (options.onLogits) options.onLogits(all);
    const std::span<const float> logits(all.data(), size_t(V));
    const auto t1 = Clock::now();
    r.prefillMs = msBetween(t0, t1);
    // 3. Decode one token at a time from the self-attention cache: generate.cpp's loop.
    runTokenLoop(r, logits, tokenizer, sampler, options, onToken, stop, [&](int next) -> const std::vector<float>& {
        const int one[1] = {next};
        return session.decode(one, false, nullptr, nullptr, stop);
    });
    r.decodeMs = msBetween(t1, Clock::now());
    return r;
}

std::shared_ptr<const Trace> traceEncoderDecoder(std::shared_ptr<const Model> model, const std::vector<int>& input,
                                                 std::vector<int> decoderTokens, const CaptureSpec& spec,
                                                 const Tokenizer* tokenizer, int maxNew, std::stop_token stop) {
    if (!model) throw Error("trace: no model");
    EncoderDecoderSession session(model);
    requireTraceBudget(model->config, int64_t(input.size()), spec);
    auto ed = std::make_shared<EncoderDecoderTrace>();
    session.encode(input, ed.get(), stop);
    if (decoderTokens.empty()) {
        // [start] and greedy tokens until EOS (the decoder side of the picture).
        decoderTokens = {session.decoderStartToken()};
        const int V = model->config.vocabSize;
        for (int i = 0; i < maxNew; ++i) {
            const int last[1] = {decoderTokens.back()};
            const std::vector<float>& l = session.decode(last, false, nullptr, nullptr, stop);
            int best = 0;
            for (int j = 1; j < V; ++j)
                if (l[size_t(j)] > l[size_t(best)]) best = j;
            if (tokenizer && best == tokenizer->eosId()) break;
            decoderTokens.push_back(best);
        }
        session.resetDecoder();
    }
    requireTraceBudget(model->config, int64_t(decoderTokens.size()), spec);
    auto trace = std::make_shared<Trace>();
    trace->spec = spec;
    session.decode(decoderTokens, spec.logits != CaptureSpec::Logits::None, trace.get(), ed.get(), stop);
    if (tokenizer) {
        for (int t : decoderTokens) trace->tokenText.push_back(tokenizer->piece(t));
        for (int t : input) ed->encoderTokenText.push_back(tokenizer->piece(t));
    }
    trace->encoderDecoder = std::move(ed);
    return trace;
}

}  // namespace anatomy
