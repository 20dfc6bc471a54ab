// The architecture description: what a loader says the network is, and what the simulator's
// knobs make of it. The forward pass reads nothing else (forward.cpp).
#include <catch2/catch.hpp>

#include "anatomy/architecture.h"
#include "anatomy/model_registry.h"
#include "anatomy/session.h"
#include "test_paths.h"

using namespace anatomy;

TEST_CASE("loaders describe stories260K as a pre-RMSNorm RoPE GQA SwiGLU Llama", "[architecture]") {
    for (const char* file : {"stories260K.bin", "stories260K.gguf", "stories260K_q8.bin"}) {
        INFO(file);
        std::shared_ptr<const Model> m = openModel(modelPath(file));
        const Architecture& a = m->architecture;
        REQUIRE(a.layers.size() == size_t(m->config.nLayers));
        CHECK(a.positions.kind == PositionEncoding::Rope);
        CHECK(a.positions.ropeBase == m->config.ropeTheta);
        CHECK(a.embeddings.tiedClassifier == m->config.sharedClassifier);
        CHECK(a.finalNorm.type == NormType::Rms);
        for (const LayerSpec& l : a.layers) {
            CHECK(l.residual.placement == NormPlacement::Pre);
            CHECK(l.norm.eps == m->config.normEps);
            CHECK(l.attention.nHeads == 8);
            CHECK(l.attention.nKvHeads == 4);
            CHECK(l.attention.headSize == 8);
            CHECK(l.attention.plain());
            CHECK(l.ffn.gated);
            CHECK(l.ffn.activation == Activation::Silu);
            CHECK(l.ffn.nExperts == 0);
        }
        // A session with default settings runs exactly the loaded architecture.
        Session s(m);
        CHECK(s.architecture() == a);
    }
}

TEST_CASE("the simulator's knobs edit the architecture the session runs", "[architecture]") {
    std::shared_ptr<const Model> m = openModel(modelPath("stories260K.bin"));
    Session s(m);
    SimSettings set;
    for (const char* kv : {"norm.placement=deepnorm", "norm.type=layer", "pos=alibi", "attn.sparse=window",
                           "attn.window=32", "kv.sharing=mqa", "heads.ablate=1:2,3:4:mean", "ffn.act=relu",
                           "moe.experts=8"})
        applySetting(set, kv);
    s.setSettings(set);
    const Architecture& a = s.architecture();
    CHECK(a.positions.kind == PositionEncoding::Alibi);
    CHECK(a.finalNorm.type == NormType::Layer);
    CHECK(a.moe.experts == 8);
    for (size_t l = 0; l < a.layers.size(); ++l) {
        const LayerSpec& L = a.layers[l];
        CHECK(L.residual.placement == NormPlacement::DeepNorm);
        CHECK(L.residual.deepNormAlpha == Approx(std::pow(2.0 * 5, 0.25)));
        CHECK(L.attention.nKvHeads == 1);
        CHECK(L.attention.alibi);
        CHECK(L.attention.sparse == SparsePattern::SlidingWindow);
        CHECK(L.attention.window == 32);
        CHECK_FALSE(L.attention.plain());
        CHECK(L.ffn.activation == Activation::Relu);
        CHECK(L.ffn.nExperts == 8);
        // Each layer carries only its own head interventions.
        CHECK(L.attention.heads.size() == (l == 1 || l == 3 ? 1u : 0u));
    }
    // Back to the defaults: the loaded architecture again.
    s.setSettings(SimSettings{});
    CHECK(s.architecture() == m->architecture);
}

TEST_CASE("YaRN's temperature alone leaves the fast attention path", "[architecture]") {
    std::shared_ptr<const Model> m = openModel(modelPath("stories260K.bin"));
    Session s(m);
    SimSettings set;
    applySetting(set, "rope.scaling=yarn");
    s.setSettings(set);
    CHECK(s.architecture().layers[0].attention.plain());  // factor 1: temperature 1
    applySetting(set, "rope.factor=2");
    s.setSettings(set);
    CHECK(s.architecture().layers[0].attention.temperature > 1.0f);
    CHECK_FALSE(s.architecture().layers[0].attention.plain());
}
