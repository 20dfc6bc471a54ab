// The attention view against a real stories260K trace: the large map shows exactly the
// selected head's probabilities (or scores), the causal mask is marked, the per-head stats
// follow their definitions, and the view and the token strip render something visible.
#include <catch2/catch.hpp>

#include <QElapsedTimer>
#include <QImage>
#include <QTemporaryDir>
#include <QThreadPool>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <numeric>
#include <vector>

#include "plot/qcustomplot_include.h"
#include "anatomy/session.h"
#include "views/attention_view.h"
#include "views/token_strip.h"
#include "export/view_export.h"
#include "widgets/widget_test_support.h"

using namespace anatomy;
using namespace anatomy::widgets;

namespace {

// Compares the map with the trace array [nHeads, nQ, nKv] of (layer, head); returns the
// largest difference on unmasked cells and counts masked cells that are not NaN.
double compareMap(const AttentionMapData& map, const FloatArray& src, int head, int& badMasked) {
    double worst = 0.0;
    badMasked = 0;
    for (int q = 0; q < map.nQ; ++q)
        for (int k = 0; k < map.nKv; ++k) {
            if (map.masked(q, k)) {
                if (!std::isnan(map.at(q, k))) ++badMasked;
                continue;
            }
            worst = std::max(worst, std::abs(double(map.at(q, k)) - src.at({head, q, k})));
        }
    return worst;
}

// n token ids spread over stories260K's vocabulary (1 + i * stride mod 500): a long prompt
// that is no story, for traces long enough that each thumbnail pixel pools many cells.
std::vector<int> spreadTokens(size_t n, size_t stride) {
    std::vector<int> ids(n);
    for (size_t i = 0; i < n; ++i) ids[i] = int(1 + (i * stride) % 500);
    return ids;
}

}  // namespace

TEST_CASE("attention view: large map equals the trace's attnProbs for layer 2, head 3", "[widgets]") {
    widgetTestApp();
    const ViewInput& in = widgetTestInput();
    REQUIRE(in.trace);
    REQUIRE(in.trace->layers.size() > 2);
    AttentionView view;
    view.resize(1000, 700);
    view.setInput(in);
    view.setSelection(Selection{-1, 2, 3});
    const AttentionMapData& map = view.mapData();
    CHECK(map.layer == 2);
    CHECK(map.head == 3);
    REQUIRE(map.nQ == in.trace->nQ);
    REQUIRE(map.nKv == in.trace->nKv);
    int badMasked = 0;
    const double worst = compareMap(map, in.trace->layers[2].attnProbs, 3, badMasked);
    std::printf("attention probs: largest |map - attnProbs| = %.3g over %d x %d cells\n", worst, map.nQ, map.nKv);
    CHECK(worst == 0.0);
    CHECK(badMasked == 0);
    // Each visible row is a distribution.
    for (int q = 0; q < map.nQ; ++q) {
        double sum = 0.0;
        for (int k = 0; k <= map.firstQueryPos + q; ++k) sum += map.at(q, k);
        CHECK(sum == Approx(1.0).margin(1e-4));
    }
}

TEST_CASE("attention view: scores mode equals attnScores, log mode is log10 of probs", "[widgets]") {
    widgetTestApp();
    const ViewInput& in = widgetTestInput();
    REQUIRE(in.trace);
    AttentionView view;
    view.setInput(in);
    view.setSelection(Selection{-1, 2, 3});
    view.setMode(AttentionMode::Scores);
    int badMasked = 0;
    const double worst = compareMap(view.mapData(), in.trace->layers[2].attnScores, 3, badMasked);
    std::printf("attention scores: largest |map - attnScores| = %.3g\n", worst);
    CHECK(view.mapData().mode == AttentionMode::Scores);
    CHECK(worst == 0.0);
    CHECK(badMasked == 0);
    CHECK(view.mapData().minValue < view.mapData().maxValue);

    const AttentionMapData logMap = attentionMapData(*in.trace, Selection{-1, 2, 3}, AttentionMode::LogProbabilities);
    const int q = logMap.nQ - 1;
    for (int k = 0; k < logMap.nKv; ++k) {
        const float p = in.trace->layers[2].attnProbs.at({3, q, k});
        if (p > 1e-8f) CHECK(logMap.at(q, k) == Approx(std::log10(p)).margin(1e-5));
    }
}

TEST_CASE("attention view: selecting another head redraws the map from that head", "[widgets]") {
    widgetTestApp();
    const ViewInput& in = widgetTestInput();
    REQUIRE(in.trace);
    AttentionView view;
    view.setInput(in);
    view.setSelection(Selection{-1, 0, 0});
    const std::vector<float> head0 = view.mapData().values;
    view.setSelection(Selection{-1, 4, 7});
    CHECK(view.mapData().layer == 4);
    CHECK(view.mapData().head == 7);
    int badMasked = 0;
    CHECK(compareMap(view.mapData(), in.trace->layers[4].attnProbs, 7, badMasked) == 0.0);
    // Out of range requests are clamped, never read out of bounds.
    const Selection c = clampSelection(*in.trace, Selection{999, 99, 99});
    CHECK(c.layer == int(in.trace->layers.size()) - 1);
    CHECK(c.head == in.trace->config.nHeads - 1);
    CHECK(c.position == in.trace->nQ - 1);
}

TEST_CASE("attention stats: entropy and first-token sink follow their definitions", "[widgets]") {
    widgetTestApp();
    const ViewInput& in = widgetTestInput();
    REQUIRE(in.trace);
    // Row 0 can only attend to itself: all mass on the first token, zero entropy.
    const HeadStats first = headStats(*in.trace, 1, 2, 0);
    CHECK(first.sinkMass == Approx(1.0f).margin(1e-5));
    CHECK(first.entropyBits == Approx(0.0f).margin(1e-4));
    // Another row by hand: H = -sum p log2 p, bounded by log2(number of visible keys).
    const int row = in.trace->nQ - 1;
    const HeadStats s = headStats(*in.trace, 1, 2, row);
    double h = 0.0;
    for (int k = 0; k <= row; ++k) {
        const double p = in.trace->layers[1].attnProbs.at({2, row, k});
        if (p > 0) h -= p * std::log2(p);
    }
    CHECK(s.entropyBits == Approx(h).margin(1e-4));
    CHECK(s.entropyBits <= std::log2(row + 1.0) + 1e-4);
    CHECK(s.sinkMass == Approx(in.trace->layers[1].attnProbs.at({2, row, 0})));
}

TEST_CASE("attention view and token strip render visible pictures", "[widgets]") {
    widgetTestApp();
    const ViewInput& in = widgetTestInput();
    REQUIRE(in.trace);
    AttentionView attention;
    attention.setInput(in);
    attention.setSelection(Selection{-1, 2, 3});
    const QImage a = renderWidget(&attention, QSize(1100, 700));
    REQUIRE(!a.isNull());
    CHECK(distinctColors(a) > 20);  // a map, labels and a colour bar, not a blank widget

    TokenStrip strip;
    strip.setInput(in);
    const QImage t = renderWidget(&strip, QSize(900, 200));
    CHECK(distinctColors(t) > 8);
    CHECK(strip.toCsv().count(QLatin1Char('\n')) == int(in.trace->tokens.size()) + 1);
    CHECK(attention.toCsv().startsWith(QStringLiteral("layer,head,query_pos")));
}

TEST_CASE("token strip: each token's probability comes from the previous position's logits", "[widgets]") {
    widgetTestApp();
    const ViewInput& in = widgetTestInput();
    REQUIRE(in.trace);
    const std::vector<TokenCell> cells = tokenStripData(*in.trace, in.tokenizer.get());
    REQUIRE(cells.size() == in.trace->tokens.size());
    CHECK(std::isnan(cells[0].prob));  // BOS: nothing predicts it
    const int pos = 5;
    const std::vector<float> logits = in.trace->logitsRow(pos - 1);
    REQUIRE(!logits.empty());
    double mx = *std::max_element(logits.begin(), logits.end()), sum = 0.0;
    for (float z : logits) sum += std::exp(z - mx);
    const double expected = std::exp(logits[size_t(cells[pos].id)] - mx) / sum;
    CHECK(cells[pos].prob == Approx(expected).epsilon(1e-4));
    CHECK(cells[pos].surprisalBits == Approx(-std::log2(expected)).epsilon(1e-4));
    REQUIRE(!cells[pos].alternatives.empty());
    CHECK(cells[pos].alternatives.front().prob >= cells[pos].prob);
    CHECK((cells[pos].rank == 0) == (cells[pos].alternatives.front().id == cells[pos].id));

    // Every position against a plain full softmax and sort of its row: the strip finds the
    // token's probability, its rank and the top five in place, without either.
    for (size_t t = 1; t < cells.size(); ++t) {
        const std::vector<float> z = in.trace->logitsRow(int(t) - 1);
        REQUIRE(z.size() > 5);
        const double zmax = *std::max_element(z.begin(), z.end());
        double zsum = 0.0;
        for (float v : z) zsum += std::exp(v - zmax);
        std::vector<int> order(z.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return z[size_t(a)] > z[size_t(b)]; });
        const TokenCell& c = cells[t];
        INFO("position " << t);
        CHECK(c.prob == Approx(std::exp(z[size_t(c.id)] - zmax) / zsum).epsilon(1e-5));
        CHECK(c.rank == std::count_if(z.begin(), z.end(), [&](float v) { return v > z[size_t(c.id)]; }));
        REQUIRE(c.alternatives.size() == 5);
        for (size_t j = 0; j < 5; ++j) {
            CHECK(c.alternatives[j].id == order[j]);
            CHECK(c.alternatives[j].prob == Approx(std::exp(z[size_t(order[j])] - zmax) / zsum).epsilon(1e-5));
        }
    }
}

TEST_CASE("token strip: a trace that kept only the top k logits renormalises over them", "[widgets]") {
    widgetTestApp();
    const ViewInput& in = widgetTestInput();
    REQUIRE(in.trace);
    REQUIRE(in.model);
    anatomy::CaptureSpec spec = anatomy::CaptureSpec::nothing();
    spec.logits = anatomy::CaptureSpec::Logits::TopK;
    spec.logitsTopK = 20;
    const auto trace = anatomy::traceTokens(in.model, in.trace->tokens, spec);
    REQUIRE(trace->logits.empty());
    REQUIRE(trace->logitsTopIds.dim(1) == 20);
    const std::vector<TokenCell> cells = tokenStripData(*trace, in.tokenizer.get());
    REQUIRE(cells.size() == trace->tokens.size());
    int inTop = 0;
    for (size_t t = 1; t < cells.size(); ++t) {
        const int row = int(t) - 1;
        std::vector<int> ids(20);
        std::vector<float> z(20);
        for (int j = 0; j < 20; ++j) {
            ids[size_t(j)] = trace->logitsTopIds.at({row, j});
            z[size_t(j)] = trace->logitsTopValues.at({row, j});
        }
        const double zmax = *std::max_element(z.begin(), z.end());
        double zsum = 0.0;
        for (float v : z) zsum += std::exp(v - zmax);
        std::vector<int> order(20);
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return z[size_t(a)] > z[size_t(b)]; });
        const TokenCell& c = cells[t];
        INFO("position " << t);
        REQUIRE(c.alternatives.size() == 5);
        for (size_t j = 0; j < 5; ++j) {
            CHECK(c.alternatives[j].id == ids[size_t(order[j])]);
            CHECK(c.alternatives[j].prob == Approx(std::exp(z[size_t(order[j])] - zmax) / zsum).epsilon(1e-5));
        }
        const auto at = std::find(ids.begin(), ids.end(), c.id);
        if (at == ids.end()) {  // outside the kept 20: nothing to say about it
            CHECK(std::isnan(c.prob));
            continue;
        }
        ++inTop;
        const float mine = z[size_t(at - ids.begin())];
        CHECK(c.prob == Approx(std::exp(mine - zmax) / zsum).epsilon(1e-5));
        CHECK(c.rank == std::count_if(z.begin(), z.end(), [&](float v) { return v > mine; }));
    }
    CHECK(inTop > 0);  // a real text: some of its tokens are among the model's 20 best
}

TEST_CASE("screenshot: renders a view headless, rejects unknown views and models", "[widgets]") {
    widgetTestApp();
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    ScreenshotRequest req;
    req.file = dir.filePath(QStringLiteral("attention.png"));
    req.view = QStringLiteral("attention");
    req.modelPath = QString::fromStdString(modelPath("stories260K.bin"));
    req.tokenizerPath = QString::fromStdString(modelPath("tok512.bin"));
    req.size = QSize(1200, 800);
    const QString err = renderScreenshot(req);
    INFO(err.toStdString());
    REQUIRE(err.isEmpty());
    const QImage img(req.file);
    CHECK(img.size() == QSize(1200, 800));
    CHECK(distinctColors(img) > 20);

    req.view = QStringLiteral("no-such-view");
    CHECK(renderScreenshot(req).contains(QStringLiteral("unknown view")));
    req.view = QStringLiteral("attention");
    req.modelPath = dir.filePath(QStringLiteral("missing.bin"));
    CHECK(!renderScreenshot(req).isEmpty());
}

TEST_CASE("every view renders a visible picture of a real trace", "[widgets]") {
    widgetTestApp();
    const ViewInput& in = widgetTestInput();
    REQUIRE(in.trace);
    for (const QString& name : viewNames()) {
        std::unique_ptr<TraceView> v(createView(name));
        REQUIRE(v);
        CHECK(v->viewName() == name);
        v->setInput(in);
        v->setSelection(Selection{-1, 2, 3});
        const QImage img = renderWidget(v.get(), QSize(900, 600));
        INFO("view " << name.toStdString());
        CHECK(distinctColors(img) > 8);
    }
}

TEST_CASE("head grid thumbnails straight from the trace equal the ones drawn from full maps", "[widgets]") {
    widgetTestApp();
    const ViewInput& in = widgetTestInput();
    REQUIRE(in.trace);
    QCPColorGradient gradient(QCPColorGradient::gpThermal);
    int compared = 0, differ = 0;
    for (AttentionMode mode : {AttentionMode::Probabilities, AttentionMode::LogProbabilities, AttentionMode::Scores})
        for (int l = 0; l < int(in.trace->layers.size()); ++l)
            for (int h = 0; h < in.trace->config.nHeads; ++h) {
                const QImage direct = headThumbnail(*in.trace, l, h, mode, gradient);
                const QImage viaMap = mapThumbnail(attentionMapData(*in.trace, Selection{0, l, h}, mode), gradient);
                REQUIRE_FALSE(direct.isNull());
                ++compared;
                if (direct != viaMap) ++differ;
            }
    INFO(compared << " thumbnails compared");
    CHECK(differ == 0);
}

TEST_CASE("head grid thumbnails of a long trace pool the same pixels as the full maps", "[widgets]") {
    // 300 tokens: each thumbnail pixel pools a block of cells (the short trace above maps one
    // cell to a pixel). A sinks + window mask hides keys inside the blocks, and a copy of the
    // trace with NaN and infinite entries checks that the pooled path skips and clamps them as
    // the map does.
    widgetTestApp();
    const ViewInput& in = widgetTestInput();
    REQUIRE(in.model);
    const std::vector<int> ids = spreadTokens(300, 37);
    anatomy::SimSettings sim;
    anatomy::applySetting(sim, "attn.sparse=sinks");
    anatomy::applySetting(sim, "attn.window=40");
    anatomy::applySetting(sim, "attn.sinks=2");
    const auto traced = anatomy::traceTokens(in.model, ids, anatomy::CaptureSpec::everything(), sim);
    anatomy::Trace odd = *traced;
    for (anatomy::LayerTrace& lt : odd.layers)
        for (anatomy::FloatArray* a : {&lt.attnProbs, &lt.attnScores}) {
            const size_t nKv = size_t(a->dim(2));
            for (size_t q = 200; q < 210; ++q)  // whole blocks of NaN
                for (size_t k = 190; k < 201; ++k) a->data[q * nKv + k] = std::numeric_limits<float>::quiet_NaN();
            for (size_t q = 220; q < 230; ++q)  // and of -inf
                for (size_t k = 200; k < 211; ++k) a->data[q * nKv + k] = -std::numeric_limits<float>::infinity();
            a->data[250 * nKv + 249] = std::numeric_limits<float>::quiet_NaN();
            a->data[251 * nKv + 250] = std::numeric_limits<float>::infinity();
            a->data[252 * nKv + 1] = -std::numeric_limits<float>::infinity();
            a->data[(size_t(a->dim(1)) + 120) * nKv + 100] = std::numeric_limits<float>::quiet_NaN();  // head 1
        }
    QCPColorGradient gradient(QCPColorGradient::gpThermal);
    int compared = 0, differ = 0;
    for (const anatomy::Trace* t : {traced.get(), static_cast<const anatomy::Trace*>(&odd)})
        for (AttentionMode mode : {AttentionMode::Probabilities, AttentionMode::LogProbabilities, AttentionMode::Scores})
            for (int l : {0, 4})
                for (int h : {0, 1, 7}) {
                    const QImage direct = headThumbnail(*t, l, h, mode, gradient);
                    const QImage viaMap = mapThumbnail(attentionMapData(*t, Selection{0, l, h}, mode), gradient);
                    REQUIRE(direct.size() == QSize(128, 128));
                    ++compared;
                    if (direct != viaMap) ++differ;
                }
    INFO(compared << " thumbnails compared");
    CHECK(differ == 0);
}

TEST_CASE("the head grid pools its thumbnails off the GUI thread, and a picture waits for them", "[widgets]") {
    widgetTestApp();
    const ViewInput& in = widgetTestInput();
    REQUIRE(in.model);
    const std::vector<int> ids = spreadTokens(400, 53);
    ViewInput longer = in;
    longer.trace = anatomy::traceTokens(in.model, ids, anatomy::CaptureSpec::everything(), anatomy::SimSettings{});
    {
        // The batch posts its thumbnails through the event loop: pending until then.
        AttentionView v;
        v.resize(1200, 700);
        v.setInput(longer);
        CHECK(v.drawingPending());
        QElapsedTimer clock;
        clock.start();
        while (v.drawingPending() && clock.elapsed() < 30000) QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        CHECK_FALSE(v.drawingPending());
    }
    {
        // A picture taken at once shows the new thumbnails (finished on the calling thread).
        AttentionView v;
        v.setInput(in);
        v.setInput(longer);
        REQUIRE(v.drawingPending());
        const QImage img = renderWidget(&v, QSize(1200, 700));
        CHECK_FALSE(v.drawingPending());
        CHECK(distinctColors(img) > 8);
    }
    // Views destroyed, or given a newer trace, while their batches run: the batches stop and post
    // nothing (ASan and the event loop below find a use after free).
    for (int i = 0; i < 6; ++i) {
        auto v = std::make_unique<AttentionView>();
        v->setInput(longer);
        v->setInput(i % 2 ? in : longer);
    }
    for (int i = 0; i < 20; ++i) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
}
