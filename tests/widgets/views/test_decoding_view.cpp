// The Decoding view: its labs run on the DecodingController off the GUI thread and show what the
// engine's decoding functions (the ones anatomy-cli decode calls) return.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>
#include <vector>

#include <QFontMetricsF>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>

#include "anatomy/decoding.h"
#include "anatomy/session.h"
#include "controller/decoding_controller.h"
#include "views/beam_tree.h"
#include "views/decoding_view.h"
#include "widgets/widget_test_support.h"

using namespace anatomy::widgets;

namespace {

struct Lab {
    TraceController trace;
    DecodingController decoding;
    DecodingView view;
    Lab() {
        trace.setPrompt(QStringLiteral("there was a girl named"));
        loadStories(trace);
        trace.waitForIdle(120000);
        decoding.setSource(trace.model(), trace.tokenizer(), trace.simSettings());
        view.setController(&decoding);
        view.findChild<QSpinBox*>(QStringLiteral("decodingMaxNew"))->setValue(12);
        view.setInput(trace.currentInput());
    }
};

// Beam search of width 2 over three tokens (0 = a, 1 = b, 2 = often a stop): the first step
// prefers a and b, every later one token 2; two pruned extensions a step are recorded.
anatomy::BeamResult smallBeamSearch(std::vector<int> stopTokens) {
    auto lp = [](std::vector<double> p) {
        for (double& v : p) v = std::log(v);
        return p;
    };
    anatomy::FunctionLogProbs src(3, [&](std::span<const int> g) {
        if (g.empty()) return lp({0.5, 0.3, 0.2});
        return lp({0.05, 0.05, 0.9});
    });
    anatomy::BeamOptions o;
    o.width = 2;
    o.maxNewTokens = 4;
    o.stopTokens = std::move(stopTokens);
    o.recordPruned = 2;
    return anatomy::beamSearch(src, o);
}

}  // namespace

TEST_CASE("decoding view: each Step press computes exactly one beam step, Pause stops, Play goes on to the end",
          "[decoding-gui]") {
    widgetTestApp();
    Lab lab;
    REQUIRE(lab.trace.hasModel());
    lab.view.findChild<QSpinBox*>(QStringLiteral("beamWidth"))->setValue(3);
    auto* stepButton = lab.view.findChild<QPushButton*>(QStringLiteral("beamStep"));
    auto* tree = lab.view.findChild<BeamTreeWidget*>();
    REQUIRE(tree);
    auto maxStepDrawn = [&] {
        int m = 0;
        for (const BeamTreeBox& b : tree->layout().boxes) m = std::max(m, lab.view.beamRun().result.nodes[size_t(b.node)].step);
        return m;
    };
    // Step on a fresh view: a new search, one step, nothing computed ahead.
    const long long computed0 = lab.decoding.beamStepsComputed();
    for (int press = 1; press <= 3; ++press) {
        stepButton->click();
        REQUIRE(lab.decoding.waitForIdle(60000));
        CHECK(lab.view.beamRun().result.steps == press);
        CHECK(lab.decoding.beamStepsComputed() - computed0 == press);
        CHECK(maxStepDrawn() == press);
        CHECK_FALSE(lab.view.beamRun().result.done);
    }
    // Two presses before the first step has arrived are two steps.
    stepButton->click();
    stepButton->click();
    REQUIRE(lab.decoding.waitForIdle(60000));
    CHECK(lab.view.beamRun().result.steps == 5);
    CHECK(lab.decoding.beamStepsComputed() - computed0 == 5);

    // Play computes the rest step by step; Pause halts it with the tree part-grown.
    lab.view.play();
    REQUIRE(processEventsUntil([&] { return lab.view.beamRun().result.steps >= 6; }, 60000));
    lab.view.pause();
    REQUIRE(lab.decoding.waitForIdle(60000));
    const int paused = lab.view.beamRun().result.steps;
    processEventsUntil([] { return false; }, 800);  // two ticks of the player, were it running
    CHECK(lab.view.beamRun().result.steps == paused);
    lab.view.play();
    REQUIRE(processEventsUntil([&] { return lab.view.beamRun().result.done; }, 60000));
    const BeamRun& run = lab.view.beamRun();
    CHECK(run.width == 3);
    CHECK(lab.decoding.beamStepsComputed() - computed0 == run.result.steps);  // each step once

    // Every step drawn: kept, pruned and (once something ends) finished boxes.
    int pruned = 0, kept = 0;
    for (const BeamTreeBox& b : tree->layout().boxes) {
        pruned += b.state == anatomy::BeamNodeState::Pruned;
        kept += b.state != anatomy::BeamNodeState::Pruned;
    }
    CHECK(pruned > 0);
    CHECK(kept > 0);
    // The ranking beside it is the engine's beam search with the same settings.
    auto* ranking = lab.view.findChild<QTableWidget*>(QStringLiteral("beamRanking"));
    REQUIRE(ranking->rowCount() == int(run.result.ranked.size()));
    anatomy::SessionLogProbs src(lab.trace.model(), {}, lab.trace.currentInput().trace->tokens);
    anatomy::BeamOptions o;
    o.width = 3;
    o.maxNewTokens = 12;
    o.stopTokens = anatomy::stopTokensOf(*lab.trace.tokenizer());
    o.recordPruned = 3;
    const anatomy::BeamResult direct = anatomy::beamSearch(src, o);
    REQUIRE(direct.ranked.size() == run.result.ranked.size());
    for (size_t i = 0; i < direct.ranked.size(); ++i) CHECK(direct.ranked[i].ids == run.result.ranked[i].ids);
    REQUIRE(direct.nodes.size() == run.result.nodes.size());
    for (size_t i = 0; i < direct.nodes.size(); ++i) CHECK(direct.nodes[i].cumulative == run.result.nodes[i].cumulative);

    // Width is live: a new width reruns the search.
    lab.view.findChild<QSpinBox*>(QStringLiteral("beamWidth"))->setValue(2);
    lab.view.show();
    REQUIRE(anatomy::widgets::processEventsUntil([&] { return lab.view.beamRun().width == 2 && lab.view.beamRun().result.done; }, 60000));
    CHECK(lab.view.beamRun().result.ranked.size() == 2);
}

TEST_CASE("decoding view: Stop cancels a beam run off the GUI thread, the next Step resumes the same tree",
          "[decoding-gui]") {
    widgetTestApp();
    Lab lab;
    REQUIRE(lab.trace.hasModel());
    lab.view.findChild<QSpinBox*>(QStringLiteral("decodingMaxNew"))->setValue(200);
    lab.view.findChild<QSpinBox*>(QStringLiteral("beamWidth"))->setValue(4);
    auto* stepButton = lab.view.findChild<QPushButton*>(QStringLiteral("beamStep"));
    stepButton->click();
    stepButton->click();
    REQUIRE(lab.decoding.waitForIdle(60000));
    REQUIRE(lab.view.beamRun().result.steps == 2);
    // The whole rest requested at once, then stopped: the GUI thread returns at once and the
    // search ends early.
    lab.decoding.advanceBeam(200);
    CHECK(lab.decoding.beamBusy());
    lab.view.findChild<QPushButton*>(QStringLiteral("decodingStop"))->click();
    REQUIRE(lab.decoding.waitForIdle(60000));
    const int stoppedAt = lab.view.beamRun().result.steps;
    CHECK(stoppedAt >= 2);
    CHECK_FALSE(lab.view.beamRun().result.done);
    // One more Step: exactly one step more, on the very tree an uninterrupted search grows.
    stepButton->click();
    REQUIRE(lab.decoding.waitForIdle(60000));
    const anatomy::BeamResult& r = lab.view.beamRun().result;
    CHECK(r.steps == stoppedAt + 1);
    anatomy::SessionLogProbs src(lab.trace.model(), {}, lab.trace.currentInput().trace->tokens);
    anatomy::BeamOptions o;
    o.width = 4;
    o.maxNewTokens = 200;
    o.stopTokens = anatomy::stopTokensOf(*lab.trace.tokenizer());
    o.recordPruned = 4;
    anatomy::BeamSearch direct(src, o);
    for (int i = 0; i < r.steps; ++i) direct.step();
    REQUIRE(direct.result().nodes.size() == r.nodes.size());
    for (size_t i = 0; i < r.nodes.size(); ++i) {
        CHECK(direct.result().nodes[i].token == r.nodes[i].token);
        CHECK(direct.result().nodes[i].cumulative == r.nodes[i].cumulative);
    }
}

TEST_CASE("decoding view: best-of-N, the vote and an editable regex", "[decoding-gui]") {
    widgetTestApp();
    Lab lab;
    lab.view.findChild<QSpinBox*>(QStringLiteral("sampleCount"))->setValue(6);
    lab.view.runAll();
    REQUIRE(lab.decoding.waitForIdle(60000));
    const SampleRun& r = lab.view.sampleRun();
    REQUIRE(r.samples.size() == 6);
    CHECK(r.done);
    // Sample i is drawn with the dock's seed + i; the winner has the best mean log-probability.
    const anatomy::SamplerSettings s = lab.trace.currentInput().sampler;
    for (size_t i = 0; i < r.samples.size(); ++i) CHECK(r.samples[i].seed == s.seed + i);
    for (const auto& d : r.samples) CHECK(r.samples[size_t(r.best)].meanLogprob >= d.meanLogprob);
    // "named (\w+)" finds the name the prompt sets up, in every sample that names one.
    REQUIRE(r.vote.winner.has_value());
    CHECK(r.vote.answered > 0);
    // A regex edit re-reads the same samples; a broken one says why.
    auto* regex = lab.view.findChild<QLineEdit*>(QStringLiteral("answerRegex"));
    regex->setText(QStringLiteral("(She|He)"));
    CHECK(lab.view.sampleRun().samples.size() == 6);
    CHECK(lab.view.sampleRun().regex == QStringLiteral("(She|He)"));
    regex->setText(QStringLiteral("named ("));
    CHECK(lab.view.sampleRun().regexError.contains(QStringLiteral("invalid answer regex")));
    CHECK_FALSE(lab.view.sampleRun().vote.winner.has_value());
}

TEST_CASE("decoding view: strategies side by side with their metrics", "[decoding-gui]") {
    widgetTestApp();
    Lab lab;
    lab.view.findChild<QLineEdit*>(QStringLiteral("compareVariants"))
        ->setText(QStringLiteral("greedy; beam:1; temperature=0.8; temperature=0.8"));
    lab.view.runAll();
    REQUIRE(lab.decoding.waitForIdle(60000));
    const CompareRun& c = lab.view.compareRun();
    REQUIRE(c.outputs.size() == 4);
    CHECK(c.outputs[0].ids == c.outputs[1].ids);  // beam width 1 is greedy
    // Fixed-seed replay: every column starts from the dock's seed, so the same settings draw the
    // same text and a column differs from another only by what its spec changes.
    CHECK(c.outputs[2].ids == c.outputs[3].ids);
    CHECK(c.outputs[2].ids != c.outputs[0].ids);
    CHECK(c.outputs[0].metrics.length > 0);
    QString error;
    CHECK(DecodingController::parseVariants(QStringLiteral("greedy; beam:0"), {}, &error).empty());
    CHECK(error.contains(QStringLiteral("beam:0")));
    CHECK(probabilityHtml(lab.trace.tokenizer().get(), 1, c.outputs[0].ids, c.outputs[0].logprobs).contains(QStringLiteral("p = ")));
    // The metrics above each column, one a row; the colour scale named above the columns.
    const auto heads = lab.view.findChildren<QLabel*>(QStringLiteral("compareMetrics"));
    REQUIRE(heads.size() == 4);
    for (const QString& metric : {QStringLiteral("mean log p"), QStringLiteral("distinct-1"), QStringLiteral("distinct-2"),
                                  QStringLiteral("repeated 4-grams")})
        CHECK(heads[0]->text().contains(metric));
    REQUIRE(lab.view.findChild<QLabel*>(QStringLiteral("probabilityScale")));
    CHECK(lab.view.findChild<QLabel*>(QStringLiteral("probabilityScale"))->text().contains(QStringLiteral("probability")));
}

TEST_CASE("beam tree: kept, finished and pruned boxes are painted differently, the rank-1 path marked",
          "[decoding-gui]") {
    widgetTestApp();
    const anatomy::BeamResult r = smallBeamSearch({2});
    REQUIRE(r.done);
    BeamTreeWidget tree;
    tree.setTree(r, nullptr, -1);
    tree.resize(tree.sizeHint());
    QImage img(tree.size(), QImage::Format_ARGB32);
    img.fill(Qt::white);
    tree.render(&img);
    std::map<int, QColor> fillOf;  // state -> the colour just inside a box's bottom-left corner
    int best = 0;
    for (const BeamTreeBox& b : tree.layout().boxes) {
        const QPoint inside(int(b.rect.left()) + 6, int(b.rect.bottom()) - 4);
        fillOf[int(b.state)] = img.pixelColor(inside);
        best += b.best;
    }
    REQUIRE(fillOf.size() == 3);  // all three kinds drawn
    const QColor kept = fillOf[int(anatomy::BeamNodeState::Live)], done = fillOf[int(anatomy::BeamNodeState::Finished)],
                 pruned = fillOf[int(anatomy::BeamNodeState::Pruned)];
    CHECK(kept != done);
    CHECK(kept != pruned);
    CHECK(done != pruned);
    CHECK(done.green() > done.blue());     // finished: green
    CHECK(kept.blue() > kept.red());       // kept: blue
    CHECK(pruned.red() == pruned.blue());  // pruned: grey
    CHECK(best == 2);  // a, then its stop: the winner's path
}

TEST_CASE("beam tree: presentation mode's larger font grows the boxes, so no line is cut", "[decoding-gui]") {
    widgetTestApp();
    const anatomy::BeamResult r = smallBeamSearch({});
    BeamTreeWidget tree;
    tree.setTree(r, nullptr, -1);
    const QSizeF before = tree.layout().size;
    QFont big = tree.font();
    big.setPointSizeF(big.pointSizeF() * 1.8);
    tree.setFont(big);  // as F5 sets the window's font
    CHECK(tree.layout().size.width() > before.width());
    CHECK(tree.minimumSize().width() >= int(tree.layout().size.width()));
    QFont small = big;
    small.setPointSizeF(big.pointSizeF() * 0.85);
    const QFontMetricsF fm(big), sfm(small);
    REQUIRE_FALSE(tree.layout().boxes.empty());
    for (const BeamTreeBox& b : tree.layout().boxes) {
        INFO(b.numbers.toStdString() << " in a box " << b.rect.width() << " x " << b.rect.height());
        CHECK(sfm.horizontalAdvance(b.numbers) + 8 <= b.rect.width());
        CHECK(fm.height() + sfm.height() <= b.rect.height());
    }
    CHECK(fm.horizontalAdvance(BeamTreeWidget::tr("prompt")) + 8 <= tree.layout().promptRect.width());
}

TEST_CASE("decoding view: Stop ends best-of-N and the comparison early, off the GUI thread", "[decoding-gui]") {
    widgetTestApp();
    Lab lab;
    lab.view.findChild<QSpinBox*>(QStringLiteral("decodingMaxNew"))->setValue(400);
    lab.view.findChild<QSpinBox*>(QStringLiteral("sampleCount"))->setValue(64);
    lab.view.findChild<QLineEdit*>(QStringLiteral("compareVariants"))
        ->setText(QStringLiteral("temperature=1; temperature=0.9; temperature=0.8; temperature=0.7; temperature=0.6"));
    lab.view.runAll();  // returns at once: the work is queued on the controller's worker
    CHECK(lab.decoding.busy());
    lab.view.findChild<QPushButton*>(QStringLiteral("decodingStop"))->click();
    REQUIRE(lab.decoding.waitForIdle(60000));
    CHECK(lab.view.beamRun().result.steps < 400);
    CHECK_FALSE(lab.view.sampleRun().done);
    CHECK(lab.view.sampleRun().samples.size() < 64);
    CHECK_FALSE(lab.view.compareRun().done);
}
