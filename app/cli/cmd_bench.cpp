// bench and synth: speed measurements. Numbers are medians of several runs, reported with the
// machine's own FMA peak and read bandwidth measured in the same process, so they compare across
// noisy, shared machines.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <time.h>

#include "anatomy/decoding.h"
#include "anatomy/error.h"
#include "anatomy/forward_cost.h"
#include "anatomy/kernel_bench.h"
#include "anatomy/kernels.h"
#include "anatomy/kv_cache_calculator.h"
#include "anatomy/trace_export.h"
#include "anatomy/machine_probe.h"
#include "anatomy/model_registry.h"
#include "anatomy/output_path.h"
#include "anatomy/trace_budget.h"
#include "anatomy/session.h"
#include "anatomy/synth_gguf.h"
#include "cli_args.h"
#include "cli_commands.h"

namespace anatomy::cli {
namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

double seconds(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

// CPU seconds of the whole process (all threads): on a machine shared with other work, wall
// time counts the waits for a core too, CPU time only the work.
double cpuSeconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

// Beam search of width W against greedy decoding over the same G new tokens from the same
// prompt, interleaved run by run: greedy = prefill + G - 1 one-token passes with argmax; beam =
// beamSearch on the model (SessionLogProbs, no stop tokens so both make G tokens). The ratio is
// the median of the per-run ratios, so a noisy neighbour slows both sides of a pair alike.
struct BeamTimes {
    double greedyMs = 0.0, beamMs = 0.0, ratio = 0.0;  // wall
    double cpuRatio = 0.0;                             // process CPU time
};

BeamTimes timeBeam(std::shared_ptr<const Model> model, const std::vector<int>& prompt, int width, int G, int runs) {
    Session session(model);
    auto greedy = [&]() {
        session.reset();
        const std::vector<float>* lg = &session.forward(prompt);
        for (int g = 1; g < G; ++g) {
            const int tok = int(std::max_element(lg->begin(), lg->end()) - lg->begin());
            lg = &session.forward(std::span<const int>(&tok, 1));
        }
    };
    BeamOptions o;
    o.width = width;
    o.maxNewTokens = G;
    auto beam = [&]() {
        SessionLogProbs source(model, SimSettings{}, prompt);
        (void)beamSearch(source, o);
    };
    greedy();  // warm-up
    beam();
    std::vector<double> g, b, ratio, cpuRatio;
    for (int r = 0; r < runs; ++r) {
        const double c0 = cpuSeconds();
        auto t0 = std::chrono::steady_clock::now();
        greedy();
        const double c1 = cpuSeconds();
        auto t1 = std::chrono::steady_clock::now();
        beam();
        const double c2 = cpuSeconds();
        auto t2 = std::chrono::steady_clock::now();
        g.push_back(seconds(t0, t1) * 1e3);
        b.push_back(seconds(t1, t2) * 1e3);
        ratio.push_back(b.back() / g.back());
        cpuRatio.push_back((c2 - c1) / (c1 - c0));
    }
    return {median(g), median(b), median(ratio), median(cpuRatio)};
}

// What each part of a full capture costs alone (--trace-parts): per run, a plain prefill of
// the ids, a trace capturing nothing (the traced forward pass itself), and one trace per part;
// a part's cost is (its trace - the nothing trace) / the plain prefill, the median over runs.
// The first entry, "forward", is (nothing trace - plain prefill) / plain prefill.
std::vector<std::pair<std::string, double>> timeTraceParts(const std::shared_ptr<const Model>& model, Session& session,
                                                           const std::vector<int>& ids, int runs) {
    std::vector<std::pair<std::string, CaptureSpec>> parts;
    auto with = [](auto set) {
        CaptureSpec s = CaptureSpec::nothing();
        set(s);
        return s;
    };
    parts.emplace_back("attention", with([](CaptureSpec& s) { s.attention = true; }));
    parts.emplace_back("qk", with([](CaptureSpec& s) { s.qk = true; }));
    parts.emplace_back("residual", with([](CaptureSpec& s) { s.residual = true; }));
    parts.emplace_back("ffn", with([](CaptureSpec& s) { s.ffn = true; }));
    parts.emplace_back("logits", with([](CaptureSpec& s) { s.logits = CaptureSpec::Logits::All; }));
    parts.emplace_back("lens", with([](CaptureSpec& s) { s.logitLens = true; }));
    std::vector<double> forward;
    std::vector<std::vector<double>> cost(parts.size());
    auto timeMs = [](auto&& f) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        return seconds(t0, std::chrono::steady_clock::now()) * 1e3;
    };
    // A trace lives past its timing, as in the full-capture loop (its arrays go back to the pool
    // when it dies).
    std::shared_ptr<const Trace> kept;
    auto traceMs = [&](const CaptureSpec& spec) {
        kept.reset();
        return timeMs([&] { kept = traceTokens(model, ids, spec); });
    };
    for (int r = 0; r < runs; ++r) {
        const double plain = timeMs([&] {
            session.reset();
            session.forward(ids);
        });
        const double none = traceMs(CaptureSpec::nothing());
        forward.push_back((none - plain) / plain);
        for (size_t i = 0; i < parts.size(); ++i) cost[i].push_back((traceMs(parts[i].second) - none) / plain);
    }
    std::vector<std::pair<std::string, double>> out{{"forward", median(forward)}};
    for (size_t i = 0; i < parts.size(); ++i) out.emplace_back(parts[i].first, median(cost[i]));
    return out;
}

}  // namespace

int runBench(const std::vector<std::string>& args) {
    Args a(args, {"model", "threads", "prompt-tokens", "gen-tokens", "runs", "trace-tokens", "beams"},
           {"kernels", "types", "trace-parts"});
    const int threads = int(a.integer("threads", 0, 0, 1024));
    setThreadCount(threads);
    if (a.has("kernels")) return runKernelBench();
    if (a.has("types")) return runTypeBench();
    const int P = int(a.integer("prompt-tokens", 128, 1, 1 << 20));
    const int G = int(a.integer("gen-tokens", 128, 0, 1 << 20));
    const int runs = int(a.integer("runs", 5, 1, 1000));
    const int traceTokensN = int(a.integer("trace-tokens", 0, 0, 1 << 16));
    const int beams = int(a.integer("beams", 0, 0, 64));
    const bool traceParts = a.has("trace-parts");
    if (traceParts && traceTokensN == 0) throw UsageError("--trace-parts needs --trace-tokens T");
    std::shared_ptr<const Model> model = openModel(a.required("model"));
    const ModelConfig& c = model->config;

    // The full-capture trace is refused up front when it would not fit ("needs 128 GB").
    if (traceTokensN > 0) requireTraceBudget(c, traceTokensN, CaptureSpec::everything());

    std::mt19937 rng(1234);
    std::uniform_int_distribution<int> pick(3, c.vocabSize - 1);
    // BOS first: the file's id when it embeds a vocabulary, else llama2.c's.
    const int bos = model->embeddedTokenizer ? model->embeddedTokenizer->bosId() : Tokenizer::kBos;
    std::vector<int> prompt(static_cast<size_t>(P));
    prompt[0] = bos;
    for (int i = 1; i < P; ++i) prompt[size_t(i)] = pick(rng);

    Session session(model);
    session.forward(prompt);  // warm-up: page in the weights, size the buffers
    std::vector<double> prefill, decode;
    for (int r = 0; r < runs; ++r) {
        session.reset();
        auto t0 = std::chrono::steady_clock::now();
        session.forward(prompt);
        auto t1 = std::chrono::steady_clock::now();
        prefill.push_back(P / seconds(t0, t1));
        if (G > 0) {
            int tok = prompt.back();
            auto t2 = std::chrono::steady_clock::now();
            for (int g = 0; g < G; ++g) {
                const std::vector<float>& lg = session.forward(std::span<const int>(&tok, 1));
                tok = int(std::max_element(lg.begin(), lg.end()) - lg.begin());
            }
            auto t3 = std::chrono::steady_clock::now();
            decode.push_back(G / seconds(t2, t3));
        }
    }
    // The full-capture trace against a plain prefill of the same tokens, interleaved run by run
    // (ratios: medians of the per-run ratios, wall and process CPU time).
    double traceMs = 0.0, tracePrefillMs = 0.0, traceRatio = 0.0, traceCpuRatio = 0.0;
    std::vector<std::pair<std::string, double>> partCosts;
    if (traceTokensN > 0) {
        std::vector<int> ids(static_cast<size_t>(traceTokensN));
        ids[0] = bos;
        for (int i = 1; i < traceTokensN; ++i) ids[size_t(i)] = pick(rng);
        std::vector<double> ms, plainMs, ratio, cpuRatio;
        session.reset();
        session.forward(ids);  // warm-up at this length
        for (int r = 0; r < runs; ++r) {
            const double c0 = cpuSeconds();
            auto t0 = std::chrono::steady_clock::now();
            session.reset();
            session.forward(ids);
            const double c1 = cpuSeconds();
            auto t1 = std::chrono::steady_clock::now();
            auto tr = traceTokens(model, ids, CaptureSpec::everything());
            const double c2 = cpuSeconds();
            auto t2 = std::chrono::steady_clock::now();
            plainMs.push_back(seconds(t0, t1) * 1e3);
            ms.push_back(seconds(t1, t2) * 1e3);
            ratio.push_back(ms.back() / plainMs.back());
            cpuRatio.push_back((c2 - c1) / (c1 - c0));
        }
        traceMs = median(ms);
        tracePrefillMs = median(plainMs);
        traceRatio = median(ratio);
        traceCpuRatio = median(cpuRatio);
        if (traceParts) partCosts = timeTraceParts(model, session, ids, runs);
    }

    BeamTimes beamTimes;
    if (beams > 0) beamTimes = timeBeam(model, prompt, beams, std::max(G, 1), runs);

    const MachinePeak peak = measureMachinePeak();
    const int usedThreads = threadCount();
    // Counted for what the code computes (forward_cost.h): the prefill's classifier runs for the
    // last prompt position only; decode reads every weight once plus the K/V rows it attends to,
    // averaged over the decoded positions P .. P+G-1.
    const ForwardCost pc = prefillCost(*model, 0, P);
    ForwardCost dcSum;
    for (int g = 0; g < G; ++g) {
        const ForwardCost d = decodeCost(*model, P + g);
        dcSum.flops += d.flops / G;
        dcSum.weightBytes += d.weightBytes / G;
        dcSum.kvBytes += d.kvBytes / G;
    }
    const double pf = median(prefill), dc = median(decode);
    const double decodeBytes = dcSum.weightBytes + dcSum.kvBytes;
    const double decodeGBs = dc * decodeBytes / 1e9;
    const double prefillGflops = pf / P * pc.flops / 1e9;
    std::printf("{\"model\": %s, \"cpu\": %s, \"threads\": %d, \"kernels\": \"%s\", \"prompt_tokens\": %d, "
                "\"gen_tokens\": %d, \"runs\": %d, \"prefill_tok_s\": %.1f, \"decode_tok_s\": %.1f, "
                "\"prefill_flops\": %.4g, \"decode_bytes_per_token\": %.4g, "
                "\"decode_weight_bytes_per_token\": %.4g, \"decode_kv_bytes_per_token\": %.4g, "
                "\"counted\": \"%s\", "
                "\"decode_GBs\": %.2f, \"prefill_GFLOPs\": %.2f, "
                "\"machine_read_GBs_per_core\": %.2f, \"machine_fma_GFLOPs_per_core\": %.2f, "
                "\"decode_bandwidth_ratio\": %.3f, \"prefill_peak_ratio\": %.3f",
                jsonString(model->path).c_str(), jsonString(cpuDescription()).c_str(), usedThreads, kernels::activeKernels().name, P, G, runs, pf, dc,
                pc.flops, decodeBytes, dcSum.weightBytes, dcSum.kvBytes,
                forwardCostCounts().c_str(), decodeGBs, prefillGflops, peak.readGBsPerCore,
                peak.fmaGflopsPerCore, decodeGBs / (peak.readGBsPerCore * usedThreads),
                prefillGflops / (peak.fmaGflopsPerCore * usedThreads));
    if (const kernels::KernelTable* t512 = kernels::avx512Kernels(); t512 && kernels::activeKernels().matvec == t512->matvec)
        std::printf(", \"avx512_matvec_rows\": %d, \"matvec_prefetch\": %s", kernels::avx512MatvecRows(),
                    kernels::matvecPrefetch() ? "true" : "false");
    if (traceTokensN > 0)
        std::printf(", \"full_trace_tokens\": %d, \"full_trace_ms\": %.2f, \"trace_prefill_ms\": %.2f, "
                    "\"trace_prefill_ratio\": %.3f, \"trace_prefill_cpu_ratio\": %.3f",
                    traceTokensN, traceMs, tracePrefillMs, traceRatio, traceCpuRatio);
    if (traceParts) {
        std::printf(", \"trace_parts\": {");
        for (size_t i = 0; i < partCosts.size(); ++i)
            std::printf("%s\"%s\": %.3f", i ? ", " : "", partCosts[i].first.c_str(), partCosts[i].second);
        std::printf("}");
    }
    if (beams > 0)
        std::printf(", \"beam_width\": %d, \"beam_new_tokens\": %d, \"greedy_ms\": %.3f, \"beam_ms\": %.3f, "
                    "\"beam_greedy_ratio\": %.3f, \"beam_greedy_cpu_ratio\": %.3f",
                    beams, std::max(G, 1), beamTimes.greedyMs, beamTimes.beamMs, beamTimes.ratio,
                    beamTimes.cpuRatio);
    std::printf("}\n");
    return 0;
}

// synth --arch NAME --format gguf: a seeded random-weight GGUF of that architecture's layout
// (synth_gguf.h), in the small shape the reference tests use.
int runSynthGguf(const Args& a) {
    if (a.str("format", "gguf") != "gguf")
        throw UsageError("--format: expected gguf (with --arch) or llama2c (with --shape), got '" + a.str("format") + "'");
    if (a.has("shape")) throw UsageError("--shape is for llama2.c checkpoints; --arch writes the reference shape");
    const std::string arch = a.required("arch");
    const std::string out = a.required("out");
    requireWritableFile(out, "--out");
    std::vector<std::string> known = synthReferenceCases();
    for (const std::string& c : synthEncoderDecoderCases()) known.push_back(c);
    for (const std::string& c : synthQuantizedEncoderDecoderCases()) known.push_back(c);
    for (const std::string& e : synthEncoderCases()) known.push_back(e);
    for (const std::string& e : synthQuantizedEncoderCases()) known.push_back(e);
    if (std::find(known.begin(), known.end(), arch) == known.end()) {
        std::string list;
        for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
        throw UsageError("--arch: expected one of " + list + ", got '" + arch + "'");
    }
    const SynthGgufSpec spec = synthReferenceSpec(arch, uint32_t(a.integer("seed", 1, 0, 1LL << 31)));
    writeSynthGguf(spec, out);
    std::fprintf(stderr, "wrote %s: random-weight %s GGUF (dim %d, %d layers, %d heads, %d KV heads, vocabulary 512, "
                 "seed %u); its text is gibberish\n", out.c_str(), arch.c_str(), spec.dim, spec.nLayers, spec.nHeads,
                 spec.nKvHeads, spec.seed);
    return 0;
}

int runSynth(const std::vector<std::string>& args) {
    Args a(args, {"shape", "out", "seed", "arch", "format"});
    if (a.has("arch") || a.str("format", "llama2c") == "gguf") return runSynthGguf(a);
    if (a.str("format", "llama2c") != "llama2c")
        throw UsageError("--format: expected llama2c or gguf, got '" + a.str("format") + "'");
    const std::string shape = a.required("shape");
    const std::string out = a.required("out");
    requireWritableFile(out, "--out");
    // Published llama2.c shapes (tinyllamas): dim, hidden, layers, heads, kv heads, vocab, seq.
    int h[7];
    if (shape == "stories15M") { int v[7] = {288, 768, 6, 6, 6, 32000, 256}; std::copy(v, v + 7, h); }
    else if (shape == "stories42M") { int v[7] = {512, 1376, 8, 8, 8, 32000, 1024}; std::copy(v, v + 7, h); }
    else if (shape == "stories110M") { int v[7] = {768, 2048, 12, 12, 12, 32000, 1024}; std::copy(v, v + 7, h); }
    else throw UsageError("--shape: expected stories15M, stories42M or stories110M, got '" + shape + "'");
    std::ofstream f(out, std::ios::binary);
    if (!f) throw Error(out + ": cannot write");
    f.write(reinterpret_cast<const char*>(h), sizeof h);
    const long long dim = h[0], hid = h[1], L = h[2], V = h[5], seq = h[6], hs = dim / h[3];
    // Legacy llama2.c order and sizes (see llama2c_loader.cpp); norms 1, matrices N(0, 0.02).
    const long long counts[] = {V * dim, L * dim, L * dim * dim, L * dim * dim, L * dim * dim,
                                L * dim * dim, L * dim, L * hid * dim, L * dim * hid, L * hid * dim,
                                dim, seq * hs / 2, seq * hs / 2};
    const bool isNorm[] = {false, true, false, false, false, false, true, false, false, false, true, false, false};
    std::mt19937 rng(uint32_t(a.integer("seed", 1, 0, 1LL << 31)));
    std::normal_distribution<float> nd(0.0f, 0.02f);
    std::vector<float> buf(1 << 20);
    long long total = 0;
    for (size_t t = 0; t < sizeof counts / sizeof counts[0]; ++t) {
        for (long long left = counts[t]; left > 0;) {
            const size_t n = size_t(std::min<long long>(left, (long long)buf.size()));
            for (size_t i = 0; i < n; ++i) buf[i] = isNorm[t] ? 1.0f : nd(rng);
            f.write(reinterpret_cast<const char*>(buf.data()), std::streamsize(n * 4));
            left -= (long long)n;
            total += (long long)n;
        }
    }
    if (!f) throw Error(out + ": write failed");
    std::fprintf(stderr, "wrote %s: random-weight %s shape (%lld floats, %.1f MB); for speed "
                 "measurements only, its text is gibberish\n", out.c_str(), shape.c_str(), total,
                 double(total) * 4 / 1e6);
    return 0;
}

}  // namespace anatomy::cli

namespace anatomy::cli {

// The KV-cache calculator as JSON lines: one row per model and way of sharing K and V.
int runKvCache(const std::vector<std::string>& args) {
    Args a(args, {"model", "context", "rank"});
    const int64_t context = a.integer("context", 4096, 1, int64_t(1) << 30);
    const int rank = int(a.integer("rank", 512, 1, 1 << 20));
    std::vector<KvCacheConfig> models;
    if (a.has("model")) {
        std::shared_ptr<const Model> m = openModel(a.str("model"));
        models.push_back(kvConfigOf(m->config, std::filesystem::path(m->path).filename().string()));
    }
    for (const KvCacheConfig& k : publishedKvConfigs()) models.push_back(k);
    std::vector<KvCacheRow> rows;
    for (const KvCacheConfig& m : models) {
        // A latent cannot usefully be wider than what it replaces: r <= min(2 kv heads head dim,
        // d_model) (the app's KV-cache view counts the same way).
        const int rMax = std::min(2 * m.kvHeads * m.headDim, m.qHeads * m.headDim);
        for (const KvCacheRow& r : kvCacheTable({m}, context, std::min(rank, rMax))) rows.push_back(r);
    }
    for (const KvCacheRow& r : rows)
        std::printf("{\"model\": %s, \"variant\": %s, \"bytes_per_token\": %lld, \"context\": %lld, "
                    "\"bytes_at_context\": %lld, \"as_shipped\": %s}\n",
                    jsonString(r.model).c_str(), jsonString(r.variant).c_str(),
                    (long long)r.bytesPerToken, (long long)context, (long long)r.bytesAtContext,
                    r.published ? "true" : "false");
    return 0;
}

}  // namespace anatomy::cli
