#include "views/attention_steps_view.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <utility>
#include "plot/qcustomplot_include.h"
#include "plot/replot_once.h"

#include "views/sampling_view.h"  // visibleToken, csvField, lecture styling

namespace anatomy::widgets {

namespace {

constexpr int kMaxDims = 16;  // vector columns shown; the rest are summarised by the norm
const QColor kRandomRaw(0xd9, 0x5f, 0x02);     // without ÷√d_k
const QColor kRandomScaled(0x1b, 0x70, 0xb5);  // with it
const QColor kTopRow(0xff, 0xf3, 0xc4);
const QColor kMaskedText(0x9a, 0x9a, 0x9a);

QString num(double v, int prec = 3) {
    if (std::isinf(v)) return v < 0 ? QStringLiteral("\u2212\u221E") : QStringLiteral("\u221E");
    if (std::isnan(v)) return QStringLiteral("\u2014");
    QString s = QString::number(v, 'f', prec);
    if (s.startsWith(QLatin1Char('-'))) s.replace(0, 1, QChar(0x2212));
    return s;
}

// A probability readable at any size: 0.412, 0.0031, 2.1e-07.
QString prob(double p) {
    if (p == 0.0) return QStringLiteral("0");
    if (p >= 0.01) return QString::number(p, 'f', 3);
    return QString::number(p, 'g', 2);
}

QString shortReason(anatomy::MaskReason r) {
    using R = anatomy::MaskReason;
    switch (r) {
        case R::Visible: return QObject::tr("seen");
        case R::Future: return QObject::tr("future (causal)");
        case R::OutsidePrefix: return QObject::tr("after the prefix");
        case R::Window: return QObject::tr("outside window");
        case R::SinksWindow: return QObject::tr("not sink/window");
        case R::Strided: return QObject::tr("off the stride");
        case R::ShiftedGroup: return QObject::tr("other group");
        case R::OutOfRange: return QObject::tr("out of range");
    }
    return {};
}

QTableWidget* makeTable(QWidget* parent) {
    auto* t = new QTableWidget(parent);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionMode(QAbstractItemView::NoSelection);
    t->setFocusPolicy(Qt::NoFocus);
    t->verticalHeader()->setVisible(false);
    t->setWordWrap(false);
    t->horizontalHeader()->setHighlightSections(false);
    return t;
}

QCustomPlot* makePlot(QWidget* parent) {
    auto* p = new QCustomPlot(parent);
    p->setMinimumSize(200, 140);
    p->setAutoAddPlottableToLegend(false);  // each plot fills its own legend row
    return p;
}

// Resets a plot: no plottables, items or rows above the axis rect.
QCPAxisRect* resetPlot(QCustomPlot* p) {
    p->clearPlottables();
    p->clearItems();
    p->plotLayout()->clear();
    auto* rect = new QCPAxisRect(p);
    p->plotLayout()->addElement(0, 0, rect);
    lecture::styleAxisRect(rect);
    return rect;
}

QCPGraph* addLine(QCPAxisRect* rect, const std::vector<int>& x, const std::vector<double>& y, const QColor& c,
                  const QString& name, Qt::PenStyle style = Qt::SolidLine) {
    auto* g = new QCPGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    QVector<double> xs, ys;
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
        xs << double(x[i]);
        ys << y[i];
    }
    g->setData(xs, ys);
    g->setPen(QPen(c, 2.5, style));
    g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, c, c, 6));
    g->setName(name);
    return g;
}

QCPGraph* addMarker(QCPAxisRect* rect, double x, double y, const QColor& c, const QString& name,
                    QCPScatterStyle::ScatterShape shape) {
    auto* g = new QCPGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    g->setData(QVector<double>{x}, QVector<double>{y});
    g->setLineStyle(QCPGraph::lsNone);
    g->setScatterStyle(QCPScatterStyle(shape, QPen(Qt::black, 1.5), QBrush(c), 15));
    g->setName(name);
    return g;
}

// A legend in its own row between the title (row 0) and the axis rect, two entries a line, so
// it never covers a curve or a marker.
QCPLegend* addLegend(QCustomPlot* p) {
    auto* legend = new QCPLegend;
    p->plotLayout()->insertRow(1);
    p->plotLayout()->addElement(1, 0, legend);
    p->plotLayout()->setRowStretchFactor(0, 0.01);
    p->plotLayout()->setRowStretchFactor(1, 0.01);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(2);
    legend->setBorderPen(Qt::NoPen);
    legend->setLayer(QStringLiteral("legend"));
    legend->setFont(lecture::fontFor(p, p->width() < 420 ? lecture::kNotePt - 3 : lecture::kNotePt));
    legend->setRowSpacing(0);
    legend->setColumnSpacing(12);
    return legend;
}

// Powers of two on a log2 axis: 1 2 4 ... 256, or 1 4 16 ... 256 on a narrow plot.
void log2Axis(QCPAxis* a, double hi) {
    a->setScaleType(QCPAxis::stLogarithmic);
    QSharedPointer<QCPAxisTickerText> t(new QCPAxisTickerText);
    const int step = a->parentPlot()->width() < 420 ? 4 : 2;
    for (int d = 1; d <= 256; d *= step) t->addTick(d, QString::number(d));
    a->setTicker(t);
    a->setRange(0.8, hi);
}

}  // namespace

AttentionStepsView::AttentionStepsView(QWidget* parent) : TraceView(parent) {
    setMinimumSize(480, 320);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(6, 4, 6, 4);
    outer->setSpacing(3);
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    m_formula = new QLabel(this);
    m_formula->setWordWrap(true);
    m_formula->setTextFormat(Qt::RichText);
    outer->addWidget(m_title);
    outer->addWidget(m_formula);

    m_split = new QSplitter(Qt::Horizontal, this);
    m_split->setChildrenCollapsible(false);
    auto* left = new QWidget(m_split);
    auto* ll = new QVBoxLayout(left);
    ll->setContentsMargins(0, 0, 0, 0);
    ll->setSpacing(3);
    m_keys = makeTable(left);
    m_vectors = makeTable(left);
    m_vectors->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    ll->addWidget(m_keys, 3);
    ll->addWidget(m_vectors, 0);
    auto* right = new QWidget(m_split);
    auto* rl = new QVBoxLayout(right);
    rl->setContentsMargins(0, 0, 0, 0);
    rl->setSpacing(3);
    m_var = makePlot(right);
    m_entropy = makePlot(right);
    rl->addWidget(m_var, 1);
    rl->addWidget(m_entropy, 1);
    m_split->addWidget(left);
    m_split->addWidget(right);
    m_split->setStretchFactor(0, 3);  // the table's eight columns need the room more than the plots
    m_split->setStretchFactor(1, 2);
    outer->addWidget(m_split, 1);

    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    outer->addWidget(m_note);
    updateFonts();
    rebuild();
}

void AttentionStepsView::setInput(const ViewInput& input) {
    m_input = input;
    rebuild();
}

void AttentionStepsView::setSelection(const Selection& sel) {
    if (sel == m_sel) return;
    m_sel = sel;
    rebuild();
}

void AttentionStepsView::setInputAndSelection(const ViewInput& input, const Selection& sel) {
    m_input = input;
    m_sel = sel;
    rebuild();  // once: setInput then setSelection rebuilt twice for each new trace
}

QString AttentionStepsView::keyLabel(int pos) const {
    if (!m_input.trace || pos < 0 || size_t(pos) >= m_input.trace->tokens.size()) return {};
    return tokenLabel(m_input, m_input.trace->tokens[size_t(pos)]);
}

void AttentionStepsView::rebuild() {
    m_steps = m_input.trace ? attentionSteps(*m_input.trace, m_sel) : AttentionSteps{};
    if (!m_input.trace) m_steps.message = "No trace yet: run the model on some text.";
    // The random demonstration only depends on the number of keys this query saw.
    const int nKeys = std::max(2, m_steps.nVisible);
    if (m_demo.dk.empty() || m_demo.nKeys != nKeys) m_demo = scalingDemo(nKeys);
    fillKeys();
    fillVectors();
    plotVariance();
    plotEntropy();
    updateText();
}

void AttentionStepsView::updateText() {
    const AttentionSteps& s = m_steps;
    if (!s.valid) {
        m_title->setText(QString::fromUtf8(s.message));
        m_formula->clear();
        m_note->clear();
        return;
    }
    m_title->setText(tr("Layer %1 · head %2 (KV head %3) · query %4 “%5” · d_k = %6")
                         .arg(s.layer).arg(s.head).arg(s.kvHead).arg(s.queryPos).arg(keyLabel(s.queryPos))
                         .arg(s.headSize));
    QString scale = s.multiplier != 1.0 ? tr(" × %1").arg(num(s.multiplier)) : QString();
    QString bias = s.alibi ? tr(" − ALiBi slope·|i−j|") : QString();
    QString formula;
    if (s.softmaxKernel) {
        formula = tr("s<sub>j</sub> = q·k<sub>j</sub> ÷ √%1 (= %2)%3%4, masked keys −∞ "
                     "&nbsp;→&nbsp; p<sub>j</sub> = e<sup>s<sub>j</sub> − max s</sup> / Σ e "
                     "&nbsp;→&nbsp; o = Σ<sub>j</sub> p<sub>j</sub> v<sub>j</sub>")
                      .arg(s.headSize).arg(num(s.sqrtDk)).arg(scale, bias);
        if (s.topKey >= 0 && !m_compact) {
            const AttentionStepKey& k = s.keys[size_t(s.topKey)];
            formula += tr("<br>Key read most, %1 “%2”: q·k = %3 → ÷√%4 = %5 → "
                          "e<sup>%6</sup> = %7 → ÷ %8 = <b>p %9</b>")
                           .arg(k.position).arg(keyLabel(k.position).toHtmlEscaped()).arg(num(k.dot))
                           .arg(s.headSize).arg(num(k.scaled)).arg(num(k.score - s.maxScore)).arg(num(k.expShifted))
                           .arg(num(s.sumExp)).arg(prob(k.traceProb));
        }
    } else {
        formula = tr("Linear attention: no softmax. p<sub>j</sub> = φ(q)·φ(k<sub>j</sub>) / "
                     "Σ φ(q)·φ(k), φ = elu + 1; o = Σ p<sub>j</sub> v<sub>j</sub>");
    }
    m_formula->setText(formula);
    QString note = tr("Why ÷√d_k: this head's q·k over %1 (query, key) pairs has variance %2; "
                      "÷√%3 brings it to %4. ")
                       .arg(s.headPairs).arg(num(s.headVarDot, 2)).arg(s.headSize).arg(num(s.headVarScaled, 2));
    if (s.softmaxKernel)
        note += tr("Without it this query's softmax would put %1 on one key (entropy %2 bits) instead of %3 (%4 bits).")
                    .arg(prob(s.topProbUnscaled)).arg(num(s.entropyUnscaledBits, 2)).arg(prob(s.topProb))
                    .arg(num(s.entropyBits, 2));
    if (s.maxScoreGap > 1e-3 && !s.alibi)
        note += tr(" The trace's scores differ from q·k/√d_k by up to %1 here (dual chunk attention "
                   "rotates q per key chunk).").arg(num(s.maxScoreGap));
    m_note->setText(note);
}

void AttentionStepsView::fillKeys() {
    const AttentionSteps& s = m_steps;
    const QStringList header{tr("key"), tr("token"), tr("q·k"), tr("÷√d_k"), tr("score s"),
                             tr("mask"), tr("e^(s−max)"), tr("p")};
    m_keys->clear();
    m_keys->setColumnCount(int(header.size()));
    m_keys->setHorizontalHeaderLabels(header);
    if (!s.valid) {
        m_keys->setRowCount(0);
        return;
    }
    const int n = int(s.keys.size());
    m_keys->setRowCount(n + 1);
    const QFont base = lecture::fontFor(this, (lecture::kNotePt + 1) * m_scale);
    QFont bold = base;
    bold.setBold(true);
    auto put = [&](int row, int col, const QString& text, bool right, bool masked, bool top) {
        auto* item = new QTableWidgetItem(text);
        item->setFont(top ? bold : base);
        item->setTextAlignment((right ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter);
        if (masked) item->setForeground(kMaskedText);
        if (top) item->setBackground(kTopRow);
        m_keys->setItem(row, col, item);
    };
    for (int j = 0; j < n; ++j) {
        const AttentionStepKey& k = s.keys[size_t(j)];
        const bool masked = !k.visible, top = j == s.topKey;
        put(j, 0, QString::number(k.position), true, masked, top);
        put(j, 1, keyLabel(k.position), false, masked, top);
        put(j, 2, num(k.dot), true, masked, top);
        put(j, 3, num(k.scaled), true, masked, top);
        put(j, 4, masked ? QStringLiteral("\u2212\u221E") : s.softmaxKernel ? num(k.score) : QStringLiteral("\u2014"),
            true, masked, top);
        put(j, 5, shortReason(k.reason), false, masked, top);
        put(j, 6, s.softmaxKernel ? num(k.expShifted, 4) : QStringLiteral("\u2014"), true, masked, top);
        put(j, 7, prob(k.traceProb), true, masked, top);
    }
    // The sum row: Σ e is the softmax's denominator, Σ p = 1.
    double sumP = 0.0;
    for (const AttentionStepKey& k : s.keys) sumP += k.traceProb;
    for (int col = 0; col < 8; ++col) put(n, col, QString(), true, false, false);
    if (s.softmaxKernel) put(n, 6, num(s.sumExp, 4), true, false, false);
    put(n, 7, QString::number(sumP, 'f', 4), true, false, false);
    for (int col : {6, 7})
        if (QTableWidgetItem* it = m_keys->item(n, col)) it->setFont(bold);
    m_keys->clearSpans();
    m_keys->resizeColumnsToContents();
    // The sum row's label spans the key to mask columns, set after the columns took their widths:
    // in the token column alone it made that column the table's widest and pushed e^(s−max) and p
    // out of sight on a 720-pixel slide.
    put(n, 0, tr("Σ (%1 keys seen)").arg(s.nVisible), false, false, false);
    m_keys->setSpan(n, 0, 1, 6);
    fitKeysWidth();
    m_keys->resizeRowsToContents();
    scrollToTopKey();
}

void AttentionStepsView::fitKeysWidth() {
    const int room = m_keys->viewport()->width();
    if (room < 100 || m_keys->rowCount() == 0) return;  // not laid out yet
    auto total = [&] {
        int w = 0;
        for (int c = 0; c < m_keys->columnCount(); ++c) w += m_keys->columnWidth(c);
        return w;
    };
    const QFont full = lecture::fontFor(this, (lecture::kNotePt + 1) * m_scale);
    const QFont fullHeader = lecture::fontFor(this, lecture::kNotePt * m_scale, true);
    auto apply = [&](double f) {
        for (int r = 0; r < m_keys->rowCount(); ++r)
            for (int c = 0; c < m_keys->columnCount(); ++c)
                if (QTableWidgetItem* it = m_keys->item(r, c)) {
                    QFont font = it->font();
                    font.setPointSizeF(full.pointSizeF() * f);
                    it->setFont(font);
                }
        QFont h = fullHeader;
        h.setPointSizeF(fullHeader.pointSizeF() * f);
        m_keys->horizontalHeader()->setFont(h);
        m_keys->resizeColumnsToContents();
    };
    double f = 1.0;
    const double now = m_keys->item(0, 0) ? m_keys->item(0, 0)->font().pointSizeF() / full.pointSizeF() : 1.0;
    if (std::abs(now - 1.0) > 0.01) apply(1.0);  // from full size: the view may have grown
    while (total() > room && f > 0.71) {
        f -= 0.1;
        apply(f);
    }
    m_keys->resizeRowsToContents();
}

void AttentionStepsView::scrollToTopKey() {
    // The key read most in the middle of the table (a long prompt has hundreds of rows).
    const int top = m_steps.topKey;
    if (top >= 0 && top < m_keys->rowCount())
        m_keys->scrollToItem(m_keys->item(top, 0), QAbstractItemView::PositionAtCenter);
}

void AttentionStepsView::fillVectors() {
    const AttentionSteps& s = m_steps;
    m_vectors->clear();
    if (!s.valid || !m_input.trace) {
        m_vectors->setRowCount(0);
        m_vectors->setColumnCount(0);
        m_vectors->setMaximumHeight(0);
        return;
    }
    const int dims = std::min(s.headSize, kMaxDims);
    QStringList header{tr("vector")};
    for (int x = 0; x < dims; ++x) header << QString::number(x);
    header << (s.headSize > dims ? tr("… %1 more, ‖·‖").arg(s.headSize - dims) : tr("‖·‖"));
    m_vectors->setColumnCount(int(header.size()));
    m_vectors->setHorizontalHeaderLabels(header);
    const int top = std::max(0, s.topKey);
    const std::vector<std::pair<QString, std::vector<float>>> rows{
        {tr("q (query %1)").arg(s.queryPos), s.q},
        {tr("k (key %1)").arg(top), s.keyVector(*m_input.trace, top)},
        {tr("v (key %1)").arg(top), s.valueVector(*m_input.trace, top)},
        {tr("o = Σ pⱼ vⱼ"), s.out}};
    m_vectors->setRowCount(int(rows.size()));
    const QFont base = lecture::fontFor(this, lecture::kNotePt * m_scale);
    for (int r = 0; r < int(rows.size()); ++r) {
        const std::vector<float>& v = rows[size_t(r)].second;
        auto* name = new QTableWidgetItem(rows[size_t(r)].first);
        name->setFont(base);
        m_vectors->setItem(r, 0, name);
        double norm = 0.0;
        for (float x : v) norm += double(x) * x;
        for (int x = 0; x < dims && x < int(v.size()); ++x) {
            auto* item = new QTableWidgetItem(num(v[size_t(x)], 2));
            item->setFont(base);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_vectors->setItem(r, x + 1, item);
        }
        auto* n = new QTableWidgetItem(num(std::sqrt(norm), 2));
        n->setFont(base);
        n->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_vectors->setItem(r, dims + 1, n);
    }
    m_vectors->resizeColumnsToContents();
    m_vectors->resizeRowsToContents();
    int h = m_vectors->horizontalHeader()->height() + 2 * m_vectors->frameWidth();
    for (int r = 0; r < m_vectors->rowCount(); ++r) h += m_vectors->rowHeight(r);
    // Room for the horizontal scroll bar when the columns do not fit.
    h += m_vectors->horizontalScrollBar()->sizeHint().height();
    m_vectors->setMaximumHeight(h);
    m_vectors->setMinimumHeight(std::min(h, 90));
}

void AttentionStepsView::plotVariance() {
    QCustomPlot* p = m_var;
    QCPAxisRect* rect = resetPlot(p);
    p->plotLayout()->insertRow(0);
    p->plotLayout()->addElement(0, 0, lecture::fittedText(p, tr("Var(q·k) against dₖ"), lecture::kPaneTitlePt, true));
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    log2Axis(x, 400);
    y->setScaleType(QCPAxis::stLogarithmic);
    y->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    x->setLabel(tr("head size dₖ"));
    y->setLabel(tr("variance"));
    const ScalingDemo& d = m_demo;
    const bool narrow = p->width() < 420;  // short legend names in a small pane
    auto* raw = addLine(rect, d.dk, d.varDot, kRandomRaw, narrow ? tr("random") : tr("random, q·k"));
    auto* scaled = addLine(rect, d.dk, d.varScaled, kRandomScaled,
                           narrow ? tr("÷√dₖ") : tr("random, q·k/√dₖ"));
    QCPLegend* legend = addLegend(p);
    legend->addItem(new QCPPlottableLegendItem(legend, raw));
    legend->addItem(new QCPPlottableLegendItem(legend, scaled));
    double lo = 0.3, hi = 600;
    if (m_steps.valid && m_steps.headPairs > 1) {
        const double hs = m_steps.headSize;
        auto* a = addMarker(rect, hs, std::max(1e-3, m_steps.headVarDot), kRandomRaw,
                            narrow ? tr("this head") : tr("this head, q·k"), QCPScatterStyle::ssDiamond);
        auto* b = addMarker(rect, hs, std::max(1e-3, m_steps.headVarScaled), kRandomScaled,
                            narrow ? tr("head ÷√dₖ") : tr("this head, ÷√dₖ"),
                            QCPScatterStyle::ssDiamond);
        legend->addItem(new QCPPlottableLegendItem(legend, a));
        legend->addItem(new QCPPlottableLegendItem(legend, b));
        lo = std::min(lo, m_steps.headVarScaled / 2);
        hi = std::max(hi, m_steps.headVarDot * 2);
    }
    y->setRange(std::max(1e-3, lo), hi);
    replotOncePerTurn(p);
}

void AttentionStepsView::plotEntropy() {
    QCustomPlot* p = m_entropy;
    QCPAxisRect* rect = resetPlot(p);
    p->plotLayout()->insertRow(0);
    const ScalingDemo& d = m_demo;
    p->plotLayout()->addElement(0, 0, lecture::fittedText(
        p, tr("Softmax entropy over %1 keys").arg(d.nKeys), lecture::kPaneTitlePt, true));
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    log2Axis(x, 400);
    x->setLabel(tr("head size dₖ"));
    y->setLabel(tr("bits"));
    auto* scaled = addLine(rect, d.dk, d.entropyBits, kRandomScaled, tr("random, ÷√dₖ"));
    auto* raw = addLine(rect, d.dk, d.entropyUnscaledBits, kRandomRaw, tr("random, no ÷√dₖ"));
    auto* uniform = new QCPItemStraightLine(p);
    uniform->point1->setAxes(x, y);
    uniform->point2->setAxes(x, y);
    uniform->point1->setCoords(1, d.maxEntropyBits);
    uniform->point2->setCoords(256, d.maxEntropyBits);
    uniform->setPen(QPen(QColor(120, 120, 120), 1.5, Qt::DashLine));
    auto* uniformText = new QCPItemText(p);
    uniformText->position->setAxes(x, y);
    uniformText->position->setCoords(256, d.maxEntropyBits);
    uniformText->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
    uniformText->setFont(lecture::fontFor(p, lecture::kNotePt));
    uniformText->setText(tr("uniform: log₂ %1 = %2").arg(d.nKeys).arg(num(d.maxEntropyBits, 2)));
    QCPLegend* legend = addLegend(p);
    legend->addItem(new QCPPlottableLegendItem(legend, scaled));
    legend->addItem(new QCPPlottableLegendItem(legend, raw));
    if (m_steps.valid && m_steps.softmaxKernel) {
        const double hs = m_steps.headSize;
        auto* a = addMarker(rect, hs, m_steps.entropyBits, kRandomScaled, tr("this query, as run"),
                            QCPScatterStyle::ssDiamond);
        auto* b = addMarker(rect, hs, m_steps.entropyUnscaledBits, kRandomRaw, tr("this query, no ÷√dₖ"),
                            QCPScatterStyle::ssDiamond);
        legend->addItem(new QCPPlottableLegendItem(legend, a));
        legend->addItem(new QCPPlottableLegendItem(legend, b));
    }
    y->setRange(0, d.maxEntropyBits * 1.18 + 0.05);
    replotOncePerTurn(p);
}

void AttentionStepsView::updateFonts() {
    m_title->setFont(lecture::fontFor(this, lecture::kPaneTitlePt * m_scale, true));
    m_formula->setFont(lecture::fontFor(this, (lecture::kLabelPt - 1) * m_scale));
    m_note->setFont(lecture::fontFor(this, (lecture::kNotePt + 1) * m_scale));
    const QFont header = lecture::fontFor(this, lecture::kNotePt * m_scale, true);
    m_keys->horizontalHeader()->setFont(header);
    m_vectors->horizontalHeader()->setFont(header);
}

void AttentionStepsView::changeEvent(QEvent* e) {
    TraceView::changeEvent(e);
    if (restyleOnFontChange(e)) {
        updateFonts();
        m_refill = true;  // the tables' items carry their own fonts
        refitLater();
    }
}

void AttentionStepsView::resizeEvent(QResizeEvent* e) {
    TraceView::resizeEvent(e);
    refitLater();
}

void AttentionStepsView::refit() {
    // Text grows with a large view (a 1920x1080 projector) and gives a little in a small pane;
    // a small pane (a docked 700x380) also leaves out the entropy plot and the formula's worked
    // line (the note under the tables says the same in words, the table marks the key).
    const double scale = std::clamp(std::min(width() / 1280.0, height() / 720.0), 0.8, 1.5);
    const bool compact = height() < 560 || width() < 900;
    bool refill = std::exchange(m_refill, false);
    if (compact != m_compact) {
        m_compact = compact;
        m_entropy->setVisible(!compact);
        updateText();
    }
    if (std::abs(scale - m_scale) > 0.05) {
        m_scale = scale;
        updateFonts();
        refill = true;
    }
    if (refill) {
        fillKeys();
        fillVectors();
        updateText();
    }
    // After the layout has given the table its new size.
    QTimer::singleShot(0, this, [this] {
        fitKeysWidth();
        scrollToTopKey();
    });
    // Titles shrink to fit the plot's new width.
    plotVariance();
    plotEntropy();
}

QString AttentionStepsView::toCsv() const {
    QString csv = QStringLiteral("layer,head,query_pos,key_pos,key_token,masked,mask_reason,q_dot_k,scaled,score,"
                                 "exp_shifted,probability,trace_probability\n");
    const AttentionSteps& s = m_steps;
    if (!s.valid) return csv;
    for (const AttentionStepKey& k : s.keys) {
        const bool masked = !k.visible;
        auto g = [](double v) { return QString::number(v, 'g', 9); };
        csv += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8,%9,").arg(s.layer).arg(s.head).arg(s.queryPos).arg(k.position)
                   .arg(csvField(keyLabel(k.position))).arg(masked ? 1 : 0).arg(csvField(shortReason(k.reason)))
                   .arg(g(k.dot), g(k.scaled));
        csv += QStringLiteral("%1,%2,%3,%4\n").arg(masked ? QString() : g(k.score), g(k.expShifted),
                                                   g(k.prob), g(k.traceProb));
    }
    return csv;
}

}  // namespace anatomy::widgets
