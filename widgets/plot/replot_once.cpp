#include "plot/replot_once.h"

#include <QEvent>

namespace anatomy::widgets {

namespace {

// Takes a shown plot's resize event from QCustomPlot::resizeEvent (which would replot now).
class ResizeReplotFilter : public QObject {
public:
    using QObject::QObject;
    bool eventFilter(QObject* watched, QEvent* e) override {
        if (e->type() != QEvent::Resize) return false;
        auto* plot = qobject_cast<QCustomPlot*>(watched);
        if (!plot || !plot->isVisible()) return false;
        plot->setViewport(plot->rect());  // what QCustomPlot::resizeEvent does before replotting
        plot->replot(QCustomPlot::rpQueuedReplot);
        return true;
    }
};

}  // namespace

void replotOnResizeOncePerTurn(QCustomPlot* plot) {
    if (plot->property("_replotOnResizeOncePerTurn").toBool()) return;
    plot->setProperty("_replotOnResizeOncePerTurn", true);
    plot->installEventFilter(new ResizeReplotFilter(plot));
}

}  // namespace anatomy::widgets
