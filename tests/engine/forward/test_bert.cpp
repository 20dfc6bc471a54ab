// BERT (GGUF `bert`, gguf_bert.cpp): the encoder gives llama.cpp's sentence embeddings on the
// same random-weight files, attends both ways, and refuses what an encoder cannot do.
//   tests/engine/reference/bert/embeddings_ARCH.tsv  llama.cpp c392e5094 llama-embedding on
//   anatomy-cli synth --arch ARCH --seed 1, one row per line of prompts.txt   |diff| <= 1e-3
//   (ARCH bert, bert-cls, bert-fused, bert-f16, bert-q8_0; the fused file was split into attn_q/k/v for llama.cpp,
//   which reads attn_qkv only for nomic-bert)
// (make_bert_reference.sh writes them). llama.cpp's GELU goes through an F16 table; after two
// post-norm layers and the L2 normalisation that moves the embeddings by about 1e-4.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "anatomy/embed.h"
#include "anatomy/error.h"
#include "anatomy/generate.h"
#include "anatomy/ggml_type.h"
#include "anatomy/model.h"
#include "anatomy/perplexity.h"
#include "anatomy/pooling.h"
#include "anatomy/sampler.h"
#include "anatomy/session.h"
#include "anatomy/synth_gguf.h"

using namespace anatomy;
using Catch::Matchers::Contains;

namespace {

std::string referenceDir() { return std::string(ANATOMY_TEST_SOURCE_DIR) + "/engine/reference/bert/"; }

std::vector<std::string> readLines(const std::string& path) {
    std::ifstream f(path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(f, line);)
        if (!line.empty()) lines.push_back(line);
    return lines;
}

std::vector<std::vector<float>> readTsv(const std::string& path) {
    std::vector<std::vector<float>> rows;
    for (const std::string& line : readLines(path)) {
        if (line[0] == '#') continue;
        std::istringstream in(line);
        std::vector<float> row;
        for (float v; in >> v;) row.push_back(v);
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string tempPath(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("anatomy_bert_" + std::to_string(::getpid()) + "_" + name))
        .string();
}

std::shared_ptr<const Model> writeAndLoad(const GgufWriter& w, const std::string& name) {
    const std::string path = tempPath(name);
    w.write(path);
    std::shared_ptr<const Model> m = loadModel(path);
    std::filesystem::remove(path);
    return m;
}

std::shared_ptr<const Model> loadSynth(const std::string& arch) {
    return writeAndLoad(synthGguf(synthReferenceSpec(arch, 1)), arch + ".gguf");
}

}  // namespace

TEST_CASE("bert: the synthetic encoders give llama-embedding's embeddings (mean and CLS pooling, fused QKV)",
          "[bert][reference]") {
    const std::vector<std::string> prompts = readLines(referenceDir() + "prompts.txt");
    REQUIRE(prompts.size() == 6);
    // bert-fused: llama.cpp ran on the file with attn_qkv cut into three by gguf-py (split_fused_qkv.py).
    for (const std::string arch : {"bert", "bert-cls", "bert-fused"}) {
        const std::vector<std::vector<float>> ref = readTsv(referenceDir() + "embeddings_" + arch + ".tsv");
        REQUIRE(ref.size() == prompts.size());
        auto m = loadSynth(arch);
        CHECK(m->architecture.pooling == (arch == std::string("bert-cls") ? Pooling::Cls : Pooling::Mean));
        double worst = 0;
        for (size_t i = 0; i < prompts.size(); ++i) {
            const std::vector<float> e = embedText(m, *m->embeddedTokenizer, prompts[i]);
            REQUIRE(e.size() == ref[i].size());
            for (size_t j = 0; j < e.size(); ++j) worst = std::max(worst, std::fabs(double(e[j]) - ref[i][j]));
        }
        std::printf("bert reference %s: max |embedding - llama.cpp| = %.3g over %zu texts\n", arch.c_str(), worst,
                    prompts.size());
        CHECK(worst <= 1e-3);
    }
}

// The bert file with F16 or Q8_0 matrices (synth --arch bert-f16 | bert-q8_0: the same draws,
// stored quantized) is kept as stored and gives llama.cpp's embeddings on the same file (both round
// the activations: F16 to the kernels' float path, Q8_0 to Q8_0 blocks as llama.cpp does) and
// embeddings near the float file's, not equal to them. Measured (seed 1, 6 texts): F16 vs llama.cpp
// 6.3e-5, vs the F32 file 1.6e-4; Q8_0 1.3e-3 and 3.7e-3, against tolerances 1e-3 / 1e-2.
TEST_CASE("bert: F16 and Q8_0 matrices give llama-embedding's embeddings on the same file", "[bert][reference][quantized]") {
    const std::vector<std::string> prompts = readLines(referenceDir() + "prompts.txt");
    REQUIRE(prompts.size() == 6);
    auto exact = loadSynth("bert");
    for (const std::string& arch : synthQuantizedEncoderCases()) {
        INFO(arch);
        const std::vector<std::vector<float>> ref = readTsv(referenceDir() + "embeddings_" + arch + ".tsv");
        REQUIRE(ref.size() == prompts.size());
        auto m = loadSynth(arch);
        const GgmlType type = arch == "bert-f16" ? GgmlType::F16 : GgmlType::Q8_0;
        CHECK(m->tokenEmbeddings.type == type);  // not converted to float at load
        const double tol = type == GgmlType::F16 ? 1e-3 : 1e-2;
        double vsLlama = 0, vsFloat = 0;
        for (size_t i = 0; i < prompts.size(); ++i) {
            const std::vector<float> e = embedText(m, *m->embeddedTokenizer, prompts[i]);
            const std::vector<float> f = embedText(exact, *exact->embeddedTokenizer, prompts[i]);
            REQUIRE(e.size() == ref[i].size());
            for (size_t j = 0; j < e.size(); ++j) {
                vsLlama = std::max(vsLlama, std::fabs(double(e[j]) - ref[i][j]));
                vsFloat = std::max(vsFloat, std::fabs(double(e[j]) - f[j]));
            }
        }
        std::printf("bert reference %s: max |embedding - llama.cpp on the same file| = %.3g, - the F32 file = %.3g\n",
                    arch.c_str(), vsLlama, vsFloat);
        CHECK(vsLlama <= tol);
        CHECK(vsFloat <= tol);
        CHECK(vsFloat > 0.0);  // the quantized file is not the float one
    }
}

TEST_CASE("bert: attention is bidirectional: a later token changes an earlier position", "[bert]") {
    auto m = loadSynth("bert");
    const int dim = m->config.dim;
    auto hidden = [&](std::vector<int> ids) {
        Session s(m);
        s.forward(ids);
        std::span<const float> h = s.hiddenStates();
        REQUIRE(h.size() == ids.size() * size_t(dim));
        return std::vector<float>(h.begin(), h.end());
    };
    const std::vector<float> a = hidden({2, 54, 73, 55, 3});
    const std::vector<float> b = hidden({2, 54, 73, 60, 3});  // only position 3 differs
    double change0 = 0;
    for (int i = 0; i < dim; ++i) change0 = std::max(change0, std::fabs(double(a[size_t(i)]) - b[size_t(i)]));
    CHECK(change0 > 1e-3);  // [CLS] at position 0 saw the later token
    // A decoder's earlier positions ignore a later token exactly.
    auto llama = loadSynth("llama");
    auto firstRow = [&](std::vector<int> ids) {
        Session s(llama);
        s.forward(ids);
        std::span<const float> h = s.hiddenStates();
        return std::vector<float>(h.begin(), h.begin() + llama->config.dim);
    };
    CHECK(firstRow({1, 300, 45, 12}) == firstRow({1, 300, 45, 13}));
}

TEST_CASE("bert: q, k, v in one attn_qkv tensor are the same network as three", "[bert]") {
    auto apart = loadSynth("bert");
    auto fused = loadSynth("bert-fused");
    CHECK(embedText(apart, *apart->embeddedTokenizer, "the cat sat on the mat") ==
          embedText(fused, *fused->embeddedTokenizer, "the cat sat on the mat"));
}

TEST_CASE("bert: pooling and cosine similarity", "[bert]") {
    const std::vector<float> h = {1, 2, 3, 4, 5, 6};  // [T 3, dim 2]
    CHECK(pool(Pooling::Mean, h, 3, 2) == std::vector<float>{3, 4});
    CHECK(pool(Pooling::Cls, h, 3, 2) == std::vector<float>{1, 2});
    CHECK(pool(Pooling::Last, h, 3, 2) == std::vector<float>{5, 6});
    CHECK_THROWS_WITH(pool(Pooling::None, h, 3, 2), Contains("pooling type none"));
    const std::vector<float> e = pooledEmbedding(Pooling::Mean, h, 3, 2);
    CHECK(e[0] == Approx(0.6f));
    CHECK(e[1] == Approx(0.8f));
    CHECK(cosineSimilarity(std::vector<float>{1, 0}, std::vector<float>{0, 2}) == 0.0f);
    CHECK(cosineSimilarity(std::vector<float>{1, 1}, std::vector<float>{2, 2}) == Approx(1.0f));
    auto m = loadSynth("bert");
    const auto s = similarityMatrix({embedText(m, *m->embeddedTokenizer, "hello world"),
                                     embedText(m, *m->embeddedTokenizer, "the cat sat on the mat")});
    CHECK(s[0][0] == Approx(1.0f));
    CHECK(s[0][1] == s[1][0]);
    CHECK(s[0][1] < 0.9999f);
}

TEST_CASE("bert: a trace records bidirectional attention and the pooled embedding, no logits", "[bert][trace]") {
    auto m = loadSynth("bert");
    const Tokenizer& tok = *m->embeddedTokenizer;
    const std::vector<int> ids = tok.tokenize("the cat sat on the mat", true, true);
    auto tr = traceTokens(m, ids, CaptureSpec::everything(), &tok);
    REQUIRE(tr->layers.size() == size_t(m->config.nLayers));
    const int64_t T = int64_t(ids.size());
    // Query 0 reads the last key: nothing is masked.
    for (int64_t h = 0; h < m->config.nHeads; ++h) CHECK(tr->layers[1].attnProbs.at({h, 0, T - 1}) > 0.0f);
    CHECK(tr->logits.data.empty());
    CHECK(tr->lensTopIds.data.empty());
    CHECK(tr->architecture.layers[0].attention.mask == AttentionMask::Bidirectional);
    CHECK(tr->embedding == embedText(m, tok, "the cat sat on the mat"));
}

TEST_CASE("bert: an encoder has no next-token head, embed needs an encoder", "[bert]") {
    auto m = loadSynth("bert");
    const Tokenizer& tok = *m->embeddedTokenizer;
    Session s(m);
    Sampler sampler(SamplerSettings{});
    CHECK_THROWS_WITH(generateTokens(s, tok, sampler, {2, 54}, GenerateOptions{}, nullptr),
                      Contains("bert is an encoder: it has no next-token head"));
    CHECK_THROWS_WITH(computePerplexity(m, std::vector<int>(32, 5), 16, SimSettings{}),
                      Contains("perplexity: bert is an encoder"));
    CHECK_THROWS_WITH(embedText(m, tok, ""), Contains("empty text"));
    std::string longText;
    for (int i = 0; i < 70; ++i) longText += "cat ";  // 70 words + [CLS] [SEP] > 64 positions
    CHECK_THROWS_WITH(embedText(m, tok, longText), Contains("learned positions"));
    auto llama = loadSynth("llama");
    CHECK_THROWS_WITH(embedText(llama, *llama->embeddedTokenizer, "hello"),
                      Contains("llama is a decoder (a language model); embed needs an encoder"));
    CHECK(architectureFeatures(m->architecture).find("encoder (no LM head), mean pooling") != std::string::npos);
    CHECK_THROWS_WITH(parsePooling("max"), Contains("expected mean, cls or last"));
    // The causal-decoder knobs are refused with the reason.
    CHECK_THAT(knobRefusal(m->architecture, "attn.mask"), Contains("encoder trained with bidirectional attention"));
    // The pooling override: a file that pools nothing still embeds with --pooling.
    SynthGgufSpec none = synthReferenceSpec("bert", 1);
    none.poolingType = 0;
    auto unpooled = writeAndLoad(synthGguf(none), "none.gguf");
    CHECK_THROWS_WITH(embedText(unpooled, tok, "hello"), Contains("pooling_type is none"));
    CHECK(embedText(unpooled, tok, "hello", Pooling::Mean) == embedText(m, tok, "hello"));
}

TEST_CASE("bert: broken files are refused naming the key or tensor", "[bert][gguf]") {
    GgufWriter rank = synthGguf(synthReferenceSpec("bert", 1));
    rank.removeKey("bert.pooling_type");
    rank.addU32("bert.pooling_type", 4);
    CHECK_THROWS_WITH(writeAndLoad(rank, "rank.gguf"), Contains("bert.pooling_type") && Contains("rank"));
    GgufWriter noTypes = synthGguf(synthReferenceSpec("bert", 1));
    noTypes.removeTensor("token_types.weight");
    CHECK_THROWS_WITH(writeAndLoad(noTypes, "types.gguf"), Contains("token_types.weight"));
    GgufWriter noNorm = synthGguf(synthReferenceSpec("bert", 1));
    noNorm.removeTensor("blk.1.layer_output_norm.bias");
    CHECK_THROWS_WITH(writeAndLoad(noNorm, "norm.gguf"), Contains("blk.1.layer_output_norm.bias"));
}
