#include "controller/session_file.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <exception>
#include <optional>

#include "panels/knob_help.h"

namespace anatomy::gui {

namespace {
constexpr int kFormatVersion = 1;
}

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
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return QObject::tr("cannot open %1: %2").arg(path, f.errorString());
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &perr);
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
    out.sampler.temperature = static_cast<float>(sm.value("temperature").toDouble(d.temperature));
    out.sampler.topK = sm.value("topK").toInt(d.topK);
    out.sampler.topP = static_cast<float>(sm.value("topP").toDouble(d.topP));
    out.sampler.minP = static_cast<float>(sm.value("minP").toDouble(d.minP));
    out.sampler.typicalP = static_cast<float>(sm.value("typicalP").toDouble(d.typicalP));
    out.sampler.repetitionPenalty = static_cast<float>(sm.value("repetitionPenalty").toDouble(d.repetitionPenalty));
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
    out.perplexityWindow.start = qint64(ppl.value("start").toDouble(double(dw.start)));
    out.perplexityWindow.length = qint64(ppl.value("length").toDouble(double(dw.length)));
    out.perplexityWindow.context = ppl.value("context").toInt(dw.context);
    if (out.perplexityWindow.start < 0 || out.perplexityWindow.length < 2 || out.perplexityWindow.context < 2)
        return QObject::tr("%1: perplexity: start >= 0, length >= 2 and context >= 2 expected").arg(path);
    s = std::move(out);
    return {};
}

}  // namespace anatomy::gui
