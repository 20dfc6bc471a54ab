#include "lessons/lesson_panel.h"

#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTextBrowser>
#include <QVBoxLayout>
#include <QDir>
#include <algorithm>

#include "lessons/lesson_html.h"
#include "lessons/lesson_player.h"

namespace anatomy::widgets {

namespace {
// The field of t in the language being edited.
QString& field(LessonText& t, const QString& lang) { return lang.startsWith(QLatin1String("zh")) ? t.zh : t.en; }
}  // namespace

LessonPanel::LessonPanel(LessonPlayer* player, QWidget* parent) : QWidget(parent), m_player(player) {
    auto* v = new QVBoxLayout(this);
    v->setContentsMargins(6, 6, 6, 6);
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::PlainText);
    QFont tf = m_title->font();
    tf.setBold(true);
    m_title->setFont(tf);
    v->addWidget(m_title);
    m_steps = new QListWidget(this);
    m_steps->setObjectName(QStringLiteral("lessonSteps"));
    m_steps->setMaximumHeight(140);
    v->addWidget(m_steps);
    auto* nav = new QHBoxLayout;
    m_prev = new QPushButton(tr("◀ Previous"), this);
    m_next = new QPushButton(tr("Next ▶"), this);
    m_close = new QPushButton(tr("Close lesson"), this);
    m_prev->setToolTip(tr("PageUp"));
    m_next->setToolTip(tr("PageDown or space"));
    m_close->setToolTip(tr("Back to the state you had before the lesson"));
    nav->addWidget(m_prev);
    nav->addWidget(m_next);
    nav->addStretch(1);
    nav->addWidget(m_close);
    v->addLayout(nav);
    auto* prog = new QHBoxLayout;
    m_progress = new QProgressBar(this);
    m_progress->setTextVisible(false);
    m_progressText = new QLabel(this);
    prog->addWidget(m_progress, 1);
    prog->addWidget(m_progressText);
    v->addLayout(prog);
    m_body = new QTextBrowser(this);
    m_body->setObjectName(QStringLiteral("lessonBody"));
    m_body->setOpenExternalLinks(false);
    v->addWidget(m_body, 1);
    m_answer = new QPushButton(tr("Show answer"), this);
    m_getModel = new QPushButton(tr("Get the model…"), this);
    m_getModel->setObjectName(QStringLiteral("lessonGetModel"));
    m_getModel->setToolTip(tr("Open the model manager to download the model this step is best shown on"));
    auto* below = new QHBoxLayout;
    below->addWidget(m_answer);
    below->addWidget(m_getModel);
    below->addStretch(1);
    v->addLayout(below);
    // A download opens the model manager; a trained variant the Train view on its preset.
    connect(m_getModel, &QPushButton::clicked, this, [this] {
        if (const QString preset = m_player->fallbackTrainPreset(); !preset.isEmpty()) Q_EMIT trainPresetRequested(preset);
        else Q_EMIT modelManagerRequested();
    });

    // Authoring: collapsed until asked for.
    m_edit = new QGroupBox(tr("Edit lesson"), this);
    m_edit->setCheckable(true);
    m_edit->setChecked(false);
    auto* ev = new QVBoxLayout(m_edit);
    auto* editFields = new QWidget(m_edit);
    auto* form = new QFormLayout(editFields);
    form->setContentsMargins(0, 0, 0, 0);
    m_lessonTitle = new QLineEdit(editFields);
    m_section = new QLineEdit(editFields);
    m_stepTitle = new QLineEdit(editFields);
    m_text = new QPlainTextEdit(editFields);
    m_text->setObjectName(QStringLiteral("lessonTextEdit"));
    m_text->setPlaceholderText(tr("Rich text (HTML): <p>…</p>, <b>, <i>, <sub>, <sup>; formulas in Unicode"));
    m_text->setMaximumHeight(120);
    m_tryControl = new QLineEdit(editFields);
    m_tryControl->setPlaceholderText(tr("a --set key or a sampler field"));
    m_try = new QLineEdit(editFields);
    m_question = new QLineEdit(editFields);
    m_answerEdit = new QLineEdit(editFields);
    m_note = new QLineEdit(editFields);
    form->addRow(tr("Lesson"), m_lessonTitle);
    form->addRow(tr("Section"), m_section);
    form->addRow(tr("Step title"), m_stepTitle);
    form->addRow(tr("Text"), m_text);
    form->addRow(tr("Try control"), m_tryControl);
    form->addRow(tr("Try"), m_try);
    form->addRow(tr("Question"), m_question);
    form->addRow(tr("Answer"), m_answerEdit);
    form->addRow(tr("Note"), m_note);
    ev->addWidget(editFields);
    auto* row1 = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add step from current state"), m_edit);
    add->setObjectName(QStringLiteral("lessonAddStep"));
    auto* recapture = new QPushButton(tr("Use current state"), m_edit);
    recapture->setToolTip(tr("The current step takes the state on screen now"));
    row1->addWidget(add);
    row1->addWidget(recapture);
    ev->addLayout(row1);
    auto* row2 = new QHBoxLayout;
    auto* apply = new QPushButton(tr("Apply text"), m_edit);
    auto* up = new QPushButton(tr("▲"), m_edit);
    auto* down = new QPushButton(tr("▼"), m_edit);
    auto* remove = new QPushButton(tr("Remove"), m_edit);
    auto* save = new QPushButton(tr("Save…"), m_edit);
    up->setToolTip(tr("Move the step up"));
    down->setToolTip(tr("Move the step down"));
    for (QPushButton* b : {apply, up, down, remove, save}) row2->addWidget(b);
    ev->addLayout(row2);
    editFields->setVisible(false);
    for (QPushButton* b : {add, recapture, apply, up, down, remove, save}) b->setVisible(false);
    connect(m_edit, &QGroupBox::toggled, this, [this, editFields, add, recapture, apply, up, down, remove, save](bool on) {
        editFields->setVisible(on);
        for (QPushButton* b : {add, recapture, apply, up, down, remove, save}) b->setVisible(on);
        if (on) loadEditor();
    });
    v->addWidget(m_edit);

    connect(m_prev, &QPushButton::clicked, m_player, &LessonPlayer::previous);
    connect(m_next, &QPushButton::clicked, m_player, &LessonPlayer::next);
    connect(m_close, &QPushButton::clicked, m_player, &LessonPlayer::close);
    connect(m_steps, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && row != m_player->current()) m_player->goTo(row);
    });
    connect(m_answer, &QPushButton::clicked, this, [this] {
        m_showAnswer = !m_showAnswer;
        refresh();
    });
    connect(add, &QPushButton::clicked, this, &LessonPanel::addStep);
    connect(recapture, &QPushButton::clicked, m_player, &LessonPlayer::recaptureCurrentStep);
    connect(apply, &QPushButton::clicked, this, &LessonPanel::applyEdits);
    connect(up, &QPushButton::clicked, this, [this] { m_player->moveStep(m_player->current(), m_player->current() - 1); });
    connect(down, &QPushButton::clicked, this, [this] { m_player->moveStep(m_player->current(), m_player->current() + 1); });
    connect(remove, &QPushButton::clicked, this, [this] { m_player->removeStep(m_player->current()); });
    connect(save, &QPushButton::clicked, this, &LessonPanel::saveDialog);
    connect(m_player, &LessonPlayer::stepChanged, this, [this] {
        m_showAnswer = false;
        refresh();
        if (m_edit->isChecked()) loadEditor();
    });
    for (auto sig : {&LessonPlayer::lessonEdited, &LessonPlayer::opened, &LessonPlayer::closed})
        connect(m_player, sig, this, &LessonPanel::refresh);
    connect(m_player, &LessonPlayer::languageChanged, this, &LessonPanel::refresh);
    refresh();
}

void LessonPanel::refresh() {
    const QString lang = m_player->language();
    const Lesson& l = m_player->lesson();
    const bool open = m_player->isOpen();
    m_title->setText(!open ? tr("No lesson open (File > Open lesson…)")
                           : l.section.in(lang).isEmpty() ? l.title.in(lang)
                                                          : l.section.in(lang) + QStringLiteral(" · ") + l.title.in(lang));
    {
        const QSignalBlocker block(m_steps);
        m_steps->clear();
        if (open)
            for (int i = 0; i < m_player->count(); ++i)
                m_steps->addItem(QStringLiteral("%1. %2").arg(i + 1).arg(l.steps[size_t(i)].title.in(lang)));
        m_steps->setCurrentRow(m_player->current());
    }
    m_progress->setRange(0, std::max(1, m_player->count()));
    m_progress->setValue(open ? m_player->current() + 1 : 0);
    m_progressText->setText(open && m_player->current() >= 0 ? lessonProgressText(m_player->current(), m_player->count()) : QString());
    m_prev->setEnabled(open && m_player->current() > 0);
    m_next->setEnabled(open && m_player->current() + 1 < m_player->count());
    m_close->setEnabled(open);
    const LessonStep* st = m_player->currentStep();
    m_body->setHtml(st ? QStringLiteral("<h3>%1</h3>").arg(st->title.in(lang).toHtmlEscaped()) +
                             lessonStepHtml(*st, lang, m_player->fallbackNote(), m_showAnswer, m_player->bestModelNote())
                       : QString());
    m_answer->setVisible(st && !st->answer.isEmpty());
    m_answer->setText(m_showAnswer ? tr("Hide answer") : tr("Show answer"));
    m_getModel->setVisible(st && !m_player->fallbackNote().isEmpty());
    if (const QString preset = m_player->fallbackTrainPreset(); !preset.isEmpty()) {
        m_getModel->setText(tr("Train it…"));
        m_getModel->setToolTip(tr("Open the Train view on preset %1: the model it writes is the one this step is best shown on")
                                   .arg(preset));
    } else {
        m_getModel->setText(tr("Get the model…"));
        m_getModel->setToolTip(tr("Open the model manager to download the model this step is best shown on"));
    }
}

void LessonPanel::loadEditor() {
    const QString lang = m_player->language();
    Lesson l = m_player->lesson();
    m_lessonTitle->setText(field(l.title, lang));
    m_section->setText(field(l.section, lang));
    LessonStep st;
    if (const LessonStep* cur = m_player->currentStep()) st = *cur;
    m_stepTitle->setText(field(st.title, lang));
    m_text->setPlainText(field(st.text, lang));
    m_tryControl->setText(st.tryIt.control);
    m_try->setText(field(st.tryIt.text, lang));
    m_question->setText(field(st.question, lang));
    m_answerEdit->setText(field(st.answer, lang));
    m_note->setText(field(st.note, lang));
}

void LessonPanel::addStep() {
    const QString lang = m_player->language();
    LessonText title;
    field(title, lang) = tr("Step %1").arg(m_player->count() + 1);
    if (title.en.isEmpty()) title.en = title.zh;  // a step needs an English title
    m_player->addStepFromCurrentState(title);
    if (!m_edit->isChecked()) m_edit->setChecked(true);
    loadEditor();
}

void LessonPanel::applyEdits() {
    const QString lang = m_player->language();
    Lesson l = m_player->lesson();
    field(l.title, lang) = m_lessonTitle->text();
    field(l.section, lang) = m_section->text();
    m_player->setLessonTitle(l.title, l.section);
    const LessonStep* cur = m_player->currentStep();
    if (!cur) return;
    LessonStep st = *cur;
    field(st.title, lang) = m_stepTitle->text();
    field(st.text, lang) = m_text->toPlainText();
    st.tryIt.control = m_tryControl->text().trimmed();
    field(st.tryIt.text, lang) = m_try->text();
    field(st.question, lang) = m_question->text();
    field(st.answer, lang) = m_answerEdit->text();
    field(st.note, lang) = m_note->text();
    m_player->editStep(m_player->current(), st);
}

bool LessonPanel::saveDialog() {
    applyEdits();
    QString start = m_player->path();
    if (start.isEmpty() || start.startsWith(QLatin1Char(':'))) {
        QDir().mkpath(userLessonFolder());
        start = userLessonFolder() + QStringLiteral("/lesson.json");
    }
    QString path = QFileDialog::getSaveFileName(this, tr("Save lesson"), start, tr("Lessons (*.json)"));
    if (path.isEmpty()) return false;
    if (!path.endsWith(QLatin1String(".json"))) path += QStringLiteral(".json");
    if (const QString err = m_player->save(path); !err.isEmpty()) {
        QMessageBox::warning(this, tr("Cannot save the lesson"), err);
        return false;
    }
    return true;
}

}  // namespace anatomy::widgets
