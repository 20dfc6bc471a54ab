// The same stories260K weights written in every llama2.c layout give the same logits: the
// loader reads each version's tensor order correctly, not just its header.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "anatomy/model.h"
#include "anatomy/session.h"
#include "test_paths.h"

using namespace anatomy;

namespace {

struct Writer {
    std::ofstream f;
    explicit Writer(const std::string& p) : f(p, std::ios::binary) { REQUIRE(f.good()); }
    void i32(int32_t v) { f.write(reinterpret_cast<const char*>(&v), 4); }
    void u8(uint8_t v) { f.write(reinterpret_cast<const char*>(&v), 1); }
    void floats(const float* p, size_t n) { f.write(reinterpret_cast<const char*>(p), std::streamsize(n * 4)); }
    void pad(size_t to) {
        const auto pos = size_t(f.tellp());
        for (size_t i = pos; i < to; ++i) u8(0);
    }
};

std::vector<float> logitsOf(const std::string& path) {
    std::shared_ptr<const Model> m = loadModel(path);
    Session s(m);
    const std::vector<int> ids = {1, 403, 407, 261, 378, 432, 383};
    return s.forward(ids, true);
}

}  // namespace

TEST_CASE("ak42 version 1 and an unshared legacy classifier reproduce the legacy file", "[loading]") {
    const std::string legacy = modelPath("stories260K.bin");
    std::shared_ptr<const Model> m = loadModel(legacy);
    const ModelConfig& c = m->config;
    const size_t d = size_t(c.dim), V = size_t(c.vocabSize);
    const auto dir = std::filesystem::temp_directory_path() / "anatomy_llama2c_formats";
    std::filesystem::create_directories(dir);

    // Version 1: 256-byte header ("ak42", version, 7 ints, shared flag), then norms first,
    // the embedding, and the matrices grouped by kind.
    const std::string v1 = (dir / "stories260K_v1.bin").string();
    {
        Writer w(v1);
        w.f.write("24ka", 4);  // uint32 0x616b3432 ("ak42") little-endian
        w.i32(1);
        for (int v : {c.dim, c.hiddenDim, c.nLayers, c.nHeads, c.nKvHeads, c.vocabSize, c.seqLen}) w.i32(v);
        w.u8(1);
        w.pad(256);
        for (const auto& l : m->layers) w.floats(l.rmsAtt, d);
        for (const auto& l : m->layers) w.floats(l.rmsFfn, d);
        w.floats(m->rmsFinal, d);
        w.floats(m->tokenEmbedding, V * d);
        for (auto mat : {&LayerWeights::wq, &LayerWeights::wk, &LayerWeights::wv, &LayerWeights::wo,
                         &LayerWeights::w1, &LayerWeights::w2, &LayerWeights::w3})
            for (const auto& l : m->layers) w.floats((l.*mat).f32, size_t((l.*mat).rows) * (l.*mat).cols);
    }
    // Legacy with a negative vocab_size: the same file with its classifier written out.
    const std::string unshared = (dir / "stories260K_unshared.bin").string();
    {
        std::ifstream in(legacy, std::ios::binary);
        std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        int32_t negVocab = -c.vocabSize;
        std::memcpy(bytes.data() + 20, &negVocab, 4);
        Writer w(unshared);
        w.f.write(bytes.data(), std::streamsize(bytes.size()));
        w.floats(m->tokenEmbedding, V * d);  // wcls, equal to the embedding here
    }
    const std::vector<float> ref = logitsOf(legacy);
    for (const std::string& p : {v1, unshared}) {
        std::shared_ptr<const Model> other = loadModel(p);
        CHECK(other->config.vocabSize == c.vocabSize);
        CHECK(other->config.sharedClassifier == (p == v1));
        const std::vector<float> got = logitsOf(p);
        REQUIRE(got.size() == ref.size());
        float worst = 0.0f;
        for (size_t i = 0; i < ref.size(); ++i) worst = std::max(worst, std::fabs(got[i] - ref[i]));
        INFO(p);
        CHECK(worst == 0.0f);
    }
    std::filesystem::remove_all(dir);
}
