#include "lessons/lesson_player.h"

#include <algorithm>

#include <QFileInfo>
#include <exception>
#include <optional>

#include "anatomy/model_registry.h"
#include "anatomy/train.h"
#include "views/train_view.h"

namespace anatomy::widgets {

LessonPlayer::LessonPlayer(LessonHost* host, QObject* parent) : QObject(parent), m_host(host) {}

const LessonStep* LessonPlayer::currentStep() const {
    return m_open && m_current >= 0 && m_current < count() ? &m_lesson.steps[size_t(m_current)] : nullptr;
}

void LessonPlayer::open(const Lesson& lesson, const QString& path, int index) {
    if (!m_userState) m_userState = m_host->captureLessonState();
    m_lesson = lesson;
    m_path = path;
    m_open = true;
    m_modified = false;
    m_current = -1;
    Q_EMIT opened();
    if (count() > 0) enter(std::clamp(index, 0, count() - 1));
    else Q_EMIT stepChanged(-1);
}

QString LessonPlayer::openFile(const QString& path, int step) {
    Lesson l;
    if (QString err = readLessonFile(path, l); !err.isEmpty()) return err;
    QString err;
    const std::optional<int> index = lessonStepIndex(l, step, &err);
    if (!index) return QStringLiteral("%1: %2").arg(path, err);
    open(l, path, *index);
    return {};
}

void LessonPlayer::close() {
    if (!m_open) return;
    m_open = false;
    m_current = -1;
    m_fallbackNote.clear();
    m_fallbackTrain.clear();
    m_bestNote.clear();
    if (m_userState) {
        m_applying = true;
        m_host->applyLessonState(*m_userState);
        m_userState.reset();
    }
    Q_EMIT closed();
}

void LessonPlayer::goTo(int index) {
    if (!m_open || index < 0 || index >= count() || index == m_current) return;
    enter(index);
}

void LessonPlayer::enter(int index) {
    m_current = index;
    const LessonState& written = m_lesson.steps[size_t(index)].state;
    QString missing;
    const LessonState state = resolveState(written, &missing);
    m_fallbackNote.clear();
    m_fallbackTrain.clear();
    m_bestNote.clear();
    if (missing.isEmpty() && !written.preferTrain.isEmpty())
        m_bestNote = tr("Shown on %1, trained from preset %2: the design as trained, not a swap.")
                         .arg(QFileInfo(state.model).fileName(), written.preferTrain);
    else if (missing.isEmpty() && !written.preferModel.isEmpty())
        m_bestNote = tr("Shown on %1, the model that shows this best.").arg(written.preferModel);
    if (!missing.isEmpty()) {
        const QString shown = state.model.isEmpty() ? QStringLiteral("stories260K") : state.model;
        const QString how = written.preferNote.in(m_language);
        m_fallbackNote = tr("%1 is not installed: this step shows %2 instead. %3").arg(missing, shown, how);
        if (!written.preferTrain.isEmpty()) m_fallbackTrain = written.preferTrain;
    }
    m_applying = true;
    m_host->applyLessonState(state);
    Q_EMIT stepChanged(index);
}

LessonPlayer::TrainedModel LessonPlayer::trainedModel(const QString& preset) {
    // As TrainController::start names it: the config's base name, .bin for llama2.c's layout.
    TrainedModel t;
    const QString name = QFileInfo(preset + QStringLiteral(".json")).completeBaseName();
    QStringList files{name + QStringLiteral(".bin"), name + QStringLiteral(".gguf")};
    std::optional<anatomy::TrainConfig> config;
    try {
        config = anatomy::loadTrainConfig(trainPresetPath(preset).toStdString());
    } catch (const std::exception&) {
        // No presets at hand (an install without them): either file name may be it.
    }
    if (config) {
        const anatomy::TrainShape& s = config->shape;
        files = {name + (s.llama2cLayout() ? QStringLiteral(".bin") : QStringLiteral(".gguf"))};
    }
    t.file = files.value(0, name);
    for (const QString& f : files) {
        const std::string found = anatomy::resolveModelPath(f.toStdString());
        if (found.empty()) continue;
        t.file = f;
        t.path = QString::fromStdString(found);
        // A .bin states no architecture: the settings it was trained with come as --set options.
        if (config && f.endsWith(QStringLiteral(".bin")))
            for (const std::string& a : anatomy::trainOpenSettings(config->shape)) t.set << QString::fromStdString(a);
        break;
    }
    return t;
}

namespace {
// The step on its best model, as trained: the swap and the comparison are the fallback's, the
// captured tokens its tokenizer's; the best model's own knobs, prompt and view instead.
LessonState asTrained(const LessonState& written, const QString& model, const QStringList& set) {
    LessonState state = written;
    state.model = model;
    state.set = set + written.preferSet;
    state.pin.reset();
    state.tokens.clear();
    if (!written.preferPrompt.isEmpty()) state.prompt = written.preferPrompt;
    if (!written.preferView.isEmpty()) {
        state.view = written.preferView;
        state.beside.clear();
    }
    return state;
}
}  // namespace

LessonState LessonPlayer::resolveState(const LessonState& written, QString* missing) {
    if (missing) missing->clear();
    if (!written.preferTrain.isEmpty()) {
        const TrainedModel t = trainedModel(written.preferTrain);
        if (!t.path.isEmpty()) return asTrained(written, t.path, t.set);
        if (missing) *missing = tr("%1 (trained from preset %2)").arg(t.file, written.preferTrain);
        return written;
    }
    bool fallback = false;
    const QString model = chooseModel(written, &fallback);
    if (fallback && missing) *missing = written.preferModel;
    if (!fallback && !written.preferModel.isEmpty()) return asTrained(written, model, {});
    LessonState state = written;
    state.model = model;
    return state;
}

void LessonPlayer::finishApply() {
    if (!m_applying) return;
    m_applying = false;
    Q_EMIT stateApplied();
}

void LessonPlayer::setLanguage(const QString& language) {
    if (language == m_language) return;
    m_language = language;
    if (const LessonStep* st = currentStep(); st && (!m_fallbackNote.isEmpty() || !m_bestNote.isEmpty())) {
        // The note is in the language it was written in: write it again.
        const int i = m_current;
        m_current = -1;
        enter(i);
    }
    Q_EMIT languageChanged(language);
}

QString LessonPlayer::chooseModel(const LessonState& state, bool* usedFallback) {
    if (usedFallback) *usedFallback = false;
    if (state.preferModel.isEmpty()) return state.model;
    if (!anatomy::resolveModelPath(state.preferModel.toStdString()).empty()) return state.preferModel;
    if (usedFallback) *usedFallback = true;
    return state.model;
}

void LessonPlayer::newLesson(const LessonText& title) {
    Lesson l;
    l.title = title;
    open(l, {}, 0);
    m_modified = true;
}

void LessonPlayer::addStepFromCurrentState(const LessonText& title) {
    if (!m_open) newLesson({tr("Untitled lesson"), {}});
    LessonStep st;
    st.title = title;
    st.state = m_host->captureLessonState();
    const int at = m_current + 1;
    m_lesson.steps.insert(m_lesson.steps.begin() + at, st);
    m_current = at;  // the window already shows its state
    m_modified = true;
    Q_EMIT lessonEdited();
    Q_EMIT stepChanged(at);
}

void LessonPlayer::recaptureCurrentStep() {
    if (!currentStep()) return;
    m_lesson.steps[size_t(m_current)].state = m_host->captureLessonState();
    m_modified = true;
    Q_EMIT lessonEdited();
}

void LessonPlayer::editStep(int index, const LessonStep& step) {
    if (index < 0 || index >= count()) return;
    LessonStep& st = m_lesson.steps[size_t(index)];
    const LessonState keep = st.state;
    st = step;
    st.state = keep;
    m_modified = true;
    Q_EMIT lessonEdited();
}

void LessonPlayer::setLessonTitle(const LessonText& title, const LessonText& section) {
    m_lesson.title = title;
    m_lesson.section = section;
    m_modified = true;
    Q_EMIT lessonEdited();
}

void LessonPlayer::moveStep(int from, int to) {
    if (from < 0 || from >= count() || to < 0 || to >= count() || from == to) return;
    const LessonStep st = m_lesson.steps[size_t(from)];
    m_lesson.steps.erase(m_lesson.steps.begin() + from);
    m_lesson.steps.insert(m_lesson.steps.begin() + to, st);
    // The step on screen keeps being the current one wherever it went.
    if (m_current == from) m_current = to;
    else if (from < m_current && to >= m_current) --m_current;
    else if (from > m_current && to <= m_current) ++m_current;
    m_modified = true;
    Q_EMIT lessonEdited();
    Q_EMIT stepChanged(m_current);
}

void LessonPlayer::removeStep(int index) {
    if (index < 0 || index >= count()) return;
    m_lesson.steps.erase(m_lesson.steps.begin() + index);
    m_modified = true;
    Q_EMIT lessonEdited();
    if (count() == 0) {
        m_current = -1;
        Q_EMIT stepChanged(-1);
        return;
    }
    if (index < m_current || m_current >= count()) --m_current;
    const int i = std::max(0, m_current);
    m_current = -1;
    enter(i);
}

QString LessonPlayer::save(const QString& path) {
    if (m_lesson.title.en.isEmpty()) return tr("the lesson needs a title before it is saved");
    if (m_lesson.steps.empty()) return tr("the lesson has no steps yet (add one from the current state)");
    if (QString err = writeLessonFile(path, m_lesson); !err.isEmpty()) return err;
    m_path = path;
    m_modified = false;
    Q_EMIT lessonEdited();
    return {};
}

}  // namespace anatomy::widgets
