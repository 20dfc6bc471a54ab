// The forward pass keeps computing what it computed before it was split into attention, block and
// ffn files (issue 7): bit-identical logits for the model as trained on the .bin, .gguf and int8
// files, and the simulator's perplexities to 1e-6 relative. The reference was written by
// tests/engine/reference/make_house_reference.sh with the engine as it was before the split (AVX2
// kernels; an AVX-512 machine is held to the rows its kernels computed when --avx512 recorded them).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "anatomy/kernels.h"
#include "anatomy/model.h"
#include "anatomy/model_registry.h"
#include "anatomy/perplexity.h"
#include "anatomy/sampler.h"
#include "anatomy/session.h"
#include "anatomy/sim_settings.h"
#include "test_paths.h"

using namespace anatomy;

namespace {

// Bit-identity is a property of the release build's code generation; ASan/UBSan builds run the
// same test on the same reference with a tolerance (see below).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

std::string houseReference(const std::string& file) {
    return std::string(ANATOMY_TEST_SOURCE_DIR) + "/engine/reference/" + file;
}

const char* kPrompt =
    "Once upon a time, there was a little girl named Lily. She loved to play outside in the park "
    "with her friends. One day, she saw a big red ball under a tree. She ran to it and picked it up. "
    "It was shiny and bouncy. Lily smiled and threw the ball to her friend Tom.";

// What `anatomy-cli generate --temperature 0 --max-new-tokens 16 --dump-logits` writes: every
// prefill row, then the row after each fed token (the 16th token is printed, not fed).
std::vector<float> greedyRows(std::shared_ptr<const Model> model, const Tokenizer& tok) {
    const std::vector<int> prompt = tok.encode(kPrompt, true, false);
    const int V = model->config.vocabSize;
    Session s(model);
    std::vector<float> rows = s.forward(prompt, true);
    std::vector<float> last(rows.end() - V, rows.end());
    for (int i = 0; i < 15; ++i) {
        const int next = argmax(last);
        last = s.forward(std::span<const int>(&next, 1));
        rows.insert(rows.end(), last.begin(), last.end());
    }
    return rows;
}

}  // namespace

TEST_CASE("the model as trained gives the reference logits bit for bit", "[house][golden]") {
    struct Case {
        const char* model;
        const char* reference;
    };
    for (const Case& c : {Case{"stories260K.bin", "logits_stories260K_bin.tsv"},
                          Case{"stories260K.gguf", "logits_stories260K_bin.tsv"},
                          Case{"stories260K_q8.bin", "logits_int8_stories260K.tsv"}}) {
        std::shared_ptr<const Model> model = openModel(modelPath(c.model));
        const Tokenizer tok = openTokenizer(*model);
        const int V = model->config.vocabSize;
        const std::vector<float> got = greedyRows(model, tok);
        // One line per row: index, sha256 of the row's float32 bytes, argmax, max logit.
        // The float rows depend on the kernels' summation order: an AVX-512 machine has its own
        // (make_house_reference.sh --avx512); the int8 rows are the same on both. The scalar
        // kernels have none and are held to the argmax and top logit, as the sanitizer build is.
        // avx512vnni differs from avx512 only in the k-quant kernels: the same float rows.
        const std::string kernels = kernels::activeKernels().name;
        std::string reference = c.reference;
        if (kernels.rfind("avx512", 0) == 0 && reference == "logits_stories260K_bin.tsv") reference = "logits_stories260K_bin.avx512.tsv";
        const bool bitwise = !kSanitized && (kernels != "scalar" || reference == "logits_int8_stories260K.tsv");
        std::printf("[house] %s: %s kernels, reference %s\n", c.model, kernels.c_str(), reference.c_str());
        std::ifstream in(houseReference(reference));
        REQUIRE(in.good());
        std::string line;
        size_t rows = 0, differing = 0, firstDiff = 0;
        std::string firstDetail;
        while (std::getline(in, line)) {
            if (line.empty() || line[0] == '#') continue;
            std::istringstream f(line);
            size_t row = 0;
            std::string hash;
            int refArgmax = 0;
            double refMax = 0;
            f >> row >> hash >> refArgmax >> refMax;
            REQUIRE(row == rows);
            REQUIRE((row + 1) * size_t(V) <= got.size());
            const float* r = &got[row * size_t(V)];
            if (!bitwise) {
                // Same path, other rounding: the sanitizer build is -O2 with instrumentation, so
                // only the greedy choice and the top logit to 1e-5 are the reference's.
                const int a = argmax(std::span<const float>(r, size_t(V)));
                CHECK(a == refArgmax);
                CHECK(std::fabs(double(r[a]) - refMax) <= 1e-5 * std::max(1.0, std::fabs(refMax)));
            } else if (sha256Bytes(r, sizeof(float) * size_t(V)) != hash) {
                if (differing++ == 0) {
                    firstDiff = row;
                    const int a = argmax(std::span<const float>(r, size_t(V)));
                    firstDetail = "argmax " + std::to_string(a) + " (reference " + std::to_string(refArgmax) +
                                  "), max logit " + std::to_string(r[a]) + " (reference " + std::to_string(refMax) + ")";
                }
            }
            ++rows;
        }
        CHECK(rows * size_t(V) == got.size());
        if (!bitwise) {
            std::printf("[house] %s: %zu rows of %d logits, argmax and max logit checked (%s)\n", c.model, rows, V,
                        kSanitized ? "sanitizer build" : "scalar kernels");
            continue;
        }
        std::printf("[house] %s: %zu rows of %d logits, %zu differ from the reference%s\n", c.model, rows, V,
                    differing,
                    differing ? (", first at row " + std::to_string(firstDiff) + ": " + firstDetail).c_str() : "");
        CHECK(differing == 0);
    }
}

TEST_CASE("the simulator's perplexities are the reference's to 1e-6", "[house][sim]") {
    std::shared_ptr<const Model> model = openModel(modelPath("stories260K.bin"));
    const Tokenizer tok = openTokenizer(*model);
    std::ifstream corpus(sharedFile("corpus/tinystories/tinystories_train_head_197K.txt"), std::ios::binary);
    REQUIRE(corpus.good());
    std::string text(8000, '\0');
    corpus.read(text.data(), std::streamsize(text.size()));
    const std::vector<int> ids = tok.encode(text, true, false);

    std::ifstream table(houseReference("sim_perplexity.tsv"));
    REQUIRE(table.good());
    std::string line;
    int rows = 0;
    double worst = 0.0;
    while (std::getline(table, line)) {
        const size_t tab = line.find('\t');
        REQUIRE(tab != std::string::npos);
        const double expected = std::stod(line.substr(tab + 1));
        SimSettings s;
        std::istringstream knobs(line.substr(0, tab));
        for (std::string kv; knobs >> kv;)
            if (kv != "as-trained") applySetting(s, kv);
        const double got = computePerplexity(model, ids, 256, s).ppl;
        // The table has 6 decimals: allow their rounding on top of 1e-6 relative.
        const double rel = std::fabs(got - expected) / expected;
        worst = std::max(worst, rel);
        INFO(line.substr(0, tab) << ": ppl " << got << ", reference " << expected);
        CHECK(std::fabs(got - expected) <= 1e-6 * expected + 5e-7);
        ++rows;
    }
    std::printf("[house] %d simulator settings: worst relative perplexity change %.3g\n", rows, worst);
    CHECK(rows >= 40);
}
