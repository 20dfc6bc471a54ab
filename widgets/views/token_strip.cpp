#include "views/token_strip.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollArea>
#include <QStaticText>
#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include "anatomy/kernels.h"

namespace anatomy::widgets {

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kSurprisalScaleBits = 10.0f;  // colour saturates at 10 bits (p ~ 1/1000)
constexpr int kMaxVisibleLines = 4;            // chip lines the scroll area shows before scrolling
constexpr qsizetype kMaxCachedLabels = 8192;   // labels whose width and layout are kept

// The largest of z[0, n), n > 0, in four running maxima. Not inlined: inlined before a call (the
// normaliser's), gcc kept the maximum in its stack slot and stored it at every step, half of
// the strip's time.
[[gnu::noinline]] float rowMax(const float* z, int n) {
    float m0 = z[0], m1 = z[0], m2 = z[0], m3 = z[0];
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        m0 = z[i] > m0 ? z[i] : m0;
        m1 = z[i + 1] > m1 ? z[i + 1] : m1;
        m2 = z[i + 2] > m2 ? z[i + 2] : m2;
        m3 = z[i + 3] > m3 ? z[i + 3] : m3;
    }
    for (; i < n; ++i) m0 = z[i] > m0 ? z[i] : m0;
    m0 = m1 > m0 ? m1 : m0;
    m2 = m3 > m2 ? m3 : m2;
    return m2 > m0 ? m2 : m0;
}

// Puts i into top (indices of z, largest first, ties: the lower index first), keeps its nAlt
// best, and returns the bar to enter it: the smallest kept value once it is full.
[[gnu::noinline]] float enterTop(std::vector<int>& top, const float* z, int i, int nAlt) {
    top.insert(std::find_if(top.begin(), top.end(), [&](int j) { return z[i] > z[j]; }), i);
    if (static_cast<int>(top.size()) > nAlt) top.pop_back();
    return static_cast<int>(top.size()) == nAlt ? z[top.back()] : -std::numeric_limits<float>::infinity();
}

// A token's prediction from one row of n logits z (ids[i] the token of z[i]; nullptr: i itself):
// p = softmax(z) at the token, with softmax(z)_i = exp(z_i - max z) / sum_j exp(z_j - max z);
// its rank (how many tokens have a larger logit, so a larger probability); and the nAlt most
// probable tokens, largest first (ties: the lower index first).
template <class Label>
void fillPrediction(TokenCell& c, const float* z, const int* ids, int n, int nAlt, const Label& label) {
    if (n <= 0) return;
    const float mx = rowMax(z, n);
    // The engine's vectorised exp (relative error < 2e-7): a libm call per logit was most of
    // the strip's time on the GUI thread.
    const double sum = anatomy::kernels::activeKernels().expSum(z, n, mx);
    auto idOf = [&](int i) { return ids ? ids[i] : i; };
    auto prob = [z, mx, sum](int i) { return static_cast<float>(std::exp(z[i] - mx) / sum); };
    // The token's entry: its id itself in a whole row, else where ids holds it.
    int self = -1;
    if (!ids) self = c.id >= 0 && c.id < n ? c.id : -1;
    else self = static_cast<int>(std::find(ids, ids + n, c.id) - ids);
    if (self >= n) self = -1;
    // The rank: entries above the token's.
    int above = 0;
    if (self >= 0)
        for (int i = 0; i < n; ++i) above += z[i] > z[self];
    // The nAlt largest, kept sorted in a short list (nAlt is a handful), the smallest of them
    // the bar to enter it; entering is rare and out of line, so the scan keeps its bar in a
    // register.
    std::vector<int> top;
    top.reserve(static_cast<size_t>(nAlt) + 1);
    float bar = -std::numeric_limits<float>::infinity();
    for (int i = 0, kept = 0; i < n && nAlt > 0; ++i)
        if (z[i] > bar || kept < nAlt) {
            bar = enterTop(top, z, i, nAlt);
            kept = std::min(kept + 1, nAlt);
        }
    for (int i : top) c.alternatives.push_back(TokenAlternative{idOf(i), label(idOf(i)), prob(i)});
    if (self < 0) return;
    c.prob = prob(self);
    c.surprisalBits = -std::log2(std::max(c.prob, 1e-30f));
    c.rank = above;
}

QColor lerp(const QColor& a, const QColor& b, double t) {
    t = std::clamp(t, 0.0, 1.0);
    return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t),
                            static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                            static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}

// A three-stop sequential ramp.
QColor ramp(const QColor& lo, const QColor& mid, const QColor& hi, double t) {
    t = std::clamp(t, 0.0, 1.0);
    return t < 0.5 ? lerp(lo, mid, t * 2.0) : lerp(mid, hi, (t - 0.5) * 2.0);
}

// Chip geometry for a font, in pixels: shared by the layout and the scroll area's height.
struct ChipMetrics {
    explicit ChipMetrics(const QFontMetrics& fm)
        : padX(fm.height() / 4 + 2), padY(fm.height() / 8 + 1), wordGap(fm.height() / 2),
          lineH(fm.height() + 2 * padY), lineGap(fm.height() / 3), legendH(fm.height()) {}
    int padX, padY, wordGap;
    int joinGap = 2;
    int lineH, lineGap, legendH;
    int margin = 6;
    // Height of the strip with n lines of chips and the legend below them.
    int height(int nLines) const { return 2 * margin + nLines * (lineH + lineGap) + legendH; }
};

bool isDark(const QColor& c) { return 0.299 * c.redF() + 0.587 * c.greenF() + 0.114 * c.blueF() < 0.55; }

}  // namespace

QString displayPiece(const std::string& piece) {
    if (piece == "<s>" || piece == "</s>" || piece == "<unk>") return QString::fromStdString(piece);
    if (piece == "\n" || piece == "<0x0A>") return QStringLiteral("↵");
    if (piece.size() == 6 && piece.rfind("<0x", 0) == 0) return QString::fromStdString(piece);
    QString s = QString::fromUtf8(piece.data(), static_cast<qsizetype>(piece.size()));
    s.replace(QChar(0x2581), QLatin1Char(' '));  // SentencePiece's word marker
    QString out;
    for (QChar c : s) {
        if (c == QLatin1Char('\n')) out += QStringLiteral("↵");
        else if (c == QLatin1Char('\t')) out += QStringLiteral("⇥");
        else if (c.unicode() < 0x20) out += QStringLiteral("<0x%1>").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else out += c;
    }
    if (out.startsWith(QLatin1Char(' '))) out.remove(0, 1);
    if (out.isEmpty()) out = QStringLiteral("␣");
    return out;
}

std::vector<TokenCell> tokenStripData(const anatomy::Trace& trace,
                                      const anatomy::Tokenizer* tokenizer, int nAlternatives) {
    std::vector<TokenCell> cells;
    const int n = static_cast<int>(trace.tokens.size());
    cells.reserve(static_cast<size_t>(n));
    const bool topKOnly = trace.logits.empty() && !trace.logitsTopIds.empty();
    const int k = topKOnly ? static_cast<int>(trace.logitsTopIds.dim(1)) : 0;
    const int nAlt = std::max(nAlternatives, 0);
    // Alternatives repeat from position to position: each id's label is made once.
    std::unordered_map<int, QString> labels;
    auto altLabel = [&](int id) -> const QString& {
        auto [it, fresh] = labels.try_emplace(id);
        if (fresh)
            it->second = tokenizer && id >= 0 && id < tokenizer->vocabSize() ? displayPiece(tokenizer->piece(id))
                                                                              : QString::number(id);
        return it->second;
    };
    for (int pos = 0; pos < n; ++pos) {
        TokenCell c;
        c.position = pos;
        c.id = trace.tokens[static_cast<size_t>(pos)];
        c.row = pos - trace.firstQueryPos < trace.nQ ? pos - trace.firstQueryPos : -1;
        if (c.row < 0) c.row = -1;
        std::string raw = tokenizer && c.id >= 0 && c.id < tokenizer->vocabSize()
                              ? tokenizer->piece(c.id)
                              : (pos < static_cast<int>(trace.tokenText.size())
                                     ? trace.tokenText[static_cast<size_t>(pos)]
                                     : std::string());
        if (pos == 0 && tokenizer && c.id == tokenizer->bosId() && trace.architecture.languageModel) raw = "<s>";
        c.wordStart = !raw.empty() && (raw[0] == ' ' || raw.rfind("\xe2\x96\x81", 0) == 0);
        c.label = displayPiece(raw);
        c.newline = c.label == QStringLiteral("↵");

        const int prevRow = pos - 1 - trace.firstQueryPos;  // its logits predict this token
        if (prevRow >= 0 && prevRow < trace.nQ) {
            if (!topKOnly && !trace.logits.empty() && prevRow < trace.logits.dim(0)) {
                // The row in place: its normaliser, the token's rank by logit and the
                // nAlternatives largest logits (a copied row, a full softmax and a sort per
                // position cost the GUI thread tens of ms on a 49k vocabulary).
                const int V = static_cast<int>(trace.logits.dim(1));
                const float* z = trace.logits.data.data() + static_cast<size_t>(prevRow) * V;
                fillPrediction(c, z, nullptr, V, nAlt, altLabel);
            } else if (topKOnly) {
                std::vector<float> vals(static_cast<size_t>(k));
                std::vector<int> ids(static_cast<size_t>(k));
                for (int j = 0; j < k; ++j) {
                    ids[static_cast<size_t>(j)] = trace.logitsTopIds.at({prevRow, j});
                    vals[static_cast<size_t>(j)] = trace.logitsTopValues.at({prevRow, j});
                }
                fillPrediction(c, vals.data(), ids.data(), k, nAlt, altLabel);  // renormalised over the kept top k
            }
        }
        cells.push_back(std::move(c));
    }
    return cells;
}

// ---- widget ----

TokenStrip::TokenStrip(QWidget* parent) : TraceView(parent) {
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
}

void TokenStrip::setInput(const ViewInput& input) {
    if (input.trace == m_trace) return;  // sampler-only change: nothing here depends on it
    m_trace = input.trace;
    // A chip's tooltip open under the pointer holds the old trace's numbers.
    if (underMouse() && QToolTip::isVisible()) QToolTip::hideText();
    m_cells = m_trace ? tokenStripData(*m_trace, input.tokenizer.get()) : std::vector<TokenCell>{};
    layoutChips(width(), &m_rects);
    updateGeometry();
    fitScrollArea();
    update();
}

void TokenStrip::fitScrollArea() {
    QWidget* viewport = parentWidget();
    auto* area = viewport ? qobject_cast<QScrollArea*>(viewport->parentWidget()) : nullptr;
    if (!area || area->widget() != this) return;
    const ChipMetrics cm{QFontMetrics(chipFont())};
    const int content = layoutChips(area->viewport()->width(), nullptr);
    const int cap = cm.height(kMaxVisibleLines);
    const int h = std::min(content, cap) + 2 * area->frameWidth();
    if (area->maximumHeight() != h) area->setMaximumHeight(h);
    // At least one line of chips and the legend under it in the current font: presentation
    // mode's larger font must not leave the legend cut off (the views below give way instead).
    const int least = std::min(content, cm.height(1)) + 2 * area->frameWidth();
    if (area->minimumHeight() != least) area->setMinimumHeight(least);
}

void TokenStrip::setSelection(const Selection& sel) {
    if (sel == m_sel) return;
    m_sel = sel;
    update();
}

void TokenStrip::setGeneratedFrom(int first) {
    if (first == m_generatedFrom) return;
    m_generatedFrom = first;
    update();
}

void TokenStrip::setColorMode(ColorMode m) {
    m_mode = m;
    update();
}

QString TokenStrip::toCsv() const {
    QString out = QStringLiteral("position,id,piece,prob,surprisal_bits,rank,top_alternative\n");
    for (const TokenCell& c : m_cells) {
        QString piece = c.label;
        piece.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        const QString top = c.alternatives.empty() ? QString() : c.alternatives.front().label;
        out += QStringLiteral("%1,%2,\"%3\",%4,%5,%6,\"%7\"\n")
                   .arg(c.position)
                   .arg(c.id)
                   .arg(piece)
                   .arg(std::isnan(c.prob) ? QString() : QString::number(c.prob, 'g', 6))
                   .arg(std::isnan(c.surprisalBits) ? QString() : QString::number(c.surprisalBits, 'f', 3))
                   .arg(c.rank)
                   .arg(QString(top).replace(QLatin1Char('"'), QStringLiteral("\"\"")));
    }
    return out;
}

QColor TokenStrip::cellColor(const TokenCell& c) const {
    if (std::isnan(c.prob)) return palette().color(QPalette::AlternateBase).darker(108);
    if (m_mode == ColorMode::Probability)  // expected tokens strong blue
        return ramp(QColor(0xf4, 0xf7, 0xfb), QColor(0x8c, 0xb9, 0xdc), QColor(0x1f, 0x5a, 0x9c),
                    std::sqrt(static_cast<double>(c.prob)));
    // surprising tokens strong red
    return ramp(QColor(0xfb, 0xf6, 0xef), QColor(0xf6, 0xa2, 0x5a), QColor(0xb3, 0x1b, 0x1b),
                c.surprisalBits / kSurprisalScaleBits);
}

QFont TokenStrip::chipFont() const {
    QFont f = font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    return f;
}

void TokenStrip::useLabelFont(const QFont& f) const {
    if (f == m_labelFont) return;
    m_labelFont = f;
    m_labelWidth.clear();
    m_labelText.clear();
}

int TokenStrip::labelWidth(const QFontMetrics& fm, const QString& label) const {
    auto it = m_labelWidth.constFind(label);
    if (it == m_labelWidth.constEnd()) {
        if (m_labelWidth.size() >= kMaxCachedLabels) m_labelWidth.clear();
        it = m_labelWidth.insert(label, fm.horizontalAdvance(label));
    }
    return it.value();
}

const QStaticText& TokenStrip::labelText(const QString& label) const {
    auto it = m_labelText.find(label);
    if (it == m_labelText.end()) {
        if (m_labelText.size() >= kMaxCachedLabels) m_labelText.clear();
        QStaticText t(label);
        t.setTextFormat(Qt::PlainText);
        t.prepare(QTransform(), m_labelFont);
        it = m_labelText.insert(label, t);
    }
    return it.value();
}

int TokenStrip::layoutChips(int width, std::vector<QRect>* rects) const {
    const QFont font = chipFont();
    useLabelFont(font);
    const QFontMetrics fm(font);
    const ChipMetrics cm(fm);
    const int padX = cm.padX, wordGap = cm.wordGap, joinGap = cm.joinGap;
    const int lineH = cm.lineH, lineGap = cm.lineGap, margin = cm.margin;
    width = std::max(width, 80);
    if (rects) rects->clear();
    int x = margin, y = margin;
    for (size_t i = 0; i < m_cells.size(); ++i) {
        const TokenCell& c = m_cells[i];
        const int w = labelWidth(fm, c.label) + 2 * padX;
        const int gap = (i == 0) ? 0 : (c.wordStart || m_cells[i - 1].position == 0 ? wordGap : joinGap);
        if (x > margin && x + gap + w > width - margin) {
            x = margin;
            y += lineH + lineGap;
        } else {
            x += gap;
        }
        if (rects) rects->push_back(QRect(x, y, w, lineH));
        x += w;
        if (c.newline) {
            x = margin;
            y += lineH + lineGap;
        }
    }
    // Legend line below the chips.
    y += lineH + lineGap + cm.legendH + margin;
    return y;
}

int TokenStrip::heightForWidth(int w) const { return layoutChips(w, nullptr); }

QSize TokenStrip::sizeHint() const {
    const int w = std::max(width(), 600);
    return {w, heightForWidth(w)};
}

QSize TokenStrip::minimumSizeHint() const {
    const QFontMetrics fm(chipFont());
    return {200, 3 * fm.height()};
}

void TokenStrip::resizeEvent(QResizeEvent*) {
    const int h = layoutChips(width(), &m_rects);
    if (h != minimumHeight()) setMinimumHeight(h);
    fitScrollArea();  // a new width can change the number of chip lines
}

int TokenStrip::cellAt(const QPoint& p) const {
    for (size_t i = 0; i < m_rects.size(); ++i)
        if (m_rects[i].adjusted(-1, -1, 1, 1).contains(p)) return static_cast<int>(i);
    return -1;
}

void TokenStrip::paintEvent(QPaintEvent* e) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QFont f = chipFont();
    useLabelFont(f);
    p.setFont(f);
    const QFontMetrics fm(f);
    if (m_cells.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("No trace yet"));
        return;
    }
    const int selRow = m_sel.position < 0 && m_trace ? m_trace->nQ - 1 : m_sel.position;
    const qreal radius = fm.height() / 5.0;
    for (size_t i = 0; i < m_cells.size() && i < m_rects.size(); ++i) {
        const TokenCell& c = m_cells[i];
        const QRect r = m_rects[i];
        // Chips scrolled out of sight (a long text shows four lines of them) are not drawn.
        if (!r.adjusted(-3, -3, 3, 3).intersects(e->rect())) continue;
        const QColor bg = cellColor(c);
        p.setPen(Qt::NoPen);
        p.setBrush(bg);
        p.drawRoundedRect(r, radius, radius);
        if (m_generatedFrom >= 0 && c.position >= m_generatedFrom) {
            // Generated, not typed: a dashed outline in the text colour.
            QPen dash(palette().color(QPalette::Text), std::max(1.0, fm.height() / 12.0), Qt::DashLine);
            p.setPen(dash);
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(QRectF(r).adjusted(0.5, 0.5, -0.5, -0.5), radius, radius);
        }
        if (c.row >= 0 && c.row == selRow) {
            p.setPen(QPen(palette().color(QPalette::Text), std::max(2.0, fm.height() / 8.0)));
            p.setBrush(Qt::NoBrush);
            p.drawRoundedRect(QRectF(r).adjusted(-1.5, -1.5, 1.5, 1.5), radius, radius);
        }
        p.setPen(isDark(bg) ? Qt::white : QColor(0x20, 0x20, 0x20));
        // Laid out once per label and font (QStaticText), centred as drawText(AlignCenter) would.
        const QStaticText& text = labelText(c.label);
        const int w = labelWidth(fm, c.label);
        p.drawStaticText(QPointF(r.left() + (r.width() - w) / 2.0, r.top() + (r.height() - fm.height()) / 2.0), text);
    }
    // Legend: the colour ramp with its ends labelled.
    const int y = (m_rects.empty() ? 6 : m_rects.back().bottom()) + fm.height() / 2 + 4;
    QFont small = font();
    p.setFont(small);
    const QFontMetrics sfm(small);
    const QString what = (m_generatedFrom >= 0 ? tr("dashed: generated   ") : QString()) +
                         (m_mode == ColorMode::Probability ? tr("colour: p(token | text before it)   0")
                                                           : tr("colour: surprisal −log₂ p   0 bits"));
    const QString end = m_mode == ColorMode::Probability ? tr("1") : tr("≥ %1 bits").arg(kSurprisalScaleBits);
    int x = 6;
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QPoint(x, y + sfm.ascent()), what);
    x += sfm.horizontalAdvance(what) + 6;
    const int barW = std::min(240, std::max(80, width() / 5));
    for (int i = 0; i < barW; ++i) {
        TokenCell probe;
        const double t = double(i) / (barW - 1);
        probe.prob = m_mode == ColorMode::Probability ? static_cast<float>(t * t) : 0.5f;
        probe.surprisalBits = static_cast<float>(t * kSurprisalScaleBits);
        p.setPen(cellColor(probe));
        p.drawLine(x + i, y + 1, x + i, y + sfm.height() - 1);
    }
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QPoint(x + barW + 6, y + sfm.ascent()), end);
}

QString TokenStrip::tooltipFor(const TokenCell& c) const {
    QString html = QStringLiteral("<b>%1</b> &nbsp; id %2, position %3")
                       .arg(c.label.toHtmlEscaped())
                       .arg(c.id)
                       .arg(c.position);
    if (std::isnan(c.prob)) {
        html += tr("<br>first token: nothing predicts it");
    } else {
        html += tr("<br>p = %1 &nbsp; surprisal %2 bits &nbsp; rank %3")
                    .arg(QString::number(c.prob, 'g', 3))
                    .arg(QString::number(c.surprisalBits, 'f', 2))
                    .arg(c.rank + 1);
        html += tr("<br>model's top choices here:");
        for (const TokenAlternative& a : c.alternatives)
            html += QStringLiteral("<br>&nbsp;&nbsp;%1&nbsp; %2")
                        .arg(QString::number(a.prob, 'f', 3))
                        .arg(a.label.toHtmlEscaped());
    }
    return html;
}

bool TokenStrip::event(QEvent* e) {
    if (e->type() == QEvent::FontChange) {
        // Presentation mode: bigger chips need more lines and a taller area.
        layoutChips(width(), &m_rects);
        updateGeometry();
        fitScrollArea();
    }
    if (e->type() == QEvent::ToolTip) {
        auto* he = static_cast<QHelpEvent*>(e);
        const int i = cellAt(he->pos());
        if (i >= 0) QToolTip::showText(he->globalPos(), tooltipFor(m_cells[static_cast<size_t>(i)]), this,
                                       m_rects[static_cast<size_t>(i)]);
        else QToolTip::hideText();
        return true;
    }
    return TraceView::event(e);
}

void TokenStrip::mousePressEvent(QMouseEvent* e) {
    const int i = cellAt(e->position().toPoint());
    if (i < 0 || m_cells[static_cast<size_t>(i)].row < 0) return;
    Selection s = m_sel;
    s.position = m_cells[static_cast<size_t>(i)].row;
    Q_EMIT selectionRequested(s);
}

}  // namespace anatomy::widgets
