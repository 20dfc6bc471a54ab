#pragma once
// Plays a lesson on a host (the main window): entering a step puts the host in the step's
// complete state; closing the lesson puts back the state the user had when it opened. Authoring
// edits the open lesson: add a step from the host's current state, edit, reorder, remove, save.
#include <QObject>
#include <QPointer>
#include <QString>
#include <optional>

#include "lessons/lesson.h"

class QWidget;

namespace anatomy::widgets {

// What the player needs of the window. applyLessonState may finish later (a model load, the
// traces of a pinned comparison); the host emits LessonPlayer::stateApplied through
// LessonPlayer::finishApply when it has.
class LessonHost {
public:
    virtual ~LessonHost() = default;
    // The state on screen now, as a step would restore it.
    virtual LessonState captureLessonState() = 0;
    // Puts the window in state (model: already chosen between preferModel and model).
    virtual void applyLessonState(const LessonState& state) = 0;
    // A view by name (for highlights), or nullptr.
    virtual QWidget* lessonView(const QString& name) = 0;
};

class LessonPlayer : public QObject {
    Q_OBJECT
public:
    explicit LessonPlayer(LessonHost* host, QObject* parent = nullptr);

    bool isOpen() const { return m_open; }
    const Lesson& lesson() const { return m_lesson; }
    QString path() const { return m_path; }
    int current() const { return m_current; }  // index from 0; -1 when closed
    int count() const { return int(m_lesson.steps.size()); }
    const LessonStep* currentStep() const;

    // Opens a lesson at step index (from 0). The first open remembers the user's state; opening
    // another lesson keeps that memory, so closing goes back to what the user had before any.
    void open(const Lesson& lesson, const QString& path, int index = 0);
    // Reads the file and opens it at step number `step` (from 1). Empty or a one-line error.
    QString openFile(const QString& path, int step = 1);
    // Back to the user's state.
    void close();
    void goTo(int index);
    void next() { goTo(m_current + 1); }
    void previous() { goTo(m_current - 1); }

    // "en" or "zh_CN": which text of each field is shown.
    void setLanguage(const QString& language);
    QString language() const { return m_language; }

    // The model the current step runs on: its preferModel when installed, else its model.
    // fallbackNote() says, in the current language, what was missing ("" when nothing was).
    static QString chooseModel(const LessonState& state, bool* usedFallback = nullptr);
    QString fallbackNote() const { return m_fallbackNote; }
    // The training preset the missing model comes from ("" when the step's best model is a
    // download, or nothing is missing).
    QString fallbackTrainPreset() const { return m_fallbackTrain; }
    // When the step runs on its trained variant: which one ("" otherwise); the step's note (the
    // swap on the fallback model) is not shown then.
    QString bestModelNote() const { return m_bestNote; }

    // The model the Train view writes from a preset ("3-depth/post" -> .../models/post.bin) and
    // the --set options it opens with (a .bin holds no architecture); path empty when not trained.
    struct TrainedModel {
        QString file;   // "post.bin"
        QString path;   // where it was found; empty: not trained yet (or a design the views cannot open)
        QStringList set;
    };
    static TrainedModel trainedModel(const QString& preset);
    // The state a step runs in: its best model when installed (a trained variant as trained, a
    // download with the step's knobs), else the fallback; missing names what was not found.
    static LessonState resolveState(const LessonState& state, QString* missing);

    // Authoring. A new lesson with no steps yet opens on the current state.
    void newLesson(const LessonText& title);
    // Inserts a step holding the host's current state after the current step and enters it.
    void addStepFromCurrentState(const LessonText& title);
    // Replaces the current step's state with the host's current state.
    void recaptureCurrentStep();
    // Replaces a step's texts and highlight (its state stays); no re-apply.
    void editStep(int index, const LessonStep& step);
    void setLessonTitle(const LessonText& title, const LessonText& section);
    void moveStep(int from, int to);
    void removeStep(int index);
    QString save(const QString& path);  // empty or a one-line error
    bool modified() const { return m_modified; }

    // Called by the host when the state it was asked for is on screen.
    void finishApply();
    bool applying() const { return m_applying; }

Q_SIGNALS:
    void opened();
    void closed();
    void stepChanged(int index);
    void lessonEdited();
    void stateApplied();
    void languageChanged(const QString& language);

private:
    void enter(int index);

    LessonHost* m_host;
    Lesson m_lesson;
    QString m_path;
    bool m_open = false;
    int m_current = -1;
    std::optional<LessonState> m_userState;
    QString m_language = QStringLiteral("en");
    QString m_fallbackNote;
    QString m_fallbackTrain;
    QString m_bestNote;
    bool m_modified = false;
    bool m_applying = false;
};

}  // namespace anatomy::widgets
