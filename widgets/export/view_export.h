#pragma once
// Views by name, their export (PNG or PDF at a chosen size, CSV, clipboard) and the headless
// screenshot path behind `anatomy --screenshot FILE --view NAME`. Exports draw a fresh copy of
// the view off screen at the requested size, so the docked original keeps its layout.
#include <QImage>
#include <QSize>
#include <QString>
#include <QStringList>

#include "export/gui_args.h"
#include "views/attention_view.h"
#include "views/trace_view.h"

namespace anatomy::widgets {

// Every view the app can show, in menu order: "attention", "sampling", "lens", "norms",
// "rope", "tokens".
QStringList viewNames();
// A new view by its viewName(), or nullptr for an unknown name.
TraceView* createView(const QString& name, QWidget* parent = nullptr);

// Lays the widget out off screen at size, lets queued replots run, and grabs it.
QImage renderWidget(QWidget* widget, QSize size);
// Hides the view's own controls (buttons, combo and spin boxes, sliders, line edits) so an
// exported image holds only the picture and its labels.
void hideControlsForExport(QWidget* view);
// A fresh copy of `like` (same kind and display mode) drawing input at size.
QImage renderViewCopy(const TraceView& like, const ViewInput& input, const Selection& sel, QSize size);

// Writes an image by extension: .png/.jpg raster, .pdf a page of the image's size holding the
// image. Returns an empty string or a one-line error.
QString saveImage(const QImage& image, const QString& path);
// Writes the widget, laid out at size, by extension: .png/.jpg a grab of size pixels; .pdf and
// .svg a vector page (text stays text, plot lines stay lines) of size at 96 dpi. Returns an empty
// string or a one-line error.
QString saveWidget(QWidget* widget, QSize size, const QString& path);
// The image types saveWidget writes: png, jpg, jpeg, pdf, and svg where built with Qt Svg.
QStringList imageSuffixes();
// The same vector drawing as saveWidgetPdf, as an SVG file (needs Qt Svg; else an error).
QString saveWidgetSvg(QWidget* widget, const QString& path);
// Draws the widget and its visible children onto the page as vectors. QWidget::render would
// paint a QCustomPlot from its pixmap buffers, so each plot draws itself with toPainter instead.
QString saveWidgetPdf(QWidget* widget, const QString& path);
// saveWidget on a fresh copy of `like` (same kind and display mode) drawing input.
QString saveViewCopy(const TraceView& like, const ViewInput& input, const Selection& sel, QSize size,
                     const QString& path);
QString saveCsv(const TraceView& view, const QString& path);
// Puts the image and the CSV (as text) on the clipboard.
void copyToClipboard(const QImage& image, const QString& csv);

// "Once upon a time, there was a little girl named Lily."
QString defaultPrompt();
// Parses "1600x1000"; an invalid size on failure.
QSize parseSize(const QString& text);

struct ScreenshotRequest {
    QString file;                // .png or .pdf; for view "all" the name gets a -<view> suffix
    QString view = QStringLiteral("attention");  // a viewNames() entry or "all"
    QString modelPath;           // empty: the default model
    QString tokenizerPath;       // empty: embedded or beside the model
    QString prompt;              // empty: defaultPrompt()
    QSize size{1400, 900};
    Selection selection{-1, 2, 3};
    AttentionMode attentionMode = AttentionMode::Probabilities;  // for the attention view
    bool attentionModeGiven = true;  // false: a session's mode wins
    QString sessionPath;         // a session file: its model, prompt, tokens, knobs and selection
    SamplerOverrides sampler;    // applied over the session's (or the defaults') sampler
    bool dataOnly = false;       // write the view's CSV (toCsv) to file instead of an image
    int generate = 0;            // > 0: Generate this many tokens (as the window's button) before the grab
    int timeoutMs = 120000;
};

// Loads the model (or the session), traces the prompt and renders the view to file, headless
// (works with QT_QPA_PLATFORM=offscreen; needs a QApplication); with dataOnly it writes the
// view's CSV instead. Images are slide-clean: the view's own controls (buttons, boxes) are left
// out. Returns an empty string or a one-line error.
QString renderScreenshot(const ScreenshotRequest& request);

}  // namespace anatomy::widgets
