#include "views/architecture_view.h"

#include <QEvent>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "views/sampling_view.h"  // csvField, lecture fonts

namespace anatomy::widgets {

namespace {

using Kind = DiagramBox::Kind;

const QColor kChanged(0xd9, 0x5f, 0x02);
const QColor kSelected(0x1b, 0x4f, 0x9c);
const QColor kInk(0x30, 0x30, 0x30);
// Query heads of one KV group share a colour (as the attention view's head grid does).
const QColor kGroupColors[] = {QColor(0x4c, 0x72, 0xb0), QColor(0xdd, 0x84, 0x52), QColor(0x55, 0xa8, 0x68),
                               QColor(0xc4, 0x4e, 0x52), QColor(0x81, 0x72, 0xb3), QColor(0x93, 0x78, 0x60),
                               QColor(0xda, 0x8b, 0xc3), QColor(0x8c, 0x8c, 0x8c)};

QColor fillOf(Kind k) {
    switch (k) {
        case Kind::Tokens:
        case Kind::Logits: return QColor(0xee, 0xee, 0xee);
        case Kind::Embedding:
        case Kind::Pooling:
        case Kind::Classifier: return QColor(0xdf, 0xf0, 0xd8);
        case Kind::Layer: return QColor(0xe8, 0xee, 0xf7);
        case Kind::FinalNorm:
        case Kind::Norm: return QColor(0xfb, 0xf0, 0xc8);
        case Kind::Attention: return QColor(0xfc, 0xe4, 0xd6);
        case Kind::Ffn: return QColor(0xd9, 0xea, 0xf7);
        case Kind::Add: return Qt::white;
        case Kind::Stream: return QColor(0xf1, 0xf1, 0xf1);
    }
    return Qt::white;
}

QString kindName(Kind k) {
    switch (k) {
        case Kind::Tokens: return QStringLiteral("tokens");
        case Kind::Embedding: return QStringLiteral("embedding");
        case Kind::Layer: return QStringLiteral("layer");
        case Kind::FinalNorm: return QStringLiteral("final_norm");
        case Kind::Classifier: return QStringLiteral("classifier");
        case Kind::Logits: return QStringLiteral("logits");
        case Kind::Pooling: return QStringLiteral("pooling");
        case Kind::Stream: return QStringLiteral("stream");
        case Kind::Norm: return QStringLiteral("norm");
        case Kind::Attention: return QStringLiteral("attention");
        case Kind::Ffn: return QStringLiteral("ffn");
        case Kind::Add: return QStringLiteral("add");
    }
    return {};
}

void drawArrow(QPainter& p, const QPolygonF& line, bool head) {
    if (line.size() < 2) return;
    p.drawPolyline(line);
    if (!head) return;
    const QPointF tip = line.back(), from = line[line.size() - 2];
    const double len = std::hypot(tip.x() - from.x(), tip.y() - from.y());
    if (len < 1) return;
    const QPointF u((tip.x() - from.x()) / len, (tip.y() - from.y()) / len), n(-u.y(), u.x());
    const double a = 9, w = 4.5;
    QPolygonF tri;
    tri << tip << tip - a * u + w * n << tip - a * u - w * n;
    p.save();
    p.setBrush(p.pen().color());
    p.drawPolygon(tri);
    p.restore();
}

// Title (bold) and lines in rect, at the largest size from maxPt down that fits; lines that do
// not fit even at the smallest size are left out.
void drawText(QPainter& p, const QWidget* w, const QRectF& rect, const QString& title, const QStringList& lines,
              double maxPt, Qt::Alignment align = Qt::AlignCenter) {
    const double minPt = 8;
    QFont f = lecture::fontFor(w, maxPt);
    const double scale = f.pointSizeF() / maxPt;
    QStringList all{title};
    all += lines;
    for (double pt = maxPt; pt >= minPt; pt -= 0.5) {
        f.setPointSizeF(pt * scale);
        QFont b = f;
        b.setBold(true);
        const QFontMetricsF fm(f), bm(b);
        double width = bm.horizontalAdvance(title);
        for (const QString& l : lines) width = std::max(width, fm.horizontalAdvance(l));
        const double height = bm.height() + fm.lineSpacing() * double(lines.size());
        if ((width <= rect.width() - 10 && height <= rect.height() - 4) || pt - 0.5 < minPt) break;
    }
    QFont b = f;
    b.setBold(true);
    const QFontMetricsF fm(f), bm(b);
    int shown = int(lines.size());
    while (shown > 0 && bm.height() + fm.lineSpacing() * shown > rect.height() - 4) --shown;
    const double total = bm.height() + fm.lineSpacing() * shown;
    double y = align.testFlag(Qt::AlignTop) ? rect.top() + 4 : rect.center().y() - total / 2;
    const QRectF inner = rect.adjusted(5, 0, -5, 0);
    p.setFont(b);
    p.drawText(QRectF(inner.left(), y, inner.width(), bm.height()), Qt::AlignHCenter | Qt::AlignVCenter,
               bm.elidedText(title, Qt::ElideRight, inner.width()));
    y += bm.height();
    p.setFont(f);
    for (int i = 0; i < shown; ++i) {
        p.drawText(QRectF(inner.left(), y, inner.width(), fm.lineSpacing()), Qt::AlignHCenter | Qt::AlignVCenter,
                   fm.elidedText(lines[i], Qt::ElideRight, inner.width()));
        y += fm.lineSpacing();
    }
}

// Squares in a row along the bottom of rect: n items in groups (the query heads of each KV head,
// or the experts); returns the height used.
double drawSquares(QPainter& p, const QWidget* w, const QRectF& rect, int n, int groups, const QString& caption,
                   double scale) {
    if (n <= 0 || groups <= 0 || n > 128) return 0;
    const int per = std::max(1, n / groups);
    const double gapGroup = 8, gapOne = 3;
    const double room = rect.width() - 20 - gapGroup * (groups - 1);
    const double s = std::clamp((room - gapOne * (n - groups)) / n, 4.0, 18.0 * scale);
    const double total = s * n + gapOne * (n - groups) + gapGroup * (groups - 1);
    const QFont f = lecture::fontFor(w, (lecture::kNotePt - 1) * scale);
    // The caption only where it fits whole, and only in a box tall enough for text above it.
    const bool withCaption = !caption.isEmpty() && rect.height() > 110 * scale &&
                             QFontMetricsF(f).horizontalAdvance(caption) <= rect.width() - 10;
    const double capH = withCaption ? QFontMetricsF(f).height() : 0;
    double x = rect.center().x() - total / 2;
    const double y = rect.bottom() - 6 - s - capH;
    for (int g = 0; g < groups; ++g) {
        for (int i = 0; i < per; ++i) {
            p.fillRect(QRectF(x, y, s, s), kGroupColors[g % 8]);
            x += s + (i + 1 < per ? gapOne : 0);
        }
        x += gapGroup;
    }
    if (withCaption) {
        p.setFont(f);
        p.setPen(kInk);
        p.drawText(QRectF(rect.left(), y + s, rect.width(), capH), Qt::AlignCenter, caption);
    }
    return s + capH + 8;
}

}  // namespace

ArchitectureView::ArchitectureView(QWidget* parent) : TraceView(parent) {
    setMinimumSize(480, 320);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void ArchitectureView::setInput(const ViewInput& input) {
    m_input = input;
    relayout();
}

void ArchitectureView::setSelection(const Selection& sel) {
    if (sel.layer == m_sel.layer) {
        m_sel = sel;
        return;
    }
    m_sel = sel;
    relayout();
}

double ArchitectureView::titleHeight() const {
    const double z = diagramTextScale(size());
    const QFontMetricsF t(lecture::fontFor(this, lecture::kPaneTitlePt * z, true)),
        k(lecture::fontFor(this, (lecture::kNotePt + 1) * z));
    return t.height() + k.height() + 8;
}

void ArchitectureView::relayout() {
    m_diagram = m_input.trace ? architectureDiagram(*m_input.trace, m_sel.layer, size(), titleHeight())
                              : ArchitectureDiagram{};
    update();
}

void ArchitectureView::resizeEvent(QResizeEvent* e) {
    TraceView::resizeEvent(e);
    refitLater();
}

void ArchitectureView::refit() { relayout(); }

void ArchitectureView::changeEvent(QEvent* e) {
    TraceView::changeEvent(e);
    if (restyleOnFontChange(e)) refitLater();
}

void ArchitectureView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), Qt::white);
    const ArchitectureDiagram& d = m_diagram;
    if (d.boxes.empty()) {
        p.setFont(lecture::fontFor(this, lecture::kLabelPt));
        p.setPen(kInk);
        p.drawText(rect(), Qt::AlignCenter, tr("No trace yet: run the model on some text."));
        return;
    }
    // Title and the knobs that changed the architecture.
    const QFont tf = lecture::fontFor(this, lecture::kPaneTitlePt * d.textScale, true),
                kf = lecture::fontFor(this, (lecture::kNotePt + 1) * d.textScale);
    const QFontMetricsF tm(tf), km(kf);
    p.setPen(kInk);
    p.setFont(tf);
    p.drawText(QRectF(10, 4, width() - 20, tm.height()), Qt::AlignLeft | Qt::AlignVCenter,
               tm.elidedText(d.title, Qt::ElideRight, width() - 20));
    p.setFont(kf);
    p.setPen(d.knobs.startsWith(tr("knobs")) ? kChanged : QColor(0x60, 0x60, 0x60));
    p.drawText(QRectF(10, 4 + tm.height(), width() - 20, km.height()), Qt::AlignLeft | Qt::AlignVCenter,
               km.elidedText(d.knobs, Qt::ElideRight, width() - 20));

    // The opened layer's frame, then connectors and arrows under the boxes.
    p.setPen(QPen(QColor(0xb8, 0xc4, 0xd6), 1.5));
    p.setBrush(QColor(0xf7, 0xf9, 0xfc));
    p.drawRoundedRect(d.detailFrame, 8, 8);
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(kSelected, 1.5, Qt::DashLine));
    for (const QPolygonF& l : d.lines) drawArrow(p, l, false);
    p.setPen(QPen(QColor(0x55, 0x55, 0x55), 2));
    for (const QPolygonF& a : d.arrows) drawArrow(p, a, true);
    p.setBrush(QColor(0x55, 0x55, 0x55));
    for (const QPointF& j : d.junctions) p.drawEllipse(j, 4, 4);
    p.setBrush(Qt::NoBrush);

    for (const DiagramBox& b : d.boxes) {
        QPen pen(QColor(0x80, 0x80, 0x80), 1.5);
        if (b.changed) pen = QPen(kChanged, 3);
        if (b.selected) pen = QPen(kSelected, 3.5);
        if (b.kind == Kind::Stream) {
            p.setPen(kInk);
            drawText(p, this, b.rect, b.title, {}, (lecture::kNotePt + 1) * d.textScale);
            continue;
        }
        p.setPen(pen);
        p.setBrush(fillOf(b.kind));
        if (b.kind == Kind::Add) {
            p.drawEllipse(b.rect);
            p.setPen(QPen(kInk, 2));
            const QPointF c = b.rect.center();
            const double r = b.rect.width() * 0.3;
            p.drawLine(QPointF(c.x() - r, c.y()), QPointF(c.x() + r, c.y()));
            p.drawLine(QPointF(c.x(), c.y() - r), QPointF(c.x(), c.y() + r));
            if (!b.lines.isEmpty()) {
                p.setFont(lecture::fontFor(this, lecture::kNotePt * d.textScale));
                p.setPen(b.changed ? kChanged : kInk);
                // Under the arrow coming into the add, right of a norm box on the stream below it.
                const QFontMetricsF fm(p.font());
                p.drawText(QRectF(b.rect.center().x() + 70 * d.textScale, b.rect.center().y() + 4,
                                  fm.horizontalAdvance(b.lines.front()) + 4, fm.height()),
                           Qt::AlignLeft | Qt::AlignTop, b.lines.front());
            }
            continue;
        }
        p.drawRoundedRect(b.rect, 6, 6);
        p.setBrush(Qt::NoBrush);
        p.setPen(kInk);
        QRectF textRect = b.rect;
        if (b.kind == Kind::Attention && b.queryHeads > 0) {
            const double used = drawSquares(p, this, b.rect, b.queryHeads, b.kvGroups,
                                            tr("query heads, coloured by the KV head they read"), d.textScale);
            textRect.setBottom(b.rect.bottom() - used);
        } else if (b.kind == Kind::Ffn && b.experts > 0) {
            const double used = drawSquares(p, this, b.rect, b.experts, b.experts, tr("experts"), d.textScale);
            textRect.setBottom(b.rect.bottom() - used);
        }
        p.setPen(kInk);
        const bool big = b.section != DiagramBox::Section::None;
        drawText(p, this, textRect, b.title, b.lines, (big ? lecture::kLabelPt : lecture::kNotePt + 1) * d.textScale,
                 big ? Qt::AlignTop : Qt::AlignCenter);
        // The "knob" tag where it covers no text (small boxes keep only the orange border).
        if (b.changed && b.rect.width() >= 220 && b.rect.height() >= 44) {
            const QFont f = lecture::fontFor(this, (lecture::kNotePt - 2) * d.textScale, true);
            const QString tag = tr("knob");
            const QFontMetricsF fm(f);
            const QRectF r(b.rect.right() - fm.horizontalAdvance(tag) - 10, b.rect.top() + 2,
                           fm.horizontalAdvance(tag) + 8, fm.height());
            p.fillRect(r, kChanged);
            p.setFont(f);
            p.setPen(Qt::white);
            p.drawText(r, Qt::AlignCenter, tag);
        }
    }
}

void ArchitectureView::mouseReleaseEvent(QMouseEvent* e) {
    const DiagramBox* b = m_diagram.boxAt(e->position());
    if (!b || e->button() != Qt::LeftButton) return TraceView::mouseReleaseEvent(e);
    if (b->kind == Kind::Layer) {
        Selection s = m_sel;
        s.layer = b->layer;
        Q_EMIT selectionRequested(s);
        return;
    }
    if (!b->view.isEmpty()) Q_EMIT viewRequested(b->view);
}

bool ArchitectureView::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {
        auto* h = static_cast<QHelpEvent*>(e);
        if (const DiagramBox* b = m_diagram.boxAt(h->pos())) {
            QString tip = QStringLiteral("<b>%1</b>").arg(b->title.toHtmlEscaped());
            for (const QString& l : b->lines) tip += QStringLiteral("<br>") + l.toHtmlEscaped();
            if (b->kind == Kind::Layer) tip += tr("<br><i>click: open this layer</i>");
            else if (!b->view.isEmpty()) tip += tr("<br><i>click: open the %1 view</i>").arg(b->view);
            QToolTip::showText(h->globalPos(), tip, this);
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return TraceView::event(e);
}

QString ArchitectureView::toCsv() const {
    QString csv = QStringLiteral("kind,section,layer,title,details,changed,view\n");
    for (const DiagramBox& b : m_diagram.boxes) {
        const QString section = b.section == DiagramBox::Section::Attention ? QStringLiteral("attention")
                                : b.section == DiagramBox::Section::Ffn     ? QStringLiteral("ffn")
                                                                            : QString();
        csv += QStringLiteral("%1,%2,%3,%4,%5,%6,%7\n")
                   .arg(kindName(b.kind), section)
                   .arg(b.layer)
                   .arg(csvField(b.title), csvField(b.lines.join(QStringLiteral("; "))))
                   .arg(b.changed ? 1 : 0)
                   .arg(b.view);
    }
    return csv;
}

}  // namespace anatomy::widgets
