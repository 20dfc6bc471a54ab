#pragma once
// A lesson: a titled sequence of steps, each putting the app in a complete state (model, prompt,
// views, selection, sampler, --set knobs, a pinned comparison trace, decoding lab) with a short
// text, what to look at, what to try and a question. Stored as JSON
// ("format": "transformer-anatomy-lesson", version 1); every text exists in English and,
// optionally, Simplified Chinese (the "_zh" twin of each field: "text" and "text_zh").
// Shipped lessons live in the resource folder :/lessons (resources/lessons/ in the source tree);
// a user's in ~/.local/share/transformer-anatomy/lessons.
#include <QByteArray>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

#include "anatomy/sampler.h"
#include "views/trace_view.h"

namespace anatomy::widgets {

// One text in both languages; Chinese falls back to English where the author left it out.
struct LessonText {
    QString en;
    QString zh;  // Simplified Chinese
    // zh for a language "zh..." when written, else en.
    const QString& in(const QString& language) const;
    bool isEmpty() const { return en.isEmpty() && zh.isEmpty(); }
    bool operator==(const LessonText&) const = default;
};

// The pinned comparison trace A: the step's prompt (or its own) traced with these knobs, pinned,
// and shown beside the step's own trace B (View > Compare with A).
struct LessonPin {
    QStringList set;          // --set assignments of A
    QString prompt;           // empty: the step's prompt
    std::vector<int> tokens;  // exact tokens of A, BOS first (a captured state); empty: encode
    bool operator==(const LessonPin&) const = default;
};

// The decoding lab's strategy: the settings of its three labs (the view's controls). The
// defaults are the view's own as it starts (decoding_view.cpp; a test keeps them equal).
struct LessonDecodingSettings {
    int maxNew = 32;              // new tokens per hypothesis, sample and strategy
    int beamWidth = 3;            // W
    double lengthPenalty = 1.0;   // α: score = Σ log p / length^α
    int samples = 10;             // N of best-of-N
    QString scorer = QStringLiteral("mean-logprob");  // or "sum-logprob"
    QString answerRegex = QStringLiteral("named (\\w+)");
    QString variants = QStringLiteral("greedy; beam:4; temperature=1; temperature=0.7; top-p=0.5; typical-p=0.5");
    bool operator==(const LessonDecodingSettings&) const = default;
};

// Everything a step restores. Fields left out of a file take these defaults, so every step is a
// complete state whatever the step before it set.
struct LessonState {
    QString model;           // manifest name or path; empty: the default model (stories260K)
    // The model that shows this best (a zoo model), used when installed. Then, as for preferTrain,
    // the step runs on it as trained: preferSet on top, no pinned trace, preferPrompt when given
    // (set, pin and prompt are for the fallback model).
    QString preferModel;
    LessonText preferNote;   // how to get it; shown, with the fallback, when it is missing
    // A training preset ("3-depth/post", samples/train_presets) whose model, where the Train view
    // writes it (~/.local/share/transformer-anatomy/models/post.bin), shows this best. When it is
    // there the step runs on it as trained, with preferSet on top and no pinned trace (set and
    // pin are the swap shown on the fallback model); when not, the note offers the preset.
    QString preferTrain;
    QStringList preferSet;
    QString preferPrompt;    // the prompt on the preferred model; empty: prompt
    QString preferView;      // the main view on the preferred model (one pane); empty: view
    QString prompt;          // empty: the sample prompt
    std::vector<int> tokens; // exact tokens, BOS first (a captured state); empty: encode the prompt
    QString view = QStringLiteral("attention");  // the main pane's view (viewNames())
    QString beside;          // a view in the pane beside; empty: one pane
    Selection selection{-1, 0, 0};
    anatomy::SamplerSettings sampler;
    QStringList set;         // architecture knobs, "key=value" as `--set` takes them
    std::optional<LessonPin> pin;
    QString decoding;        // the decoding lab's tab: "beam", "samples", "compare"; empty: beam
    LessonDecodingSettings decodingSettings;
    QString attentionMode = QStringLiteral("probabilities");  // or "scores", "log"
    bool operator==(const LessonState&) const = default;
};

// What to look at: a rectangle of a view (fractions of its width and height) or one of its child
// widgets by object name, with a label.
struct LessonHighlight {
    QString view;     // empty: the step's main view
    QString element;  // a child widget's objectName; empty: use rect
    QRectF rect;      // x, y, w, h in [0, 1]; empty with no element: nothing highlighted
    LessonText label;
    bool isEmpty() const { return element.isEmpty() && rect.isEmpty(); }
    bool operator==(const LessonHighlight&) const = default;
};

// What to try: a control to move (a --set key of the Architecture dock or a sampler field) and
// what to observe.
struct LessonTry {
    QString control;
    LessonText text;
    bool operator==(const LessonTry&) const = default;
};

struct LessonStep {
    LessonText title;
    LessonText text;      // Qt rich text (HTML subset), formulas in Unicode
    LessonState state;
    LessonHighlight highlight;
    LessonTry tryIt;
    LessonText question;
    LessonText answer;
    LessonText note;      // e.g. a swap on a model trained otherwise
    QString overlay;      // where the presentation overlay sits: "bottom-right" (default),
                          // "bottom-left", "top-right", "top-left"
    bool operator==(const LessonStep&) const = default;
};

struct Lesson {
    LessonText title;
    LessonText section;   // the course chapter: "1. Attention"
    std::vector<LessonStep> steps;
    bool operator==(const Lesson&) const = default;
};

// The sampler field names a "try" control may name besides --set keys.
QStringList samplerControlNames();

// Parses a lesson from JSON bytes; `name` is the file (for messages). Returns an empty string or a
// one-line error naming the step (from 1) and field: bad JSON, a wrong format or version, an
// unknown view, an unknown or invalid --set key, a bad sampler value, an empty lesson.
QString parseLesson(const QByteArray& json, const QString& name, Lesson& out);
// Reads a file (also ":/lessons/..." resources) and parses it.
QString readLessonFile(const QString& path, Lesson& out);
// The lesson as indented JSON; parseLesson gives it back field for field.
QByteArray lessonToJson(const Lesson& lesson);
// Writes the file atomically; an empty string or a one-line error.
QString writeLessonFile(const QString& path, const Lesson& lesson);

// Step numbers count from 1: the index of step n, or nullopt with "step 9 is out of range: the
// lesson has 6 steps (1–6)".
std::optional<int> lessonStepIndex(const Lesson& lesson, int step, QString* error);

// Folders searched for lessons: the shipped ones (":/lessons") and the user's.
QString userLessonFolder();
// Every lesson file found: shipped first (by file name), then the user's.
QStringList lessonFiles();

}  // namespace anatomy::widgets
