// Capture on demand: a trace that keeps only some layers' attention maps whole (CaptureSpec::
// wholeLayers) keeps those layers exactly as a full trace does, and for every other layer the
// summaries the head grid and the head metrics read, equal to what the full maps give.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "anatomy/attention_visibility.h"
#include "anatomy/error.h"
#include "anatomy/model_registry.h"
#include "anatomy/session.h"
#include "anatomy/trace_budget.h"
#include "test_paths.h"

using namespace anatomy;
using Catch::Matchers::Contains;

namespace {

template <class A, class B>
bool sameBits(const A& a, const B& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

// The head grid's pooling of a whole map, cell visibility from the views' mask rule.
std::vector<float> pooled(const Trace& t, int layer, bool scores, int th, int tw) {
    const FloatArray& src = scores ? t.layers[size_t(layer)].attnScores : t.layers[size_t(layer)].attnProbs;
    const int H = int(src.dim(0)), nQ = int(src.dim(1)), nKv = int(src.dim(2));
    const AttentionVisibility seen(visibilitySettings(t, layer), H);
    std::vector<float> out(size_t(H) * th * tw, -std::numeric_limits<float>::infinity());
    for (int h = 0; h < H; ++h)
        for (int y = 0; y < th; ++y)
            for (int q = y * nQ / th; q < std::max(y * nQ / th + 1, (y + 1) * nQ / th); ++q)
                for (int x = 0; x < tw; ++x)
                    for (int k = x * nKv / tw; k < (x + 1) * nKv / tw; ++k)
                        if (seen(h, t.firstQueryPos + q, k, nKv)) {
                            float& o = out[(size_t(h) * th + y) * tw + x];
                            o = std::max(o, src.at({h, q, k}));
                        }
    return out;
}

}  // namespace

TEST_CASE("capture: a layer kept whole equals the full trace's and the others keep its summaries", "[trace][capture]") {
    const std::shared_ptr<const Model> model = openModel(modelPath("stories260K.bin"));
    const ModelConfig& c = model->config;
    std::mt19937 rng(5);
    std::uniform_int_distribution<int> pick(3, c.vocabSize - 1);
    std::vector<int> tokens(97);  // 97 rows into 64 thumbnail rows: blocks of one and two
    tokens[0] = 1;
    for (size_t i = 1; i < tokens.size(); ++i) tokens[i] = pick(rng);
    SimSettings causal, window, linear, bidirectional;
    window.sparse = SparsePattern::SlidingWindow;
    window.window = 16;
    linear.kernel = AttentionKernel::Linear;
    bidirectional.mask = AttentionMask::Bidirectional;
    int checkedCells = 0;
    for (const SimSettings* s : {&causal, &window, &linear, &bidirectional}) {
        INFO("mask " << int(s->mask) << ", kernel " << int(s->kernel) << ", sparse " << int(s->sparse));
        const CaptureSpec all = CaptureSpec::everything();
        CaptureSpec some = all;
        some.wholeLayers = {3, 1, 3};  // unsorted, repeated: resolved to {1, 3}
        const auto full = traceTokens(model, tokens, all, *s);
        const auto part = traceTokens(model, tokens, some, *s);
        REQUIRE(part->spec.wholeLayers == std::vector<int>{1, 3});
        REQUIRE(full->spec.wholeLayers.empty());
        CHECK(sameBits(full->attnEntropy.data, part->attnEntropy.data));
        CHECK(sameBits(full->attnFirstKey.data, part->attnFirstKey.data));
        CHECK(sameBits(full->attnPrevKey.data, part->attnPrevKey.data));
        CHECK(sameBits(full->logits.data, part->logits.data));
        CHECK(full->attnThumbProbs.empty());  // nothing to summarise in a full trace
        const int th = int(part->attnThumbProbs.dim(2)), tw = int(part->attnThumbProbs.dim(3));
        CHECK(th == 64);
        CHECK(tw == 64);
        for (int l = 0; l < c.nLayers; ++l) {
            INFO("layer " << l);
            const LayerTrace &a = full->layers[size_t(l)], &b = part->layers[size_t(l)];
            // First-key and previous-key mass are the full maps' own entries.
            for (int h = 0; h < c.nHeads; ++h)
                for (int q = 0; q < full->nQ; ++q) {
                    const size_t at = (size_t(l) * c.nHeads + h) * full->nQ + q;
                    REQUIRE(full->attnFirstKey.data[at] == a.attnProbs.at({h, q, 0}));
                    REQUIRE(full->attnPrevKey.data[at] == (q >= 1 ? a.attnProbs.at({h, q, q - 1}) : 0.0f));
                }
            if (l == 1 || l == 3) {
                CHECK(part->hasWholeAttention(l));
                CHECK(sameBits(a.attnProbs.data, b.attnProbs.data));
                CHECK(sameBits(a.attnScores.data, b.attnScores.data));
                CHECK(sameBits(a.q.data, b.q.data));
                CHECK(sameBits(a.k.data, b.k.data));
                CHECK(sameBits(a.v.data, b.v.data));
                continue;
            }
            CHECK_FALSE(part->hasWholeAttention(l));
            CHECK(b.attnProbs.empty());
            CHECK(b.attnScores.empty());
            CHECK(b.q.empty());
            // The thumbnails are the full maps pooled over the cells the mask showed.
            const size_t per = size_t(c.nHeads) * th * tw;
            const std::vector<float> tp(part->attnThumbProbs.data.begin() + long(l * per),
                                        part->attnThumbProbs.data.begin() + long((l + 1) * per));
            CHECK(sameBits(tp, pooled(*full, l, false, th, tw)));
            if (s->kernel != AttentionKernel::Linear) {  // linear attention has no scores
                const std::vector<float> ts(part->attnThumbScores.data.begin() + long(l * per),
                                            part->attnThumbScores.data.begin() + long((l + 1) * per));
                CHECK(sameBits(ts, pooled(*full, l, true, th, tw)));
            }
            checkedCells += int(per);
        }
    }
    CHECK(checkedCells > 0);
}

TEST_CASE("capture: the layers a spec keeps whole, resolved against the model", "[trace][capture][hardening]") {
    ModelConfig c;
    c.dim = 64;
    c.nLayers = 5;
    c.nHeads = 8;
    c.nKvHeads = 4;
    c.vocabSize = 512;
    CaptureSpec s;
    s.wholeLayers = {4, 0, 4};
    CHECK(s.resolvedFor(c, 100, 100).wholeLayers == std::vector<int>{0, 4});
    s.wholeLayers = {0, 1, 2, 3, 4};  // every layer: the same as none named
    CHECK(s.resolvedFor(c, 100, 100).wholeLayers.empty());
    s.wholeLayers = {2};
    s.wholeUnderBytes = 8LL * 5 * 8 * 100 * 100;  // exactly what every layer's maps take
    CHECK(s.resolvedFor(c, 100, 100).wholeLayers.empty());
    CHECK(s.resolvedFor(c, 101, 101).wholeLayers == std::vector<int>{2});
    s.wholeLayers = {5};
    CHECK_THROWS_WITH(s.resolvedFor(c, 10, 10), Contains("layer 5 is not a layer of this model") && Contains("0-4"));
    s.wholeLayers = {-1};
    CHECK_THROWS_AS(s.resolvedFor(c, 10, 10), Error);
}

TEST_CASE("capture: a 1B model's 512-token trace of one whole layer fits where every layer would not", "[trace][budget]") {
    ModelConfig c;  // TinyLlama 1.1B
    c.dim = 2048;
    c.hiddenDim = 5632;
    c.nLayers = 22;
    c.nHeads = 32;
    c.nKvHeads = 4;
    c.vocabSize = 32000;
    c.seqLen = 2048;
    CaptureSpec all = CaptureSpec::everything();
    CaptureSpec one = all;
    one.wholeLayers = {7};
    const TraceBytes a = traceBytes(c, 512, all), b = traceBytes(c, 512, one);
    CHECK(a.attention > 1'400'000'000LL);  // 22 layers x 32 heads x 512² x (scores + probabilities)
    CHECK(b.attention < 100'000'000LL);    // one layer's maps, every layer's summaries
    CHECK(b.qk * 22 == a.qk);
}
