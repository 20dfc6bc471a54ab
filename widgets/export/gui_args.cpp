#include "export/gui_args.h"

#include <QCommandLineParser>
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

}  // namespace

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
    const QCommandLineOption sessionOpt(QStringLiteral("session"), QStringLiteral("Open a session file."), QStringLiteral("FILE"));
    cli.addOptions({helpOpt, versionOpt, modelOpt, tokOpt, promptOpt, setOpt, shotOpt, viewOpt, sizeOpt, layerOpt,
                    headOpt, posOpt, modeOpt, benchOpt, itersOpt, sessionOpt});
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
    a.view = cli.value(viewOpt);
    a.benchLatency = cli.isSet(benchOpt);

    a.size = parseSize(cli.value(sizeOpt));
    if (!a.size.isValid()) {
        a.error = QStringLiteral("invalid --size '%1' (expected WxH, e.g. 1600x1000)").arg(cli.value(sizeOpt));
        return a;
    }
    const std::pair<const QCommandLineOption*, int*> ints[] = {
        {&posOpt, &a.selection.position}, {&layerOpt, &a.selection.layer},
        {&headOpt, &a.selection.head}, {&itersOpt, &a.iterations}};
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
