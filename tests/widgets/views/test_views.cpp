// The sampling, norms, RoPE and logit-lens views: their plot data against a real trace of
// stories260K, the RoPE math on its own, and every view rendering something visible.
#include <catch2/catch.hpp>

#include <QDir>
#include <QImage>
#include <QPixmap>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <numeric>

#include "anatomy/knob_table.h"
#include "anatomy/model.h"
#include "anatomy/open_model.h"
#include "anatomy/session.h"
#include "anatomy/synth_gguf.h"
#include "anatomy/tokenizer.h"
#include "plot/qcustomplot_include.h"
#include "views/logit_lens_view.h"
#include "views/norms_view.h"
#include "plot/rope_math.h"
#include "views/rope_view.h"
#include "views/sampling_view.h"
#include "test_paths.h"
#include "widgets/widget_test_support.h"

using namespace anatomy;
using namespace anatomy::widgets;

namespace {

struct RealTrace {
    std::shared_ptr<const Model> model;
    std::shared_ptr<const Tokenizer> tokenizer;
    std::shared_ptr<const Trace> trace;
};

// One trace of a short story, shared by every test (loading and tracing once).
const RealTrace& realTrace() {
    static const RealTrace r = [] {
        RealTrace t;
        t.model = std::shared_ptr<const Model>(loadModel(modelPath("stories260K.bin")));
        t.tokenizer = std::make_shared<const Tokenizer>(
            Tokenizer::fromLlama2cFile(modelPath("tok512.bin"), t.model->config.vocabSize));
        const std::vector<int> ids = t.tokenizer->encode(
            "Once upon a time, there was a little girl named Lily. She loved to play outside.");
        t.trace = traceTokens(t.model, ids, CaptureSpec::everything(), t.tokenizer.get());
        return t;
    }();
    return r;
}

ViewInput inputWith(const SamplerSettings& s) {
    ViewInput in;
    in.trace = realTrace().trace;
    in.tokenizer = realTrace().tokenizer;
    in.sampler = s;
    return in;
}

// Fraction of pixels (sampled every other row and column) where two pictures differ.
double differingFraction(const QImage& a, const QImage& b) {
    if (a.size() != b.size()) return 1.0;
    qint64 differ = 0, total = 0;
    for (int y = 0; y < a.height(); y += 2)
        for (int x = 0; x < a.width(); x += 2, ++total) differ += a.pixel(x, y) != b.pixel(x, y);
    return double(differ) / double(total);
}

}  // namespace

// ---- RoPE math ----

TEST_CASE("rope: pair frequencies follow base^(-2i/d) and wavelengths 2 pi / theta", "[views][rope]") {
    const auto theta = rope::pairFrequencies(8, 10000.0);
    REQUIRE(theta.size() == 4);
    CHECK(theta[0] == Approx(1.0));
    CHECK(theta[1] == Approx(0.1));
    CHECK(theta[2] == Approx(0.01));
    CHECK(theta[3] == Approx(0.001));
    const auto lambda = rope::pairWavelengths(8, 10000.0);
    for (size_t i = 0; i < 4; ++i) CHECK(lambda[i] == Approx(2 * std::numbers::pi / theta[i]));
    // 628 and 6283 tokens per turn exceed a 512-token context; 6.3 and 63 do not.
    CHECK(rope::pairsLongerThan(lambda, 512) == 2);
    CHECK(rope::pairAngle(0, 7.0, 8, 10000.0) == Approx(7.0 - 2 * std::numbers::pi));
}

TEST_CASE("rope: un-rotating a rotated vector gives it back, norms are kept", "[views][rope]") {
    const std::vector<float> v = {0.3f, -1.2f, 2.0f, 0.5f, -0.7f, 0.1f, 1.5f, -2.5f};
    for (double pos : {0.0, 1.0, 17.0, 511.0, 2047.0}) {
        const auto r = rope::rotate(v, pos, 10000.0);
        const auto back = rope::unrotate(r, pos, 10000.0);
        double maxDiff = 0;
        for (size_t i = 0; i < v.size(); ++i) maxDiff = std::max(maxDiff, double(std::abs(back[i] - v[i])));
        INFO("position " << pos << ": largest difference " << maxDiff);
        CHECK(maxDiff < 1e-5);
        CHECK(rope::dot(r, r) == Approx(rope::dot(v, v)).epsilon(1e-5));
    }
    // Pair 0 at position 1 turns by exactly 1 radian.
    const auto r = rope::rotate(std::vector<float>{1, 0}, 1.0, 10000.0);
    CHECK(r[0] == Approx(std::cos(1.0)));
    CHECK(r[1] == Approx(std::sin(1.0)));
}

TEST_CASE("rope: the score depends on the distance only and equals q.k at distance 0", "[views][rope]") {
    const std::vector<float> q = {0.3f, -1.2f, 2.0f, 0.5f, -0.7f, 0.1f, 1.5f, -2.5f};
    const std::vector<float> k = {1.1f, 0.4f, -0.3f, 0.9f, 0.2f, -1.6f, 0.8f, 0.05f};
    CHECK(rope::relativeScore(q, k, 0, 10000.0) == Approx(rope::dot(q, k)));
    for (int m : {5, 40, 300}) {
        for (int n : {0, 3, m}) {
            const double direct = rope::dot(rope::rotate(q, m, 10000.0), rope::rotate(k, n, 10000.0));
            INFO("query at " << m << ", key at " << n);
            CHECK(rope::relativeScore(q, k, m - n, 10000.0) == Approx(direct).margin(1e-4));
        }
    }
}

TEST_CASE("rope view: un-rotated q and k reproduce the trace's attention score", "[views][rope]") {
    const Trace& t = *realTrace().trace;
    const ModelConfig& c = t.config;
    for (RopeKey key : {RopeKey::MostAttended, RopeKey::SamePosition, RopeKey::First}) {
        Selection sel;
        sel.layer = 2;
        sel.head = c.nHeads - 1;
        sel.position = 9;
        const RopePlotData d = ropePlotData(t, sel, key);
        REQUIRE(d.valid);
        CHECK(d.kvHead == sel.head / (c.nHeads / c.nKvHeads));
        CHECK(d.score.size() == size_t(4 * c.seqLen + 1));
        REQUIRE(d.distance() >= 0);
        const double fromTrace = t.layers[2].attnScores.at({sel.head, 9, d.keyPosition});
        const double fromCurve = d.score[size_t(d.distance())];
        INFO("key position " << d.keyPosition << ": trace " << fromTrace << ", curve " << fromCurve);
        CHECK(fromCurve == Approx(fromTrace).margin(1e-3).epsilon(1e-3));
        CHECK(d.pairsBeyondContext == rope::pairsLongerThan(d.wavelength, c.seqLen));
    }
}

TEST_CASE("rope view: a file claiming a 4,194,304-token context draws a bounded curve", "[views][rope][hardening]") {
    // The curve runs to 4 trained contexts: 16 M points for such a file, on the GUI thread.
    Trace t = *realTrace().trace;
    t.config.seqLen = 1 << 22;
    for (const char* scaling : {"rope.scaling=none", "rope.scaling=dynamic-ntk"}) {
        SimSettings sim;
        applySetting(sim, scaling);
        if (sim.ropeScaling.method != RopeScaling::None) applySetting(sim, "rope.factor=2");
        const RopePlotData d = ropePlotData(t, Selection{-1, 1, 1}, RopeKey::MostAttended, 16, sim);
        INFO(scaling);
        REQUIRE(d.valid);
        CHECK(d.seqLen == 1 << 22);
        CHECK(d.score.size() == size_t(kMaxScoreDistance + 1));
        CHECK(d.trainedScore.size() == d.score.size());
    }
}

// ---- sampling ----

TEST_CASE("sampling view: top-p 0.5 leaves only the nucleus of the trace's distribution", "[views][sampling]") {
    SamplerSettings s;
    s.temperature = 1.0f;
    s.topP = 0.5f;
    const int row = 6;
    Selection sel;
    sel.position = row;
    const SamplingPlotData d = samplingPlotData(inputWith(s), sel);
    REQUIRE(d.valid);

    // Direct computation: softmax of the logits, sorted, smallest prefix with mass > 0.5.
    const std::vector<float> logits = realTrace().trace->logitsRow(row);
    const double mx = *std::max_element(logits.begin(), logits.end());
    std::vector<double> p(logits.size());
    double sum = 0;
    for (size_t i = 0; i < p.size(); ++i) sum += p[i] = std::exp(logits[i] - mx);
    std::vector<int> order(p.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return p[size_t(a)] > p[size_t(b)]; });
    std::vector<int> nucleus;
    double mass = 0;
    for (int id : order) {
        nucleus.push_back(id);
        mass += p[size_t(id)] / sum;
        if (mass > 0.5) break;
    }
    REQUIRE(nucleus.size() <= d.ids.size());

    const SamplingStageBars& fin = d.stages.back();
    CHECK(fin.name == "final");
    CHECK(fin.survivors == int(nucleus.size()));
    const int topP = d.stageIndex("top-p");
    REQUIRE(topP >= 0);
    CHECK(d.stages[size_t(topP)].active);
    for (size_t c = 0; c < d.ids.size(); ++c) {
        const bool inNucleus = std::find(nucleus.begin(), nucleus.end(), d.ids[c]) != nucleus.end();
        INFO("column " << c << " token " << d.ids[c]);
        CHECK((fin.prob[c] > 0) == inNucleus);
        CHECK(d.stages[size_t(topP)].removed[c] == !inNucleus);
        if (inNucleus) CHECK(fin.prob[c] == Approx(p[size_t(d.ids[c])] / sum / mass).epsilon(1e-4));
    }
    // The model's own distribution is shown unchanged in the first stage.
    CHECK(d.stages.front().prob[0] == Approx(p[size_t(order[0])] / sum).epsilon(1e-4));
}

TEST_CASE("sampling view: a new temperature moves the bars", "[views][sampling]") {
    widgetTestApp();
    SamplerSettings s;
    s.topP = 1.0f;
    SamplingView view;
    Selection sel;
    sel.position = 4;
    view.setSelection(sel);
    view.setInput(inputWith(s));
    REQUIRE(view.plotData().valid);
    const std::vector<double> warm = view.plotData().stages.back().prob;

    s.temperature = 0.5f;
    view.setInput(inputWith(s));
    const std::vector<double> cold = view.plotData().stages.back().prob;
    REQUIRE(cold.size() == warm.size());
    // Colder is sharper: the favourite gains, the runner-up loses.
    CHECK(cold[0] > warm[0]);
    CHECK(cold[1] < warm[1]);
    const int t = view.plotData().stageIndex("temperature");
    REQUIRE(t >= 0);
    CHECK(view.plotData().stages[size_t(t)].setting.contains("0.5"));
}

TEST_CASE("sampling view: Draw picks a surviving token, greedy picks the argmax", "[views][sampling]") {
    widgetTestApp();
    SamplerSettings s;
    s.topK = 3;
    s.topP = 1.0f;
    SamplingView view;
    view.setInput(inputWith(s));
    REQUIRE(view.plotData().valid);
    for (int i = 0; i < 20; ++i) {
        const int id = view.draw();
        const int col = view.plotData().column(id);
        REQUIRE(col >= 0);
        CHECK(col < 3);  // top-k 3 keeps the first three columns only
        CHECK(view.plotData().stages.back().prob[size_t(col)] > 0);
    }
    s.temperature = 0.0f;
    view.setInput(inputWith(s));
    CHECK(view.draw() == view.plotData().greedyId);
    CHECK(view.plotData().column(view.lastDrawn()) == 0);
}

// ---- norms ----

TEST_CASE("norms view: the data is the trace's arrays at the selected token and layer", "[views][norms]") {
    const Trace& t = *realTrace().trace;
    Selection sel;
    sel.position = 5;
    sel.layer = 3;
    const NormsPlotData d = normsPlotData(t, sel);
    REQUIRE(d.valid);
    const int L = t.config.nLayers;
    REQUIRE(d.byLayer.size() == size_t(L));
    REQUIRE(d.byToken.size() == size_t(t.nQ));
    for (int l = 0; l < L; ++l) {
        CHECK(d.byLayer.residRmsIn[size_t(l)] == t.residRmsIn.at({l, 5}));
        CHECK(d.byLayer.residRmsMid[size_t(l)] == t.residRmsMid.at({l, 5}));
        CHECK(d.byLayer.residRmsOut[size_t(l)] == t.residRmsOut.at({l, 5}));
        CHECK(d.byLayer.attnNormOutRms[size_t(l)] == t.attnNormOutRms.at({l, 5}));
        CHECK(d.byLayer.residMaxAbs[size_t(l)] == t.residMaxAbs.at({l, 5}));
        CHECK(d.byLayer.residMaxChannel[size_t(l)] == t.residMaxChannel.at({l, 5}));
        CHECK(d.byLayer.ffnActMaxChannel[size_t(l)] == t.ffnActMaxChannel.at({l, 5}));
    }
    for (int r = 0; r < t.nQ; ++r) {
        CHECK(d.byToken.residRmsOut[size_t(r)] == t.residRmsOut.at({3, r}));
        CHECK(d.byToken.ffnActMaxAbs[size_t(r)] == t.ffnActMaxAbs.at({3, r}));
        CHECK(d.byToken.ffnNormOutRms[size_t(r)] == t.ffnNormOutRms.at({3, r}));
    }
    // The residual stream carries through: a layer's output is the next layer's input.
    for (int l = 0; l + 1 < L; ++l)
        CHECK(d.byLayer.residRmsOut[size_t(l)] == Approx(d.byLayer.residRmsIn[size_t(l + 1)]).epsilon(1e-5));
}

TEST_CASE("norms view: a LayerNorm model shows the residual's mean and sigma", "[views][norms]") {
    // GPT-2's layout (LayerNorm with bias), random weights: the statistics, not the text, matter.
    const std::string path = QDir::temp().filePath(QStringLiteral("anatomy_norms_gpt2.gguf")).toStdString();
    anatomy::writeSynthGguf(anatomy::synthReferenceSpec("gpt2"), path);
    const anatomy::OpenedModel m = anatomy::openModelWithTokenizer(path);
    const std::vector<int> ids = m.tokenizer->encode("a small test of the norms", true);
    const auto trace = traceTokens(m.model, ids, CaptureSpec::everything(), m.tokenizer.get());
    std::remove(path.c_str());
    Selection sel;
    sel.layer = 1;
    const NormsPlotData d = normsPlotData(*trace, sel);
    REQUIRE(d.valid);
    CHECK(d.layerNorm);
    for (int l = 0; l < trace->config.nLayers; ++l) {
        CHECK(d.byLayer.residMeanIn[size_t(l)] == trace->residMeanIn.at({l, d.row}));
        CHECK(d.byLayer.residMeanMid[size_t(l)] == trace->residMeanMid.at({l, d.row}));
        // RMS² = μ² + σ²: the mean can never exceed the RMS.
        CHECK(std::fabs(d.byLayer.residMeanIn[size_t(l)]) <= d.byLayer.residRmsIn[size_t(l)] * (1 + 1e-6));
    }
    widgetTestApp();
    NormsView view;
    view.resize(1000, 700);
    ViewInput in;
    in.trace = trace;
    in.tokenizer = m.tokenizer;
    view.setInput(in);
    CHECK(view.toCsv().section(QLatin1Char('\n'), 0, 0).endsWith(QStringLiteral("resid_mean_in,resid_mean_mid")));
    // stories260K normalises with RMSNorm: no mean or sigma drawn.
    CHECK_FALSE(normsPlotData(*realTrace().trace, sel).layerNorm);
}

TEST_CASE("norms view: a long prompt's per-token bars are pooled, each bar the max of its tokens", "[views][norms]") {
    widgetTestApp();
    const RealTrace& r = realTrace();
    std::string text;
    for (int i = 0; i < 40; ++i) text += "Once upon a time, there was a little girl named Lily. ";
    const std::vector<int> ids = r.tokenizer->encode(text);
    REQUIRE(ids.size() > 600);
    CaptureSpec spec;
    spec.attention = false;
    spec.logitLens = false;
    const auto trace = traceTokens(r.model, ids, spec, r.tokenizer.get());
    NormsView view;
    view.resize(1000, 700);
    ViewInput in;
    in.trace = trace;
    in.tokenizer = r.tokenizer;
    Selection sel;
    sel.layer = 2;
    view.setInputAndSelection(in, sel);
    (void)view.grab();  // lays the plots out
    view.setInputAndSelection(in, sel);  // rebuilt at the laid-out widths
    const NormsPlotData d = normsPlotData(*trace, sel);
    REQUIRE(d.valid);
    const int n = int(d.byToken.size());
    int checked = 0;
    for (QCustomPlot* p : view.findChildren<QCustomPlot*>())
        for (int i = 0; i < p->plottableCount(); ++i) {
            auto* bars = qobject_cast<QCPBars*>(p->plottable(i));
            // "residual max |x|", or "max |x|" in a short pane's legend
            if (!bars || !bars->name().contains(QStringLiteral("max |x|")) || bars->data()->size() < 2) continue;
            if (bars->data()->size() == trace->config.nLayers) continue;  // the per-layer pane
            const int count = bars->data()->size();
            INFO("bars " << count << " for " << n << " tokens, plot " << p->axisRect()->width() << " px");
            CHECK(count < n);
            CHECK(count <= p->axisRect()->width() / 3 + 1);
            CHECK(bars->name().contains(QStringLiteral("max of each")));
            const int per = (n + count - 1) / count;
            for (int b = 0; b < count; ++b) {
                double m = 0;
                for (int t = b * per; t < std::min(n, (b + 1) * per); ++t) m = std::max(m, d.byToken.residMaxAbs[size_t(t)]);
                CHECK((bars->data()->begin() + b)->value == m);
            }
            ++checked;
        }
    CHECK(checked == 1);
}

// ---- logit lens ----

TEST_CASE("lens view: each cell is lensTopIds at (layer, position)", "[views][lens]") {
    ViewInput in = inputWith({});
    const Trace& t = *in.trace;
    Selection sel;
    sel.layer = 1;
    sel.position = 2;
    const LensPlotData d = lensPlotData(in, sel);
    REQUIRE(d.valid);
    CHECK(d.nLayers == t.config.nLayers);
    CHECK(d.nQ == t.nQ);
    for (int l = 0; l < d.nLayers; ++l)
        for (int r = 0; r < d.nQ; ++r) {
            CHECK(d.top1(l, r) == t.lensTopIds.at({l, r, 0}));
            CHECK(d.top1Prob(l, r) == t.lensTopProbs.at({l, r, 0}));
            CHECK(d.top1Label(l, r) == visibleToken(in.tokenizer->piece(t.lensTopIds.at({l, r, 0}))));
        }
    const QString tip = lensTooltip(d, 1, 2);
    for (int k = 0; k < d.k; ++k)
        CHECK(tip.contains(d.topLabels[qsizetype(d.at(1, 2, k))].toHtmlEscaped()));
    // The last layer's lens is the model's output: its top-1 is the argmax of the logits.
    const std::vector<float> logits = t.logitsRow(2);
    CHECK(d.top1(d.nLayers - 1, 2) == int(std::max_element(logits.begin(), logits.end()) - logits.begin()));
}

TEST_CASE("views: tokens are shown with visible spaces and line breaks", "[views]") {
    CHECK(visibleToken(" the") == QStringLiteral("\u2423the"));
    CHECK(visibleToken("a\nb") == QStringLiteral("a\u21B5b"));
    CHECK(visibleToken("\x01") == QStringLiteral("\\x01"));
    CHECK(visibleToken("\xC3") == QStringLiteral("\\xc3"));  // a lone UTF-8 lead byte
    CHECK(visibleToken("\xC3\xA9") == QStringLiteral("\u00E9"));
    CHECK(csvField("a,b") == QStringLiteral("\"a,b\""));
}

// ---- rendering ----

TEST_CASE("views: each view renders a picture and CSV for a real trace", "[views][render]") {
    widgetTestApp();
    SamplerSettings s;
    s.temperature = 0.8f;
    s.topK = 10;
    s.topP = 0.9f;
    const ViewInput in = inputWith(s);
    Selection sel;
    sel.position = 8;
    sel.layer = 2;
    sel.head = 5;

    SamplingView sampling, samplingEmpty;
    NormsView norms, normsEmpty;
    RopeView rope, ropeEmpty;
    LogitLensView lens, lensEmpty;
    const std::vector<std::pair<TraceView*, TraceView*>> views = {
        {&sampling, &samplingEmpty}, {&norms, &normsEmpty}, {&rope, &ropeEmpty}, {&lens, &lensEmpty}};
    for (auto [v, empty] : views) {
        INFO("view " << v->viewName().toStdString());
        v->setInput(in);
        v->setSelection(sel);
        v->resize(1280, 800);
        empty->resize(1280, 800);
        const QImage img = v->grab().toImage();
        REQUIRE(img.width() == 1280);
        // Against the same view with no trace: the trace must change a good part of the picture.
        const double changed = differingFraction(img, empty->grab().toImage());
        INFO("fraction of pixels the trace changed: " << changed);
        CHECK(changed > 0.03);
        const QString csv = v->toCsv();
        CHECK(csv.count(QLatin1Char('\n')) > 2);
    }
    CHECK(sampling.viewName() == "sampling");
    CHECK(norms.viewName() == "norms");
    CHECK(rope.viewName() == "rope");
    CHECK(lens.viewName() == "lens");
}
