#include "views/routing_view.h"

#include <QEvent>
#include <QVBoxLayout>
#include "plot/qcustomplot_include.h"

#include <algorithm>
#include <cmath>

#include "views/sampling_view.h"  // visibleToken, lecture styling

namespace anatomy::widgets {

namespace {
const QColor kLoad(40, 90, 190);
const QColor kDropped(200, 40, 40);
const QColor kChosen(255, 160, 0);

// Ticks 1, 2, 5 × 10^n inside [lo, hi] for a logarithmic perplexity axis (QCPAxisTickerLog
// alone gives only powers of ten, often none on a curve from 3 to 40).
QSharedPointer<QCPAxisTickerText> logTicks(double lo, double hi) {
    QSharedPointer<QCPAxisTickerText> t(new QCPAxisTickerText);
    for (double decade = std::pow(10.0, std::floor(std::log10(lo))); decade <= hi; decade *= 10)
        for (double m : {1.0, 2.0, 5.0})
            if (const double v = m * decade; v >= lo && v <= hi) t->addTick(v, QString::number(v, 'g', 4));
    return t;
}

// The row's columns: heatmap, its colour scale, load histogram, perplexity curve.
constexpr double kColumnStretch[] = {3, 0.1, 1.3, 2};

// A column's width before the layout, from its share of the stretch, less its axes' margin: the
// panels thin their labels to it.
double columnPx(const QCustomPlot* p, int column, double margin) {
    double total = 0;
    for (double s : kColumnStretch) total += s;
    return std::max(40.0, p->width() * kColumnStretch[column] / total - margin);
}

QString millions(qint64 n) {
    return n >= 1000000 ? QStringLiteral("%1 M").arg(double(n) / 1e6, 0, 'f', 2)
                        : QStringLiteral("%1 k").arg(double(n) / 1e3, 0, 'f', 1);
}
}  // namespace

RoutingPlotData routingPlotData(const anatomy::Trace& t, const Selection& sel) {
    RoutingPlotData d;
    if (t.moe.empty()) {
        d.message = QObject::tr("Mixture of experts is off: the FFN is dense, as trained.\n"
                                   "Set Experts E (Architecture dock \u2192 Mixture of experts) to split each FFN into experts.\n"
                                   "Set moe.experts to see perplexity against k.");
        return d;
    }
    d.layer = std::clamp(sel.layer, 0, int(t.moe.size()) - 1);
    const anatomy::MoeLayerTrace& m = t.moe[size_t(d.layer)];
    if (m.routerLogits.shape.size() != 2 || m.chosen.shape.size() != 2) {
        d.message = QObject::tr("Layer %1 recorded no routing.").arg(d.layer);
        return d;
    }
    d.nTokens = int(m.routerLogits.dim(0));
    d.nExperts = int(m.routerLogits.dim(1));
    d.topK = int(m.chosen.dim(1));
    // Router softmax per token: p_e = exp(s_e) / sum exp(s).
    d.prob.resize(size_t(d.nTokens) * size_t(d.nExperts));
    for (int i = 0; i < d.nTokens; ++i) {
        const float* s = m.routerLogits.data.data() + size_t(i) * size_t(d.nExperts);
        const float mx = *std::max_element(s, s + d.nExperts);
        double sum = 0;
        for (int e = 0; e < d.nExperts; ++e) sum += std::exp(double(s[e] - mx));
        for (int e = 0; e < d.nExperts; ++e)
            d.prob[size_t(i) * size_t(d.nExperts) + size_t(e)] = std::exp(double(s[e] - mx)) / sum;
    }
    d.chosen.assign(m.chosen.data.begin(), m.chosen.data.end());
    if (m.droppedMask.data.size() == d.chosen.size()) d.dropped.assign(m.droppedMask.data.begin(), m.droppedMask.data.end());
    else d.dropped.assign(d.chosen.size(), 0);
    d.load.assign(m.expertLoad.data.begin(), m.expertLoad.data.end());
    d.load.resize(size_t(d.nExperts), 0);
    d.importanceCv = m.importanceCv;
    d.droppedAssignments = m.droppedAssignments;
    d.activeParams = m.activeFfnParams;
    d.totalParams = m.totalFfnParams;
    const int first = t.firstQueryPos;
    for (int i = 0; i < d.nTokens; ++i) {
        const size_t pos = size_t(first + i);
        d.tokens << (pos < t.tokenText.size() ? visibleToken(t.tokenText[pos]) : QString::number(first + i));
    }
    d.valid = true;
    return d;
}

RoutingView::RoutingView(QWidget* parent) : TraceView(parent) {
    auto* layout = new QVBoxLayout(this);
    m_plot = new QCustomPlot(this);
    m_plot->setMinimumSize(300, 200);
    m_plot->setAutoAddPlottableToLegend(false);
    layout->addWidget(m_plot);
    rebuild();
}

void RoutingView::setInput(const ViewInput& input) {
    m_input = input;
    rebuild();
}

void RoutingView::setSelection(const Selection& sel) {
    if (sel.layer == m_sel.layer) {
        m_sel = sel;
        return;
    }
    m_sel = sel;
    rebuild();
}

void RoutingView::resizeEvent(QResizeEvent* e) {
    TraceView::resizeEvent(e);
    refitLater();
}

void RoutingView::refit() { replot(); }

void RoutingView::rebuild() {
    if (m_input.trace) m_data = routingPlotData(*m_input.trace, m_sel);
    else {
        m_data = RoutingPlotData{};
        m_data.message = tr("No trace yet: run the model on some text.");
    }
    replot();
}

void RoutingView::replot() {
    QCustomPlot* p = m_plot;
    p->clearPlottables();
    p->clearItems();
    p->plotLayout()->clear();
    const RoutingPlotData& d = m_data;
    if (!d.valid) {
        p->plotLayout()->addElement(0, 0, lecture::fittedText(p, d.message, lecture::kTitlePt, true));
        p->replot();
        return;
    }
    p->plotLayout()->addElement(0, 0, lecture::fittedText(
        p, tr("Layer %1: %2 experts, top-%3 routing").arg(d.layer).arg(d.nExperts).arg(d.topK),
        lecture::kTitlePt, true));
    const double activeShare = d.totalParams > 0 ? 100.0 * double(d.activeParams) / double(d.totalParams) : 0.0;
    p->plotLayout()->addElement(1, 0, lecture::fittedText(
        p, tr("importance CV %1  \u00B7  dropped %2 of %3 assignments  \u00B7  FFN params per token %4 of %5 (%6%)")
               .arg(d.importanceCv, 0, 'f', 2)
               .arg(d.droppedAssignments)
               .arg(d.nTokens * d.topK)
               .arg(millions(d.activeParams), millions(d.totalParams))
               .arg(activeShare, 0, 'f', 0),
        lecture::kLabelPt, false));
    auto* row = new QCPLayoutGrid;
    p->plotLayout()->addElement(2, 0, row);
    p->plotLayout()->setRowStretchFactor(0, 0.01);
    p->plotLayout()->setRowStretchFactor(1, 0.01);

    // Heatmap: x = token, y = expert, colour = router probability.
    auto* rect = new QCPAxisRect(p);
    row->addElement(0, 0, rect);
    lecture::styleAxisRect(rect);
    QCPAxis* xa = rect->axis(QCPAxis::atBottom);
    QCPAxis* ya = rect->axis(QCPAxis::atLeft);
    auto* map = new QCPColorMap(xa, ya);
    map->data()->setSize(d.nTokens, d.nExperts);
    map->data()->setRange(QCPRange(0, d.nTokens - 1), QCPRange(0, d.nExperts - 1));
    for (int i = 0; i < d.nTokens; ++i)
        for (int e = 0; e < d.nExperts; ++e) map->data()->setCell(i, e, d.prob[size_t(i) * size_t(d.nExperts) + size_t(e)]);
    QCPColorGradient g(QCPColorGradient::gpGrayscale);
    g.setColorStopAt(0, Qt::white);
    g.setColorStopAt(1, QColor(20, 60, 150));
    map->setGradient(g);
    // The router's softmax is flat for a MoEfied dense model: scale the colours to its maximum.
    const double pMax = std::max(0.05, *std::max_element(d.prob.begin(), d.prob.end()));
    map->setDataRange(QCPRange(0, pMax));
    map->setInterpolate(false);
    auto* chosen = new QCPGraph(xa, ya);
    chosen->setLineStyle(QCPGraph::lsNone);
    chosen->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(255, 160, 0), 2.5), Qt::NoBrush,
                                            std::clamp(900 / std::max(d.nTokens, 1), 6, 16)));
    chosen->setName(tr("chosen"));
    auto* dropped = new QCPGraph(xa, ya);
    dropped->setLineStyle(QCPGraph::lsNone);
    dropped->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCross, QPen(kDropped, 3), Qt::NoBrush, 14));
    dropped->setName(tr("dropped (over capacity)"));
    for (int i = 0; i < d.nTokens; ++i)
        for (int k = 0; k < d.topK; ++k) {
            const size_t at = size_t(i) * size_t(d.topK) + size_t(k);
            (d.dropped[at] ? dropped : chosen)->addData(i, d.chosen[at]);
        }
    xa->setRange(-0.5, d.nTokens - 0.5);
    ya->setRange(-0.5, d.nExperts - 0.5);
    xa->grid()->setVisible(false);
    ya->grid()->setVisible(false);
    QSharedPointer<QCPAxisTickerText> xt(new QCPAxisTickerText);
    // Token labels, rotated 60 degrees, lie a line apart at most: on a narrow heatmap (a 720-pixel
    // slide, the lesson beside) only every n-th token is named. The heatmap's width is estimated
    // from its column's share of the plot, before the layout.
    const double heatPx = columnPx(p, 0, 70);
    const double lineH = QFontMetricsF(lecture::fontFor(this, lecture::kTickPt)).height();
    const int every = std::max({1, d.nTokens / 30, int(std::ceil(lineH / (0.866 * heatPx / std::max(d.nTokens, 1))))});
    for (int i = 0; i < d.nTokens; i += every) xt->addTick(i, d.tokens.value(i));
    xa->setTicker(xt);
    xa->setTickLabelRotation(60);
    QSharedPointer<QCPAxisTickerFixed> yt(new QCPAxisTickerFixed);
    yt->setTickStep(std::max(1.0, std::ceil(d.nExperts / 16.0)));
    ya->setTicker(yt);
    ya->setSubTicks(false);
    ya->setLabel(tr("expert"));
    xa->setLabel(tr("token (colour: router probability, ring: chosen)"));
    auto* scale = new QCPColorScale(p);
    row->addElement(0, 1, scale);
    map->setColorScale(scale);
    scale->setGradient(g);
    scale->setDataRange(QCPRange(0, pMax));
    scale->axis()->setTickLabelFont(lecture::fontFor(this, lecture::kTickPt));
    auto* legend = new QCPLegend;
    rect->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignRight);
    legend->setLayer(QStringLiteral("legend"));
    legend->setFont(lecture::fontFor(this, lecture::kNotePt));
    legend->addItem(new QCPPlottableLegendItem(legend, chosen));
    if (d.droppedAssignments > 0) legend->addItem(new QCPPlottableLegendItem(legend, dropped));

    // Load histogram: tokens per expert, with the perfectly balanced load as a line.
    auto* lr = new QCPAxisRect(p);
    row->addElement(0, 2, lr);
    lecture::styleAxisRect(lr);
    auto* bars = new QCPBars(lr->axis(QCPAxis::atLeft), lr->axis(QCPAxis::atBottom));  // horizontal, experts on y
    bars->setBrush(kLoad);
    bars->setPen(Qt::NoPen);
    bars->setWidth(0.75);
    int top = 1;
    for (int e = 0; e < d.nExperts; ++e) {
        bars->addData(e, d.load[size_t(e)]);
        top = std::max(top, d.load[size_t(e)]);
    }
    lr->axis(QCPAxis::atLeft)->setRange(-0.5, d.nExperts - 0.5);
    lr->axis(QCPAxis::atLeft)->setTicker(yt);
    lr->axis(QCPAxis::atLeft)->setSubTicks(false);
    lr->axis(QCPAxis::atLeft)->grid()->setVisible(false);
    lr->axis(QCPAxis::atBottom)->setRange(0, top * 1.15);
    lr->axis(QCPAxis::atBottom)->setLabel(tr("tokens per expert (load)"));
    const double balanced = double(d.nTokens) * d.topK / std::max(d.nExperts, 1);
    auto* line = new QCPItemStraightLine(p);
    line->setClipAxisRect(lr);
    line->point1->setAxes(lr->axis(QCPAxis::atBottom), lr->axis(QCPAxis::atLeft));
    line->point2->setAxes(lr->axis(QCPAxis::atBottom), lr->axis(QCPAxis::atLeft));
    line->point1->setCoords(balanced, 0);
    line->point2->setCoords(balanced, 1);
    line->setPen(QPen(Qt::black, 2, Qt::DashLine));
    auto* lt = new QCPItemText(p);
    lt->setClipAxisRect(lr);
    lt->position->setAxes(lr->axis(QCPAxis::atBottom), lr->axis(QCPAxis::atLeft));
    lt->position->setCoords(balanced, d.nExperts - 0.5);
    // Beside the line, on the side with room for the text.
    lt->setPositionAlignment((balanced < 0.6 * top * 1.15 ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignTop);
    lt->setFont(lecture::fontFor(this, lecture::kNotePt));
    // The panel's width estimated from its column's share: a narrow one keeps the number only.
    const double loadPx = columnPx(p, 2, 60);
    const QString full = tr(" balanced \n T\u00B7k/E = %1 ").arg(balanced, 0, 'f', 1);
    const double room = loadPx * (balanced < 0.6 * top * 1.15 ? 1.0 - balanced / (top * 1.15) : balanced / (top * 1.15));
    const double fullW = QFontMetricsF(lt->font()).horizontalAdvance(tr(" T\u00B7k/E = %1 ").arg(balanced, 0, 'f', 1));
    lt->setText(fullW <= room ? full : QStringLiteral(" %1 ").arg(balanced, 0, 'f', 1));
    if (const QString below = addCurvePanel(row, 3); !below.isEmpty()) {
        p->plotLayout()->addElement(3, 0, lecture::fittedText(p, below, lecture::kNotePt, false));
        p->plotLayout()->setRowStretchFactor(3, 0.01);
    }
    for (int c = 0; c < int(std::size(kColumnStretch)); ++c) row->setColumnStretchFactor(c, kColumnStretch[c]);
    p->replot();
}

void RoutingView::setMoeCurve(MoeCurve curve) {
    m_curve = std::move(curve);
    m_curveState = CurveState::Ready;
    m_curveNote.clear();
    replot();
}

void RoutingView::setMoeCurvePending(const QString& note) {
    m_curveState = CurveState::Pending;
    m_curveNote = note;
    replot();
}

void RoutingView::setMoeCurveFailed(const QString& message) {
    m_curveState = CurveState::Failed;
    m_curveNote = message;
    replot();
}

bool RoutingView::showsMoeCurve() const {
    return m_data.valid && !m_curve.empty() && m_curve.experts == m_data.nExperts &&
           (m_curveState == CurveState::Ready || m_curveState == CurveState::Pending);
}

// Perplexity (y) against k = 1..E (bottom) and the FFN share k/E (top), the model as trained as
// a dashed line, the current k ringed as in the heatmap.
QString RoutingView::addCurvePanel(QCPLayoutGrid* row, int column) {
    QCustomPlot* p = m_plot;
    const RoutingPlotData& d = m_data;
    const MoeCurve& c = m_curve;
    auto* rect = new QCPAxisRect(p);
    row->addElement(0, column, rect);
    lecture::styleAxisRect(rect);
    QCPAxis* xa = rect->axis(QCPAxis::atBottom);
    QCPAxis* xTop = rect->axis(QCPAxis::atTop);
    QCPAxis* ya = rect->axis(QCPAxis::atLeft);
    const QFont note = lecture::fontFor(this, lecture::kNotePt);
    xa->setRange(0.5, d.nExperts + 0.5);
    xTop->setVisible(true);
    xTop->setRange(xa->range());
    xTop->setTickLabelFont(xa->tickLabelFont());
    xTop->setLabelFont(xa->labelFont());
    connect(xa, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), xTop, qOverload<const QCPRange&>(&QCPAxis::setRange));
    QSharedPointer<QCPAxisTickerText> kt(new QCPAxisTickerText), share(new QCPAxisTickerText);
    // The panel's width, estimated from its column's share of the plot before the layout: a
    // narrow one (a 720-pixel slide) names fewer k, and its read-out and caption go to the
    // subtitle instead of piling up over the curve.
    const double panelPx = columnPx(p, 3, 70);
    const QFontMetricsF tickM(lecture::fontFor(this, lecture::kTickPt));
    const int every = std::max(1, int(std::ceil(d.nExperts * 1.8 * tickM.horizontalAdvance(QStringLiteral("8")) / panelPx)));
    // Every n-th k and E itself, leaving out the k next to E that its label would touch.
    for (int k = 1; k <= d.nExperts; ++k)
        if (((k - 1) % every == 0 && d.nExperts - k >= every) || k == d.nExperts)
            kt->addTick(k, QString::number(k));
    // The share k/E on a top axis where the panel is wide enough for a label per named k; a
    // narrow panel leaves it to the subtitle's "FFN params per token" (the current k's share).
    const bool shares = panelPx > 1.3 * kt->ticks().size() * tickM.horizontalAdvance(QStringLiteral("100%"));
    for (auto it = kt->ticks().cbegin(); shares && it != kt->ticks().cend(); ++it)
        share->addTick(it.key(), QStringLiteral("%1%").arg(100.0 * it.key() / d.nExperts, 0, 'g', 3));
    xTop->setVisible(shares);
    xa->setTicker(kt);
    xTop->setTicker(share);
    xa->setSubTicks(false);
    xTop->setSubTicks(false);
    xa->grid()->setVisible(false);
    xa->setLabel(tr("experts per token k"));
    if (shares) xTop->setLabel(tr("FFN params per token k/E"));
    ya->setLabel(tr("perplexity"));

    auto centred = [&](const QString& text) {
        auto* t = new QCPItemText(p);
        t->setClipAxisRect(rect);
        t->position->setType(QCPItemPosition::ptAxisRectRatio);
        t->position->setAxisRect(rect);
        t->position->setCoords(0.5, 0.5);
        t->setFont(note);
        t->setColor(QColor(90, 90, 90));
        t->setText(text);
        ya->setTickLabels(false);
        return t;
    };
    if (!showsMoeCurve()) {
        switch (m_curveState) {
            case CurveState::Failed: centred(tr("perplexity against k\nnot measured:\n%1").arg(m_curveNote)); break;
            case CurveState::Pending:
                centred(tr("computing perplexity\nfor k = 1..%1\u2026\n%2").arg(d.nExperts).arg(m_curveNote));
                break;
            default: centred(tr("perplexity against k:\nnot measured yet")); break;
        }
        return QString();
    }

    // The y range: the curve and the as-trained line, log when they span more than a factor 3.
    double lo = c.densePpl, hi = c.densePpl;
    for (double v : c.ppl) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    const bool logY = lo > 0 && hi / lo > 3;
    if (logY) {
        ya->setScaleType(QCPAxis::stLogarithmic);
        // Headroom above the curve for the read-out in the corner.
        const double top = hi * std::pow(hi / lo, 0.3);
        ya->setRange(lo / 1.15, top);
        ya->setTicker(logTicks(lo / 1.15, top));
    } else {
        const double pad = std::max(0.05 * (hi - lo), 0.02 * hi);
        ya->setRange(lo - pad, hi + 0.3 * (hi - lo) + 2 * pad);
    }

    auto* dense = new QCPItemStraightLine(p);
    dense->setClipAxisRect(rect);
    dense->point1->setAxes(xa, ya);
    dense->point2->setAxes(xa, ya);
    dense->point1->setCoords(0, c.densePpl);
    dense->point2->setCoords(1, c.densePpl);
    dense->setPen(QPen(Qt::black, 2, Qt::DashLine));
    auto* denseText = new QCPItemText(p);
    denseText->setClipAxisRect(rect);
    denseText->position->setAxes(xa, ya);
    denseText->position->setCoords(0.55, c.densePpl);
    denseText->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    denseText->setFont(note);
    const QString denseLong = tr("as trained (dense) %1").arg(c.densePpl, 0, 'f', 2);
    const bool narrow = QFontMetricsF(note).horizontalAdvance(denseLong) > 0.8 * panelPx;
    denseText->setText(narrow ? tr("dense %1").arg(c.densePpl, 0, 'f', 2) : denseLong);

    auto* curve = new QCPGraph(xa, ya);
    curve->setPen(QPen(kLoad, 2.5));
    curve->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, kLoad, 9));
    for (size_t i = 0; i < c.k.size(); ++i) curve->addData(c.k[i], c.ppl[i]);

    // The current k: ringed as in the heatmap, with a faint vertical line, and read out in the
    // top-right corner (a label beside the point would cross the curve on one side or the other).
    QString readout;
    if (const double now = c.pplAt(d.topK); now > 0) {
        auto* at = new QCPItemStraightLine(p);
        at->setClipAxisRect(rect);
        at->point1->setAxes(xa, ya);
        at->point2->setAxes(xa, ya);
        at->point1->setCoords(d.topK, c.densePpl);
        at->point2->setCoords(d.topK, now);
        at->setPen(QPen(QColor(255, 160, 0, 110), 2, Qt::DotLine));
        auto* mark = new QCPGraph(xa, ya);
        mark->setLineStyle(QCPGraph::lsNone);
        mark->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(kChosen, 3.5), Qt::NoBrush, 22));
        mark->addData(d.topK, now);
        readout = tr("k = %1: ppl %2, %3\u00D7 dense").arg(d.topK).arg(now, 0, 'f', 2).arg(now / c.densePpl, 0, 'g', 3);
    }
    // What was measured, under the read-out.
    QString caption = tr("E = %1, %2\n%3").arg(c.experts).arg(c.settings, c.window);
    if (m_curveState == CurveState::Pending) caption += tr("\ncomputing\u2026");
    if (!c.errors.empty()) caption += tr("\nk = %1 not measured").arg(c.errors.begin()->first);
    const QFont headFont = lecture::fontFor(this, lecture::kLabelPt, true);
    if (QFontMetricsF(headFont).horizontalAdvance(readout) > 0.9 * panelPx) {
        QStringList below;
        if (!readout.isEmpty()) below << readout;
        below << caption.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        return below.join(QStringLiteral("  \u00B7  "));
    }
    auto* head = new QCPItemText(p);
    head->setClipAxisRect(rect);
    head->position->setType(QCPItemPosition::ptAxisRectRatio);
    head->position->setAxisRect(rect);
    head->position->setCoords(0.98, 0.02);
    head->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
    head->setFont(headFont);
    head->setColor(QColor(170, 100, 0));
    head->setText(readout);

    auto* cap = new QCPItemText(p);
    cap->setClipAxisRect(rect);
    cap->position->setParentAnchor(head->bottomRight);
    cap->position->setCoords(0, 2);
    cap->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
    cap->setTextAlignment(Qt::AlignRight);
    cap->setFont(note);
    cap->setColor(QColor(90, 90, 90));
    cap->setText(caption);
    return QString();
}

QString RoutingView::toCsv() const {
    QString csv = QStringLiteral("token_index,token,expert,router_prob,chosen,dropped\n");
    const RoutingPlotData& d = m_data;
    if (!d.valid) return csv;
    for (int i = 0; i < d.nTokens; ++i)
        for (int e = 0; e < d.nExperts; ++e) {
            int isChosen = 0, isDropped = 0;
            for (int k = 0; k < d.topK; ++k) {
                const size_t at = size_t(i) * size_t(d.topK) + size_t(k);
                if (d.chosen[at] == e) {
                    isChosen = 1;
                    isDropped = d.dropped[at];
                }
            }
            csv += QStringLiteral("%1,%2,%3,%4,%5,%6\n")
                       .arg(i)
                       .arg(csvField(d.tokens.value(i)))
                       .arg(e)
                       .arg(d.prob[size_t(i) * size_t(d.nExperts) + size_t(e)], 0, 'g', 6)
                       .arg(isChosen)
                       .arg(isDropped);
        }
    return csv;
}

void RoutingView::changeEvent(QEvent* e) {
    TraceView::changeEvent(e);
    if (restyleOnFontChange(e)) refitLater();
}

}  // namespace anatomy::widgets
