// The MoE routing view's perplexity against k: one batch row per k = 1..E measured by the
// controller on its own channel, drawn as the view's third panel.
#include <catch2/catch.hpp>

#include <QFileInfo>
#include <cmath>
#include <cstdio>
#include "plot/qcustomplot_include.h"

#include "panels/knob_help.h"
#include "views/kv_cache_view.h"
#include "plot/moe_curve.h"
#include "views/routing_view.h"
#include "controller/trace_controller.h"
#include "widgets/widget_test_support.h"

using namespace anatomy::widgets;

namespace {

PerplexityWindow moeWindow() { return corpusWindow(1024, 256); }

anatomy::SimSettings moeSettings(int experts, int k) {
    return *settingsFromAssignments({QStringLiteral("moe.experts=%1").arg(experts), QStringLiteral("moe.k=%1").arg(k)});
}

// stories260K MoEfied into E experts with top-k routing, traced on the test prompt.
void traceMoe(TraceController& c, int experts, int k) {
    c.setSimSettings(moeSettings(experts, k));
    c.setPrompt(QString::fromUtf8(kTestPrompt));
    loadStories(c);
    REQUIRE(c.waitForIdle(120000));
    REQUIRE(c.hasModel());
}

// The curve's graph in the view: the one with a point per k.
const QCPGraph* curveGraph(const RoutingView& v, int points) {
    for (const QCustomPlot* p : v.findChildren<QCustomPlot*>())
        for (int i = 0; i < p->graphCount(); ++i)
            if (p->graph(i)->dataCount() == points && p->graph(i)->lineStyle() != QCPGraph::lsNone) return p->graph(i);
    return nullptr;
}

}  // namespace

TEST_CASE("moe curve: one row per k with the MoE settings, none when MoE is off", "[sim-gui]") {
    anatomy::MoeParams moe;
    CHECK(moeCurveRows(moe).empty());
    moe.experts = 12;
    moe.capacityFactor = 1.25f;
    const auto rows = moeCurveRows(moe);
    REQUIRE(rows.size() == 12);
    const QStringList& last = rows.at(QStringLiteral("moe.k=12"));
    CHECK(last.contains(QStringLiteral("moe.experts=12")));
    CHECK(last.contains(QStringLiteral("moe.capacity=1.25")));
    CHECK(moeCurveK(QStringLiteral("moe.k=12")) == 12);
    CHECK(moeCurveK(QStringLiteral("kv.sharing=mqa")) == 0);
    // Each row parses into exactly the settings it stands for.
    const auto sim = settingsFromAssignments(last);
    REQUIRE(sim);
    CHECK(sim->moe.topK == 12);
    CHECK(sim->moe.capacityFactor == 1.25f);
}

TEST_CASE("moe curve: E = 4 gives 4 points, k = E is the dense model, k = 1 is worse, the view draws it, "
          "the KV batch on its own channel is not cancelled", "[sim-gui]") {
    widgetTestApp();
    const PerplexityWindow w = moeWindow();
    REQUIRE(QFileInfo::exists(w.textPath));
    TraceController c;
    traceMoe(c, 4, 2);

    RoutingView view;
    view.resize(1400, 700);
    view.setInput(c.currentInput());
    REQUIRE(view.plotData().valid);
    REQUIRE(view.plotData().nExperts == 4);
    CHECK_FALSE(view.showsMoeCurve());

    std::map<quint64, PerplexityCosts> got;
    QString failure;
    QObject::connect(&c, &TraceController::perplexityCostsReady,
                     [&](const PerplexityCosts& r, quint64 n) { got[n] = r; });
    QObject::connect(&c, &TraceController::perplexityCostsFailed, [&](const QString& m, quint64) { failure = m; });

    // The KV cache view's batch first, then the curve's on another channel: both must arrive.
    const QString mqa = QStringLiteral("kv.sharing=mqa");
    const quint64 kv = c.requestPerplexityCosts(w, {{mqa, {mqa}}}, kKvCostChannel);
    const anatomy::MoeParams moe = c.simSettings().moe;
    view.setMoeCurvePending(describeWindow(w));
    CHECK(view.moeCurveState() == RoutingView::CurveState::Pending);
    const quint64 curveBatch = c.requestPerplexityCosts(w, moeCurveRows(moe), kMoeCurveChannel);
    REQUIRE(c.waitForPerplexityCosts(240000));
    INFO(failure.toStdString());
    REQUIRE(got.count(kv) == 1);
    REQUIRE(got.count(curveBatch) == 1);
    CHECK(got.at(kv).costs.count(mqa) == 1);

    const MoeCurve curve = moeCurveFromCosts(got.at(curveBatch), moe);
    REQUIRE(curve.k == std::vector<int>{1, 2, 3, 4});
    CHECK(curve.errors.empty());
    const double diff = std::abs(curve.pplAt(4) - curve.densePpl);
    std::printf("moe curve E=4: ppl k=1 %.6f, k=2 %.6f, k=3 %.6f, k=4 %.6f, dense %.6f, |k=4 - dense| %.3g\n",
                curve.pplAt(1), curve.pplAt(2), curve.pplAt(3), curve.pplAt(4), curve.densePpl, diff);
    CHECK(diff < 1e-6);  // k = E with gate one runs every expert: the dense FFN
    CHECK(curve.pplAt(1) > curve.pplAt(4));

    CHECK(curveGraph(view, 4) == nullptr);  // nothing drawn while pending
    view.setMoeCurve(curve);
    CHECK(view.showsMoeCurve());
    const QCPGraph* g = curveGraph(view, 4);
    REQUIRE(g);
    CHECK(g->data()->at(0)->key == 1);
    CHECK(g->data()->at(0)->value == Approx(curve.pplAt(1)));
    CHECK(distinctColors(view.grab().toImage()) > 8);

    // Another E: the old curve does not pass for the new one.
    c.setSimSettings(moeSettings(8, 2));
    REQUIRE(c.waitForIdle(120000));
    view.setInput(c.currentInput());
    CHECK_FALSE(view.showsMoeCurve());
    CHECK(curveGraph(view, 4) == nullptr);
}

TEST_CASE("moe curve: a newer curve batch replaces the older on its channel only", "[sim-gui]") {
    widgetTestApp();
    const PerplexityWindow w = moeWindow();
    TraceController c;
    c.setPrompt(QString::fromUtf8(kTestPrompt));
    loadStories(c);
    REQUIRE(c.waitForIdle(120000));
    std::vector<quint64> arrived;
    QObject::connect(&c, &TraceController::perplexityCostsReady,
                     [&](const PerplexityCosts&, quint64 n) { arrived.push_back(n); });
    anatomy::MoeParams moe;
    moe.experts = 2;
    const quint64 a = c.requestPerplexityCosts(w, moeCurveRows(moe), kMoeCurveChannel);
    const QString mha = QStringLiteral("kv.sharing=mha");
    const quint64 kv = c.requestPerplexityCosts(w, {{mha, {mha}}}, kKvCostChannel);
    moe.experts = 3;
    const quint64 b = c.requestPerplexityCosts(w, moeCurveRows(moe), kMoeCurveChannel);
    REQUIRE(c.waitForPerplexityCosts(240000));
    CHECK(std::count(arrived.begin(), arrived.end(), a) == 0);
    CHECK(std::count(arrived.begin(), arrived.end(), b) == 1);
    CHECK(std::count(arrived.begin(), arrived.end(), kv) == 1);
    // A cancelled channel delivers nothing and is not busy.
    const quint64 d = c.requestPerplexityCosts(w, moeCurveRows(moe), kMoeCurveChannel);
    c.cancelPerplexityCosts(kMoeCurveChannel);
    CHECK_FALSE(c.perplexityCostsBusy(kMoeCurveChannel));
    REQUIRE(c.waitForPerplexityCosts(240000));
    QCoreApplication::processEvents();
    CHECK(std::count(arrived.begin(), arrived.end(), d) == 0);
}

TEST_CASE("routing view on a 720-pixel slide: axis titles, token names and the curve's read-out do not pile up",
          "[window-defects]") {
    widgetTestApp();
    TraceController c;
    traceMoe(c, 8, 2);
    // A measured curve (made up: the layout is under test, not the numbers).
    MoeCurve curve;
    curve.experts = 8;
    curve.settings = QStringLiteral("gate one");
    curve.window = QStringLiteral("TinyStories tokens 0-4096, context 512");
    curve.densePpl = 4.7;
    for (int k = 1; k <= 8; ++k) {
        curve.k.push_back(k);
        curve.ppl.push_back(4.7 * std::pow(2.0, 8 - k));
    }
    // The routing pane of the attention lesson's slide: 880x440 with presentation mode's larger font.
    for (const QSize size : {QSize(880, 440), QSize(1300, 640)}) {
        RoutingView view;
        view.setAttribute(Qt::WA_DontShowOnScreen);
        QFont f = view.font();
        f.setPointSizeF(f.pointSizeF() * 1.6);
        view.setFont(f);
        view.resize(size);
        view.show();
        view.setInput(c.currentInput());
        view.setMoeCurve(curve);
        REQUIRE(view.plotData().valid);
        QCustomPlot* plot = view.findChild<QCustomPlot*>();
        REQUIRE(plot);
        for (int i = 0; i < 3; ++i) {
            plot->replot();
            QCoreApplication::processEvents();
        }
        INFO("view " << size.width() << "x" << size.height());
        const QList<QCPAxisRect*> rects = plot->axisRects();
        REQUIRE(rects.size() == 3);
        for (QCPAxisRect* r : rects) {
            // A bottom title, when shown, is no wider than its pane (else it runs into the next).
            QCPAxis* x = r->axis(QCPAxis::atBottom);
            if (!x->label().isEmpty()) {
                INFO(x->label().toStdString());
                CHECK(QFontMetricsF(x->labelFont()).horizontalAdvance(x->label()) <= r->outerRect().width() + 1);
            }
            // Text drawn inside a pane fits its width.
            for (int i = 0; i < plot->itemCount(); ++i)
                if (auto* t = qobject_cast<QCPItemText*>(plot->item(i)); t && t->visible() && t->clipAxisRect() == r)
                    for (const QString& line : t->text().split(QLatin1Char('\n'))) {
                        INFO(line.toStdString());
                        CHECK(QFontMetricsF(t->font()).horizontalAdvance(line) <= r->width() + 2);
                    }
        }
        // The heatmap's token names, rotated 60 degrees, lie at least a line apart.
        QCPAxis* tokens = rects[0]->axis(QCPAxis::atBottom);
        auto names = qSharedPointerDynamicCast<QCPAxisTickerText>(tokens->ticker());
        REQUIRE(names);
        const double lineH = QFontMetricsF(tokens->tickLabelFont()).height();
        double last = -1e9;
        for (auto it = names->ticks().cbegin(); it != names->ticks().cend(); ++it) {
            const double x = tokens->coordToPixel(it.key());
            CHECK((x - last) * 0.866 >= 0.9 * lineH);
            last = x;
        }
        // k's labels on the curve's axis do not touch ("78").
        QCPAxis* k = rects[2]->axis(QCPAxis::atBottom);
        auto ks = qSharedPointerDynamicCast<QCPAxisTickerText>(k->ticker());
        REQUIRE(ks);
        last = -1e9;
        const QFontMetricsF km(k->tickLabelFont());
        for (auto it = ks->ticks().cbegin(); it != ks->ticks().cend(); ++it) {
            const double x = k->coordToPixel(it.key());
            CHECK(x - last >= km.horizontalAdvance(it.value()) + 0.4 * km.averageCharWidth());
            last = x;
        }
    }
}
