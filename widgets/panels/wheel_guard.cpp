#include "panels/wheel_guard.h"

#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QChildEvent>
#include <QApplication>
#include <QComboBox>
#include <QEvent>
#include <QWheelEvent>
#include <QWidget>

namespace anatomy::widgets {

namespace {

bool isValueControl(const QObject* o) {
    return qobject_cast<const QAbstractSpinBox*>(o) || qobject_cast<const QAbstractSlider*>(o) ||
           qobject_cast<const QComboBox*>(o);
}

// One filter per root. Wheel events on an unfocused control are handed to its parent, which
// scrolls when it is (inside) a scroll area; new children are guarded as they arrive.
class WheelGuard : public QObject {
public:
    explicit WheelGuard(QWidget* root) : QObject(root) { guardTree(root); }

    bool eventFilter(QObject* watched, QEvent* e) override {
        if (e->type() == QEvent::ChildAdded) {
            if (auto* w = qobject_cast<QWidget*>(static_cast<QChildEvent*>(e)->child())) guardTree(w);
            return false;
        }
        if (e->type() != QEvent::Wheel || !isValueControl(watched)) return false;
        auto* control = static_cast<QWidget*>(watched);
        // A spin box's line edit may hold the focus for it.
        const QWidget* focus = QApplication::focusWidget();
        if (control->hasFocus() || (focus && control->isAncestorOf(focus))) return false;
        if (QWidget* parent = control->parentWidget()) {
            auto* w = static_cast<QWheelEvent*>(e);
            const QPointF at = control->mapTo(parent, w->position());
            QWheelEvent forwarded(at, w->globalPosition(), w->pixelDelta(), w->angleDelta(), w->buttons(),
                                  w->modifiers(), w->phase(), w->inverted(), w->source());
            QCoreApplication::sendEvent(parent, &forwarded);
        }
        return true;  // the control itself never sees it
    }

private:
    void guardTree(QWidget* w) {
        watch(w);
        for (QWidget* child : w->findChildren<QWidget*>()) watch(child);
    }
    void watch(QWidget* w) {
        w->removeEventFilter(this);  // at most once
        w->installEventFilter(this);
        if (isValueControl(w) && w->focusPolicy() == Qt::WheelFocus) w->setFocusPolicy(Qt::StrongFocus);
    }
};

}  // namespace

void ignoreWheelUnlessFocused(QWidget* root) {
    if (root) new WheelGuard(root);
}

}  // namespace anatomy::widgets
