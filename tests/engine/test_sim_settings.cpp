// Architecture simulator settings: parsing, errors a user can act on, help text, description.
#include <catch2/catch.hpp>

#include "anatomy/error.h"
#include "anatomy/sim_settings.h"

using namespace anatomy;

TEST_CASE("applySetting parses every kind of knob", "[sim]") {
    SimSettings s;
    for (const char* kv : {"norm.placement=deepnorm", "norm.type=layer", "norm.eps=1e-6", "norm.alpha=2",
                           "ffn.act=leaky-relu", "ffn.slope=0.2", "pos=alibi", "rope.base=50000",
                           "rope.scaling=yarn", "rope.factor=4", "rope.original=256", "attn.scale=1.5",
                           "attn.mask=prefix", "attn.prefix=7", "attn.sparse=sinks", "attn.window=32",
                           "attn.sinks=2", "heads.ablate=1:2,3:4:mean", "heads.gate=0:1:-2",
                           "kv.sharing=latent", "kv.rank=8", "moe.experts=4", "moe.k=1", "moe.gate=prob",
                           "moe.noise=0.5", "moe.capacity=1.25"})
        applySetting(s, kv);
    CHECK(s.normPlacement == NormPlacement::DeepNorm);
    CHECK(s.normType == NormType::Layer);
    CHECK(*s.normEps == Approx(1e-6f));
    CHECK(s.activation == Activation::LeakyRelu);
    CHECK(s.activationParams.leakySlope == Approx(0.2f));
    CHECK(s.positions == PositionEncoding::Alibi);
    CHECK(*s.ropeBase == 50000.0f);
    CHECK(s.ropeScaling.method == RopeScaling::Yarn);
    CHECK(s.ropeScaling.factor == 4.0f);
    CHECK(s.ropeScaling.originalContext == 256);
    CHECK(s.mask == AttentionMask::PrefixLm);
    CHECK(s.prefixLength == 7);
    CHECK(s.sparse == SparsePattern::SinksWindow);
    REQUIRE(s.heads.size() == 3);
    CHECK(s.heads[0].layer == 1);
    CHECK(s.heads[1].kind == HeadIntervention::Kind::Mean);
    CHECK(s.heads[2].kind == HeadIntervention::Kind::Gate);
    CHECK(s.heads[2].gateLogit == -2.0f);
    CHECK(s.kvSharing == KvSharing::LatentSvd);
    CHECK(s.kvRank == 8);
    CHECK(s.moe.experts == 4);
    CHECK(s.moe.gate == MoeGate::Prob);
    CHECK(s.moe.capacityFactor == Approx(1.25f));
    // Setting the ablation list again replaces it but keeps the gates.
    applySetting(s, "heads.ablate=none");
    CHECK(s.heads.size() == 1);
    applySetting(s, "moe.switch=on");
    CHECK(s.moe.topK == 1);
}

TEST_CASE("a bad setting names the key and the allowed values", "[sim]") {
    SimSettings s;
    CHECK_THROWS_WITH(applySetting(s, "norm.placement=middle"),
                      Catch::Contains("norm.placement") && Catch::Contains("pre|post|sandwich|deepnorm") &&
                          Catch::Contains("middle"));
    CHECK_THROWS_WITH(applySetting(s, "ffn.act=tanh"), Catch::Contains("silu|gelu-tanh|gelu-erf"));
    CHECK_THROWS_WITH(applySetting(s, "attn.window=0"), Catch::Contains("attn.window") && Catch::Contains(">= 1"));
    CHECK_THROWS_WITH(applySetting(s, "rope.factor=0.5"), Catch::Contains("rope.factor") && Catch::Contains(">= 1"));
    CHECK_THROWS_WITH(applySetting(s, "heads.ablate=3"), Catch::Contains("layer:head"));
    CHECK_THROWS_WITH(applySetting(s, "warp.drive=on"), Catch::Contains("unknown setting 'warp.drive'") &&
                                                            Catch::Contains("norm.placement"));
    CHECK_THROWS_WITH(applySetting(s, "norm.type"), Catch::Contains("key=value"));
    CHECK(s == SimSettings{});  // failed settings leave the struct as it was
}

TEST_CASE("settings are validated against the model", "[sim]") {
    ModelConfig c;
    c.dim = 64; c.hiddenDim = 172; c.nLayers = 5; c.nHeads = 8; c.nKvHeads = 4; c.vocabSize = 512; c.seqLen = 512;
    SimSettings s;
    CHECK_NOTHROW(validateSettings(s, c));
    applySetting(s, "kv.sharing=groups");
    applySetting(s, "kv.groups=3");
    CHECK_THROWS_WITH(validateSettings(s, c), Catch::Contains("kv.groups") && Catch::Contains("divisor"));
    s = {};
    applySetting(s, "kv.sharing=latent");
    applySetting(s, "kv.rank=65");
    CHECK_THROWS_WITH(validateSettings(s, c), Catch::Contains("kv.rank") && Catch::Contains("1..64"));
    s = {};
    applySetting(s, "heads.ablate=5:0");
    CHECK_THROWS_WITH(validateSettings(s, c), Catch::Contains("layer < 5"));
    s = {};
    applySetting(s, "moe.experts=4");
    applySetting(s, "moe.k=5");
    CHECK_THROWS_WITH(validateSettings(s, c), Catch::Contains("moe.k"));
}

TEST_CASE("every key has help text with a formula, and describe lists what changed", "[sim]") {
    const auto& info = settingInfo();
    REQUIRE(info.size() >= 30);
    for (const auto& i : info) {
        INFO(i.key);
        CHECK(!i.explanation.empty());
        CHECK(!i.values.empty());
    }
    const auto keys = settingKeys();
    REQUIRE(keys.size() == info.size());
    CHECK(keys[0].rfind("norm.placement=", 0) == 0);
    for (const char* k : {"norm.placement", "ffn.act", "rope.scaling", "attn.sparse", "kv.sharing", "moe.experts"}) {
        const auto it = std::find_if(info.begin(), info.end(), [&](const SettingInfo& i) { return i.key == k; });
        REQUIRE(it != info.end());
        CHECK(!it->formula.empty());
    }
    CHECK(describe(SimSettings{}) == "as trained");
    SimSettings s;
    applySetting(s, "norm.placement=post");
    applySetting(s, "attn.sparse=window");
    applySetting(s, "attn.window=64");
    CHECK(describe(s) == "norm.placement=post, attn.sparse=window, attn.window=64");
    // describe() round-trips through applySetting.
    SimSettings back;
    applySetting(back, "norm.placement=post");
    applySetting(back, "attn.sparse=window");
    applySetting(back, "attn.window=64");
    CHECK(back == s);
}
