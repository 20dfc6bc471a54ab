#include "views/rope_view.h"

#include <QEvent>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QVBoxLayout>
#include "plot/qcustomplot_include.h"
#include "plot/replot_once.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "anatomy/alibi.h"
#include "anatomy/knob_table.h"
#include "anatomy/rope_scaling.h"
#include "panels/knob_text.h"
#include "plot/positions_math.h"
#include "plot/rope_math.h"
#include "views/sampling_view.h"  // visibleToken, csvField, lecture styling

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

// An angle wrapped to [0, 2 pi).
double wrappedAngle(double a) {
    a = std::fmod(a, 2.0 * std::numbers::pi);
    return a < 0 ? a + 2.0 * std::numbers::pi : a;
}

// One colour and marker per scaling method, the same in both panels.
QColor methodColor(anatomy::RopeScaling m) {
    using anatomy::RopeScaling;
    switch (m) {
        case RopeScaling::None: return QColor(70, 70, 70);
        case RopeScaling::Linear: return QColor(40, 90, 190);
        case RopeScaling::Ntk: return QColor(30, 150, 60);
        case RopeScaling::DynamicNtk: return QColor(20, 160, 170);
        case RopeScaling::NtkByParts: return QColor(140, 60, 180);
        case RopeScaling::Yarn: return QColor(225, 90, 20);
        case RopeScaling::Llama3: return QColor(200, 40, 120);
    }
    return Qt::black;
}

QCPScatterStyle::ScatterShape methodShape(anatomy::RopeScaling m) {
    using anatomy::RopeScaling;
    switch (m) {
        case RopeScaling::None: return QCPScatterStyle::ssCircle;
        case RopeScaling::Linear: return QCPScatterStyle::ssSquare;
        case RopeScaling::Ntk: return QCPScatterStyle::ssTriangle;
        case RopeScaling::DynamicNtk: return QCPScatterStyle::ssTriangleInverted;
        case RopeScaling::NtkByParts: return QCPScatterStyle::ssDiamond;
        case RopeScaling::Yarn: return QCPScatterStyle::ssStar;
        case RopeScaling::Llama3: return QCPScatterStyle::ssCross;
    }
    return QCPScatterStyle::ssDisc;
}

void clearPlot(QCustomPlot* p) {
    p->clearPlottables();
    p->clearItems();
    p->plotLayout()->clear();
}

// The method's label in the interface language (the CSV keeps ropeScalingName's English).
QString shownScalingName(anatomy::RopeScaling m) {
    const anatomy::Knob* k = anatomy::findKnob("rope.scaling");
    const size_t i = static_cast<size_t>(m);
    return k && i < k->choices.size() ? knobChoiceLabel(*k, k->choices[i]) : QString();
}

}  // namespace

QString ropeScalingName(anatomy::RopeScaling m) {
    // The knob table's label of the method (rope.scaling's choices are in enum order).
    const anatomy::Knob* k = anatomy::findKnob("rope.scaling");
    const size_t i = static_cast<size_t>(m);
    return k && i < k->choices.size() ? QString::fromStdString(k->choices[i].label) : QString();
}

std::vector<int> spreadPairs(int nPairs, int maxShown) {
    std::vector<int> out;
    const int shown = std::min(nPairs, std::max(maxShown, 1));
    for (int j = 0; j < shown; ++j)  // evenly spread, first and last pair always included
        out.push_back(shown == 1 ? 0 : int(std::lround(double(j) * (nPairs - 1) / (shown - 1))));
    return out;
}

RopePlotData ropePlotData(const anatomy::Trace& t, const Selection& sel, RopeKey key,
                          int maxShownPairs, const anatomy::SimSettings& sim) {
    RopePlotData d;
    const anatomy::ModelConfig& c = t.config;
    if (t.nQ <= 0 || t.layers.empty()) {
        d.message = QObject::tr("No trace yet: run the model on some text.");
        return d;
    }
    if (c.nHeads <= 0 || c.nKvHeads <= 0 || c.headSize() < 2 || c.headSize() % 2 != 0) {
        d.message = QObject::tr("RoPE needs an even head size (got %1).").arg(c.headSize());
        return d;
    }
    d.layer = std::clamp(sel.layer, 0, int(t.layers.size()) - 1);
    d.head = std::clamp(sel.head, 0, c.nHeads - 1);
    d.kvHead = d.head / c.kvGroup();  // GQA: query heads share key heads in groups
    d.row = sel.position < 0 ? t.nQ - 1 : std::min(sel.position, t.nQ - 1);
    d.position = t.firstQueryPos + d.row;
    d.headSize = c.headSize();
    d.seqLen = std::max(c.seqLen, 1);
    d.positions = sim.positions;
    d.scaling = sim.ropeScaling;
    d.trainedBase = c.ropeTheta;
    d.base = sim.ropeBase.value_or(c.ropeTheta);
    d.originalContext = d.scaling.originalContext > 0 ? d.scaling.originalContext : d.seqLen;
    d.logitScale = anatomy::ropeLogitScale(d.scaling);
    d.attnScale = sim.attnScale;
    const int nKv = int(t.tokens.size());
    // Llama 3's frequency factors from the file (rope_freqs.weight): the forward pass divides
    // every method's theta_i by c_i (session.cpp), and the model was trained with them.
    d.freqFactors.assign(t.architecture.positions.freqFactors.begin(), t.architecture.positions.freqFactors.end());
    const auto withFactors = [&](std::vector<double> th) {
        for (size_t i = 0; i < th.size() && i < d.freqFactors.size(); ++i) th[i] /= d.freqFactors[i];
        return th;
    };
    // The frequencies the forward pass rotated this trace's q and k with.
    d.theta = withFactors(rope::scaledFrequencies(d.scaling, d.headSize, d.base, c.seqLen, nKv));
    for (double th : d.theta) d.wavelength.push_back(2.0 * std::numbers::pi / th);
    d.pairsBeyondContext = rope::pairsLongerThan(d.wavelength, d.seqLen);
    // Every method at the same s and L0; dynamic NTK drawn where it matters, at s x L0.
    d.dynamicLength = int(std::min(std::lround(double(d.scaling.factor) * d.originalContext), long(1) << 30));
    d.overlay = rope::scalingOverlay(d.scaling, d.headSize, d.base, c.seqLen, d.dynamicLength);
    for (rope::ScalingCurve& curve : d.overlay) {
        curve.theta = withFactors(std::move(curve.theta));
        for (size_t i = 0; i < curve.theta.size() && i < curve.wavelength.size(); ++i)
            curve.wavelength[i] = 2.0 * std::numbers::pi / curve.theta[i];
    }
    d.trainedTheta = withFactors(rope::pairFrequencies(d.headSize, d.trainedBase));
    const std::vector<double>& trainedTheta = d.trainedTheta;
    bool sameTheta = true;
    for (size_t i = 0; i < trainedTheta.size(); ++i)
        sameTheta = sameTheta && std::abs(d.theta[i] / trainedTheta[i] - 1.0) < 1e-6;
    d.scaled = !sameTheta || d.logitScale != 1.0 || d.attnScale != 1.0 ||
               d.scaling.method == anatomy::RopeScaling::DynamicNtk;
    if (d.positions == anatomy::PositionEncoding::Alibi) {
        const std::vector<float> slopes = anatomy::alibiSlopes(c.nHeads);
        d.alibiSlope = d.head < int(slopes.size()) ? slopes[size_t(d.head)] : 0.0;
    }

    const anatomy::LayerTrace& lt = t.layers[size_t(d.layer)];
    if (lt.q.empty() || lt.k.empty()) {
        d.message = t.config.mlaRank > 0
                        ? QObject::tr("This model uses MLA: only its decoupled RoPE key rotates, inside attention; "
                                      "no q and k vectors are stored to show.")
                        : t.spec.qk && !t.spec.keepsWhole(d.layer)
                            // A large model's trace keeps the selected layer's; this one's is on its way.
                            ? QObject::tr("Tracing this layer's q and k… (this model's trace keeps them for the selected layer only)")
                            : QObject::tr("This trace kept no q and k vectors (capture: q/k).");
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
        d.message = QObject::tr("q or k of layer %1 has an unexpected shape.").arg(d.layer);
        return d;
    }
    // The trace holds q and k after RoPE; turning them back gives the vectors RoPE received.
    // Without RoPE (none, ALiBi) they were never turned.
    const bool useRope = d.positions == anatomy::PositionEncoding::Rope;
    d.q = useRope ? rope::rotateWith(qRot, -double(d.position), d.theta) : qRot;
    d.k = useRope ? rope::rotateWith(kRot, -double(d.keyPosition), d.theta) : kRot;
    d.queryToken = label(t, d.position);
    d.keyToken = label(t, d.keyPosition);

    // The score as attention computes it: q.k / sqrt(d_k) · attnScale · YaRN's logit scale.
    const double scale = 1.0 / std::sqrt(double(d.headSize));
    // Four trained contexts, but never more than kMaxScoreDistance points: a file claiming a
    // 4,194,304-token context must not make the GUI thread compute 16 M scores.
    const int maxDist = int(std::min<int64_t>(4 * int64_t(d.seqLen), kMaxScoreDistance));
    d.trainedScore.resize(size_t(maxDist + 1));
    for (int dist = 0; dist <= maxDist; ++dist)
        d.trainedScore[size_t(dist)] = rope::relativeScoreWith(d.q, d.k, dist, trainedTheta) * scale;
    d.score.resize(size_t(maxDist + 1));
    const double mul = scale * d.attnScale * d.logitScale;
    for (int dist = 0; dist <= maxDist; ++dist) {
        double s = 0;
        if (!useRope) {
            s = rope::dot(d.q, d.k) * mul;  // no position signal in q.k
            if (d.positions == anatomy::PositionEncoding::Alibi) s -= d.alibiSlope * dist;
        } else if (d.scaling.method == anatomy::RopeScaling::DynamicNtk) {
            // Dynamic NTK re-derives its frequencies from the length: a key d tokens back lives in a
            // sequence of at least d + 1 tokens (and of this trace's nKv within it).
            const auto th = withFactors(rope::scaledFrequencies(d.scaling, d.headSize, d.base, c.seqLen,
                                                                std::max(nKv, dist + 1)));
            s = rope::relativeScoreWith(d.q, d.k, dist, th) * mul;
        } else {
            s = rope::relativeScoreWith(d.q, d.k, dist, d.theta) * mul;
        }
        d.score[size_t(dist)] = s;
    }
    if (d.positions == anatomy::PositionEncoding::Alibi) d.alibiBias = positions::alibiBias(d.alibiSlope, maxDist);
    d.traceScore = lt.attnScores.shape.size() == 3 && d.keyPosition < lt.attnScores.dim(2)
                       ? double(lt.attnScores.at({d.head, d.row, d.keyPosition}))
                       : std::numeric_limits<double>::quiet_NaN();

    d.shownPairs = spreadPairs(d.headSize / 2, maxShownPairs);
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
    m_posLabel->setMinimumWidth(100);  // its text changes with the position: it never widens the view
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
    for (QCustomPlot* p : {m_pairs, m_waves, m_score}) {
        p->setMinimumSize(150, 130);  // three of them fit a 1024x640 window
        p->setAutoAddPlottableToLegend(false);  // legends list what they are given
    }
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
    if (input.trace == m_input.trace && input.sim == m_input.sim && m_data.valid) {
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
    refitLater();
}

void RopeView::refit() {
    // Titles are fitted to the width and sized by the font; the data and the slider's position
    // stay.
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
    m_data = m_input.trace ? ropePlotData(*m_input.trace, m_sel, m_key, 16, m_input.sim) : RopePlotData{};
    if (!m_input.trace) m_data.message = tr("No trace yet: run the model on some text.");
    m_shownPos = std::max(m_data.position, 0);
    {
        const QSignalBlocker block(m_posSlider);
        m_posSlider->setRange(0, int(std::min<int64_t>(4 * int64_t(std::max(m_data.seqLen, 1)), kMaxScoreDistance)));
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
        replotOncePerTurn(p);
        return;
    }
    const RopePlotData& d = m_data;
    const QFont note = pointFont(this, lecture::kNotePt);
    const QFont head = pointFont(this, lecture::kLabelPt, true);
    // As many dials as their corner texts fit side by side ("pair 31   λ = 50265" over
    // "0°   0.00052 turns"), in one row, or two where the plot is tall enough; evenly spread.
    const QFontMetrics nm(note), hm(head);
    const int dialWidth = std::max(hm.horizontalAdvance(QStringLiteral("pair 00")) + nm.horizontalAdvance(QStringLiteral("  λ = 00000")),
                                   nm.horizontalAdvance(QStringLiteral("000°  0.00000 turns"))) + 12;
    const int perRow = std::clamp(p->width() / std::max(dialWidth, 1), 1, 8);
    const int rows = p->height() >= 2 * dialWidth + 3 * hm.height() ? 2 : 1;
    const std::vector<int> pairs =
        int(d.shownPairs.size()) <= perRow * rows ? d.shownPairs : spreadPairs(d.headSize / 2, perRow * rows);
    const int n = int(pairs.size());
    const int cols = std::min(n, perRow);
    // Each dial's height: the plot's less its title and the two legend lines under it, with
    // their margins (measured: a 184 px plot on a 720-line slide leaves 65 px dials).
    const int titleH = QFontMetrics(pointFont(this, lecture::kPaneTitlePt, true)).height();
    const int dialH = (p->height() - titleH * 3 / 2 - 3 * nm.height() - 16) / rows;
    const int lengthLines = dialH >= hm.height() + 3 * nm.height() ? 2 : 1;
    p->plotLayout()->addElement(0, 0, lecture::fittedText(
        p, tr("q of layer %1, head %2 at position %3 (“%4”), pair by pair")
            .arg(d.layer).arg(d.head).arg(m_shownPos).arg(d.queryToken), lecture::kPaneTitlePt, true));
    auto* grid = new QCPLayoutGrid;
    p->plotLayout()->addElement(1, 0, grid);
    p->plotLayout()->setRowStretchFactor(0, 0.01);

    // Without RoPE nothing turns: the arrows stay where the projections put them.
    const bool useRope = d.positions == anatomy::PositionEncoding::Rope;
    const std::vector<float> qTurned = useRope ? rope::rotateWith(d.q, m_shownPos, d.theta) : d.q;
    const std::vector<float> kTurned = useRope ? rope::rotateWith(d.k, d.keyPosition, d.theta) : d.k;

    for (int j = 0; j < n; ++j) {
        const int pair = pairs[size_t(j)];
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
        for (int back = 1; useRope && back <= std::min(m_shownPos, 24); ++back) {
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
            return t;
        };
        const bool beyond = d.wavelength[size_t(pair)] > d.seqLen;
        QCPItemText* title = text(0.02, 0.01, Qt::AlignLeft | Qt::AlignTop, tr("pair %1").arg(pair), head, Qt::black);
        QCPItemText* lambda = nullptr;
        if (useRope)
            lambda = text(0.98, 0.01, Qt::AlignRight | Qt::AlignTop,
                          tr("λ = %1").arg(d.wavelength[size_t(pair)], 0, 'f', d.wavelength[size_t(pair)] < 100 ? 1 : 0),
                          note, beyond ? kBeyond : QColor(60, 60, 60));
        const double turns = useRope ? m_shownPos * d.theta[size_t(pair)] / (2 * std::numbers::pi) : 0.0;
        text(0.02, 0.99, Qt::AlignLeft | Qt::AlignBottom,
             tr("%1°").arg(wrappedAngle(useRope ? m_shownPos * d.theta[size_t(pair)] : 0.0) * 180 / std::numbers::pi, 0, 'f', 0),
             note, kQ);
        text(0.98, 0.99, Qt::AlignRight | Qt::AlignBottom,
             tr("%1 turns").arg(turns, 0, 'g', turns < 10 ? 2 : 3), note, QColor(60, 60, 60));
        // The lengths just under the pair's name, whatever the font: at a fixed fraction of the
        // dial they ran into "pair i" on a 720-line slide, where the dials are short.
        // A dial too short for the name, two lines and the angle (a taller CJK font on a 720-line
        // slide) puts |q| under the name and |k| under λ, in the corners the circle leaves free.
        const double qLen = std::hypot(q0, q1);
        const double kLen = std::hypot(double(d.k[size_t(2 * pair)]), double(d.k[size_t(2 * pair + 1)]));
        const auto under = [](QCPItemText* item, QCPItemAnchor* anchor) {
            item->position->setType(QCPItemPosition::ptAbsolute);
            item->position->setParentAnchor(anchor);
            item->position->setCoords(0, 1);
        };
        if (lengthLines == 2) {
            under(text(0.02, 0.12, Qt::AlignLeft | Qt::AlignTop,
                       tr("|q| %1\n|k| %2").arg(qLen, 0, 'f', 2).arg(kLen, 0, 'f', 2), note, QColor(60, 60, 60)),
                  title->bottomLeft);
        } else {
            under(text(0.02, 0.12, Qt::AlignLeft | Qt::AlignTop, tr("|q| %1").arg(qLen, 0, 'f', 2), note,
                       QColor(60, 60, 60)),
                  title->bottomLeft);
            QCPItemText* k = text(0.98, 0.12, Qt::AlignRight | Qt::AlignTop, tr("|k| %1").arg(kLen, 0, 'f', 2), note,
                                  QColor(60, 60, 60));
            if (lambda) under(k, lambda->bottomRight);
        }
    }
    // Legend as a line of text under the circles.
    QString how;
    if (!useRope)
        how = tr("positions = %1: q and k are not rotated, the arrows are the same at every position")
                  .arg(d.positions == anatomy::PositionEncoding::Alibi ? tr("ALiBi") : tr("none"));
    else if (d.scaled)
        how = tr("pair i turns by θ′ᵢ radians per token: %1 with s = %2 (base %3)")
                  .arg(shownScalingName(d.scaling.method)).arg(d.scaling.factor, 0, 'g', 4).arg(d.base, 0, 'g', 6);
    else
        how = tr("pair i turns by θᵢ = %1^(−2i/%2) radians per token").arg(d.base, 0, 'g', 6).arg(d.headSize);
    if (useRope && !d.freqFactors.empty())
        how += tr(" ÷ cᵢ (the file's rope_freqs)");
    p->plotLayout()->addElement(2, 0, lecture::fittedText(
        p, how + tr("\nblue: q at position %1 · orange: k of “%2” at position %3 · "
                    "arrows are directions, |q| and |k| the pair's lengths")
                     .arg(m_shownPos).arg(d.keyToken).arg(d.keyPosition),
        lecture::kNotePt, false));
    p->plotLayout()->setRowStretchFactor(2, 0.01);
    replotOncePerTurn(p);
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

// (b) Each pair's wavelength on a log scale under every scaling method, the chosen one bold,
// against the original context L0 and the extended one s x L0.
void RopeView::plotWavelengths() {
    QCustomPlot* p = m_waves;
    clearPlot(p);
    if (!m_data.valid) {
        replotOncePerTurn(p);
        return;
    }
    const RopePlotData& d = m_data;
    if (d.positions != anatomy::PositionEncoding::Rope) {
        const bool alibi = d.positions == anatomy::PositionEncoding::Alibi;
        p->plotLayout()->addElement(0, 0, lecture::fittedText(
            p, alibi ? tr("positions = ALiBi: no rotary frequencies") : tr("positions = none: no rotary frequencies"),
            lecture::kPaneTitlePt, true));
        p->plotLayout()->addElement(1, 0, lecture::fittedText(
            p, alibi ? tr("q and k are not rotated.\nInstead each head subtracts mₕ·d\n"
                          "from the score, d tokens back:\nsee the bias line on the right.")
                     : tr("q and k are not rotated and no bias\nis added: attention cannot tell\n"
                          "near from far. Only the causal mask\nsays which tokens came before."),
            lecture::kLabelPt, false));
        replotOncePerTurn(p);
        return;
    }
    const double s = d.scaling.factor;
    const int L0 = d.originalContext;
    auto* rect = new QCPAxisRect(p);
    p->plotLayout()->addElement(0, 0, lecture::fittedText(
        p, tr("Wavelength 2π/θᵢ per pair, each scaling at s = %1").arg(s, 0, 'g', 4),
        lecture::kPaneTitlePt, true));
    p->plotLayout()->addElement(1, 0, rect);
    lecture::styleAxisRect(rect);
    QCPAxis* xa = rect->axis(QCPAxis::atBottom);
    QCPAxis* ya = rect->axis(QCPAxis::atLeft);
    QCPAxis* ya2 = rect->axis(QCPAxis::atRight);

    const int nPairs = int(d.wavelength.size());
    const int nMethods = int(d.overlay.size());
    double top = std::max(double(d.seqLen), s * L0);
    for (const rope::ScalingCurve& c : d.overlay)
        for (double w : c.wavelength) top = std::max(top, w);
    top *= 4;

    // The legend under the plot, so it never covers a line.
    auto* legend = new QCPLegend;
    p->plotLayout()->addElement(2, 0, legend);
    p->plotLayout()->setRowStretchFactor(2, 0.001);
    legend->setLayer(QStringLiteral("legend"));
    legend->setFont(pointFont(this, lecture::kNotePt));
    legend->setBorderPen(Qt::NoPen);
    legend->setRowSpacing(0);
    legend->setColumnSpacing(10);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(3);
    QCPGraph* chosen = nullptr;
    for (int m = 0; m < nMethods; ++m) {
        const rope::ScalingCurve& c = d.overlay[size_t(m)];
        const bool selected = c.method == d.scaling.method;
        auto* g = new QCPGraph(xa, ya);
        QString name = shownScalingName(c.method);
        // A Llama 3 file's own factors are its "none": what it was trained with.
        if (c.method == anatomy::RopeScaling::None && !d.freqFactors.empty()) name = tr("rope_freqs (as trained)");
        if (c.method == anatomy::RopeScaling::DynamicNtk) name += tr(" @ L=%1").arg(d.dynamicLength);
        g->setName(selected ? name + tr(" ◀") : name);
        QColor col = methodColor(c.method);
        g->setPen(QPen(col, selected ? 4.5 : 2.0));
        g->setScatterStyle(QCPScatterStyle(methodShape(c.method), QPen(col, selected ? 2.5 : 1.5),
                                           selected ? QBrush(col) : QBrush(Qt::white), selected ? 15 : 10));
        // Side by side within a pair, so methods that agree do not hide each other.
        const double offset = (m - (nMethods - 1) / 2.0) * 0.07;
        for (int i = 0; i < nPairs; ++i) g->addData(i + offset, c.wavelength[size_t(i)]);
        // A short pane (a 720-line slide) lists the chosen method and the model as trained only:
        // seven entries took more of it than the lines did. The others are still drawn.
        const double legendRows = std::ceil(nMethods / 2.0) * QFontMetricsF(legend->font()).height();
        const bool shortPane = p->height() > 0 && legendRows > 0.25 * p->height();
        if (!shortPane || selected || c.method == anatomy::RopeScaling::None)
            legend->addItem(new QCPPlottableLegendItem(legend, g));
        if (selected) chosen = g;
    }
    if (chosen) chosen->setLayer(QStringLiteral("overlay"));  // the chosen method on top

    ya->setScaleType(QCPAxis::stLogarithmic);
    ya->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    ya->setNumberFormat(QStringLiteral("eb"));
    ya->setNumberPrecision(0);
    ya->setRange(1, top);
    ya->setLabel(tr("tokens per turn"));
    // Frequency on the right: theta = 2 pi / wavelength, so the same heights read reversed. A
    // narrow pane (a 720-line slide beside the dials) leaves it out: its labels crowded the
    // slowest pair's markers, and the wavelength axis says the same.
    const bool narrow = p->width() > 0 && p->width() < 480;
    ya2->setVisible(!narrow);
    ya2->setTickLabels(true);
    ya2->setScaleType(QCPAxis::stLogarithmic);
    ya2->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    ya2->setNumberFormat(QStringLiteral("eb"));
    ya2->setNumberPrecision(0);
    ya2->setRangeReversed(true);
    ya2->setRange(2 * std::numbers::pi / top, 2 * std::numbers::pi);
    ya2->setLabel(tr("θᵢ (radians per token)"));
    lecture::styleAxisRect(rect);

    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(nPairs <= 16 ? 1 : std::ceil(nPairs / 16.0));
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssNone);
    xa->setTicker(ticker);
    xa->setSubTicks(false);
    xa->setRange(-0.5, nPairs - 0.5);
    xa->setLabel(tr("pair i (fast → slow)"));
    xa->grid()->setVisible(false);

    auto hline = [&](double y, const QPen& pen, const QString& text) {
        auto* line = new QCPItemStraightLine(p);
        line->setClipAxisRect(rect);
        line->point1->setAxes(xa, ya);
        line->point2->setAxes(xa, ya);
        line->point1->setCoords(0, y);
        line->point2->setCoords(1, y);
        line->setPen(pen);
        auto* t = new QCPItemText(p);
        t->setClipAxisRect(rect);
        t->position->setAxes(xa, ya);
        t->position->setCoords(-0.45, y);  // left: the fast pairs' wavelengths lie far below
        t->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
        t->setFont(pointFont(this, lecture::kLabelPt));
        t->setColor(pen.color());
        t->setBrush(QColor(255, 255, 255, 210));
        t->setText(text);
    };
    hline(L0, QPen(Qt::black, 2.5, Qt::DashLine), narrow ? tr("L0 = %1").arg(L0) : tr("original context L0 = %1").arg(L0));
    if (s > 1) hline(s * L0, QPen(kBeyond, 2.5, Qt::DashDotLine), tr("s × L0 = %1").arg(s * L0, 0, 'f', 0));
    replotOncePerTurn(p);
}

// (c) The score of this query and key if they stood d tokens apart, beyond training too: as
// trained, and with the simulator's position settings (scaled RoPE, no positions, ALiBi).
void RopeView::plotScore() {
    QCustomPlot* p = m_score;
    clearPlot(p);
    if (!m_data.valid) {
        replotOncePerTurn(p);
        return;
    }
    const RopePlotData& d = m_data;
    const bool useRope = d.positions == anatomy::PositionEncoding::Rope;
    const bool alibi = d.positions == anatomy::PositionEncoding::Alibi;
    auto* rect = new QCPAxisRect(p);
    QString sub = tr("this q (“%1”) and k (“%2”) moved d tokens apart").arg(d.queryToken, d.keyToken);
    if (!useRope && !alibi) sub += tr("; positions = none: the score is the same at every distance");
    if (alibi) sub += tr("; ALiBi head %1: m = %2").arg(d.head).arg(d.alibiSlope, 0, 'g', 4);
    p->plotLayout()->addElement(0, 0, lecture::fittedText(
        p, tr("Score q·k/√%1 at distance d").arg(d.headSize), lecture::kPaneTitlePt, true));
    p->plotLayout()->addElement(1, 0, lecture::fittedText(p, sub, lecture::kNotePt + 1, false));
    p->plotLayout()->addElement(2, 0, rect);
    lecture::styleAxisRect(rect);
    QCPAxis* xa = rect->axis(QCPAxis::atBottom);
    QCPAxis* ya = rect->axis(QCPAxis::atLeft);

    const int n = int(d.score.size());
    // The curves: as trained (when the settings change it), the bias alone (ALiBi), and the score
    // the forward pass computes now.
    struct Curve {
        const std::vector<double>* y;
        QString name;
        QPen pen;
    };
    std::vector<Curve> curves;
    const QColor now = useRope && d.scaled ? methodColor(d.scaling.method) : kQ;
    if (d.scaled || !useRope)
        curves.push_back({&d.trainedScore, tr("as trained (RoPE, base %1)").arg(d.trainedBase, 0, 'g', 6),
                          QPen(QColor(150, 150, 150), 2.0)});
    QString nowName = tr("RoPE as trained");
    if (alibi) nowName = tr("ALiBi: q·k/√d − m·d");
    else if (!useRope) nowName = tr("no positions");
    else if (d.scaled) {
        nowName = tr("%1, s = %2").arg(shownScalingName(d.scaling.method)).arg(d.scaling.factor, 0, 'g', 4);
        if (d.logitScale != 1.0) nowName += tr(" (logits × %1)").arg(d.logitScale, 0, 'f', 2);
    }
    curves.push_back({&d.score, nowName, QPen(now, 3.0)});
    if (alibi)  // on top: it runs parallel to the score, q.k/sqrt(d) above it
        curves.push_back({&d.alibiBias, tr("ALiBi bias −m·d"), QPen(kK, 2.5, Qt::DashLine)});

    double lo = 0, hi = 0;
    for (const Curve& c : curves)
        for (double v : *c.y) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
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

    auto* legend = new QCPLegend;
    p->plotLayout()->addElement(3, 0, legend);
    p->plotLayout()->setRowStretchFactor(3, 0.001);
    legend->setLayer(QStringLiteral("legend"));
    legend->setFont(pointFont(this, lecture::kNotePt + 1));
    legend->setBorderPen(Qt::NoPen);
    legend->setColumnSpacing(16);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(3);
    QVector<double> keys(n);
    for (int i = 0; i < n; ++i) keys[i] = i;
    for (const Curve& c : curves) {
        auto* g = new QCPGraph(xa, ya);
        g->setPen(c.pen);
        g->setName(c.name);
        g->setData(keys, QVector<double>(c.y->begin(), c.y->end()), true);
        if (curves.size() > 1) legend->addItem(new QCPPlottableLegendItem(legend, g));
    }
    if (curves.size() == 1) p->plotLayout()->remove(legend);  // one curve needs no legend

    auto vline = [&](double x, const QPen& pen) {
        auto* line = new QCPItemStraightLine(p);
        line->setClipAxisRect(rect);
        line->point1->setAxes(xa, ya);
        line->point2->setAxes(xa, ya);
        line->point1->setCoords(x, 0);
        line->point2->setCoords(x, 1);
        line->setPen(pen);
    };
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
    vline(d.seqLen, QPen(Qt::black, 2.5, Qt::DashLine));
    addText(d.seqLen, lo - pad * 0.9, Qt::AlignLeft | Qt::AlignBottom,
            tr(" trained context (%1) → never seen in training").arg(d.seqLen), kBeyond);
    const double extended = d.scaling.factor * d.originalContext;
    if (useRope && d.scaled && d.scaling.factor > 1 && extended < n) {
        vline(extended, QPen(kBeyond, 2.5, Qt::DashDotLine));
        addText(extended, hi + pad * 0.9, extended > 0.8 * n ? Qt::AlignRight | Qt::AlignTop : Qt::AlignLeft | Qt::AlignTop,
                tr(" s × L0 = %1 ").arg(extended, 0, 'f', 0), kBeyond)
            ->setBrush(QColor(255, 255, 255, 210));
    }

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
    if (shownDist >= 0 && shownDist < n && shownDist != dist) vline(shownDist, QPen(kQ, 1.5, Qt::DotLine));

    xa->setRange(-0.015 * n, n - 1);  // a little room so a dot at d = 0 stays visible
    xa->setLabel(tr("distance d = query position − key position"));
    ya->setRange(lo - pad, hi + pad);
    ya->setLabel(tr("score"));
    replotOncePerTurn(p);
}

QString RopeView::toCsv() const {
    QString csv = QStringLiteral("kind,index,theta,wavelength,q_x,q_y,k_x,k_y,score,method\n");
    if (!m_data.valid) return csv;
    const RopePlotData& d = m_data;
    for (size_t i = 0; i < d.theta.size(); ++i) {
        csv += QStringLiteral("pair,%1,%2,%3,%4,%5,%6,%7,,\n")
                   .arg(i)
                   .arg(d.theta[i], 0, 'g', 9)
                   .arg(d.wavelength[i], 0, 'g', 9)
                   .arg(double(d.q[2 * i]), 0, 'g', 7)
                   .arg(double(d.q[2 * i + 1]), 0, 'g', 7)
                   .arg(double(d.k[2 * i]), 0, 'g', 7)
                   .arg(double(d.k[2 * i + 1]), 0, 'g', 7);
    }
    for (const rope::ScalingCurve& c : d.overlay)
        for (size_t i = 0; i < c.theta.size(); ++i)
            csv += QStringLiteral("scaling,%1,%2,%3,,,,,,%4\n")
                       .arg(i)
                       .arg(c.theta[i], 0, 'g', 9)
                       .arg(c.wavelength[i], 0, 'g', 9)
                       .arg(csvField(ropeScalingName(c.method)));
    for (size_t dist = 0; dist < d.score.size(); ++dist)
        csv += QStringLiteral("distance,%1,,,,,,,%2,%3\n")
                   .arg(dist)
                   .arg(d.score[dist], 0, 'g', 7)
                   .arg(csvField(d.scaled || d.positions != anatomy::PositionEncoding::Rope ? QStringLiteral("current")
                                                                                        : QStringLiteral("as trained")));
    if (d.scaled || d.positions != anatomy::PositionEncoding::Rope)
        for (size_t dist = 0; dist < d.trainedScore.size(); ++dist)
            csv += QStringLiteral("distance,%1,,,,,,,%2,as trained\n").arg(dist).arg(d.trainedScore[dist], 0, 'g', 7);
    return csv;
}

void RopeView::changeEvent(QEvent* e) {
    TraceView::changeEvent(e);
    if (restyleOnFontChange(e)) refitLater();
}

}  // namespace anatomy::widgets
