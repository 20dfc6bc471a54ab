// Architecture simulator settings: parsing, errors a user can act on, help text, description.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "anatomy/error.h"
#include "anatomy/knob_table.h"
#include "anatomy/sim_settings.h"
#include "engine/knob_examples.h"

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
    // describe() lists what differs from the defaults, in table order: attn.window=64 is the
    // default, so it is not repeated.
    SimSettings s;
    applySetting(s, "attn.sparse=window");
    applySetting(s, "norm.placement=post");
    applySetting(s, "attn.window=64");
    CHECK(describe(s) == "norm.placement=post, attn.sparse=window");
    applySetting(s, "attn.window=8");
    CHECK(describe(s) == "norm.placement=post, attn.sparse=window, attn.window=8");
}

namespace {

SimSettings fromDescription(const std::string& d) {
    SimSettings s;
    if (d == "as trained") return s;
    size_t b = 0;
    while (true) {
        const size_t e = d.find(", ", b);
        applySetting(s, d.substr(b, e == std::string::npos ? std::string::npos : e - b));
        if (e == std::string::npos) break;
        b = e + 2;
    }
    return s;
}

}  // namespace

TEST_CASE("every knob of the table round-trips through format, describe and the help", "[sim][knobs]") {
    REQUIRE(knobTable().size() >= 30);
    const std::vector<std::string> help = settingKeys();
    REQUIRE(help.size() == knobTable().size());
    SimSettings all;  // every knob changed at once
    int stored = 0;
    for (size_t r = 0; r < knobTable().size(); ++r) {
        const Knob& k = knobTable()[r];
        INFO(k.key);
        // The help line of the row, in table order, with its default.
        CHECK(help[r].rfind(k.key + "=", 0) == 0);
        CHECK(help[r].find("(default " + k.defaultValue() + ")") != std::string::npos);
        CHECK(!k.help.empty());
        CHECK(!k.label.empty());
        CHECK(findKnob(k.key) == &k);
        // The default text parses back to the default.
        SimSettings d;
        k.parse(d, k.defaultValue());
        CHECK(d == SimSettings{});

        const std::string v = knobtest::nonDefaultValue(k);
        INFO("value " << v);
        SimSettings s;
        applySetting(s, k.key + "=" + v);
        applySetting(all, k.key + "=" + v);
        if (!k.stored()) {
            CHECK(describe(s).find(k.key) == std::string::npos);  // a shorthand sets other knobs
            continue;
        }
        ++stored;
        REQUIRE_FALSE(k.isDefault(s));
        CHECK_FALSE(s == SimSettings{});
        // format gives text that parses back to the same value.
        SimSettings back;
        applySetting(back, k.key + "=" + k.format(s));
        CHECK(back == s);
        // describe() names it, and reads back to the same settings.
        CHECK(describe(s) == k.key + "=" + k.format(s));
        CHECK(fromDescription(describe(s)) == s);
        // Back to the default by its default text.
        applySetting(back, k.key + "=" + k.defaultValue());
        CHECK(k.isDefault(back));
    }
    // All at once: describe lists each stored knob (after the shorthand changed moe.k and moe.gate,
    // each still differs from its default) and reads back equal.
    INFO(describe(all));
    CHECK(int(assignments(all).size()) == stored);
    CHECK(fromDescription(describe(all)) == all);
}

TEST_CASE("describe keeps what it used to drop: ramp, Llama 3 frequencies, idle parameters", "[sim][knobs]") {
    SimSettings s;
    for (const char* kv : {"rope.scaling=llama3", "rope.alpha=2", "rope.beta=16", "rope.low_freq=1.5",
                           "rope.high_freq=8", "ffn.slope=0.3", "moe.seed=7", "heads.gate=2:1:-inf",
                           "heads.ablate=0:1:mean,1:0", "attn.scale=0.1"})
        applySetting(s, kv);
    const std::string d = describe(s);
    CHECK(d == "ffn.slope=0.3, rope.scaling=llama3, rope.alpha=2, rope.beta=16, rope.low_freq=1.5, "
               "rope.high_freq=8, attn.scale=0.1, heads.ablate=0:1:mean,1:0, heads.gate=2:1:-inf, moe.seed=7");
    CHECK(fromDescription(d) == s);
    // A gate set before the ablations still reads back equal: the list is kept ablations first.
    SimSettings g;
    applySetting(g, "heads.gate=1:1:2");
    applySetting(g, "heads.ablate=0:0");
    CHECK(fromDescription(describe(g)) == g);
}

TEST_CASE("a knob applies only where it changes something", "[sim][knobs]") {
    const auto applies = [](const char* key, std::initializer_list<const char*> lines) {
        SimSettings s;
        for (const char* l : lines) applySetting(s, l);
        return findKnob(key)->appliesTo(s);
    };
    CHECK_FALSE(applies("attn.window", {}));
    for (const char* p : {"attn.sparse=window", "attn.sparse=sinks", "attn.sparse=strided"})
        CHECK(applies("attn.window", {p}));
    CHECK_FALSE(applies("attn.window", {"attn.sparse=s2"}));
    CHECK(applies("ffn.slope", {"ffn.act=leaky-relu"}));
    CHECK_FALSE(applies("ffn.slope", {"ffn.act=elu"}));
    CHECK(applies("rope.factor", {"rope.scaling=yarn"}));
    CHECK_FALSE(applies("rope.factor", {"rope.scaling=yarn", "pos=alibi"}));
    CHECK_FALSE(applies("rope.base", {"pos=none"}));
    CHECK(applies("rope.beta", {"rope.scaling=ntk-by-parts"}));
    CHECK_FALSE(applies("rope.beta", {"rope.scaling=llama3"}));
    CHECK(applies("kv.rank", {"kv.sharing=latent"}));
    CHECK_FALSE(applies("moe.k", {}));
    CHECK(applies("moe.k", {"moe.experts=4"}));
    CHECK(applies("norm.alpha", {"norm.placement=deepnorm"}));
    CHECK_FALSE(applies("attn.scale", {"attn.kernel=linear"}));
}

TEST_CASE("choices are listed in enum order", "[sim][knobs]") {
    // Views index the names by int(enum): rope_view's legend, the activation view's title.
    SimSettings s;
    applySetting(s, "rope.scaling=ntk-by-parts");
    CHECK(s.ropeScaling.method == RopeScaling::NtkByParts);
    CHECK(findKnob("rope.scaling")->choices[size_t(RopeScaling::Llama3)].name == "llama3");
    CHECK(findKnob("ffn.act")->choices[size_t(Activation::GeluErf)].name == "gelu-erf");
    CHECK(findKnob("attn.sparse")->choices[size_t(SparsePattern::ShiftedSparse)].name == "s2");
    for (const Knob& k : knobTable()) {
        if (k.type != KnobType::Choice) continue;
        for (const KnobChoice& c : k.choices) {
            INFO(k.key << "=" << c.name);
            SimSettings t;
            k.parse(t, c.name);
            CHECK(k.format(t) == c.name);
            CHECK(!c.label.empty());
        }
    }
}

TEST_CASE("bad values of every kind name the key, what is allowed and what was given", "[sim][knobs]") {
    for (const Knob& k : knobTable()) {
        std::vector<std::string> bad;
        switch (k.type) {
            case KnobType::Choice: bad = {"bogus", ""}; break;
            case KnobType::Float:
            case KnobType::OptionalFloat:
                bad = {"abc", "inf", "-inf", "nan", "1e999", "", "1x", anatomy::formatKnobFloat(float(k.max * 2 + 1))};
                if (k.min > -1e30) bad.push_back(anatomy::formatKnobFloat(float(k.min - 1)));
                break;
            case KnobType::Int:
                bad = {"abc", "1.5", "", std::to_string(static_cast<long long>(k.max) + 1),
                       std::to_string(static_cast<long long>(k.min) - 1)};
                break;
            case KnobType::HeadList: bad = {"3", "a:b", "1:2:3:4", "1:-2"}; break;
            case KnobType::Shorthand: bad = {"maybe"}; break;
        }
        for (const std::string& v : bad) {
            INFO(k.key << "=" << v);
            SimSettings s;
            CHECK_THROWS_AS(applySetting(s, k.key + "=" + v), Error);
            CHECK_THROWS_WITH(applySetting(s, k.key + "=" + v),
                              Catch::Contains("setting " + k.key + ": expected") && Catch::Contains("'" + v));
            CHECK(s == SimSettings{});
        }
    }
    SimSettings s;
    // inf used to pass rope.factor's ">= 1" check and give a perplexity of -nan.
    CHECK_THROWS_WITH(applySetting(s, "rope.factor=inf"), Catch::Contains("rope.factor") && Catch::Contains("'inf'"));
    CHECK_THROWS_WITH(applySetting(s, "attn.scale=nan"), Catch::Contains("attn.scale"));
    CHECK_THROWS_WITH(applySetting(s, "norm.eps=0"), Catch::Contains("norm.eps") && Catch::Contains("or model"));
    CHECK_THROWS_WITH(applySetting(s, "moe.switch=maybe"), Catch::Contains("on|off"));
}

TEST_CASE("numbers are plain decimals: hex, inf, nan and spaces are refused", "[sim][hardening]") {
    SimSettings s;
    for (const char* kv : {"rope.factor=0x10", "rope.factor=inf", "rope.factor=nan", "rope.factor= 2",
                           "rope.factor=2 ", "rope.factor=infinity", "rope.original=0x100", "rope.original= 256",
                           "heads.ablate=0x1:0", "heads.gate=0:1:0x1", "heads.gate=0:1:nan"}) {
        INFO(kv);
        CHECK_THROWS_AS(applySetting(s, kv), Error);
    }
    applySetting(s, "rope.factor=2.5e0");
    CHECK(s.ropeScaling.factor == 2.5f);
    applySetting(s, "heads.gate=0:1:-inf");  // an exact gate: sigma(-inf) = 0
    CHECK(std::isinf(s.heads.back().gateLogit));
}

TEST_CASE("head lists are bounded: no duplicates, at most layers x heads", "[sim][hardening]") {
    SimSettings s;
    CHECK_THROWS_WITH(applySetting(s, "heads.ablate=1:2,0:0,1:2"), Catch::Contains("head 1:2 appears twice"));
    CHECK_THROWS_WITH(applySetting(s, "heads.gate=0:0:1,0:0:2"), Catch::Contains("appears twice"));
    // 50,000 ablations (a 200 KB session file) are refused before parsing.
    std::string many = "heads.ablate=";
    for (int i = 0; i < 70000; ++i) {
        if (i) many += ',';
        many += std::to_string(i / 8) + ":" + std::to_string(i % 8);
    }
    CHECK_THROWS_WITH(applySetting(s, many), Catch::Contains("at most 65536"));
    // Within the parse bound but more than the model has: refused by the model's check.
    ModelConfig c;
    c.dim = 64;
    c.nHeads = 8;
    c.nKvHeads = 4;
    c.nLayers = 5;
    c.vocabSize = 512;
    c.seqLen = 512;
    s = {};
    std::string list = "heads.ablate=";
    for (int i = 0; i < 41; ++i) {
        if (i) list += ',';
        list += std::to_string(i / 8) + ":" + std::to_string(i % 8);
    }
    applySetting(s, list);
    CHECK_THROWS_WITH(validateSettings(s, c), Catch::Contains("at most 40 heads"));
}
