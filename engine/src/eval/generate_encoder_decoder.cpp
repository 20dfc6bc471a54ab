// Generation and tracing for encoder-decoder models (encoder_decoder.h): the loop of
// generate.cpp, with the input encoded once and the decoder starting from its start token.
#include <chrono>

#include "anatomy/encoder_decoder.h"
#include "anatomy/error.h"
#include "anatomy/sampler.h"
#include "anatomy/tokenizer.h"
#include "anatomy/trace_budget.h"

namespace anatomy {

namespace {
using Clock = std::chrono::steady_clock;
double msBetween(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}
}  // namespace

GenerateResult generateEncoderDecoder(EncoderDecoderSession& session, const Tokenizer& tokenizer, Sampler& sampler,
                                      const std::vector<int>& input, const GenerateOptions& options,
                                      const TokenCallback& onToken, std::stop_token stop) {
    if (input.empty()) throw Error("generate: the input has no tokens (expected at least </s>)");
    const int V = session.model().config.vocabSize;
    GenerateResult r;
    const auto t0 = Clock::now();
    // 1. Encode once: the cross-attention keys and values are fixed from here on.
    session.encode(input, nullptr, stop);
    // 2. Decoder prefill: its start token (T5: <pad>).
    r.tokens = {session.decoderStartToken()};
    const std::vector<float>* row = &session.decode(r.tokens, false, nullptr, nullptr, stop);
    if (options.onLogits) options.onLogits(*row);
    std::span<const float> logits(row->data(), size_t(V));
    const auto t1 = Clock::now();
    r.prefillMs = msBetween(t0, t1);
    // 3. Decode one token at a time from the self-attention cache.
    for (;;) {
        if (r.drawn >= options.maxNewTokens) {
            r.stop = GenerateStop::MaxTokens;
            break;
        }
        if (stop.stop_requested()) {
            r.stop = GenerateStop::Cancelled;
            break;
        }
        const int next = sampler.sample(logits, r.tokens);
        ++r.drawn;
        if (next == tokenizer.eosId() || (tokenizer.bosId() >= 0 && next == tokenizer.bosId())) {
            r.stop = GenerateStop::StopToken;
            r.stopToken = next;
            break;
        }
        const std::string piece = tokenizer.decode(r.tokens.back(), next);
        r.tokens.push_back(next);
        ++r.emitted;
        if (onToken && !onToken(next, piece)) {
            r.stop = GenerateStop::Callback;
            break;
        }
        if (r.drawn >= options.maxNewTokens) {
            r.stop = GenerateStop::MaxTokens;
            break;
        }
        try {
            const int one[1] = {next};
            row = &session.decode(one, false, nullptr, nullptr, stop);
            if (options.onLogits) options.onLogits(*row);
            logits = std::span<const float>(row->data(), size_t(V));
        } catch (const Cancelled&) {
            r.stop = GenerateStop::Cancelled;
            break;
        }
    }
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
