// generate, tokenize, trace, info.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iostream>

#include "anatomy/encoder_decoder.h"
#include "anatomy/embed.h"
#include "anatomy/error.h"
#include "anatomy/generate.h"
#include "anatomy/model.h"
#include "anatomy/model_registry.h"
#include "anatomy/npy.h"
#include "anatomy/open_model.h"
#include "anatomy/output_path.h"
#include "anatomy/trace_budget.h"
#include "anatomy/sampler.h"
#include "anatomy/session.h"
#include "anatomy/sim_settings.h"
#include "anatomy/trace_export.h"
#include "cli_args.h"
#include "cli_commands.h"

namespace anatomy::cli {
namespace {

// --model and --tokenizer through the engine's one way of opening a model (open_model.h).
// An option given with an empty value is a mistake, not "use the default" (--tokenizer '' was
// silently ignored).
std::string nonEmpty(const Args& a, const std::string& key) {
    if (a.has(key) && a.str(key).empty()) throw UsageError("--" + key + ": expected a path, got an empty string");
    return a.str(key);
}

OpenedModel loadWithTokenizer(const Args& a) {
    a.required("model");
    return openModelWithTokenizer(nonEmpty(a, "model"), nonEmpty(a, "tokenizer"));
}

void applyThreads(const Args& a) { setThreadCount(int(a.integer("threads", 0, 0, 1024))); }

}  // namespace

// The architecture simulator's knobs from repeated --set key=value options.
SimSettings simSettingsFrom(const Args& a, const ModelConfig& c) {
    SimSettings s;
    for (const std::string& kv : a.sets()) applySetting(s, kv);
    validateSettings(s, c);
    return s;
}

namespace {

// llama2.c's safe_printf: a lone control byte (from a <0xXX> piece) is not printed.
void printPiece(const std::string& piece) {
    if (piece.empty()) return;
    if (piece.size() == 1) {
        const unsigned char b = static_cast<unsigned char>(piece[0]);
        if (b < 0x80 && !(std::isprint(b) || std::isspace(b))) return;
    }
    std::fwrite(piece.data(), 1, piece.size(), stdout);
}

}  // namespace

// The sampler options of generate and decode.
SamplerSettings samplerFrom(const Args& a) {
    SamplerSettings ss;
    ss.temperature = float(a.number("temperature", 1.0, 0.0, 1e6));
    ss.topK = int(a.integer("top-k", 0, 0, 1 << 30));
    ss.topP = float(a.number("top-p", 0.9, 0.0, 1.0));
    ss.minP = float(a.number("min-p", 0.0, 0.0, 1.0));
    ss.typicalP = float(a.number("typical-p", 1.0, 0.0, 1.0));
    ss.repetitionPenalty = float(a.number("repetition-penalty", 1.0, 1e-3, 1e3));
    ss.seed = uint64_t(a.integer("seed", 42, 0, (1LL << 62)));
    if (a.has("samplers")) ss.order = parseSamplerOrder(a.str("samplers"));
    if (ss.typicalP > 0.0f && ss.typicalP < 1.0f &&
        std::find(ss.order.begin(), ss.order.end(), SamplerStageKind::Typical) == ss.order.end())
        throw UsageError("--typical-p is set but the --samplers order leaves out 'typical'");
    return ss;
}

int runGenerate(const std::vector<std::string>& args) {
    Args a(args, {"model", "tokenizer", "prompt", "max-new-tokens", "temperature", "top-k", "top-p",
                  "min-p", "repetition-penalty", "seed", "threads", "dump-logits", "set",
                  "samplers", "typical-p"});
    const SamplerSettings ss = samplerFrom(a);
    const long maxNew = long(a.integer("max-new-tokens", 256, 0, 1 << 24));
    if (a.has("dump-logits")) requireWritableFile(a.str("dump-logits"), "--dump-logits");  // before generating
    applyThreads(a);
    const OpenedModel L = loadWithTokenizer(a);
    if (isEncoderDecoder(*L.model)) return runGenerateEncoderDecoder(a, L, ss, int(maxNew));
    const Tokenizer& tok = *L.tokenizer;
    const int V = L.model->config.vocabSize;

    std::vector<int> tokens = tok.encode(a.str("prompt"), true, false);
    Session session(L.model);
    const SimSettings sim = simSettingsFrom(a, L.model->config);
    if (describe(sim) != "as trained") {
        session.setSettings(sim);
        std::fprintf(stderr, "architecture: %s\n", describe(sim).c_str());
    }
    Sampler sampler(ss);
    const bool dump = a.has("dump-logits");
    std::vector<float> dumped;  // [rows, vocab]

    for (size_t i = 1; i < tokens.size(); ++i) printPiece(tok.decode(tokens[i - 1], tokens[i]));
    std::fflush(stdout);

    // Prefill the whole prompt at once (all rows when dumping), then decode one token at a time
    // (generate.h); every piece is printed as it comes.
    GenerateOptions options;
    options.maxNewTokens = int(maxNew);
    options.prefillAllRows = dump;
    if (dump) options.onLogits = [&](std::span<const float> l) { dumped.insert(dumped.end(), l.begin(), l.end()); };
    const GenerateResult r = generateTokens(session, tok, sampler, tokens, options, [](int, const std::string& piece) {
        printPiece(piece);
        std::fflush(stdout);
        return true;
    });
    std::printf("\n");
    std::fprintf(stderr, "prompt %zu tokens in %.1f ms; generated %d tokens, %.1f tok/s\n",
                 tokens.size(), r.prefillMs, r.drawn, r.decodeMs > 0 ? r.drawn * 1000.0 / r.decodeMs : 0.0);
    if (dump) {
        FloatArray arr;
        arr.shape = {int64_t(dumped.size() / size_t(V)), V};
        arr.data.assign(dumped.begin(), dumped.end());
        writeNpy(a.str("dump-logits"), arr);
        std::fprintf(stderr, "wrote %lld x %d logits to %s\n", (long long)arr.shape[0], V,
                     a.str("dump-logits").c_str());
    }
    return 0;
}

int runTokenize(const std::vector<std::string>& args) {
    Args a(args, {"model", "tokenizer", "text"}, {"no-special"});
    const std::string text = a.required("text");
    // --no-special: no BOS/EOS added and special-token text read as plain text (llama.cpp's
    // test-tokenizer-0); otherwise BOS/EOS as the vocabulary's add_bos/add_eos say.
    const bool special = !a.has("no-special");
    std::vector<int> ids;
    if (!a.has("model") && a.has("tokenizer")) {
        ids = openTokenizerFile(a.str("tokenizer")).tokenize(text, special, special);
    } else {
        const OpenedModel L = loadWithTokenizer(a);
        ids = L.tokenizer->tokenize(text, special, special);
    }
    for (size_t i = 0; i < ids.size(); ++i) std::printf(i ? " %d" : "%d", ids[i]);
    std::printf("\n");
    return 0;
}

int runTrace(const std::vector<std::string>& args) {
    Args a(args, {"model", "tokenizer", "prompt", "out", "logits", "top-k", "threads", "set", "max-new-tokens", "layers"},
           {"no-attention", "no-qk", "no-lens", "no-residual"});
    const std::string out = a.required("out");
    requireWritableFolder(out, "--out");  // before tracing
    applyThreads(a);
    const OpenedModel L = loadWithTokenizer(a);
    CaptureSpec spec = CaptureSpec::everything();
    spec.attention = !a.has("no-attention");
    spec.qk = !a.has("no-qk");
    spec.logitLens = !a.has("no-lens");
    spec.residual = spec.ffn = !a.has("no-residual");
    const std::string lg = a.str("logits", "all");
    if (lg == "all") spec.logits = CaptureSpec::Logits::All;
    else if (lg == "topk") spec.logits = CaptureSpec::Logits::TopK;
    else if (lg == "none") spec.logits = CaptureSpec::Logits::None;
    else throw UsageError("--logits: expected all, topk or none, got '" + lg + "'");
    spec.logitsTopK = spec.lensTopK = int(a.integer("top-k", 5, 1, L.model->config.vocabSize));
    // The layers kept whole; the others as summaries (trace.h: CaptureSpec::wholeLayers).
    if (a.has("layers")) spec.wholeLayers = a.integers("layers", 0, L.model->config.nLayers - 1);
    if (isEncoderDecoder(*L.model)) return runTraceEncoderDecoder(a, L, spec, out);
    if (a.has("max-new-tokens")) throw UsageError("--max-new-tokens is for encoder-decoder models (the decoder's greedy tokens)");
    std::vector<int> ids = promptIds(L.model->architecture, *L.tokenizer, a.str("prompt"));
    const SimSettings sim = simSettingsFrom(a, L.model->config);
    requireTraceBudget(L.model->config, int64_t(ids.size()), spec);  // "this trace needs 6.1 GB; ..."
    auto trace = traceTokens(L.model, ids, spec, sim, L.tokenizer.get());
    const int n = writeTraceFolder(*trace, out, L.model->path);
    std::fprintf(stderr, "traced %zu tokens in %.2f ms; wrote %d arrays and manifest.json to %s\n",
                 ids.size(), trace->elapsedMs, n, out.c_str());
    return 0;
}

int runInfo(const std::vector<std::string>& args) {
    Args a(args, {"model"});
    a.required("model");
    std::shared_ptr<const Model> m = openModel(nonEmpty(a, "model"));
    const ModelConfig& c = m->config;
    std::printf("{\"path\": %s, \"format\": %s, \"architecture\": %s, \"features\": %s, \"dim\": %d, \"hidden_dim\": %d, \"n_layers\": %d, "
                "\"n_heads\": %d, \"n_kv_heads\": %d, \"head_size\": %d, \"vocab_size\": %d, "
                "\"seq_len\": %d, \"shared_classifier\": %s, \"parameters\": %lld, "
                "\"embedded_vocabulary\": %s}\n",
                jsonString(m->path).c_str(), jsonString(formatName(m->format)).c_str(),
                jsonString(m->architecture.name).c_str(), jsonString(architectureFeatures(m->architecture)).c_str(), c.dim,
                c.hiddenDim, c.nLayers, c.nHeads, c.nKvHeads, c.headSize(), c.vocabSize, c.seqLen,
                c.sharedClassifier ? "true" : "false", (long long)c.parameterCount(),
                m->embeddedTokenizer ? "true" : "false");
    return 0;
}

}  // namespace anatomy::cli

namespace anatomy::cli {

int runSettings(const std::vector<std::string>& args) {
    Args a(args, {});
    for (const SettingInfo& i : settingInfo())
        std::printf("--set %s=%s   (default %s)\n    %s\n    formula: %s\n\n", i.key.c_str(),
                    i.values.c_str(), i.defaultValue.c_str(), i.explanation.c_str(),
                    i.formula.c_str());
    return 0;
}

}  // namespace anatomy::cli
