#include "views/logit_lens_view.h"

#include <QEvent>
#include <QFontMetrics>
#include <QMouseEvent>
#include <QScrollBar>
#include <QToolTip>
#include <QVBoxLayout>
#include "plot/qcustomplot_include.h"

#include <algorithm>
#include <cmath>

#include "views/sampling_view.h"  // visibleToken, tokenLabel, csvField, lecture styling

namespace anatomy::widgets {

namespace {

constexpr int kMinColumnPx = 92;  // narrower cells would not fit a word at lecture size

// White (unsure) to deep blue (sure): text stays readable on every shade.
QCPColorGradient probabilityGradient() {
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.0, QColor(255, 255, 255));
    g.setColorStopAt(0.25, QColor(198, 219, 239));
    g.setColorStopAt(0.5, QColor(107, 174, 214));
    g.setColorStopAt(0.75, QColor(33, 113, 181));
    g.setColorStopAt(1.0, QColor(8, 48, 107));
    g.setColorInterpolation(QCPColorGradient::ciRGB);
    return g;
}

}  // namespace

LensPlotData lensPlotData(const ViewInput& in, const Selection& sel) {
    LensPlotData d;
    if (!in.trace || in.trace->nQ <= 0) {
        d.message = QObject::tr("No trace yet: run the model on some text.");
        return d;
    }
    const anatomy::Trace& t = *in.trace;
    if (t.lensTopIds.shape.size() != 3 || t.lensTopIds.empty() ||
        t.lensTopProbs.shape != t.lensTopIds.shape) {
        d.message = !t.architecture.languageModel
                        ? QObject::tr("%1 is an encoder: it has no LM head to read its layers through (no logit lens).")
                              .arg(QString::fromStdString(t.architecture.name))
                        : QStringLiteral("This trace kept no logit lens (capture: logit lens).");
        return d;
    }
    d.nLayers = int(t.lensTopIds.dim(0));
    d.nQ = int(t.lensTopIds.dim(1));
    d.k = int(t.lensTopIds.dim(2));
    d.firstQueryPos = t.firstQueryPos;
    d.selLayer = std::clamp(sel.layer, 0, d.nLayers - 1);
    d.selRow = sel.position < 0 ? d.nQ - 1 : std::min(sel.position, d.nQ - 1);
    d.topIds.assign(t.lensTopIds.data.begin(), t.lensTopIds.data.end());
    d.topProbs.assign(t.lensTopProbs.data.begin(), t.lensTopProbs.data.end());
    for (int id : d.topIds) d.topLabels << tokenLabel(in, id);
    for (int r = 0; r < d.nQ; ++r) {
        const size_t pos = size_t(t.firstQueryPos + r);
        d.inputTokens << (pos < t.tokenText.size() ? visibleToken(t.tokenText[pos]) : QString());
        const bool known = pos + 1 < t.tokens.size();
        d.nextIds.push_back(known ? t.tokens[pos + 1] : -1);
        d.nextTokens << (known && pos + 1 < t.tokenText.size() ? visibleToken(t.tokenText[pos + 1]) : QString());
    }
    d.valid = true;
    return d;
}

QString lensTooltip(const LensPlotData& d, int layer, int row) {
    if (!d.valid || layer < 0 || layer >= d.nLayers || row < 0 || row >= d.nQ) return {};
    QString s = QStringLiteral("<b>layer %1%2, position %3</b><br>after \u201C%4\u201D")
                    .arg(layer)
                    .arg(layer == d.nLayers - 1 ? QStringLiteral(" (output)") : QString())
                    .arg(d.firstQueryPos + row)
                    .arg(d.inputTokens[row].toHtmlEscaped());
    if (!d.nextTokens[row].isEmpty())
        s += QStringLiteral(", next came \u201C%1\u201D").arg(d.nextTokens[row].toHtmlEscaped());
    s += QStringLiteral("<table>");
    for (int r = 0; r < d.k; ++r) {
        const size_t i = d.at(layer, row, r);
        const bool hit = d.topIds[i] == d.nextIds[size_t(row)];
        s += QStringLiteral("<tr><td>%1.</td><td>%2%3%4</td><td align=right>%5%</td></tr>")
                 .arg(r + 1)
                 .arg(hit ? QStringLiteral("<b>") : QString(), d.topLabels[qsizetype(i)].toHtmlEscaped(),
                      hit ? QStringLiteral("</b>") : QString())
                 .arg(100.0 * d.topProbs[i], 0, 'f', 1);
    }
    return s + QStringLiteral("</table>");
}

LogitLensView::LogitLensView(QWidget* parent) : TraceView(parent) {
    auto* layout = new QVBoxLayout(this);
    m_plot = new QCustomPlot(this);
    m_plot->setMinimumSize(400, 250);
    m_plot->setMouseTracking(true);
    layout->addWidget(m_plot, 1);
    m_scroll = new QScrollBar(Qt::Horizontal, this);
    m_scroll->setToolTip(tr("Scroll through the positions"));
    layout->addWidget(m_scroll);

    connect(m_scroll, &QScrollBar::valueChanged, this, [this](int v) {
        if (v == m_first) return;
        m_first = v;
        replot();
    });
    auto cellAt = [this](QMouseEvent* e, int& layer, int& row) {
        QCPAxisRect* rect = m_plot->axisRectCount() > 0 ? m_plot->axisRect() : nullptr;
        if (!m_data.valid || !rect || !rect->rect().contains(e->position().toPoint())) return false;
        row = int(std::lround(rect->axis(QCPAxis::atBottom)->pixelToCoord(e->position().x())));
        layer = int(std::lround(rect->axis(QCPAxis::atLeft)->pixelToCoord(e->position().y())));
        return row >= 0 && row < m_data.nQ && layer >= 0 && layer < m_data.nLayers;
    };
    connect(m_plot, &QCustomPlot::mouseMove, this, [this, cellAt](QMouseEvent* e) {
        int layer = 0, row = 0;
        if (cellAt(e, layer, row))
            QToolTip::showText(e->globalPosition().toPoint(), lensTooltip(m_data, layer, row), m_plot);
        else
            QToolTip::hideText();
    });
    connect(m_plot, &QCustomPlot::mousePress, this, [this, cellAt](QMouseEvent* e) {
        int layer = 0, row = 0;
        if (!cellAt(e, layer, row)) return;
        Selection s = m_sel;
        s.layer = layer;
        s.position = row;
        Q_EMIT selectionRequested(s);
    });
    rebuild();
}

void LogitLensView::setInput(const ViewInput& input) {
    if (input.trace == m_input.trace && m_data.valid) {
        m_input = input;
        return;
    }
    m_input = input;
    // A tooltip open over the grid holds the old trace's top-5.
    if (underMouse() && QToolTip::isVisible()) QToolTip::hideText();
    rebuild();
}

void LogitLensView::setSelection(const Selection& sel) {
    if (sel.position == m_sel.position && sel.layer == m_sel.layer) {
        m_sel = sel;
        return;
    }
    m_sel = sel;
    rebuild();
}

void LogitLensView::resizeEvent(QResizeEvent* e) {
    TraceView::resizeEvent(e);
    refitLater();
}

// How many columns fit depends on the width, the cell text on the font.
void LogitLensView::refit() { rebuild(); }

int LogitLensView::columnsThatFit() const {
    const int usable = std::max(width() - 260, kMinColumnPx);  // minus axis labels and colour scale
    return std::clamp(usable / kMinColumnPx, 1, std::max(m_data.nQ, 1));
}

void LogitLensView::rebuild() {
    m_data = lensPlotData(m_input, m_sel);
    m_nShown = m_data.valid ? columnsThatFit() : 0;
    // Keep the selected column in view, centred when the window has to move.
    if (m_data.valid) {
        const int maxFirst = std::max(m_data.nQ - m_nShown, 0);
        if (m_data.selRow < m_first || m_data.selRow >= m_first + m_nShown)
            m_first = m_data.selRow - m_nShown / 2;
        m_first = std::clamp(m_first, 0, maxFirst);
        const QSignalBlocker block(m_scroll);
        m_scroll->setRange(0, maxFirst);
        m_scroll->setPageStep(m_nShown);
        m_scroll->setValue(m_first);
        m_scroll->setVisible(maxFirst > 0);
    }
    replot();
}

void LogitLensView::replot() {
    QCustomPlot* p = m_plot;
    p->clearPlottables();
    p->clearItems();
    p->plotLayout()->clear();
    if (!m_data.valid) {
        p->plotLayout()->addElement(0, 0, lecture::fittedText(p, m_data.message, lecture::kTitlePt, true));
        p->replot();
        return;
    }
    const LensPlotData& d = m_data;
    p->plotLayout()->addElement(0, 0, lecture::fittedText(p, tr("Logit lens: what each layer would predict next"), lecture::kTitlePt, true));
    p->plotLayout()->addElement(1, 0, lecture::fittedText(
        p, tr("final norm + classifier applied to each layer's output \u00B7 colour: probability of the top token\n"
              "bold \u2713: it is the token that came next \u00B7 hover a cell for the top %1")
               .arg(d.k), lecture::kNotePt + 1, false));
    auto* rect = new QCPAxisRect(p);
    p->plotLayout()->addElement(2, 0, rect);
    auto* scale = new QCPColorScale(p);
    p->plotLayout()->addElement(2, 1, scale);
    p->plotLayout()->setRowStretchFactor(0, 0.01);
    p->plotLayout()->setRowStretchFactor(1, 0.01);
    lecture::styleAxisRect(rect);
    QCPAxis* xa = rect->axis(QCPAxis::atBottom);
    QCPAxis* ya = rect->axis(QCPAxis::atLeft);
    QCPAxis* xTop = rect->axis(QCPAxis::atTop);
    xTop->setVisible(true);

    auto* map = new QCPColorMap(xa, ya);
    map->data()->setSize(d.nQ, d.nLayers);
    map->data()->setRange(QCPRange(0, std::max(d.nQ - 1, 0)), QCPRange(0, std::max(d.nLayers - 1, 0)));
    for (int l = 0; l < d.nLayers; ++l)
        for (int r = 0; r < d.nQ; ++r) map->data()->setCell(r, l, d.top1Prob(l, r));
    map->setInterpolate(false);
    map->setColorScale(scale);  // before the gradient and range: the scale imposes its own
    scale->setGradient(probabilityGradient());
    scale->setDataRange(QCPRange(0, 1));
    scale->setType(QCPAxis::atRight);
    scale->setBarWidth(22);
    scale->axis()->setLabel(tr("probability of the top-1 token"));
    scale->axis()->setTickLabelFont(xa->tickLabelFont());
    scale->axis()->setLabelFont(xa->labelFont());
    auto* group = new QCPMarginGroup(p);
    rect->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    scale->setMarginGroup(QCP::msTop | QCP::msBottom, group);

    // Axes: positions with their input token below, the token that came next above, layers left.
    QSharedPointer<QCPAxisTickerText> bottom(new QCPAxisTickerText), top(new QCPAxisTickerText),
        left(new QCPAxisTickerText);
    for (int r = m_first; r < m_first + m_nShown; ++r) {
        bottom->addTick(r, QStringLiteral("%1\n%2").arg(d.inputTokens[r]).arg(d.firstQueryPos + r));
        top->addTick(r, d.nextTokens[r].isEmpty() ? QStringLiteral("?") : d.nextTokens[r]);
    }
    for (int l = 0; l < d.nLayers; ++l)
        left->addTick(l, l == d.nLayers - 1 ? tr("%1 (output)").arg(l) : QString::number(l));
    xa->setTicker(bottom);
    xTop->setTicker(top);
    ya->setTicker(left);
    for (QCPAxis* a : {xa, xTop, ya}) {
        a->setSubTicks(false);
        a->setTickLength(0, 0);
        a->grid()->setVisible(false);
    }
    xa->setLabel(tr("input token and position"));
    xTop->setLabel(tr("token that came next"));
    ya->setLabel(tr("layer"));
    xa->setRange(m_first - 0.5, m_first + m_nShown - 0.5);
    xTop->setRange(xa->range());
    ya->setRange(-0.5, d.nLayers - 0.5);

    // Cell text, sized to the cells: the plot is laid out first to know them.
    p->replot(QCustomPlot::rpQueuedRefresh);  // lays out now, paints later
    const double cellW = rect->width() / double(std::max(m_nShown, 1));
    const double cellH = rect->height() / double(std::max(d.nLayers, 1));
    QFont cellFont = font();
    cellFont.setPixelSize(std::clamp(int(std::min(cellH * 0.42, cellW * 0.26)), 9, 24));
    QFont hitFont = cellFont;
    hitFont.setBold(true);
    QFont probFont = cellFont;
    probFont.setPixelSize(std::max(8, cellFont.pixelSize() * 2 / 3));
    const bool showProb = cellH > cellFont.pixelSize() * 2.4;
    for (int l = 0; l < d.nLayers; ++l) {
        for (int r = m_first; r < m_first + m_nShown; ++r) {
            const float prob = d.top1Prob(l, r);
            const bool hit = d.hitsNext(l, r);
            const QColor ink = prob >= 0.5f ? Qt::white : Qt::black;
            auto* t = new QCPItemText(p);
            t->setClipAxisRect(rect);
            t->position->setAxes(xa, ya);
            t->position->setCoords(r, l);
            t->setPositionAlignment(showProb ? (Qt::AlignHCenter | Qt::AlignBottom) : Qt::AlignCenter);
            t->setFont(hit ? hitFont : cellFont);
            t->setColor(ink);
            const QFontMetrics fm(hit ? hitFont : cellFont);
            t->setText(fm.elidedText(d.top1Label(l, r) + (hit ? QStringLiteral(" \u2713") : QString()),
                                     Qt::ElideRight, int(cellW - 6)));
            if (showProb) {
                auto* pt = new QCPItemText(p);
                pt->setClipAxisRect(rect);
                pt->position->setAxes(xa, ya);
                pt->position->setCoords(r, l);
                pt->setPositionAlignment(Qt::AlignHCenter | Qt::AlignTop);
                pt->setFont(probFont);
                pt->setColor(ink);
                pt->setText(QStringLiteral("%1%").arg(100.0 * prob, 0, 'f', 0));
            }
        }
    }
    // The selection: its column lightly, its cell boldly.
    auto outline = [&](double x0, double y0, double x1, double y1, const QPen& pen) {
        auto* box = new QCPItemRect(p);
        box->setClipAxisRect(rect);
        box->topLeft->setAxes(xa, ya);
        box->bottomRight->setAxes(xa, ya);
        box->topLeft->setCoords(x0, y1);
        box->bottomRight->setCoords(x1, y0);
        box->setPen(pen);
        box->setBrush(Qt::NoBrush);
    };
    outline(d.selRow - 0.5, -0.5, d.selRow + 0.5, d.nLayers - 0.5, QPen(QColor(255, 150, 0), 2, Qt::DashLine));
    outline(d.selRow - 0.47, d.selLayer - 0.47, d.selRow + 0.47, d.selLayer + 0.47, QPen(QColor(255, 120, 0), 5));
    p->replot();
}

QString LogitLensView::toCsv() const {
    QString csv = QStringLiteral("layer,position,input_token,next_token,rank,id,token,prob\n");
    const LensPlotData& d = m_data;
    if (!d.valid) return csv;
    for (int l = 0; l < d.nLayers; ++l)
        for (int r = 0; r < d.nQ; ++r)
            for (int k = 0; k < d.k; ++k) {
                const size_t i = d.at(l, r, k);
                csv += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8\n")
                           .arg(l)
                           .arg(d.firstQueryPos + r)
                           .arg(csvField(d.inputTokens[r]), csvField(d.nextTokens[r]))
                           .arg(k + 1)
                           .arg(d.topIds[i])
                           .arg(csvField(d.topLabels[qsizetype(i)]))
                           .arg(double(d.topProbs[i]), 0, 'g', 6);
            }
    return csv;
}

void LogitLensView::changeEvent(QEvent* e) {
    TraceView::changeEvent(e);
    if (restyleOnFontChange(e)) refitLater();
}

}  // namespace anatomy::widgets
