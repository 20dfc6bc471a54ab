#include "views/attention_steps_view.h"

#include <QAbstractTableModel>
#include <QEvent>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <utility>
#include <vector>
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

template <class Table = QTableWidget>
Table* makeTable(QWidget* parent) {
    auto* t = new Table(parent);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionMode(QAbstractItemView::NoSelection);
    t->setFocusPolicy(Qt::NoFocus);
    t->verticalHeader()->setVisible(false);
    t->setWordWrap(false);
    t->horizontalHeader()->setHighlightSections(false);
    return t;
}

}  // namespace

// The key table's rows, formatted once per trace and handed to the view on demand: a
// 1,700-token prompt has 13,600 cells, and as QTableWidgetItems (each with its own font, set
// again for every size the text tried, then measured row by row) a font change or a resize
// cost the GUI thread a quarter of a second. Here one font pair serves every cell, rows share
// one height and the columns are measured on their longest strings only.
class StepsKeyModel : public QAbstractTableModel {
public:
    static constexpr int kColumns = 8;
    struct Row {
        std::array<QString, kColumns> cells;
        bool masked = false, top = false;
    };
    using QAbstractTableModel::QAbstractTableModel;

    // rows: one per key, then the sum row (its label in column 0 spans the key to mask columns).
    void reset(QStringList header, std::vector<Row> rows) {
        beginResetModel();
        m_header = std::move(header);
        m_rows = std::move(rows);
        endResetModel();
    }
    void setFonts(const QFont& base, const QFont& bold) {
        m_base = base;
        m_bold = bold;
        if (!m_rows.empty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, kColumns - 1), {Qt::FontRole, Qt::SizeHintRole});
    }
    const QFont& baseFont() const { return m_base; }
    const QFont& boldFont() const { return m_bold; }
    const std::vector<Row>& rows() const { return m_rows; }
    bool isSumRow(int r) const { return r == rowCount() - 1; }

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(m_rows.size()); }
    int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : kColumns; }
    QVariant data(const QModelIndex& i, int role) const override {
        if (!i.isValid() || i.row() >= rowCount() || i.column() >= kColumns) return {};
        const Row& r = m_rows[size_t(i.row())];
        const bool sum = isSumRow(i.row());
        switch (role) {
            case Qt::DisplayRole: return r.cells[size_t(i.column())];
            case Qt::FontRole: return r.top || (sum && i.column() >= 6) ? m_bold : m_base;
            case Qt::ForegroundRole: return r.masked ? QVariant(QBrush(kMaskedText)) : QVariant();
            case Qt::BackgroundRole: return r.top ? QVariant(QBrush(kTopRow)) : QVariant();
            case Qt::TextAlignmentRole: {
                const bool left = (i.column() == 1 || i.column() == 5) || (sum && i.column() == 0);
                return QVariant::fromValue(Qt::Alignment((left ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter));
            }
            default: return {};
        }
    }
    QVariant headerData(int section, Qt::Orientation o, int role) const override {
        if (o == Qt::Horizontal && role == Qt::DisplayRole && section >= 0 && section < m_header.size())
            return m_header[section];
        return QAbstractTableModel::headerData(section, o, role);
    }

private:
    QStringList m_header;
    std::vector<Row> m_rows;
    QFont m_base, m_bold;
};

namespace {

// The widest text of each column at the model's fonts (bold where the cell is), with the
// header's, in pixels. Each string's width is first estimated as the sum of its characters'
// advances (one lookup a character); the eight widest by that estimate in each column are then
// measured exactly (kerning and shaping make the sum a close estimate, not the width).
std::array<int, StepsKeyModel::kColumns> keyColumnWidths(const StepsKeyModel& m, const QFont& header) {
    std::array<int, StepsKeyModel::kColumns> w{};
    const QFontMetrics fm(m.baseFont()), bm(m.boldFont()), hm(header);
    // Advances by UTF-16 unit (an estimate: a surrogate pair counts as its two halves), Latin-1
    // and the common signs in a table, the rest in a hash.
    std::array<std::array<int, 256>, 2> latin{};  // [bold][unit], 0 = not measured yet
    QHash<char16_t, int> other[2];
    auto advanceOf = [&](QChar c, bool bold) {
        const char16_t u = c.unicode();
        if (u < 256) {
            int& a = latin[bold][u];
            if (a == 0) a = std::max(1, (bold ? bm : fm).horizontalAdvance(c));
            return a;
        }
        auto it = other[bold].constFind(u);
        if (it == other[bold].cend()) it = other[bold].insert(u, (bold ? bm : fm).horizontalAdvance(c));
        return *it;
    };
    auto estimate = [&](const QString& t, bool bold) {
        int sum = 0;
        for (QChar c : t) sum += advanceOf(c, bold);
        return sum;
    };
    const auto& rows = m.rows();
    const size_t n = rows.size();
    constexpr size_t kMeasured = 8;
    for (int c = 0; c < StepsKeyModel::kColumns; ++c) {
        w[size_t(c)] = hm.horizontalAdvance(m.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString());
        std::vector<std::pair<int, size_t>> widest;  // (estimate, row), the kMeasured largest
        for (size_t r = 0; r < n; ++r) {
            if (c == 0 && r + 1 == n) continue;  // the sum row's label spans six columns
            const bool bold = rows[r].top || (r + 1 == n && c >= 6);
            const int e = estimate(rows[r].cells[size_t(c)], bold);
            if (widest.size() == kMeasured && e <= widest.front().first) continue;
            if (widest.size() == kMeasured) {
                std::pop_heap(widest.begin(), widest.end(), std::greater<>{});
                widest.pop_back();
            }
            widest.emplace_back(e, r);
            std::push_heap(widest.begin(), widest.end(), std::greater<>{});
        }
        for (const auto& [e, r] : widest) {
            const bool bold = rows[r].top || (r + 1 == n && c >= 6);
            w[size_t(c)] = std::max(w[size_t(c)], (bold ? bm : fm).horizontalAdvance(rows[r].cells[size_t(c)]));
        }
        w[size_t(c)] += 8;  // the cell's margins (the focus frame's, as QTableView's hint has them) and the grid line
    }
    return w;
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
    m_keys = makeTable<QTableView>(left);
    m_keyModel = new StepsKeyModel(m_keys);
    m_keys->setModel(m_keyModel);
    m_keys->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_keys->verticalHeader()->setMinimumSectionSize(4);
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
    if (!m_input.trace) m_steps.message = QT_TRANSLATE_NOOP("anatomy::widgets::AttentionStepsView", "No trace yet: run the model on some text.");
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
        m_title->setText(tr(s.message));  // QT_TRANSLATE_NOOP'd in attention_steps.cpp
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
    m_keys->clearSpans();
    if (!s.valid) {
        m_keyModel->reset(header, {});
        return;
    }
    const int n = int(s.keys.size());
    std::vector<StepsKeyModel::Row> rows(size_t(n) + 1);
    for (int j = 0; j < n; ++j) {
        const AttentionStepKey& k = s.keys[size_t(j)];
        StepsKeyModel::Row& r = rows[size_t(j)];
        r.masked = !k.visible;
        r.top = j == s.topKey;
        r.cells = {QString::number(k.position), keyLabel(k.position), num(k.dot), num(k.scaled),
                   r.masked ? QStringLiteral("\u2212\u221E") : s.softmaxKernel ? num(k.score) : QStringLiteral("\u2014"),
                   shortReason(k.reason), s.softmaxKernel ? num(k.expShifted, 4) : QStringLiteral("\u2014"),
                   prob(k.traceProb)};
    }
    // The sum row: Σ e is the softmax's denominator, Σ p = 1. Its label spans the key to mask
    // columns: in the token column alone it made that column the table's widest and pushed
    // e^(s−max) and p out of sight on a 720-pixel slide.
    double sumP = 0.0;
    for (const AttentionStepKey& k : s.keys) sumP += k.traceProb;
    StepsKeyModel::Row& sum = rows[size_t(n)];
    sum.cells[0] = tr("Σ (%1 keys seen)").arg(s.nVisible);
    if (s.softmaxKernel) sum.cells[6] = num(s.sumExp, 4);
    sum.cells[7] = QString::number(sumP, 'f', 4);
    m_keyModel->reset(header, std::move(rows));
    m_keys->setSpan(n, 0, 1, 6);
    fitKeysWidth();
    scrollToTopKey();
}

void AttentionStepsView::fitKeysWidth() {
    // The text shrinks (to 60%, never under 8 points) until the eight columns fit the table's
    // width: four-digit key numbers on a long prompt need more than 70% gave on a 720-line
    // slide. With no room known yet (not laid out) it stays at full size.
    const int room = m_keys->viewport()->width();
    const QFont full = lecture::fontFor(this, (lecture::kNotePt + 1) * m_scale);
    const QFont fullHeader = lecture::fontFor(this, lecture::kNotePt * m_scale, true);
    std::array<int, StepsKeyModel::kColumns> widths{};
    QFont headerFont = fullHeader;
    for (double f = 1.0;; f -= 0.1) {
        QFont base = full, bold = full;
        base.setPointSizeF(full.pointSizeF() * f);
        bold.setPointSizeF(full.pointSizeF() * f);
        bold.setBold(true);
        headerFont.setPointSizeF(fullHeader.pointSizeF() * f);
        m_keyModel->setFonts(base, bold);
        widths = keyColumnWidths(*m_keyModel, headerFont);
        int total = 0;
        for (int w : widths) total += w;
        if (room < 100 || m_keyModel->rowCount() == 0 || total <= room || f < 0.65 ||
            full.pointSizeF() * (f - 0.1) < 8.0)
            break;
    }
    m_keys->horizontalHeader()->setFont(headerFont);
    for (int c = 0; c < StepsKeyModel::kColumns; ++c) m_keys->setColumnWidth(c, widths[size_t(c)]);
    m_keys->verticalHeader()->setDefaultSectionSize(QFontMetrics(m_keyModel->boldFont()).height() + 6);
}

void AttentionStepsView::scrollToTopKey() {
    // The key read most in sight: with the Σ row whole at the bottom when the last rows hold
    // it (a query often reads a recent key most), else in the middle of the table (a long
    // prompt has hundreds of rows).
    const int top = m_steps.topKey, rows = m_keyModel->rowCount();
    if (top < 0 || top >= rows) return;
    const QModelIndex key = m_keyModel->index(top, 0);
    m_keys->scrollTo(m_keyModel->index(rows - 1, 0), QAbstractItemView::PositionAtBottom);
    const QRect shown = m_keys->visualRect(key);
    if (!m_keys->viewport()->rect().contains(shown)) m_keys->scrollTo(key, QAbstractItemView::PositionAtCenter);
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
