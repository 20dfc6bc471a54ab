// embed: sentence embeddings of an encoder (embed.h), one JSON line per input.
#include <cstdio>
#include <fstream>

#include "anatomy/embed.h"
#include "anatomy/error.h"
#include "anatomy/open_model.h"
#include "anatomy/session.h"
#include "anatomy/trace_export.h"
#include "cli_args.h"
#include "cli_commands.h"

namespace anatomy::cli {

namespace {

// One input per line of the file; a final line break does not make an empty input, any other
// empty line is an error (it would embed nothing).
std::vector<std::string> readLines(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw Error("--file: cannot read '" + path + "'");
    std::vector<std::string> lines;
    std::string line;
    for (int n = 1; std::getline(f, line); ++n) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) throw Error("--file: line " + std::to_string(n) + " of '" + path + "' is empty");
        lines.push_back(line);
    }
    if (lines.empty()) throw Error("--file: '" + path + "' has no lines to embed");
    return lines;
}

}  // namespace

int runEmbed(const std::vector<std::string>& args) {
    Args a(args, {"model", "tokenizer", "text", "file", "pooling", "threads"});
    std::vector<std::string> texts = a.all("text");
    if (a.has("file")) {
        if (!texts.empty()) throw UsageError("give --text or --file, not both");
        texts = readLines(a.str("file"));
    }
    if (texts.empty()) throw UsageError("missing required option --text (or --file)");
    for (const std::string& t : texts)
        if (t.empty()) throw UsageError("--text: expected a text to embed, got an empty string");
    std::optional<Pooling> pooling;
    if (a.has("pooling")) {
        try {
            pooling = parsePooling(a.str("pooling"));
        } catch (const Error& e) {
            throw UsageError(std::string("--") + e.what());
        }
    }
    setThreadCount(int(a.integer("threads", 0, 0, 1024)));
    a.required("model");
    const OpenedModel L = openModelWithTokenizer(a.str("model"), a.str("tokenizer"));
    embeddingPooling(L.model->architecture, pooling);  // a decoder is refused before any work
    for (const std::string& t : texts) {
        const std::vector<float> e = embedText(L.model, *L.tokenizer, t, pooling);
        std::string line = "{\"text\": " + jsonString(t) + ", \"embedding\": [";
        char buf[32];
        for (size_t i = 0; i < e.size(); ++i) {
            std::snprintf(buf, sizeof buf, i ? ", %.7g" : "%.7g", double(e[i]));
            line += buf;
        }
        line += "]}\n";
        std::fputs(line.c_str(), stdout);
    }
    return 0;
}

}  // namespace anatomy::cli
