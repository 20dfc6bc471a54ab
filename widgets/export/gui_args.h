#pragma once
// The desktop app's command line, parsed without a window so tests can check it:
//   anatomy [--model PATH] [--prompt TEXT] [--set KEY=VALUE ...] [--session FILE]
//   anatomy --screenshot FILE --view NAME [--size WxH] [--set KEY=VALUE ...] [--session FILE] [--generate N]
//           [--attention-mode probabilities|scores|log] [sampler options]
//   anatomy --export-data FILE.csv --view NAME [the same options]
// Sampler options, as anatomy-cli generate spells them: --temperature --top-k --top-p --min-p
// --repetition-penalty --samplers --seed; each given one replaces the window's value.
//   anatomy --bench-latency [--iterations N]
//   anatomy --lesson FILE [--step N]                 opens a lesson at step N (from 1)
//   anatomy --screenshot FILE --lesson FILE --step N  a slide: the window in presentation mode
// --language en|zh_CN chooses the interface and lesson language (default: saved, else the locale).
// --set takes the architecture simulator's keys, the same as `anatomy-cli generate --set`
// (anatomy::applySetting). The ANATOMY_SIM_SET environment variable ("k=v;k=v") still works;
// --set values are applied after it, so a --set wins over the environment for the same key.
#include <QSize>
#include <QString>
#include <QStringList>
#include <optional>
#include <string>
#include <vector>

#include "anatomy/sampler.h"

#include "views/attention_view.h"
#include "views/trace_view.h"

namespace anatomy::widgets {

// The sampler options given on the command line; unset ones keep the settings they are applied to.
struct SamplerOverrides {
    std::optional<float> temperature, topP, minP, typicalP, repetitionPenalty;
    std::optional<int> topK;
    std::optional<uint64_t> seed;
    std::optional<std::vector<anatomy::SamplerStageKind>> order;
    bool any() const { return temperature || topP || minP || typicalP || repetitionPenalty || topK || seed || order; }
    void applyTo(anatomy::SamplerSettings& s) const;
};

// The largest --size side; a window screenshot is refused below the window's minimum.
inline constexpr int kMaxImageSide = 8192;

struct GuiArgs {
    QString model;       // path or manifest name; empty = the default model
    QString tokenizer;
    QString prompt;
    QString session;
    QString lesson;      // --lesson FILE
    int step = 1;        // --step N, from 1
    bool stepGiven = false;
    QString language;    // --language; empty: the saved choice or the system locale
    QString screenshot;  // file; empty = interactive
    QString exportData;  // --export-data FILE.csv: the view's data, headless
    QString view = QStringLiteral("attention");
    QSize size{1400, 900};
    bool sizeGiven = false;  // --size was on the command line (--bench-latency's window)
    Selection selection{-1, 2, 3};
    // What the attention map's colours show; nullopt: not given (the window keeps its own).
    std::optional<AttentionMode> attentionMode;
    SamplerOverrides sampler;
    bool benchLatency = false;
    int iterations = 40;
    int generate = 0;    // --generate N: a view screenshot after Generate of N tokens
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

// QGuiApplication takes `-session NAME` and `--session NAME` for X11 session management and
// removes them from argv, so the app's --session must be taken out first. Removes
// `--session FILE` and `--session=FILE` from args (args[0] is the program) and returns FILE;
// nullopt when absent; *error is set (and nullopt returned) when FILE is missing or given twice.
std::optional<std::string> takeSessionArgument(std::vector<std::string>& args, std::string* error);

}  // namespace anatomy::widgets
