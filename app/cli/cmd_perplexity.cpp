#include <cstdio>

#include "anatomy/corpus.h"
#include "anatomy/error.h"
#include "anatomy/open_model.h"
#include "anatomy/perplexity.h"
#include "anatomy/session.h"
#include "anatomy/trace_export.h"
#include "cli_args.h"
#include "cli_commands.h"

namespace anatomy::cli {

// perplexity.h's protocol on ids = [BOS] + encode(text)[from : from + length]; without
// --from/--length the window is the whole text (ids = encode(text) with BOS first). The app's
// perplexity window is the same function, so --from/--length give its numbers.
int runPerplexity(const std::vector<std::string>& args) {
    Args a(args, {"model", "tokenizer", "text", "context", "from", "length", "threads", "set"});
    const int context = int(a.integer("context", 0, 2, 1 << 20));
    if (!a.has("context")) throw UsageError("missing required option --context");
    TokenWindow window;
    window.from = long(a.integer("from", 0, 0, 1LL << 40));
    if (a.has("length")) window.length = long(a.integer("length", 0, 1, 1LL << 40));
    std::string file = a.str("text");
    if (a.has("text") && file.empty()) throw UsageError("--text: expected a file, got an empty path");
    if (file.empty()) {
        file = defaultCorpusPath();
        if (file.empty()) throw Error("no --text given and " + corpusNotFoundMessage());
    }
    setThreadCount(int(a.integer("threads", 0, 0, 1024)));
    const std::string text = readTextFile(file);
    if (a.has("tokenizer") && a.str("tokenizer").empty())
        throw UsageError("--tokenizer: expected a path, got an empty string");
    if (a.required("model").empty()) throw UsageError("--model: expected a path, got an empty string");
    const OpenedModel m = openModelWithTokenizer(a.required("model"), a.str("tokenizer"));
    const SimSettings sim = simSettingsFrom(a, m.model->config);
    const PerplexityResult r = windowPerplexity(m.model, *m.tokenizer, text, window, context, sim);
    std::printf("{\"ppl\": %.6f, \"ppl_in_context\": %.6f, \"ppl_beyond_context\": ", r.ppl,
                r.pplInContext);
    if (r.pplBeyondContext) std::printf("%.6f", *r.pplBeyondContext);
    else std::printf("null");
    std::printf(", \"tokens\": %ld, \"tokens_beyond_context\": %ld, \"windows\": %d, "
                "\"context\": %d, \"trained_context\": %d, \"text_tokens\": %ld, \"settings\": %s}\n",
                r.predictions, r.predictionsBeyond, r.windows, r.context, r.trainedContext,
                r.textTokens, jsonString(describe(sim)).c_str());
    return 0;
}

}  // namespace anatomy::cli
