#include "anatomy/model_registry.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <filesystem>
#include <sstream>

#include "anatomy/corpus.h"
#include "anatomy/error.h"
#include "anatomy/model.h"
#include "anatomy/printable.h"
#include "io/mapped_file.h"

namespace anatomy {

extern const char* const kManifestTsv;
namespace fs = std::filesystem;

const std::vector<KnownModel>& knownModels() {
    static const std::vector<KnownModel> models = [] {
        std::vector<KnownModel> out;
        std::istringstream in(kManifestTsv);
        std::string line;
        bool header = true;
        while (std::getline(in, line)) {
            if (line.empty() || line[0] == '#') continue;
            if (header) { header = false; continue; }  // column names
            std::vector<std::string> f;
            std::stringstream ls(line);
            std::string cell;
            while (std::getline(ls, cell, '\t')) f.push_back(cell);
            if (f.size() < 8) continue;
            KnownModel m;
            m.name = f[0];
            m.file = f[1];
            m.tokenizer = f[2] == "-" ? "" : f[2];
            m.format = f[3];
            m.size = std::stoll(f[4]);
            m.sha256 = f[5];
            m.license = f[6];
            m.url = f[7] == "-" ? "" : f[7];
            if (f.size() > 8 && f[8] != "-") m.trainedContext = std::stoi(f[8]);
            out.push_back(std::move(m));
        }
        return out;
    }();
    return models;
}

const KnownModel* findKnownModel(const std::string& fileName) {
    const std::string base = fs::path(fileName).filename().string();
    for (const auto& m : knownModels())
        if (m.name == fileName || fs::path(m.file).filename().string() == base) return &m;
    return nullptr;
}

std::vector<std::string> modelSearchDirs() {
    std::vector<std::string> dirs;
    if (const char* e = std::getenv("ANATOMY_MODELS"); e && *e) dirs.emplace_back(e);
    for (const std::string& shared : sharedDirs()) dirs.push_back((fs::path(shared) / "models").string());
    if (const char* home = std::getenv("HOME"); home && *home)
        dirs.push_back((fs::path(home) / ".local/share/transformer-anatomy/models").string());
    return dirs;
}

static bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

std::string resolveModelPath(const std::string& nameOrPath) {
    if (nameOrPath.empty()) return {};
    if (isFile(nameOrPath)) return nameOrPath;
    const KnownModel* known = findKnownModel(nameOrPath);
    for (const auto& d : modelSearchDirs()) {
        if (known && isFile(fs::path(d) / known->file)) return (fs::path(d) / known->file).string();
        if (isFile(fs::path(d) / nameOrPath)) return (fs::path(d) / nameOrPath).string();
    }
    return {};
}

std::string defaultModelPath() { return resolveModelPath("stories260K"); }

std::string defaultTokenizerPath(const std::string& modelPath) {
    if (const KnownModel* m = findKnownModel(modelPath); m && !m->tokenizer.empty()) {
        // The manifest's tokenizer lives in the same models folder as the model.
        fs::path root = fs::path(modelPath).parent_path();
        for (auto p = fs::path(m->file).parent_path(); !p.empty(); p = p.parent_path())
            root = root.parent_path();
        if (isFile(root / m->tokenizer)) return (root / m->tokenizer).string();
    }
    for (const char* name : {"tokenizer.bin", "tok512.bin"}) {
        fs::path p = fs::path(modelPath).parent_path() / name;
        if (isFile(p)) return p.string();
    }
    return {};
}

const KnownModel* knownModelForFile(const std::string& path) {
    const std::string base = fs::path(path).filename().string();
    const KnownModel* m = nullptr;
    for (const auto& k : knownModels())
        if (fs::path(k.file).filename().string() == base) m = &k;
    return m;
}

void verifyKnownModel(const std::string& path) {
    const KnownModel* m = knownModelForFile(path);
    if (!m) return;
    const std::string actual = sha256File(path);
    if (actual != m->sha256)
        throw Error(path + ": sha256: expected " + m->sha256 + " (" + m->name +
                    " in samples/models.tsv), got " + actual +
                    ": the file is damaged or a different version" +
                    (m->url.empty() ? std::string() : "; obtain it again from " + m->url));
}

}  // namespace anatomy

namespace anatomy {

std::unique_ptr<Model> openModel(const std::string& nameOrPath, ModelFileFacts* facts) {
    const std::string path = resolveModelPath(nameOrPath);
    // A path that exists but is no regular file says what it is ("is a directory", "is a FIFO").
    if (path.empty() && ::access(nameOrPath.c_str(), F_OK) == 0) requireRegularFile(nameOrPath);
    if (path.empty()) {
        std::string where;
        for (const auto& d : modelSearchDirs()) where += (where.empty() ? "" : ", ") + d;
        throw Error(printable(nameOrPath) + ": model not found (looked for the file, then in " + where + ")");
    }
    verifyKnownModel(path);
    std::unique_ptr<Model> model = loadModel(path);
    const KnownModel* known = knownModelForFile(path);
    if (facts) *facts = ModelFileFacts{path, known, model->config.seqLen};
    // Some converters write a default context into the file (stories260K.gguf says 2048);
    // the manifest knows the context the model was trained with.
    if (known && known->trainedContext > 0) model->config.seqLen = known->trainedContext;
    return model;
}

bool isGgufFile(const std::string& path) {
    requireRegularFile(path);
    std::ifstream f(path, std::ios::binary);
    char magic[4] = {};
    f.read(magic, 4);
    return f.gcount() == 4 && std::memcmp(magic, "GGUF", 4) == 0;
}

Tokenizer openTokenizerFile(const std::string& path) {
    if (path.empty()) throw Error("--tokenizer: expected a file, got an empty path");
    return isGgufFile(path) ? Tokenizer::fromGgufFile(path) : Tokenizer::fromLlama2cFile(path, 0);
}

Tokenizer openTokenizer(const Model& model, const std::string& explicitPath, std::string* chosen) {
    std::string p = explicitPath;
    if (p.empty() && model.embeddedTokenizer) {
        if (chosen) *chosen = "embedded";
        return *model.embeddedTokenizer;
    }
    if (p.empty()) p = defaultTokenizerPath(model.path);
    if (p.empty())
        throw Error(model.path + ": no tokenizer: the file embeds none and no tokenizer.bin or "
                    "tok512.bin lies beside it; pass --tokenizer PATH");
    Tokenizer tok = isGgufFile(p) ? Tokenizer::fromGgufFile(p) : Tokenizer::fromLlama2cFile(p, model.config.vocabSize);
    if (tok.vocabSize() != model.config.vocabSize)
        throw Error(printable(p) + ": the vocabulary has " + std::to_string(tok.vocabSize()) +
                    " tokens, the model " + std::to_string(model.config.vocabSize));
    if (chosen) *chosen = p;
    return tok;
}

}  // namespace anatomy
