#include "anatomy/embed.h"

#include "anatomy/error.h"
#include "anatomy/pooling.h"
#include "anatomy/session.h"

namespace anatomy {

Pooling embeddingPooling(const Architecture& a, std::optional<Pooling> override) {
    if (a.languageModel)
        throw Error("embed: " + a.name + " is a decoder (a language model); embed needs an encoder such as bert");
    const Pooling p = override.value_or(a.pooling);
    if (p == Pooling::None)
        throw Error("embed: the model's bert.pooling_type is none (one vector per token); choose a pooling "
                    "(mean, cls or last)");
    return p;
}

Pooling parsePooling(const std::string& name) {
    if (name == "mean") return Pooling::Mean;
    if (name == "cls") return Pooling::Cls;
    if (name == "last") return Pooling::Last;
    throw Error("pooling: expected mean, cls or last, got '" + name + "'");
}

std::vector<float> embedText(const std::shared_ptr<const Model>& model, const Tokenizer& tokenizer,
                             const std::string& text, std::optional<Pooling> pooling, std::stop_token stop) {
    if (!model) throw Error("embed: no model");
    const Pooling p = embeddingPooling(model->architecture, pooling);
    if (text.empty()) throw Error("embed: empty text (nothing to embed)");
    const std::vector<int> ids = tokenizer.tokenize(text, true, true);
    if (int(ids.size()) > model->config.seqLen)
        throw Error("embed: the text is " + std::to_string(ids.size()) + " tokens; the model has " +
                    std::to_string(model->config.seqLen) + " learned positions");
    Session session(model);
    session.forward(ids, false, nullptr, stop);
    return pooledEmbedding(p, session.hiddenStates(), int(ids.size()), model->config.dim);
}

std::vector<int> promptIds(const Architecture& a, const Tokenizer& tokenizer, const std::string& text) {
    // An encoder-decoder's input: the text with the file's specials (T5: </s> last), as anatomy-cli reads it.
    if (a.encoderDecoder.enabled) return tokenizer.tokenize(text, true, false);
    return a.languageModel ? tokenizer.encode(text, true) : tokenizer.tokenize(text, true, true);
}

std::vector<std::vector<float>> similarityMatrix(const std::vector<std::vector<float>>& e) {
    std::vector<std::vector<float>> s(e.size(), std::vector<float>(e.size(), 0.0f));
    for (size_t i = 0; i < e.size(); ++i)
        for (size_t j = i; j < e.size(); ++j) s[i][j] = s[j][i] = cosineSimilarity(e[i], e[j]);
    return s;
}

}  // namespace anatomy
