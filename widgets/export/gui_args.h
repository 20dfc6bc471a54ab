#pragma once
// The desktop app's command line, parsed without a window so tests can check it:
//   anatomy [--model PATH] [--prompt TEXT] [--set KEY=VALUE ...] [--session FILE]
//   anatomy --screenshot FILE --view NAME [--size WxH] [--set KEY=VALUE ...]
//           [--attention-mode probabilities|scores|log]
//   anatomy --bench-latency [--iterations N]
// --set takes the architecture simulator's keys, the same as `anatomy-cli generate --set`
// (anatomy::applySetting). The ANATOMY_SIM_SET environment variable ("k=v;k=v") still works;
// --set values are applied after it, so a --set wins over the environment for the same key.
#include <QSize>
#include <QString>
#include <QStringList>
#include <optional>

#include "views/attention_view.h"
#include "views/trace_view.h"

namespace anatomy::widgets {

struct GuiArgs {
    QString model;       // path or manifest name; empty = the default model
    QString tokenizer;
    QString prompt;
    QString session;
    QString screenshot;  // file; empty = interactive
    QString view = QStringLiteral("attention");
    QSize size{1400, 900};
    Selection selection{-1, 2, 3};
    // What the attention map's colours show; nullopt: not given (the window keeps its own).
    std::optional<AttentionMode> attentionMode;
    bool benchLatency = false;
    int iterations = 40;
    // ANATOMY_SIM_SET's assignments, then --set's, each accepted by anatomy::applySetting.
    QStringList simAssignments;
    bool help = false;
    bool version = false;
    QString helpText;    // the --help text (always filled)
    QString error;       // one line, without the "anatomy: error: " prefix; empty when fine
};

// arguments[0] is the program name, as QCoreApplication::arguments() gives it. simSetEnv is the
// value of ANATOMY_SIM_SET (empty when unset).
GuiArgs parseGuiArgs(const QStringList& arguments, const QString& simSetEnv = {});

}  // namespace anatomy::widgets
