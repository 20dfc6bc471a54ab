#include "controller/session_file.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <cmath>
#include <exception>
#include <optional>

#include "anatomy/corpus.h"
#include "anatomy/printable.h"
#include "panels/knob_help.h"

namespace anatomy::gui {

namespace {
constexpr int kFormatVersion = 1;
// A session holds a prompt and its tokens: a few KB. Anything far larger is not one of ours.
constexpr qint64 kMaxSessionBytes = qint64(16) << 20;
// Perplexity window offsets and lengths are whole numbers a double holds exactly (2^53).
constexpr double kMaxWindowNumber = 9007199254740992.0;
// The largest thread count a session may ask for (SettingsPanel offers far fewer).
constexpr int kMaxThreads = 4096;

QString readSession(const QString& path, SessionState& s);
}  // namespace

QString writeSessionFile(const QString& path, const SessionState& s) {
    QJsonObject sampler{{"temperature", double(s.sampler.temperature)},
                        {"topK", s.sampler.topK},
                        {"topP", double(s.sampler.topP)},
                        {"minP", double(s.sampler.minP)},
                        {"typicalP", double(s.sampler.typicalP)},
                        {"repetitionPenalty", double(s.sampler.repetitionPenalty)},
                        {"repetitionWindow", s.sampler.repetitionWindow},
                        // a string: JSON numbers lose 64-bit integers
                        {"seed", QString::number(s.sampler.seed)},
                        {"order", QString::fromStdString(anatomy::formatSamplerOrder(s.sampler.order))}};
    QJsonArray tokens;
    for (int t : s.tokens) tokens.append(t);
    const bool chars = s.perplexityWindow.unit == anatomy::widgets::PerplexityWindow::Unit::Characters;
    QJsonObject ppl{{"unit", chars ? "characters" : "tokens"},
                    {"start", double(s.perplexityWindow.start)},
                    {"length", double(s.perplexityWindow.length)},
                    {"context", s.perplexityWindow.context}};
    QJsonObject root{{"format", "transformer-anatomy-session"},
                     {"version", kFormatVersion},
                     {"model", QJsonObject{{"path", s.modelPath}, {"sha256", s.modelSha256},
                                           {"tokenizer", s.tokenizerPath}}},
                     {"prompt", s.prompt},
                     {"tokens", tokens},
                     {"sampler", sampler},
                     {"threads", s.threads},
                     {"selection", QJsonObject{{"position", s.selection.position},
                                               {"layer", s.selection.layer},
                                               {"head", s.selection.head}}},
                     {"attentionMode", s.attentionMode},
                     {"architecture", QJsonArray::fromStringList(anatomy::widgets::assignmentLines(s.architecture))},
                     {"perplexity", ppl}};
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) return QObject::tr("cannot write %1: %2").arg(path, f.errorString());
    f.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!f.commit()) return QObject::tr("cannot write %1: %2").arg(path, f.errorString());
    return {};
}

QString readSessionFile(const QString& path, SessionState& s) {
    // The messages quote the path and the file's own text: printable before they reach a terminal.
    const QString err = readSession(path, s);
    return err.isEmpty() ? err : QString::fromStdString(anatomy::printable(err.toStdString()));
}

namespace {

// A number of the file that must be finite (Qt's parser refuses 1e999; this is the second line).
bool finiteNumber(const QJsonObject& o, const char* key, double fallback, double& out) {
    out = o.value(QLatin1String(key)).toDouble(fallback);
    return std::isfinite(out);
}

QString readSession(const QString& path, SessionState& s) {
    // A regular file (a FIFO would block in open()) of a bounded size, read by the engine's helper.
    std::string bytes;
    try {
        const QFileInfo info(path);
        if (info.exists() && info.isFile() && info.size() > kMaxSessionBytes)
            return QObject::tr("%1: %2 bytes is too large for a session file (at most %3)")
                .arg(path).arg(info.size()).arg(kMaxSessionBytes);
        bytes = anatomy::readTextFile(QFile::encodeName(path).toStdString());
    } catch (const std::exception& e) {
        return QObject::tr("cannot read the session: %1").arg(QString::fromUtf8(e.what()));
    }
    if (qint64(bytes.size()) > kMaxSessionBytes)
        return QObject::tr("%1: too large for a session file (at most %2 bytes)").arg(path).arg(kMaxSessionBytes);
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(bytes), &perr);
    if (doc.isNull()) return QObject::tr("%1: not JSON (%2 at byte %3)").arg(path, perr.errorString()).arg(perr.offset);
    const QJsonObject root = doc.object();
    if (root.value("format").toString() != QLatin1String("transformer-anatomy-session"))
        return QObject::tr("%1: format: expected \"transformer-anatomy-session\", got \"%2\"")
            .arg(path, root.value("format").toString());
    if (root.value("version").toInt() != kFormatVersion)
        return QObject::tr("%1: version: expected %2, got %3").arg(path).arg(kFormatVersion).arg(root.value("version").toInt());
    SessionState out;
    const QJsonObject model = root.value("model").toObject();
    out.modelPath = model.value("path").toString();
    out.modelSha256 = model.value("sha256").toString();
    out.tokenizerPath = model.value("tokenizer").toString();
    if (out.modelPath.isEmpty()) return QObject::tr("%1: model.path is missing").arg(path);
    out.prompt = root.value("prompt").toString();
    for (const QJsonValue& v : root.value("tokens").toArray()) {
        if (!v.isDouble() || v.toInt(-1) < 0) return QObject::tr("%1: tokens: expected non-negative integers").arg(path);
        out.tokens.push_back(v.toInt());
    }
    const QJsonObject sm = root.value("sampler").toObject();
    const anatomy::SamplerSettings d;
    // Each float setting finite as a float (1e300 would become infinity).
    const struct {
        const char* key;
        float fallback;
        float* to;
    } floats[] = {{"temperature", d.temperature, &out.sampler.temperature},
                  {"topP", d.topP, &out.sampler.topP},
                  {"minP", d.minP, &out.sampler.minP},
                  {"typicalP", d.typicalP, &out.sampler.typicalP},
                  {"repetitionPenalty", d.repetitionPenalty, &out.sampler.repetitionPenalty}};
    for (const auto& f : floats) {
        double v = 0;
        if (!finiteNumber(sm, f.key, f.fallback, v) || std::fabs(v) > 3.0e38)
            return QObject::tr("%1: sampler.%2: expected a finite number").arg(path, QLatin1String(f.key));
        *f.to = static_cast<float>(v);
    }
    out.sampler.topK = sm.value("topK").toInt(d.topK);
    out.sampler.repetitionWindow = sm.value("repetitionWindow").toInt(d.repetitionWindow);
    bool ok = false;
    out.sampler.seed = sm.value("seed").toString(QString::number(d.seed)).toULongLong(&ok);
    if (!ok) return QObject::tr("%1: sampler.seed: expected an unsigned integer string").arg(path);
    if (sm.contains("order")) {  // absent in files written before the order was settable
        try {
            out.sampler.order = anatomy::parseSamplerOrder(sm.value("order").toString().toStdString());
        } catch (const std::exception& e) {
            return QObject::tr("%1: sampler.order: %2").arg(path, QString::fromUtf8(e.what()));
        }
    }
    out.threads = root.value("threads").toInt(0);
    if (out.threads < 0 || out.threads > kMaxThreads)
        return QObject::tr("%1: threads: expected 0 (all cores) to %2, got %3").arg(path).arg(kMaxThreads).arg(out.threads);
    const QJsonObject sel = root.value("selection").toObject();
    out.selection.position = sel.value("position").toInt(-1);
    out.selection.layer = sel.value("layer").toInt(0);
    out.selection.head = sel.value("head").toInt(0);
    out.attentionMode = root.value("attentionMode").toString(QStringLiteral("probabilities"));
    QStringList architecture;
    for (const QJsonValue& v : root.value("architecture").toArray()) {
        if (!v.isString() || !v.toString().contains(QLatin1Char('=')))
            return QObject::tr("%1: architecture: expected \"key=value\" strings").arg(path);
        architecture << v.toString();
    }
    QString simError;
    const std::optional<anatomy::SimSettings> sim = anatomy::widgets::settingsFromAssignments(architecture, &simError);
    if (!sim) return QObject::tr("%1: architecture: %2").arg(path, simError);
    out.architecture = *sim;
    const QJsonObject ppl = root.value("perplexity").toObject();
    const anatomy::widgets::PerplexityWindow dw;
    out.perplexityWindow.unit = ppl.value("unit").toString() == QLatin1String("characters")
                                    ? anatomy::widgets::PerplexityWindow::Unit::Characters
                                    : anatomy::widgets::PerplexityWindow::Unit::Tokens;
    double start = 0, length = 0;
    // Checked before the conversion: a double beyond qint64 has no integer value to convert to.
    if (!finiteNumber(ppl, "start", double(dw.start), start) || !finiteNumber(ppl, "length", double(dw.length), length) ||
        std::fabs(start) > kMaxWindowNumber || std::fabs(length) > kMaxWindowNumber)
        return QObject::tr("%1: perplexity: start and length must be whole numbers below 2^53").arg(path);
    out.perplexityWindow.start = qint64(start);
    out.perplexityWindow.length = qint64(length);
    out.perplexityWindow.context = ppl.value("context").toInt(dw.context);
    if (out.perplexityWindow.start < 0 || out.perplexityWindow.length < 2 || out.perplexityWindow.context < 2)
        return QObject::tr("%1: perplexity: start >= 0, length >= 2 and context >= 2 expected").arg(path);
    s = std::move(out);
    return {};
}

}  // namespace

}  // namespace anatomy::gui
