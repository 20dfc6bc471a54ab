#pragma once
// The main window's lessons: the player (widgets/lessons) on this window as its host, the
// Lessons dock, the overlay in presentation mode, the "look here" frame, File > Open lesson…,
// the shipped and the user's lessons, View > Language, and the step keys: while a lesson is
// open PageDown / space go to the next step and PageUp / Shift+space to the previous one (they
// take the keys before the window's own shortcuts; text fields keep space).
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <optional>

#include "lessons/lesson_highlight.h"
#include "lessons/lesson_player.h"

class QDockWidget;
class QMenu;

namespace anatomy::widgets {
class DecodingView;
class LessonOverlay;
class LessonPanel;
}  // namespace anatomy::widgets

namespace anatomy::gui {

class MainWindow;

class WindowLessons : public QObject, public widgets::LessonHost {
    Q_OBJECT
public:
    explicit WindowLessons(MainWindow& window);

    widgets::LessonPlayer& player() { return *m_player; }
    QDockWidget* dock() const { return m_dock; }
    widgets::LessonOverlay* overlay() const { return m_overlay; }
    widgets::LessonPanel* panel() const { return m_panel; }
    widgets::LessonHighlightFrame* highlight() const { return m_highlight; }
    // File > Open lesson…, the Lessons submenu, New lesson; View > Language.
    void addFileActions(QMenu* file);
    void addViewActions(QMenu* view);
    // Opens a lesson file at step number `step` (from 1); empty or a one-line error.
    QString openLesson(const QString& path, int step = 1);
    // View > Language: "en", "zh_CN" or empty (the system's), saved in the settings; the
    // interface switches at once (QEvent::LanguageChange -> retranslate()).
    void setInterfaceLanguage(const QString& code);
    // Spins the event loop until the step's state is on screen (headless slides, tests).
    bool waitForStep(int timeoutMs);

    // LessonHost
    widgets::LessonState captureLessonState() override;
    void applyLessonState(const widgets::LessonState& state) override;
    QWidget* lessonView(const QString& name) override;

    // The decoding lab's strategy as its controls hold it, and back (a lesson step's
    // decoding_settings).
    static widgets::LessonDecodingSettings decodingSettingsOf(const widgets::DecodingView& d);
    static void setDecodingSettings(widgets::DecodingView& d, const widgets::LessonDecodingSettings& s);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    enum class Stage { Idle, Pin, Final };
    widgets::LessonState capture(bool withTokens);
    void setKnobs(const QStringList& set);
    void setPrompt(const QString& prompt, const std::vector<int>& tokens);
    void poll();
    void showHighlight();
    void updateOverlay();
    void openDialog();
    // Menus, docks, tabs, buttons and labels from the language shown to currentLanguage().
    void retranslate();

    MainWindow& m_w;
    widgets::LessonPlayer* m_player = nullptr;
    widgets::LessonPanel* m_panel = nullptr;
    QDockWidget* m_dock = nullptr;
    widgets::LessonOverlay* m_overlay = nullptr;
    QPointer<widgets::LessonHighlightFrame> m_highlight;
    QPointer<widgets::LessonHighlightFrame> m_controlHighlight;
    widgets::LessonState m_pending;
    Stage m_stage = Stage::Idle;
    int m_idlePolls = 0;
    QTimer m_poll;
    QString m_shownLanguage;  // the language the window's texts are in now
    QTimer m_retranslate;     // coalesces the LanguageChange events of one switch
};

}  // namespace anatomy::gui
