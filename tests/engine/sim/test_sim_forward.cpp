// The simulator's sanity checks on the real checkpoint: defaults are the model, and each knob at
// its neutral value reproduces it.
#include <catch2/catch.hpp>

#include <cstdio>

#include "anatomy/perplexity.h"
#include "engine/sim_test_util.h"

using namespace anatomy;
using namespace simtest;

TEST_CASE("default settings reproduce the unmodified model bit for bit", "[sim]") {
    const auto ids = tokens(120);
    Session plain(model260K());
    const std::vector<float> ref = plain.forward(ids, true);
    Session sim(model260K());
    sim.setSettings(SimSettings{});
    CHECK(sim.forward(ids, true) == ref);
    // Decode path too, after changing settings away and back (derived weights are dropped).
    sim.setSettings(settings({"kv.sharing=mqa", "moe.experts=4", "norm.type=layer"}));
    sim.forward(ids, true);
    sim.setSettings(SimSettings{});
    plain.reset();
    plain.forward(std::span<const int>(ids.data(), 10));
    sim.forward(std::span<const int>(ids.data(), 10));
    for (int t = 10; t < 40; ++t) {
        const std::vector<float> a = plain.forward(std::span<const int>(&ids[size_t(t)], 1));
        const std::vector<float>& b = sim.forward(std::span<const int>(&ids[size_t(t)], 1));
        REQUIRE(a == b);
    }
}

TEST_CASE("every knob changes the logits, and its neutral value does not", "[sim]") {
    const auto ids = tokens(80);
    const std::vector<float> ref = logits(SimSettings{}, ids);
    struct Case { std::vector<const char*> changed; std::vector<const char*> neutral; };
    const std::vector<Case> cases = {
        {{"norm.placement=post"}, {"norm.placement=pre"}},
        {{"norm.placement=sandwich"}, {}},
        {{"norm.placement=deepnorm"}, {}},
        {{"norm.type=layer"}, {"norm.type=rms"}},
        {{"norm.eps=0.1"}, {"norm.eps=1e-5"}},
        {{"ffn.act=gelu-erf"}, {"ffn.act=swish", "ffn.beta=1"}},
        {{"ffn.act=relu"}, {}},
        {{"pos=none"}, {"pos=rope"}},
        {{"pos=alibi"}, {}},
        {{"rope.base=100"}, {"rope.base=10000"}},
        {{"attn.scale=2"}, {"attn.scale=1"}},
        {{"attn.mask=bidirectional"}, {"attn.mask=prefix", "attn.prefix=1"}},
        {{"attn.sparse=window", "attn.window=8"}, {"attn.sparse=window", "attn.window=80"}},
        {{"attn.sparse=sinks", "attn.sinks=4", "attn.window=8"}, {"attn.sparse=sinks", "attn.sinks=0", "attn.window=80"}},
        {{"attn.sparse=strided", "attn.window=8", "attn.stride=8"}, {"attn.sparse=strided", "attn.window=80"}},
        {{"attn.sparse=dual-chunk", "attn.chunk=16"}, {"attn.sparse=dual-chunk", "attn.chunk=80"}},
        {{"attn.sparse=s2", "attn.group=16"}, {"attn.sparse=s2", "attn.group=160"}},
        {{"attn.kernel=linear"}, {}},
        {{"heads.ablate=0:3"}, {"heads.ablate=none"}},
        {{"heads.gate=2:1:-1"}, {}},
        {{"kv.sharing=mqa"}, {"kv.sharing=groups", "kv.groups=4"}},
        {{"kv.sharing=latent", "kv.rank=4"}, {}},
        {{"moe.experts=4", "moe.k=1"}, {"moe.experts=4", "moe.k=4"}},
    };
    for (const auto& cs : cases) {
        SimSettings changed;
        for (const char* kv : cs.changed) applySetting(changed, kv);
        const std::vector<float> lg = logits(changed, ids);
        INFO(describe(changed));
        for (float v : lg) REQUIRE(std::isfinite(v));
        const float d = maxAbsDiff(lg, ref);
        CHECK(d > 1e-3f);
        if (cs.neutral.empty()) continue;
        SimSettings neutral;
        for (const char* kv : cs.neutral) applySetting(neutral, kv);
        const float dn = maxAbsDiff(logits(neutral, ids), ref);
        std::printf("[sim] %-50s max |dlogit| %.3g; neutral (%s) %.3g\n", describe(changed).c_str(), d,
                    describe(neutral).c_str(), dn);
        INFO("neutral: " << describe(neutral));
        CHECK(dn < 1e-4f);
    }
}

TEST_CASE("a sliding window as long as the text is full attention", "[sim]") {
    const auto ids = tokens(100);
    const std::vector<float> ref = logits(SimSettings{}, ids);
    const float d = maxAbsDiff(logits(settings({"attn.sparse=window", "attn.window=100"}), ids), ref);
    const float d1 = maxAbsDiff(logits(settings({"attn.sparse=window", "attn.window=99"}), ids), ref);
    std::printf("[sim] window 100 over 100 tokens vs full: %.3g (tolerance 1e-5); window 99: %.3g\n", d, d1);
    CHECK(d < 1e-5f);
    CHECK(d1 > 1e-5f);  // one token less already changes the last position
}

TEST_CASE("the simulator runs past the trained context", "[sim]") {
    const auto ids = tokens(700);
    for (const char* m : {"linear", "ntk", "dynamic-ntk", "yarn", "llama3"}) {
        Session s(model260K());
        s.setSettings(settings({"rope.scaling=ntk", "rope.factor=2"}));
        SimSettings st;
        applySetting(st, std::string("rope.scaling=") + m);
        applySetting(st, "rope.factor=2");
        s.setSettings(st);
        const auto& lg = s.forward(ids);
        CHECK(s.position() == 700);
        for (float v : lg) REQUIRE(std::isfinite(v));
    }
}

TEST_CASE("perplexity with settings: defaults equal the plain protocol, a knob changes it", "[sim]") {
    const auto ids = tokens(1100);
    const PerplexityResult plain = computePerplexity(model260K(), ids, 256);
    const PerplexityResult sim = computePerplexity(model260K(), ids, 256, SimSettings{});
    CHECK(sim.ppl == plain.ppl);
    CHECK(sim.windows == 4);
    const PerplexityResult relu = computePerplexity(model260K(), ids, 256, settings({"ffn.act=relu"}));
    std::printf("[sim] ppl on synthetic ids: default %.3f, relu gate %.3f\n", plain.ppl, relu.ppl);
    CHECK(relu.ppl != plain.ppl);
}
