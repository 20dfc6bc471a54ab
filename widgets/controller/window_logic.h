#pragma once
// The main window's decisions that do not need a window: which trace a view can draw, where a
// selection may go, what the status bar says about it, what the visible views need recorded,
// and where a session's model went. app/gui/main_window.cpp calls these; the widget tests test
// them without building the window.
#include <QString>
#include <QStringList>

#include "anatomy/trace.h"
#include "views/trace_view.h"

namespace anatomy::widgets {

// Whether a trace holds what the named view draws (the capture spec may have left it out).
bool traceServes(const anatomy::Trace& trace, const QString& viewName);
// The selection kept inside the trace: position < nQ (-1, "the last", stays -1), layer and head
// within the model's.
Selection clampSelection(const Selection& selection, const anatomy::Trace& trace);
// The selection moved by the arrow keys: dPos rows (from the last when following it), dLayer
// layers, dHead heads, clamped to the trace.
Selection moveSelection(const Selection& selection, const anatomy::Trace& trace, int dPos, int dLayer, int dHead);
// "position 5 “ time” · layer 2 · head 3 · 12 tokens"; empty without a trace.
QString selectionSummary(const ViewInput& input, const Selection& selection);
// What traces record for the views on screen (viewName()s): the logit lens and q/k cost a
// large model dearly, so only a visible lens or RoPE view asks for them. Attention maps and
// q/k are kept whole for every layer while they fit in kWholeAttentionBytes, else for the
// selected layer only (the others as summaries and thumbnails; trace.h: wholeLayers), so a
// 1B model's long prompt does not hold 22 layers of maps and another layer is traced on demand.
inline constexpr int64_t kWholeAttentionBytes = 1'000'000'000;
anatomy::CaptureSpec captureSpecFor(const QStringList& shownViews, int selectedLayer = 0);
// A session's model: the saved path when it exists, else the same file name on the model
// search path (moved folders); empty (and *error set) when neither exists.
QString locateSessionModel(const QString& savedPath, QString* error);

}  // namespace anatomy::widgets
