#pragma once
// Perplexity with one fixed protocol, so numbers are comparable everywhere:
// ids = encode(text) with BOS first, ids[0..n-1]. Window w covers ids[w*C .. w*C+C-1] for every
// w with w*C + C <= n. Position 0 of a window is fed BOS in place of its first id; position p
// feeds ids[w*C+p] and predicts ids[w*C+p+1]; the last position predicts nothing.
// Predictions at positions p < trainedContext count as in context, the rest as beyond it.
//   ppl = exp(mean over predictions of -log p(target))
//
// A window of a text (the app's perplexity window, `anatomy-cli perplexity --from N --length L`)
// is the same protocol on   ids = [BOS] + encode(text)[from : from + length]   where encode adds
// no BOS, so offsets count the text's own tokens; the text is encoded once, as a whole, then cut.
// from 0 with the whole length is exactly ids = encode(text) with BOS first.
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "anatomy/model.h"
#include "anatomy/sim_settings.h"

namespace anatomy {

struct PerplexityResult {
    double ppl = 0.0;
    double pplInContext = 0.0;
    std::optional<double> pplBeyondContext;  // none when no prediction lies beyond
    long predictions = 0;                    // tokens predicted
    long predictionsBeyond = 0;
    int windows = 0;
    int context = 0;
    int trainedContext = 0;
    long textTokens = 0;                     // n, BOS included
};

PerplexityResult computePerplexity(std::shared_ptr<const Model> model, const std::vector<int>& ids,
                                   int context, std::stop_token stop = {});
// The same protocol with the architecture simulator's settings applied to every window.
PerplexityResult computePerplexity(std::shared_ptr<const Model> model, const std::vector<int>& ids,
                                   int context, const SimSettings& settings, std::stop_token stop = {});

// Which tokens of a text a window covers: from (token offset, BOS excluded) and length (tokens;
// none = to the end of the text).
struct TokenWindow {
    long from = 0;
    std::optional<long> length;
};

// ids = [bosId] + textTokens[from : from + length], textTokens = encode(text) without BOS.
// Throws Error when the window starts or ends outside the text, or holds fewer tokens (BOS
// included) than context.
std::vector<int> windowIds(const std::vector<int>& textTokens, int bosId, const TokenWindow& window,
                           int context);
// The window's perplexity on text: encodes it once (no BOS), cuts the window, measures with
// settings. The app's perplexity read-out and `anatomy-cli perplexity` both come here.
PerplexityResult windowPerplexity(std::shared_ptr<const Model> model, const Tokenizer& tokenizer,
                                  const std::string& text, const TokenWindow& window, int context,
                                  const SimSettings& settings, std::stop_token stop = {});

}  // namespace anatomy
