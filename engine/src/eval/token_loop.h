#pragma once
// The sampler loop every generation runs after its prefill (generate.h's steps 2..):
//   repeat: next = sampler.sample(logits, tokens)    draw with the sampler chain
//           stop if next is BOS or EOS               (not emitted; a tokenizer without BOS has id -1)
//           onToken(next, decode(last, next))        the caller prints, streams or stops
//           stop after maxNewTokens draws            the last token is printed, not fed
//           logits = feed(next)                      one token through the model's cache
// A decoder-only model feeds its Session, an encoder-decoder its decoder (encoder_decoder.h);
// the loop is the same, so both draw the same tokens from the same logits and RNG.
#include <functional>
#include <span>
#include <stop_token>
#include <vector>

#include "anatomy/generate.h"

namespace anatomy {

// Feeds one token and returns its logits row [vocab] (valid until the next call); may throw
// Cancelled between layers.
using FeedToken = std::function<const std::vector<float>&(int token)>;

// Runs the loop from logits [vocab] (the prefill's last row) and r.tokens (the history the
// sampler sees, extended by every emitted token); fills r.emitted, r.drawn, r.stop, r.stopToken.
// options.onLogits receives every row feed returns.
void runTokenLoop(GenerateResult& r, std::span<const float> logits, const Tokenizer& tokenizer, Sampler& sampler,
                  const GenerateOptions& options, const TokenCallback& onToken, std::stop_token stop,
                  const FeedToken& feed);

}  // namespace anatomy
