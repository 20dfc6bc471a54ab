#pragma once
// The GUI monkey: random user input for the real MainWindow, one event after another on the
// GUI thread, with the event loop running between them (as between a person's keystrokes).
// Events: clicks anywhere (left, right, double), slider and free drags, the wheel, key presses
// (navigation, shortcuts, F5, text), typing and pasting into the prompt, Generate / Step / Stop
// / Reset, view switches and panes, combo boxes and spin boxes (absurd values too), window
// resizes, model switches (good and broken files), session files (good and broken), pauses.
// Dialogs that a shortcut opens (file dialogs, the preset name) are dismissed as a person
// would dismiss them; error boxes are closed once a few pile up. The seed fixes the sequence
// of choices; what the background threads deliver between two events depends on timing.
#include <QList>
#include <QPoint>
#include <QString>
#include <QTimer>
#include <cstdint>
#include <map>
#include <random>

#include "monkey_files.h"
#include "stall_watch.h"

class QWidget;

namespace anatomy::gui {
class MainWindow;
}

namespace anatomy::monkey {

struct MonkeyCounts {
    int events = 0;
    std::map<QString, int> byKind;  // "click", "drag", "wheel", ...
    int dialogsDismissed = 0;
    int errorBoxesClosed = 0;
    int windowReopened = 0;
};

class GuiMonkey {
public:
    GuiMonkey(gui::MainWindow& window, const MonkeyFiles& files, StallWatch& watch, uint64_t seed, bool log);
    // Runs n events, spinning the event loop between them; returns when all have run.
    void run(int n);
    const MonkeyCounts& counts() const { return m_counts; }

private:
    void step(int index);
    void dismissDialogs();  // modal dialogs and popups
    void keepUsable();      // those, piled-up error boxes; the window shown and in front
    QString click();
    QString drag();
    QString wheel();
    QString key();
    QString type();
    QString button();
    QString switchView();
    QString pickCombo();
    QString typeSpin();
    QString resize();
    QString presentation();
    QString switchModel(bool broken);
    QString openSession();
    QString pause();

    int below(int n) { return int(m_rng() % uint64_t(n > 0 ? n : 1)); }
    QPoint pointIn(const QWidget* w);
    template <class W>
    QList<W*> onScreen() const;
    // Processes events for about ms (the watch keeps beating inside).
    static void wait(int ms);

    gui::MainWindow& m_window;
    MonkeyFiles m_files;
    StallWatch& m_watch;
    std::mt19937_64 m_rng;
    bool m_log;
    MonkeyCounts m_counts;
    QTimer m_dismiss;  // dismissDialogs() while an event's dialog runs its own loop
};

}  // namespace anatomy::monkey
