// anatomy: the desktop application. Besides the window it has three headless modes:
//   anatomy --screenshot FILE --view NAME [--model PATH] [--prompt TEXT] [--size WxH] [--set K=V ...]
//           [--session FILE] [--attention-mode probabilities|scores|log] [sampler options]
//       renders one view (or "all", or "window") to PNG/PDF/SVG and exits (QT_QPA_PLATFORM=offscreen);
//   anatomy --export-data FILE.csv --view NAME [the same options]
//       writes the view's data as CSV without a window;
//   anatomy --screenshot FILE --lesson LESSON --step N [--size WxH] [--language zh_CN]
//       a lesson's slide: the window in presentation mode (--view window: without) at that step;
//   anatomy --bench-latency
//       measures the time from a settings or prompt change to every visible view repainted
//       and prints p50/p95 as JSON.
#include "anatomy/nd_array.h"
#include "anatomy/session.h"
#include "anatomy/thread_limit.h"
#include <QApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QPlainTextEdit>
#include <QTextStream>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <time.h>
#include <vector>

#include "export/gui_args.h"
#include "main_window.h"
#include "panels/settings_panel.h"
#include "export/view_export.h"
#include "lessons/language.h"
#include "views/decoding_view.h"
#include "window_lessons.h"

namespace {

using anatomy::gui::MainWindow;
using namespace anatomy::widgets;

int fail(const QString& message) {
    std::fprintf(stderr, "anatomy: error: %s\n", qUtf8Printable(message));
    return 2;
}

int screenshotWindow(const GuiArgs& args, bool presentation) {
    const QSize size = args.size;
    const QSize least = MainWindow::kWindowMinimum;
    if (size.width() < least.width() || size.height() < least.height())
        return fail(QObject::tr("--size %1x%2 is smaller than the window's minimum %3x%4")
                        .arg(size.width()).arg(size.height()).arg(least.width()).arg(least.height()));
    MainWindow w;
    w.setAttribute(Qt::WA_DontShowOnScreen);
    w.resize(size);
    w.show();
    if (presentation) w.setPresentationMode(true);
    QString loadError;
    QObject::connect(&w.controller(), &TraceController::loadFailed, [&](const QString& m) { loadError = m; });
    w.start(args.model, args.prompt, args.tokenizer);
    if (!args.session.isEmpty())
        if (const QString err = w.openSession(args.session); !err.isEmpty()) return fail(err);
    if (args.sampler.any()) {
        anatomy::SamplerSettings s = w.settingsPanel()->settings();
        args.sampler.applyTo(s);
        w.settingsPanel()->setSettings(s);
    }
    if (!w.controller().waitForIdle(120000)) return fail(QObject::tr("timed out tracing with %1").arg(args.model));
    if (!loadError.isEmpty()) return fail(QObject::tr("cannot load %1: %2").arg(args.model, loadError));
    // A session's model is compared with its saved sha256 once read; the warning is in the picture.
    if (!args.session.isEmpty()) w.controller().waitForModelSha256(120000);
    if (args.session.isEmpty()) w.setSelection(args.selection);
    // Another layer than the first trace kept whole is traced on demand (large models).
    if (!w.controller().waitForIdle(120000)) return fail(QObject::tr("timed out tracing with %1").arg(args.model));
    if (args.attentionMode)
        if (auto* a = qobject_cast<AttentionView*>(w.view(QStringLiteral("attention")))) a->setMode(*args.attentionMode);
    if (const QString err = saveWidget(&w, size, args.screenshot); !err.isEmpty()) return fail(err);
    return 0;
}

// One slide of a lesson: the window (in presentation mode unless --view window) on the step's
// state, with the lesson's overlay.
int screenshotLesson(const GuiArgs& args) {
    const QSize size = args.size;
    const QSize least = MainWindow::kWindowMinimum;
    if (size.width() < least.width() || size.height() < least.height())
        return fail(QObject::tr("--size %1x%2 is smaller than the window's minimum %3x%4")
                        .arg(size.width()).arg(size.height()).arg(least.width()).arg(least.height()));
    MainWindow w;
    w.setAttribute(Qt::WA_DontShowOnScreen);
    w.resize(size);
    w.show();
    if (args.view != QLatin1String("window")) w.setPresentationMode(true);
    w.start(args.model, args.prompt, args.tokenizer);
    if (!w.controller().waitForIdle(120000)) return fail(QObject::tr("timed out loading the model"));
    if (const QString err = w.lessons()->openLesson(args.lesson, args.step); !err.isEmpty()) return fail(err);
    if (!w.lessons()->waitForStep(120000)) return fail(QObject::tr("timed out entering step %1").arg(args.step));
    // The decoding lab runs on its own controller: run it now and show every step of the tree.
    if (auto* d = qobject_cast<DecodingView*>(w.view(QStringLiteral("decoding"))); d && w.visibleViews().contains(d))
        if (auto* dc = w.findChild<DecodingController*>()) {
            d->runAll();
            dc->waitForIdle(120000);
            QCoreApplication::processEvents();
            d->revealAll();
        }
    if (w.view(QStringLiteral("kvcache")) && w.visibleViews().contains(w.view(QStringLiteral("kvcache")))) w.waitForKvCosts(60000);
    if (w.view(QStringLiteral("routing")) && w.visibleViews().contains(w.view(QStringLiteral("routing")))) w.waitForMoeCurve(60000);
    if (const QString err = saveWidget(&w, size, args.screenshot); !err.isEmpty()) return fail(err);
    return 0;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0.0;
    std::sort(v.begin(), v.end());
    const double idx = p * (v.size() - 1);
    const size_t lo = static_cast<size_t>(idx), hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (idx - lo);
}

// Waits until the window has handed a new trace to its views, then forces every visible view
// to paint now; returns false on timeout.
bool waitRepainted(MainWindow& w, quint64 before, int timeoutMs) {
    // Sleeps in the event loop as the app does (a polling loop would take a core from the
    // forward pass on a small machine); the guard's timeout event ends a wait that gets nothing.
    QTimer guard;
    guard.setSingleShot(true);
    guard.start(timeoutMs);
    while (w.deliveries() == before) {
        if (!guard.isActive()) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
    }
    QCoreApplication::processEvents();  // queued plot replots
    // The head grid's thumbnails arrive from the thread pool: the new picture is complete then.
    auto pending = [&] {
        const auto views = w.visibleViews();
        return std::any_of(views.begin(), views.end(), [](const TraceView* v) { return v->drawingPending(); });
    };
    while (pending()) {
        if (!guard.isActive()) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
    }
    for (TraceView* v : w.visibleViews()) v->repaint();
    return true;
}

// CPU milliseconds the calling (GUI) thread has run: its own work, without the waits for a core
// that a busy machine adds to wall time.
double threadCpuMs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

int benchLatency(int iterations, const QString& model, QSize size, const QString& prompt) {
    MainWindow w;
    w.resize(size);
    w.show();
    QString loadError;
    QObject::connect(&w.controller(), &TraceController::loadFailed, [&](const QString& m) { loadError = m; });
    w.start(model, defaultPrompt());
    if (!w.controller().waitForIdle(120000) || !loadError.isEmpty() || !w.controller().hasModel())
        return fail(QObject::tr("cannot load %1: %2").arg(model, loadError));

    // A text of about 256 tokens: story sentences repeated.
    const QString sentence = QStringLiteral(
        "Once upon a time, there was a little girl named Lily. She loved to play outside in the park "
        "with her friend Ben. One day, they found a big red ball under a tree. ");
    const auto tok = w.controller().tokenizer();
    // --prompt replaces it (it needs the word "Ben", which each round swaps for another name).
    QString text = prompt;
    if (!text.isEmpty() && !text.contains(QStringLiteral("Ben"))) text += QStringLiteral(" Ben");
    while (prompt.isEmpty() && static_cast<int>(tok->encode(text.toStdString(), true).size()) < 256) text += sentence;
    // Trim whole words until the text is 256 tokens or just under.
    while (prompt.isEmpty() && static_cast<int>(tok->encode(text.toStdString(), true).size()) > 256)
        text.truncate(std::max(0, static_cast<int>(text.lastIndexOf(QLatin1Char(' ')))));
    w.promptEditor()->setPlainText(text);
    w.controller().waitForIdle(60000);
    // The first perplexity read-out (4,096 tokens of the corpus) would share the cores with
    // the first rounds: on a 135M model it ran through all of them.
    if (!w.waitForReadouts(600000)) return fail(QObject::tr("the perplexity read-out did not finish"));
    const int nTokens = static_cast<int>(w.controller().tokens().size());

    std::vector<double> settingsMs, promptMs, traceMs, promptGuiCpuMs, prefillMs, overPrefill;
    // The anchor, in the same rounds: a plain prefill of the same tokens (no capture, logits of
    // the last position only), on this thread with every core, as anatomy-cli bench runs it.
    const std::shared_ptr<const anatomy::Model> loaded = w.controller().model();
    auto plainPrefillMs = [&] {
        const std::vector<int> ids = w.controller().tokens();
        anatomy::Session session(loaded);
        QElapsedTimer t;
        t.start();
        session.forward(ids);
        return t.nsecsElapsed() / 1e6;
    };
    QObject::connect(&w.controller(), &TraceController::traceTimed, [&](double ms) { traceMs.push_back(ms); });
    anatomy::SamplerSettings s = w.settingsPanel()->settings();
    QElapsedTimer clock;
    for (int i = 0; i < iterations + 3; ++i) {
        // A sampler setting, as a slider drag would change it.
        s.temperature = (i % 2) ? 0.8f : 1.2f;
        quint64 before = w.deliveries();
        clock.start();
        w.settingsPanel()->setSettings(s);
        if (!waitRepainted(w, before, 10000)) return fail(QObject::tr("no repaint after a settings change"));
        const double a = clock.nsecsElapsed() / 1e6;
        // The prompt: one word swapped, so the forward pass runs again over ~256 tokens.
        QString edited = text;
        edited.replace(edited.lastIndexOf(QStringLiteral("Ben")), 3, (i % 2) ? QStringLiteral("Tom") : QStringLiteral("Sam"));
        before = w.deliveries();
        clock.start();
        const double cpu0 = threadCpuMs();
        w.promptEditor()->setPlainText(edited);
        if (!waitRepainted(w, before, 10000)) return fail(QObject::tr("no repaint after a prompt change"));
        const double b = clock.nsecsElapsed() / 1e6;
        const double guiCpu = threadCpuMs() - cpu0;
        const double prefill = plainPrefillMs();
        if (i >= 3) {  // the first rounds warm caches and allocators
            settingsMs.push_back(a);
            promptMs.push_back(b);
            promptGuiCpuMs.push_back(guiCpu);
            prefillMs.push_back(prefill);
            overPrefill.push_back(b / prefill);
        }
    }
    QStringList visible;
    for (TraceView* v : w.visibleViews()) visible << QStringLiteral("\"%1\"").arg(v->viewName());

    // Switching to a tab after a new trace came while it was hidden: the view builds its plots
    // for that trace and paints them (GUI-thread CPU, medians over the rounds).
    QStringList switchRows;
    TraceView* home = w.view(QStringLiteral("attention"));
    const int switchRounds = std::max(3, iterations / 8);
    for (const QString& name : {QStringLiteral("steps"), QStringLiteral("sampling"), QStringLiteral("lens"),
                                QStringLiteral("norms"), QStringLiteral("rope"), QStringLiteral("positions"),
                                QStringLiteral("activations"), QStringLiteral("embedding"),
                                QStringLiteral("tokens"), QStringLiteral("diagram"), QStringLiteral("decoding")}) {
        TraceView* v = w.view(name);
        if (!v || !home || v == home) continue;
        std::vector<double> cpuMs, wallMs;
        for (int i = 0; i < switchRounds + 1; ++i) {
            w.showView(home);
            // Another name than the editor holds now, so every round traces anew.
            QString edited = text;
            edited.replace(edited.lastIndexOf(QStringLiteral("Ben")), 3, QStringLiteral("Tom"));
            if (edited == w.promptEditor()->toPlainText())
                edited.replace(edited.lastIndexOf(QStringLiteral("Tom")), 3, QStringLiteral("Sam"));
            const quint64 before = w.deliveries();
            w.promptEditor()->setPlainText(edited);
            if (!waitRepainted(w, before, 10000)) return fail(QObject::tr("no repaint after a prompt change"));
            clock.start();
            const double cpu0 = threadCpuMs();
            w.showView(v);
            QCoreApplication::processEvents();
            QCoreApplication::processEvents();  // queued refits and replots
            v->repaint();
            if (i > 0) {  // the first round builds the view's plots for the first time
                cpuMs.push_back(threadCpuMs() - cpu0);
                wallMs.push_back(clock.nsecsElapsed() / 1e6);
            }
        }
        switchRows << QStringLiteral("\"%1\": {\"cpu_p50\": %2, \"cpu_max\": %3, \"wall_p50\": %4}")
                          .arg(name)
                          .arg(percentile(cpuMs, 0.5), 0, 'f', 2)
                          .arg(percentile(cpuMs, 1.0), 0, 'f', 2)
                          .arg(percentile(wallMs, 0.5), 0, 'f', 2);
    }
    // F5 on a tab: presentation mode on and then off, each a new font and size for the view
    // shown (GUI-thread CPU of one toggle, its refits and replots included).
    QStringList presentRows;
    for (const QString& name : {QStringLiteral("attention"), QStringLiteral("steps"), QStringLiteral("norms")}) {
        TraceView* v = w.view(name);
        if (!v) continue;
        w.showView(v);
        QCoreApplication::processEvents();
        std::vector<double> cpuMs;
        for (int i = 0; i < 2 * switchRounds + 2; ++i) {
            const double cpu0 = threadCpuMs();
            w.setPresentationMode(i % 2 == 0);
            QCoreApplication::processEvents();
            QCoreApplication::processEvents();  // queued refits and replots
            v->repaint();
            if (i >= 2) cpuMs.push_back(threadCpuMs() - cpu0);  // the first on and off build caches
        }
        presentRows << QStringLiteral("\"%1\": {\"cpu_p50\": %2, \"cpu_max\": %3}")
                           .arg(name)
                           .arg(percentile(cpuMs, 0.5), 0, 'f', 2)
                           .arg(percentile(cpuMs, 1.0), 0, 'f', 2);
    }
    w.setPresentationMode(false);
    QTextStream out(stdout);
    out << QStringLiteral(
               "{\"model\": \"%1\", \"tokens\": %2, \"iterations\": %3, \"window\": \"%4x%5\", "
               "\"visible_views\": [%6], \"throttle_ms\": 15,\n"
               " \"settings_change_ms\": {\"p50\": %7, \"p95\": %8, \"max\": %9},\n"
               " \"prompt_change_ms\": {\"p50\": %10, \"p95\": %11, \"max\": %12},\n"
               " \"forward_trace_ms\": {\"p50\": %13, \"p95\": %14},\n"
               " \"plain_prefill_ms\": {\"p50\": %19}, \"prompt_change_over_prefill\": {\"p50\": %20, \"p95\": %21},\n"
               " \"prompt_change_gui_thread_cpu_ms\": {\"p50\": %15, \"p95\": %16},\n"
               " \"tab_switch_after_trace_ms\": {%17},\n"
               " \"presentation_toggle_ms\": {%18}}\n")
               .arg(QFileInfo(w.controller().modelInfo().modelPath).fileName())
               .arg(nTokens)
               .arg(iterations)
               .arg(size.width())
               .arg(size.height())
               .arg(visible.join(QStringLiteral(", ")))
               .arg(percentile(settingsMs, 0.5), 0, 'f', 2)
               .arg(percentile(settingsMs, 0.95), 0, 'f', 2)
               .arg(percentile(settingsMs, 1.0), 0, 'f', 2)
               .arg(percentile(promptMs, 0.5), 0, 'f', 2)
               .arg(percentile(promptMs, 0.95), 0, 'f', 2)
               .arg(percentile(promptMs, 1.0), 0, 'f', 2)
               .arg(percentile(traceMs, 0.5), 0, 'f', 2)
               .arg(percentile(traceMs, 0.95), 0, 'f', 2)
               .arg(percentile(promptGuiCpuMs, 0.5), 0, 'f', 2)
               .arg(percentile(promptGuiCpuMs, 0.95), 0, 'f', 2)
               .arg(switchRows.join(QStringLiteral(",\n   ")))
               .arg(presentRows.join(QStringLiteral(", ")))
               .arg(percentile(prefillMs, 0.5), 0, 'f', 2)
               .arg(percentile(overPrefill, 0.5), 0, 'f', 2)
               .arg(percentile(overPrefill, 0.95), 0, 'f', 2);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    anatomy::keepLargeBuffersForReuse();  // every setting change builds a trace of many MB
    // QGuiApplication would take --session for X11 session management: take it out first.
    std::vector<std::string> raw(argv, argv + argc);
    std::string sessionError;
    const std::optional<std::string> session = takeSessionArgument(raw, &sessionError);
    std::vector<char*> rest;
    for (std::string& a : raw) rest.push_back(a.data());
    rest.push_back(nullptr);
    int restCount = static_cast<int>(raw.size());
    QApplication app(restCount, rest.data());
    QApplication::setOrganizationName(QStringLiteral("TransformerAnatomy"));
    QApplication::setApplicationName(QStringLiteral("anatomy"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    anatomy::setBackgroundNice(anatomy::gui::kBackgroundComputeNice);  // before any job thread starts

    if (!sessionError.empty()) return fail(QString::fromStdString(sessionError));
    GuiArgs args = parseGuiArgs(QApplication::arguments(), qEnvironmentVariable("ANATOMY_SIM_SET"));
    if (!args.error.isEmpty()) return fail(args.error);
    if (session) args.session = QString::fromStdString(*session);
    if (args.help) {
        std::fputs(qUtf8Printable(args.helpText), stdout);
        return 0;
    }
    if (!args.lesson.isEmpty() && !args.session.isEmpty())
        return fail(QStringLiteral("--lesson and --session cannot be combined (a lesson step sets the whole state)"));
    // The interface's language: --language, else View > Language's choice, else the locale.
    installTranslation(chooseLanguage(args.language));
    if (args.version) {
        std::printf("anatomy %s\n", qUtf8Printable(QApplication::applicationVersion()));
        return 0;
    }
    // The window and the screenshot path both read ANATOMY_SIM_SET when they start tracing, so
    // the environment's and --set's assignments (checked, in order) travel through it.
    if (!args.simAssignments.isEmpty())
        qputenv("ANATOMY_SIM_SET", args.simAssignments.join(QLatin1Char(';')).toUtf8());

    if (!args.screenshot.isEmpty() || !args.exportData.isEmpty() || args.benchLatency) {
        // A path or a manifest name, resolved by the engine when the model is opened (empty:
        // the default model); a missing one ends in "cannot load ...".
        const QString model = args.model;
        if (args.benchLatency) return benchLatency(args.iterations, model, args.sizeGiven ? args.size : QSize(1600, 1000), args.prompt);
        const bool window = args.view == QLatin1String("window") || args.view == QLatin1String("presentation");
        if (window && !args.exportData.isEmpty())
            return fail(QObject::tr("--export-data needs one view (the window has no data of its own)"));
        if (!args.lesson.isEmpty()) {
            if (!args.exportData.isEmpty()) return fail(QObject::tr("--export-data cannot export a lesson slide"));
            return screenshotLesson(args);
        }
        if (window) return screenshotWindow(args, args.view == QLatin1String("presentation"));
        ScreenshotRequest req;
        req.file = args.exportData.isEmpty() ? args.screenshot : args.exportData;
        req.dataOnly = !args.exportData.isEmpty();
        req.generate = args.generate;
        req.sessionPath = args.session;
        req.sampler = args.sampler;
        req.attentionModeGiven = args.attentionMode.has_value();
        req.view = args.view;
        req.modelPath = model;
        req.tokenizerPath = args.tokenizer;
        req.prompt = args.prompt;
        req.size = args.size;
        req.selection = args.selection;
        req.attentionMode = args.attentionMode.value_or(AttentionMode::Probabilities);
        if (const QString err = renderScreenshot(req); !err.isEmpty()) return fail(err);
        return 0;
    }

    MainWindow w;
    w.restoreLayout();
    w.show();
    w.start(args.model, args.prompt, args.tokenizer);
    if (!args.session.isEmpty()) {
        if (const QString err = w.openSession(args.session); !err.isEmpty())
            std::fprintf(stderr, "anatomy: error: %s\n", qUtf8Printable(err));
    } else if (!args.lesson.isEmpty()) {
        if (const QString err = w.lessons()->openLesson(args.lesson, args.step); !err.isEmpty())
            std::fprintf(stderr, "anatomy: error: %s\n", qUtf8Printable(err));
    } else {
        w.setSelection(args.selection);
    }
    if (args.attentionMode)
        if (auto* a = qobject_cast<AttentionView*>(w.view(QStringLiteral("attention")))) a->setMode(*args.attentionMode);
    return app.exec();
}
