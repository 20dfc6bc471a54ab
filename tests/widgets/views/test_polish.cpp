// Details a lecture audience sees: the sampling view's counts read as English and its labels
// fit, the KV-cache calculator clamps the MLA rank to what a model can use, and the app's
// command line takes the CLI's --set keys.
#include <catch2/catch.hpp>

#include <QFontMetrics>
#include <QPushButton>
#include "plot/qcustomplot_include.h"

#include "anatomy/kv_cache_calculator.h"
#include "export/gui_args.h"
#include "views/kv_cache_view.h"
#include "views/sampling_view.h"
#include "export/view_export.h"
#include "widgets/widget_test_support.h"

using namespace anatomy;
using namespace anatomy::widgets;

namespace {

// Every text element of the view's plot (titles and subtitles), joined by newlines.
QString plotTexts(const QWidget& view) {
    QString out;
    auto* plot = view.findChild<QCustomPlot*>();
    REQUIRE(plot);
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i)
        if (auto* t = qobject_cast<QCPTextElement*>(plot->plotLayout()->elementAt(i))) out += t->text() + QLatin1Char('\n');
    return out;
}

}  // namespace

TEST_CASE("sampling view: one survivor reads '1 candidate' and '1 token'", "[polish]") {
    widgetTestApp();
    CHECK(countOf(1, QStringLiteral("candidate"), QStringLiteral("candidates")) == QStringLiteral("1 candidate"));
    CHECK(countOf(2, QStringLiteral("candidate"), QStringLiteral("candidates")) == QStringLiteral("2 candidates"));

    ViewInput in = widgetTestInput();
    in.sampler.topK = 1;  // top-k = 1 leaves exactly one token
    SamplingView view;
    view.setInput(in);
    renderWidget(&view, QSize(1400, 900));
    const QString texts = plotTexts(view);
    INFO(texts.toStdString());
    CHECK(texts.contains(QStringLiteral("1 candidate left")));
    CHECK_FALSE(texts.contains(QStringLiteral("1 candidates")));
    bool sawOneToken = false;
    for (QPushButton* b : view.findChildren<QPushButton*>()) {
        CHECK_FALSE(b->text().contains(QStringLiteral("1 tokens")));
        sawOneToken = sawOneToken || b->text().endsWith(QStringLiteral("\n1 token")) || b->text().endsWith(QStringLiteral("\n1 tok"));
    }
    CHECK(sawOneToken);
}

TEST_CASE("sampling view: stage button text fits the buttons, wide and narrow", "[polish]") {
    widgetTestApp();
    ViewInput in = widgetTestInput();
    in.sampler.temperature = 0.8f;
    in.sampler.topK = 40;
    in.sampler.minP = 0.05f;
    in.sampler.repetitionPenalty = 1.1f;
    for (const QSize size : {QSize(1400, 900), QSize(900, 600), QSize(520, 500)}) {
        SamplingView view;
        view.setInput(in);
        renderWidget(&view, size);
        int stageButtons = 0;
        for (QPushButton* b : view.findChildren<QPushButton*>()) {
            if (!b->isCheckable()) continue;  // Draw buttons
            ++stageButtons;
            const QFontMetrics fm(b->font());
            for (const QString& line : b->text().split(QLatin1Char('\n'))) {
                INFO(size.width() << "px view, button " << b->width() << "px, " << b->font().pointSizeF()
                                  << " pt: '" << line.toStdString() << "' is " << fm.horizontalAdvance(line) << "px");
                CHECK(fm.horizontalAdvance(line) <= b->width() - 6);
            }
        }
        CHECK(stageButtons == 8);  // softmax, the six stages (typical included), final
    }
    // Narrow buttons get compact lines rather than clipped ones.
    SamplingStageBars t;
    t.name = QStringLiteral("temperature");
    t.setting = QStringLiteral("T = 0.8");
    t.survivors = 512;
    const StageButtonText narrow = fitStageButtonText(t, QFont(), 40);
    CHECK(narrow.compact);
    CHECK(narrow.lines.front() == QStringLiteral("temp."));
    CHECK(fitStageButtonText(t, QFont(), 400).lines == stageButtonLines(t, false));
}

TEST_CASE("sampling view: probability labels over the bars never overlap", "[polish]") {
    widgetTestApp();
    ViewInput in = widgetTestInput();
    in.sampler.temperature = 3.0f;  // a flat distribution: many bars of about the same height
    in.sampler.topP = 1.0f;
    SamplingView view;
    view.setInput(in);
    renderWidget(&view, QSize(700, 500));
    auto* plot = view.findChild<QCustomPlot*>();
    REQUIRE(plot);
    std::vector<QRectF> boxes;
    for (int i = 0; i < plot->itemCount(); ++i) {
        auto* t = qobject_cast<QCPItemText*>(plot->item(i));
        if (!t || !t->text().endsWith(QLatin1Char('%'))) continue;
        const QFontMetrics fm(t->font());
        const QPointF p = t->position->pixelPosition();
        const int w = fm.horizontalAdvance(t->text());
        boxes.emplace_back(p.x() - w / 2.0, p.y() - fm.height(), w, fm.height());
    }
    INFO(boxes.size() << " labels shown");
    CHECK(boxes.size() >= 2);
    for (size_t a = 0; a < boxes.size(); ++a)
        for (size_t b = a + 1; b < boxes.size(); ++b) CHECK_FALSE(boxes[a].intersects(boxes[b]));
}

TEST_CASE("kv cache view: the MLA rank is clamped per model (stories260K: r = 64)", "[polish]") {
    widgetTestApp();
    const ModelConfig& c = widgetTestInput().trace->config;
    REQUIRE(c.kvDim() == 32);  // K and V rows: 32 each
    CHECK(maxLatentRank(c.nKvHeads, c.headSize(), c.dim) == 64);
    const auto rows = kvCacheEntries(&c, QStringLiteral("this model"), 4096, 512);
    int seen = 0;
    for (const KvCacheEntry& e : rows) {
        if (e.kind != QLatin1String("MLA")) continue;
        if (e.model == QLatin1String("this model")) {
            ++seen;
            CHECK(e.latentRank == 64);
            CHECK(e.rankClamped);
            CHECK(e.variant.contains(QStringLiteral("min(512, 64)")));
            CHECK(e.bytesPerToken == mlaBytesPerToken(c.nLayers, 64, 0, 4));
            CHECK(e.bytesPerToken == 5LL * 64 * 4);
            CHECK(e.simAssignments == QStringList{QStringLiteral("kv.sharing=latent"), QStringLiteral("kv.rank=64")});
        } else if (e.model == QLatin1String("Llama-2-7B")) {
            ++seen;
            CHECK(e.latentRank == 512);  // 2 * 32 * 128 = 8192 and d_model 4096 are both above 512
            CHECK_FALSE(e.rankClamped);
            CHECK(e.simAssignments.isEmpty());
        }
    }
    CHECK(seen == 2);
}

TEST_CASE("kv cache view: perplexity costs show for the loaded model, 'not measured' otherwise", "[polish]") {
    widgetTestApp();
    KvCacheView view;
    view.setInput(widgetTestInput());
    const auto rowOf = [&](const QString& model, const QString& kind) -> const KvCacheEntry& {
        for (const KvCacheEntry& e : view.entries())
            if (e.model.startsWith(model) && e.kind == kind) return e;
        FAIL("no row " << model.toStdString() << " " << kind.toStdString());
        return view.entries().front();
    };
    CHECK(view.perplexityCostText(rowOf(QStringLiteral("this model"), QStringLiteral("MQA"))) == QStringLiteral("not measured"));
    view.setPerplexityCosts({{QStringLiteral("kv.sharing=mqa"), 1.5}, {QStringLiteral("kv.sharing=as-loaded"), 0.0}});
    CHECK(view.perplexityCostText(rowOf(QStringLiteral("this model"), QStringLiteral("MQA"))) == QStringLiteral("+1.50"));
    CHECK(view.perplexityCostText(rowOf(QStringLiteral("this model"), QStringLiteral("GQA"))) == QStringLiteral("+0.00"));
    CHECK(view.perplexityCostText(rowOf(QStringLiteral("this model"), QStringLiteral("MLA"))) == QStringLiteral("not measured"));
    CHECK(view.perplexityCostText(rowOf(QStringLiteral("Llama-2-7B"), QStringLiteral("MQA"))).isEmpty());
    CHECK(view.toCsv().contains(QStringLiteral(",1.5\n")));
}

TEST_CASE("gui args: --set takes the CLI's keys after ANATOMY_SIM_SET, bad ones are one-line errors", "[polish]") {
    widgetTestApp();
    const GuiArgs ok = parseGuiArgs({QStringLiteral("anatomy"), QStringLiteral("--screenshot"), QStringLiteral("/tmp/x.png"),
                                     QStringLiteral("--view"), QStringLiteral("window"), QStringLiteral("--set"),
                                     QStringLiteral("moe.experts=4"), QStringLiteral("--set"), QStringLiteral("moe.k=2"),
                                     QStringLiteral("--size"), QStringLiteral("1600x1000")},
                                    QStringLiteral("norm.type=layer;"));
    INFO(ok.error.toStdString());
    CHECK(ok.error.isEmpty());
    CHECK(ok.screenshot == QStringLiteral("/tmp/x.png"));
    CHECK(ok.view == QStringLiteral("window"));
    CHECK(ok.size == QSize(1600, 1000));
    CHECK(ok.simAssignments ==
          QStringList{QStringLiteral("norm.type=layer"), QStringLiteral("moe.experts=4"), QStringLiteral("moe.k=2")});

    const auto errorOf = [](const QStringList& extra, const QString& env = {}) {
        return parseGuiArgs(QStringList{QStringLiteral("anatomy")} + extra, env).error;
    };
    CHECK(errorOf({QStringLiteral("--set"), QStringLiteral("moe.k=two")}).contains(QStringLiteral("moe.k")));
    CHECK(errorOf({QStringLiteral("--set"), QStringLiteral("warp.drive=on")}).contains(QStringLiteral("unknown setting 'warp.drive'")));
    CHECK(errorOf({QStringLiteral("--set"), QStringLiteral("norm.type")}).contains(QStringLiteral("key=value")));
    CHECK(errorOf({}, QStringLiteral("norm.type=foo")).startsWith(QStringLiteral("ANATOMY_SIM_SET")));
    CHECK(errorOf({QStringLiteral("--size"), QStringLiteral("big")}).contains(QStringLiteral("--size")));
    CHECK(errorOf({QStringLiteral("--layer"), QStringLiteral("two")}).contains(QStringLiteral("--layer")));
    for (const QString& e : {errorOf({QStringLiteral("--set"), QStringLiteral("moe.k=two")}), errorOf({QStringLiteral("--bogus")})}) {
        CHECK_FALSE(e.isEmpty());
        CHECK_FALSE(e.contains(QLatin1Char('\n')));
    }

    const GuiArgs help = parseGuiArgs({QStringLiteral("anatomy"), QStringLiteral("--help")});
    CHECK(help.help);
    CHECK(help.helpText.contains(QStringLiteral("--set <KEY=VALUE>")));
    CHECK(help.helpText.contains(QStringLiteral("--screenshot <FILE>")));
    CHECK(help.helpText.contains(QStringLiteral("moe.experts")));
}

TEST_CASE("kv cache view: a trained MLA model's own row is its latent, as shipped, with nothing to simulate",
          "[polish]") {
    widgetTestApp();
    ModelConfig c;  // the tiny MLA of the trainer's tests: 2 layers, 4 heads of 16, rank 16 + RoPE key 4
    c.dim = 64;
    c.nLayers = 2;
    c.nHeads = c.nKvHeads = 4;
    c.mlaRank = 16;
    c.mlaRopeDim = 4;
    const auto rows = kvCacheEntries(&c, QStringLiteral("mla"), 1024, 512);
    int shipped = 0;
    for (const KvCacheEntry& e : rows) {
        if (e.model != QLatin1String("mla")) continue;
        CHECK(e.simAssignments.isEmpty());  // no K and V for the simulator to share
        if (!e.published) continue;
        ++shipped;
        CHECK(e.kind == QLatin1String("MLA"));
        CHECK(e.latentRank == 16);
        CHECK(e.bytesPerToken == 2LL * (16 + 4) * 4);  // 160 bytes, against MHA's 2 * 2 * 64 * 4 = 1024
    }
    CHECK(shipped == 1);
}

TEST_CASE("sampling view: a short plot leaves out a legend of the kept bars alone", "[polish]") {
    widgetTestApp();
    ViewInput in = widgetTestInput();
    in.sampler.temperature = 1.5f;  // and nothing cut: the kept bars are the only entry
    in.sampler.topP = 1.0f;
    for (const bool tall : {true, false}) {
        SamplingView view;
        QFont f = view.font();
        if (!tall) f.setPointSizeF(f.pointSizeF() * 1.6);  // a 720-line slide in presentation mode
        view.setFont(f);
        view.setInput(in);
        view.showStage(QStringLiteral("final"));  // the distribution drawn from: no "before" bars
        renderWidget(&view, tall ? QSize(1400, 1000) : QSize(890, 440));
        QCustomPlot* bars = nullptr;
        for (QCustomPlot* p : view.findChildren<QCustomPlot*>())
            if (p->legend && p->legend->itemCount() > 0) bars = p;
        REQUIRE(bars);
        QString names;
        for (int i = 0; i < bars->legend->itemCount(); ++i)
            if (auto* it = qobject_cast<QCPPlottableLegendItem*>(bars->legend->item(i))) names += it->plottable()->name() + QLatin1String("; ");
        INFO((tall ? "tall" : "short") << " view, plot " << bars->height() << " px high, legend: "
                                       << names.toStdString());
        if (tall) {
            CHECK(bars->legend->visible());
        } else {
            REQUIRE(bars->legend->itemCount() == 1);
            CHECK_FALSE(bars->legend->visible());
        }
    }
}
