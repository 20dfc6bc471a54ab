#pragma once
// The files the monkey opens: the real stories260K checkpoints and, written at run time into a
// scratch folder, one broken file per way a user's file can be wrong (the loaders' failure
// modes of tests/engine/io/test_model_loading.cpp, made from the real files here): truncated,
// a header whose sizes disagree with the file, a negative dimension, a GGUF claiming a
// 4,194,304-token context (issue 14's first case), random bytes behind a GGUF magic, header
// bytes flipped, an empty file, a directory, a FIFO, a missing path, a broken tokenizer; and
// session files: a good one, ones naming broken models, one with 50,000 head ablations, one
// that is not JSON, one of a newer version, one with an absurd perplexity window, and a FIFO.
#include <QString>
#include <QStringList>
#include <cstdint>

namespace anatomy::monkey {

struct ModelChoice {
    QString model;
    QString tokenizer;  // empty: embedded or beside the model
    QString what;       // for the log: "stories260K.bin", "truncated.bin", ...
};

struct MonkeyFiles {
    QList<ModelChoice> goodModels;
    QList<ModelChoice> brokenModels;
    QStringList sessions;  // good and broken
};

// Writes the broken files into dir (which exists) from the real ones under shared/models;
// returns an empty list of good models when shared/ lacks them.
MonkeyFiles writeMonkeyFiles(const QString& dir, const QString& shared, uint64_t seed);

}  // namespace anatomy::monkey
