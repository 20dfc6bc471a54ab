#pragma once
// The "look here" frame of a lesson step: a thick outline with a label drawn over a region of a
// view (fractions of its size) or over one of its child widgets. It follows the view's size and
// lets every mouse event through to the view below.
#include <QPointer>
#include <QRectF>
#include <QString>
#include <QWidget>

namespace anatomy::widgets {

class LessonHighlightFrame : public QWidget {
    Q_OBJECT
public:
    // Over target (which it covers and follows); element: a child's objectName, else rect.
    LessonHighlightFrame(QWidget* target, const QString& element, const QRectF& rect, const QString& label);
    // The outlined rectangle in the target's coordinates (empty when the element is not found).
    QRect outline() const;
    QString label() const { return m_label; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void paintEvent(QPaintEvent* e) override;

private:
    QPointer<QWidget> m_target;
    QString m_element;
    QRectF m_rect;
    QString m_label;
};

}  // namespace anatomy::widgets
