#include "views/norms_view.h"

#include <QEvent>
#include <QGridLayout>
#include <QMouseEvent>
#include "plot/qcustomplot_include.h"
#include "plot/replot_once.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "views/sampling_view.h"  // visibleToken, csvField, lecture styling

namespace anatomy::widgets {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double valueAt(const anatomy::FloatArray& a, int layer, int row) {
    if (a.shape.size() != 2 || layer >= a.dim(0) || row >= a.dim(1)) return kNaN;
    return a.at({layer, row});
}
int channelAt(const anatomy::IntArray& a, int layer, int row) {
    if (a.shape.size() != 2 || layer >= a.dim(0) || row >= a.dim(1)) return -1;
    return a.at({layer, row});
}

void append(NormSeries& s, const anatomy::Trace& t, int layer, int row) {
    s.residRmsIn.push_back(valueAt(t.residRmsIn, layer, row));
    s.residRmsMid.push_back(valueAt(t.residRmsMid, layer, row));
    s.residRmsOut.push_back(valueAt(t.residRmsOut, layer, row));
    s.residMeanIn.push_back(valueAt(t.residMeanIn, layer, row));
    s.residMeanMid.push_back(valueAt(t.residMeanMid, layer, row));
    s.attnNormOutRms.push_back(valueAt(t.attnNormOutRms, layer, row));
    s.ffnNormOutRms.push_back(valueAt(t.ffnNormOutRms, layer, row));
    s.attnOutRms.push_back(valueAt(t.attnOutRms, layer, row));
    s.ffnOutRms.push_back(valueAt(t.ffnOutRms, layer, row));
    s.residMaxAbs.push_back(valueAt(t.residMaxAbs, layer, row));
    s.residMaxChannel.push_back(channelAt(t.residMaxChannel, layer, row));
    s.ffnActMaxAbs.push_back(valueAt(t.ffnActMaxAbs, layer, row));
    s.ffnActMaxChannel.push_back(channelAt(t.ffnActMaxChannel, layer, row));
}

// Finite maximum of some series (0 when none).
double finiteMax(std::initializer_list<const std::vector<double>*> series) {
    double m = 0.0;
    for (const auto* s : series)
        for (double v : *s)
            if (std::isfinite(v)) m = std::max(m, v);
    return m;
}

// σ of the channels from the RMS and the mean: RMS² = μ² + σ².
double sigmaOf(double rms, double mean) {
    if (!std::isfinite(rms) || !std::isfinite(mean)) return kNaN;
    return std::sqrt(std::max(0.0, rms * rms - mean * mean));
}

// Finite minimum of some series (0 when none is below 0).
double finiteMin(std::initializer_list<const std::vector<double>*> series) {
    double m = 0.0;
    for (const auto* s : series)
        for (double v : *s)
            if (std::isfinite(v)) m = std::min(m, v);
    return m;
}

QVector<double> finiteOnly(const std::vector<double>& v) {
    QVector<double> out(qsizetype(v.size()));
    for (size_t i = 0; i < v.size(); ++i) out[qsizetype(i)] = std::isfinite(v[i]) ? v[i] : 0.0;
    return out;
}

// Per-token bars pooled to at most maxBars: bar b covers tokens [b*per, (b+1)*per) and shows their
// largest value (a spike in any token of the bin stays visible), at the bin's centre.
struct PooledBars {
    int per = 1;
    QVector<double> keys, values;
};
PooledBars poolMax(const std::vector<double>& v, int maxBars) {
    PooledBars out;
    const int n = int(v.size());
    out.per = std::max(1, (n + std::max(1, maxBars) - 1) / std::max(1, maxBars));
    for (int b0 = 0; b0 < n; b0 += out.per) {
        const int b1 = std::min(n, b0 + out.per);
        double m = 0.0;
        for (int i = b0; i < b1; ++i)
            if (std::isfinite(v[size_t(i)])) m = std::max(m, v[size_t(i)]);
        out.keys.push_back(0.5 * (b0 + b1 - 1));
        out.values.push_back(m);
    }
    return out;
}

QCustomPlot* makePlot(QWidget* parent) {
    auto* p = new QCustomPlot(parent);
    p->setMinimumSize(160, 150);  // four of them fit a 1024x640 window
    lecture::styleAxisRect(p->axisRect());
    return p;
}

// Resets a plot for a redraw: no plottables, items or title; the axis rect and legend stay.
void clearPlot(QCustomPlot* p) {
    p->clearPlottables();
    p->clearItems();
    QCPLayoutGrid* layout = p->plotLayout();
    for (int i = layout->elementCount() - 1; i >= 0; --i) {
        if (qobject_cast<QCPTextElement*>(layout->elementAt(i))) layout->removeAt(i);
    }
    layout->simplify();
}

// A shaded band marking the selection, drawn under the data.
void addBand(QCustomPlot* p, double x0, double x1, const QColor& color) {
    auto* band = new QCPItemRect(p);
    band->setLayer(QStringLiteral("grid"));
    band->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
    band->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
    band->topLeft->setCoords(x0, 0.0);
    band->bottomRight->setCoords(x1, 1.0);
    band->setPen(Qt::NoPen);
    band->setBrush(color);
}

// The name a short pane's legend shows instead of the plottable's (setLegend).
void setCompactName(QCPAbstractPlottable* p, const QString& name) { p->setProperty("compactName", name); }

QCPGraph* addLine(QCustomPlot* p, const QString& name, const QColor& color, Qt::PenStyle style,
                  QCPScatterStyle::ScatterShape shape, double width = 3, const QString& compactName = {}) {
    auto* g = p->addGraph();
    g->setName(name);
    if (!compactName.isEmpty()) setCompactName(g, compactName);
    g->setPen(QPen(color, width, style));
    g->setScatterStyle(QCPScatterStyle(shape, QPen(color, 2), QBrush(Qt::white), 9));
    return g;
}

// Text ticker labelling at most maxLabels of n tokens (every k-th), so labels never pile up.
QSharedPointer<QCPAxisTickerText> tokenTicker(const QStringList& labels, int maxLabels) {
    QSharedPointer<QCPAxisTickerText> t(new QCPAxisTickerText);
    const int n = int(labels.size());
    const int step = std::max(1, (n + maxLabels - 1) / std::max(maxLabels, 1));
    for (int i = 0; i < n; i += step) t->addTick(i, labels[i]);
    return t;
}

// "ch 17" over a bar.
void addChannelLabel(QCustomPlot* p, QCPAxis* x, QCPAxis* y, double key, double value, int channel,
                     const QColor& color) {
    if (channel < 0 || !std::isfinite(value)) return;
    auto* t = new QCPItemText(p);
    t->position->setAxes(x, y);
    t->position->setCoords(key, value);
    t->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
    t->setPadding(QMargins(0, 0, 0, 2));
    t->setClipToAxisRect(false);
    QFont f = p->font();
    f.setPointSizeF(lecture::kNotePt);
    t->setFont(f);
    t->setColor(color);
    t->setText(QString::number(channel));
}

// The legend as a row under the plot, so it never hides data. A short pane (the eight panes of
// a side-by-side comparison on a 720-line slide) gets short names and a smaller font, two
// columns (three from 400 px): five entries one to a line took half of such a pane.
void setLegend(QCustomPlot* p) {
    QCPLegend* legend = p->legend;
    legend->setVisible(true);
    const bool compact = p->height() > 0 && p->height() < 300;
    QFont f = p->font();
    f.setPointSizeF(compact ? lecture::kNotePt - 2 : lecture::kNotePt);
    legend->setFont(f);
    legend->setBorderPen(Qt::NoPen);
    legend->setWrap(p->width() >= 640 || (compact && p->width() >= 400) ? 3 : 2);
    // Re-flows the items already added for this wrap (they were laid out for the previous one).
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
    // Compact: smaller icons and spacing leave the text its room; else QCPLegend's own, kept
    // from the first call (the legend outlives every redraw).
    if (!legend->property("_iconSize").isValid()) {
        legend->setProperty("_iconSize", legend->iconSize());
        legend->setProperty("_iconPad", legend->iconTextPadding());
        legend->setProperty("_colSpacing", legend->columnSpacing());
        legend->setProperty("_margins", QVariant::fromValue(legend->margins()));
    }
    legend->setIconSize(compact ? QSize(18, 10) : legend->property("_iconSize").toSize());
    legend->setIconTextPadding(compact ? 4 : legend->property("_iconPad").toInt());
    legend->setColumnSpacing(compact ? 6 : legend->property("_colSpacing").toInt());
    legend->setMargins(compact ? QMargins(2, 0, 2, 0) : legend->property("_margins").value<QMargins>());
    // The lecture fit (lecture::fitLegends) starts again from this font and these columns: it
    // keeps the first ones it saw, which a pane turning short (or tall) has just changed.
    for (const char* key : {"_fitPt", "_fitPx", "_fitWrap", "_fitRoom"}) legend->setProperty(key, QVariant());
    if (compact)
        for (int i = 0; i < p->plottableCount(); ++i) {
            QCPAbstractPlottable* pl = p->plottable(i);
            const QString shortName = pl->property("compactName").toString();
            if (!shortName.isEmpty()) pl->setName(shortName);
        }
    if (legend->layout() != p->plotLayout()) {
        p->plotLayout()->addElement(p->plotLayout()->rowCount(), 0, legend);
        p->plotLayout()->setRowStretchFactor(p->plotLayout()->rowCount() - 1, 0.001);
    }
}

const QColor kResid(40, 90, 170);
const QColor kAttn(220, 120, 20);
const QColor kFfn(40, 150, 70);
const QColor kBand(255, 215, 90, 150);
const QColor kMean(130, 60, 160);

}  // namespace

NormsPlotData normsPlotData(const anatomy::Trace& t, const Selection& sel) {
    NormsPlotData d;
    const int nLayers = int(t.residRmsIn.dim(0));
    if (t.nQ <= 0) {
        d.message = QObject::tr("No trace yet: run the model on some text.");
        return d;
    }
    if (t.residRmsIn.empty() || nLayers <= 0) {
        d.message = QObject::tr("This trace kept no residual statistics (capture: residual).");
        return d;
    }
    d.row = sel.position < 0 ? t.nQ - 1 : std::min(sel.position, t.nQ - 1);
    d.position = t.firstQueryPos + d.row;
    d.layer = std::clamp(sel.layer, 0, nLayers - 1);
    if (size_t(d.position) < t.tokenText.size()) d.token = visibleToken(t.tokenText[size_t(d.position)]);
    for (const anatomy::LayerSpec& ls : t.architecture.layers)
        if (ls.norm.type == anatomy::NormType::Layer) d.layerNorm = true;
        else if (ls.norm.type == anatomy::NormType::Batch) d.batchNorm = true;
    d.layerNorm = d.layerNorm && !t.residMeanIn.empty();
    for (int l = 0; l < nLayers; ++l) append(d.byLayer, t, l, d.row);
    for (int r = 0; r < t.nQ; ++r) {
        append(d.byToken, t, d.layer, r);
        const size_t pos = size_t(t.firstQueryPos + r);
        d.tokenLabels << (pos < t.tokenText.size() ? visibleToken(t.tokenText[pos]) : QString::number(pos));
    }
    d.valid = true;
    return d;
}

NormsView::NormsView(QWidget* parent) : TraceView(parent) {
    auto* grid = new QGridLayout(this);
    m_rmsLayers = makePlot(this);
    m_maxLayers = makePlot(this);
    m_rmsTokens = makePlot(this);
    m_maxTokens = makePlot(this);
    grid->addWidget(m_rmsLayers, 0, 0);
    grid->addWidget(m_maxLayers, 0, 1);
    grid->addWidget(m_rmsTokens, 1, 0);
    grid->addWidget(m_maxTokens, 1, 1);

    // Clicking a layer or a token selects it.
    auto pickLayer = [this](QCustomPlot* p, bool steps) {
        connect(p, &QCustomPlot::mousePress, this, [this, p, steps](QMouseEvent* e) {
            if (!m_data.valid) return;
            const double x = p->xAxis->pixelToCoord(e->position().x());
            const int l = int(steps ? std::floor(x) : std::lround(x));
            if (l < 0 || size_t(l) >= m_data.byLayer.size()) return;
            Selection s = m_sel;
            s.layer = l;
            Q_EMIT selectionRequested(s);
        });
    };
    auto pickToken = [this](QCustomPlot* p) {
        connect(p, &QCustomPlot::mousePress, this, [this, p](QMouseEvent* e) {
            if (!m_data.valid) return;
            const long r = std::lround(p->xAxis->pixelToCoord(e->position().x()));
            if (r < 0 || size_t(r) >= m_data.byToken.size()) return;
            Selection s = m_sel;
            s.position = int(r);
            Q_EMIT selectionRequested(s);
        });
    };
    pickLayer(m_rmsLayers, true);
    pickLayer(m_maxLayers, false);
    pickToken(m_rmsTokens);
    pickToken(m_maxTokens);
    rebuild();
}

void NormsView::setInput(const ViewInput& input) {
    if (input.trace == m_input.trace && m_data.valid) {
        m_input = input;  // only the sampler settings changed: nothing here depends on them
        return;
    }
    m_input = input;
    rebuild();
}

void NormsView::setSelection(const Selection& sel) {
    if (sel.position == m_sel.position && sel.layer == m_sel.layer) {
        m_sel = sel;
        return;
    }
    m_sel = sel;
    rebuild();
}

void NormsView::resizeEvent(QResizeEvent* e) {
    TraceView::resizeEvent(e);
    refitLater();  // how many token labels fit depends on the width
}

void NormsView::refit() { rebuild(); }

void NormsView::rebuild() {
    m_data = m_input.trace ? normsPlotData(*m_input.trace, m_sel) : NormsPlotData{};
    if (!m_input.trace) m_data.message = QObject::tr("No trace yet: run the model on some text.");
    for (QCustomPlot* p : {m_rmsLayers, m_maxLayers, m_rmsTokens, m_maxTokens}) clearPlot(p);
    if (!m_data.valid) {
        lecture::addTitle(m_rmsLayers, m_data.message);
        for (QCustomPlot* p : {m_rmsLayers, m_maxLayers, m_rmsTokens, m_maxTokens}) replotOncePerTurn(p);
        return;
    }
    plotRmsOverLayers();
    plotMaxOverLayers();
    plotRmsOverTokens();
    plotMaxOverTokens();
}

// Residual RMS as one path through the sublayers: layer l's input at x = l, after the attention
// add at l + 0.5, after the FFN add at l + 1 (= the next layer's input). Norm outputs and sublayer
// outputs sit at the sublayer that consumes or produces them (l + 0.25 attention, l + 0.75 FFN).
void NormsView::plotRmsOverLayers() {
    QCustomPlot* p = m_rmsLayers;
    const NormSeries& s = m_data.byLayer;
    const int L = int(s.size());
    const bool ln = m_data.layerNorm;
    lecture::addTitle(p, (ln ? tr("Residual RMS, mean \u03BC and \u03C3 through the layers \u2014 \u201C%1\u201D (pos %2)")
                             : tr("Residual RMS through the layers \u2014 \u201C%1\u201D (pos %2)"))
                             .arg(m_data.token).arg(m_data.position), lecture::kPaneTitlePt);
    if (ln) {  // what the model's LayerNorm does with the two statistics drawn here
        p->plotLayout()->insertRow(1);
        p->plotLayout()->addElement(1, 0, lecture::fittedText(p, tr("LayerNorm: (x \u2212 \u03BC)/\u03C3 \u00B7 g + b over the channels; RMS\u00B2 = \u03BC\u00B2 + \u03C3\u00B2, "
                  "so RMSNorm's x/RMS also keeps the mean"), lecture::kNotePt, false));
    } else if (m_data.batchNorm) {  // BatchNorm's statistics are per channel and fixed after training
        p->plotLayout()->insertRow(1);
        p->plotLayout()->addElement(1, 0, lecture::fittedText(p, tr("BatchNorm (eval): (x_c \u2212 \u03BC_c)/\u03C3_c \u00B7 g_c per channel c, \u03BC and \u03C3 fixed in training"),
                  lecture::kNotePt, false));
    }
    addBand(p, m_data.layer, m_data.layer + 1, kBand);

    auto* resid = addLine(p, tr("residual stream"), kResid, Qt::SolidLine, QCPScatterStyle::ssDisc, 3, tr("residual"));
    auto* attnNorm = addLine(p, tr("attention norm output"), kAttn, Qt::NoPen, QCPScatterStyle::ssCircle, 3, tr("attn norm"));
    auto* ffnNorm = addLine(p, tr("FFN norm output"), kFfn, Qt::NoPen, QCPScatterStyle::ssSquare, 3, tr("FFN norm"));
    auto* attnOut = addLine(p, tr("attention output (added)"), kAttn, Qt::NoPen, QCPScatterStyle::ssTriangle, 3, tr("attn out"));
    auto* ffnOut = addLine(p, tr("FFN output (added)"), kFfn, Qt::NoPen, QCPScatterStyle::ssTriangleInverted, 3, tr("FFN out"));
    attnOut->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssTriangle, QPen(kAttn, 2), QBrush(kAttn), 10));
    ffnOut->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssTriangleInverted, QPen(kFfn, 2), QBrush(kFfn), 10));
    for (int l = 0; l < L; ++l) {
        resid->addData(l, s.residRmsIn[size_t(l)]);
        resid->addData(l + 0.5, s.residRmsMid[size_t(l)]);
        resid->addData(l + 1.0, s.residRmsOut[size_t(l)]);
        attnNorm->addData(l + 0.25, s.attnNormOutRms[size_t(l)]);
        ffnNorm->addData(l + 0.75, s.ffnNormOutRms[size_t(l)]);
        attnOut->addData(l + 0.25, s.attnOutRms[size_t(l)]);
        ffnOut->addData(l + 0.75, s.ffnOutRms[size_t(l)]);
    }
    std::vector<double> sigma;
    if (ln) {
        auto* mean = addLine(p, tr("mean \u03BC of the residual"), kMean, Qt::DashLine, QCPScatterStyle::ssDiamond, 3, tr("\u03BC"));
        auto* sd = addLine(p, tr("\u03C3 of the residual"), kMean, Qt::DotLine, QCPScatterStyle::ssCross, 3, tr("\u03C3"));
        for (int l = 0; l < L; ++l) {
            const size_t i = size_t(l);
            mean->addData(l, s.residMeanIn[i]);
            mean->addData(l + 0.5, s.residMeanMid[i]);
            sigma.push_back(sigmaOf(s.residRmsIn[i], s.residMeanIn[i]));
            sd->addData(l, sigma.back());
            sigma.push_back(sigmaOf(s.residRmsMid[i], s.residMeanMid[i]));
            sd->addData(l + 0.5, sigma.back());
        }
    }
    for (int l = 0; l <= L; ++l) {  // layer boundaries
        auto* v = new QCPItemStraightLine(p);
        v->setLayer(QStringLiteral("grid"));
        v->setPen(QPen(QColor(200, 200, 200), 1, Qt::DashLine));
        v->point1->setCoords(l, 0);
        v->point2->setCoords(l, 1);
    }
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    const int step = std::max(1, L / 16);
    for (int l = 0; l < L; l += step) ticker->addTick(l + 0.5, QString::number(l));
    p->xAxis->setTicker(ticker);
    p->xAxis->setSubTicks(false);
    p->xAxis->grid()->setVisible(false);
    p->xAxis->setRange(-0.1, L + 0.1);
    p->xAxis->setLabel(tr("layer (in \u2192 attention \u2192 FFN)"));
    p->yAxis->setLabel(tr("RMS"));
    const double lo = ln ? 1.12 * finiteMin({&s.residMeanIn, &s.residMeanMid}) : 0.0;
    p->yAxis->setRange(lo, 1.12 * finiteMax({&s.residRmsIn, &s.residRmsMid, &s.residRmsOut,
                                             &s.attnNormOutRms, &s.ffnNormOutRms, &s.attnOutRms,
                                             &s.ffnOutRms, &sigma}) + 1e-6);
    if (ln) p->yAxis->setLabel(tr("RMS, \u03BC, \u03C3"));
    setLegend(p);
    replotOncePerTurn(p);
}

void NormsView::plotMaxOverLayers() {
    QCustomPlot* p = m_maxLayers;
    const NormSeries& s = m_data.byLayer;
    const int L = int(s.size());
    lecture::addTitle(p, tr("Largest |activation| per layer \u2014 \u201C%1\u201D").arg(m_data.token), lecture::kPaneTitlePt);
    addBand(p, m_data.layer - 0.5, m_data.layer + 0.5, kBand);

    QVector<double> keys(L);
    for (int l = 0; l < L; ++l) keys[l] = l;
    auto* group = new QCPBarsGroup(p);
    auto* resid = new QCPBars(p->xAxis, p->yAxis);
    resid->setName(tr("residual max |x|"));
    setCompactName(resid, tr("max |x|"));
    resid->setPen(QPen(kResid.darker(130), 1));
    resid->setBrush(kResid);
    resid->setWidth(0.36);
    resid->setData(keys, finiteOnly(s.residMaxAbs), true);
    resid->setBarsGroup(group);
    auto* act = new QCPBars(p->xAxis, p->yAxis);
    act->setName(tr("FFN activation max |h|"));
    setCompactName(act, tr("max |h|"));
    act->setPen(QPen(kFfn.darker(130), 1));
    act->setBrush(kFfn);
    act->setWidth(0.36);
    act->setData(keys, finiteOnly(s.ffnActMaxAbs), true);
    act->setBarsGroup(group);
    auto* rms = addLine(p, tr("residual RMS, for scale"), QColor(60, 60, 60), Qt::DashLine,
                        QCPScatterStyle::ssNone, 2.5, tr("RMS"));
    rms->setData(keys, finiteOnly(s.residRmsOut), true);

    // Channel numbers over the bars (the bars group shifts them by half a bar plus spacing).
    const double shift = 0.18 + group->spacing() / 200.0;
    if (L <= 24) {
        for (int l = 0; l < L; ++l) {
            addChannelLabel(p, p->xAxis, p->yAxis, l - shift, s.residMaxAbs[size_t(l)],
                            s.residMaxChannel[size_t(l)], kResid.darker(130));
            addChannelLabel(p, p->xAxis, p->yAxis, l + shift, s.ffnActMaxAbs[size_t(l)],
                            s.ffnActMaxChannel[size_t(l)], kFfn.darker(130));
        }
    }
    p->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTickerFixed));
    qSharedPointerCast<QCPAxisTickerFixed>(p->xAxis->ticker())->setTickStep(std::max(1, L / 16));
    p->xAxis->setSubTicks(false);
    p->xAxis->grid()->setVisible(false);
    p->xAxis->setRange(-0.6, L - 0.4);
    p->xAxis->setLabel(tr("layer (numbers: channel of the max)"));
    p->yAxis->setLabel(tr("largest |value|"));
    p->yAxis->setRange(0, 1.2 * finiteMax({&s.residMaxAbs, &s.ffnActMaxAbs, &s.residRmsOut}) + 1e-6);
    setLegend(p);
    replotOncePerTurn(p);
}

void NormsView::plotRmsOverTokens() {
    QCustomPlot* p = m_rmsTokens;
    const NormSeries& s = m_data.byToken;
    const int n = int(s.size());
    lecture::addTitle(p, tr("Residual RMS per token \u2014 layer %1").arg(m_data.layer), lecture::kPaneTitlePt);
    addBand(p, m_data.row - 0.5, m_data.row + 0.5, kBand);

    QVector<double> keys(n);
    for (int i = 0; i < n; ++i) keys[i] = i;
    auto* in = addLine(p, tr("entering the layer"), QColor(120, 150, 210), Qt::SolidLine,
                       QCPScatterStyle::ssNone, 2.5, tr("in"));
    in->setData(keys, finiteOnly(s.residRmsIn), true);
    auto* mid = addLine(p, tr("after attention"), kAttn, Qt::SolidLine, QCPScatterStyle::ssNone, 2.5, tr("+ attn"));
    mid->setData(keys, finiteOnly(s.residRmsMid), true);
    auto* out = addLine(p, tr("after FFN"), kResid, Qt::SolidLine, QCPScatterStyle::ssNone, 3.5, tr("+ FFN"));
    out->setData(keys, finiteOnly(s.residRmsOut), true);
    if (m_data.layerNorm) {
        auto* mean = addLine(p, tr("mean \u03BC entering the layer"), kMean, Qt::DashLine, QCPScatterStyle::ssNone,
                             2.0, tr("\u03BC in"));
        mean->setData(keys, finiteOnly(s.residMeanIn), true);
    }
    if (n <= 48)
        for (QCPGraph* g : {in, mid, out})
            g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, g->pen().color(), 6));

    p->xAxis->setTicker(tokenTicker(m_data.tokenLabels, std::max(4, p->width() / 20)));
    p->xAxis->setTickLabelRotation(n > 8 ? -60 : 0);
    p->xAxis->setSubTicks(false);
    p->xAxis->setRange(-0.6, n - 0.4);
    p->xAxis->setLabel(tr("token"));
    p->yAxis->setLabel(tr("RMS"));
    p->yAxis->setRange(m_data.layerNorm ? 1.15 * finiteMin({&s.residMeanIn}) : 0.0,
                       1.15 * finiteMax({&s.residRmsIn, &s.residRmsMid, &s.residRmsOut}) + 1e-6);
    setLegend(p);
    replotOncePerTurn(p);
}

void NormsView::plotMaxOverTokens() {
    QCustomPlot* p = m_maxTokens;
    const NormSeries& s = m_data.byToken;
    const int n = int(s.size());
    lecture::addTitle(p, tr("Largest |activation| per token \u2014 layer %1").arg(m_data.layer), lecture::kPaneTitlePt);
    addBand(p, m_data.row - 0.5, m_data.row + 0.5, kBand);

    QVector<double> keys(n);
    for (int i = 0; i < n; ++i) keys[i] = i;
    // A pair of bars needs about 3 pixels: a long prompt's tokens are pooled, each bar the max
    // of its bin (thousands of sub-pixel bars drew as a blur and cost a tab switch 70-200 ms).
    const int maxBars = std::max(32, p->axisRect()->width() > 50 ? p->axisRect()->width() / 3 : p->width() / 3);
    const PooledBars residBars = poolMax(s.residMaxAbs, maxBars), actBars = poolMax(s.ffnActMaxAbs, maxBars);
    const QString pooled = residBars.per > 1 ? tr(" (max of each %n tokens)", "", residBars.per) : QString();
    auto* group = new QCPBarsGroup(p);
    auto* resid = new QCPBars(p->xAxis, p->yAxis);
    resid->setName(tr("residual max |x|") + pooled);
    setCompactName(resid, tr("max |x|") + pooled);
    resid->setPen(Qt::NoPen);
    resid->setBrush(kResid);
    resid->setWidth(0.4 * residBars.per);
    resid->setData(residBars.keys, residBars.values, true);
    resid->setBarsGroup(group);
    auto* act = new QCPBars(p->xAxis, p->yAxis);
    act->setName(tr("FFN activation max |h|") + pooled);
    setCompactName(act, tr("max |h|") + pooled);
    act->setPen(Qt::NoPen);
    act->setBrush(kFfn);
    act->setWidth(0.4 * actBars.per);
    act->setData(actBars.keys, actBars.values, true);
    act->setBarsGroup(group);
    auto* rms = addLine(p, tr("residual RMS, for scale"), QColor(60, 60, 60), Qt::DashLine,
                        QCPScatterStyle::ssNone, 2.5, tr("RMS"));
    rms->setData(keys, finiteOnly(s.residRmsOut), true);

    // Channel labels: all of them when they fit, else those of the three largest residual maxima.
    std::vector<int> order(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) order[size_t(i)] = i;
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        return s.residMaxAbs[size_t(a)] > s.residMaxAbs[size_t(b)];
    });
    // The three largest at least a 25th of the prompt apart (neighbouring tokens' labels, or a
    // pooled bin's, would print on top of each other).
    const int labelled = n <= 20 ? n : std::min(n, 3);
    const int gap = n <= 20 ? 0 : std::max(residBars.per, n / 25);
    std::vector<int> chosen;
    for (int i : order) {
        if (int(chosen.size()) >= labelled) break;
        if (std::any_of(chosen.begin(), chosen.end(), [&](int c) { return gap > 0 && std::abs(c - i) < gap; }))
            continue;
        chosen.push_back(i);
    }
    for (int i : chosen) {
        const double x = residBars.per > 1 ? residBars.keys[i / residBars.per] - 0.2 * residBars.per : i - 0.2;
        addChannelLabel(p, p->xAxis, p->yAxis, x, s.residMaxAbs[size_t(i)],
                        s.residMaxChannel[size_t(i)], kResid.darker(130));
    }

    p->xAxis->setTicker(tokenTicker(m_data.tokenLabels, std::max(4, p->width() / 20)));
    p->xAxis->setTickLabelRotation(n > 8 ? -60 : 0);
    p->xAxis->setSubTicks(false);
    p->xAxis->grid()->setVisible(false);
    p->xAxis->setRange(-0.6, n - 0.4);
    p->xAxis->setLabel(tr("token (labels: residual channel of the max)"));
    p->xAxis->setRange(-0.9, n - 0.4);
    p->yAxis->setLabel(tr("largest |value|"));
    p->yAxis->setRange(0, 1.2 * finiteMax({&s.residMaxAbs, &s.ffnActMaxAbs, &s.residRmsOut}) + 1e-6);
    setLegend(p);
    replotOncePerTurn(p);
}

QString NormsView::toCsv() const {
    QString csv = QStringLiteral(
        "axis,index,label,resid_rms_in,resid_rms_mid,resid_rms_out,attn_norm_out_rms,"
        "ffn_norm_out_rms,attn_out_rms,ffn_out_rms,resid_max_abs,resid_max_channel,"
        "ffn_act_max_abs,ffn_act_max_channel,resid_mean_in,resid_mean_mid\n");
    auto rows = [&](const QString& axis, const NormSeries& s, auto label) {
        for (size_t i = 0; i < s.size(); ++i) {
            csv += QStringLiteral("%1,%2,%3").arg(axis).arg(i).arg(csvField(label(i)));
            for (double v : {s.residRmsIn[i], s.residRmsMid[i], s.residRmsOut[i], s.attnNormOutRms[i],
                             s.ffnNormOutRms[i], s.attnOutRms[i], s.ffnOutRms[i], s.residMaxAbs[i]})
                csv += QLatin1Char(',') + QString::number(v, 'g', 7);
            csv += QStringLiteral(",%1,%2,%3,%4,%5\n")
                       .arg(s.residMaxChannel[i])
                       .arg(s.ffnActMaxAbs[i], 0, 'g', 7)
                       .arg(s.ffnActMaxChannel[i])
                       .arg(s.residMeanIn[i], 0, 'g', 7)
                       .arg(s.residMeanMid[i], 0, 'g', 7);
        }
    };
    if (!m_data.valid) return csv;
    rows(QStringLiteral("layer"), m_data.byLayer,
         [&](size_t i) { return QStringLiteral("layer %1 @ pos %2").arg(i).arg(m_data.position); });
    rows(QStringLiteral("token"), m_data.byToken,
         [&](size_t i) { return m_data.tokenLabels[qsizetype(i)]; });
    return csv;
}

void NormsView::changeEvent(QEvent* e) {
    TraceView::changeEvent(e);
    if (restyleOnFontChange(e)) refitLater();
}

}  // namespace anatomy::widgets
