#pragma once
// A session file: JSON with everything needed to get the same picture again: the model (path
// and sha256, so a changed file is noticed), the prompt and its exact tokens, the sampler
// settings with the seed, the thread count, the selection and the attention display mode.
#include <QString>
#include <vector>

#include "anatomy/sampler.h"
#include "trace_view.h"

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
};

// Both return an empty string or a one-line error.
QString writeSessionFile(const QString& path, const SessionState& state);
QString readSessionFile(const QString& path, SessionState& state);

}  // namespace anatomy::gui
