// `compare`: the same prompt under several strategies. A variant is "greedy", "beam:W[:alpha]"
// or sampler settings over a base ("temperature=0.8,top-p=0.9,seed=3"); each runs from a reset
// session with a fixed seed, so changing one setting changes one column.
#include <cmath>
#include <sstream>

#include "anatomy/decoding.h"
#include "anatomy/error.h"
#include "anatomy/session.h"
#include "anatomy/tokenizer.h"

namespace anatomy {

namespace {

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> parts;
    size_t from = 0;
    for (;;) {
        const size_t at = s.find(sep, from);
        parts.emplace_back(s.substr(from, at == std::string_view::npos ? std::string_view::npos : at - from));
        if (at == std::string_view::npos) break;
        from = at + 1;
    }
    return parts;
}

double number(const std::string& spec, const std::string& key, const std::string& v) {
    size_t used = 0;
    double x = 0.0;
    try {
        x = std::stod(v, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (v.empty() || used != v.size() || !std::isfinite(x))
        throw Error("variant '" + spec + "': " + key + " expects a number, got '" + v + "'");
    return x;
}

long long integer(const std::string& spec, const std::string& key, const std::string& v, long long lo) {
    const double x = number(spec, key, v);
    if (x != std::floor(x) || x < double(lo) || x > 1e15)
        throw Error("variant '" + spec + "': " + key + " expects an integer >= " + std::to_string(lo) +
                    ", got '" + v + "'");
    return (long long)x;
}

}  // namespace

DecodeVariant parseDecodeVariant(std::string_view specView, const SamplerSettings& base) {
    const std::string spec(specView);
    DecodeVariant v;
    v.label = spec;
    v.sampler = base;
    if (spec == "greedy") {
        v.kind = DecodeVariant::Kind::Greedy;
        v.sampler.temperature = 0.0f;
        return v;
    }
    if (spec.rfind("beam", 0) == 0) {
        const std::vector<std::string> parts = split(spec, ':');
        if (parts[0] != "beam" || parts.size() < 2 || parts.size() > 3)
            throw Error("variant '" + spec + "': expected beam:W or beam:W:length_penalty");
        v.kind = DecodeVariant::Kind::Beam;
        v.width = int(integer(spec, "the beam width", parts[1], 1));
        if (parts.size() == 3) v.lengthPenalty = number(spec, "the length penalty", parts[2]);
        return v;
    }
    v.kind = DecodeVariant::Kind::Sample;
    for (const std::string& kv : split(spec, ',')) {
        const size_t eq = kv.find('=');
        if (eq == std::string::npos)
            throw Error("variant '" + spec + "': expected greedy, beam:W[:length_penalty] or KEY=VALUE "
                        "sampler settings (temperature, top-k, top-p, min-p, typical-p, "
                        "repetition-penalty, seed), got '" + kv + "'");
        const std::string key = kv.substr(0, eq), val = kv.substr(eq + 1);
        SamplerSettings& s = v.sampler;
        if (key == "temperature") s.temperature = float(number(spec, key, val));
        else if (key == "top-k") s.topK = int(integer(spec, key, val, 0));
        else if (key == "top-p") s.topP = float(number(spec, key, val));
        else if (key == "min-p") s.minP = float(number(spec, key, val));
        else if (key == "typical-p") s.typicalP = float(number(spec, key, val));
        else if (key == "repetition-penalty") s.repetitionPenalty = float(number(spec, key, val));
        else if (key == "seed") s.seed = uint64_t(integer(spec, key, val, 0));
        else
            throw Error("variant '" + spec + "': unknown sampler setting '" + key +
                        "'; allowed: temperature, top-k, top-p, min-p, typical-p, repetition-penalty, seed");
    }
    try {
        SamplerChain check(v.sampler);  // the chain's own validation, named
    } catch (const Error& e) {
        throw Error("variant '" + spec + "': " + e.what());
    }
    return v;
}

VariantOutput runDecodeVariant(Session& session, const Tokenizer& tokenizer, const std::vector<int>& prompt,
                               const DecodeVariant& variant, int maxNewTokens, std::stop_token stop) {
    VariantOutput out;
    out.variant = variant;
    if (variant.kind == DecodeVariant::Kind::Beam) {
        SessionLogProbs source(session.sharedModel(), session.settings(), prompt);
        BeamOptions o;
        o.width = variant.width;
        o.lengthPenalty = variant.lengthPenalty;
        o.maxNewTokens = maxNewTokens;
        o.stopTokens = stopTokensOf(tokenizer);
        const BeamResult r = beamSearch(source, o, {}, stop);
        const BeamHypothesis& best = r.ranked.front();
        out.ids = best.ids;
        // The per-token log-probabilities along the best path, read back from the tree.
        out.logprobs.assign(best.ids.size(), 0.0);
        for (int n = best.node, i = int(best.ids.size()) - 1; n >= 0 && i >= 0; n = r.nodes[size_t(n)].parent, --i)
            out.logprobs[size_t(i)] = r.nodes[size_t(n)].logprob;
        out.text = generatedText(tokenizer, prompt.back(), out.ids);
    } else {
        DecodedSample d = drawSample(session, tokenizer, prompt, variant.sampler, maxNewTokens, stop);
        out.ids = std::move(d.ids);
        out.logprobs = std::move(d.logprobs);
        out.text = std::move(d.text);
    }
    out.metrics = outputMetrics(out.ids, out.logprobs);
    return out;
}

}  // namespace anatomy
