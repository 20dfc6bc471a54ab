#pragma once
// Generation, the one loop both faces run (anatomy-cli generate, the app's Generate and Step):
//   logits = forward(prompt)                         prefill, one pass over the whole prompt
//   repeat: next = sampler.sample(logits, tokens)    draw with the sampler chain
//           stop if next is BOS or EOS               (the tokenizer's ids: a story ends)
//           onToken(next, decode(last, next))        the caller prints, streams or stops
//           stop after maxNewTokens draws            the last token is printed, not fed:
//           logits = forward(next)                   nothing would read its logits
// The loop after the prefill is eval/token_loop.h, the one the encoder-decoder generation runs too.
// Cancellation (std::stop_token) is checked between layers and before every draw.
#include <functional>
#include <span>
#include <stop_token>
#include <string>
#include <vector>

namespace anatomy {

class Sampler;
class Session;
class Tokenizer;

enum class GenerateStop {
    MaxTokens,  // maxNewTokens drawn
    StopToken,  // BOS or EOS drawn (not emitted)
    Callback,   // onToken returned false
    Cancelled,  // the stop token fired during decoding
};

struct GenerateOptions {
    int maxNewTokens = 256;
    // onLogits receives all of the prompt's rows [prompt, vocab] for the prefill (else its last).
    bool prefillAllRows = false;
    // After every forward pass: the logits it returned, [rows, vocab].
    std::function<void(std::span<const float> logits)> onLogits;
};

struct GenerateResult {
    std::vector<int> tokens;   // the prompt followed by every emitted token
    int emitted = 0;           // new tokens handed to onToken
    int drawn = 0;             // tokens sampled, a stop token included
    GenerateStop stop = GenerateStop::MaxTokens;
    int stopToken = -1;        // the BOS or EOS drawn (GenerateStop::StopToken), else -1
    double prefillMs = 0.0;    // wall time of the prompt's forward pass
    double decodeMs = 0.0;     // from then to the end
};

// One new token: its id and the text it adds after the previous token (Tokenizer::decode).
// Returning false stops the generation after this token.
using TokenCallback = std::function<bool(int id, const std::string& piece)>;

// Prefills prompt (non-empty, BOS first as the tokenizer encodes it) into session from its
// current position, then decodes as above. session carries the architecture (setSettings);
// sampler carries the chain and its RNG. A stop request during the prefill throws Cancelled;
// during decoding it ends the generation with what was emitted so far (GenerateStop::Cancelled).
GenerateResult generateTokens(Session& session, const Tokenizer& tokenizer, Sampler& sampler,
                              std::vector<int> prompt, const GenerateOptions& options,
                              const TokenCallback& onToken, std::stop_token stop = {});

}  // namespace anatomy
