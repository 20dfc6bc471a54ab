#pragma once
// A session file: JSON with everything needed to get the same picture again: the model (path
// and sha256, so a changed file is noticed), the prompt and its exact tokens, the sampler
// settings with the seed, the thread count, the selection, the attention display mode, the
// architecture simulator's settings (every knob that differs from its default as a "key=value"
// line, the keys of `anatomy-cli --set`, written and read through the knob table) and the
// perplexity window. Files without the last two read as trained.
#include <QString>
#include <QStringList>
#include <vector>

#include "anatomy/sampler.h"
#include "anatomy/sim_settings.h"
#include "controller/trace_controller.h"
#include "views/trace_view.h"

namespace anatomy::gui {

struct SessionState {
    QString modelPath;
    QString modelSha256;
    QString tokenizerPath;       // empty: embedded or beside the model
    QString prompt;
    std::vector<int> tokens;     // exact tokens (prompt + generated), BOS first; may be empty
    anatomy::SamplerSettings sampler;
    int threads = 0;
    anatomy::widgets::Selection selection;
    QString attentionMode = QStringLiteral("probabilities");  // "scores", "log"
    anatomy::SimSettings architecture;  // stored as assignments(), read back with applySetting
    anatomy::widgets::PerplexityWindow perplexityWindow;  // textPath is not stored
};

// Both return an empty string or a one-line error.
QString writeSessionFile(const QString& path, const SessionState& state);
QString readSessionFile(const QString& path, SessionState& state);

}  // namespace anatomy::gui
