#include "anatomy/model_registry.h"

#include <unistd.h>

#include <algorithm>
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

std::vector<KnownModel> parseManifest(const std::string& text) {
    std::vector<KnownModel> out;
    std::istringstream in(text);
    std::string line;
    bool header = true;
    int lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (line.empty() || line[0] == '#') continue;
        if (header) { header = false; continue; }  // column names
        std::vector<std::string> f;
        std::stringstream ls(line);
        std::string cell;
        while (std::getline(ls, cell, '\t')) f.push_back(cell);
        auto bad = [&](const std::string& what) {
            throw Error("model manifest line " + std::to_string(lineNo) + ": " + what);
        };
        if (f.size() < 8) bad("expected at least 8 tab-separated columns, got " + std::to_string(f.size()));
        auto number = [&](const std::string& cellText, const char* column) -> int64_t {
            if (cellText == "-") return 0;
            if (cellText.empty() || cellText.size() > 15 ||
                cellText.find_first_not_of("0123456789") != std::string::npos)
                bad(std::string(column) + ": expected a whole number or -, got \"" + printable(cellText) + "\"");
            return std::stoll(cellText);
        };
        KnownModel m;
        m.name = f[0];
        m.file = f[1];
        m.tokenizer = f[2] == "-" ? "" : f[2];
        m.format = f[3];
        m.size = number(f[4], "size");
        m.sha256 = f[5] == "-" ? "" : f[5];
        if (!m.sha256.empty() && (m.sha256.size() != 64 || m.sha256.find_first_not_of("0123456789abcdef") != std::string::npos))
            bad("sha256: expected 64 lowercase hex digits or -, got \"" + printable(m.sha256) + "\"");
        m.license = f[6];
        m.url = f[7] == "-" ? "" : f[7];
        if (f.size() > 8) m.trainedContext = int(std::min<int64_t>(number(f[8], "context"), 1 << 24));
        m.architecture = f.size() > 9 && f[9] != "-" ? f[9] : (m.format == "tokenizer" ? "" : "llama");
        if (f.size() > 10 && f[10] != "-") m.note = f[10];
        if (m.name.empty() || m.file.empty()) bad("the name and the file must not be empty");
        out.push_back(std::move(m));
    }
    return out;
}

const std::vector<KnownModel>& knownModels() {
    static const std::vector<KnownModel> models = parseManifest(kManifestTsv);
    return models;
}

std::string userDataDir() {
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return (fs::path(x) / "transformer-anatomy").string();
    if (const char* home = std::getenv("HOME"); home && *home)
        return (fs::path(home) / ".local/share/transformer-anatomy").string();
    return {};
}

namespace {

fs::path recordFile() {
    const std::string d = userDataDir();
    return d.empty() ? fs::path() : fs::path(d) / "recorded_sha256.tsv";
}

// Lines "file<TAB>sha256" of the record (a damaged line is skipped: the record is a cache).
std::vector<std::pair<std::string, std::string>> readRecords() {
    std::vector<std::pair<std::string, std::string>> out;
    const fs::path p = recordFile();
    std::error_code ec;
    if (p.empty() || !fs::is_regular_file(p, ec) || fs::file_size(p, ec) > (1 << 20)) return out;
    std::ifstream in(p);
    std::string line;
    while (std::getline(in, line)) {
        const size_t tab = line.find('\t');
        if (tab == std::string::npos) continue;
        std::string sha = line.substr(tab + 1);
        if (sha.size() != 64 || sha.find_first_not_of("0123456789abcdef") != std::string::npos) continue;
        out.emplace_back(line.substr(0, tab), std::move(sha));
    }
    return out;
}

}  // namespace

std::string recordedSha256(const std::string& manifestFile) {
    std::string found;
    for (const auto& [file, sha] : readRecords())
        if (file == manifestFile) found = sha;
    return found;
}

void recordSha256(const std::string& manifestFile, const std::string& sha256) {
    const fs::path p = recordFile();
    if (p.empty()) throw Error("cannot record the sha256 of " + manifestFile + ": neither XDG_DATA_HOME nor HOME is set");
    if (manifestFile.find_first_of("\t\n\r") != std::string::npos || sha256.size() != 64)
        throw Error("cannot record sha256 \"" + printable(sha256) + "\" for \"" + printable(manifestFile) + "\"");
    std::error_code ec;
    fs::create_directories(p.parent_path(), ec);
    std::vector<std::pair<std::string, std::string>> records = readRecords();
    std::erase_if(records, [&](const auto& r) { return r.first == manifestFile; });
    records.emplace_back(manifestFile, sha256);
    // Write beside, then rename: a crash never leaves half a record file.
    const fs::path tmp = p.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        for (const auto& [file, sha] : records) out << file << '\t' << sha << '\n';
        if (!out) throw Error("cannot write " + tmp.string());
    }
    fs::rename(tmp, p, ec);
    if (ec) throw Error("cannot write " + p.string() + ": " + ec.message());
}

std::string expectedSha256(const KnownModel& m) { return m.sha256.empty() ? recordedSha256(m.file) : m.sha256; }

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
    if (const std::string data = userDataDir(); !data.empty()) dirs.push_back((fs::path(data) / "models").string());
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
    const std::string expected = expectedSha256(*m);
    if (expected.empty()) return;  // nothing known yet: recorded on the first download
    const std::string actual = sha256File(path);
    if (actual != expected)
        throw Error(path + ": sha256: expected " + expected + " (" + m->name +
                    (m->sha256.empty() ? " as recorded on its first download in " + recordFile().string()
                                       : std::string(" in samples/models.tsv")) +
                    "), got " + actual + ": the file is damaged or a different version" +
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
    if (isGgufFile(path)) return Tokenizer::fromGgufFile(path);
    // A SentencePiece model (protobuf, no magic) by its conventional extension.
    if (fs::path(path).extension() == ".model") return Tokenizer::fromSentencePieceModel(path);
    return Tokenizer::fromLlama2cFile(path, 0);
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
