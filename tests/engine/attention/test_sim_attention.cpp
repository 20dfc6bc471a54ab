// Attention masks, sparse patterns, score scale, linear attention and head interventions.
#include <catch2/catch.hpp>

#include <cmath>

#include "anatomy/attention_visibility.h"
#include "attention/attention_mask.h"
#include "attention/head_intervention.h"
#include "attention/linear_attention.h"
#include "engine/sim_test_util.h"

using namespace anatomy;
using namespace simtest;

namespace {
std::vector<int> visibleKeys(const SimSettings& s, int h, int i, int nKv) {
    std::vector<int> v;
    for (int j = 0; j < nKv; ++j)
        if (attentionVisible(s, 8, h, i, j, nKv)) v.push_back(j);
    return v;
}
}  // namespace

TEST_CASE("masks and sparse patterns select the keys of their definition", "[sim]") {
    using V = std::vector<int>;
    CHECK(visibleKeys(SimSettings{}, 0, 3, 8) == V{0, 1, 2, 3});
    CHECK(visibleKeys(settings({"attn.mask=bidirectional"}), 0, 3, 5) == V{0, 1, 2, 3, 4});
    const auto prefix = settings({"attn.mask=prefix", "attn.prefix=3"});
    CHECK(visibleKeys(prefix, 0, 1, 6) == V{0, 1, 2});     // inside the prefix: all of it
    CHECK(visibleKeys(prefix, 0, 4, 6) == V{0, 1, 2, 3, 4});  // after it: causal
    CHECK(visibleKeys(settings({"attn.sparse=window", "attn.window=3"}), 0, 5, 8) == V{3, 4, 5});
    CHECK(visibleKeys(settings({"attn.sparse=sinks", "attn.sinks=2", "attn.window=2"}), 0, 6, 8) == V{0, 1, 5, 6});
    CHECK(visibleKeys(settings({"attn.sparse=strided", "attn.window=2", "attn.stride=3"}), 0, 7, 8) == V{1, 4, 6, 7});
    const auto s2 = settings({"attn.sparse=s2", "attn.group=4"});
    CHECK(visibleKeys(s2, 0, 5, 8) == V{4, 5});        // groups [0,4) [4,8)
    CHECK(visibleKeys(s2, 7, 5, 8) == V{2, 3, 4, 5});  // shifted by 2: groups [-2,2) [2,6)
    // Dual chunk (chunk 4, trained context 10): intra keeps i - j, successive maps the query to
    // i mod c + c, inter to L - 1; key positions restart per chunk.
    CHECK(dualChunkDistance(6, 5, 4, 10) == 1);
    CHECK(dualChunkDistance(5, 2, 4, 10) == 3);
    CHECK(dualChunkDistance(9, 1, 4, 10) == 8);
    CHECK(dualChunkDistance(100, 1, 4, 10) == 8);  // never more than L - 1
}

TEST_CASE("the trace shows the pattern and the per-head entropy", "[sim]") {
    const auto ids = tokens(16);
    auto tr = traceTokens(model260K(), ids, CaptureSpec::everything(),
                          settings({"attn.sparse=sinks", "attn.sinks=1", "attn.window=4"}));
    const auto& P = tr->layers[3].attnProbs;
    for (int h = 0; h < 8; ++h)
        for (int q = 0; q < 16; ++q) {
            double sum = 0;
            for (int k = 0; k < 16; ++k) {
                const bool visible = k <= q && (k == 0 || q - k < 4);
                if (!visible) CHECK(P.at({h, q, k}) == 0.0f);
                sum += P.at({h, q, k});
            }
            CHECK(sum == Approx(1.0).epsilon(1e-5));
        }
    REQUIRE(tr->attnEntropy.shape == std::vector<int64_t>{5, 8, 16});
    // attn.scale = 0 makes every score 0: a uniform softmax, entropy ln(visible keys).
    auto flat = traceTokens(model260K(), ids, CaptureSpec::everything(), settings({"attn.scale=0"}));
    for (int q = 0; q < 16; ++q) CHECK(flat->attnEntropy.at({2, 6, q}) == Approx(std::log(q + 1.0)).margin(1e-5));
    auto bi = traceTokens(model260K(), ids, CaptureSpec::everything(),
                          settings({"attn.scale=0", "attn.mask=bidirectional"}));
    for (int q = 0; q < 16; ++q) CHECK(bi->attnEntropy.at({0, 0, q}) == Approx(std::log(16.0)).margin(1e-5));
    // A larger scale sharpens: lower mean entropy than the model's.
    auto base = traceTokens(model260K(), ids, CaptureSpec::everything());
    auto sharp = traceTokens(model260K(), ids, CaptureSpec::everything(), settings({"attn.scale=3"}));
    double hb = 0, hs = 0;
    for (size_t i = 0; i < base->attnEntropy.data.size(); ++i) {
        hb += base->attnEntropy.data[i];
        hs += sharp->attnEntropy.data[i];
    }
    CHECK(hs < hb);
}

TEST_CASE("bidirectional attention lets the first token see the future", "[sim]") {
    const auto ids = tokens(10);
    const auto ref = logits(SimSettings{}, ids);
    const auto bi = logits(settings({"attn.mask=bidirectional"}), ids);
    // Row 0 depends on tokens 1..9 now; under the causal mask it cannot.
    float d0 = 0;
    for (int i = 0; i < 512; ++i) d0 = std::max(d0, std::fabs(bi[size_t(i)] - ref[size_t(i)]));
    CHECK(d0 > 1e-3f);
}

TEST_CASE("dual chunk attention with a chunk as long as the text is full attention", "[sim]") {
    const auto ids = tokens(60);
    const auto ref = logits(SimSettings{}, ids);
    CHECK(maxAbsDiff(logits(settings({"attn.sparse=dual-chunk", "attn.chunk=60"}), ids), ref) < 1e-5f);
    // Prefill and decode agree under remapping too.
    const auto s = settings({"attn.sparse=dual-chunk", "attn.chunk=16"});
    const auto all = logits(s, ids);
    Session step(model260K());
    step.setSettings(s);
    float d = 0;
    for (size_t t = 0; t < ids.size(); ++t) {
        const auto& row = step.forward(std::span<const int>(&ids[t], 1));
        for (int i = 0; i < 512; ++i) d = std::max(d, std::fabs(row[size_t(i)] - all[t * 512 + size_t(i)]));
    }
    CHECK(d < 1e-4f);
}

TEST_CASE("linear attention of a hand-computed two-token head", "[sim]") {
    // d = 2. φ(x) = elu(x) + 1: φ(0) = 1, φ(1) = 2, φ(-1) = e^-1.
    const float q[4] = {0, 0, 1, -1};      // [2 tokens, 2]
    const float k[4] = {1, 0, 0, -1};
    const float v[4] = {2, 4, 6, 8};
    float out[4];
    linearAttentionHead(q, 2, k, v, 2, 0, 2, 2, out, 2);
    // token 0: φ(q0) = (1,1), φ(k0) = (2,1): weight only on v0 -> v0
    CHECK(out[0] == Approx(2.0f));
    CHECK(out[1] == Approx(4.0f));
    // token 1: φ(q1) = (2, e^-1); φ(k1) = (1, e^-1)
    const float e = std::exp(-1.0f);
    const float w0 = 2 * 2 + e * 1, w1 = 2 * 1 + e * e;
    CHECK(out[2] == Approx((w0 * 2 + w1 * 6) / (w0 + w1)));
    CHECK(out[3] == Approx((w0 * 4 + w1 * 8) / (w0 + w1)));
    // O(N d²) against O(N² d): at N = 512, d = 8 linear attention does 57x fewer operations.
    CHECK(softmaxAttentionFlops(512, 8) == 4LL * 512 * 512 * 8);
    CHECK(linearAttentionFlops(512, 8) == 4LL * 512 * 64 + 4LL * 512 * 8);
    CHECK(softmaxAttentionFlops(512, 8) / linearAttentionFlops(512, 8) == 56);
    // In the model: the implied weights are a distribution over the past.
    auto tr = traceTokens(model260K(), tokens(12), CaptureSpec::everything(), settings({"attn.kernel=linear"}));
    double sum = 0;
    for (int j = 0; j < 12; ++j) sum += tr->layers[0].attnProbs.at({2, 7, j});
    CHECK(sum == Approx(1.0).epsilon(1e-5));
    CHECK(tr->layers[0].attnProbs.at({2, 7, 8}) == 0.0f);
}

TEST_CASE("head interventions: zero, causal mean and sigmoid gate", "[sim]") {
    // 2 tokens, 2 heads of size 2: [t][h][i]
    std::vector<float> att = {1, 2, 3, 4, 5, 6, 7, 8};
    std::vector<float> history;
    const std::vector<HeadIntervention> heads = {{HeadIntervention::Kind::Zero, 0, 0, 0},
                                                 {HeadIntervention::Kind::Mean, 0, 1, 0}};
    applyHeadInterventions(heads, 0, att.data(), history, 0, 2, 2, 2);
    CHECK(att == std::vector<float>{0, 0, 3, 4, 0, 0, 5, 6});  // head 1 at t=1: mean of (3,4), (7,8)
    std::vector<float> att2 = {1, 2, 3, 4};
    applyHeadInterventions({{HeadIntervention::Kind::Gate, 0, 1, 0.0f}}, 0, att2.data(), history, 0, 1, 2, 2);
    CHECK(att2 == std::vector<float>{1, 2, 1.5f, 2});  // σ(0) = 1/2
    // In the model: a closed gate is zero ablation, mean ablation leaves position 0 alone.
    const auto ids = tokens(30);
    const auto zero = logits(settings({"heads.ablate=1:3"}), ids);
    CHECK(logits(settings({"heads.gate=1:3:-inf"}), ids) == zero);
    const auto ref = logits(SimSettings{}, ids);
    const auto mean = logits(settings({"heads.ablate=1:3:mean"}), ids);
    CHECK(std::equal(mean.begin(), mean.begin() + 512, ref.begin()));
    CHECK(maxAbsDiff(mean, ref) > 1e-4f);
    // Mean ablation is causal: prefill equals decoding one token at a time.
    Session step(model260K());
    step.setSettings(settings({"heads.ablate=1:3:mean"}));
    float d = 0;
    for (size_t t = 0; t < ids.size(); ++t) {
        const auto& row = step.forward(std::span<const int>(&ids[t], 1));
        for (int i = 0; i < 512; ++i) d = std::max(d, std::fabs(row[size_t(i)] - mean[t * 512 + size_t(i)]));
    }
    CHECK(d < 1e-4f);
}

TEST_CASE("AttentionVisibility built once gives attentionKeyVisible's answer for every cell", "[sim][attention]") {
    for (const SimSettings& s : std::vector<SimSettings>{
             SimSettings{}, settings({"attn.mask=bidirectional"}), settings({"attn.mask=prefix", "attn.prefix=5"}),
             settings({"attn.sparse=window", "attn.window=3"}),
             settings({"attn.sparse=sinks", "attn.sinks=2", "attn.window=4"}),
             settings({"attn.sparse=strided", "attn.window=2", "attn.stride=3"}),
             settings({"attn.sparse=s2", "attn.group=4"}), settings({"attn.sparse=dual-chunk"})}) {
        const AttentionVisibility seen(s, 8);
        std::vector<unsigned char> row(12);
        int differ = 0;
        for (int h = 0; h < 8; ++h)
            for (int i = 0; i < 12; ++i) {
                seen.row(h, i, 12, row.data());
                for (int j = -1; j <= 12; ++j) {
                    const bool want = attentionKeyVisible(s, 8, h, i, j, 12);
                    if (seen(h, i, j, 12) != want) ++differ;
                    if (j >= 0 && j < 12 && (row[size_t(j)] != 0) != want) ++differ;
                }
            }
        INFO(describe(s));
        CHECK(differ == 0);
    }
}
