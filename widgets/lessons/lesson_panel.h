#pragma once
// The Lessons dock: the open lesson's steps (click one to jump), the progress bar, previous /
// next, the step's text with its question, and the authoring tools: a new lesson, add a step
// from the current state, take the current state into a step, edit the texts (in the language
// shown), move steps up and down, remove, save.
#include <QWidget>

class QCheckBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTextBrowser;

namespace anatomy::widgets {

class LessonPlayer;

class LessonPanel : public QWidget {
    Q_OBJECT
public:
    explicit LessonPanel(LessonPlayer* player, QWidget* parent = nullptr);
    void refresh();
    QListWidget* stepList() const { return m_steps; }
    QTextBrowser* body() const { return m_body; }
    QProgressBar* progress() const { return m_progress; }
    // Authoring, as its buttons do them (tests call them too).
    void addStep();
    void applyEdits();
    // Asks for a file and saves; false when cancelled or failed (the error is shown).
    bool saveDialog();

Q_SIGNALS:
    void openRequested();
    // The step's best model is missing: the user asked for the model manager to download it.
    void modelManagerRequested();
    // "Train it…": the step's best model is trained from this preset ("3-depth/post").
    void trainPresetRequested(const QString& preset);

private:
    void loadEditor();

    LessonPlayer* m_player;
    QLabel* m_title = nullptr;
    QListWidget* m_steps = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_progressText = nullptr;
    QPushButton* m_prev = nullptr;
    QPushButton* m_next = nullptr;
    QPushButton* m_close = nullptr;
    QTextBrowser* m_body = nullptr;
    QPushButton* m_answer = nullptr;
    QPushButton* m_getModel = nullptr;
    bool m_showAnswer = false;
    QGroupBox* m_edit = nullptr;
    QLineEdit* m_lessonTitle = nullptr;
    QLineEdit* m_section = nullptr;
    QLineEdit* m_stepTitle = nullptr;
    QPlainTextEdit* m_text = nullptr;
    QLineEdit* m_try = nullptr;
    QLineEdit* m_tryControl = nullptr;
    QLineEdit* m_question = nullptr;
    QLineEdit* m_answerEdit = nullptr;
    QLineEdit* m_note = nullptr;
};

}  // namespace anatomy::widgets
