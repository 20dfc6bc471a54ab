#pragma once
// Sentence embeddings, the one workflow both faces run (anatomy-cli embed, the app's Embedding
// view), as llama.cpp's llama-embedding computes them:
//   ids = [CLS] wordpiece(text) [SEP]         the vocabulary's special tokens (tokenize(text, true, true))
//   h   = encoder(ids)                        one bidirectional forward from position 0, [T, dim]
//   e   = pool(h) / ||pool(h)||_2             pooling.h, as the model's bert.pooling_type says
// and the sentence-similarity matrix S[i][j] = cos(e_i, e_j) of several texts.
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "anatomy/architecture.h"
#include "anatomy/model.h"
#include "anatomy/tokenizer.h"

namespace anatomy {

// The pooling embed uses: override if given, else the model's. Throws Error when the model is
// not an encoder ("stories260K is a decoder ..."), or pools nothing and no override is given.
Pooling embeddingPooling(const Architecture& a, std::optional<Pooling> override = std::nullopt);
// "mean", "cls", "last" -> the pooling; throws Error naming the choices otherwise.
Pooling parsePooling(const std::string& name);

// e [dim] of one text (see above). Throws Error for an empty text, a decoder model, or more
// tokens than the model's learned positions.
std::vector<float> embedText(const std::shared_ptr<const Model>& model, const Tokenizer& tokenizer,
                             const std::string& text, std::optional<Pooling> pooling = std::nullopt,
                             std::stop_token stop = {});

// The ids a prompt is run with: [BOS] text for a decoder (encode(text, true)); [CLS] text [SEP]
// for an encoder, as embedText (the trace's pooled embedding is then embed's); an encoder-decoder's
// encoder input with the file's specials (T5: text </s>), as anatomy-cli generate encodes it.
std::vector<int> promptIds(const Architecture& a, const Tokenizer& tokenizer, const std::string& text);

// S [n, n], S[i][j] = cos(e_i, e_j) (1 on the diagonal for a non-zero embedding).
std::vector<std::vector<float>> similarityMatrix(const std::vector<std::vector<float>>& embeddings);

}  // namespace anatomy
