#include "anatomy/perplexity.h"

#include <cmath>

#include "anatomy/error.h"
#include "anatomy/session.h"

namespace anatomy {

PerplexityResult computePerplexity(std::shared_ptr<const Model> model, const std::vector<int>& ids,
                                   int context, std::stop_token stop) {
    return computePerplexity(std::move(model), ids, context, SimSettings{}, stop);
}

PerplexityResult computePerplexity(std::shared_ptr<const Model> model, const std::vector<int>& ids,
                                   int context, const SimSettings& settings, std::stop_token stop) {
    if (!model) throw Error("perplexity: no model");
    requireLanguageModel(model->architecture, "perplexity");
    if (context < 2) throw Error("perplexity: context: expected at least 2, got " + std::to_string(context));
    const long n = long(ids.size());
    if (n < context)
        throw Error("perplexity: the text has " + std::to_string(n) + " tokens (BOS included), "
                    "fewer than one window of context " + std::to_string(context));
    const int V = model->config.vocabSize;
    const int trained = model->config.seqLen;
    PerplexityResult r;
    r.context = context;
    r.trainedContext = trained;
    r.textTokens = n;
    double nllIn = 0.0, nllBeyond = 0.0;
    long countIn = 0, countBeyond = 0;
    Session session(model);
    session.setSettings(settings);
    std::vector<int> window(static_cast<size_t>(context));
    // ids[0] is the tokenizer's BOS (windowIds puts it there): every window starts from it.
    const int bos = ids[0];
    for (long w = 0; w * context + context <= n; ++w) {
        const long base = w * context;
        window[0] = bos;
        for (int p = 1; p < context; ++p) window[size_t(p)] = ids[size_t(base + p)];
        session.reset();
        const std::vector<float>& logits = session.forward(window, true, nullptr, stop);  // [C, V]
        for (int p = 0; p + 1 < context; ++p) {
            const float* row = &logits[size_t(p) * V];
            const int target = ids[size_t(base + p + 1)];
            // -log softmax(row)[target] = logsumexp(row) - row[target]
            float mx = row[0];
            for (int i = 1; i < V; ++i) mx = std::max(mx, row[i]);
            double sum = 0.0;
            for (int i = 0; i < V; ++i) sum += std::exp(double(row[i]) - mx);
            const double nll = std::log(sum) + mx - row[target];
            // A non-finite logit (an overflow under some settings, or NaN weights) would print
            // as "ppl": nan; it is an error naming where it happened.
            if (!std::isfinite(nll))
                throw Error("perplexity: -log p at position " + std::to_string(base + p + 1) + " is " +
                            std::to_string(nll) + ": the logits are not finite (these settings or the "
                            "weights make the numbers overflow)");
            if (p < trained) { nllIn += nll; ++countIn; }
            else { nllBeyond += nll; ++countBeyond; }
        }
        ++r.windows;
    }
    r.predictions = countIn + countBeyond;
    r.predictionsBeyond = countBeyond;
    r.ppl = std::exp((nllIn + nllBeyond) / double(r.predictions));
    if (!std::isfinite(r.ppl))
        throw Error("perplexity: exp(mean -log p = " + std::to_string((nllIn + nllBeyond) / double(r.predictions)) +
                    ") overflows; the model predicts this text no better than chance by far");
    r.pplInContext = countIn ? std::exp(nllIn / double(countIn)) : 0.0;
    if (countBeyond) r.pplBeyondContext = std::exp(nllBeyond / double(countBeyond));
    return r;
}

std::vector<int> windowIds(const std::vector<int>& textTokens, int bosId, const TokenWindow& window,
                           int context) {
    const long total = long(textTokens.size());
    const long from = window.from;
    if (from < 0) throw Error("perplexity window: from: expected 0 or more, got " + std::to_string(from));
    if (from > total || (from == total && total > 0))
        throw Error("perplexity window: from " + std::to_string(from) + " lies beyond the text's " +
                    std::to_string(total) + " tokens");
    const long length = window.length.value_or(total - from);
    if (length < 1 && window.length)
        throw Error("perplexity window: length: expected 1 or more, got " + std::to_string(length));
    if (length > total - from)
        throw Error("perplexity window: tokens " + std::to_string(from) + " to " + std::to_string(from + length) +
                    " reach beyond the text's " + std::to_string(total) + " tokens");
    std::vector<int> ids;
    ids.reserve(size_t(length + 1));
    ids.push_back(bosId);
    ids.insert(ids.end(), textTokens.begin() + from, textTokens.begin() + from + length);
    if (long(ids.size()) < context)
        throw Error("perplexity: the window holds " + std::to_string(ids.size()) +
                    " tokens (BOS included), fewer than one window of context " + std::to_string(context) +
                    ": make the window longer or the context shorter");
    return ids;
}

PerplexityResult windowPerplexity(std::shared_ptr<const Model> model, const Tokenizer& tokenizer,
                                  const std::string& text, const TokenWindow& window, int context,
                                  const SimSettings& settings, std::stop_token stop) {
    const std::vector<int> textTokens = tokenizer.encode(text, false, false);
    return computePerplexity(std::move(model), windowIds(textTokens, tokenizer.bosId(), window, context),
                             context, settings, stop);
}

}  // namespace anatomy
