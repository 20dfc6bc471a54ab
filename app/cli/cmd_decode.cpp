// decode: beam search, best-of-N, self-consistency and strategies side by side (decoding.h).
// stdout: one JSON line per hypothesis, sample or variant, then a summary line with
// "summary": true (the winner, or the vote with its counts).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "anatomy/decoding.h"
#include "anatomy/error.h"
#include "anatomy/open_model.h"
#include "anatomy/sampler.h"
#include "anatomy/session.h"
#include "anatomy/sim_settings.h"
#include "anatomy/trace_export.h"
#include "cli_args.h"
#include "cli_commands.h"

namespace anatomy::cli {
namespace {

std::string num(double v) {
    if (!std::isfinite(v)) return v < 0 ? "-1e308" : "1e308";  // JSON has no infinities
    std::ostringstream os;
    os.precision(10);
    os << v;
    return os.str();
}

double msSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

std::string idList(std::span<const int> ids) {
    std::string s = "[";
    for (size_t i = 0; i < ids.size(); ++i) s += (i ? ", " : "") + std::to_string(ids[i]);
    return s + "]";
}

std::string answerJson(const std::optional<std::string>& a) { return a ? jsonString(*a) : "null"; }

// --variant may be repeated; Args keeps one value per key, so they are taken out first.
std::vector<std::string> takeVariants(std::vector<std::string>& args) {
    std::vector<std::string> variants, rest;
    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--variant") {
            if (i + 1 >= args.size()) throw UsageError("option --variant needs a value");
            variants.push_back(args[++i]);
        } else if (args[i].rfind("--variant=", 0) == 0) {
            variants.push_back(args[i].substr(10));
        } else {
            rest.push_back(args[i]);
        }
    }
    args = std::move(rest);
    return variants;
}

void printSample(const DecodedSample& d, double score) {
    std::printf("{\"rank\": %d, \"seed\": %llu, \"text\": %s, \"ids\": %s, \"sum_logprob\": %s, "
                "\"score\": %s, \"stopped\": %s, \"answer\": %s}\n",
                d.index + 1, (unsigned long long)d.seed, jsonString(d.text).c_str(), idList(d.ids).c_str(),
                num(d.sumLogprob).c_str(), num(score).c_str(), d.stopped ? "true" : "false",
                answerJson(d.answer).c_str());
}

}  // namespace

int runDecode(const std::vector<std::string>& argsIn) {
    std::vector<std::string> args = argsIn;
    const std::vector<std::string> variants = takeVariants(args);
    Args a(args, {"model", "tokenizer", "prompt", "strategy", "beams", "length-penalty", "n", "scorer",
                  "answer", "max-new-tokens", "temperature", "top-k", "top-p", "min-p", "typical-p",
                  "repetition-penalty", "seed", "samplers", "threads", "set"});
    const std::string strategy = a.required("strategy");
    if (strategy != "beam" && strategy != "best-of" && strategy != "vote" && strategy != "compare")
        throw UsageError("--strategy: expected beam, best-of, vote or compare, got '" + strategy + "'");
    const int width = int(a.integer("beams", 4, 1, 1024));
    const double alpha = a.number("length-penalty", 1.0, -100.0, 100.0);
    const int n = int(a.integer("n", 8, 1, 100000));
    const int maxNew = int(a.integer("max-new-tokens", 64, 1, 1 << 20));
    const SampleScorer scorer = [&] {
        try {
            return parseSampleScorer(a.str("scorer", "mean-logprob"));
        } catch (const Error& e) {
            throw UsageError(std::string("--scorer: ") + e.what());
        }
    }();
    std::optional<AnswerPattern> pattern;
    if (strategy == "vote" && !a.has("answer"))
        throw UsageError("--strategy vote needs --answer REGEX (its first capture group is the answer)");
    if (a.has("answer")) {
        try {
            pattern.emplace(a.str("answer"));
        } catch (const Error& e) {
            throw UsageError(std::string("--answer: ") + e.what());
        }
    }
    const SamplerSettings sampler = samplerFrom(a);
    std::vector<DecodeVariant> parsed;
    if (strategy == "compare") {
        const std::vector<std::string> specs =
            variants.empty() ? std::vector<std::string>{"greedy", "beam:" + std::to_string(width), "sampler"}
                             : variants;
        for (const std::string& spec : specs) {
            try {
                if (spec == "sampler") {  // the command line's own sampler options
                    DecodeVariant v;
                    v.kind = DecodeVariant::Kind::Sample;
                    v.label = "sampler";
                    v.sampler = sampler;
                    parsed.push_back(v);
                } else {
                    parsed.push_back(parseDecodeVariant(spec, sampler));
                }
            } catch (const Error& e) {
                throw UsageError(std::string("--variant: ") + e.what());
            }
        }
    } else if (!variants.empty()) {
        throw UsageError("--variant is for --strategy compare");
    }
    setThreadCount(int(a.integer("threads", 0, 0, 1024)));

    const OpenedModel L = openModelWithTokenizer(a.required("model"), a.str("tokenizer"));
    const Tokenizer& tok = *L.tokenizer;
    const std::string promptText = a.str("prompt");
    const std::vector<int> prompt = tok.encode(promptText, true, false);
    const SimSettings sim = simSettingsFrom(a, L.model->config);
    Session session(L.model);
    session.setSettings(sim);

    if (strategy == "beam") {
        SessionLogProbs source(L.model, sim, prompt);
        BeamOptions o;
        o.width = width;
        o.lengthPenalty = alpha;
        o.maxNewTokens = maxNew;
        o.stopTokens = stopTokensOf(tok);
        const auto t0 = std::chrono::steady_clock::now();
        const BeamResult r = beamSearch(source, o);
        const double ms = msSince(t0);
        for (size_t i = 0; i < r.ranked.size(); ++i) {
            const BeamHypothesis& h = r.ranked[i];
            const std::string text = generatedText(tok, prompt.back(), h.ids);
            std::printf("{\"rank\": %zu, \"text\": %s, \"ids\": %s, \"sum_logprob\": %s, \"score\": %s, "
                        "\"finished\": %s, \"answer\": %s}\n",
                        i + 1, jsonString(text).c_str(), idList(h.ids).c_str(), num(h.sumLogprob).c_str(),
                        num(h.score).c_str(), h.finished ? "true" : "false",
                        answerJson(pattern ? pattern->extract(promptText + text) : std::nullopt).c_str());
        }
        std::printf("{\"summary\": true, \"strategy\": \"beam\", \"beams\": %d, \"length_penalty\": %s, "
                    "\"steps\": %d, \"winner\": 1, \"text\": %s, \"score\": %s, \"forward_tokens\": %lld, "
                    "\"copied_positions\": %lld, \"ms\": %s}\n",
                    width, num(alpha).c_str(), r.steps,
                    jsonString(generatedText(tok, prompt.back(), r.ranked.front().ids)).c_str(),
                    num(r.ranked.front().score).c_str(), source.stats().forwardTokens,
                    source.stats().copiedPositions, num(ms).c_str());
        return 0;
    }

    if (strategy == "best-of" || strategy == "vote") {
        std::vector<DecodedSample> samples = drawSamples(session, tok, prompt, sampler, n, maxNew);
        std::vector<std::optional<std::string>> answers;
        for (DecodedSample& d : samples) {
            if (pattern) d.answer = pattern->extract(promptText + d.text);
            answers.push_back(d.answer);
            printSample(d, sampleScore(d, scorer));
        }
        if (strategy == "best-of") {
            const int best = bestSample(samples, scorer);
            std::printf("{\"summary\": true, \"strategy\": \"best-of\", \"n\": %d, \"scorer\": \"%s\", "
                        "\"winner\": %d, \"seed\": %llu, \"score\": %s, \"text\": %s}\n",
                        n, sampleScorerName(scorer), best + 1, (unsigned long long)samples[size_t(best)].seed,
                        num(sampleScore(samples[size_t(best)], scorer)).c_str(),
                        jsonString(samples[size_t(best)].text).c_str());
            return 0;
        }
        const VoteResult v = majorityVote(answers);
        std::string counts = "{";
        for (size_t i = 0; i < v.counts.size(); ++i)
            counts += (i ? ", " : "") + jsonString(v.counts[i].answer) + ": " + std::to_string(v.counts[i].count);
        counts += "}";
        std::printf("{\"summary\": true, \"strategy\": \"vote\", \"n\": %d, \"answer_regex\": %s, "
                    "\"vote\": %s, \"votes\": %d, \"answered\": %d, \"counts\": %s}\n",
                    n, jsonString(pattern->source()).c_str(), answerJson(v.winner).c_str(),
                    v.counts.empty() ? 0 : v.counts.front().count, v.answered, counts.c_str());
        return 0;
    }

    // compare: every variant from the same prompt, metrics per output.
    int best = -1;
    double bestMean = 0.0;
    for (size_t i = 0; i < parsed.size(); ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        const VariantOutput out = runDecodeVariant(session, tok, prompt, parsed[i], maxNew);
        const double ms = msSince(t0);
        const OutputMetrics& m = out.metrics;
        std::printf("{\"rank\": %zu, \"variant\": %s, \"text\": %s, \"ids\": %s, \"mean_logprob\": %s, "
                    "\"distinct_1\": %s, \"distinct_2\": %s, \"repeated_4grams\": %d, \"length\": %d, "
                    "\"answer\": %s, \"ms\": %s}\n",
                    i + 1, jsonString(parsed[i].label).c_str(), jsonString(out.text).c_str(),
                    idList(out.ids).c_str(), num(m.meanLogprob).c_str(), num(m.distinct1).c_str(),
                    num(m.distinct2).c_str(), m.repeated4, m.length,
                    answerJson(pattern ? pattern->extract(promptText + out.text) : std::nullopt).c_str(),
                    num(ms).c_str());
        if (best < 0 || m.meanLogprob > bestMean) {
            best = int(i);
            bestMean = m.meanLogprob;
        }
    }
    std::printf("{\"summary\": true, \"strategy\": \"compare\", \"variants\": %zu, \"winner\": %d, "
                "\"winner_variant\": %s, \"by\": \"mean_logprob\", \"mean_logprob\": %s}\n",
                parsed.size(), best + 1, jsonString(parsed[size_t(best)].label).c_str(), num(bestMean).c_str());
    return 0;
}

}  // namespace anatomy::cli
