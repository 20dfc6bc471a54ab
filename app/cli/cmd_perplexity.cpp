#include <cstdio>
#include <fstream>
#include <sstream>

#include "anatomy/error.h"
#include "anatomy/model_registry.h"
#include "anatomy/perplexity.h"
#include "anatomy/session.h"
#include "anatomy/trace_export.h"
#include "cli_args.h"
#include "cli_commands.h"

namespace anatomy::cli {

int runPerplexity(const std::vector<std::string>& args) {
    Args a(args, {"model", "tokenizer", "text", "context", "threads", "set"});
    const std::string file = a.required("text");
    const int context = int(a.integer("context", 0, 2, 1 << 20));
    if (!a.has("context")) throw UsageError("missing required option --context");
    setThreadCount(int(a.integer("threads", 0, 0, 1024)));
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(file + ": cannot open the text file");
    std::stringstream buf;
    buf << in.rdbuf();
    std::shared_ptr<const Model> model = openModel(a.required("model"));
    Tokenizer tok = openTokenizer(*model, a.str("tokenizer"));
    const std::vector<int> ids = tok.encode(buf.str(), true, false);
    const SimSettings sim = simSettingsFrom(a, model->config);
    const PerplexityResult r = computePerplexity(model, ids, context, sim);
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
