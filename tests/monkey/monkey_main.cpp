// gui_monkey: random input for the real main window, offscreen, with a fixed seed.
//   gui_monkey [--events N] [--seed S] [--hang-seconds H] [--log]
// Prints the seed, the event count and the longest GUI-thread stall (a figure, never asserted).
// Fails (exit 1) on a hang (no return to the event loop for H seconds, default 30), when the
// background work never settles, or when the window no longer traces a good model afterwards;
// a crash fails it by itself. Settings and data go to a scratch folder, never the user's.
#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <cstdio>
#include <algorithm>
#include <map>
#include <cstdlib>
#include <string>
#include <vector>

#include "anatomy/thread_limit.h"
#include "gui_monkey.h"
#include "main_window.h"
#include "test_paths.h"

namespace {

// The application, timing each event it dispatches from the event loop (depth 0): the stall
// figure says how long the GUI thread was away, this says which receiver and event held it.
class MonkeyApplication : public QApplication {
public:
    using QApplication::QApplication;
    struct Dispatch {
        double ms = 0;
        QString what;
    };
    bool notify(QObject* receiver, QEvent* e) override {
        if (m_depth > 0 || !m_timing) return QApplication::notify(receiver, e);
        ++m_depth;
        QElapsedTimer t;
        t.start();
        const double cpu0 = anatomy::monkey::StallWatch::threadCpuMs();
        const int type = e->type();  // e may be gone after the dispatch
        const QString who = QString::fromLatin1(receiver->metaObject()->className()) + QLatin1Char(' ') +
                            receiver->objectName();
        const bool r = QApplication::notify(receiver, e);
        const double ms = t.nsecsElapsed() / 1e6;
        const double cpuMs = anatomy::monkey::StallWatch::threadCpuMs() - cpu0;
        --m_depth;
        if (ms > 50) {
            m_slow.push_back({ms, QStringLiteral("%1, event type %2 (GUI thread CPU %3 ms)")
                                      .arg(who.trimmed()).arg(type).arg(cpuMs, 0, 'f', 1)});
            std::sort(m_slow.begin(), m_slow.end(), [](const Dispatch& a, const Dispatch& b) { return a.ms > b.ms; });
            if (m_slow.size() > 8) m_slow.resize(8);
        }
        return r;
    }
    void setTiming(bool on) { m_timing = on; }
    const std::vector<Dispatch>& slowest() const { return m_slow; }

private:
    int m_depth = 0;
    bool m_timing = false;
    std::vector<Dispatch> m_slow;
};

QString loadAverage() {
    QFile f(QStringLiteral("/proc/loadavg"));
    return f.open(QIODevice::ReadOnly) ? QString::fromLatin1(f.readAll()).section(QLatin1Char(' '), 0, 2)
                                       : QStringLiteral("unknown");
}

struct Args {
    int events = 1500;
    uint64_t seed = 14;
    int hangSeconds = 30;
    bool log = false;
};

bool parse(int argc, char** argv, Args& a) {
    for (int i = 1; i < argc; ++i) {
        const std::string o = argv[i];
        const bool hasValue = i + 1 < argc;
        try {
            if (o == "--events" && hasValue) a.events = std::stoi(argv[++i]);
            else if (o == "--seed" && hasValue) a.seed = std::stoull(argv[++i]);
            else if (o == "--hang-seconds" && hasValue) a.hangSeconds = std::stoi(argv[++i]);
            else if (o == "--log") a.log = true;
            else return false;
        } catch (const std::exception&) {
            return false;
        }
    }
    return a.events >= 0 && a.hangSeconds > 0;
}

}  // namespace

int main(int argc, char** argv) {
    Args args;
    if (!parse(argc, argv, args)) {
        std::fprintf(stderr, "usage: gui_monkey [--events N] [--seed S] [--hang-seconds H] [--log]\n");
        return 2;
    }
    if (!std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 0);
    QTemporaryDir scratch;
    if (!scratch.isValid()) return std::fprintf(stderr, "gui_monkey: no scratch folder\n"), 1;
    // Layouts and presets the monkey saves stay in the scratch folder.
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, scratch.filePath(QStringLiteral("settings")));
    // Models the monkey trains (Train view, Start) and downloads land there too, never among the
    // user's: a trained post.bin in the real folder changes what the lessons open.
    setenv("XDG_DATA_HOME", scratch.filePath(QStringLiteral("data")).toLocal8Bit().constData(), 1);
    MonkeyApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("TransformerAnatomyMonkey"));
    QApplication::setApplicationName(QStringLiteral("gui_monkey"));
    anatomy::setBackgroundNice(anatomy::gui::kBackgroundComputeNice);  // as the app runs its jobs
    QApplication::setQuitOnLastWindowClosed(false);

    using namespace anatomy::monkey;
    const MonkeyFiles files =
        writeMonkeyFiles(scratch.path(), QString::fromStdString(sharedDir()), args.seed);
    if (files.goodModels.isEmpty()) {
        std::fprintf(stderr, "gui_monkey: stories260K not found under %s\n", sharedDir().c_str());
        return 1;
    }
    StallWatch watch(args.hangSeconds);
    anatomy::gui::MainWindow w;
    w.resize(1600, 1000);
    w.show();
    w.activateWindow();
    QApplication::setActiveWindow(&w);
    quint64 traces = 0;
    int loadFailures = 0, traceFailures = 0;
    QObject::connect(&w, &anatomy::gui::MainWindow::viewsUpdated, [&] { ++traces; });
    QObject::connect(&w.controller(), &anatomy::widgets::TraceController::loadFailed, [&](const QString& m) {
        ++loadFailures;
        if (args.log) std::fprintf(stderr, "  load failed: %s\n", qUtf8Printable(m));
    });
    QObject::connect(&w.controller(), &anatomy::widgets::TraceController::traceFailed, [&](const QString& m) {
        ++traceFailures;
        if (args.log) std::fprintf(stderr, "  trace failed: %s\n", qUtf8Printable(m));
    });
    QObject::connect(&w.controller(), &anatomy::widgets::TraceController::modelLoaded,
                     [&](const anatomy::widgets::ModelInfo& info) {
                         if (args.log) std::fprintf(stderr, "  loaded: %s\n", qUtf8Printable(info.summary()));
                     });
    w.start(files.goodModels[0].model, {}, files.goodModels[0].tokenizer);
    if (!w.controller().waitForIdle(120000)) return std::fprintf(stderr, "gui_monkey: the first trace never came\n"), 1;

    std::printf("gui monkey: seed %llu, %d events\n", static_cast<unsigned long long>(args.seed), args.events);
    std::fflush(stdout);
    watch.start();
    app.setTiming(true);
    GuiMonkey monkey(w, files, watch, args.seed, args.log);
    monkey.run(args.events);
    // Whatever the last events started must finish (the watch keeps measuring meanwhile).
    watch.setLabel(QStringLiteral("after the last event: waiting for the background work"));
    const bool settled = w.controller().waitForIdle(120000);
    watch.stopMeasuring();
    app.setTiming(false);

    const MonkeyCounts& c = monkey.counts();
    QStringList kinds;
    for (const auto& [k, n] : c.byKind) kinds << QStringLiteral("%1 %2").arg(k).arg(n);
    std::printf("events: %d (%s)\n", c.events, qUtf8Printable(kinds.join(QStringLiteral(", "))));
    std::printf("traces delivered %llu, load failures %d, trace failures %d, dialogs dismissed %d, "
                "error boxes closed %d, window reopened %d\n",
                static_cast<unsigned long long>(traces), loadFailures, traceFailures, c.dialogsDismissed,
                c.errorBoxesClosed, c.windowReopened);
    const Stall longest = watch.longest(), longestCpu = watch.longestCpu();
    std::printf("longest GUI-thread stall: %.1f ms wall clock, of it %.1f ms GUI-thread CPU (%s)\n", longest.ms,
                longest.cpuMs, qUtf8Printable(longest.during));
    std::printf("longest GUI-thread stall by CPU time: %.1f ms CPU in %.1f ms (%s)\n", longestCpu.cpuMs,
                longestCpu.ms, qUtf8Printable(longestCpu.during));
    std::printf("stalls over %.0f ms: %d by wall clock, %d by GUI-thread CPU; heartbeats %lld every %d ms; "
                "load average at the end %s\n",
                StallWatch::kReportMs, watch.countOver(StallWatch::kReportMs),
                watch.countOver(StallWatch::kReportMs, true), watch.beats(), StallWatch::kBeatMs,
                qUtf8Printable(loadAverage()));
    for (const Stall& s : watch.worst(5))
        std::printf("  %7.1f ms (CPU %6.1f ms)  %s\n", s.ms, s.cpuMs, qUtf8Printable(s.during));
    // Which kinds of event the CPU-heavy stalls followed ("event 12: F5 on" -> "F5").
    std::map<QString, int> heavyByKind;
    for (const Stall& s : watch.stalls())
        if (s.cpuMs > StallWatch::kReportMs) ++heavyByKind[s.during.section(QLatin1Char(' '), 2, 2)];
    QStringList heavy;
    for (const auto& [k, n] : heavyByKind) heavy << QStringLiteral("%1 %2").arg(k).arg(n);
    std::printf("stalls over %.0f ms of GUI-thread CPU by the event before them: %s\n", StallWatch::kReportMs,
                heavy.isEmpty() ? "none" : qUtf8Printable(heavy.join(QStringLiteral(", "))));
    // With --log, where each CPU-heavy stall lies on CLOCK_MONOTONIC, for a profile of just that
    // stall: perf record -k CLOCK_MONOTONIC ..., then perf report --time START,END.
    if (args.log)
        for (const Stall& s : watch.stalls())
            if (s.cpuMs > StallWatch::kReportMs / 2)
                std::printf("  stall %.6f,%.6f s (CLOCK_MONOTONIC): %.1f ms, CPU %.1f ms, %s\n",
                            (s.endNs - (s.ms + StallWatch::kBeatMs) * 1e6) / 1e9, s.endNs / 1e9, s.ms, s.cpuMs,
                            qUtf8Printable(s.during));
    for (const auto& d : app.slowest())
        std::printf("  slow dispatch %7.1f ms  %s\n", d.ms, qUtf8Printable(d.what));
    if (!settled) return std::fprintf(stderr, "gui_monkey: the background work did not settle in 120 s\n"), 1;

    // The window still works: a good model and a new prompt give a trace.
    const quint64 before = traces;
    w.controller().loadModel(files.goodModels[0].model, files.goodModels[0].tokenizer);
    w.controller().setPrompt(QStringLiteral("Once upon a time, the monkey stopped."));
    if (!w.controller().waitForIdle(120000) || traces == before || !w.controller().hasModel())
        return std::fprintf(stderr, "gui_monkey: after the events the window no longer traces stories260K\n"), 1;
    std::printf("after the events: stories260K traced again (%llu tokens)\n",
                static_cast<unsigned long long>(w.controller().tokens().size()));
    return 0;
}
