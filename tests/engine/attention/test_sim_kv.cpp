// KV sharing (GQA / MQA / MHA / pooled groups / MLA-style latent) and the KV-cache calculator.
#include <catch2/catch.hpp>

#include "anatomy/kv_cache_calculator.h"
#include "attention/kv_sharing.h"
#include "engine/sim_test_util.h"

using namespace anatomy;
using namespace simtest;

TEST_CASE("pooling into the model's own 4 groups, or duplicating into MHA, is the model", "[sim]") {
    const auto ids = tokens(70);
    const auto ref = logits(SimSettings{}, ids);
    CHECK(logits(settings({"kv.sharing=groups", "kv.groups=4"}), ids) == ref);
    const float dMha = maxAbsDiff(logits(settings({"kv.sharing=mha"}), ids), ref);
    std::printf("[sim] MHA by duplication vs GQA: max |dlogit| %.3g\n", dMha);
    CHECK(dMha < 1e-5f);
    Session s(model260K());
    s.setSettings(settings({"kv.sharing=mha"}));
    CHECK(s.kvHeads() == 8);
    s.setSettings(settings({"kv.sharing=mqa"}));
    CHECK(s.kvHeads() == 1);
    s.setSettings(settings({"kv.sharing=groups", "kv.groups=2"}));
    CHECK(s.kvHeads() == 2);
    CHECK(model260K()->config.nKvHeads == 4);  // the loaded model is untouched
}

TEST_CASE("MQA's key is the mean of the model's four keys", "[sim]") {
    const auto ids = tokens(6);
    auto ref = traceTokens(model260K(), ids, CaptureSpec::everything());
    auto mqa = traceTokens(model260K(), ids, CaptureSpec::everything(), settings({"kv.sharing=mqa"}));
    REQUIRE(mqa->config.nKvHeads == 1);
    REQUIRE(mqa->layers[0].k.shape == std::vector<int64_t>{1, 6, 8});
    // Layer 0 reads the same input either way, and RoPE is linear: pooled weights = pooled keys.
    for (int j = 0; j < 6; ++j)
        for (int i = 0; i < 8; ++i) {
            float mean = 0;
            for (int h = 0; h < 4; ++h) mean += ref->layers[0].k.at({h, j, i});
            CHECK(mqa->layers[0].k.at({0, j, i}) == Approx(mean / 4).margin(1e-5));
        }
}

TEST_CASE("the latent KV at full rank reproduces the model, lower ranks drift further", "[sim]") {
    const auto ids = tokens(60);
    const auto ref = logits(SimSettings{}, ids);
    const float full = maxAbsDiff(logits(settings({"kv.sharing=latent", "kv.rank=64"}), ids), ref);
    const float r16 = maxAbsDiff(logits(settings({"kv.sharing=latent", "kv.rank=16"}), ids), ref);
    const float r2 = maxAbsDiff(logits(settings({"kv.sharing=latent", "kv.rank=2"}), ids), ref);
    std::printf("[sim] latent KV: rank 64 %.3g (tolerance 1e-4), rank 16 %.3g, rank 2 %.3g\n", full, r16, r2);
    CHECK(full < 1e-4f);
    CHECK(r2 > r16);
    CHECK(r16 > full);
    // The rank-r weights have rank r: singular values beyond r vanish.
    SimSettings s = settings({"kv.sharing=latent", "kv.rank=3"});
    auto kv = buildKvWeights(*model260K(), s);
    REQUIRE(kv);
    CHECK(kv->latentRank == 3);
    CHECK(kv->nKvHeads == 4);
}

TEST_CASE("KV cache bytes per token for this model and published ones", "[sim]") {
    CHECK(kvBytesPerToken(32, 32, 128, 2) == 524288);            // Llama-2-7B: 512 KiB per token
    CHECK(kvBytesPerToken(80, 8, 128, 2) == 327680);             // Llama-2-70B, GQA 8
    CHECK(kvBytesPerToken(32, 8, 128, 2) == 131072);             // Mistral-7B
    CHECK(mlaBytesPerToken(60, 512, 64, 2) == 69120);            // DeepSeek-V2, MLA
    const auto rows = kvCacheTable(publishedKvConfigs(), 4096, 0);
    auto find = [&](const std::string& model, const std::string& prefix) -> const KvCacheRow* {
        for (const auto& r : rows)
            if (r.model == model && r.variant.rfind(prefix, 0) == 0) return &r;
        return nullptr;
    };
    REQUIRE(find("Llama-2-7B", "MHA"));
    CHECK(find("Llama-2-7B", "MHA")->published);
    CHECK(find("Llama-2-7B", "MHA")->bytesAtContext == 2LL * 1024 * 1024 * 1024);  // 2 GiB at 4096
    REQUIRE(find("Llama-2-70B", "GQA"));
    CHECK(find("Llama-2-70B", "GQA")->published);
    CHECK(find("Llama-2-70B", "MQA")->bytesPerToken == 40960);
    REQUIRE(find("DeepSeek-V2", "MLA r=512"));
    CHECK(find("DeepSeek-V2", "MLA r=512")->published);
    // This model in fp32: 2 · 5 layers · 4 kv heads · 8 · 4 bytes = 1280 B per token.
    const auto mine = kvCacheTable({kvConfigOf(model260K()->config, "stories260K")}, 512, 16);
    REQUIRE(mine.size() == 4);  // MHA, GQA, MQA, MLA r=16
    CHECK(mine[0].bytesPerToken == 2560);
    CHECK(mine[1].bytesPerToken == 1280);
    CHECK(mine[1].published);
    CHECK(mine[2].bytesPerToken == 320);
    CHECK(mine[3].bytesPerToken == 5 * 16 * 4);
    CHECK(mine[1].bytesAtContext == 1280 * 512);
}
