#include "views/positions_view.h"

#include <QEvent>
#include <QGridLayout>
#include "plot/qcustomplot_include.h"
#include "plot/replot_once.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "anatomy/alibi.h"
#include "anatomy/encoder_decoder.h"
#include "anatomy/model.h"
#include "anatomy/relative_position.h"
#include "plot/positions_math.h"
#include "plot/rope_math.h"
#include "views/sampling_view.h"  // csvField, lecture styling

namespace anatomy::widgets {

namespace {

const QColor kContext(200, 60, 60);

QFont pointFont(const QWidget* w, double pt, bool bold = false) { return lecture::fontFor(w, pt, bold); }

void clearPlot(QCustomPlot* p) {
    p->clearPlottables();
    p->clearItems();
    p->plotLayout()->clear();
}

// A title (and a note under it) over one axis rect; returns the rect.
QCPAxisRect* titledRect(QCustomPlot* p, const QString& title, const QString& note) {
    p->plotLayout()->addElement(0, 0, lecture::fittedText(p, title, lecture::kPaneTitlePt, true));
    p->plotLayout()->addElement(1, 0, lecture::fittedText(p, note, lecture::kNotePt + 1, false));
    auto* rect = new QCPAxisRect(p);
    p->plotLayout()->addElement(2, 0, rect);
    lecture::styleAxisRect(rect);
    return rect;
}

// Values in [-1, 1] blue-white-orange, the colour scale beside the map in a grid of its own so
// the titles keep the full width (the rect sits in row 2 of titledRect's layout).
void withDivergingScale(QCustomPlot* p, QCPAxisRect* rect, QCPColorMap* map, const QString& scaleLabel) {
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0, QColor(40, 90, 190));
    g.setColorStopAt(0.5, QColor(250, 250, 250));
    g.setColorStopAt(1, QColor(225, 120, 20));
    map->setGradient(g);
    map->setDataRange(QCPRange(-1, 1));
    map->setInterpolate(false);
    auto* scale = new QCPColorScale(p);
    auto* row = new QCPLayoutGrid;
    p->plotLayout()->take(rect);
    p->plotLayout()->addElement(2, 0, row);
    row->addElement(0, 0, rect);
    row->addElement(0, 1, scale);
    scale->setType(QCPAxis::atRight);
    scale->setGradient(g);
    scale->setDataRange(QCPRange(-1, 1));
    scale->axis()->setTickLabelFont(pointFont(p, lecture::kTickPt));
    if (!scaleLabel.isEmpty()) scale->axis()->setLabel(scaleLabel);
    scale->setBarWidth(14);
    map->setColorScale(scale);
    auto* group = new QCPMarginGroup(p);
    rect->setMarginGroup(QCP::msBottom | QCP::msTop, group);
    scale->setMarginGroup(QCP::msBottom | QCP::msTop, group);
}

QCPItemStraightLine* vline(QCustomPlot* p, QCPAxisRect* rect, double x, const QPen& pen) {
    auto* line = new QCPItemStraightLine(p);
    line->setClipAxisRect(rect);
    line->point1->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    line->point2->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    line->point1->setCoords(x, 0);
    line->point2->setCoords(x, 1);
    line->setPen(pen);
    return line;
}

QCPItemText* label(QCustomPlot* p, QCPAxisRect* rect, double x, double y, Qt::Alignment align,
                   const QString& text, const QFont& font, const QColor& color) {
    auto* t = new QCPItemText(p);
    t->setClipAxisRect(rect);
    t->position->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    t->position->setCoords(x, y);
    t->setPositionAlignment(align);
    t->setFont(font);
    t->setColor(color);
    t->setBrush(QColor(255, 255, 255, 215));
    t->setText(text);
    return t;
}

// 2^(-k) written as a fraction when it is one ("1/2", "1/256").
QString slopeText(double m) {
    const double inv = 1.0 / m;
    if (std::abs(inv - std::round(inv)) < 1e-6) return QStringLiteral("1/%1").arg(std::lround(inv));
    return QString::number(m, 'g', 3);
}

}  // namespace

PositionsPlotData positionsPlotData(const anatomy::ModelConfig& c, const anatomy::SimSettings& sim) {
    PositionsPlotData d;
    if (c.dim <= 0 || c.nHeads <= 0 || c.seqLen <= 0) {
        d.message = QObject::tr("No model yet: load one to see its positions.");
        return d;
    }
    // The table is drawn, not computed for its own sake: twice the trained context, but never
    // more cells than a screen shows (a file may claim a 4M-token context or a huge width).
    d.modelDim = c.dim;
    d.dim = std::min(c.dim, kMaxDrawnDims);
    d.seqLen = c.seqLen;
    d.nPositions = int(std::min<int64_t>(2 * int64_t(c.seqLen), kMaxDrawnPositions));
    d.sinusoid = positions::sinusoidalTable(d.nPositions, c.dim, 10000.0, d.dim);
    for (int n = 0; n <= 2 * d.t5MaxDistance; ++n)
        d.t5Bucket.push_back(positions::t5Bucket(n, false, d.t5Buckets, d.t5MaxDistance));
    for (float m : anatomy::alibiSlopes(c.nHeads)) d.alibiSlopes.push_back(m);
    d.headSize = c.headSize();
    d.ropeBase = sim.ropeBase.value_or(c.ropeTheta);
    d.ropeTheta = rope::pairFrequencies(d.headSize, d.ropeBase);
    d.valid = true;
    return d;
}

void addLearnedT5Bias(PositionsPlotData& d, const anatomy::Trace& trace) {
    const anatomy::EncoderDecoderTrace* e = trace.encoderDecoder.get();
    if (!e || e->encoderBiasTable.shape.size() != 2) return;
    const int B = e->relativeBuckets, H = int(e->encoderBiasTable.shape[1]), maxD = e->relativeMaxDistance;
    d.t5Learned = true;
    d.t5Buckets = B;
    d.t5MaxDistance = maxD;
    d.t5Range = maxD + maxD / 4;  // a little past the last bucket's start: the plateau shows
    d.t5Heads = H;
    const int w = 2 * d.t5Range + 1;
    d.t5EncoderBias.assign(size_t(H) * w, 0.0);
    d.t5DecoderBias.assign(size_t(H) * w, 0.0);
    for (int h = 0; h < H; ++h)
        for (int i = 0; i < w; ++i) {
            const int key = i - d.t5Range;  // query at 0
            d.t5EncoderBias[size_t(h) * w + i] =
                anatomy::relativePositionBias(e->encoderBiasTable.data.data(), H, h, key, 0, B, true, maxD);
            d.t5DecoderBias[size_t(h) * w + i] =
                anatomy::relativePositionBias(e->decoderBiasTable.data.data(), H, h, key, 0, B, false, maxD);
        }
}

void addLearnedPositions(PositionsPlotData& d, const anatomy::Trace& trace, const anatomy::Model* model) {
    const anatomy::EmbeddingSpec& e = trace.architecture.embeddings;
    if (!model || !model->positionEmbedding || !e.learnedPositions || e.sinusoidalPositions) return;
    if (model->config.dim != trace.config.dim || model->config.seqLen <= 0) return;  // not this trace's model
    const positions::PositionSimilarity s = positions::learnedPositionSimilarity(
        model->positionEmbedding, model->config.seqLen, model->config.dim, kMaxDrawnSimilarity);
    if (s.n <= 0) return;
    d.learnedPositions = true;
    d.learnedN = s.n;
    d.learnedStride = s.stride;
    d.learnedCosine = s.cosine;
}

PositionsView::PositionsView(QWidget* parent) : TraceView(parent) {
    auto* grid = new QGridLayout(this);
    m_sin = new QCustomPlot(this);
    m_t5 = new QCustomPlot(this);
    m_alibi = new QCustomPlot(this);
    m_rope = new QCustomPlot(this);
    for (QCustomPlot* p : {m_sin, m_t5, m_alibi, m_rope}) {
        p->setMinimumSize(160, 160);  // four of them fit a 1024x640 window
        p->setAutoAddPlottableToLegend(false);  // legends list what they are given
    }
    grid->addWidget(m_sin, 0, 0);
    grid->addWidget(m_rope, 0, 1);
    grid->addWidget(m_t5, 1, 0);
    grid->addWidget(m_alibi, 1, 1);
    replotAll();
}

void PositionsView::setInput(const ViewInput& input) {
    const auto same = [](const anatomy::ModelConfig& a, const anatomy::ModelConfig& b) {
        return a.dim == b.dim && a.nHeads == b.nHeads && a.seqLen == b.seqLen && a.headSize() == b.headSize() &&
               a.ropeTheta == b.ropeTheta;
    };
    const bool sameModel = input.trace && m_input.trace && same(input.trace->config, m_input.trace->config) &&
                           input.sim.ropeBase == m_input.sim.ropeBase && !input.trace->encoderDecoder &&
                           !m_input.trace->encoderDecoder && input.model == m_input.model;
    m_input = input;
    if (sameModel && m_data.valid) return;  // the drawings depend on the model, not the text
    m_data = m_input.trace ? positionsPlotData(m_input.trace->config, m_input.sim) : PositionsPlotData{};
    if (!m_input.trace) m_data.message = tr("No model yet: load one to see its positions.");
    if (m_input.trace) addLearnedT5Bias(m_data, *m_input.trace);
    if (m_input.trace) addLearnedPositions(m_data, *m_input.trace, m_input.model.get());
    replotAll();
}

void PositionsView::setSelection(const Selection& sel) {
    if (sel == m_sel) return;
    const bool headChanged = sel.head != m_sel.head;
    m_sel = sel;
    if (headChanged) {  // the selected head is drawn bold
        plotAlibi();
        if (m_data.t5Learned) plotT5();
    }
}

void PositionsView::resizeEvent(QResizeEvent* e) {
    TraceView::resizeEvent(e);
    refitLater();  // titles are fitted to the width
}

void PositionsView::refit() { replotAll(); }

void PositionsView::replotAll() {
    plotSinusoid();
    plotT5();
    plotAlibi();
    plotRope();
}

// (a) PE(pos, j) as colour: fast sines in the first dimensions, slow ones in the last.
void PositionsView::plotSinusoid() {
    QCustomPlot* p = m_sin;
    clearPlot(p);
    if (!m_data.valid) {
        p->plotLayout()->addElement(0, 0, lecture::fittedText(p, m_data.message, lecture::kTitlePt, true));
        replotOncePerTurn(p);
        return;
    }
    if (m_data.learnedPositions) {
        plotLearnedPositions();
        return;
    }
    const PositionsPlotData& d = m_data;
    QCPAxisRect* rect = titledRect(
        p, tr("(a) Sinusoidal absolute encoding, added to the embedding"),
        tr("PE(pos, 2i) = sin(pos / 10000^(2i/%1)),  PE(pos, 2i+1) = cos(…),  d = %1").arg(d.modelDim));
    QCPAxis* xa = rect->axis(QCPAxis::atBottom);
    QCPAxis* ya = rect->axis(QCPAxis::atLeft);
    auto* map = new QCPColorMap(xa, ya);
    map->data()->setSize(d.nPositions, d.dim);
    map->data()->setRange(QCPRange(0, d.nPositions - 1), QCPRange(0, d.dim - 1));
    for (int pos = 0; pos < d.nPositions; ++pos)
        for (int j = 0; j < d.dim; ++j) map->data()->setCell(pos, j, d.sinusoid[size_t(pos) * d.dim + j]);
    withDivergingScale(p, rect, map, QString());

    xa->setRange(-0.5, d.nPositions - 0.5);
    ya->setRange(-0.5, d.dim - 0.5);
    ya->setRangeReversed(true);  // dimension 0 on top, as a matrix is read
    xa->setLabel(tr("position"));
    ya->setLabel(tr("dimension j"));
    vline(p, rect, d.seqLen, QPen(Qt::black, 2.5, Qt::DashLine));
    label(p, rect, d.seqLen, d.dim - 1, Qt::AlignLeft | Qt::AlignBottom,
          tr(" trained context %1 →").arg(d.seqLen), pointFont(this, lecture::kLabelPt), kContext);
    replotOncePerTurn(p);
}

// (a) for a model with learned absolute positions: how alike its position vectors are. GPT-2's
// shows a bright band along the diagonal (near positions alike) that widens with distance.
void PositionsView::plotLearnedPositions() {
    QCustomPlot* p = m_sin;
    const PositionsPlotData& d = m_data;
    const QString every = d.learnedStride > 1 ? tr(", every %1th position").arg(d.learnedStride) : QString();
    QCPAxisRect* rect = titledRect(
        p, tr("(a) Learned absolute positions of this model: cos(P_i, P_j)"),
        tr("P = the position embedding added to the token embedding, %1 positions x %2 dims%3")
            .arg(d.seqLen).arg(d.modelDim).arg(every));
    QCPAxis* xa = rect->axis(QCPAxis::atBottom);
    QCPAxis* ya = rect->axis(QCPAxis::atLeft);
    auto* map = new QCPColorMap(xa, ya);
    const int n = d.learnedN;
    const double last = double(n - 1) * d.learnedStride;
    map->data()->setSize(n, n);
    map->data()->setRange(QCPRange(0, last), QCPRange(0, last));
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) map->data()->setCell(i, j, d.learnedCosine[size_t(i) * n + j]);
    withDivergingScale(p, rect, map, tr("cosine"));
    const double half = 0.5 * d.learnedStride;
    xa->setRange(-half, last + half);
    ya->setRange(-half, last + half);
    ya->setRangeReversed(true);  // position 0 on top, as a matrix is read
    xa->setLabel(tr("position j"));
    ya->setLabel(tr("position i"));
    replotOncePerTurn(p);
}

// (b) T5: one learned scalar per bucket and head; the bucket depends on the distance only.
void PositionsView::plotT5() {
    QCustomPlot* p = m_t5;
    clearPlot(p);
    if (!m_data.valid) {
        replotOncePerTurn(p);
        return;
    }
    const PositionsPlotData& d = m_data;
    if (d.t5Learned) {
        plotLearnedT5();
        return;
    }
    const int exact = d.t5Buckets / 2;
    QCPAxisRect* rect = titledRect(
        p, tr("(b) T5 relative bias: bucket of the distance"),
        tr("%1 buckets: 0–%2 exact, log-spaced up to %3; one learned bias per bucket and head")
            .arg(d.t5Buckets).arg(exact - 1).arg(d.t5MaxDistance));
    QCPAxis* xa = rect->axis(QCPAxis::atBottom);
    QCPAxis* ya = rect->axis(QCPAxis::atLeft);
    auto* g = new QCPGraph(xa, ya);
    g->setLineStyle(QCPGraph::lsStepLeft);
    g->setPen(QPen(QColor(40, 90, 190), 3));
    g->setBrush(QColor(40, 90, 190, 40));
    for (size_t n = 0; n < d.t5Bucket.size(); ++n) g->addData(double(n), d.t5Bucket[n]);
    const QFont f = pointFont(this, lecture::kLabelPt);
    vline(p, rect, exact, QPen(QColor(60, 60, 60), 2, Qt::DashLine));
    vline(p, rect, d.t5MaxDistance, QPen(kContext, 2.5, Qt::DashLine));
    label(p, rect, exact, 2, Qt::AlignLeft | Qt::AlignBottom, tr(" one bucket per distance ← | → log-spaced"),
          f, QColor(60, 60, 60));
    label(p, rect, d.t5MaxDistance, exact / 2.0, Qt::AlignLeft | Qt::AlignVCenter,
          tr(" from %1 on: all in bucket %2").arg(d.t5MaxDistance).arg(d.t5Buckets - 1), f, kContext);
    xa->setRange(0, double(d.t5Bucket.size() - 1));
    ya->setRange(0, d.t5Buckets + 1);
    xa->setLabel(tr("distance n = query − key (tokens back)"));
    ya->setLabel(tr("bucket"));
    replotOncePerTurn(p);
}

// (b) for a T5 model: the bias it learned, per head, against the signed distance key - query.
// Solid: the encoder (both directions); dashed: the decoder (keys before the query only).
void PositionsView::plotLearnedT5() {
    QCustomPlot* p = m_t5;
    const PositionsPlotData& d = m_data;
    const int sel = std::clamp(m_sel.head, 0, std::max(d.t5Heads - 1, 0));
    QCPAxisRect* rect = titledRect(
        p, tr("(b) T5 relative bias this model learned: B[bucket(key − query), head]"),
        tr("%1 buckets, one past %2; solid: encoder, dashed: decoder; head %3 bold, others faint")
            .arg(d.t5Buckets).arg(d.t5MaxDistance).arg(sel));
    QCPAxis* xa = rect->axis(QCPAxis::atBottom);
    QCPAxis* ya = rect->axis(QCPAxis::atLeft);
    const int w = 2 * d.t5Range + 1;
    double lo = 0, hi = 0;
    for (int h = 0; h < d.t5Heads; ++h) {
        const double t = d.t5Heads > 1 ? double(h) / (d.t5Heads - 1) : 0.0;
        QColor col = QColor::fromHsvF(0.6 - 0.6 * t, 0.85, 0.8 - 0.15 * t);
        if (h != sel) col.setAlpha(70);  // the selected head stands out of the others
        const double width = h == sel ? 3.5 : 1.4;
        auto* enc = new QCPGraph(xa, ya);
        enc->setLineStyle(QCPGraph::lsStepCenter);
        enc->setPen(QPen(col, width));
        auto* dec = new QCPGraph(xa, ya);
        dec->setLineStyle(QCPGraph::lsStepCenter);
        dec->setPen(QPen(col, width, Qt::DashLine));
        for (int i = 0; i < w; ++i) {
            const int n = i - d.t5Range;
            const double e = d.t5EncoderBias[size_t(h) * w + i], b = d.t5DecoderBias[size_t(h) * w + i];
            enc->addData(n, e);
            lo = std::min(lo, e);
            hi = std::max(hi, e);
            if (n <= 0) {
                dec->addData(n, b);
                lo = std::min(lo, b);
                hi = std::max(hi, b);
            }
        }
    }
    const double pad = 0.08 * std::max(1e-6, hi - lo);
    xa->setRange(-d.t5Range, d.t5Range);
    ya->setRange(lo - pad, hi + pad);
    vline(p, rect, 0, QPen(QColor(60, 60, 60), 1.5, Qt::DashLine));
    label(p, rect, -d.t5Range, hi + pad, Qt::AlignLeft | Qt::AlignTop, tr(" ← keys before"),
          pointFont(this, lecture::kNotePt), QColor(60, 60, 60));
    label(p, rect, d.t5Range, hi + pad, Qt::AlignRight | Qt::AlignTop, tr("after (encoder) → "),
          pointFont(this, lecture::kNotePt), QColor(60, 60, 60));
    xa->setLabel(tr("relative position key − query (tokens)"));
    ya->setLabel(tr("bias added to the score"));
    replotOncePerTurn(p);
}

// (c) ALiBi: a straight line per head, steep heads look near, flat heads look far.
void PositionsView::plotAlibi() {
    QCustomPlot* p = m_alibi;
    clearPlot(p);
    if (!m_data.valid) {
        replotOncePerTurn(p);
        return;
    }
    const PositionsPlotData& d = m_data;
    const int nHeads = int(d.alibiSlopes.size());
    const int maxD = d.t5MaxDistance;
    QCPAxisRect* rect = titledRect(
        p, tr("(c) ALiBi: bias −mₕ·d added to the score"),
        tr("head h = 0..%1: slope m = 2^(−8(h+1)/%2), fixed, nothing learned; selected head %3 bold")
            .arg(nHeads - 1).arg(nHeads).arg(std::clamp(m_sel.head, 0, std::max(nHeads - 1, 0))));
    QCPAxis* xa = rect->axis(QCPAxis::atBottom);
    QCPAxis* ya = rect->axis(QCPAxis::atLeft);
    // The legend in the empty corner under the steepest line (bottom left), two heads a row: a
    // row of its own under the plot took a quarter of a 720-line slide's pane.
    auto* legend = new QCPLegend;
    rect->insetLayout()->addElement(legend, Qt::AlignLeft | Qt::AlignBottom);
    legend->setLayer(QStringLiteral("legend"));
    legend->setFont(pointFont(this, lecture::kNotePt));
    legend->setBorderPen(Qt::NoPen);
    legend->setBrush(QColor(255, 255, 255, 210));
    legend->setRowSpacing(0);
    legend->setColumnSpacing(10);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(2);
    for (int h = 0; h < nHeads; ++h) {
        const double m = d.alibiSlopes[size_t(h)];
        const std::vector<double> bias = positions::alibiBias(m, maxD);
        auto* g = new QCPGraph(xa, ya);
        const double t = nHeads > 1 ? double(h) / (nHeads - 1) : 0.0;
        const QColor col = QColor::fromHsvF(0.6 - 0.6 * t, 0.85, 0.8 - 0.15 * t);
        const bool selected = h == m_sel.head;
        g->setPen(QPen(col, selected ? 5 : 2.2));
        g->setName(tr("head %1: %2").arg(h).arg(slopeText(m)));
        for (int n = 0; n <= maxD; ++n) g->addData(n, bias[size_t(n)]);
        legend->addItem(new QCPPlottableLegendItem(legend, g));
    }
    // A pane too small for the legend in its corner (four panes on a 720-line slide) draws the
    // lines alone: the subtitle gives every head's slope and names the bold one.
    // The corner is free where the legend's share of the height and of the width add up to
    // less than one (head 0's line runs corner to corner); the rect's size is estimated from
    // the pane's less the title, subtitle and axes.
    const QFontMetricsF lm(legend->font()), note(pointFont(this, lecture::kNotePt));
    double itemW = 0;
    for (int h = 0; h < nHeads; ++h)
        itemW = std::max(itemW, lm.horizontalAdvance(tr("head %1: %2").arg(h).arg(slopeText(d.alibiSlopes[size_t(h)]))));
    const double legendH = (nHeads + 1) / 2 * lm.height() + 8, legendW = 2 * (itemW + 40) + 10;
    const double rectH = p->height() - 6.0 * note.height(), rectW = p->width() - 5.0 * note.height();
    legend->setVisible(rectH > 0 && rectW > 0 && legendH / rectH + legendW / rectW < 0.95 && legendH < 0.6 * rectH);
    const double bottom = nHeads > 0 ? -d.alibiSlopes[0] * maxD : -1.0;
    xa->setRange(0, maxD);
    ya->setRange(bottom * 1.05, -bottom * 0.05);
    xa->setLabel(tr("distance d = query − key (tokens back)"));
    ya->setLabel(tr("bias on the score"));
    replotOncePerTurn(p);
}

// (d) RoPE: each pair turns at its own speed; cos(pos theta_i) is one coordinate of the turn.
void PositionsView::plotRope() {
    QCustomPlot* p = m_rope;
    clearPlot(p);
    if (!m_data.valid) {
        replotOncePerTurn(p);
        return;
    }
    const PositionsPlotData& d = m_data;
    const int nPairs = int(d.ropeTheta.size());
    QCPAxisRect* rect = titledRect(
        p, tr("(d) RoPE: cos(pos·θᵢ) of each pair, rotating q and k"),
        tr("θᵢ = %1^(−2i/%2), λ = 2π/θᵢ tokens per turn; q·k sees only angle differences")
            .arg(d.ropeBase, 0, 'g', 6).arg(d.headSize));
    QCPAxis* xa = rect->axis(QCPAxis::atBottom);
    QCPAxis* ya = rect->axis(QCPAxis::atLeft);
    // Pairs stacked top to bottom, fast to slow, each in its own band of height 2.
    const double gap = 2.6;
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int i = 0; i < nPairs; ++i) {
        const double theta = d.ropeTheta[size_t(i)];
        const double y0 = (nPairs - 1 - i) * gap;
        const double lambda = 2 * std::numbers::pi / theta;
        const QColor col = QColor::fromHsvF(0.6 - 0.55 * i / std::max(nPairs - 1, 1), 0.85, 0.75);
        auto* g = new QCPGraph(xa, ya);
        g->setPen(QPen(col, lambda < 20 ? 1.2 : 2.5));
        for (int pos = 0; pos < d.nPositions; ++pos) g->addData(pos, y0 + std::cos(pos * theta));
        ticker->addTick(y0, tr("pair %1\nλ = %2").arg(i).arg(lambda, 0, 'f', lambda < 100 ? 1 : 0));
    }
    ya->setTicker(ticker);
    ya->setSubTicks(false);
    ya->grid()->setVisible(false);
    ya->setRange(-1.2, (nPairs - 1) * gap + 1.6);
    xa->setRange(0, d.nPositions - 1);
    xa->setLabel(tr("position"));
    vline(p, rect, d.seqLen, QPen(Qt::black, 2.5, Qt::DashLine));
    label(p, rect, d.seqLen, -1.15, Qt::AlignLeft | Qt::AlignBottom, tr(" trained context %1 →").arg(d.seqLen),
          pointFont(this, lecture::kLabelPt), kContext);
    replotOncePerTurn(p);
}

QString PositionsView::toCsv() const {
    QString csv = QStringLiteral("kind,index,column,value\n");
    if (!m_data.valid) return csv;
    const PositionsPlotData& d = m_data;
    // The sinusoid table is nPositions x dim rows (tens of thousands): appended piece by piece
    // into reserved space, as the three .arg() copies a row cost about 300 ms of GUI thread per
    // Copy (Ctrl+Shift+C).
    csv.reserve(qsizetype(d.nPositions) * d.dim * 28);
    for (int pos = 0; pos < d.nPositions; ++pos) {
        const QString row = QStringLiteral("sinusoid,") + QString::number(pos) + QLatin1Char(',');
        for (int j = 0; j < d.dim; ++j) {
            csv += row;
            csv += QString::number(j);
            csv += QLatin1Char(',');
            csv += QString::number(d.sinusoid[size_t(pos) * d.dim + j], 'g', 7);
            csv += QLatin1Char('\n');
        }
    }
    for (int i = 0; d.learnedPositions && i < d.learnedN; ++i)  // index, column: positions
        for (int j = 0; j < d.learnedN; ++j)
            csv += QStringLiteral("learned_position_cosine,%1,%2,%3\n")
                       .arg(i * d.learnedStride)
                       .arg(j * d.learnedStride)
                       .arg(d.learnedCosine[size_t(i) * d.learnedN + j], 0, 'g', 7);
    for (size_t n = 0; n < d.t5Bucket.size(); ++n) csv += QStringLiteral("t5_bucket,%1,,%2\n").arg(n).arg(d.t5Bucket[n]);
    const int w = 2 * d.t5Range + 1;  // learned: index = key - query, column = head
    for (int h = 0; d.t5Learned && h < d.t5Heads; ++h)
        for (int i = 0; i < w; ++i) {
            csv += QStringLiteral("t5_encoder_bias,%1,%2,%3\n").arg(i - d.t5Range).arg(h).arg(d.t5EncoderBias[size_t(h) * w + i], 0, 'g', 7);
            if (i <= d.t5Range)
                csv += QStringLiteral("t5_decoder_bias,%1,%2,%3\n").arg(i - d.t5Range).arg(h).arg(d.t5DecoderBias[size_t(h) * w + i], 0, 'g', 7);
        }
    for (size_t h = 0; h < d.alibiSlopes.size(); ++h)
        csv += QStringLiteral("alibi_slope,%1,,%2\n").arg(h).arg(d.alibiSlopes[h], 0, 'g', 7);
    for (size_t i = 0; i < d.ropeTheta.size(); ++i)
        csv += QStringLiteral("rope_theta,%1,,%2\n").arg(i).arg(d.ropeTheta[i], 0, 'g', 9);
    return csv;
}

void PositionsView::changeEvent(QEvent* e) {
    TraceView::changeEvent(e);
    if (restyleOnFontChange(e)) refitLater();
}

}  // namespace anatomy::widgets
