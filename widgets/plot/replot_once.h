#pragma once
// A plot on screen replots once per turn of the event loop, after everything that turn changed:
// F5 changes the font, hides three bars and the docks, and each of these refits the views on
// screen; a view that rebuilt a pane and replotted it at once paid for every layout and paint
// buffer of that pane each time (QCustomPlot::replot lays out and draws every layer). Queued
// (rpQueuedReplot), the turn's calls for one plot become one replot in the next turn, so the
// rebuilding and the drawing no longer add up in one stall either. A plot not on screen (a
// view grabbed without being shown, an export copy) replots at once: nothing would come back to
// the event loop before its picture is read.
#include "plot/qcustomplot_include.h"

namespace anatomy::widgets {

inline void replotOncePerTurn(QCustomPlot* plot) {
    if (plot->isVisible()) plot->replot(QCustomPlot::rpQueuedReplot);
    else plot->replot();
}

// QCustomPlot replots in its resizeEvent (layout and every layer's buffer at once, only the
// paint is queued): leaving presentation mode restores the docks, the menu bar and the status
// bar, each resizing the plots on screen, and every plot drew itself once per resize, all in
// one stall. After this call a resize of the plot while it is on screen only moves its
// viewport and queues one replot for the turn (replotOncePerTurn); hidden, it replots as before.
void replotOnResizeOncePerTurn(QCustomPlot* plot);

}  // namespace anatomy::widgets
