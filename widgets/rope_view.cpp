#include "rope_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QVBoxLayout>
// qcustomplot.h spells the Qt keywords `signals` and `foreach`, which QT_NO_KEYWORDS hides.
#define signals Q_SIGNALS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef foreach
#undef signals

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "rope_math.h"
#include "sampling_view.h"  // visibleToken, csvField, lecture styling

namespace anatomy::widgets {

namespace {

const QColor kQ(40, 90, 190);
const QColor kK(225, 120, 20);
const QColor kBeyond(200, 60, 60);

// Row `index` of a [n0, n1, headSize] array as a vector.
std::vector<float> vectorAt(const anatomy::FloatArray& a, int i0, int i1) {
    if (a.shape.size() != 3 || i0 >= a.dim(0) || i1 >= a.dim(1)) return {};
    const size_t n = size_t(a.dim(2));
    const size_t off = size_t(a.offset({i0, i1, 0}));
    return {a.data.begin() + std::ptrdiff_t(off), a.data.begin() + std::ptrdiff_t(off + n)};
}

QString label(const anatomy::Trace& t, int pos) {
    return size_t(pos) < t.tokenText.size() ? visibleToken(t.tokenText[size_t(pos)]) : QString::number(pos);
}

QFont pointFont(const QWidget* w, double pt, bool bold = false) {
    QFont f = w->font();
    f.setPointSizeF(pt);
    f.setBold(bold);
    return f;
}

void clearPlot(QCustomPlot* p) {
    p->clearPlottables();
    p->clearItems();
    p->plotLayout()->clear();
}

}  // namespace

RopePlotData ropePlotData(const anatomy::Trace& t, const Selection& sel, RopeKey key,
                          int maxShownPairs) {
    RopePlotData d;
    const anatomy::ModelConfig& c = t.config;
    if (t.nQ <= 0 || t.layers.empty()) {
        d.message = QStringLiteral("No trace yet: run the model on some text.");
        return d;
    }
    if (c.nHeads <= 0 || c.nKvHeads <= 0 || c.headSize() < 2 || c.headSize() % 2 != 0) {
        d.message = QStringLiteral("RoPE needs an even head size (got %1).").arg(c.headSize());
        return d;
    }
    d.layer = std::clamp(sel.layer, 0, int(t.layers.size()) - 1);
    d.head = std::clamp(sel.head, 0, c.nHeads - 1);
    d.kvHead = d.head / c.kvGroup();  // GQA: query heads share key heads in groups
    d.row = sel.position < 0 ? t.nQ - 1 : std::min(sel.position, t.nQ - 1);
    d.position = t.firstQueryPos + d.row;
    d.headSize = c.headSize();
    d.base = c.ropeTheta;
    d.seqLen = std::max(c.seqLen, 1);
    d.theta = rope::pairFrequencies(d.headSize, d.base);
    d.wavelength = rope::pairWavelengths(d.headSize, d.base);
    d.pairsBeyondContext = rope::pairsLongerThan(d.wavelength, d.seqLen);

    const anatomy::LayerTrace& lt = t.layers[size_t(d.layer)];
    if (lt.q.empty() || lt.k.empty()) {
        d.message = QStringLiteral("This trace kept no q and k vectors (capture: q/k).");
        return d;
    }
    // The key: most attended (from the probabilities), the query's own position, or BOS.
    d.keyPosition = d.position;
    if (key == RopeKey::First) {
        d.keyPosition = 0;
    } else if (key == RopeKey::MostAttended && lt.attnProbs.shape.size() == 3) {
        float best = -1.0f;
        for (int j = 0; j <= d.position && j < lt.attnProbs.dim(2); ++j) {
            const float p = lt.attnProbs.at({d.head, d.row, j});
            if (p > best) {
                best = p;
                d.keyPosition = j;
            }
        }
    }
    const std::vector<float> qRot = vectorAt(lt.q, d.head, d.row);
    const std::vector<float> kRot = vectorAt(lt.k, d.kvHead, d.keyPosition);
    if (qRot.size() != size_t(d.headSize) || kRot.size() != size_t(d.headSize)) {
        d.message = QStringLiteral("q or k of layer %1 has an unexpected shape.").arg(d.layer);
        return d;
    }
    // The trace holds q and k after RoPE; turning them back gives the vectors RoPE received.
    d.q = rope::unrotate(qRot, d.position, d.base);
    d.k = rope::unrotate(kRot, d.keyPosition, d.base);
    d.queryToken = label(t, d.position);
    d.keyToken = label(t, d.keyPosition);

    const double scale = 1.0 / std::sqrt(double(d.headSize));  // as attention scales q.k
    d.score = rope::scoreCurve(d.q, d.k, 4 * d.seqLen, d.base);
    for (double& s : d.score) s *= scale;
    d.traceScore = lt.attnScores.shape.size() == 3 && d.keyPosition < lt.attnScores.dim(2)
                       ? double(lt.attnScores.at({d.head, d.row, d.keyPosition}))
                       : std::numeric_limits<double>::quiet_NaN();

    const int nPairs = d.headSize / 2;
    const int shown = std::min(nPairs, std::max(maxShownPairs, 1));
    for (int j = 0; j < shown; ++j)  // evenly spread, first and last pair always included
        d.shownPairs.push_back(shown == 1 ? 0 : int(std::lround(double(j) * (nPairs - 1) / (shown - 1))));
    d.valid = true;
    return d;
}

RopeView::RopeView(QWidget* parent) : TraceView(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* controls = new QHBoxLayout;
    const QFont big = pointFont(this, lecture::kLabelPt);
    auto* keyLabel = new QLabel(tr("Key:"), this);
    m_keyBox = new QComboBox(this);
    m_keyBox->addItem(tr("most attended"), int(RopeKey::MostAttended));
    m_keyBox->addItem(tr("same position"), int(RopeKey::SamePosition));
    m_keyBox->addItem(tr("first token"), int(RopeKey::First));
    m_posSlider = new QSlider(Qt::Horizontal, this);
    m_posSlider->setToolTip(tr("Turn the pairs to another position, also beyond the trained context"));
    m_posLabel = new QLabel(this);
    for (QWidget* w : {static_cast<QWidget*>(keyLabel), static_cast<QWidget*>(m_keyBox),
                       static_cast<QWidget*>(m_posLabel)})
        w->setFont(big);
    controls->addWidget(keyLabel);
    controls->addWidget(m_keyBox);
    controls->addSpacing(30);
    controls->addWidget(m_posLabel);
    controls->addWidget(m_posSlider, 1);
    layout->addLayout(controls);

    m_pairs = new QCustomPlot(this);
    m_waves = new QCustomPlot(this);
    m_score = new QCustomPlot(this);
    for (QCustomPlot* p : {m_pairs, m_waves, m_score}) p->setMinimumSize(300, 200);
    layout->addWidget(m_pairs, 4);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_waves, 2);
    bottom->addWidget(m_score, 3);
    layout->addLayout(bottom, 5);

    connect(m_keyBox, &QComboBox::currentIndexChanged, this, [this](int) {
        setKeyChoice(RopeKey(m_keyBox->currentData().toInt()));
    });
    connect(m_posSlider, &QSlider::valueChanged, this, [this](int v) {
        m_shownPos = v;
        plotPairs();
        plotScore();
    });
    // Unit circles stay circles whatever the widget's shape.
    connect(m_pairs, &QCustomPlot::afterLayout, this, [this] { keepCirclesRound(); });
    rebuild();
}

void RopeView::setInput(const ViewInput& input) {
    if (input.trace == m_input.trace && m_data.valid) {
        m_input = input;
        return;
    }
    m_input = input;
    rebuild();
}

void RopeView::setSelection(const Selection& sel) {
    if (sel == m_sel) return;
    m_sel = sel;
    rebuild();
}

void RopeView::resizeEvent(QResizeEvent* e) {
    TraceView::resizeEvent(e);
    // Titles are fitted to the width; the data and the slider's position stay.
    plotPairs();
    plotWavelengths();
    plotScore();
}

void RopeView::setKeyChoice(RopeKey key) {
    if (key == m_key) return;
    m_key = key;
    const int i = m_keyBox->findData(int(key));
    if (i >= 0 && i != m_keyBox->currentIndex()) m_keyBox->setCurrentIndex(i);
    rebuild();
}

void RopeView::setShownPosition(int pos) {
    m_posSlider->setValue(pos);  // replots through valueChanged
    m_shownPos = m_posSlider->value();
}

void RopeView::rebuild() {
    m_data = m_input.trace ? ropePlotData(*m_input.trace, m_sel, m_key) : RopePlotData{};
    if (!m_input.trace) m_data.message = tr("No trace yet: run the model on some text.");
    m_shownPos = std::max(m_data.position, 0);
    {
        const QSignalBlocker block(m_posSlider);
        m_posSlider->setRange(0, 4 * std::max(m_data.seqLen, 1));
        m_posSlider->setValue(m_shownPos);
    }
    plotPairs();
    plotWavelengths();
    plotScore();
}

// (a) One unit circle per pair: the query pair (blue) turned to the shown position, the key pair
// (orange) at its own position; dots mark where the query pair pointed at the last positions.
void RopeView::plotPairs() {
    QCustomPlot* p = m_pairs;
    clearPlot(p);
    m_posLabel->setText(tr("turn q to position %1").arg(m_shownPos));
    if (!m_data.valid) {
        p->plotLayout()->addElement(0, 0, lecture::fittedText(p, m_data.message, lecture::kTitlePt, true));
        p->replot();
        return;
    }
    const RopePlotData& d = m_data;
    const int n = int(d.shownPairs.size());
    const int cols = std::min(n, 8);
    p->plotLayout()->addElement(0, 0, lecture::fittedText(
        p, tr("q of layer %1, head %2 at position %3 (\u201C%4\u201D), pair by pair")
            .arg(d.layer).arg(d.head).arg(m_shownPos).arg(d.queryToken), lecture::kPaneTitlePt, true));
    auto* grid = new QCPLayoutGrid;
    p->plotLayout()->addElement(1, 0, grid);
    p->plotLayout()->setRowStretchFactor(0, 0.01);

    const std::vector<float> qTurned = rope::rotate(d.q, m_shownPos, d.base);
    const std::vector<float> kTurned = rope::rotate(d.k, d.keyPosition, d.base);
    const QFont note = pointFont(this, lecture::kNotePt);
    const QFont head = pointFont(this, lecture::kLabelPt, true);

    for (int j = 0; j < n; ++j) {
        const int pair = d.shownPairs[size_t(j)];
        auto* rect = new QCPAxisRect(p);
        grid->addElement(j / cols, j % cols, rect);
        rect->setupFullAxesBox();
        for (QCPAxis* a : rect->axes()) {
            a->setTicks(false);
            a->setTickLabels(false);
            a->setBasePen(QPen(QColor(215, 215, 215)));
            a->grid()->setVisible(false);
            a->setRange(-1.25, 1.25);
        }
        rect->setMinimumMargins(QMargins(2, 2, 2, 2));
        rect->setAutoMargins(QCP::msNone);
        rect->setMargins(QMargins(4, 4, 4, 4));
        QCPAxis* xa = rect->axis(QCPAxis::atBottom);
        QCPAxis* ya = rect->axis(QCPAxis::atLeft);

        auto* circle = new QCPCurve(xa, ya);
        circle->setPen(QPen(QColor(170, 170, 170), 1.5));
        for (int s = 0; s <= 120; ++s) {
            const double a = 2 * std::numbers::pi * s / 120;
            circle->addData(std::cos(a), std::sin(a));
        }

        const double q0 = d.q[size_t(2 * pair)], q1 = d.q[size_t(2 * pair + 1)];
        const double qr = 0.92;  // direction only: the lengths are written in the corner
        const double phase = std::atan2(q1, q0);
        // Where the pair pointed at the last few positions: the "clock hand" sweeping.
        auto* trail = new QCPCurve(xa, ya);
        trail->setLineStyle(QCPCurve::lsNone);
        trail->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, QColor(120, 160, 230), 6));
        for (int back = 1; back <= std::min(m_shownPos, 24); ++back) {
            const double a = phase + (m_shownPos - back) * d.theta[size_t(pair)];
            trail->addData(qr * std::cos(a), qr * std::sin(a));
        }

        auto arrow = [&](double x, double y, const QColor& color, double width) {
            auto* line = new QCPItemLine(p);
            line->setClipAxisRect(rect);
            line->start->setAxes(xa, ya);
            line->end->setAxes(xa, ya);
            line->start->setCoords(0, 0);
            line->end->setCoords(x, y);
            line->setPen(QPen(color, width));
            line->setHead(QCPLineEnding(QCPLineEnding::esSpikeArrow, 14, 18));
        };
        // Both arrows drawn as directions (k a bit shorter so the two never hide each other).
        const auto unit = [](double x, double y, double len) {
            const double r = std::max(std::hypot(x, y), 1e-12);
            return std::pair{len * x / r, len * y / r};
        };
        const auto [kx, ky] = unit(kTurned[size_t(2 * pair)], kTurned[size_t(2 * pair + 1)], 0.72);
        const auto [qx, qy] = unit(qTurned[size_t(2 * pair)], qTurned[size_t(2 * pair + 1)], qr);
        arrow(kx, ky, kK, 3);
        arrow(qx, qy, kQ, 4);

        auto text = [&](double x, double y, Qt::Alignment align, const QString& s, const QFont& f,
                        const QColor& color) {
            auto* t = new QCPItemText(p);
            t->setClipAxisRect(rect);
            t->position->setAxisRect(rect);
            t->position->setType(QCPItemPosition::ptAxisRectRatio);
            t->position->setCoords(x, y);
            t->setPositionAlignment(align);
            t->setFont(f);
            t->setColor(color);
            t->setText(s);
        };
        const bool beyond = d.wavelength[size_t(pair)] > d.seqLen;
        text(0.02, 0.01, Qt::AlignLeft | Qt::AlignTop, tr("pair %1").arg(pair), head, Qt::black);
        text(0.98, 0.01, Qt::AlignRight | Qt::AlignTop,
             tr("\u03BB = %1").arg(d.wavelength[size_t(pair)], 0, 'f', d.wavelength[size_t(pair)] < 100 ? 1 : 0),
             note, beyond ? kBeyond : QColor(60, 60, 60));
        const double turns = m_shownPos * d.theta[size_t(pair)] / (2 * std::numbers::pi);
        text(0.02, 0.99, Qt::AlignLeft | Qt::AlignBottom,
             tr("%1\u00B0").arg(rope::pairAngle(pair, m_shownPos, d.headSize, d.base) * 180 / std::numbers::pi, 0, 'f', 0),
             note, kQ);
        text(0.98, 0.99, Qt::AlignRight | Qt::AlignBottom,
             tr("%1 turns").arg(turns, 0, 'g', turns < 10 ? 2 : 3), note, QColor(60, 60, 60));
        text(0.02, 0.12, Qt::AlignLeft | Qt::AlignTop,
             tr("|q| %1\n|k| %2").arg(std::hypot(q0, q1), 0, 'f', 2)
                 .arg(std::hypot(double(d.k[size_t(2 * pair)]), double(d.k[size_t(2 * pair + 1)])), 0, 'f', 2),
             note, QColor(60, 60, 60));
    }
    // Legend as a line of text under the circles.
    p->plotLayout()->addElement(2, 0, lecture::fittedText(
        p, tr("pair i turns by \u03B8\u1D62 = %1^(\u22122i/%2) radians per token\n"
           "blue: q at position %3 \u00B7 orange: k of \u201C%4\u201D at position %5 \u00B7 "
           "arrows are directions, |q| and |k| the pair's lengths")
            .arg(d.base, 0, 'g', 6).arg(d.headSize)
            .arg(m_shownPos).arg(d.keyToken).arg(d.keyPosition),
        lecture::kNotePt, false));
    p->plotLayout()->setRowStretchFactor(2, 0.01);
    p->replot();
}

// Equal scales on both axes of each small circle plot, so a circle is drawn round.
void RopeView::keepCirclesRound() {
    for (QCPAxisRect* rect : m_pairs->axisRects()) {
        QCPAxis* xa = rect->axis(QCPAxis::atBottom);
        QCPAxis* ya = rect->axis(QCPAxis::atLeft);
        const double w = rect->width(), h = rect->height();
        if (w <= 0 || h <= 0) continue;
        if (w >= h) {
            ya->setRange(-1.25, 1.25);
            xa->setRange(-1.25 * w / h, 1.25 * w / h);
        } else {
            xa->setRange(-1.25, 1.25);
            ya->setRange(-1.25 * h / w, 1.25 * h / w);
        }
    }
}

// (b) Wavelength of each pair on a log scale against the trained context.
void RopeView::plotWavelengths() {
    QCustomPlot* p = m_waves;
    clearPlot(p);
    if (!m_data.valid) {
        p->replot();
        return;
    }
    const RopePlotData& d = m_data;
    auto* rect = new QCPAxisRect(p);
    p->plotLayout()->addElement(0, 0, lecture::fittedText(
        p, tr("Wavelength 2\u03C0/\u03B8\u1D62 per pair"), lecture::kPaneTitlePt, true));
    p->plotLayout()->addElement(1, 0, rect);
    lecture::styleAxisRect(rect);
    QCPAxis* xa = rect->axis(QCPAxis::atBottom);
    QCPAxis* ya = rect->axis(QCPAxis::atLeft);
    QCPAxis* ya2 = rect->axis(QCPAxis::atRight);

    const int nPairs = int(d.wavelength.size());
    auto* inside = new QCPBars(xa, ya);
    inside->setName(tr("turns within the context"));
    inside->setBrush(kQ);
    inside->setPen(Qt::NoPen);
    auto* outside = new QCPBars(xa, ya);
    outside->setName(tr("no full turn in training (%1 of %2)").arg(d.pairsBeyondContext).arg(nPairs));
    outside->setBrush(kBeyond);
    outside->setPen(Qt::NoPen);
    for (QCPBars* b : {inside, outside}) {
        b->setBaseValue(1.0);  // log axis: bars start at 1 token
        b->setWidth(0.8);
    }
    for (int i = 0; i < nPairs; ++i)
        (d.wavelength[size_t(i)] > d.seqLen ? outside : inside)->addData(i, d.wavelength[size_t(i)]);

    const double top = std::max(d.wavelength.back(), double(d.seqLen)) * 4;
    ya->setScaleType(QCPAxis::stLogarithmic);
    ya->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    ya->setNumberFormat(QStringLiteral("eb"));
    ya->setNumberPrecision(0);
    ya->setRange(1, top);
    ya->setLabel(tr("tokens per turn"));
    // Frequency on the right: theta = 2 pi / wavelength, so the same heights read reversed.
    ya2->setVisible(true);
    ya2->setTickLabels(true);
    ya2->setScaleType(QCPAxis::stLogarithmic);
    ya2->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    ya2->setNumberFormat(QStringLiteral("eb"));
    ya2->setNumberPrecision(0);
    ya2->setRangeReversed(true);
    ya2->setRange(2 * std::numbers::pi / top, 2 * std::numbers::pi);
    ya2->setLabel(tr("\u03B8\u1D62 (radians per token)"));
    lecture::styleAxisRect(rect);

    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(nPairs <= 16 ? 1 : std::ceil(nPairs / 16.0));
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssNone);
    xa->setTicker(ticker);
    xa->setSubTicks(false);
    xa->setRange(-0.7, nPairs - 0.3);
    xa->setLabel(tr("pair i"));
    xa->grid()->setVisible(false);

    auto* line = new QCPItemStraightLine(p);
    line->setClipAxisRect(rect);
    line->point1->setAxes(xa, ya);
    line->point2->setAxes(xa, ya);
    line->point1->setCoords(0, d.seqLen);
    line->point2->setCoords(1, d.seqLen);
    line->setPen(QPen(Qt::black, 2.5, Qt::DashLine));
    auto* t = new QCPItemText(p);
    t->setClipAxisRect(rect);
    t->position->setAxes(xa, ya);
    t->position->setCoords(-0.5, d.seqLen);
    t->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    t->setFont(pointFont(this, lecture::kLabelPt));
    t->setBrush(QColor(255, 255, 255, 210));
    t->setText(tr("trained context: %1").arg(d.seqLen));

    auto* legend = new QCPLegend;
    rect->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignLeft);
    legend->setLayer(QStringLiteral("legend"));
    legend->setFont(pointFont(this, lecture::kNotePt));
    legend->addItem(new QCPPlottableLegendItem(legend, inside));
    legend->addItem(new QCPPlottableLegendItem(legend, outside));
    p->replot();
}

// (c) The score of this query and key if they stood d tokens apart, beyond training too.
void RopeView::plotScore() {
    QCustomPlot* p = m_score;
    clearPlot(p);
    if (!m_data.valid) {
        p->replot();
        return;
    }
    const RopePlotData& d = m_data;
    auto* rect = new QCPAxisRect(p);
    p->plotLayout()->addElement(0, 0, lecture::fittedText(
        p, tr("Score q\u00B7k/\u221A%1 at distance d").arg(d.headSize), lecture::kPaneTitlePt, true));
    p->plotLayout()->addElement(1, 0, lecture::fittedText(
        p, tr("this q (\u201C%1\u201D) and k (\u201C%2\u201D) moved d tokens apart").arg(d.queryToken, d.keyToken), lecture::kNotePt + 1, false));
    p->plotLayout()->addElement(2, 0, rect);
    lecture::styleAxisRect(rect);
    QCPAxis* xa = rect->axis(QCPAxis::atBottom);
    QCPAxis* ya = rect->axis(QCPAxis::atLeft);

    const int n = int(d.score.size());
    double lo = 0, hi = 0;
    for (double s : d.score) {
        lo = std::min(lo, s);
        hi = std::max(hi, s);
    }
    const double pad = 0.12 * std::max(hi - lo, 1e-6);

    // Beyond the trained context: distances the model never saw.
    auto* shade = new QCPItemRect(p);
    shade->setClipAxisRect(rect);
    shade->setLayer(QStringLiteral("grid"));
    shade->topLeft->setAxes(xa, ya);
    shade->bottomRight->setAxes(xa, ya);
    shade->topLeft->setCoords(d.seqLen, hi + 10 * pad);
    shade->bottomRight->setCoords(n + 10, lo - 10 * pad);
    shade->setPen(Qt::NoPen);
    shade->setBrush(QColor(255, 225, 225));

    auto* curve = new QCPGraph(xa, ya);
    curve->setPen(QPen(kQ, 2.5));
    QVector<double> keys(n), values(n);
    for (int i = 0; i < n; ++i) {
        keys[i] = i;
        values[i] = d.score[size_t(i)];
    }
    curve->setData(keys, values, true);

    auto* ctx = new QCPItemStraightLine(p);
    ctx->setClipAxisRect(rect);
    ctx->point1->setAxes(xa, ya);
    ctx->point2->setAxes(xa, ya);
    ctx->point1->setCoords(d.seqLen, 0);
    ctx->point2->setCoords(d.seqLen, 1);
    ctx->setPen(QPen(Qt::black, 2.5, Qt::DashLine));
    auto addText = [&](double x, double y, Qt::Alignment align, const QString& s, const QColor& c) {
        auto* t = new QCPItemText(p);
        t->setClipAxisRect(rect);
        t->position->setAxes(xa, ya);
        t->position->setCoords(x, y);
        t->setPositionAlignment(align);
        t->setFont(pointFont(this, lecture::kLabelPt));
        t->setColor(c);
        t->setText(s);
        return t;
    };
    addText(d.seqLen, lo - pad * 0.9, Qt::AlignLeft | Qt::AlignBottom,
            tr(" trained context (%1) \u2192 never seen in training").arg(d.seqLen), kBeyond);

    // The real pair: the trace's score at the real distance.
    const int dist = d.distance();
    auto* real = new QCPGraph(xa, ya);
    real->setLineStyle(QCPGraph::lsNone);
    real->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, QPen(Qt::black, 2), QBrush(kK), 15));
    if (dist >= 0 && dist < n) {
        const double y = std::isfinite(d.traceScore) ? d.traceScore : d.score[size_t(dist)];
        real->addData(dist, y);
        addText(dist, y, Qt::AlignLeft | Qt::AlignBottom,
                tr("  in the trace: d = %1, score %2").arg(dist).arg(y, 0, 'f', 2), Qt::black)
            ->setBrush(QColor(255, 255, 255, 210));
    }
    // Where the slider has turned q to (distance to this key).
    const int shownDist = m_shownPos - d.keyPosition;
    if (shownDist >= 0 && shownDist < n && shownDist != dist) {
        auto* marker = new QCPItemStraightLine(p);
        marker->setClipAxisRect(rect);
        marker->point1->setAxes(xa, ya);
        marker->point2->setAxes(xa, ya);
        marker->point1->setCoords(shownDist, 0);
        marker->point2->setCoords(shownDist, 1);
        marker->setPen(QPen(kQ, 1.5, Qt::DotLine));
    }

    xa->setRange(-0.015 * n, n - 1);  // a little room so a dot at d = 0 stays visible
    xa->setLabel(tr("distance d = query position \u2212 key position"));
    ya->setRange(lo - pad, hi + pad);
    ya->setLabel(tr("score"));
    p->replot();
}

QString RopeView::toCsv() const {
    QString csv = QStringLiteral("kind,index,theta,wavelength,q_x,q_y,k_x,k_y,score\n");
    if (!m_data.valid) return csv;
    const RopePlotData& d = m_data;
    for (size_t i = 0; i < d.theta.size(); ++i) {
        csv += QStringLiteral("pair,%1,%2,%3,%4,%5,%6,%7,\n")
                   .arg(i)
                   .arg(d.theta[i], 0, 'g', 9)
                   .arg(d.wavelength[i], 0, 'g', 9)
                   .arg(double(d.q[2 * i]), 0, 'g', 7)
                   .arg(double(d.q[2 * i + 1]), 0, 'g', 7)
                   .arg(double(d.k[2 * i]), 0, 'g', 7)
                   .arg(double(d.k[2 * i + 1]), 0, 'g', 7);
    }
    for (size_t dist = 0; dist < d.score.size(); ++dist)
        csv += QStringLiteral("distance,%1,,,,,,,%2\n").arg(dist).arg(d.score[dist], 0, 'g', 7);
    return csv;
}

}  // namespace anatomy::widgets
