// Loading the GGUF architectures: one hand-made corrupt fixture per failure mode (unknown
// architecture, a key the architecture needs, a tensor it needs or of the wrong shape for it),
// each a one-line error naming the key or tensor and never a crash; the architecture a file
// describes is what the model runs; knobs that do not apply are refused with the reason; and a
// trace records the usual arrays, with Gemma 2's sliding-window layers masked.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "anatomy/error.h"
#include "anatomy/model.h"
#include "anatomy/session.h"
#include "anatomy/sim_settings.h"
#include "anatomy/synth_gguf.h"
#include "anatomy/trace.h"

using namespace anatomy;
using Catch::Matchers::Contains;

namespace {

std::string tempPath(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("anatomy_arch_" + std::to_string(::getpid()) + "_" + name))
        .string();
}

// The loader's message for a file, or "" when it loads.
std::string loadError(const GgufWriter& w, const std::string& name) {
    const std::string path = tempPath(name);
    w.write(path);
    std::string msg;
    try {
        loadModel(path);
    } catch (const Error& e) {
        msg = e.what();
    }
    std::filesystem::remove(path);
    return msg;
}

std::shared_ptr<const Model> load(const std::string& arch) {
    const std::string path = tempPath(arch + ".gguf");
    writeSynthGguf(synthReferenceSpec(arch), path);
    std::shared_ptr<const Model> m = loadModel(path);
    std::filesystem::remove(path);
    return m;
}

void checkOneLine(const std::string& msg) {
    CHECK_FALSE(msg.empty());
    CHECK(msg.find('\n') == std::string::npos);
}

}  // namespace

TEST_CASE("GGUF architectures: an unknown architecture is named with the known ones", "[zoo][loading]") {
    GgufWriter w = synthGguf(synthReferenceSpec("gpt2"));
    w.removeKey("general.architecture");
    w.addString("general.architecture", "mamba");
    const std::string msg = loadError(w, "mamba.gguf");
    checkOneLine(msg);
    CHECK_THAT(msg, Contains("general.architecture"));
    CHECK_THAT(msg, Contains("\"mamba\""));
    CHECK_THAT(msg, Contains("llama, qwen2, qwen3, gpt2, gptneox, phi3, gemma2"));
}

TEST_CASE("GGUF architectures: a missing key names the architecture's own key", "[zoo][loading]") {
    const std::pair<const char*, const char*> cases[] = {
        {"gpt2", "gpt2.attention.layer_norm_epsilon"},  // llama.cpp requires the LayerNorm epsilon
        {"gptneox", "gptneox.embedding_length"},
        {"qwen2", "qwen2.attention.head_count"},
        {"qwen3", "qwen3.block_count"},
        {"phi3", "phi3.feed_forward_length"},
        {"gemma2", "gemma2.context_length"},
    };
    for (const auto& [arch, key] : cases) {
        INFO(key);
        GgufWriter w = synthGguf(synthReferenceSpec(arch));
        REQUIRE(w.removeKey(key));
        const std::string msg = loadError(w, std::string(arch) + "_nokey.gguf");
        checkOneLine(msg);
        CHECK_THAT(msg, Contains(key));
        CHECK_THAT(msg, Contains("missing"));
    }
}

TEST_CASE("GGUF architectures: a tensor missing or of the wrong shape for its architecture", "[zoo][loading]") {
    struct Case {
        const char* arch;
        const char* tensor;
        std::vector<uint64_t> ne;  // empty: leave it out
        const char* expected;      // in the message
    };
    const Case cases[] = {
        // GPT-2's fused QKV is [dim, 3 dim]; a q-sized one is not it.
        {"gpt2", "blk.0.attn_qkv.weight", {64, 64}, "[64, 192]"},
        {"gpt2", "position_embd.weight", {64, 32}, "[64, 64]"},
        {"gpt2", "output.weight", {}, "untied"},
        {"gpt2", "blk.1.ffn_up.bias", {}, "missing"},
        {"gptneox", "blk.0.attn_qkv.bias", {64}, "[192]"},
        {"qwen2", "blk.0.attn_k.bias", {}, "missing"},
        {"qwen3", "blk.0.attn_q_norm.weight", {16}, "[32]"},  // head size 32 (key_length), not 64 / 4
        {"phi3", "blk.0.ffn_up.weight", {64, 128}, "[64, 256]"},
        {"phi3", "blk.0.attn_qkv.weight", {64, 192}, "[64, 128]"},  // 2 KV heads: 64 + 2 * 32
        {"gemma2", "blk.25.post_ffw_norm.weight", {}, "missing"},
    };
    for (const Case& c : cases) {
        INFO(c.arch << " " << c.tensor);
        GgufWriter w = synthGguf(synthReferenceSpec(c.arch));
        REQUIRE(w.removeTensor(c.tensor));
        if (!c.ne.empty()) {
            uint64_t n = 1;
            for (uint64_t d : c.ne) n *= d;
            w.addTensorF32(c.tensor, c.ne, std::vector<float>(n, 0.5f));
        }
        const std::string msg = loadError(w, std::string(c.arch) + "_tensor.gguf");
        checkOneLine(msg);
        CHECK_THAT(msg, Contains(c.tensor));
        CHECK_THAT(msg, Contains(c.expected));
    }
}

TEST_CASE("GGUF architectures: partial rotary and head sizes are checked against what the architecture allows",
          "[zoo][loading]") {
    GgufWriter w = synthGguf(synthReferenceSpec("qwen2"));
    w.removeKey("qwen2.rope.dimension_count");
    w.addU32("qwen2.rope.dimension_count", 8);  // llama.cpp asserts n_rot == head size for qwen2
    std::string msg = loadError(w, "qwen2_rot.gguf");
    checkOneLine(msg);
    CHECK_THAT(msg, Contains("qwen2.rope.dimension_count"));

    w = synthGguf(synthReferenceSpec("gptneox"));
    w.removeKey("gptneox.rope.dimension_count");
    w.addU32("gptneox.rope.dimension_count", 18);  // wider than a head of 16
    msg = loadError(w, "neox_rot.gguf");
    CHECK_THAT(msg, Contains("gptneox.rope.dimension_count"));
    CHECK_THAT(msg, Contains("18"));

    w = synthGguf(synthReferenceSpec("llama"));
    w.addString("llama.rope.scaling.type", "yarn");
    msg = loadError(w, "yarn.gguf");
    checkOneLine(msg);
    CHECK_THAT(msg, Contains("llama.rope.scaling.type") && Contains("yarn"));

    w = synthGguf(synthReferenceSpec("llama"));
    w.removeTensor("rope_freqs.weight");
    w.addTensorF32("rope_freqs.weight", {8}, std::vector<float>(8, -1.0f));
    CHECK_THAT(loadError(w, "freqs.gguf"), Contains("rope_freqs.weight") && Contains("positive"));

    SynthGgufSpec big = synthReferenceSpec("gemma2");
    big.nLayers = 46;  // Gemma 2 27B's depth: another query scale
    msg = loadError(synthGguf(big), "gemma2_27b.gguf");
    checkOneLine(msg);
    CHECK_THAT(msg, Contains("gemma2.block_count") && Contains("27B"));

    w = synthGguf(synthReferenceSpec("gemma2"));
    w.removeKey("gemma2.attention.value_length");
    w.addU32("gemma2.attention.value_length", 16);  // values narrower than keys
    msg = loadError(w, "gemma2_vl.gguf");
    checkOneLine(msg);
    CHECK_THAT(msg, Contains("gemma2.attention.value_length"));
    CHECK_THAT(msg, Contains("not supported"));
}

TEST_CASE("GGUF architectures: the file's architecture is what the model runs", "[zoo]") {
    auto gpt2 = load("gpt2");
    const Architecture& g = gpt2->architecture;
    CHECK(g.embeddings.learnedPositions);
    CHECK(g.positions.kind == PositionEncoding::None);
    CHECK(g.layers[0].norm.type == NormType::Layer);
    CHECK(g.layers[0].norm.bias);
    CHECK_FALSE(g.layers[0].ffn.gated);
    CHECK(g.layers[0].ffn.activation == Activation::GeluTanh);
    CHECK(gpt2->positionEmbedding != nullptr);
    CHECK(gpt2->layers[0].bq != nullptr);
    CHECK(gpt2->layers[0].w3.rows == 0);

    auto neox = load("gptneox");
    CHECK(neox->architecture.layers[1].residual.parallel);
    CHECK(neox->architecture.positions.layout == RopeLayout::HalfSplit);
    CHECK(neox->architecture.positions.rotaryDims == 8);

    auto gemma = load("gemma2");
    const Architecture& a = gemma->architecture;
    CHECK(a.embeddings.scale == 8.0f);
    CHECK(a.finalSoftCap == 3.0f);
    CHECK(a.layers[0].attention.softCap == 2.0f);
    CHECK(a.layers[0].residual.placement == NormPlacement::Sandwich);
    CHECK(a.layers[0].attention.sparse == SparsePattern::SlidingWindow);
    CHECK(a.layers[0].attention.window == 4);
    CHECK(a.layers[1].attention.sparse == SparsePattern::None);  // odd layers see every key
    CHECK(gemma->config.headSize() == 32);                       // key_length, not 64 / 4
    CHECK(gemma->layers[0].wq.rows == 128);
    CHECK(gemma->layers[0].wo.cols == 128);

    auto llama = load("llama");
    CHECK(llama->architecture.positions.layout == RopeLayout::Interleaved);
    CHECK_FALSE(llama->config.sharedClassifier);  // output.weight: untied
    CHECK(llama->architecture.positions.freqFactors.size() == 8);  // rope_freqs.weight (Llama 3)
    CHECK(llama->architecture.positions.freqFactors.back() == 8.0f);

    const std::string path = tempPath("linear.gguf");
    writeSynthGguf(synthReferenceSpec("llama-linear"), path);
    auto linear = loadModel(path);
    std::filesystem::remove(path);
    CHECK(linear->architecture.positions.ropeScaling.method == RopeScaling::Linear);
    CHECK(linear->architecture.positions.ropeScaling.factor == 4.0f);
}

TEST_CASE("GGUF architectures: knobs that do not apply are refused with the reason", "[zoo][sim]") {
    auto gpt2 = load("gpt2");
    Session s(gpt2);
    SimSettings set;
    applySetting(set, "norm.type=layer");
    CHECK_THROWS_WITH(s.setSettings(set), Contains("norm.type") && Contains("gpt2") && Contains("LayerNorm with bias"));
    set = SimSettings{};
    applySetting(set, "rope.base=500");
    CHECK_THROWS_WITH(s.setSettings(set), Contains("rope.base") && Contains("learns absolute position embeddings"));
    set = SimSettings{};
    applySetting(set, "kv.sharing=mqa");
    CHECK_THROWS_WITH(s.setSettings(set), Contains("kv.sharing") && Contains("biases"));
    set = SimSettings{};
    applySetting(set, "ffn.act=relu");
    CHECK_THROWS_WITH(s.setSettings(set), Contains("ffn.act") && Contains("SwiGLU"));
    // Attention knobs apply to every architecture.
    set = SimSettings{};
    applySetting(set, "attn.sparse=window");
    applySetting(set, "attn.window=2");
    CHECK_NOTHROW(s.setSettings(set));
    CHECK(knobRefusal(gpt2->architecture, "attn.mask").empty());

    auto neox = load("gptneox");
    Session n(neox);
    set = SimSettings{};
    applySetting(set, "attn.sparse=dual-chunk");
    CHECK_THROWS_WITH(n.setSettings(set), Contains("dual-chunk") && Contains("half-split"));
    // RoPE knobs apply to NeoX's rotary dims.
    set = SimSettings{};
    applySetting(set, "rope.base=500");
    CHECK_NOTHROW(n.setSettings(set));

    // Llama keeps every knob.
    auto llama = load("llama");
    for (const char* key : {"norm.type", "ffn.act", "rope.base", "kv.sharing", "moe.experts"})
        CHECK(knobRefusal(llama->architecture, key).empty());
}

TEST_CASE("GGUF architectures: a trace records the usual arrays, Gemma 2's window is masked", "[zoo][trace]") {
    const std::vector<int> tokens = {1, 300, 45, 12, 77, 400, 5, 260};
    for (const std::string& arch : synthArchitectures()) {
        INFO(arch);
        auto m = load(arch);
        auto tr = traceTokens(m, tokens, CaptureSpec::everything());
        REQUIRE(tr->layers.size() == size_t(m->config.nLayers));
        CHECK(tr->layers[0].attnProbs.data.size() == size_t(m->config.nHeads) * tokens.size() * tokens.size());
        CHECK(tr->residRmsOut.data.size() == size_t(m->config.nLayers) * tokens.size());
        CHECK(std::isfinite(tr->residRmsOut.at({int64_t(m->config.nLayers - 1), 7})));
        // Logits of the trace are the plain forward pass's.
        Session s(m);
        const std::vector<float>& last = s.forward(tokens);
        const int V = m->config.vocabSize;
        CHECK(std::fabs(tr->logits.at({7, 5}) - last[5]) < 1e-4f);
        // The logit lens at the last layer decodes exactly what the head does (final norm with its
        // bias, Gemma 2's cap): its top token is the argmax of the logits.
        int best = 0;
        for (int j = 1; j < V; ++j)
            if (last[size_t(j)] > last[size_t(best)]) best = j;
        CHECK(tr->lensTopIds.at({int64_t(m->config.nLayers - 1), 7, 0}) == best);
        if (arch == "gemma2") {
            // Layer 0 slides (window 4): query 7 gives keys 0..3 nothing; layer 1 sees them.
            for (int j = 0; j < 4; ++j) CHECK(tr->layers[0].attnProbs.at({0, 7, j}) == 0.0f);
            CHECK(tr->layers[1].attnProbs.at({0, 7, 0}) > 0.0f);
        }
    }
}

TEST_CASE("GGUF architectures: GPT-2 refuses positions past its learned table", "[zoo]") {
    auto m = load("gpt2");
    Session s(m);
    std::vector<int> tokens(size_t(m->config.seqLen) + 1, 5);
    CHECK_THROWS_WITH(s.forward(tokens), Contains("learned position embeddings"));
}
