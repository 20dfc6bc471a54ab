// Golden tests: the engine reproduces llama2.c's reference outputs on the real stories260K
// checkpoint, through both the batched prefill and the one-token decode path.
#include <catch2/catch.hpp>

#include <cmath>
#include <cctype>
#include <cstring>
#include <fstream>
#include <sstream>

#include "anatomy/error.h"
#include "anatomy/model.h"
#include "anatomy/model_registry.h"
#include "anatomy/sampler.h"
#include "anatomy/session.h"
#include "test_paths.h"

using namespace anatomy;

namespace {

std::string readFile(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    REQUIRE(f.good());
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

std::vector<float> readF32(const std::string& path) {
    std::string bytes = readFile(path);
    std::vector<float> v(bytes.size() / 4);
    std::memcpy(v.data(), bytes.data(), v.size() * 4);
    return v;
}

// Greedy generation from prompt ids, stopping at BOS/EOS or after maxNew tokens, as llama2.c.
std::vector<int> greedy(std::shared_ptr<const Model> model, std::vector<int> prompt, int maxNew) {
    Session s(model);
    std::vector<float> logits = s.forward(prompt);
    std::vector<int> out;
    for (int i = 0; i < maxNew; ++i) {
        const int next = argmax(logits);
        if (next == Tokenizer::kBos || next == Tokenizer::kEos) break;
        out.push_back(next);
        logits = s.forward(std::span<const int>(&out.back(), 1));
    }
    return out;
}

std::string text(const Tokenizer& tok, const std::vector<int>& ids) {
    std::string t;
    int prev = Tokenizer::kBos;
    for (int id : ids) {
        t += tok.decode(prev, id);
        prev = id;
    }
    return t;
}

}  // namespace

TEST_CASE("greedy text from an empty prompt matches llama2.c (float .bin)", "[golden]") {
    std::shared_ptr<const Model> model = loadModel(modelPath("stories260K.bin"));
    Tokenizer tok = Tokenizer::fromLlama2cFile(modelPath("tok512.bin"), model->config.vocabSize);
    const std::string expected = readFile(referencePath("greedy_empty_256.txt"));
    // llama2.c ends its output with a newline after the 256 generated tokens.
    const std::string got = text(tok, greedy(model, {Tokenizer::kBos}, 256)) + "\n";
    INFO("first difference at byte " << std::mismatch(got.begin(), got.end(), expected.begin(), expected.end()).first - got.begin());
    CHECK(got == expected);
}

TEST_CASE("the GGUF file generates the same text with its embedded vocabulary", "[golden]") {
    std::shared_ptr<const Model> model = loadModel(modelPath("stories260K.gguf"));
    REQUIRE(model->embeddedTokenizer);
    const std::string expected = readFile(referencePath("greedy_empty_256.txt"));
    CHECK(text(*model->embeddedTokenizer, greedy(model, {Tokenizer::kBos}, 256)) + "\n" == expected);
}

TEST_CASE("the int8 file reproduces llama2.c's runq.c greedy text", "[golden]") {
    std::shared_ptr<const Model> model = loadModel(modelPath("stories260K_q8.bin"));
    Tokenizer tok = Tokenizer::fromLlama2cFile(modelPath("tok512.bin"), model->config.vocabSize);
    const std::string expected = readFile(referencePath("greedy_q8_empty_256.txt"));
    // llama2.c ends its output with a newline after the 256 generated tokens.
    const std::string got = text(tok, greedy(model, {Tokenizer::kBos}, 256)) + "\n";
    INFO("first difference at byte " << std::mismatch(got.begin(), got.end(), expected.begin(), expected.end()).first - got.begin());
    CHECK(got == expected);
}

TEST_CASE("logits of 'Once upon a time' match llama2.c within 1e-4 at every position", "[golden]") {
    const std::vector<float> ref = readF32(referencePath("once_upon_a_time.logits.f32"));  // [64, 512]
    std::vector<int> refFed;  // the id fed after each position
    {
        std::istringstream in(readFile(referencePath("once_upon_a_time.greedy.txt")));
        std::string line;
        while (std::getline(in, line))
            if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0])))
                refFed.push_back(std::stoi(line.substr(0, line.find('\t'))));
    }
    for (const char* file : {"stories260K.bin", "stories260K.gguf"}) {
        std::shared_ptr<const Model> model = loadModel(modelPath(file));
        const int V = model->config.vocabSize;
        REQUIRE(ref.size() == size_t(64 * V));
        const std::vector<int> prompt = {1, 403, 407, 261, 378};
        Session s(model);
        // Prefill the prompt in one batch (all rows), then decode greedily one token at a time.
        std::vector<float> rows = s.forward(prompt, true);
        float maxDiff = 0.0f;
        auto compareRow = [&](int pos, const float* row) {
            for (int i = 0; i < V; ++i)
                maxDiff = std::max(maxDiff, std::fabs(row[i] - ref[size_t(pos) * V + i]));
        };
        for (int p = 0; p < 5; ++p) compareRow(p, &rows[size_t(p) * V]);
        std::vector<float> last(rows.end() - V, rows.end());
        for (int p = 5; p < 64; ++p) {
            const int next = argmax(last);
            CHECK(next == refFed[size_t(p - 1)]);
            last = s.forward(std::span<const int>(&next, 1));
            compareRow(p, last.data());
        }
        std::printf("[golden] %s: max |logit - llama2.c| over 64 positions = %.3g (tolerance 1e-4)\n", file, maxDiff);
        CHECK(maxDiff < 1e-4f);
    }
}

TEST_CASE("prefill in one batch equals decoding token by token", "[golden]") {
    std::shared_ptr<const Model> model = loadModel(modelPath("stories260K.bin"));
    const int V = model->config.vocabSize;
    std::vector<int> ids = {1};
    for (int i = 0; i < 99; ++i) ids.push_back(3 + (i * 37) % 500);
    Session batch(model), step(model);
    const std::vector<float> all = batch.forward(ids, true);
    float maxDiff = 0.0f;
    for (size_t t = 0; t < ids.size(); ++t) {
        const std::vector<float>& row = step.forward(std::span<const int>(&ids[t], 1));
        for (int i = 0; i < V; ++i) maxDiff = std::max(maxDiff, std::fabs(row[size_t(i)] - all[t * V + size_t(i)]));
    }
    std::printf("[golden] prefill vs decode: max |diff| = %.3g over 100 positions\n", maxDiff);
    CHECK(maxDiff < 1e-4f);
}

TEST_CASE("the trace is consistent with the forward pass", "[trace]") {
    std::shared_ptr<const Model> model = loadModel(modelPath("stories260K.bin"));
    Tokenizer tok = Tokenizer::fromLlama2cFile(modelPath("tok512.bin"), 512);
    const std::vector<int> ids = tok.encode("Once upon a time, there was a little girl", true);
    auto tr = traceTokens(model, ids, CaptureSpec::everything(), &tok);
    const ModelConfig& c = model->config;
    const int T = int(ids.size());
    REQUIRE(tr->layers.size() == size_t(c.nLayers));
    REQUIRE(tr->layers[2].attnProbs.shape == std::vector<int64_t>{c.nHeads, T, T});
    REQUIRE(tr->tokenText.size() == ids.size());
    for (int l = 0; l < c.nLayers; ++l)
        for (int h = 0; h < c.nHeads; ++h)
            for (int q = 0; q < T; ++q) {
                double sum = 0.0;
                for (int k = 0; k < T; ++k) {
                    const float p = tr->layers[size_t(l)].attnProbs.at({h, q, k});
                    if (k > q) {  // causal mask: no attention to the future
                        CHECK(p == 0.0f);
                        CHECK(std::isinf(tr->layers[size_t(l)].attnScores.at({h, q, k})));
                    }
                    sum += p;
                }
                CHECK(sum == Approx(1.0).epsilon(1e-5));
            }
    // The trace's logits are the forward pass's logits, and the last lens layer is the output.
    Session s(model);
    const std::vector<float> all = s.forward(ids, true);
    REQUIRE(tr->logits.data.size() == all.size());
    for (size_t i = 0; i < all.size(); ++i) REQUIRE(tr->logits.data[i] == all[i]);
    for (int q = 0; q < T; ++q)
        CHECK(tr->lensTopIds.at({c.nLayers - 1, q, 0}) ==
              argmax(std::span<const float>(&all[size_t(q) * 512], 512)));
    // Scores are q.k / sqrt(d_k) of the recorded q and k (GQA: head h reads kv head h/2).
    const auto& L2 = tr->layers[2];
    float d = 0.0f;
    for (int i = 0; i < c.headSize(); ++i) d += L2.q.at({3, 4, i}) * L2.k.at({3 / c.kvGroup(), 2, i});
    CHECK(L2.attnScores.at({3, 4, 2}) == Approx(d / std::sqrt(float(c.headSize()))).margin(1e-5));
    // Per-head attention entropy is -sum p ln p of the recorded probabilities.
    float worstH = 0.0f;
    for (int l = 0; l < c.nLayers; ++l)
        for (int h = 0; h < c.nHeads; ++h)
            for (int q = 0; q < T; ++q) {
                double H = 0.0;
                for (int k = 0; k <= q; ++k) {
                    const double p = tr->layers[size_t(l)].attnProbs.at({h, q, k});
                    if (p > 0) H -= p * std::log(p);
                }
                worstH = std::max(worstH, float(std::fabs(H - tr->attnEntropy.at({l, h, q}))));
            }
    std::printf("[trace] attention entropy: max |diff| vs -sum p ln p = %.3g nats (tolerance 1e-4)\n", worstH);
    CHECK(worstH < 1e-4f);
    // The residual RMS after layer l is the RMS entering layer l + 1.
    for (int q = 0; q < T; ++q) CHECK(tr->residRmsOut.at({1, q}) == Approx(tr->residRmsIn.at({2, q})));
    // Layer 0 reads the token embedding: its mean and RMS over channels are the residual's, and
    // the variance a LayerNorm would divide by, RMS² − mean², is never negative.
    std::vector<float> e(size_t(c.dim));
    for (int q = 0; q < T; ++q) {
        model->embed(ids[size_t(q)], e.data());
        double sum = 0.0, ss = 0.0;
        for (float v : e) {
            sum += v;
            ss += double(v) * v;
        }
        CHECK(tr->residMeanIn.at({0, q}) == Approx(sum / c.dim).margin(1e-6));
        CHECK(tr->residRmsIn.at({0, q}) == Approx(std::sqrt(ss / c.dim)).epsilon(1e-6));
        for (int l = 0; l < c.nLayers; ++l)
            for (const auto* m : {&tr->residMeanIn, &tr->residMeanMid}) {
                const double rms = (m == &tr->residMeanIn ? tr->residRmsIn : tr->residRmsMid).at({l, q});
                CHECK(rms * rms - double(m->at({l, q})) * m->at({l, q}) >= -1e-6);
            }
    }
}

TEST_CASE("forward rejects empty input and unknown token ids with clear errors", "[forward]") {
    std::shared_ptr<const Model> model = loadModel(modelPath("stories260K.bin"));
    Session s(model);
    CHECK_THROWS_WITH(s.forward(std::vector<int>{}), Catch::Contains("no tokens"));
    CHECK_THROWS_WITH(s.forward(std::vector<int>{1, 512}), Catch::Contains("token id 512"));
    CHECK_THROWS_WITH(s.forward(std::vector<int>{-3}), Catch::Contains("token id -3"));
    CHECK(s.position() == 0);
}

TEST_CASE("the KV cache grows past the trained context", "[forward]") {
    std::shared_ptr<const Model> model = loadModel(modelPath("stories260K.bin"));
    std::vector<int> ids(700, 300);
    ids[0] = 1;
    Session s(model);
    const std::vector<float>& lg = s.forward(ids);
    CHECK(s.position() == 700);
    for (float v : lg) REQUIRE(std::isfinite(v));
}

TEST_CASE("known models are verified by sha256 and found without a path", "[registry]") {
    CHECK(sha256Bytes("abc", 3) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256File(modelPath("tok512.bin")) ==
          "037cb335abb25d1fa9e8ecae30ed2a3a8ace9302862ebcdc05d51a6bbb10c312");
    CHECK_NOTHROW(verifyKnownModel(modelPath("stories260K.bin")));
    const KnownModel* m = findKnownModel("stories260K.gguf");
    REQUIRE(m);
    CHECK(m->trainedContext == 512);
    auto gguf = openModel(modelPath("stories260K.gguf"));
    CHECK(gguf->config.seqLen == 512);
    CHECK(!resolveModelPath("stories260K").empty());
}
