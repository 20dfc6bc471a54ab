#include "lessons/lesson_highlight.h"

#include <QEvent>
#include <QPainter>
#include <QPainterPath>

namespace anatomy::widgets {

LessonHighlightFrame::LessonHighlightFrame(QWidget* target, const QString& element, const QRectF& rect,
                                           const QString& label)
    : QWidget(target), m_target(target), m_element(element), m_rect(rect), m_label(label) {
    setObjectName(QStringLiteral("lessonHighlight"));
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    setFocusPolicy(Qt::NoFocus);
    target->installEventFilter(this);
    setGeometry(target->rect());
    raise();
    show();
}

QRect LessonHighlightFrame::outline() const {
    if (!m_target) return {};
    if (!m_element.isEmpty()) {
        auto* child = m_target->findChild<QWidget*>(m_element);
        if (!child || !child->isVisible()) return {};
        return QRect(child->mapTo(m_target, QPoint(0, 0)), child->size());
    }
    const QSize s = m_target->size();
    return QRectF(m_rect.x() * s.width(), m_rect.y() * s.height(), m_rect.width() * s.width(),
                  m_rect.height() * s.height())
        .toRect();
}

bool LessonHighlightFrame::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_target && (event->type() == QEvent::Resize || event->type() == QEvent::LayoutRequest)) {
        setGeometry(m_target->rect());
        raise();
    }
    return QWidget::eventFilter(watched, event);
}

void LessonHighlightFrame::paintEvent(QPaintEvent*) {
    const QRect r = outline().adjusted(3, 3, -3, -3);
    if (r.isEmpty()) return;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor accent(255, 140, 0);
    p.setPen(QPen(accent, 4));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(r, 8, 8);
    if (m_label.isEmpty()) return;
    // The label sits on the outline's top edge (inside when the outline touches the top).
    QFont f = font();
    f.setBold(true);
    p.setFont(f);
    const QFontMetrics fm(f);
    const QRect text = fm.boundingRect(QRect(0, 0, std::max(80, r.width() - 16), 1000), Qt::TextWordWrap, m_label);
    QRect box(r.left() + 8, r.top() - text.height() / 2 - 4, text.width() + 12, text.height() + 8);
    if (box.top() < 0) box.moveTop(r.top() + 6);
    p.setPen(Qt::NoPen);
    p.setBrush(accent);
    p.drawRoundedRect(box, 6, 6);
    p.setPen(Qt::white);
    p.drawText(box.adjusted(6, 4, -6, -4), Qt::TextWordWrap, m_label);
}

}  // namespace anatomy::widgets
