#pragma once
// Base of every view: it draws one immutable engine Trace for the current Selection.
// Views never call the engine; the TraceController hands them traces and selections.
// Drawing is split into a pure function (trace, selection) -> plot data, testable without a
// screen, and the widget that paints that data.
#include <QEvent>
#include <QMetaObject>
#include <QString>
#include <QWidget>
#include <memory>

#include "anatomy/sampler.h"
#include "anatomy/sim_settings.h"
#include "anatomy/tokenizer.h"
#include "anatomy/trace.h"

namespace anatomy {
class Model;
}

namespace anatomy::widgets {

// What the user is looking at, shared by all views.
struct Selection {
    int position = -1;  // query position (index into Trace rows, 0..nQ-1); -1 = last
    int layer = 0;
    int head = 0;
    bool operator==(const Selection&) const = default;
};

// Everything a view may draw from. Immutable; shared between views.
struct ViewInput {
    std::shared_ptr<const anatomy::Trace> trace;
    std::shared_ptr<const anatomy::Tokenizer> tokenizer;  // for labels of ids not in the text
    anatomy::SamplerSettings sampler;                      // current sampling settings
    anatomy::SimSettings sim;                              // architecture simulator settings of the trace
    // The weights the trace ran on, for a view that draws a table of the model itself (the
    // positions view's learned position embeddings); read-only, may be null.
    std::shared_ptr<const anatomy::Model> model;
};

class TraceView : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;
    // Short stable name used by --screenshot --view NAME and in menus ("attention", ...).
    virtual QString viewName() const = 0;
    virtual QString title() const = 0;
    // Called with a new trace (or new settings); the view redraws. Old picture stays until then.
    virtual void setInput(const ViewInput& input) = 0;
    virtual void setSelection(const Selection& sel) = 0;
    // A new input and the selection to draw it for (the window's applyInput). A view whose
    // setInput and setSelection each rebuild everything overrides it to rebuild once.
    virtual void setInputAndSelection(const ViewInput& input, const Selection& sel) {
        setInput(input);
        setSelection(sel);
    }
    // The view's current data as CSV text (header line first).
    virtual QString toCsv() const = 0;
    // Drawing work a view runs off the GUI thread (the head grid's thumbnails) is still running;
    // finishDrawing() completes it now, on the calling thread. Exports and screenshots call it
    // so a picture never shows the previous trace's or blank cells.
    virtual bool drawingPending() const { return false; }
    virtual void finishDrawing() {}

protected:
    // True when a font change should restyle the view now. Presentation mode sets the window's
    // font, which reaches every view, shown or not; restyling the hidden ones too made F5 cost
    // half a second of GUI thread, so a hidden view restyles when it is next shown.
    bool restyleOnFontChange(const QEvent* e) {
        if (e->type() != QEvent::FontChange) return false;
        if (isVisible()) return true;
        m_fontChangePending = true;
        return false;
    }
    void showEvent(QShowEvent* e) override {
        QWidget::showEvent(e);
        if (!m_fontChangePending) return;
        m_fontChangePending = false;
        QEvent fontChange(QEvent::FontChange);
        changeEvent(&fontChange);
    }
    // What a view draws to fit its size and font (titles fitted to the width, tick steps, text
    // sizes) runs once per turn of the event loop, however many resizes and font changes that
    // turn brings: F5 changes the font, hides the menu bar, the status bar and the docks, and
    // each of these resizes the visible views; each used to replot every plot (half of F5's
    // GUI-thread time). A view calls refitLater() from resizeEvent and on a font change, and
    // does the work in refit(). A view not on screen (a grab of a widget never shown) refits at
    // once.
    void refitLater() {
        if (!isVisible()) {
            refit();
            return;
        }
        if (m_refitPending) return;
        m_refitPending = true;
        QMetaObject::invokeMethod(this, [this] {
            m_refitPending = false;
            refit();
        }, Qt::QueuedConnection);
    }
    virtual void refit() {}

Q_SIGNALS:
    // The user picked something inside the view (e.g. clicked a head in the small multiples).
    void selectionRequested(const anatomy::widgets::Selection& sel);

private:
    bool m_fontChangePending = false;
    bool m_refitPending = false;
};

}  // namespace anatomy::widgets
