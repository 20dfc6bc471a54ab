#include "export/view_export.h"

#include <QAbstractButton>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QLayout>
#include <QLabel>
#include <QFormLayout>
#include <QLineEdit>
#include <QScrollBar>
#ifdef ANATOMY_HAVE_SVG
#include <QSvgGenerator>
#endif
#include <QFile>
#include <QDir>
#include <QFileInfo>
#include <QMimeData>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QTextStream>
#include <memory>
#include "plot/qcustomplot_include.h"
#include "plot/replot_once.h"

#include "views/activation_view.h"
#include "views/attention_view.h"
#include "views/attention_steps_view.h"
#include "views/cross_attention_view.h"
#include "views/architecture_view.h"
#include "panels/knob_help.h"
#include "views/kv_cache_view.h"
#include "controller/train_controller.h"
#include "views/train_view.h"
#include "views/routing_view.h"
#include "views/logit_lens_view.h"
#include "views/norms_view.h"
#include "controller/perplexity_cost_channel.h"
#include "views/positions_view.h"
#include "views/rope_view.h"
#include "views/sampling_view.h"
#include "views/decoding_view.h"
#include "views/embedding_view.h"
#include "views/token_strip.h"
#include "controller/session_file.h"
#include "controller/trace_controller.h"
#include "controller/window_logic.h"

namespace anatomy::widgets {

namespace {
// The view registry: every view the app shows, in menu and tab order. A new view is one line
// here; the window, the screenshot path and the export dialogs read this table.
struct ViewEntry {
    const char* name;
    TraceView* (*make)(QWidget* parent);
};
template <class V>
TraceView* makeView(QWidget* parent) { return new V(parent); }
constexpr ViewEntry kViews[] = {
    {"attention", makeView<AttentionView>},
    {"steps", makeView<AttentionStepsView>},
    {"cross", makeView<CrossAttentionView>},
    {"diagram", makeView<ArchitectureView>},
    {"sampling", makeView<SamplingView>},
    {"decoding", makeView<DecodingView>},
    {"lens", makeView<LogitLensView>},
    {"norms", makeView<NormsView>},
    {"rope", makeView<RopeView>},
    {"positions", makeView<PositionsView>},
    {"activations", makeView<ActivationView>},
    {"routing", makeView<RoutingView>},
    {"kvcache", makeView<KvCacheView>},
    {"train", makeView<TrainView>},
    {"embedding", makeView<EmbeddingView>},
    {"tokens", makeView<TokenStrip>},
};
}  // namespace

QStringList viewNames() {
    QStringList names;
    for (const ViewEntry& e : kViews) names << QString::fromLatin1(e.name);
    return names;
}

TraceView* createView(const QString& name, QWidget* parent) {
    for (const ViewEntry& e : kViews)
        if (name == QLatin1String(e.name)) {
            TraceView* v = e.make(parent);
            // Every plot a view holds exists once it is made; on screen, a resize replots once a turn.
            for (QCustomPlot* p : v->findChildren<QCustomPlot*>()) replotOnResizeOncePerTurn(p);
            return v;
        }
    return nullptr;
}

namespace {

// A fresh copy of `like`, in the same display mode, showing input.
std::unique_ptr<TraceView> viewCopy(const TraceView& like, const ViewInput& input, const Selection& sel, QSize size) {
    std::unique_ptr<TraceView> copy(createView(like.viewName()));
    if (!copy) return copy;
    copy->setFont(like.font());
    if (auto* a = dynamic_cast<const AttentionView*>(&like))
        static_cast<AttentionView*>(copy.get())->setMode(a->mode());
    if (auto* t = dynamic_cast<const TokenStrip*>(&like))
        static_cast<TokenStrip*>(copy.get())->setColorMode(t->colorMode());
    copy->resize(size);
    copy->setInput(input);
    copy->setSelection(sel);
    if (auto* d = dynamic_cast<const DecodingView*>(&like)) static_cast<DecodingView*>(copy.get())->copyResultsFrom(*d);
    hideControlsForExport(copy.get());  // slide-clean: the picture, not the buttons
    return copy;
}

// Lays a hidden top-level widget out at size off screen for the lifetime of this object.
class OffscreenLayout {
public:
    OffscreenLayout(QWidget* widget, QSize size)
        : m_widget(widget), m_shown(widget->isWindow() && !widget->isVisible()) {
        if (m_shown) {
            widget->setAttribute(Qt::WA_DontShowOnScreen, true);
            widget->show();
        }
        widget->resize(size);
        // Layouts, resize events and QCustomPlot's queued replots run in the event loop.
        for (int i = 0; i < 3; ++i) QCoreApplication::processEvents();
        // Work the views run off the GUI thread is in the picture.
        if (auto* v = qobject_cast<TraceView*>(widget)) v->finishDrawing();
        for (TraceView* v : widget->findChildren<TraceView*>()) v->finishDrawing();
    }
    ~OffscreenLayout() {
        if (m_shown) m_widget->hide();
    }
    OffscreenLayout(const OffscreenLayout&) = delete;
    OffscreenLayout& operator=(const OffscreenLayout&) = delete;

private:
    QWidget* m_widget;
    bool m_shown;
};

// Paints `widget` (at `offset` in page coordinates, visible inside `clip`) and then its visible
// children bottom to top, each clipped to its parent, so scrolled content stays in its viewport.
void paintTree(QCPPainter& p, QWidget* widget, QPoint offset, QRect clip, bool isRoot) {
    clip &= QRect(offset, widget->size());
    if (clip.isEmpty()) return;
    if (auto* plot = qobject_cast<QCustomPlot*>(widget)) {
        p.save();
        p.setClipRect(clip);
        p.translate(offset);
        // Vectorized: no pixmap caches, and colour maps are upscaled so viewers do not blur them.
        p.setMode(QCPPainter::pmVectorized);
        plot->toPainter(&p, plot->width(), plot->height());
        p.restore();
        return;  // a plot's children (none in this app) are drawn by the plot itself
    }
    p.save();
    widget->render(&p, offset, QRegion(clip.translated(-offset)),
                   isRoot ? QWidget::DrawWindowBackground : QWidget::RenderFlags());
    p.restore();
    for (QObject* o : widget->children()) {
        auto* child = qobject_cast<QWidget*>(o);
        if (!child || child->isWindow() || child->isHidden()) continue;
        paintTree(p, child, offset + child->pos(), clip, false);
    }
}

}  // namespace

QImage renderWidget(QWidget* widget, QSize size) {
    const OffscreenLayout layout(widget, size);
    return widget->grab().toImage();
}

void hideControlsForExport(QWidget* view) {
    for (QWidget* w : view->findChildren<QWidget*>()) {
        const bool control = qobject_cast<QAbstractButton*>(w) || qobject_cast<QComboBox*>(w) ||
                             qobject_cast<QAbstractSpinBox*>(w) || qobject_cast<QAbstractSlider*>(w) ||
                             (qobject_cast<QLineEdit*>(w) && !qobject_cast<QAbstractSpinBox*>(w->parentWidget()));
        // Scroll bars belong to their areas; hiding them would not remove a control.
        if (!control || qobject_cast<QScrollBar*>(w)) continue;
        w->hide();
        // The control's caption goes with it: a form row's label, or the label laid out just
        // before it in a row ("Width W" [spin box]), else the slide shows captions of nothing.
        QWidget* parent = w->parentWidget();
        if (!parent) continue;
        for (QLayout* l : parent->findChildren<QLayout*>()) {
            if (auto* form = qobject_cast<QFormLayout*>(l)) {
                if (QWidget* label = form->labelForField(w)) label->hide();
                continue;
            }
            const int i = l->indexOf(w);
            if (i <= 0) continue;
            if (auto* label = qobject_cast<QLabel*>(l->itemAt(i - 1)->widget())) label->hide();
        }
    }
}

QImage renderViewCopy(const TraceView& like, const ViewInput& input, const Selection& sel, QSize size) {
    const std::unique_ptr<TraceView> copy = viewCopy(like, input, sel, size);
    return copy ? renderWidget(copy.get(), size) : QImage();
}

QString saveWidgetPdf(QWidget* widget, const QString& path) {
    const QSize size = widget->size();
    if (size.isEmpty()) return QObject::tr("nothing to save: the view has no size");
    QPdfWriter pdf(path);
    pdf.setCreator(QStringLiteral("Transformer Anatomy"));
    pdf.setResolution(96);  // one page unit per widget pixel
    pdf.setPageSize(QPageSize(QSizeF(size.width() * 72.0 / 96.0, size.height() * 72.0 / 96.0), QPageSize::Point));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    QCPPainter p;
    if (!p.begin(&pdf)) return QObject::tr("cannot write %1").arg(path);
    p.setRenderHint(QPainter::Antialiasing);
    paintTree(p, widget, QPoint(0, 0), QRect(QPoint(0, 0), size), true);
    p.end();
    return {};
}

QStringList imageSuffixes() {
    QStringList s{QStringLiteral("png"), QStringLiteral("jpg"), QStringLiteral("jpeg"), QStringLiteral("pdf")};
#ifdef ANATOMY_HAVE_SVG
    s << QStringLiteral("svg");
#endif
    return s;
}

QString saveWidgetSvg(QWidget* widget, const QString& path) {
#ifdef ANATOMY_HAVE_SVG
    const QSize size = widget->size();
    if (size.isEmpty()) return QObject::tr("nothing to save: the view has no size");
    QSvgGenerator svg;
    svg.setFileName(path);
    svg.setSize(size);
    svg.setViewBox(QRect(QPoint(0, 0), size));
    svg.setResolution(96);
    svg.setTitle(QStringLiteral("Transformer Anatomy"));
    QCPPainter p;
    if (!p.begin(&svg)) return QObject::tr("cannot write %1").arg(path);
    p.setRenderHint(QPainter::Antialiasing);
    paintTree(p, widget, QPoint(0, 0), QRect(QPoint(0, 0), size), true);
    p.end();
    return {};
#else
    Q_UNUSED(widget);
    return QObject::tr("cannot write %1: this build has no SVG support (install qt6-svg-dev)").arg(path);
#endif
}

QString saveWidget(QWidget* widget, QSize size, const QString& path) {
    const QString ext = QFileInfo(path).suffix().toLower();
    if (ext == QLatin1String("pdf")) {
        const OffscreenLayout layout(widget, size);
        return saveWidgetPdf(widget, path);
    }
    if (ext == QLatin1String("svg")) {
        const OffscreenLayout layout(widget, size);
        return saveWidgetSvg(widget, path);
    }
    return saveImage(renderWidget(widget, size), path);
}

QString saveViewCopy(const TraceView& like, const ViewInput& input, const Selection& sel, QSize size,
                     const QString& path) {
    const std::unique_ptr<TraceView> copy = viewCopy(like, input, sel, size);
    if (!copy) return QObject::tr("unknown view '%1'").arg(like.viewName());
    return saveWidget(copy.get(), size, path);
}

QString saveImage(const QImage& image, const QString& path) {
    if (image.isNull()) return QObject::tr("nothing to save: the view rendered no image");
    const QString ext = QFileInfo(path).suffix().toLower();
    if (ext == QLatin1String("pdf")) {
        QPdfWriter pdf(path);
        pdf.setResolution(96);
        pdf.setPageSize(QPageSize(QSizeF(image.width() * 72.0 / 96.0, image.height() * 72.0 / 96.0),
                                  QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        QPainter p;
        if (!p.begin(&pdf)) return QObject::tr("cannot write %1").arg(path);
        p.drawImage(QRect(0, 0, image.width(), image.height()), image);
        p.end();
        return {};
    }
    if (ext != QLatin1String("png") && ext != QLatin1String("jpg") && ext != QLatin1String("jpeg"))
        return QObject::tr("unsupported image type .%1 (use .%2)").arg(ext, imageSuffixes().join(QStringLiteral(", .")));
    if (!image.save(path)) return QObject::tr("cannot write %1").arg(path);
    return {};
}

QString saveCsv(const TraceView& view, const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        return QObject::tr("cannot write %1: %2").arg(path, f.errorString());
    QTextStream out(&f);
    out << view.toCsv();
    return {};
}

void copyToClipboard(const QImage& image, const QString& csv) {
    auto* mime = new QMimeData;
    mime->setImageData(image);
    mime->setText(csv);
    mime->setData(QStringLiteral("text/csv"), csv.toUtf8());
    QApplication::clipboard()->setMimeData(mime);
}

QString defaultPrompt() {
    return QStringLiteral("Once upon a time, there was a little girl named Lily.");
}

QSize parseSize(const QString& text) {
    static const QRegularExpression re(QStringLiteral("^\\s*(\\d{2,5})\\s*[xX×]\\s*(\\d{2,5})\\s*$"));
    const auto m = re.match(text);
    if (!m.hasMatch()) return {};
    const QSize s(m.captured(1).toInt(), m.captured(2).toInt());
    return s.width() <= 16384 && s.height() <= 16384 ? s : QSize();
}

namespace {
// The KV cache view's "Δ ppl" column, measured on the window the Architecture dock starts with
// (PerplexityWindow's defaults); after timeoutMs the picture says "computing…".
void measureKvCosts(TraceController& c, KvCacheView& v, int timeoutMs) {
    const std::map<QString, QStringList> rows = perplexityCostRows(v.entries());
    if (rows.empty()) return;
    PerplexityWindow w;
    w.textPath = defaultCorpusPath();
    PerplexityCostChannel channel(&c, kKvCostChannel);
    QObject::connect(&channel, &PerplexityCostChannel::pending, &v, &KvCacheView::setPerplexityCostsPending);
    QObject::connect(&channel, &PerplexityCostChannel::failed, &v, &KvCacheView::setPerplexityCostsFailed);
    QObject::connect(&channel, &PerplexityCostChannel::ready, &v,
                     [&v](const PerplexityCosts& r) { v.setPerplexityCosts(r.costs); });
    channel.request(w, rows);
    channel.wait(timeoutMs);
}

// The MoE routing view's perplexity against k for the screenshot's simulator settings, on the
// same default window; after timeoutMs the picture says "computing…".
void measureMoeCurve(TraceController& c, RoutingView& v, int timeoutMs) {
    const anatomy::MoeParams moe = c.simSettings().moe;
    const std::map<QString, QStringList> rows = moeCurveRows(moe);
    if (rows.empty()) return;  // MoE off: the view says how to turn it on
    PerplexityWindow w;
    w.textPath = defaultCorpusPath();
    PerplexityCostChannel channel(&c, kMoeCurveChannel);
    QObject::connect(&channel, &PerplexityCostChannel::pending, &v, &RoutingView::setMoeCurvePending);
    QObject::connect(&channel, &PerplexityCostChannel::failed, &v, &RoutingView::setMoeCurveFailed);
    QObject::connect(&channel, &PerplexityCostChannel::ready, &v,
                     [&v, moe](const PerplexityCosts& r) { v.setMoeCurve(moeCurveFromCosts(r, moe)); });
    channel.request(w, rows);
    channel.wait(timeoutMs);
}
}  // namespace

QString renderScreenshot(const ScreenshotRequest& req) {
    QStringList names;
    if (req.view == QLatin1String("all")) names = viewNames();
    else if (viewNames().contains(req.view)) names << req.view;
    else
        return QObject::tr("unknown view '%1' (known: %2, all)").arg(req.view, viewNames().join(QStringLiteral(", ")));
    const QString ext = QFileInfo(req.file).suffix().toLower();
    if (req.dataOnly) {
        if (req.file.isEmpty() || ext != QLatin1String("csv"))
            return QObject::tr("--export-data file must end in .csv: '%1'").arg(req.file);
    } else {
        if (!req.size.isValid() || req.size.width() < 64 || req.size.height() < 64 || req.size.width() > kMaxImageSide ||
            req.size.height() > kMaxImageSide)
            return QObject::tr("invalid size %1x%2 (64 to %3 px a side)").arg(req.size.width()).arg(req.size.height()).arg(kMaxImageSide);
        if (req.file.isEmpty() || !imageSuffixes().contains(ext))
            return QObject::tr("screenshot file must end in .%1: '%2'").arg(imageSuffixes().join(QStringLiteral(", .")), req.file);
    }

    // A session gives the model, prompt, tokens, knobs, sampler and selection.
    anatomy::gui::SessionState session;
    const bool hasSession = !req.sessionPath.isEmpty();
    QString modelPath = req.modelPath, tokenizerPath = req.tokenizerPath;
    if (hasSession) {
        if (QString err = anatomy::gui::readSessionFile(req.sessionPath, session); !err.isEmpty()) return err;
        QString locateError;
        modelPath = locateSessionModel(session.modelPath, &locateError);
        if (modelPath.isEmpty()) return locateError;
        tokenizerPath = session.tokenizerPath;
    }
    // The controller resolves and opens it as anatomy-cli does (empty: the default model).
    const QString modelName = modelPath.isEmpty() ? QStringLiteral("stories260K") : modelPath;

    TraceController controller;
    QString failure;
    QObject::connect(&controller, &TraceController::loadFailed, [&](const QString& m) { failure = m; });
    QObject::connect(&controller, &TraceController::traceFailed, [&](const QString& m) { failure = m; });
    // The session's knobs, then ANATOMY_SIM_SET="moe.experts=4;moe.k=1" (and --set) on top.
    anatomy::SimSettings sim = hasSession ? session.architecture : anatomy::SimSettings{};
    if (const QByteArray set = qgetenv("ANATOMY_SIM_SET"); !set.isEmpty()) {
        for (const QString& kv : QString::fromUtf8(set).split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
            try {
                anatomy::applySetting(sim, kv.trimmed().toStdString());
            } catch (const std::exception& e) {
                return QObject::tr("ANATOMY_SIM_SET: %1").arg(QString::fromUtf8(e.what()));
            }
        }
    }
    controller.setSimSettings(sim);
    anatomy::SamplerSettings sampler = hasSession ? session.sampler : controller.samplerSettings();
    req.sampler.applyTo(sampler);
    controller.setSamplerSettings(sampler);
    const QString prompt = hasSession ? session.prompt : req.prompt.isEmpty() ? defaultPrompt() : req.prompt;
    controller.setPrompt(prompt);
    // What these views draw, with the selected layer's maps whole (a large model's trace keeps
    // only that layer's).
    const Selection selection = hasSession ? session.selection : req.selection;
    controller.setCaptureSpec(captureSpecFor(names, selection.layer));
    controller.loadModel(modelPath, tokenizerPath);
    if (hasSession && !session.tokens.empty()) controller.setTokens(session.tokens, prompt);
    if (!controller.waitForIdle(req.timeoutMs)) return QObject::tr("timed out tracing with %1").arg(modelName);
    if (!failure.isEmpty()) return QObject::tr("cannot load %1: %2").arg(modelName, failure);
    if (req.generate > 0 && controller.hasModel()) {  // --generate N: the views after a Generate
        controller.generate(req.generate);
        if (!controller.waitForIdle(req.timeoutMs)) return QObject::tr("timed out generating with %1").arg(modelName);
        if (!failure.isEmpty()) return QObject::tr("cannot generate with %1: %2").arg(modelName, failure);
    }
    if (!controller.currentInput().trace) return QObject::tr("no trace produced for %1").arg(modelName);
    AttentionMode mode = req.attentionMode;
    if (hasSession && !req.attentionModeGiven) mode = attentionModeFromName(session.attentionMode).value_or(mode);

    for (const QString& name : names) {
        std::unique_ptr<TraceView> view(createView(name));
        view->setInput(controller.currentInput());
        view->setSelection(selection);
        if (auto* a = qobject_cast<AttentionView*>(view.get())) a->setMode(mode);
        if (auto* kv = qobject_cast<KvCacheView*>(view.get())) measureKvCosts(controller, *kv, 10000);
        if (auto* r = qobject_cast<RoutingView*>(view.get())) measureMoeCurve(controller, *r, 30000);
        // ANATOMY_TRAIN_CONFIG=F.json: the Train view trains that config first (into a temporary
        // folder), so the picture has curves.
        if (auto* t = qobject_cast<TrainView*>(view.get()); t && !qEnvironmentVariableIsEmpty("ANATOMY_TRAIN_CONFIG")) {
            const QString config = qEnvironmentVariable("ANATOMY_TRAIN_CONFIG");
            const QString out = QDir::temp().filePath(QStringLiteral("anatomy-screenshot-") +
                                                      QFileInfo(config).completeBaseName() + QStringLiteral(".gguf"));
            t->startConfig(config, false, out);
            t->controller()->waitForIdle(req.timeoutMs);
        }
        std::unique_ptr<DecodingController> decoding;
        if (auto* d = qobject_cast<DecodingView*>(view.get())) {  // every lab run to the end
            decoding = std::make_unique<DecodingController>();
            decoding->setSource(controller.model(), controller.tokenizer(), controller.simSettings());
            d->setController(decoding.get());
            d->runAll();
            decoding->waitForIdle(60000);
            d->revealAll();
            if (const QByteArray tab = qgetenv("ANATOMY_DECODING_TAB"); !tab.isEmpty())
                d->showTab(tab == "samples" ? DecodingView::Tab::Samples
                           : tab == "compare" ? DecodingView::Tab::Compare : DecodingView::Tab::Beam);
        }
        std::unique_ptr<EmbeddingController> embedding;
        if (auto* e = qobject_cast<EmbeddingView*>(view.get())) {  // the typed sentences, embedded
            embedding = std::make_unique<EmbeddingController>();
            embedding->setSource(controller.model(), controller.tokenizer());
            e->setController(embedding.get());
            embedding->waitForIdle(60000);
        }
        QString file = req.file;
        if (names.size() > 1) {
            const QFileInfo fi(req.file);
            file = fi.path() + QLatin1Char('/') + fi.completeBaseName() + QLatin1Char('-') + name +
                   QLatin1Char('.') + fi.suffix();
        }
        if (req.dataOnly) {
            if (const QString err = saveCsv(*view, file); !err.isEmpty()) return err;
            continue;
        }
        hideControlsForExport(view.get());
        if (const QString err = saveWidget(view.get(), req.size, file); !err.isEmpty()) return err;
    }
    return {};
}

}  // namespace anatomy::widgets
