// Defects a projecting teacher met: the attention hover read-out kept the last trace's numbers
// after a setting changed, the KV cache legend covered bars and their labels were cut at the
// plot's edge, picking a RoPE scaling method left the factor at 1 (so it did nothing), the
// colour bar named q·k/√d after attn.scale had changed it, and presentation mode cut the token
// strip's legend off at 1280x720.
#include <QComboBox>
#include <QHeaderView>
#include <QTableWidget>
#include <QDoubleSpinBox>
#include <QMouseEvent>
#include <QScrollArea>
#include <algorithm>
#include <catch2/catch.hpp>

#include "anatomy/rope_scaling.h"
#include "main_window.h"
#include "panels/architecture_panel.h"
#include "plot/qcustomplot_include.h"
#include "views/attention_view.h"
#include "views/kv_cache_view.h"
#include "views/norms_view.h"
#include "views/positions_view.h"
#include "views/rope_view.h"
#include "views/sampling_view.h"
#include "views/token_strip.h"
#include "widgets/widget_test_support.h"

using namespace anatomy::widgets;

namespace {

ViewInput traceWith(const QStringList& assignments) {
    widgetTestApp();
    TraceController c;
    anatomy::SimSettings sim;
    for (const QString& kv : assignments) anatomy::applySetting(sim, kv.toStdString());
    c.setSimSettings(sim);
    c.setPrompt(QString::fromUtf8(kTestPrompt));
    loadStories(c);
    REQUIRE(c.waitForIdle(120000));
    REQUIRE(c.currentInput().trace);
    return c.currentInput();
}

void settle() {
    for (int i = 0; i < 5; ++i) QCoreApplication::processEvents();
}

// A view of this size, shown off screen, given the input and settled.
template <class View>
void showView(View& view, QSize size, const ViewInput& in) {
    view.setAttribute(Qt::WA_DontShowOnScreen);
    view.resize(size);
    view.show();
    view.setInput(in);
    settle();
}

QString probabilityText(const anatomy::Trace& t, int layer, int head, int q, int k) {
    return QString::number(t.layers[size_t(layer)].attnProbs.at({head, q, k}), 'f', 4);
}

}  // namespace

TEST_CASE("attention view: the hover read-out follows a re-trace under a still pointer", "[window-defects]") {
    const ViewInput a = traceWith({});
    const ViewInput b = traceWith({QStringLiteral("attn.scale=0.25")});
    AttentionView view;
    view.setAttribute(Qt::WA_DontShowOnScreen);
    view.resize(1000, 700);
    view.show();
    view.setInput(a);
    view.setSelection(Selection{-1, 2, 3});
    settle();
    view.plot()->replot();
    const int q = 10, k = 4;
    const QPointF at(view.plot()->xAxis->coordToPixel(k), view.plot()->yAxis->coordToPixel(q));
    QMouseEvent move(QEvent::MouseMove, at, view.plot()->mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QCoreApplication::sendEvent(view.plot(), &move);
    const QString pa = probabilityText(*a.trace, 2, 3, q, k), pb = probabilityText(*b.trace, 2, 3, q, k);
    REQUIRE(pa != pb);
    CHECK(view.readoutText().contains(pa));
    view.setInput(b);  // the knob moved: a new trace, the pointer did not
    INFO(view.readoutText().toStdString());
    CHECK(view.readoutText().contains(pb));
    CHECK_FALSE(view.readoutText().contains(pa));
    // The scale that ran is named, in the read-out and on the colour bar.
    CHECK(view.readoutText().contains(QStringLiteral("0.25·q·k/√d")));
    view.setMode(AttentionMode::Scores);
    bool labelled = false;
    for (QCPLayoutElement* e : view.plot()->plotLayout()->elements(true))
        if (auto* scale = qobject_cast<QCPColorScale*>(e))
            labelled = scale->axis()->label().contains(QStringLiteral("0.25·q·k/√d"));
    CHECK(labelled);
    // Leaving the map brings the hint back.
    QEvent leave(QEvent::Leave);
    QCoreApplication::sendEvent(view.plot(), &leave);
    CHECK(view.readoutText().startsWith(QStringLiteral("Hover")));
}

TEST_CASE("kv cache view: the legend covers no bar and every bar label fits", "[window-defects]") {
    const ViewInput& in = widgetTestInput();
    for (const QSize size : {QSize(1280, 600), QSize(1920, 900), QSize(900, 560)}) {
        KvCacheView view;
        view.setAttribute(Qt::WA_DontShowOnScreen);
        view.resize(size);
        view.show();
        view.setInput(in);
        settle();
        QCustomPlot* plot = nullptr;
        for (QCustomPlot* p : view.findChildren<QCustomPlot*>()) plot = p;
        REQUIRE(plot);
        plot->replot();
        QCPAxisRect* rect = plot->axisRect();
        QCPLegend* legend = nullptr;
        for (QCPLayoutElement* e : plot->plotLayout()->elements(true))
            if (auto* l = qobject_cast<QCPLegend*>(e)) legend = l;
        REQUIRE(legend);
        INFO("view " << size.width() << "x" << size.height());
        // The legend sits outside the bars' rectangle.
        CHECK_FALSE(legend->outerRect().intersects(rect->rect()));
        // Every bar's label shown ends inside the plot's rectangle; a wide view shows them all.
        int labels = 0;
        for (int i = 0; i < plot->itemCount(); ++i) {
            auto* t = qobject_cast<QCPItemText*>(plot->item(i));
            if (!t || !t->visible()) continue;
            ++labels;
            const QPointF anchor = t->position->pixelPosition();
            const double w = QFontMetricsF(t->font()).horizontalAdvance(t->text());
            INFO(t->text().toStdString());
            CHECK(anchor.x() + w <= rect->right() + 1);
        }
        // Rows a line high or more are all named; thinner rows (a short view) name only the
        // shipped ones, or none, so no two names ever pile up (attention lesson, step 5).
        const int n = int(view.entries().size());
        QCPAxis* rows = rect->axis(QCPAxis::atLeft);
        const double lineH = QFontMetricsF(rows->tickLabelFont()).height();
        const bool allFit = rect->height() / double(n) >= 0.95 * lineH;
        int shipped = 0;
        for (const KvCacheEntry& e : view.entries()) shipped += e.published ? 1 : 0;
        if (size.width() >= 1280 && allFit) CHECK(labels == n);
        if (!allFit) CHECK((labels == shipped || labels == 0));
        if (size.height() >= 900) CHECK(labels > 0);
        auto names = qSharedPointerDynamicCast<QCPAxisTickerText>(rows->ticker());
        REQUIRE(names);
        double lastY = -1e9;
        for (auto it = names->ticks().cbegin(); it != names->ticks().cend(); ++it) {
            if (it.value().isEmpty()) continue;
            const double y = rows->coordToPixel(it.key());
            INFO("row " << it.value().toStdString() << " at " << y << " px, previous at " << lastY);
            CHECK(std::abs(y - lastY) >= 0.95 * lineH);
            lastY = y;
        }
        // The byte units on the axis do not run into each other ("1 KiB1 MiB").
        settle();
        QCPAxis* bytes = rect->axis(QCPAxis::atBottom);
        auto units = qSharedPointerDynamicCast<QCPAxisTickerText>(bytes->ticker());
        REQUIRE(units);
        REQUIRE(units->ticks().size() >= 2);
        const QFontMetricsF tm(bytes->tickLabelFont());
        double last = -1e9;
        for (auto it = units->ticks().cbegin(); it != units->ticks().cend(); ++it) {
            const double x = bytes->coordToPixel(it.key());
            if (x > rect->right() + 1) break;
            INFO("tick " << it.value().toStdString() << " at " << x << " px, previous at " << last);
            CHECK(x - last >= tm.horizontalAdvance(it.value()));
            last = x;
        }
    }
}

TEST_CASE("architecture panel: picking YaRN starts the factor at 4, so it acts", "[window-defects]") {
    widgetTestApp();
    ArchitecturePanel panel;
    auto* method = qobject_cast<QComboBox*>(panel.control(QStringLiteral("rope.scaling")));
    auto* factor = qobject_cast<QDoubleSpinBox*>(panel.control(QStringLiteral("rope.factor")));
    REQUIRE(method);
    REQUIRE(factor);
    REQUIRE(factor->value() == 1.0);
    method->setCurrentText(QStringLiteral("yarn"));
    CHECK(panel.settings().ropeScaling.method == anatomy::RopeScaling::Yarn);
    CHECK(panel.settings().ropeScaling.factor == float(ArchitecturePanel::kFirstRopeFactor));
    CHECK(factor->value() == ArchitecturePanel::kFirstRopeFactor);
    // YaRN's logit scale now departs from 1, so the trace's attention changes.
    CHECK(anatomy::ropeLogitScale(panel.settings().ropeScaling) > 1.0f);
    // A factor the user set stays when the method changes again.
    factor->setValue(2.0);
    method->setCurrentText(QStringLiteral("linear"));
    CHECK(panel.settings().ropeScaling.factor == 2.0f);
    // Dynamic NTK acts at s = 1 beyond the trained context: left alone.
    panel.setSettings(anatomy::SimSettings{});
    method->setCurrentText(QStringLiteral("dynamic-ntk"));
    CHECK(panel.settings().ropeScaling.factor == 1.0f);
}

TEST_CASE("main window: presentation mode keeps the token strip's legend in view at 1280x720", "[window-defects]") {
    widgetTestApp();
    anatomy::gui::MainWindow w;
    w.setAttribute(Qt::WA_DontShowOnScreen);
    w.resize(1280, 720);
    w.show();
    w.start(QString::fromStdString(modelPath("stories260K.bin")), QString::fromUtf8(kTestPrompt),
            QString::fromStdString(modelPath("tok512.bin")));
    REQUIRE(w.controller().waitForIdle(120000));
    settle();
    auto* strip = qobject_cast<TokenStrip*>(w.view(QStringLiteral("tokens")));
    REQUIRE(strip);
    auto* area = qobject_cast<QScrollArea*>(strip->parentWidget()->parentWidget());
    REQUIRE(area);
    for (bool presenting : {false, true, false}) {
        w.setPresentationMode(presenting);
        settle();
        // One line of chips with the legend under it: the strip's height at an unbounded width.
        const int oneLine = strip->heightForWidth(100000);
        INFO((presenting ? "presenting" : "normal") << ": viewport " << area->viewport()->height() << " px, one line "
                                                    << oneLine << " px");
        CHECK(area->viewport()->height() >= oneLine);
    }
}

TEST_CASE("kv cache view: the table's columns fit their contents after a refill", "[window-defects]") {
    // The header fits the columns once, after the last item (it used to refit per item).
    const ViewInput& in = widgetTestInput();
    KvCacheView view;
    view.setAttribute(Qt::WA_DontShowOnScreen);
    view.resize(1280, 600);
    view.show();
    view.setInput(in);
    settle();
    auto* table = view.findChild<QTableWidget*>();
    REQUIRE(table);
    REQUIRE(table->rowCount() > 3);
    const QHeaderView* header = table->horizontalHeader();
    CHECK(header->sectionResizeMode(0) == QHeaderView::ResizeToContents);
    for (int col = 0; col < table->columnCount(); ++col) {
        INFO("column " << col);
        CHECK(header->sectionSize(col) == std::max(static_cast<const QAbstractItemView*>(table)->sizeHintForColumn(col), header->sectionSizeHint(col)));
    }
}

TEST_CASE("kv cache view: a short pane keeps its height for the bars, a tall one shows the formulas and the legend above",
          "[window-defects]") {
    const ViewInput& in = widgetTestInput();
    for (const int height : {330, 900}) {
        KvCacheView view;
        showView(view, QSize(1280, height), in);
        QCustomPlot* plot = nullptr;
        for (QCustomPlot* p : view.findChildren<QCustomPlot*>())
            if (p->axisRect()) plot = p;
        REQUIRE(plot);
        QCPAxisRect* rect = plot->axisRect();
        bool legendInBars = false;
        for (int i = 0; i < rect->insetLayout()->elementCount(); ++i)
            legendInBars |= qobject_cast<QCPLegend*>(rect->insetLayout()->elementAt(i)) != nullptr;
        const int bars = [&] {
            int n = 0;
            for (int i = 0; i < plot->plottableCount(); ++i)
                if (auto* b = qobject_cast<QCPBars*>(plot->plottable(i))) n += b->data()->size();
            return n;
        }();
        REQUIRE(bars > 10);
        INFO("pane " << plot->height() << " px, bars " << rect->height() << " px for " << bars << " rows");
        REQUIRE((height == 330) == (plot->height() < 400));  // both layouts are checked
        if (plot->height() < 400) {
            CHECK(legendInBars);
            CHECK_FALSE(plot->toolTip().isEmpty());  // the formulas
            // Most of the pane is bars (the title and the axis take the rest).
            CHECK(rect->height() >= 0.55 * plot->height());
            // The legend in the corner covers no bar.
            QCPLegend* legend = nullptr;
            for (int i = 0; i < rect->insetLayout()->elementCount(); ++i)
                if (auto* l = qobject_cast<QCPLegend*>(rect->insetLayout()->elementAt(i))) legend = l;
            REQUIRE(legend);
            plot->replot();
            const QRectF lr = legend->outerRect();
            QCPAxis* va = rect->axis(QCPAxis::atBottom);
            QCPAxis* ka = rect->axis(QCPAxis::atLeft);
            for (int i = 0; i < plot->plottableCount(); ++i)
                if (auto* b = qobject_cast<QCPBars*>(plot->plottable(i)))
                    for (const QCPBarsData& d : *b->data()) {
                        const double y = ka->coordToPixel(d.key), half = std::abs(ka->coordToPixel(d.key + b->width() / 2) - y);
                        const QRectF bar(QPointF(va->coordToPixel(1), y - half), QPointF(va->coordToPixel(d.value), y + half));
                        INFO("row " << d.key << ": bar to x " << bar.right() << ", legend from x " << lr.left());
                        CHECK_FALSE(bar.normalized().adjusted(0, 1, 0, -1).intersects(lr));
                    }
        } else {
            CHECK_FALSE(legendInBars);
            CHECK(plot->toolTip().isEmpty());
        }
    }
}

TEST_CASE("positions view: the ALiBi legend sits in the bars' free corner when it fits and is left out when not",
          "[window-defects]") {
    const ViewInput& in = widgetTestInput();
    for (const QSize size : {QSize(1280, 720), QSize(700, 420)}) {
        PositionsView view;
        showView(view, size, in);
        QCPLegend* legend = nullptr;
        QCustomPlot* alibi = nullptr;
        for (QCustomPlot* p : view.findChildren<QCustomPlot*>())
            for (QCPAxisRect* r : p->axisRects())
                for (int i = 0; i < r->insetLayout()->elementCount(); ++i)
                    if (auto* l = qobject_cast<QCPLegend*>(r->insetLayout()->elementAt(i))) {
                        legend = l;
                        alibi = p;
                    }
        REQUIRE(legend);  // in the axis rect, not a row of its own under it
        INFO("view " << size.width() << "x" << size.height() << ", pane " << alibi->width() << "x" << alibi->height());
        if (size.height() >= 720) {
            CHECK(legend->visible());
            CHECK(legend->itemCount() == 8);
            // Inside the rect, in its lower left corner.
            const QRect lr = legend->outerRect(), rr = alibi->axisRect()->rect();
            INFO("legend " << lr.left() << "," << lr.top() << " " << lr.width() << "x" << lr.height() << " in " << rr.left() << "," << rr.top() << " " << rr.width() << "x" << rr.height());
            CHECK(rr.adjusted(-2, -2, 2, 2).contains(lr));
            CHECK(lr.left() - rr.left() < 10);
            CHECK(rr.bottom() - lr.bottom() < 10);
        } else {
            CHECK_FALSE(legend->visible());
        }
    }
}

TEST_CASE("views: resizes and a font change in one turn draw what one resize to the last size draws", "[window-defects]") {
    // F5's font change and relayouts reach a shown view in one turn of the event loop; the view
    // refits once, afterwards, and the picture is the one a view sized and styled so draws.
    const ViewInput& in = widgetTestInput();
    RopeView many, once;
    for (RopeView* v : {&many, &once}) {
        v->setAttribute(Qt::WA_DontShowOnScreen);
        v->resize(1000, 640);
        v->show();
        v->setInput(in);
    }
    settle();
    QFont big = many.font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    many.setFont(big);
    for (const QSize s : {QSize(1400, 700), QSize(900, 600), QSize(1280, 720)}) many.resize(s);
    once.setFont(big);
    settle();
    once.resize(1280, 720);
    settle();
    const QImage a = many.grab().toImage(), b = once.grab().toImage();
    REQUIRE(a.size() == b.size());
    CHECK(a == b);
}

TEST_CASE("lecture fit: a legend too wide for its pane drops columns, an annotation that runs out is shrunk or hidden",
          "[window-defects]") {
    widgetTestApp();
    QCustomPlot plot;
    plot.setAttribute(Qt::WA_DontShowOnScreen);
    plot.resize(440, 240);  // a pane of a 2x2 grid on a 720-pixel slide
    auto* rect = plot.axisRect();
    lecture::styleAxisRect(rect);
    auto* legend = new QCPLegend;
    plot.plotLayout()->addElement(1, 0, legend);
    legend->setFont(lecture::fontFor(&plot, lecture::kLabelPt));
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(4);
    for (int h = 0; h < 8; ++h) {
        auto* g = new QCPGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        g->setName(QStringLiteral("head %1: slope 1/%2").arg(h).arg(1 << (h + 1)));
        legend->addItem(new QCPPlottableLegendItem(legend, g));
    }
    auto* note = new QCPItemText(&plot);
    note->position->setType(QCPItemPosition::ptAxisRectRatio);
    note->position->setCoords(0.6, 0.5);
    note->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    note->setFont(lecture::fontFor(&plot, lecture::kTitlePt));
    note->setText(QStringLiteral("a note far too long for what is left of this pane"));
    plot.show();
    for (int i = 0; i < 4; ++i) {
        plot.replot();
        QCoreApplication::processEvents();
    }
    CHECK(legend->wrap() < 4);
    CHECK(legend->minimumOuterSizeHint().width() <= plot.viewport().width());
    for (int i = 0; i < legend->itemCount(); ++i)
        if (QCPAbstractLegendItem* item = legend->item(i)) CHECK(item->outerRect().right() <= plot.viewport().right() + 1);
    if (note->visible()) {
        const QRectF r(note->topLeft->pixelPosition(), note->bottomRight->pixelPosition());
        CHECK(r.right() <= rect->rect().right() + 3);
    }
    // Given room again, the legend gets its four columns back.
    plot.resize(1800, 400);
    for (int i = 0; i < 4; ++i) {
        plot.replot();
        QCoreApplication::processEvents();
    }
    CHECK(legend->wrap() == 4);
}

TEST_CASE("RoPE view: a narrow wavelength pane drops the frequency axis, and the dials' lengths sit under their names",
          "[window-defects]") {
    const ViewInput& in = widgetTestInput();
    for (const QSize size : {QSize(900, 460), QSize(1900, 1000)}) {
        RopeView view;
        QFont f = view.font();
        if (size.width() < 1000) f.setPointSizeF(f.pointSizeF() * 1.6);  // presentation mode's font
        view.setFont(f);
        showView(view, size, in);
        view.setSelection(Selection{-1, 1, 0});
        settle();
        QCustomPlot* wavelengths = nullptr;
        QCustomPlot* dials = nullptr;
        for (QCustomPlot* p : view.findChildren<QCustomPlot*>()) {
            p->replot();
            // The wavelength pane: both value axes logarithmic (tokens per turn, θ reversed).
            for (QCPAxisRect* r : p->axisRects())
                if (r->axis(QCPAxis::atLeft)->scaleType() == QCPAxis::stLogarithmic &&
                    r->axis(QCPAxis::atRight)->scaleType() == QCPAxis::stLogarithmic)
                    wavelengths = p;
            for (int i = 0; i < p->itemCount(); ++i)
                if (auto* t = qobject_cast<QCPItemText*>(p->item(i)); t && t->text().startsWith(QStringLiteral("|q|")))
                    dials = p;
        }
        REQUIRE(wavelengths);
        REQUIRE(dials);
        INFO("view " << size.width() << "x" << size.height() << ", wavelength pane " << wavelengths->width() << " px wide");
        // The slide's pane is narrow, the window's wide: both sides of the rule are exercised.
        REQUIRE((wavelengths->width() < 480) == (size.width() < 1000));
        CHECK(wavelengths->axisRects().back()->axis(QCPAxis::atRight)->visible() == (size.width() >= 1000));
        // Every "|q| … |k| …" text starts below its dial's "pair i".
        int checked = 0;
        for (int i = 0; i < dials->itemCount(); ++i) {
            auto* t = qobject_cast<QCPItemText*>(dials->item(i));
            if (!t || !t->text().startsWith(QStringLiteral("|q|"))) continue;
            REQUIRE(t->position->parentAnchor());
            QCPItemText* title = nullptr;
            for (int j = 0; j < dials->itemCount(); ++j)
                if (auto* c = qobject_cast<QCPItemText*>(dials->item(j)); c && c->bottomLeft == t->position->parentAnchor())
                    title = c;
            REQUIRE(title);
            CHECK(title->text().startsWith(QStringLiteral("pair")));
            CHECK(t->topLeft->pixelPosition().y() >= title->bottomLeft->pixelPosition().y());
            ++checked;
        }
        CHECK(checked >= 4);
    }
}

TEST_CASE("norms view on a 720-line comparison slide: the legends take at most a third of their panes",
          "[window-defects]") {
    const ViewInput& in = widgetTestInput();
    for (const bool slide : {true, false}) {
        NormsView view;
        QFont f = view.font();
        if (slide) f.setPointSizeF(f.pointSizeF() * 1.6);  // presentation mode's font
        view.setFont(f);
        showView(view, slide ? QSize(440, 460) : QSize(1900, 1000), in);  // one side of a comparison
        settle();
        int legends = 0;
        bool longNames = false;
        for (QCustomPlot* p : view.findChildren<QCustomPlot*>()) {
            p->replot();
            if (!p->legend || !p->legend->visible() || p->legend->itemCount() == 0) continue;
            ++legends;
            for (int i = 0; i < p->plottableCount(); ++i)
                longNames = longNames || p->plottable(i)->name() == NormsView::tr("residual stream");
            INFO((slide ? "slide" : "window") << ": legend " << p->legend->outerRect().height() << " px of a "
                                              << p->width() << "x" << p->height() << " px pane, " << p->legend->columnCount()
                                              << " columns, " << p->legend->font().pointSizeF() << " pt");
            if (slide) CHECK(p->legend->outerRect().height() <= p->height() / 3);
        }
        CHECK(legends >= 3);
        CHECK(longNames == !slide);  // the window keeps the full names
    }
}
