#include "lessons/lesson_html.h"

#include <QCoreApplication>

#include "panels/knob_help.h"

namespace anatomy::widgets {

QString lessonStepHtml(const LessonStep& st, const QString& lang, const QString& fallbackNote, bool showAnswer,
                       const QString& bestModelNote) {
    QString html;
    if (!fallbackNote.isEmpty())
        html += QStringLiteral("<p style='background:#fff3cd; color:#5c4400'>&#9888; %1</p>").arg(fallbackNote.toHtmlEscaped());
    if (!bestModelNote.isEmpty())
        html += QStringLiteral("<p style='background:#e3f0fb; color:#17406b'>%1</p>").arg(bestModelNote.toHtmlEscaped());
    html += st.text.in(lang);
    if (!st.tryIt.text.isEmpty() || !st.tryIt.control.isEmpty()) {
        QString control = st.tryIt.control;
        if (const anatomy::SettingInfo* info = findSettingInfo(control); info)
            control = QStringLiteral("<code>%1</code>").arg(control.toHtmlEscaped());
        html += QStringLiteral("<p><b>%1</b> %2%3</p>")
                    .arg(QCoreApplication::translate("LessonHtml", "Try:"), control.isEmpty() ? QString() : control + QStringLiteral(" — "), st.tryIt.text.in(lang));
    }
    if (!st.question.isEmpty()) {
        html += QStringLiteral("<p><b>%1</b> %2</p>").arg(QCoreApplication::translate("LessonHtml", "Question:"), st.question.in(lang));
        if (showAnswer && !st.answer.isEmpty())
            html += QStringLiteral("<p><b>%1</b> %2</p>").arg(QCoreApplication::translate("LessonHtml", "Answer:"), st.answer.in(lang));
    }
    // The note tells of the swap on the fallback model; on the best model it does not hold.
    if (!st.note.isEmpty() && bestModelNote.isEmpty()) html += QStringLiteral("<p><i>%1</i></p>").arg(st.note.in(lang));
    return html;
}

QString lessonProgressText(int index, int count) {
    return QCoreApplication::translate("LessonHtml", "Step %1 of %2").arg(index + 1).arg(count);
}

}  // namespace anatomy::widgets
