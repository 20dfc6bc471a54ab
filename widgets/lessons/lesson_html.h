#pragma once
// A step as rich text for the lesson panel and the presentation overlay: its text, what to try,
// the question (and its answer once revealed), the note and a missing model's fallback.
#include <QString>

#include "lessons/lesson.h"

namespace anatomy::widgets {

// bestModelNote: the step runs on its trained variant (then the step's note, the swap on the
// fallback model, is left out).
QString lessonStepHtml(const LessonStep& step, const QString& language, const QString& fallbackNote, bool showAnswer,
                       const QString& bestModelNote = {});
// "Step 3 of 7" in the interface language.
QString lessonProgressText(int index, int count);

}  // namespace anatomy::widgets
