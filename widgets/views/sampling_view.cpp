#include "views/sampling_view.h"

#include <QEvent>
#include <QApplication>
#include <QButtonGroup>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include "plot/qcustomplot_include.h"

#include <algorithm>
#include <cmath>
#include <exception>

namespace anatomy::widgets {

// ---- shared helpers ----

QString visibleToken(std::string_view piece) {
    if (piece.empty()) return QStringLiteral("\u2205");
    // llama2.c's tokenizer stores BOS/EOS wrapped in line breaks.
    if (piece == "\n<s>\n") return QStringLiteral("<s>");
    if (piece == "\n</s>\n") return QStringLiteral("</s>");
    QString out;
    const auto* s = reinterpret_cast<const unsigned char*>(piece.data());
    const size_t n = piece.size();
    size_t i = 0;
    auto hex = [&](unsigned char b) { out += QStringLiteral("\\x%1").arg(b, 2, 16, QLatin1Char('0')); };
    while (i < n) {
        const unsigned char b = s[i];
        if (b < 0x80) {
            if (b == ' ') out += QChar(0x2423);
            else if (b == '\n') out += QChar(0x21B5);
            else if (b == '\t') out += QChar(0x21E5);
            else if (b < 0x20 || b == 0x7F) hex(b);
            else out += QLatin1Char(char(b));
            ++i;
            continue;
        }
        // A UTF-8 sequence: lead byte says how many continuation bytes follow.
        const size_t len = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
        bool ok = len != 0 && i + len <= n;
        for (size_t j = 1; ok && j < len; ++j) ok = (s[i + j] & 0xC0) == 0x80;
        if (!ok) {
            hex(b);
            ++i;
            continue;
        }
        out += QString::fromUtf8(piece.data() + i, qsizetype(len));
        i += len;
    }
    return out;
}

QString tokenLabel(const ViewInput& in, int id) {
    if (in.tokenizer && id >= 0 && id < in.tokenizer->vocabSize())
        return visibleToken(in.tokenizer->piece(id));
    if (in.trace) {
        const auto& t = *in.trace;
        for (size_t i = 0; i < t.tokens.size() && i < t.tokenText.size(); ++i)
            if (t.tokens[i] == id) return visibleToken(t.tokenText[i]);
    }
    return QStringLiteral("#%1").arg(id);
}

QString csvField(const QString& s) {
    if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) &&
        !s.contains(QLatin1Char('\n')) && !s.contains(QLatin1Char('\r')))
        return s;
    QString q = s;
    q.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

namespace lecture {

QFont fontFor(const QWidget* w, double pt, bool bold) {
    QFont f = w ? w->font() : QApplication::font();
    const double app = QApplication::font().pointSizeF(), own = f.pointSizeF();
    f.setPointSizeF(pt * (app > 0 && own > 0 ? own / app : 1.0));
    f.setBold(bold);
    return f;
}

void styleAxisRect(QCPAxisRect* rect) {
    // Thick antialiased polylines with thousands of sharp turns (RoPE's score against distance)
    // cost QPainter's stroker hundreds of milliseconds per replot; segment-wise drawing looks
    // the same at these pen widths.
    rect->parentPlot()->setPlottingHint(QCP::phFastPolylines, true);
    // replot() draws the plot's buffer now and asks for a paint (update) instead of painting at
    // once (repaint): a view that replots from a layout pass or several times in one turn of the
    // event loop is painted once, at the next paint, with the same picture.
    rect->parentPlot()->setPlottingHint(QCP::phImmediateRefresh, false);
    for (QCPAxis* a : rect->axes()) {
        a->setTickLabelFont(fontFor(rect->parentPlot(), kTickPt));
        a->setLabelFont(fontFor(rect->parentPlot(), kLabelPt));
        a->setBasePen(QPen(QColor(90, 90, 90), 1.5));
        a->setTickPen(QPen(QColor(90, 90, 90), 1.5));
        a->setSubTickPen(QPen(QColor(140, 140, 140), 1));
        a->grid()->setPen(QPen(QColor(225, 225, 225), 1));
        a->grid()->setZeroLinePen(QPen(QColor(180, 180, 180), 1));
        a->setProperty("_fitTickPt", a->tickLabelFont().pointSizeF());
    }
    fitOnLayout(rect->parentPlot());
}

namespace {
// A font's size in the unit it was set in: points, or pixels for a font set by pixel size (whose
// pointSizeF() is -1: scaling that gave QFont::setPointSizeF(<= 0) warnings and no change).
double fontSize(const QFont& f) { return f.pointSizeF() > 0 ? f.pointSizeF() : double(f.pixelSize()); }
void setFontSize(QFont& f, double size, bool pixels) {
    if (pixels) f.setPixelSize(std::max(1, int(std::lround(size))));
    else f.setPointSizeF(std::max(1.0, size));
}
}  // namespace

bool fitItemTexts(QCustomPlot* plot) {
    bool changed = false;
    const int n = plot->itemCount();
    // A view that places many labels (a grid of values) lays them out itself: left alone, and
    // the fit costs nothing on its replots.
    int texts = 0;
    for (int i = 0; i < n; ++i) texts += qobject_cast<QCPItemText*>(plot->item(i)) ? 1 : 0;
    if (texts > 40) return false;
    std::vector<QRectF> placed;
    for (int i = 0; i < n; ++i) {
        auto* t = qobject_cast<QCPItemText*>(plot->item(i));
        if (!t || !t->clipToAxisRect() || !t->clipAxisRect() || t->rotation() != 0.0 || t->text().isEmpty()) continue;
        const bool hidByFit = t->property("_fitHid").toBool();
        if (!t->visible() && !hidByFit) continue;  // the view's own choice
        const QRectF room = QRectF(t->clipAxisRect()->rect()).adjusted(-2, -2, 2, 2);
        if (room.width() < 20 || room.height() < 10) continue;  // not laid out yet
        double full = t->property("_fitPt").toDouble();
        if (full <= 0) {
            full = fontSize(t->font());
            t->setProperty("_fitPt", full);
            t->setProperty("_fitPx", t->font().pointSizeF() <= 0);
        }
        const bool px = t->property("_fitPx").toBool();
        const double floorPt = std::max(px ? 9.0 : 7.0, 0.6 * full);  // 7 pt is about 9 px
        const double before = fontSize(t->font());
        const bool wasVisible = t->visible();
        QFont f = t->font();
        auto rectAt = [&](double pt) {
            setFontSize(f, pt, px);
            t->setFont(f);
            return QRectF(t->topLeft->pixelPosition(), t->bottomRight->pixelPosition()).normalized();
        };
        auto fits = [&](const QRectF& r) {
            if (!room.contains(r)) return false;
            for (const QRectF& o : placed)
                if (o.intersects(r.adjusted(1, 1, -1, -1))) return false;
            return true;
        };
        double pt = full;
        QRectF r = rectAt(pt);
        for (int step = 0; !fits(r) && pt > floorPt && step < 12; ++step) {
            pt = std::max(floorPt, pt - std::max(1.0, 0.08 * full));
            r = rectAt(pt);
        }
        const bool show = fits(r);
        // Changed only against what the last layout drew: a text that fits as made costs no replot.
        if (std::abs(pt - before) > 0.01 || show != wasVisible) changed = true;
        t->setVisible(show);
        t->setProperty("_fitHid", !show);
        if (show) placed.push_back(r);
    }
    return changed;
}

bool fitLegends(QCustomPlot* plot) {
    bool changed = false;
    for (QCPLayoutElement* e : plot->plotLayout()->elements(true)) {
        auto* legend = qobject_cast<QCPLegend*>(e);
        if (!legend || !legend->visible() || legend->itemCount() == 0) continue;
        // A legend inside the bars' rect may take most of its width; one in its own layout row
        // the row's.
        auto* inset = qobject_cast<QCPLayoutInset*>(legend->layout());
        // (A layout gives an element at least its minimum width, past the plot's edge if need be:
        // the room is what lies inside the plot.)
        const double room = inset ? 0.95 * inset->rect().width()
                                  : std::min(legend->outerRect().width(),
                                             plot->viewport().right() - legend->outerRect().left() - 4);
        if (room < 40) continue;  // not laid out yet
        // Fitted for this room already, and the view has not reset the legend since (its font,
        // columns or items): nothing to redo on a replot that keeps the size.
        if (std::abs(room - legend->property("_fitRoom").toDouble()) < 0.5 &&
            std::abs(fontSize(legend->font()) - legend->property("_fitShownPt").toDouble()) < 0.01 &&
            legend->wrap() == legend->property("_fitShownWrap").toInt() &&
            legend->itemCount() == legend->property("_fitItems").toInt())
            continue;
        double full = legend->property("_fitPt").toDouble();
        if (full <= 0) {
            full = fontSize(legend->font());
            legend->setProperty("_fitPt", full);
            legend->setProperty("_fitPx", legend->font().pointSizeF() <= 0);
            legend->setProperty("_fitWrap", legend->wrap());
        }
        // Columns are dropped from a legend filled row by row (columns first, as the views fill
        // theirs); 0 (no wrap) counts as all its items in one row.
        const bool byColumns = legend->fillOrder() == QCPLayoutGrid::foColumnsFirst;
        const int fullWrap = legend->property("_fitWrap").toInt();
        const bool px = legend->property("_fitPx").toBool();
        auto apply = [&](double pt, int wrap) {
            QFont f = legend->font();
            setFontSize(f, pt, px);
            legend->setFont(f);
            for (int i = 0; i < legend->itemCount(); ++i)  // cells: an empty one has no item
                if (QCPAbstractLegendItem* item = legend->item(i)) {
                    QFont fi = item->font();
                    setFontSize(fi, pt, px);
                    item->setFont(fi);
                }
            if (wrap != legend->wrap()) {
                legend->setWrap(wrap);
                legend->setFillOrder(legend->fillOrder(), true);  // re-flows the items
            }
        };
        const double was = fontSize(legend->font());
        const int wasWrap = legend->wrap();
        // Full size and columns when they fit; else smaller, down to 70%; then fewer columns.
        double pt = full;
        int wrap = fullWrap;
        apply(pt, wrap);
        for (int step = 0; legend->minimumOuterSizeHint().width() > room && step < 16; ++step) {
            if (pt > 0.7 * full + 0.01) pt = std::max(0.7 * full, pt - std::max(1.0, 0.1 * full));
            else if (byColumns && (wrap == 0 ? legend->itemCount() : wrap) > 1) wrap = (wrap == 0 ? legend->itemCount() : wrap) - 1;
            else break;
            apply(pt, wrap);
        }
        if (std::abs(pt - was) > 0.01 || wrap != wasWrap) changed = true;
        legend->setProperty("_fitRoom", room);
        legend->setProperty("_fitShownPt", fontSize(legend->font()));
        legend->setProperty("_fitShownWrap", legend->wrap());
        legend->setProperty("_fitItems", legend->itemCount());
    }
    return changed;
}

void fitOnLayout(QCustomPlot* plot) {
    if (plot->property("_fitAxes").toBool()) return;
    plot->setProperty("_fitAxes", true);
    QObject::connect(plot, &QCustomPlot::afterLayout, plot, [plot] {
        bool changed = false;
        for (QCPAxisRect* r : plot->axisRects()) changed = fitAxes(r) || changed;
        changed = fitItemTexts(plot) || changed;
        changed = fitLegends(plot) || changed;
        for (QCPLayoutElement* e : plot->plotLayout()->elements(true))
            if (auto* scale = qobject_cast<QCPColorScale*>(e)) changed = fitColorScale(scale) || changed;
        if (changed) plot->replot(QCustomPlot::rpQueuedReplot);
    });
}

bool fitColorScale(QCPColorScale* scale) {
    QCPAxis* a = scale->axis();
    // The bar itself (its inner rect): a margin group adds the map's tick-label margins around it,
    // and its own title only widens it across, so the decision does not flip.
    const QRect bar = scale->rect();
    const bool vertical = a->orientation() == Qt::Vertical;
    const int length = vertical ? bar.height() : bar.width();
    if (length < 20) return false;  // not laid out yet
    bool changed = false;
    // A bar is narrow by nature: its title stays while it is no longer than the bar.
    const QString full = a->label().isEmpty() ? a->property("_fitLabel").toString() : a->label();
    if (!a->label().isEmpty()) a->setProperty("_fitLabel", a->label());
    const QFontMetricsF lm(a->labelFont());
    const QString want = lm.horizontalAdvance(full) <= length * 1.02 && length >= 4 * lm.height() ? full : QString();
    if (a->label() != want) {
        a->setLabel(want);
        changed = true;
    }
    const QFontMetricsF tm(a->tickLabelFont());
    const int n = std::clamp(int(length / ((vertical ? 2.2 : 6) * tm.height())), 2, 6);
    if (a->ticker() && a->ticker()->tickCount() != n) {
        a->ticker()->setTickCount(n);
        changed = true;
    }
    return changed;
}

bool fitAxes(QCPAxisRect* rect) {
    const QRect outer = rect->outerRect();
    if (outer.width() < 20 || outer.height() < 20) return false;  // not laid out yet
    bool changed = false;
    for (QCPAxis* a : rect->axes()) {
        const bool vertical = a->orientation() == Qt::Vertical;
        const int length = vertical ? outer.height() : outer.width();
        const int across = vertical ? outer.width() : outer.height();
        // Tick labels: full size with room for 6 lines along the axis, else 80%.
        const double fullPt = a->property("_fitTickPt").toDouble();
        if (fullPt > 0) {
            QFont f = a->tickLabelFont();
            QFont full = f;
            full.setPointSizeF(fullPt);
            const double fullH = QFontMetricsF(full).height();
            const double pt = length < 6 * fullH ? fullPt * 0.8 : fullPt;
            if (std::abs(f.pointSizeF() - pt) > 0.01) {
                f.setPointSizeF(pt);
                a->setTickLabelFont(f);
                changed = true;
            }
        }
        // The axis title costs a line across the plot: dropped when the plot is short (x axis)
        // or the axis itself is (y axis: a rotated title longer than the axis overlaps).
        const double labelH = QFontMetricsF(a->labelFont()).height();
        const QString full = a->label().isEmpty() ? a->property("_fitLabel").toString() : a->label();
        if (!a->label().isEmpty()) a->setProperty("_fitLabel", a->label());
        const double labelW = QFontMetricsF(a->labelFont()).horizontalAdvance(full);
        // A vertical title is centred on the inner rect, whose height its own presence does not
        // change (it widens the left margin): it must fit that height, not the outer one.
        const int drawnLength = vertical ? rect->rect().height() : length;
        const bool room = vertical ? length >= 5 * labelH && labelW <= drawnLength * 1.05 && across >= 8 * labelH
                                   : across >= 7 * labelH && labelW <= length;  // else it runs into the next pane's
        const QString want = room ? full : QString();
        if (a->label() != want) {
            a->setLabel(want);
            changed = true;
        }
        // About one tick per 2.2 lines (vertical) or per 8 characters (horizontal).
        const QFontMetricsF tm(a->tickLabelFont());
        const double per = vertical ? 2.2 * tm.height() : 8 * tm.averageCharWidth();
        const int n = std::clamp(int(length / per), 2, 10);
        if (a->ticker() && a->ticker()->tickCount() != n) {
            a->ticker()->setTickCount(n);
            changed = true;
        }
        changed = fitTextTicks(a) || changed;
    }
    return changed;
}

bool fitTextTicks(QCPAxis* a) {
    auto ticker = qSharedPointerDynamicCast<QCPAxisTickerText>(a->ticker());
    if (!ticker || a->tickLabelRotation() != 0.0 || !a->tickLabels()) return false;
    // The view's own labels, kept on the axis the first time this ticker is seen (a rebuild
    // sets a new ticker and so new labels).
    const auto id = qulonglong(quintptr(ticker.data()));
    if (a->property("_fitTicker").toULongLong() != id) {
        a->setProperty("_fitTicker", id);
        QVariantList keys, labels;
        for (auto it = ticker->ticks().cbegin(); it != ticker->ticks().cend(); ++it) {
            keys << it.key();
            labels << it.value();
        }
        a->setProperty("_fitTickKeys", keys);
        a->setProperty("_fitTickLabels", labels);
    }
    const QVariantList keys = a->property("_fitTickKeys").toList();
    const QVariantList labels = a->property("_fitTickLabels").toList();
    const bool vertical = a->orientation() == Qt::Vertical;
    const QFontMetricsF fm(a->tickLabelFont());
    // Labelled ticks in view, and the room a label needs against the gap to the next one.
    std::vector<int> shown;
    for (int i = 0; i < int(keys.size()); ++i)
        if (!labels[i].toString().isEmpty() && a->range().contains(keys[i].toDouble())) shown.push_back(i);
    if (shown.size() < 2) return false;
    double gap = 1e9;
    for (size_t j = 1; j < shown.size(); ++j)
        gap = std::min(gap, std::abs(a->coordToPixel(keys[shown[j]].toDouble()) - a->coordToPixel(keys[shown[j - 1]].toDouble())));
    auto need = [&](bool firstLines) {
        double w = 0;
        for (int i : shown) {
            const QStringList lines = labels[i].toString().split(QLatin1Char('\n'));
            if (vertical) w = std::max(w, (firstLines ? 1 : int(lines.size())) * fm.height());
            else
                for (const QString& l : firstLines ? lines.mid(0, 1) : lines) w = std::max(w, fm.horizontalAdvance(l) + fm.averageCharWidth());
        }
        return w;
    };
    // All of each label; else its first line ("pair 3" without "λ = 628"); else every k-th.
    bool firstLines = false;
    int every = 1;
    if (need(false) > gap) {
        firstLines = true;
        if (need(true) > gap) every = int(std::ceil(need(true) / std::max(gap, 1.0)));
    }
    QMap<double, QString> want;
    for (int i = 0; i < int(keys.size()); ++i) {
        const QString full = labels[i].toString();
        const auto at = std::find(shown.begin(), shown.end(), i);
        QString l = full;
        if (at != shown.end()) {
            if (firstLines) l = full.section(QLatin1Char('\n'), 0, 0);
            if ((at - shown.begin()) % every != 0) l.clear();
        }
        want.insert(keys[i].toDouble(), l);
    }
    if (want == ticker->ticks()) return false;
    ticker->setTicks(want);
    return true;
}

QCPTextElement* fittedText(QCustomPlot* plot, const QString& text, double pointSize, bool bold) {
    QFont f = fontFor(plot, pointSize, bold);
    const int room = plot->width() - 16;
    const double floorPt = fontFor(plot, 10).pointSizeF();
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (const QString& line : lines) {
        while (f.pointSizeF() > floorPt && QFontMetrics(f).horizontalAdvance(line) > room)
            f.setPointSizeF(f.pointSizeF() - 1);
    }
    // And short enough to leave the plot its data: the text takes at most a seventh of a short
    // plot's height (a pane of a 2x2 grid on a 720-pixel slide).
    const int tall = plot->height() / 7;
    while (plot->height() > 40 && f.pointSizeF() > floorPt && QFontMetrics(f).height() * int(lines.size()) > tall)
        f.setPointSizeF(f.pointSizeF() - 1);
    // A line still too wide at the floor (a narrow pane beside another) ends in "…" instead of
    // being cut at both edges.
    QStringList shown;
    const QFontMetrics fm(f);
    for (const QString& line : lines) shown << (room > 40 ? fm.elidedText(line, Qt::ElideRight, room) : line);
    return new QCPTextElement(plot, shown.join(QLatin1Char('\n')), f);
}

QCPTextElement* addTitle(QCustomPlot* plot, const QString& text, double pointSize) {
    plot->plotLayout()->insertRow(0);
    auto* title = fittedText(plot, text, pointSize, true);
    plot->plotLayout()->addElement(0, 0, title);
    return title;
}

}  // namespace lecture

// ---- plot data ----

int SamplingPlotData::column(int id) const {
    const auto it = std::find(ids.begin(), ids.end(), id);
    return it == ids.end() ? -1 : int(it - ids.begin());
}

int SamplingPlotData::stageIndex(const QString& name) const {
    for (size_t i = 0; i < stages.size(); ++i)
        if (stages[i].name == name) return int(i);
    return -1;
}

namespace {

QString stageSetting(const std::string& stage, const anatomy::SamplerSettings& s, bool active) {
    if (stage == "softmax") return QObject::tr("model, T = 1");
    if (stage == "final") return QObject::tr("drawn from");
    if (!active) return QObject::tr("off");
    if (stage == "penalty")
        return QObject::tr("×%1, last %2").arg(double(s.repetitionPenalty), 0, 'g', 3)
            .arg(s.repetitionWindow);
    if (stage == "temperature")
        return s.temperature == 0.0f ? QObject::tr("T = 0 (greedy)")
                                     : QStringLiteral("T = %1").arg(double(s.temperature), 0, 'g', 3);
    if (stage == "top-k") return QStringLiteral("k = %1").arg(s.topK);
    if (stage == "top-p") return QStringLiteral("p = %1").arg(double(s.topP), 0, 'f', 2);
    if (stage == "min-p") return QStringLiteral("min-p = %1").arg(double(s.minP), 0, 'f', 2);
    if (stage == "typical") return QStringLiteral("typical-p = %1").arg(double(s.typicalP), 0, 'f', 2);
    return {};
}

int rowOf(const anatomy::Trace& t, const Selection& sel) {
    return sel.position < 0 ? t.nQ - 1 : std::min(sel.position, t.nQ - 1);
}

// Tokens of the context up to and including the trace row: what the repetition penalty sees.
std::vector<int> historyOf(const anatomy::Trace& t, int row) {
    const size_t end = std::min(t.tokens.size(), size_t(t.firstQueryPos + row + 1));
    return {t.tokens.begin(), t.tokens.begin() + std::ptrdiff_t(end)};
}

}  // namespace

SamplingPlotData samplingPlotData(const ViewInput& in, const Selection& sel, int nBars,
                                  int mustShow) {
    SamplingPlotData d;
    if (!in.trace || in.trace->nQ <= 0) {
        d.message = QObject::tr("No trace yet: run the model on some text.");
        return d;
    }
    const anatomy::Trace& t = *in.trace;
    d.row = rowOf(t, sel);
    d.position = t.firstQueryPos + d.row;
    if (size_t(d.position) < t.tokenText.size()) d.contextToken = visibleToken(t.tokenText[size_t(d.position)]);
    const std::vector<float> logits = t.logitsRow(d.row);
    if (logits.empty()) {
        d.message = !t.architecture.languageModel
                        ? QObject::tr("%1 is an encoder: it has no LM head, so no next-token distribution to sample "
                                      "(its output is the pooled embedding: see the Embedding view).")
                              .arg(QString::fromStdString(t.architecture.name))
                        : QStringLiteral("This trace kept no full logits (capture logits: all).");
        return d;
    }
    const std::vector<int> history = historyOf(t, d.row);
    anatomy::SamplingReport report;
    try {
        report = anatomy::Sampler::analyze(logits, history, in.sampler);
    } catch (const std::exception& e) {
        d.message = QString::fromStdString(e.what());
        return d;
    }
    if (report.stages.empty()) {
        d.message = QObject::tr("The sampler reported no stages.");
        return d;
    }

    // Columns: the model's own most probable tokens, in its order.
    const anatomy::StageReport& first = report.stages.front();
    const size_t n = std::min(first.ids.size(), size_t(std::max(nBars, 1)));
    d.ids.assign(first.ids.begin(), first.ids.begin() + std::ptrdiff_t(n));
    if (mustShow >= 0 && d.column(mustShow) < 0) d.ids.push_back(mustShow);
    for (int id : d.ids) d.labels << tokenLabel(in, id);

    const size_t vocab = logits.size();
    std::vector<float> previous;  // [vocab] probabilities the current stage received
    for (const anatomy::StageReport& r : report.stages) {
        std::vector<float> dense(vocab, 0.0f);  // [vocab]
        for (size_t i = 0; i < r.ids.size() && i < r.probs.size(); ++i)
            if (r.ids[i] >= 0 && size_t(r.ids[i]) < vocab) dense[size_t(r.ids[i])] = r.probs[i];
        if (previous.empty()) previous = dense;

        SamplingStageBars s;
        s.name = QString::fromStdString(r.stage);
        s.active = r.active;
        s.setting = stageSetting(r.stage, in.sampler, r.active);
        s.entropyBits = r.entropyBits;
        s.survivors = int(r.ids.size());
        s.cutoff = r.cutoff;
        for (int id : d.ids) {
            const double p = dense[size_t(id)];
            const double pin = previous[size_t(id)];
            s.prob.push_back(p);
            s.inputProb.push_back(pin);
            s.removed.push_back(pin > 0.0 && p == 0.0);
            s.shownMass += p;
        }
        d.stages.push_back(std::move(s));
        previous = std::move(dense);
    }
    d.greedyId = report.chosen;
    d.valid = true;
    return d;
}

QString countOf(int n, const QString& singular, const QString& plural) {
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? singular : plural);
}

QStringList stageButtonLines(const SamplingStageBars& s, bool compact) {
    if (!compact)
        return {s.name, s.setting, QObject::tr("%1 bits").arg(double(s.entropyBits), 0, 'f', 2),
                countOf(s.survivors, QObject::tr("token"), QObject::tr("tokens"))};
    QString name = s.name;
    if (name == QLatin1String("temperature")) name = QStringLiteral("temp.");
    QString setting = s.setting.section(QLatin1Char(','), 0, 0);  // "\u00D71.1, last 64" -> "\u00D71.1"
    if (s.name == QLatin1String("softmax")) setting = QStringLiteral("T=1");
    setting.remove(QStringLiteral(" (greedy)"));
    setting.replace(QStringLiteral(" = "), QStringLiteral("="));
    if (setting == QLatin1String("drawn from")) setting = QStringLiteral("drawn");
    return {name, setting, QStringLiteral("%1 b").arg(double(s.entropyBits), 0, 'f', 2),
            QStringLiteral("%1 tok").arg(s.survivors)};
}

namespace {

// The largest point size from top down to bottom (0.5 pt steps) at which every line fits room
// pixels; 0 when none does.
double fittingPointSize(const QStringList& lines, QFont f, double top, double bottom, int room) {
    for (double pt = top; pt >= bottom; pt -= 0.5) {
        f.setPointSizeF(pt);
        const QFontMetrics fm(f);
        int w = 0;
        for (const QString& l : lines) w = std::max(w, fm.horizontalAdvance(l));
        if (w <= room) return pt;
    }
    return 0.0;
}

constexpr double kFullMinPt = 10.0;
constexpr double kStageButtonPt = lecture::kNotePt + 1;
constexpr double kCompactMinPt = 8.0;

}  // namespace

StageButtonText fitStageButtonText(const SamplingStageBars& s, const QFont& base, int room) {
    const double top = base.pointSizeF() > 0 ? base.pointSizeF() : 12.0;
    for (const bool compact : {false, true}) {
        const QStringList lines = stageButtonLines(s, compact);
        const double bottom = std::min(top, compact ? kCompactMinPt : kFullMinPt);
        if (const double pt = fittingPointSize(lines, base, top, bottom, room); pt > 0)
            return {lines, pt, compact, false};
    }
    QFont f = base;
    f.setPointSizeF(kCompactMinPt);
    const QFontMetrics fm(f);
    QStringList lines;
    for (const QString& l : stageButtonLines(s, true)) lines << fm.elidedText(l, Qt::ElideRight, std::max(room, 1));
    return {lines, kCompactMinPt, true, true};
}

// ---- the widget ----

SamplingView::SamplingView(QWidget* parent) : TraceView(parent) {
    auto* layout = new QVBoxLayout(this);
    m_stageRow = new QHBoxLayout;
    m_stageGroup = new QButtonGroup(this);
    m_stageGroup->setExclusive(true);
    layout->addLayout(m_stageRow);

    m_plot = new QCustomPlot(this);
    m_plot->setMinimumHeight(200);  // the view fits a 1024x640 window
    layout->addWidget(m_plot, 1);

    auto* bottom = new QHBoxLayout;
    QFont big = font();
    big.setPointSizeF(lecture::kLabelPt);
    m_drawButton = new QPushButton(tr("Draw"), this);
    m_drawButton->setToolTip(tr("Sample one token with these settings and the seed; each press continues the seed's sequence"));
    m_draw100Button = new QPushButton(tr("Draw ×100"), this);
    m_draw100Button->setToolTip(tr("Sample 100 times and mark how often each token came up"));
    m_drawLabel = new QLabel(this);
    for (QWidget* w : {static_cast<QWidget*>(m_drawButton), static_cast<QWidget*>(m_draw100Button),
                       static_cast<QWidget*>(m_drawLabel)})
        w->setFont(big);
    bottom->addWidget(m_drawButton);
    bottom->addWidget(m_draw100Button);
    bottom->addWidget(m_drawLabel, 1);
    layout->addLayout(bottom);

    connect(m_drawButton, &QPushButton::clicked, this, [this] { draw(); });
    connect(m_draw100Button, &QPushButton::clicked, this, [this] {
        for (int i = 0; i < 100; ++i)
            if (draw() < 0) break;
    });
    connect(m_stageGroup, &QButtonGroup::idClicked, this, [this](int index) {
        if (index >= 0 && size_t(index) < m_data.stages.size()) showStage(m_data.stages[size_t(index)].name);
    });
    rebuild();
}

void SamplingView::setInput(const ViewInput& input) {
    const bool newTrace = input.trace != m_input.trace;
    const bool newSettings = input.sampler != m_input.sampler;  // the order included
    m_input = input;
    if (newTrace || newSettings) resetDraws();
    rebuild();
}

void SamplingView::setSelection(const Selection& sel) {
    const bool moved = sel.position != m_sel.position;
    m_sel = sel;
    if (moved) {
        resetDraws();
        rebuild();
    }
}

void SamplingView::resizeEvent(QResizeEvent* e) {
    TraceView::resizeEvent(e);
    fitStageButtons();
    refitLater();  // label rotation depends on the width
}

void SamplingView::refit() { replot(); }

void SamplingView::showStage(const QString& name) {
    m_stage = name;
    rebuildStageButtons();
    replot();
}

void SamplingView::resetDraws() {
    m_sampler.reset();
    m_drawn = -1;
    m_coin = 0.0f;
    m_drawCounts.clear();
    m_nDraws = 0;
}

int SamplingView::draw() {
    if (!m_data.valid || !m_input.trace) return -1;
    const anatomy::Trace& t = *m_input.trace;
    const std::vector<float> logits = t.logitsRow(m_data.row);
    const std::vector<int> history = historyOf(t, m_data.row);
    try {
        if (!m_sampler) m_sampler.emplace(m_input.sampler);
        anatomy::SamplingReport report;
        m_drawn = m_sampler->sample(logits, history, &report);
        m_coin = report.coin;
    } catch (const std::exception& e) {
        m_drawLabel->setText(QString::fromStdString(e.what()));
        return -1;
    }
    ++m_drawCounts[m_drawn];
    ++m_nDraws;
    if (m_data.column(m_drawn) < 0) rebuild();
    else replot();
    return m_drawn;
}

void SamplingView::rebuild() {
    m_data = samplingPlotData(m_input, m_sel, 20, m_drawn);
    rebuildStageButtons();
    replot();
}

void SamplingView::rebuildStageButtons() {
    const auto buttons = m_stageGroup->buttons();
    if (size_t(buttons.size()) != m_data.stages.size()) {
        for (QAbstractButton* b : buttons) {
            m_stageGroup->removeButton(b);
            delete b;
        }
        for (size_t i = 0; i < m_data.stages.size(); ++i) {
            auto* b = new QPushButton(this);
            b->setCheckable(true);
            QFont f = b->font();
            f.setPointSizeF(kStageButtonPt);
            b->setFont(f);
            b->setMinimumHeight(80);
            b->setMinimumWidth(40);
            b->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
            m_stageGroup->addButton(b, int(i));
            m_stageRow->addWidget(b, 1);
        }
    }
    const int shown = m_data.stageIndex(m_stage);
    for (size_t i = 0; i < m_data.stages.size(); ++i) {
        const SamplingStageBars& s = m_data.stages[i];
        auto* b = m_stageGroup->button(int(i));
        b->setToolTip(tr("Show the distribution after the %1 stage\n%2").arg(s.name, stageButtonLines(s, false).join(QLatin1Char('\n'))));
        b->setChecked(int(i) == shown);
        b->setStyleSheet(s.active ? QString() : QStringLiteral("color: #888;"));
    }
    m_drawButton->setEnabled(m_data.valid);
    m_draw100Button->setEnabled(m_data.valid);
    fitStageButtons();
}

void SamplingView::fitStageButtons() {
    const auto buttons = m_stageGroup->buttons();
    const int n = int(buttons.size());
    if (n == 0 || size_t(n) != m_data.stages.size()) return;
    // The buttons share the row equally (Ignored size policy, stretch 1): compute their width
    // from ours rather than from their geometry, which is stale until the layout runs.
    const QMargins m = layout()->contentsMargins();
    const int row = width() - m.left() - m.right();
    const int room = (row - m_stageRow->spacing() * (n - 1)) / n - 14;  // minus the button's padding
    // One style for the whole row: compact lines if any button needs them, and the size the
    // tightest button allows, so the row reads as one table.
    QFont base = m_stageGroup->button(0)->font();
    base.setPointSizeF(kStageButtonPt);
    bool compact = false;
    for (const SamplingStageBars& s : m_data.stages) compact = compact || fitStageButtonText(s, base, room).compact;
    double pt = kStageButtonPt;
    for (const SamplingStageBars& s : m_data.stages)
        pt = std::min(pt, fittingPointSize(stageButtonLines(s, compact), base, kStageButtonPt,
                                           compact ? kCompactMinPt : kFullMinPt, room));
    const bool elide = pt <= 0.0;
    if (elide) pt = kCompactMinPt;
    QFont f = base;
    f.setPointSizeF(pt);
    const QFontMetrics fm(f);
    for (int i = 0; i < n; ++i) {
        QStringList lines = stageButtonLines(m_data.stages[size_t(i)], compact);
        if (elide)
            for (QString& l : lines) l = fm.elidedText(l, Qt::ElideRight, std::max(room, 1));
        auto* b = m_stageGroup->button(i);
        b->setText(lines.join(QLatin1Char('\n')));
        if (b->font().pointSizeF() != pt) b->setFont(f);
    }
}

void SamplingView::replot() {
    m_plot->clearPlottables();
    m_plot->clearItems();
    // Drop the previous title rows (the main axis rect stays in the last row).
    while (m_plot->plotLayout()->rowCount() > 1) {
        m_plot->plotLayout()->removeAt(0);
        m_plot->plotLayout()->simplify();
    }
    QCPAxisRect* rect = m_plot->axisRect();
    lecture::styleAxisRect(rect);

    if (!m_data.valid) {
        lecture::addTitle(m_plot, m_data.message);
        m_drawLabel->setText(QString());
        m_plot->replot();
        return;
    }
    int idx = m_data.stageIndex(m_stage);
    if (idx < 0) idx = int(m_data.stages.size()) - 1;
    const SamplingStageBars& st = m_data.stages[size_t(idx)];
    const int n = int(m_data.ids.size());

    lecture::addTitle(
        m_plot, st.name == QLatin1String("final")
                    ? tr("Next token after “%1” (position %2): the distribution drawn from")
                          .arg(m_data.contextToken).arg(m_data.position)
                    : tr("Next token after “%1” (position %2): after %3 (%4)")
                          .arg(m_data.contextToken).arg(m_data.position).arg(st.name, st.setting));
    m_plot->plotLayout()->insertRow(1);
    auto* subtitle = lecture::fittedText(
        m_plot,
        tr("entropy %1 bits · %2 left · the %3 bars hold %4% of the mass")
            .arg(double(st.entropyBits), 0, 'f', 2)
            .arg(countOf(st.survivors, tr("candidate"), tr("candidates")))
            .arg(n)
            .arg(100.0 * st.shownMass, 0, 'f', 1),
        lecture::kLabelPt, false);
    m_plot->plotLayout()->addElement(1, 0, subtitle);

    QVector<double> x(n), kept(n), removed(n), ghost(n);
    double yMax = 0.0;
    for (int i = 0; i < n; ++i) {
        x[i] = i;
        kept[i] = st.prob[size_t(i)];
        removed[i] = st.removed[size_t(i)] ? st.inputProb[size_t(i)] : 0.0;
        ghost[i] = st.inputProb[size_t(i)];
        yMax = std::max({yMax, kept[i], ghost[i]});
    }
    const bool showInput = idx > 0 && st.active && st.name != QLatin1String("final");

    // Columns an earlier stage already cut: the model's own probability, greyed out.
    QVector<double> earlier(n);
    bool anyEarlier = false;
    for (int i = 0; i < n; ++i) {
        const bool gone = kept[i] == 0.0 && ghost[i] == 0.0 && idx > 0;
        earlier[i] = gone ? m_data.stages.front().prob[size_t(i)] : 0.0;
        anyEarlier = anyEarlier || (gone && earlier[i] > 0.0);
    }
    if (anyEarlier) {
        auto* earlierBars = new QCPBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        earlierBars->setName(tr("cut by an earlier stage"));
        earlierBars->setPen(QPen(QColor(190, 190, 190), 1));
        earlierBars->setBrush(QColor(225, 225, 225));
        earlierBars->setWidth(0.75);
        earlierBars->setData(x, earlier, true);
    }

    auto* removedBars = new QCPBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    removedBars->setName(tr("cut by this stage"));
    removedBars->setPen(QPen(QColor(200, 60, 60), 1.5));
    removedBars->setBrush(QBrush(QColor(220, 80, 80), Qt::BDiagPattern));
    removedBars->setWidth(0.75);
    removedBars->setData(x, removed, true);

    auto* keptBars = new QCPBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
    keptBars->setName(tr("probability after this stage"));
    keptBars->setPen(QPen(QColor(40, 80, 150), 1));
    keptBars->setBrush(QColor(70, 120, 200));
    keptBars->setWidth(0.75);
    keptBars->setData(x, kept, true);

    if (showInput) {
        auto* ghostBars = new QCPBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        ghostBars->setName(tr("before this stage"));
        ghostBars->setPen(QPen(QColor(60, 60, 60), 2, Qt::DashLine));
        ghostBars->setBrush(Qt::NoBrush);
        ghostBars->setWidth(0.75);
        ghostBars->setData(x, ghost, true);
    }
    if (!showInput || std::all_of(removed.begin(), removed.end(), [](double v) { return v == 0.0; }))
        removedBars->removeFromLegend();

    // The drawn token, highlighted, and how often each token came up.
    const int drawnCol = m_drawn >= 0 ? m_data.column(m_drawn) : -1;
    if (drawnCol >= 0) {
        auto* drawnBar = new QCPBars(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        drawnBar->setName(tr("drawn token"));
        drawnBar->setPen(QPen(QColor(200, 110, 0), 3));
        drawnBar->setBrush(QColor(255, 170, 40));
        drawnBar->setWidth(0.75);
        drawnBar->addData(drawnCol, kept[drawnCol]);
    }
    std::vector<double> shareOf(size_t(n), 0.0);  // [nBars] fraction of the draws
    if (m_nDraws > 1) {
        auto* share = new QCPGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
        share->setName(tr("share of %1 draws").arg(m_nDraws));
        share->setLineStyle(QCPGraph::lsNone);
        share->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(Qt::black, 2),
                                               QBrush(QColor(255, 200, 0)), 14));
        for (const auto& [id, count] : m_drawCounts) {
            const int c = m_data.column(id);
            if (c < 0) continue;
            const double f = double(count) / m_nDraws;
            share->addData(c, f);
            shareOf[size_t(c)] = f;
            yMax = std::max(yMax, f);
        }
    }

    // The stage's cut-off, on the scale of the probabilities it received.
    QCPItemText* cutoffLabel = nullptr;
    if (showInput && st.cutoff > 0.0f) {
        auto* line = new QCPItemStraightLine(m_plot);
        line->setPen(QPen(QColor(200, 40, 40), 2.5, Qt::DashLine));
        line->point1->setCoords(-1, st.cutoff);
        line->point2->setCoords(n, st.cutoff);
        auto* label = cutoffLabel = new QCPItemText(m_plot);
        label->position->setCoords(n - 0.5, st.cutoff);
        label->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
        label->setFont(lecture::fontFor(this, lecture::kLabelPt));
        label->setColor(QColor(200, 40, 40));
        label->setText(tr("%1 cut-off: p = %2").arg(st.name).arg(double(st.cutoff), 0, 'g', 3));
        yMax = std::max(yMax, double(st.cutoff));
    }

    // Axes: token labels under the bars, rotated when they would collide.
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    int widest = 0;
    QFont tickFont = rect->axis(QCPAxis::atBottom)->tickLabelFont();
    QFontMetrics fm(tickFont);
    for (int i = 0; i < n; ++i) {
        ticker->addTick(i, m_data.labels[i]);
        widest = std::max(widest, fm.horizontalAdvance(m_data.labels[i]));
    }
    QCPAxis* xa = rect->axis(QCPAxis::atBottom);
    QCPAxis* ya = rect->axis(QCPAxis::atLeft);
    xa->setTicker(ticker);
    xa->setSubTicks(false);
    xa->setTickLength(0, 4);
    const double slot = double(std::max(m_plot->width() - 160, 200)) / std::max(n, 1);
    const bool rotated = widest > slot * 0.9;
    xa->setTickLabelRotation(rotated ? -50 : 0);
    // Rotated labels may take at most a quarter of the plot's height, or the bars collapse to a
    // line (presentation mode's large font in a short view, long CJK labels): the tick font
    // shrinks first, and a short plot drops the axis title, which the labels already say.
    if (rotated) {
        const double allowed = 0.25 * m_plot->height();
        const double sin50 = 0.766, cos50 = 0.643;
        while (tickFont.pointSizeF() > 8.0) {
            const QFontMetrics m(tickFont);
            int w = 0;
            for (int i = 0; i < n; ++i) w = std::max(w, m.horizontalAdvance(m_data.labels[i]));
            if (w * sin50 + m.height() * cos50 <= allowed) break;
            tickFont.setPointSizeF(tickFont.pointSizeF() - 1.0);
        }
        xa->setTickLabelFont(tickFont);
    }
    xa->setRange(-0.6, n - 0.4);
    xa->grid()->setVisible(false);
    const bool shortPlot = m_plot->height() < 20 * QFontMetrics(lecture::fontFor(this, lecture::kLabelPt)).height();
    xa->setLabel(shortPlot ? QString() : tr("next token (top %1 under the model)").arg(std::min(n, 20)));
    ya->setLabel(tr("probability"));
    ya->setRange(0, std::max(yMax * 1.22, 0.05));

    // A short plot (a 720-line slide) leaves out a legend of the kept bars alone (the title says
    // what they are: it took a third of the plot's width) and sets a longer one smaller.
    m_plot->legend->setVisible(!shortPlot || m_plot->legend->itemCount() > 1);
    m_plot->legend->setFont(lecture::fontFor(this, shortPlot ? lecture::kNotePt - 2 : lecture::kNotePt));
    rect->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);

    // Probability labels over the bars that matter, most probable first; a label that would
    // overlap one already placed (or the legend) is left out: the tooltip-free plot stays readable.
    // The layout is updated first so data coordinates map to the pixels they will be drawn at.
    m_plot->plotLayout()->update(QCPLayoutElement::upPreparation);
    m_plot->plotLayout()->update(QCPLayoutElement::upMargins);
    m_plot->plotLayout()->update(QCPLayoutElement::upLayout);
    QFont note(font().family());
    note.setPointSizeF(lecture::kNotePt);
    const QFontMetrics noteFm(note);
    std::vector<int> order;
    for (int i = 0; i < n; ++i)
        if (kept[i] >= 0.005 || i == drawnCol) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        if ((a == drawnCol) != (b == drawnCol)) return a == drawnCol;
        return kept[a] > kept[b];
    });
    std::vector<QRectF> taken;
    if (m_plot->legend->visible()) taken.push_back(m_plot->legend->outerRect());
    if (cutoffLabel) {
        const QFontMetrics fm(cutoffLabel->font());
        const double right = xa->coordToPixel(n - 0.5), bottom = ya->coordToPixel(st.cutoff);
        const int w = fm.horizontalAdvance(cutoffLabel->text());
        taken.emplace_back(right - w, bottom - fm.height(), w, fm.height());
    }
    for (const int i : order) {
        const double top = std::max({kept[i], showInput ? ghost[i] : 0.0, shareOf[size_t(i)]});
        const QString text = i == drawnCol ? tr("drawn\n%1%").arg(100.0 * kept[i], 0, 'f', 1)
                                           : QStringLiteral("%1%").arg(100.0 * kept[i], 0, 'f', kept[i] < 0.1 ? 1 : 0);
        const QStringList lines = text.split(QLatin1Char('\n'));
        int w = 0;
        for (const QString& l : lines) w = std::max(w, noteFm.horizontalAdvance(l));
        const double cx = xa->coordToPixel(i), bottom = ya->coordToPixel(top) - 3;
        const QRectF box(cx - w / 2.0 - 2, bottom - noteFm.height() * lines.size(), w + 4,
                         noteFm.height() * lines.size());
        if (std::any_of(taken.begin(), taken.end(), [&](const QRectF& r) { return r.intersects(box); })) continue;
        taken.push_back(box);
        auto* t = new QCPItemText(m_plot);
        t->setClipToAxisRect(false);
        t->position->setCoords(i, top);
        t->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        t->setPadding(QMargins(0, 0, 0, 3));
        t->setFont(note);
        t->setText(text);
        if (i == drawnCol) t->setColor(QColor(200, 110, 0));
    }

    if (m_drawn >= 0) {
        m_drawLabel->setText(tr("Drew “%1” (coin %2) · draw %3 with seed %4")
                                 .arg(tokenLabel(m_input, m_drawn))
                                 .arg(double(m_coin), 0, 'f', 3)
                                 .arg(m_nDraws)
                                 .arg(qulonglong(m_input.sampler.seed)));
    } else {
        m_drawLabel->setText(tr("Greedy choice: “%1”").arg(tokenLabel(m_input, m_data.greedyId)));
    }
    m_plot->replot();
}

QString SamplingView::toCsv() const {
    QString csv = QStringLiteral(
        "stage,setting,active,entropy_bits,candidates,cutoff,rank,id,token,prob_in,prob_out,removed\n");
    for (const SamplingStageBars& s : m_data.stages) {
        for (size_t i = 0; i < m_data.ids.size(); ++i) {
            csv += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11,%12\n")
                       .arg(csvField(s.name), csvField(s.setting), s.active ? QStringLiteral("1") : QStringLiteral("0"))
                       .arg(double(s.entropyBits), 0, 'g', 6)
                       .arg(s.survivors)
                       .arg(double(s.cutoff), 0, 'g', 6)
                       .arg(i + 1)
                       .arg(m_data.ids[i])
                       .arg(csvField(m_data.labels[int(i)]))
                       .arg(s.inputProb[i], 0, 'g', 6)
                       .arg(s.prob[i], 0, 'g', 6)
                       .arg(s.removed[i] ? 1 : 0);
        }
    }
    return csv;
}

void SamplingView::changeEvent(QEvent* e) {
    TraceView::changeEvent(e);
    if (restyleOnFontChange(e)) refitLater();
}

}  // namespace anatomy::widgets
