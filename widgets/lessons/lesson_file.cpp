// Lesson files: JSON <-> Lesson, with one-line errors that name the step and the field.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSet>
#include <cmath>
#include <exception>
#include <regex>

#include "anatomy/model_registry.h"
#include "controller/decoding_controller.h"
#include "export/view_export.h"
#include "lessons/lesson.h"
#include "panels/knob_help.h"
#include "views/train_view.h"

namespace anatomy::widgets {

namespace {

constexpr int kFormatVersion = 1;
constexpr qint64 kMaxLessonBytes = qint64(4) << 20;  // a lesson is text: a few hundred KB at most
const char* const kFormat = "transformer-anatomy-lesson";

// Thrown inside the parser; parseLesson turns it into the returned message.
struct LessonError {
    QString message;
};

[[noreturn]] void fail(const QString& where, const QString& what) { throw LessonError{where + QStringLiteral(": ") + what}; }

// Refuses fields the format does not know (a typo would otherwise be ignored silently).
void checkKeys(const QJsonObject& o, const QStringList& known, const QString& where) {
    for (const QString& k : o.keys())
        if (!known.contains(k))
            fail(where, QStringLiteral("unknown field \"%1\" (known: %2)").arg(k, known.join(QStringLiteral(", "))));
}

QString stringField(const QJsonObject& o, const QString& key, const QString& where) {
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull()) return {};
    if (!v.isString()) fail(where, QStringLiteral("%1: expected a string").arg(key));
    return v.toString();
}

LessonText textField(const QJsonObject& o, const QString& key, const QString& where) {
    return {stringField(o, key, where), stringField(o, key + QStringLiteral("_zh"), where)};
}

// "title" and "title_zh", ... as the known keys of an object.
QStringList withZh(const QStringList& keys) {
    QStringList out;
    for (const QString& k : keys) out << k << k + QStringLiteral("_zh");
    return out;
}

int intField(const QJsonObject& o, const QString& key, int fallback, const QString& where) {
    const QJsonValue v = o.value(key);
    if (v.isUndefined()) return fallback;
    const double d = v.toDouble(std::nan(""));
    if (!v.isDouble() || d != std::floor(d) || std::fabs(d) > 1e6) fail(where, QStringLiteral("%1: expected an integer").arg(key));
    return int(d);
}

QStringList stringList(const QJsonObject& o, const QString& key, const QString& where) {
    const QJsonValue v = o.value(key);
    if (v.isUndefined()) return {};
    if (!v.isArray()) fail(where, QStringLiteral("%1: expected an array of strings").arg(key));
    QStringList out;
    for (const QJsonValue& e : v.toArray()) {
        if (!e.isString()) fail(where, QStringLiteral("%1: expected an array of strings").arg(key));
        out << e.toString().trimmed();
    }
    return out;
}

// --set assignments, checked by the knob table (unknown key, bad value).
QStringList knobList(const QJsonObject& o, const QString& key, const QString& where) {
    const QStringList set = stringList(o, key, where);
    for (const QString& kv : set) {
        if (!kv.contains(QLatin1Char('=')))
            fail(where, QStringLiteral("%1: \"%2\" is not KEY=VALUE").arg(key, kv));
        QString err;
        if (!settingsFromAssignments({kv}, &err)) fail(where, QStringLiteral("%1: %2").arg(key, err));
    }
    QString err;
    if (!settingsFromAssignments(set, &err)) fail(where, QStringLiteral("%1: %2").arg(key, err));
    return set;
}

QString viewField(const QJsonObject& o, const QString& key, const QString& fallback, const QString& where) {
    const QString v = o.contains(key) ? stringField(o, key, where) : fallback;
    if (!v.isEmpty() && !viewNames().contains(v))
        fail(where, QStringLiteral("%1: unknown view \"%2\" (views: %3)").arg(key, v, viewNames().join(QStringLiteral(", "))));
    return v;
}

anatomy::SamplerSettings readSampler(const QJsonObject& sm, const QString& where) {
    checkKeys(sm, {"temperature", "topK", "topP", "minP", "typicalP", "repetitionPenalty", "repetitionWindow", "seed", "order"},
              where);
    anatomy::SamplerSettings s;
    const struct {
        const char* key;
        float* to;
        double lo, hi;
    } reals[] = {{"temperature", &s.temperature, 0, 100}, {"topP", &s.topP, 0, 1}, {"minP", &s.minP, 0, 1},
                 {"typicalP", &s.typicalP, 0, 1}, {"repetitionPenalty", &s.repetitionPenalty, 0.001, 1000}};
    for (const auto& r : reals) {
        const QJsonValue v = sm.value(QLatin1String(r.key));
        if (v.isUndefined()) continue;
        const double d = v.toDouble(std::nan(""));
        if (!v.isDouble() || !std::isfinite(d) || d < r.lo || d > r.hi)
            fail(where, QStringLiteral("%1: expected a number in [%2, %3]").arg(QLatin1String(r.key)).arg(r.lo).arg(r.hi));
        *r.to = float(d);
    }
    s.topK = intField(sm, QStringLiteral("topK"), s.topK, where);
    s.repetitionWindow = intField(sm, QStringLiteral("repetitionWindow"), s.repetitionWindow, where);
    if (s.topK < 0 || s.repetitionWindow < 0) fail(where, QStringLiteral("topK and repetitionWindow must be >= 0"));
    if (sm.contains("seed")) {
        // A string as in session files (JSON numbers lose 64-bit integers); a small number is fine.
        const QJsonValue v = sm.value("seed");
        bool ok = v.isDouble() && v.toDouble() >= 0 && v.toDouble() == std::floor(v.toDouble());
        if (ok) s.seed = uint64_t(v.toDouble());
        else if (v.isString()) s.seed = v.toString().toULongLong(&ok);
        if (!ok) fail(where, QStringLiteral("seed: expected an unsigned integer"));
    }
    if (sm.contains("order")) {
        try {
            s.order = anatomy::parseSamplerOrder(stringField(sm, QStringLiteral("order"), where).toStdString());
        } catch (const std::exception& e) {
            fail(where, QStringLiteral("order: %1").arg(QString::fromUtf8(e.what())));
        }
    }
    return s;
}

std::vector<int> tokenList(const QJsonObject& o, const QString& where) {
    std::vector<int> out;
    if (!o.contains("tokens")) return out;
    if (!o.value("tokens").isArray()) fail(where, QStringLiteral("tokens: expected an array of token ids"));
    for (const QJsonValue& v : o.value("tokens").toArray()) {
        if (!v.isDouble() || v.toInt(-1) < 0) fail(where, QStringLiteral("tokens: expected non-negative integers"));
        out.push_back(v.toInt());
    }
    return out;
}

QJsonArray tokenArray(const std::vector<int>& tokens) {
    QJsonArray t;
    for (int id : tokens) t.append(id);
    return t;
}

// The decoding lab's settings; each field left out keeps the view's default.
LessonDecodingSettings readDecodingSettings(const QJsonObject& o, const QString& where) {
    checkKeys(o, {"max_new", "beam_width", "length_penalty", "samples", "scorer", "answer_regex", "variants"}, where);
    LessonDecodingSettings d;
    // The ranges of the view's spin boxes.
    auto bounded = [&](const char* key, int fallback, int lo, int hi) {
        const int v = intField(o, QLatin1String(key), fallback, where);
        if (v < lo || v > hi) fail(where, QStringLiteral("%1: expected %2 to %3, got %4").arg(QLatin1String(key)).arg(lo).arg(hi).arg(v));
        return v;
    };
    d.maxNew = bounded("max_new", d.maxNew, 1, 512);
    d.beamWidth = bounded("beam_width", d.beamWidth, 1, 16);
    d.samples = bounded("samples", d.samples, 1, 64);
    if (o.contains("length_penalty")) {
        const double a = o.value("length_penalty").toDouble(std::nan(""));
        if (!o.value("length_penalty").isDouble() || !(a >= -1.0 && a <= 3.0))
            fail(where, QStringLiteral("length_penalty: expected a number in [-1, 3]"));
        d.lengthPenalty = a;
    }
    if (o.contains("scorer")) {
        d.scorer = stringField(o, QStringLiteral("scorer"), where);
        if (!QStringList{"mean-logprob", "sum-logprob"}.contains(d.scorer))
            fail(where, QStringLiteral("scorer: expected mean-logprob or sum-logprob, got \"%1\"").arg(d.scorer));
    }
    if (o.contains("answer_regex")) {
        d.answerRegex = stringField(o, QStringLiteral("answer_regex"), where);
        try {
            std::regex(d.answerRegex.toStdString(), std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            fail(where, QStringLiteral("answer_regex: not an ECMAScript regex (%1)").arg(QString::fromUtf8(e.what())));
        }
    }
    if (o.contains("variants")) {
        d.variants = stringField(o, QStringLiteral("variants"), where);
        QString err;
        if (DecodingController::parseVariants(d.variants, anatomy::SamplerSettings{}, &err).empty())
            fail(where, QStringLiteral("variants: %1").arg(err));
    }
    return d;
}

QJsonObject decodingSettingsJson(const LessonDecodingSettings& d) {
    return {{"max_new", d.maxNew},           {"beam_width", d.beamWidth},     {"length_penalty", d.lengthPenalty},
            {"samples", d.samples},          {"scorer", d.scorer},            {"answer_regex", d.answerRegex},
            {"variants", d.variants}};
}

LessonState readState(const QJsonObject& o, const QString& where) {
    checkKeys(o, QStringList{"model", "prefer_model", "prefer_train", "prefer_set", "prefer_prompt", "prefer_view", "prompt", "tokens", "view", "beside", "selection", "sampler", "set",
                             "pin", "decoding", "decoding_settings", "attention_mode"} + withZh({"prefer_note"}),
              where);
    LessonState s;
    s.model = stringField(o, QStringLiteral("model"), where);
    s.preferModel = stringField(o, QStringLiteral("prefer_model"), where);
    s.preferNote = textField(o, QStringLiteral("prefer_note"), where);
    s.preferTrain = stringField(o, QStringLiteral("prefer_train"), where);
    // Checked against the presets when they are at hand (a source tree, an install with them).
    if (const QStringList presets = trainPresetNames(); !s.preferTrain.isEmpty() && !presets.isEmpty() &&
                                                        !presets.contains(s.preferTrain))
        fail(where, QStringLiteral("prefer_train: unknown training preset \"%1\" (presets: %2)")
                        .arg(s.preferTrain, presets.join(QStringLiteral(", "))));
    s.preferSet = knobList(o, QStringLiteral("prefer_set"), where);
    s.preferPrompt = stringField(o, QStringLiteral("prefer_prompt"), where);
    s.preferView = viewField(o, QStringLiteral("prefer_view"), {}, where);
    if ((!s.preferSet.isEmpty() || !s.preferPrompt.isEmpty() || !s.preferView.isEmpty()) && s.preferModel.isEmpty() &&
        s.preferTrain.isEmpty())
        fail(where, QStringLiteral("prefer_set, prefer_prompt and prefer_view need prefer_model or prefer_train"));
    if (!s.preferModel.isEmpty() && !s.preferTrain.isEmpty())
        fail(where, QStringLiteral("prefer_model and prefer_train: name one best model"));
    s.prompt = stringField(o, QStringLiteral("prompt"), where);
    s.tokens = tokenList(o, where);
    s.view = viewField(o, QStringLiteral("view"), s.view, where);
    if (s.view.isEmpty()) fail(where, QStringLiteral("view: must name a view"));
    s.beside = viewField(o, QStringLiteral("beside"), {}, where);
    if (o.contains("selection")) {
        const QJsonObject sel = o.value("selection").toObject();
        checkKeys(sel, {"position", "layer", "head"}, where + QStringLiteral(": selection"));
        s.selection.position = intField(sel, QStringLiteral("position"), -1, where);
        s.selection.layer = intField(sel, QStringLiteral("layer"), 0, where);
        s.selection.head = intField(sel, QStringLiteral("head"), 0, where);
        if (s.selection.position < -1 || s.selection.layer < 0 || s.selection.head < 0)
            fail(where, QStringLiteral("selection: position >= -1, layer >= 0 and head >= 0 expected"));
    }
    if (o.contains("sampler")) s.sampler = readSampler(o.value("sampler").toObject(), where + QStringLiteral(": sampler"));
    s.set = knobList(o, QStringLiteral("set"), where);
    if (o.contains("pin")) {
        const QJsonObject p = o.value("pin").toObject();
        checkKeys(p, {"set", "prompt", "tokens"}, where + QStringLiteral(": pin"));
        s.pin = LessonPin{knobList(p, QStringLiteral("set"), where + QStringLiteral(": pin")),
                          stringField(p, QStringLiteral("prompt"), where),
                          tokenList(p, where + QStringLiteral(": pin"))};
    }
    s.decoding = stringField(o, QStringLiteral("decoding"), where);
    if (!s.decoding.isEmpty() && !QStringList{"beam", "samples", "compare"}.contains(s.decoding))
        fail(where, QStringLiteral("decoding: expected beam, samples or compare, got \"%1\"").arg(s.decoding));
    if (o.contains("decoding_settings")) {
        if (!o.value("decoding_settings").isObject()) fail(where, QStringLiteral("decoding_settings: expected an object"));
        s.decodingSettings = readDecodingSettings(o.value("decoding_settings").toObject(),
                                                  where + QStringLiteral(": decoding_settings"));
    }
    if (o.contains("attention_mode")) {
        s.attentionMode = stringField(o, QStringLiteral("attention_mode"), where);
        if (!QStringList{"probabilities", "scores", "log"}.contains(s.attentionMode))
            fail(where, QStringLiteral("attention_mode: expected probabilities, scores or log, got \"%1\"").arg(s.attentionMode));
    }
    return s;
}

LessonStep readStep(const QJsonObject& o, const QString& where) {
    checkKeys(o, QStringList{"state", "highlight", "try", "overlay"} + withZh({"title", "text", "question", "answer", "note"}),
              where);
    LessonStep st;
    st.title = textField(o, QStringLiteral("title"), where);
    if (st.title.en.isEmpty()) fail(where, QStringLiteral("title: every step needs a title"));
    st.text = textField(o, QStringLiteral("text"), where);
    st.question = textField(o, QStringLiteral("question"), where);
    st.answer = textField(o, QStringLiteral("answer"), where);
    st.note = textField(o, QStringLiteral("note"), where);
    st.state = readState(o.value("state").toObject(), where + QStringLiteral(": state"));
    if (o.contains("highlight")) {
        const QJsonObject h = o.value("highlight").toObject();
        const QString w = where + QStringLiteral(": highlight");
        checkKeys(h, QStringList{"view", "element", "rect"} + withZh({"label"}), w);
        st.highlight.view = viewField(h, QStringLiteral("view"), {}, w);
        st.highlight.element = stringField(h, QStringLiteral("element"), w);
        st.highlight.label = textField(h, QStringLiteral("label"), w);
        if (h.contains("rect")) {
            const QJsonArray r = h.value("rect").toArray();
            bool ok = r.size() == 4;
            double v[4] = {0, 0, 0, 0};
            for (int i = 0; ok && i < 4; ++i) {
                v[i] = r[i].toDouble(-1);
                ok = r[i].isDouble() && v[i] >= 0 && v[i] <= 1;
            }
            if (!ok || v[0] + v[2] > 1.0001 || v[1] + v[3] > 1.0001)
                fail(w, QStringLiteral("rect: expected [x, y, w, h], fractions of the view inside [0, 1]"));
            st.highlight.rect = QRectF(v[0], v[1], v[2], v[3]);
        }
    }
    if (o.contains("try")) {
        const QJsonObject t = o.value("try").toObject();
        checkKeys(t, QStringList{"control"} + withZh({"text"}), where + QStringLiteral(": try"));
        st.tryIt.control = stringField(t, QStringLiteral("control"), where);
        if (!st.tryIt.control.isEmpty() && !findSettingInfo(st.tryIt.control) &&
            !samplerControlNames().contains(st.tryIt.control))
            fail(where, QStringLiteral("try: control: unknown control \"%1\" (a --set key or one of %2)")
                            .arg(st.tryIt.control, samplerControlNames().join(QStringLiteral(", "))));
        st.tryIt.text = textField(t, QStringLiteral("text"), where);
    }
    st.overlay = stringField(o, QStringLiteral("overlay"), where);
    if (!st.overlay.isEmpty() && !QStringList{"bottom-right", "bottom-left", "top-right", "top-left"}.contains(st.overlay))
        fail(where, QStringLiteral("overlay: expected bottom-right, bottom-left, top-right or top-left"));
    return st;
}

void putText(QJsonObject& o, const QString& key, const LessonText& t) {
    if (!t.en.isEmpty()) o.insert(key, t.en);
    if (!t.zh.isEmpty()) o.insert(key + QStringLiteral("_zh"), t.zh);
}

QJsonObject samplerJson(const anatomy::SamplerSettings& s) {
    return {{"temperature", double(s.temperature)},
            {"topK", s.topK},
            {"topP", double(s.topP)},
            {"minP", double(s.minP)},
            {"typicalP", double(s.typicalP)},
            {"repetitionPenalty", double(s.repetitionPenalty)},
            {"repetitionWindow", s.repetitionWindow},
            {"seed", QString::number(s.seed)},
            {"order", QString::fromStdString(anatomy::formatSamplerOrder(s.order))}};
}

QJsonObject stateJson(const LessonState& s) {
    QJsonObject o;
    if (!s.model.isEmpty()) o.insert("model", s.model);
    if (!s.preferModel.isEmpty()) o.insert("prefer_model", s.preferModel);
    putText(o, QStringLiteral("prefer_note"), s.preferNote);
    if (!s.preferTrain.isEmpty()) o.insert("prefer_train", s.preferTrain);
    if (!s.preferSet.isEmpty()) o.insert("prefer_set", QJsonArray::fromStringList(s.preferSet));
    if (!s.preferPrompt.isEmpty()) o.insert("prefer_prompt", s.preferPrompt);
    if (!s.preferView.isEmpty()) o.insert("prefer_view", s.preferView);
    if (!s.prompt.isEmpty()) o.insert("prompt", s.prompt);
    if (!s.tokens.empty()) o.insert("tokens", tokenArray(s.tokens));
    o.insert("view", s.view);
    if (!s.beside.isEmpty()) o.insert("beside", s.beside);
    o.insert("selection", QJsonObject{{"position", s.selection.position}, {"layer", s.selection.layer},
                                      {"head", s.selection.head}});
    if (!(s.sampler == anatomy::SamplerSettings{})) o.insert("sampler", samplerJson(s.sampler));
    if (!s.set.isEmpty()) o.insert("set", QJsonArray::fromStringList(s.set));
    if (s.pin) {
        QJsonObject p{{"set", QJsonArray::fromStringList(s.pin->set)}};
        if (!s.pin->prompt.isEmpty()) p.insert("prompt", s.pin->prompt);
        if (!s.pin->tokens.empty()) p.insert("tokens", tokenArray(s.pin->tokens));
        o.insert("pin", p);
    }
    if (!s.decoding.isEmpty()) o.insert("decoding", s.decoding);
    if (!(s.decodingSettings == LessonDecodingSettings{})) o.insert("decoding_settings", decodingSettingsJson(s.decodingSettings));
    if (s.attentionMode != QLatin1String("probabilities")) o.insert("attention_mode", s.attentionMode);
    return o;
}

}  // namespace

const QString& LessonText::in(const QString& language) const {
    return language.startsWith(QLatin1String("zh")) && !zh.isEmpty() ? zh : en;
}

QStringList samplerControlNames() {
    return {"temperature", "topK", "topP", "minP", "typicalP", "repetitionPenalty", "order", "seed"};
}

QString parseLesson(const QByteArray& json, const QString& name, Lesson& out) {
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &perr);
    if (doc.isNull()) return QStringLiteral("%1: not JSON (%2 at byte %3)").arg(name, perr.errorString()).arg(perr.offset);
    if (!doc.isObject()) return QStringLiteral("%1: expected a JSON object").arg(name);
    const QJsonObject root = doc.object();
    try {
        if (root.value("format").toString() != QLatin1String(kFormat))
            fail(name, QStringLiteral("format: expected \"%1\", got \"%2\"").arg(QLatin1String(kFormat), root.value("format").toString()));
        if (root.value("version").toInt() != kFormatVersion)
            fail(name, QStringLiteral("version: expected %1, got %2").arg(kFormatVersion).arg(root.value("version").toInt()));
        checkKeys(root, QStringList{"format", "version", "steps"} + withZh({"title", "section"}), name);
        Lesson l;
        l.title = textField(root, QStringLiteral("title"), name);
        if (l.title.en.isEmpty()) fail(name, QStringLiteral("title: a lesson needs a title"));
        l.section = textField(root, QStringLiteral("section"), name);
        const QJsonArray steps = root.value("steps").toArray();
        if (steps.isEmpty()) fail(name, QStringLiteral("steps: a lesson needs at least one step"));
        for (int i = 0; i < steps.size(); ++i) {
            const QString where = QStringLiteral("%1: step %2").arg(name).arg(i + 1);
            if (!steps[i].isObject()) fail(where, QStringLiteral("expected an object"));
            l.steps.push_back(readStep(steps[i].toObject(), where));
        }
        out = std::move(l);
    } catch (const LessonError& e) {
        return e.message;
    }
    return {};
}

QString readLessonFile(const QString& path, Lesson& out) {
    QFile f(path);
    const QFileInfo info(path);
    if (!info.exists()) return QStringLiteral("%1: no such file").arg(path);
    if (!info.isFile()) return QStringLiteral("%1: not a regular file").arg(path);
    if (info.size() > kMaxLessonBytes)
        return QStringLiteral("%1: %2 bytes is too large for a lesson (at most %3)").arg(path).arg(info.size()).arg(kMaxLessonBytes);
    if (!f.open(QIODevice::ReadOnly)) return QStringLiteral("%1: cannot open: %2").arg(path, f.errorString());
    return parseLesson(f.read(kMaxLessonBytes + 1), path, out);
}

QByteArray lessonToJson(const Lesson& l) {
    QJsonObject root{{"format", QLatin1String(kFormat)}, {"version", kFormatVersion}};
    putText(root, QStringLiteral("title"), l.title);
    putText(root, QStringLiteral("section"), l.section);
    QJsonArray steps;
    for (const LessonStep& st : l.steps) {
        QJsonObject o;
        putText(o, QStringLiteral("title"), st.title);
        putText(o, QStringLiteral("text"), st.text);
        o.insert("state", stateJson(st.state));
        if (!st.highlight.isEmpty() || !st.highlight.view.isEmpty()) {
            QJsonObject h;
            if (!st.highlight.view.isEmpty()) h.insert("view", st.highlight.view);
            if (!st.highlight.element.isEmpty()) h.insert("element", st.highlight.element);
            if (!st.highlight.rect.isEmpty()) {
                const QRectF r = st.highlight.rect;
                h.insert("rect", QJsonArray{r.x(), r.y(), r.width(), r.height()});
            }
            putText(h, QStringLiteral("label"), st.highlight.label);
            o.insert("highlight", h);
        }
        if (!st.tryIt.control.isEmpty() || !st.tryIt.text.isEmpty()) {
            QJsonObject t;
            if (!st.tryIt.control.isEmpty()) t.insert("control", st.tryIt.control);
            putText(t, QStringLiteral("text"), st.tryIt.text);
            o.insert("try", t);
        }
        putText(o, QStringLiteral("question"), st.question);
        putText(o, QStringLiteral("answer"), st.answer);
        putText(o, QStringLiteral("note"), st.note);
        if (!st.overlay.isEmpty()) o.insert("overlay", st.overlay);
        steps.append(o);
    }
    root.insert("steps", steps);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QString writeLessonFile(const QString& path, const Lesson& lesson) {
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
    f.write(lessonToJson(lesson));
    if (!f.commit()) return QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
    return {};
}

std::optional<int> lessonStepIndex(const Lesson& lesson, int step, QString* error) {
    const int n = int(lesson.steps.size());
    if (step >= 1 && step <= n) return step - 1;
    if (error)
        *error = n == 0 ? QStringLiteral("step %1 is out of range: the lesson has no steps").arg(step)
                        : QStringLiteral("step %1 is out of range: the lesson has %2 steps (1–%2)").arg(step).arg(n);
    return std::nullopt;
}

QString userLessonFolder() {
    return QString::fromStdString(anatomy::userDataDir()) + QStringLiteral("/lessons");
}

QStringList lessonFiles() {
    QStringList out;
    for (const QString& dir : {QStringLiteral(":/lessons"), userLessonFolder()}) {
        const QDir d(dir);
        for (const QString& f : d.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) out << d.filePath(f);
    }
    return out;
}

}  // namespace anatomy::widgets
