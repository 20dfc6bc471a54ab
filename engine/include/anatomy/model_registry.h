#pragma once
// Finding models without copying them into the project: an explicit path, then the
// ANATOMY_MODELS environment variable, then $ANATOMY_SHARED_DIR/models, then ../shared/models
// beside the project. samples/models.json lists known models with their sha256; a file whose
// name is listed there is verified on load.
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace anatomy {

class Model;
class Tokenizer;

struct KnownModel {
    std::string name;       // "stories260K"
    std::string file;       // "stories260K.bin" (relative to a models folder)
    std::string tokenizer;  // "stories260K/tok512.bin" or "" when embedded
    std::string url;        // public source
    int64_t size = 0;
    std::string sha256;
    std::string license;
    std::string format;     // "llama2c", "llama2c-q8", "gguf"
    int trainedContext = 0; // when the file's metadata is wrong about it; 0 = trust the file
};

std::string sha256File(const std::string& path);  // lowercase hex
std::string sha256Bytes(const void* data, size_t n);

// The manifest shipped in samples/models.json.
const std::vector<KnownModel>& knownModels();
const KnownModel* findKnownModel(const std::string& fileName);

// Folders searched for models, in order.
std::vector<std::string> modelSearchDirs();
// Resolves a model given by path or by a manifest name/file; empty when not found.
std::string resolveModelPath(const std::string& nameOrPath);
// The default model (stories260K.bin) path, or empty when it cannot be found.
std::string defaultModelPath();
// A tokenizer file for a model path: tok512.bin beside it, or the manifest's choice.
std::string defaultTokenizerPath(const std::string& modelPath);
// Throws Error when the file is listed in the manifest and its sha256 differs.
void verifyKnownModel(const std::string& path);

// Resolves, verifies (manifest sha256) and loads a model; applies the manifest's trained context.
// Throws Error with a message a person can act on.
std::unique_ptr<Model> openModel(const std::string& nameOrPath);
// The tokenizer for a model: an explicit llama2.c tokenizer file, else the model's embedded
// vocabulary, else tokenizer.bin / tok512.bin beside the model. Throws Error when none is found.
Tokenizer openTokenizer(const Model& model, const std::string& explicitPath = {});

}  // namespace anatomy
