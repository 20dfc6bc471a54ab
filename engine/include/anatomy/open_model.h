#pragma once
// Opening a model the one way both faces do: the CLI's --model/--tokenizer and the app's
// Model menu, session files and screenshots all call openModelWithTokenizer, so a file runs
// with the same context and vocabulary wherever it is opened.
//   1. resolve the name or path (model_registry.h's search folders; empty = stories260K),
//   2. verify the sha256 of a file samples/models.tsv lists,
//   3. load it and correct its context to the manifest's trained context (stories260K.gguf's
//      metadata says 2048; it was trained with 512),
//   4. choose the tokenizer: the explicit file, else the vocabulary embedded in the model,
//      else tokenizer.bin / tok512.bin (or the manifest's) beside the model.
#include <memory>
#include <optional>
#include <string>

#include "anatomy/model.h"
#include "anatomy/model_registry.h"
#include "anatomy/tokenizer.h"

namespace anatomy {

// What OpenedModel::tokenizerPath says when the vocabulary came from the model file.
inline constexpr const char* kEmbeddedTokenizer = "embedded";
// The model an empty name opens.
inline constexpr const char* kDefaultModelName = "stories260K";

struct OpenedModel {
    std::shared_ptr<const Model> model;          // config.seqLen is the trained context
    std::shared_ptr<const Tokenizer> tokenizer;
    std::string path;                            // the resolved model file
    std::string tokenizerPath;                   // the tokenizer file, or kEmbeddedTokenizer
    std::optional<KnownModel> manifest;          // its samples/models.tsv row, when listed
    int fileContext = 0;                         // the context the file's metadata states

    int trainedContext() const { return model->config.seqLen; }
    bool embeddedTokenizer() const { return tokenizerPath == kEmbeddedTokenizer; }
    // The manifest corrected the file's context.
    bool contextCorrected() const { return fileContext != trainedContext(); }
};

// Steps 1-4 above. Throws Error with a message a person can act on (a missing file names the
// folders searched; a damaged one its sha256; a missing tokenizer how to give one).
OpenedModel openModelWithTokenizer(const std::string& nameOrPath, const std::string& tokenizerPath = {});

}  // namespace anatomy
