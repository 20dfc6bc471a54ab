// Head scores follow their definitions: a hand-made trace whose head 0 reads the previous token,
// head 1 the first token and head 2 the token after the earlier copy scores 1 on exactly its own
// behaviour; and on the real model the controller measures an induction score for every head.
#include <catch2/catch.hpp>

#include "plot/head_scores.h"
#include <QThread>

#include "widgets/widget_test_support.h"

using namespace anatomy::widgets;

namespace {

// One layer, three heads over BOS + r + r (n = 4): 9 positions, every query row traced.
anatomy::Trace patternedTrace(int n) {
    anatomy::Trace t;
    const int len = 1 + 2 * n;
    t.nQ = t.nKv = len;
    t.config.nHeads = 3;
    t.layers.resize(1);
    anatomy::FloatArray p({3, len, len}, 0.0f);
    for (int i = 0; i < len; ++i) {
        auto set = [&](int h, int k) { p.data[(static_cast<size_t>(h) * len + i) * len + k] = 1.0f; };
        set(0, std::max(0, i - 1));                      // previous token
        set(1, 0);                                       // first token
        set(2, i > n ? i - n + 1 : std::max(0, i - 1));  // induction on the second copy
    }
    t.layers[0].attnProbs = p;
    return t;
}

}  // namespace

TEST_CASE("head scores: each head scores 1 on its own behaviour", "[head-scores]") {
    const anatomy::Trace t = patternedTrace(4);
    const HeadScores s = headScores(t);
    REQUIRE(s.nLayers == 1);
    REQUIRE(s.nHeads == 3);
    CHECK(s.previousToken[0] == Approx(1.0));
    CHECK(s.firstToken[1] == Approx(1.0));
    CHECK(s.firstToken[0] == Approx(1.0 / 8));  // only query 1's previous token is the first
    CHECK(s.entropyBits[0] == Approx(0.0));     // one key per row
    const std::vector<float> ind = inductionScores(t, 4);
    REQUIRE(ind.size() == 3);
    CHECK(ind[2] == Approx(1.0));
    CHECK(ind[1] == Approx(0.0));
    CHECK(ind[0] < 0.5);
}

TEST_CASE("head scores: the induction sequence is BOS and the same random tokens twice", "[head-scores]") {
    const std::vector<int> ids = inductionTokens(1, 512, 32, 7);
    REQUIRE(ids.size() == 65);
    CHECK(ids[0] == 1);
    for (int i = 0; i < 32; ++i) {
        CHECK(ids[1 + i] == ids[33 + i]);
        CHECK(ids[1 + i] >= 3);
    }
    CHECK(inductionTokens(1, 512, 32, 7) == ids);  // seeded
}

TEST_CASE("head scores: the controller measures an induction score for every head", "[head-scores]") {
    widgetTestApp();
    TraceController c;
    c.setPrompt(QString::fromUtf8(kTestPrompt));
    loadStories(c);
    REQUIRE(c.waitForIdle(120000));
    std::vector<float> got;
    QObject::connect(&c, &TraceController::inductionScoresReady,
                     [&](const std::vector<float>& s, const anatomy::SimSettings&) { got = s; });
    REQUIRE(c.requestInductionScores() > 0);
    for (int i = 0; i < 600 && got.empty(); ++i) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(10);
    }
    REQUIRE(got.size() == 5 * 8);  // stories260K: 5 layers x 8 heads
    float best = 0.0f;
    for (float v : got) {
        CHECK(v >= 0.0f);
        CHECK(v <= 1.0f);
        best = std::max(best, v);
    }
    INFO("best induction score " << best);
    CHECK(best > 1.0f / 64);  // some head attends to the repeat more than a uniform head would
}

TEST_CASE("head scores: the mean entropy from the trace's row entropies equals -sum p log2 p", "[head-scores]") {
    widgetTestApp();
    const ViewInput& in = widgetTestInput();
    REQUIRE(in.trace);
    REQUIRE_FALSE(in.trace->attnEntropy.empty());
    const HeadScores s = headScores(*in.trace);
    // The same trace without its entropies: headScores falls back to the log of every key.
    anatomy::Trace bare = *in.trace;
    bare.attnEntropy = {};
    const HeadScores byKeys = headScores(bare);
    REQUIRE(s.entropyBits.size() == byKeys.entropyBits.size());
    double worst = 0.0;
    for (size_t i = 0; i < s.entropyBits.size(); ++i)
        worst = std::max(worst, double(std::abs(s.entropyBits[i] - byKeys.entropyBits[i])));
    INFO("largest |row entropies - per-key logs| mean entropy: " << worst << " bits");
    CHECK(worst < 1e-3);
    CHECK(s.firstToken == byKeys.firstToken);
    CHECK(s.previousToken == byKeys.previousToken);
}
