#include "export/gui_args.h"

#include <QCommandLineParser>
#include <cmath>
#include <exception>

#include "anatomy/sim_settings.h"
#include "export/view_export.h"

namespace anatomy::widgets {

namespace {

// The simulator's keys, for --help: "norm.placement, norm.type, ...".
QString settingKeyList() {
    QStringList keys;
    for (const anatomy::SettingInfo& i : anatomy::settingInfo()) keys << QString::fromStdString(i.key);
    return keys.join(QStringLiteral(", "));
}

// Checks one assignment with the engine's parser; returns the engine's message or empty.
QString checkAssignment(const QString& kv) {
    anatomy::SimSettings scratch;
    try {
        anatomy::applySetting(scratch, kv.trimmed().toStdString());
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

bool toInt(const QString& text, int* out) {
    bool ok = false;
    *out = text.trimmed().toInt(&ok);
    return ok;
}

bool toDouble(const QString& text, double* out) {
    bool ok = false;
    *out = text.trimmed().toDouble(&ok);
    return ok && std::isfinite(*out);
}

}  // namespace

void SamplerOverrides::applyTo(anatomy::SamplerSettings& s) const {
    if (temperature) s.temperature = *temperature;
    if (topK) s.topK = *topK;
    if (topP) s.topP = *topP;
    if (minP) s.minP = *minP;
    if (typicalP) s.typicalP = *typicalP;
    if (repetitionPenalty) s.repetitionPenalty = *repetitionPenalty;
    if (seed) s.seed = *seed;
    if (order) s.order = *order;
}

std::optional<std::string> takeSessionArgument(std::vector<std::string>& args, std::string* error) {
    std::optional<std::string> file;
    for (size_t i = 1; i < args.size();) {
        const std::string& a = args[i];
        std::optional<std::string> value;
        size_t taken = 0;
        if (a == "--session" || a == "-session") {
            if (i + 1 >= args.size() || args[i + 1].empty()) {
                if (error) *error = "--session needs a FILE (--session FILE or --session=FILE)";
                return std::nullopt;
            }
            value = args[i + 1];
            taken = 2;
        } else if (a.rfind("--session=", 0) == 0) {
            value = a.substr(10);
            taken = 1;
            if (value->empty()) {
                if (error) *error = "--session= needs a FILE";
                return std::nullopt;
            }
        }
        if (!taken) {
            ++i;
            continue;
        }
        if (file) {
            if (error) *error = "--session given twice";
            return std::nullopt;
        }
        file = value;
        args.erase(args.begin() + static_cast<long>(i), args.begin() + static_cast<long>(i + taken));
    }
    return file;
}

GuiArgs parseGuiArgs(const QStringList& arguments, const QString& simSetEnv) {
    GuiArgs a;
    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral(
        "Transformer Anatomy: small language models, their internals drawn live.\n"
        "Headless: --screenshot FILE --view NAME renders a view (QT_QPA_PLATFORM=offscreen).\n"
        "The environment variable ANATOMY_SIM_SET=\"k=v;k=v\" sets simulator knobs too; --set wins."));
    const QCommandLineOption helpOpt({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    const QCommandLineOption versionOpt({QStringLiteral("v"), QStringLiteral("version")}, QStringLiteral("Show the version."));
    const QCommandLineOption modelOpt(QStringLiteral("model"), QStringLiteral("Model file or manifest name."), QStringLiteral("PATH"));
    const QCommandLineOption tokOpt(QStringLiteral("tokenizer"), QStringLiteral("Tokenizer file (llama2.c format)."), QStringLiteral("PATH"));
    const QCommandLineOption promptOpt(QStringLiteral("prompt"), QStringLiteral("Prompt text."), QStringLiteral("TEXT"));
    const QCommandLineOption setOpt(
        QStringLiteral("set"),
        QStringLiteral("Architecture simulator knob, repeatable, the same keys as `anatomy-cli generate --set` "
                       "(`anatomy-cli settings` explains each): %1.").arg(settingKeyList()),
        QStringLiteral("KEY=VALUE"));
    const QCommandLineOption shotOpt(QStringLiteral("screenshot"), QStringLiteral("Render a view to FILE (.png/.jpg/.pdf) and exit."), QStringLiteral("FILE"));
    const QCommandLineOption viewOpt(QStringLiteral("view"),
                                     QStringLiteral("View for --screenshot: %1, all, window or presentation (the window in presentation mode).").arg(viewNames().join(QStringLiteral(", "))),
                                     QStringLiteral("NAME"), a.view);
    const QCommandLineOption sizeOpt(QStringLiteral("size"), QStringLiteral("Screenshot size."), QStringLiteral("WxH"), QStringLiteral("1400x900"));
    const QCommandLineOption layerOpt(QStringLiteral("layer"), QStringLiteral("Selected layer."), QStringLiteral("N"), QStringLiteral("2"));
    const QCommandLineOption headOpt(QStringLiteral("head"), QStringLiteral("Selected head."), QStringLiteral("N"), QStringLiteral("3"));
    const QCommandLineOption posOpt(QStringLiteral("position"), QStringLiteral("Selected query position (-1 = last)."), QStringLiteral("N"), QStringLiteral("-1"));
    const QCommandLineOption modeOpt(QStringLiteral("attention-mode"),
                                     QStringLiteral("What the attention map shows: probabilities, scores (before the softmax) or log (log10 probabilities)."),
                                     QStringLiteral("MODE"));
    const QCommandLineOption benchOpt(QStringLiteral("bench-latency"), QStringLiteral("Measure change-to-repaint latency and print JSON."));
    const QCommandLineOption itersOpt(QStringLiteral("iterations"), QStringLiteral("Benchmark rounds."), QStringLiteral("N"), QStringLiteral("40"));
    const QCommandLineOption generateOpt(QStringLiteral("generate"),
                                         QStringLiteral("With --screenshot or --export-data of a view: Generate N tokens first, with the sampler options."),
                                         QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption sessionOpt(QStringLiteral("session"),
                                        QStringLiteral("Open a session file (also --session=FILE); screenshots and "
                                                       "--export-data draw it."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption lessonOpt(QStringLiteral("lesson"),
                                       QStringLiteral("Open a lesson file (with --screenshot: export one of its slides)."),
                                       QStringLiteral("FILE"));
    const QCommandLineOption stepOpt(QStringLiteral("step"), QStringLiteral("The lesson's step, from 1."), QStringLiteral("N"));
    const QCommandLineOption langOpt(QStringLiteral("language"),
                                     QStringLiteral("Interface and lesson language: en or zh_CN (default: View > Language, else the system locale)."),
                                     QStringLiteral("CODE"));
    const QCommandLineOption exportOpt(QStringLiteral("export-data"),
                                       QStringLiteral("Write the view's data as CSV to FILE and exit (no window)."),
                                       QStringLiteral("FILE"));
    const QCommandLineOption tempOpt(QStringLiteral("temperature"), QStringLiteral("Sampler temperature (0 = greedy)."), QStringLiteral("T"));
    const QCommandLineOption topKOpt(QStringLiteral("top-k"), QStringLiteral("Keep the k most probable tokens (0 = off)."), QStringLiteral("K"));
    const QCommandLineOption topPOpt(QStringLiteral("top-p"), QStringLiteral("Nucleus: the smallest set with mass >= p (1 = off)."), QStringLiteral("P"));
    const QCommandLineOption minPOpt(QStringLiteral("min-p"), QStringLiteral("Drop tokens below p times the top one (0 = off)."), QStringLiteral("P"));
    const QCommandLineOption typicalOpt(QStringLiteral("typical-p"), QStringLiteral("Locally typical sampling: keep the tokens closest to the entropy up to mass p (1 = off)."), QStringLiteral("P"));
    const QCommandLineOption penOpt(QStringLiteral("repetition-penalty"), QStringLiteral("Repetition penalty (1 = off)."), QStringLiteral("R"));
    const QCommandLineOption samplersOpt(QStringLiteral("samplers"), QStringLiteral("Sampler stage order, e.g. penalty,temperature,top-k,top-p,min-p,typical (stages left out are not run)."), QStringLiteral("LIST"));
    const QCommandLineOption seedOpt(QStringLiteral("seed"), QStringLiteral("Sampler seed."), QStringLiteral("N"));
    cli.addOptions({helpOpt, versionOpt, modelOpt, tokOpt, promptOpt, setOpt, shotOpt, viewOpt, sizeOpt, layerOpt,
                    headOpt, posOpt, modeOpt, benchOpt, itersOpt, sessionOpt, exportOpt, tempOpt, topKOpt, topPOpt,
                    minPOpt, typicalOpt, penOpt, samplersOpt, seedOpt, lessonOpt, stepOpt, langOpt, generateOpt});
    a.helpText = cli.helpText();

    if (!cli.parse(arguments)) {
        a.error = cli.errorText();
        return a;
    }
    a.help = cli.isSet(helpOpt);
    a.version = cli.isSet(versionOpt);
    if (!cli.positionalArguments().isEmpty()) {
        a.error = QStringLiteral("unexpected argument '%1' (see --help)").arg(cli.positionalArguments().front());
        return a;
    }
    a.model = cli.value(modelOpt);
    a.tokenizer = cli.value(tokOpt);
    a.prompt = cli.value(promptOpt);
    a.session = cli.value(sessionOpt);
    a.screenshot = cli.value(shotOpt);
    a.lesson = cli.value(lessonOpt);
    a.language = cli.value(langOpt);
    if (!a.language.isEmpty() && a.language != QLatin1String("en") && !a.language.startsWith(QLatin1String("zh"))) {
        a.error = QStringLiteral("invalid --language '%1' (expected en or zh_CN)").arg(a.language);
        return a;
    }
    if (cli.isSet(stepOpt)) {
        a.stepGiven = true;
        if (a.lesson.isEmpty()) {
            a.error = QStringLiteral("--step needs --lesson FILE");
            return a;
        }
        if (!toInt(cli.value(stepOpt), &a.step) || a.step < 1) {
            a.error = QStringLiteral("invalid --step '%1' (steps count from 1)").arg(cli.value(stepOpt));
            return a;
        }
    }
    if (!a.lesson.isEmpty() && !a.session.isEmpty()) {
        a.error = QStringLiteral("--lesson and --session cannot be combined (a lesson step sets the whole state)");
        return a;
    }
    a.exportData = cli.value(exportOpt);
    if (!a.screenshot.isEmpty() && !a.exportData.isEmpty()) {
        a.error = QStringLiteral("--screenshot and --export-data cannot be combined (run twice)");
        return a;
    }
    a.view = cli.value(viewOpt);
    a.benchLatency = cli.isSet(benchOpt);

    a.size = parseSize(cli.value(sizeOpt));
    a.sizeGiven = cli.isSet(sizeOpt);
    if (!a.size.isValid()) {
        a.error = QStringLiteral("invalid --size '%1' (expected WxH, e.g. 1600x1000)").arg(cli.value(sizeOpt));
        return a;
    }
    if (a.size.width() > kMaxImageSide || a.size.height() > kMaxImageSide) {
        a.error = QStringLiteral("--size %1x%2 is too large (at most %3 px a side)")
                      .arg(a.size.width()).arg(a.size.height()).arg(kMaxImageSide);
        return a;
    }
    // The sampler, as anatomy-cli generate checks it.
    struct Real {
        const QCommandLineOption* opt;
        double lo, hi;
        std::optional<float>* out;
    };
    const Real reals[] = {{&tempOpt, 0.0, 100.0, &a.sampler.temperature}, {&topPOpt, 0.0, 1.0, &a.sampler.topP},
                          {&minPOpt, 0.0, 1.0, &a.sampler.minP}, {&typicalOpt, 0.0, 1.0, &a.sampler.typicalP}, {&penOpt, 0.001, 1000.0, &a.sampler.repetitionPenalty}};  // > 0: logits are divided by it
    for (const Real& r : reals) {
        if (!cli.isSet(*r.opt)) continue;
        double v = 0;
        if (!toDouble(cli.value(*r.opt), &v) || v < r.lo || v > r.hi) {
            a.error = QStringLiteral("invalid --%1 '%2' (expected a number in [%3, %4])")
                          .arg(r.opt->names().front(), cli.value(*r.opt)).arg(r.lo).arg(r.hi);
            return a;
        }
        *r.out = static_cast<float>(v);
    }
    if (cli.isSet(topKOpt)) {
        int k = 0;
        if (!toInt(cli.value(topKOpt), &k) || k < 0) {
            a.error = QStringLiteral("invalid --top-k '%1' (expected an integer >= 0)").arg(cli.value(topKOpt));
            return a;
        }
        a.sampler.topK = k;
    }
    if (cli.isSet(seedOpt)) {
        bool ok = false;
        const qulonglong seed = cli.value(seedOpt).trimmed().toULongLong(&ok);
        if (!ok) {
            a.error = QStringLiteral("invalid --seed '%1' (expected an integer >= 0)").arg(cli.value(seedOpt));
            return a;
        }
        a.sampler.seed = seed;
    }
    if (cli.isSet(samplersOpt)) {
        try {
            a.sampler.order = anatomy::parseSamplerOrder(cli.value(samplersOpt).toStdString());
        } catch (const std::exception& e) {
            a.error = QStringLiteral("--samplers: %1").arg(QString::fromUtf8(e.what()));
            return a;
        }
    }
    const std::pair<const QCommandLineOption*, int*> ints[] = {
        {&posOpt, &a.selection.position}, {&layerOpt, &a.selection.layer},
        {&headOpt, &a.selection.head}, {&itersOpt, &a.iterations}, {&generateOpt, &a.generate}};
    for (const auto& [opt, out] : ints) {
        if (!toInt(cli.value(*opt), out)) {
            a.error = QStringLiteral("invalid --%1 '%2' (expected an integer)").arg(opt->names().front(), cli.value(*opt));
            return a;
        }
    }
    if (cli.isSet(modeOpt)) {
        a.attentionMode = attentionModeFromName(cli.value(modeOpt));
        if (!a.attentionMode) {
            a.error = QStringLiteral("invalid --attention-mode '%1' (expected probabilities, scores or log)").arg(cli.value(modeOpt));
            return a;
        }
    }
    if (a.iterations < 1) {
        a.error = QStringLiteral("invalid --iterations %1 (expected >= 1)").arg(a.iterations);
        return a;
    }
    if (a.generate < 0 || a.generate > 4096) {
        a.error = QStringLiteral("invalid --generate %1 (expected 0 to 4096 tokens)").arg(a.generate);
        return a;
    }

    // The environment first, then --set in order: applySetting keeps the last value of a key.
    for (const QString& kv : simSetEnv.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        if (kv.trimmed().isEmpty()) continue;
        if (const QString err = checkAssignment(kv); !err.isEmpty()) {
            a.error = QStringLiteral("ANATOMY_SIM_SET: %1").arg(err);
            return a;
        }
        a.simAssignments << kv.trimmed();
    }
    for (const QString& kv : cli.values(setOpt)) {
        // ANATOMY_SIM_SET carries the merged list, and ';' separates its entries.
        if (kv.contains(QLatin1Char(';'))) {
            a.error = QStringLiteral("--set '%1': one KEY=VALUE per --set (no ';')").arg(kv);
            return a;
        }
        if (const QString err = checkAssignment(kv); !err.isEmpty()) {
            a.error = QStringLiteral("--set '%1': %2").arg(kv, err);
            return a;
        }
        a.simAssignments << kv.trimmed();
    }
    return a;
}

}  // namespace anatomy::widgets
