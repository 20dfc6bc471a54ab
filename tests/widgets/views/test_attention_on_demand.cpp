// Capture on demand in the app: a trace that keeps one layer's maps whole (a large model's, or a
// long prompt's) still fills the head grid and the head metrics for every layer from its
// summaries, says so where the selected layer is not yet traced, and another selected layer is
// traced on demand.
#include <catch2/catch.hpp>

#include <QLabel>
#include <QThread>
#include <cmath>

#include "anatomy/session.h"
#include "controller/window_logic.h"
#include "plot/head_scores.h"
#include "plot/qcustomplot_include.h"
#include "plot/attention_steps.h"
#include "views/attention_view.h"
#include "views/rope_view.h"
#include "widgets/widget_test_support.h"

using namespace anatomy::widgets;

namespace {

// stories260K over kTestPrompt (under 64 tokens: the summaries' thumbnails are not pooled, so
// they must equal the whole maps' pixel for pixel), every layer whole or only `whole`.
std::shared_ptr<const anatomy::Trace> traceKeeping(std::vector<int> whole) {
    const ViewInput& in = widgetTestInput();
    anatomy::CaptureSpec spec = anatomy::CaptureSpec::everything();
    spec.wholeLayers = std::move(whole);
    return anatomy::traceTokens(in.model, in.trace->tokens, spec, in.tokenizer.get());
}

bool sameImage(const QImage& a, const QImage& b) {
    return !a.isNull() && a.size() == b.size() && a.convertToFormat(QImage::Format_RGB32) == b.convertToFormat(QImage::Format_RGB32);
}

}  // namespace

TEST_CASE("on demand: a layer kept as summaries draws the same thumbnails and scores as its whole maps", "[widgets][capture]") {
    widgetTestApp();
    const auto full = traceKeeping({});
    const auto part = traceKeeping({1});
    REQUIRE(part->spec.wholeLayers == std::vector<int>{1});
    REQUIRE(full->nQ < anatomy::kAttentionThumbSize);
    const int L = int(full->layers.size()), H = full->config.nHeads;
    REQUIRE(tracedHeads(*part) == H);
    int compared = 0;
    for (AttentionMode mode : {AttentionMode::Probabilities, AttentionMode::LogProbabilities, AttentionMode::Scores})
        for (int l = 0; l < L; ++l)
            for (int h = 0; h < H; ++h) {
                INFO("mode " << int(mode) << ", layer " << l << ", head " << h);
                QCPColorGradient g1 = attentionGradient(), g2 = attentionGradient();
                REQUIRE(sameImage(headThumbnail(*full, l, h, mode, g1), headThumbnail(*part, l, h, mode, g2)));
                ++compared;
            }
    CHECK(compared == 3 * L * H);
    // B − A has no summary to subtract: an empty thumbnail, not a wrong one.
    QCPColorGradient g = attentionGradient();
    CHECK(headThumbnail(*part, 0, 0, AttentionMode::Difference, g).isNull());
    // Head metrics over every layer, and the per-head readout of a summary layer.
    const HeadScores a = headScores(*full), b = headScores(*part);
    CHECK(a.firstToken == b.firstToken);
    CHECK(a.previousToken == b.previousToken);
    CHECK(a.entropyBits == b.entropyBits);
    const int row = full->nQ - 1;
    const HeadStats s = headStats(*full, 3, 2, row), t = headStats(*part, 3, 2, row);
    CHECK(t.entropyBits == Approx(s.entropyBits).margin(1e-3));
    CHECK(t.sinkMass == Approx(s.sinkMass).margin(1e-6));
    CHECK(t.meanEntropyBits == Approx(s.meanEntropyBits).margin(1e-3));
    CHECK(t.meanSinkMass == Approx(s.meanSinkMass).margin(1e-6));
}

TEST_CASE("on demand: the attention view says when the selected layer's maps are still being traced", "[widgets][capture]") {
    widgetTestApp();
    ViewInput in = widgetTestInput();
    in.trace = traceKeeping({1});
    AttentionView view;
    view.resize(1000, 600);
    view.setInput(in);
    auto titleText = [&] {
        QString all;
        for (const QLabel* l : view.findChildren<QLabel*>()) all += l->text();
        return all;
    };
    view.setSelection(Selection{-1, 1, 0});
    CHECK_FALSE(titleText().contains(QStringLiteral("tracing")));
    CHECK(titleText().contains(QStringLiteral("Layer 1")));
    view.setSelection(Selection{-1, 3, 0});
    CHECK(titleText().contains(QStringLiteral("tracing this layer's attention maps")));
    // The Steps and RoPE views on a layer whose q, k and v are still to come say so too.
    CHECK(attentionSteps(*in.trace, Selection{-1, 1, 0}).valid);
    CHECK(std::string(attentionSteps(*in.trace, Selection{-1, 3, 0}).message).find("Tracing this layer") == 0);
    CHECK(ropePlotData(*in.trace, Selection{-1, 3, 0}, RopeKey::First, 8, {}).message.startsWith(QStringLiteral("Tracing this layer")));
    // B − A against a pinned trace that kept another layer whole says why there is no map.
    ViewInput whole = in;
    whole.trace = traceKeeping({});
    view.setInput(whole);
    view.setReference(in.trace);
    view.setMode(AttentionMode::Difference);
    CHECK(titleText().contains(QStringLiteral("kept layer 3 as thumbnails only")));
    view.setSelection(Selection{-1, 1, 0});
    CHECK_FALSE(titleText().contains(QStringLiteral("thumbnails only")));
}

TEST_CASE("on demand: selecting another layer traces its maps, once", "[widgets][capture]") {
    widgetTestApp();
    TraceController c;
    c.setPrompt(QString::fromUtf8(kTestPrompt));
    anatomy::CaptureSpec spec = captureSpecFor({QStringLiteral("attention"), QStringLiteral("steps")}, 1);
    spec.wholeUnderBytes = 0;  // as a model whose every layer would not fit
    c.setCaptureSpec(spec);
    loadStories(c);
    REQUIRE(c.waitForIdle(120000));
    const auto first = c.currentInput().trace;
    REQUIRE(first);
    CHECK(first->hasWholeAttention(1));
    CHECK_FALSE(first->hasWholeAttention(3));
    CHECK(first->layers[1].q.dim(0) == first->config.nHeads);  // the Steps and RoPE views' q and k
    CHECK(first->layers[3].q.empty());
    spec.wholeLayers = {3};
    c.setCaptureSpec(spec);
    REQUIRE(c.waitForIdle(120000));
    const auto second = c.currentInput().trace;
    REQUIRE(second != first);
    CHECK(second->tokens == first->tokens);
    CHECK(second->hasWholeAttention(3));
    CHECK_FALSE(second->hasWholeAttention(1));
    c.setCaptureSpec(spec);  // already there: nothing to trace
    REQUIRE(c.waitForIdle(120000));
    CHECK(c.currentInput().trace == second);
}

TEST_CASE("on demand: a selected layer the new model lacks traces its last layer, not an error", "[widgets][capture]") {
    widgetTestApp();
    TraceController c;
    QString failure;
    QObject::connect(&c, &TraceController::traceFailed, [&](const QString& m) { failure = m; });
    c.setPrompt(QString::fromUtf8(kTestPrompt));
    anatomy::CaptureSpec spec = captureSpecFor({QStringLiteral("attention")}, 21);  // a 1B model's layer 21
    spec.wholeUnderBytes = 0;
    c.setCaptureSpec(spec);
    loadStories(c);  // 5 layers
    REQUIRE(c.waitForIdle(120000));
    INFO(failure.toStdString());
    CHECK(failure.isEmpty());
    REQUIRE(c.currentInput().trace);
    CHECK(c.currentInput().trace->hasWholeAttention(4));
}

TEST_CASE("on demand: the window's capture spec keeps every layer while the maps fit", "[widgets][capture]") {
    const anatomy::CaptureSpec spec = captureSpecFor({QStringLiteral("attention")}, 2);
    anatomy::ModelConfig small;  // stories260K
    small.nLayers = 5;
    small.nHeads = 8;
    anatomy::ModelConfig large = small;  // TinyLlama 1.1B
    large.nLayers = 22;
    large.nHeads = 32;
    CHECK(spec.resolvedFor(small, 512, 512).wholeLayers.empty());
    CHECK(spec.resolvedFor(small, 2300, 2300).wholeLayers == std::vector<int>{2});
    CHECK(spec.resolvedFor(large, 128, 128).wholeLayers.empty());
    CHECK(spec.resolvedFor(large, 512, 512).wholeLayers == std::vector<int>{2});
}
