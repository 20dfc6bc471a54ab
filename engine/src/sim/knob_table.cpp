#include "anatomy/knob_table.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <set>
#include <string>
#include <type_traits>
#include <utility>

#include "anatomy/error.h"
#include "anatomy/number_text.h"

namespace anatomy {

namespace {

// ---- text <-> value ----

[[noreturn]] void fail(const Knob& k, std::string_view got) {
    throw Error("setting " + k.key + ": expected " + k.values() + ", got '" + std::string(got) + "'");
}

// Model and cross-knob rules: "setting kv.groups: expected a divisor of the 8 query heads, got 3".
[[noreturn]] void failRule(const std::string& key, const std::string& expected, const std::string& got) {
    throw Error("setting " + key + ": expected " + expected + ", got " + got);
}

// Integers print without an exponent (1000000, not 1e+06); anything else as the shortest double.
std::string formatBound(double x) {
    if (std::abs(x) < 1e15 && x == std::floor(x)) return std::to_string(static_cast<long long>(x));
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, x);
    return std::string(buf, r.ptr);
}

bool inRange(const Knob& k, double x) {
    return (k.minExclusive ? x > k.min : x >= k.min) && x <= k.max;
}

float parseFloatIn(const Knob& k, std::string_view v) {
    const std::string s(v);
    char* end = nullptr;
    errno = 0;
    const float f = std::strtof(s.c_str(), &end);
    // inf and nan are refused: rope.factor=inf gave a perplexity of -nan; so is hex (0x10 = 16).
    if (!isPlainDecimal(s) || end != s.c_str() + s.size() || errno == ERANGE || !std::isfinite(f) || !inRange(k, f))
        fail(k, v);
    return f;
}

long parseIntIn(const Knob& k, std::string_view v) {
    const std::string s(v);
    char* end = nullptr;
    errno = 0;
    const long i = std::strtol(s.c_str(), &end, 10);
    if (!isPlainInteger(s) || end != s.c_str() + s.size() || errno == ERANGE || !inRange(k, double(i))) fail(k, v);
    return i;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    size_t b = 0;
    while (true) {
        const size_t e = s.find(sep, b);
        out.push_back(s.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b));
        if (e == std::string_view::npos) break;
        b = e + 1;
    }
    return out;
}

// ---- row builders: parse, format and same from the field's accessor ----
// An accessor is a generic lambda [](auto& s) -> auto& { return s.field; }, so the same one
// reads a const SimSettings and writes a mutable one.

template <class Get>
Knob choice(Knob k, Get get) {
    using E = std::remove_cvref_t<decltype(get(std::declval<SimSettings&>()))>;
    k.type = KnobType::Choice;
    for (KnobChoice& c : k.choices)
        if (c.label.empty()) c.label = c.name;
    k.parseFn = [get](const Knob& self, SimSettings& s, std::string_view v) {
        for (size_t i = 0; i < self.choices.size(); ++i)
            if (v == self.choices[i].name) {
                get(s) = static_cast<E>(i);
                return;
            }
        throw Error("setting " + self.key + ": expected one of " + self.values() + ", got '" + std::string(v) + "'");
    };
    k.formatFn = [get, names = k.choices](const SimSettings& s) {
        const size_t i = static_cast<size_t>(get(s));
        return i < names.size() ? names[i].name : std::string("?");
    };
    k.sameFn = [get](const SimSettings& a, const SimSettings& b) { return get(a) == get(b); };
    return k;
}

template <class Get>
Knob number(Knob k, Get get) {
    using T = std::remove_cvref_t<decltype(get(std::declval<SimSettings&>()))>;
    if constexpr (std::is_floating_point_v<T>) {
        k.type = KnobType::Float;
        if (k.noun.empty()) k.noun = "a number";
        k.parseFn = [get](const Knob& self, SimSettings& s, std::string_view v) { get(s) = parseFloatIn(self, v); };
        k.formatFn = [get](const SimSettings& s) { return formatKnobFloat(get(s)); };
    } else {
        k.type = KnobType::Int;
        if (k.noun.empty()) k.noun = "an integer";
        k.parseFn = [get](const Knob& self, SimSettings& s, std::string_view v) {
            get(s) = static_cast<T>(parseIntIn(self, v));
        };
        k.formatFn = [get](const SimSettings& s) { return std::to_string(get(s)); };
    }
    k.sameFn = [get](const SimSettings& a, const SimSettings& b) { return get(a) == get(b); };
    return k;
}

// std::optional<float>: the word (unset) or a number.
template <class Get>
Knob optionalNumber(Knob k, Get get) {
    k.type = KnobType::OptionalFloat;
    if (k.noun.empty()) k.noun = "a number";
    k.parseFn = [get](const Knob& self, SimSettings& s, std::string_view v) {
        if (v == self.word) get(s).reset();
        else get(s) = parseFloatIn(self, v);
    };
    k.formatFn = [get, word = k.word](const SimSettings& s) { return get(s) ? formatKnobFloat(*get(s)) : word; };
    k.sameFn = [get](const SimSettings& a, const SimSettings& b) { return get(a) == get(b); };
    return k;
}

// heads.ablate and heads.gate share SimSettings::heads. The list is kept as the ablations, then
// the gates, whichever key is set last, so that describe() (ablate before gate) reads back equal.
using Kind = HeadIntervention::Kind;

bool isGate(const HeadIntervention& h) { return h.kind == Kind::Gate; }

std::vector<HeadIntervention> headsWhere(const SimSettings& s, bool gates) {
    std::vector<HeadIntervention> out;
    for (const auto& h : s.heads)
        if (isGate(h) == gates) out.push_back(h);
    return out;
}

HeadIntervention parseHead(const Knob& self, std::string_view item, bool gate) {
    const auto parts = split(item, ':');
    auto index = [&](std::string_view x) {
        const std::string t(x);
        char* end = nullptr;
        errno = 0;
        const long i = std::strtol(t.c_str(), &end, 10);
        if (!isPlainInteger(t) || end != t.c_str() + t.size() || errno == ERANGE || i < 0 || i > 1'000'000) fail(self, item);
        return int(i);
    };
    HeadIntervention h;
    if (gate) {
        if (parts.size() != 3) fail(self, item);
        h.kind = Kind::Gate;
        const std::string g(parts[2]);
        char* end = nullptr;
        h.gateLogit = std::strtof(g.c_str(), &end);
        // +-inf are exact gates (sigma = 1 or 0); nan is not a gate.
        const bool infinite = g == "inf" || g == "+inf" || g == "-inf";
        if (!(infinite || isPlainDecimal(g)) || end != g.c_str() + g.size() || std::isnan(h.gateLogit)) fail(self, item);
    } else {
        if (parts.size() < 2 || parts.size() > 3) fail(self, item);
        if (parts.size() == 3) {
            if (parts[2] == "zero") h.kind = Kind::Zero;
            else if (parts[2] == "mean") h.kind = Kind::Mean;
            else fail(self, item);
        }
    }
    h.layer = index(parts[0]);
    h.head = index(parts[1]);
    return h;
}

// No model has more heads than this (1024 layers of 64 heads is far beyond any checkpoint the
// app runs); a list longer than that cannot be valid, so it is refused before it is parsed.
constexpr size_t kMaxHeadListEntries = size_t(1) << 16;

Knob headList(Knob k, bool gates) {
    k.type = KnobType::HeadList;
    k.parseFn = [gates](const Knob& self, SimSettings& s, std::string_view v) {
        std::vector<HeadIntervention> add;
        if (v != "none") {
            const size_t items = size_t(std::count(v.begin(), v.end(), ',')) + 1;
            if (items > kMaxHeadListEntries)
                throw Error("setting " + self.key + ": expected at most " + std::to_string(kMaxHeadListEntries) +
                            " heads, got " + std::to_string(items));
            add.reserve(items);
            std::set<std::pair<int, int>> seen;  // (layer, head): each head once
            for (std::string_view item : split(v, ',')) {
                add.push_back(parseHead(self, item, gates));
                if (!seen.insert({add.back().layer, add.back().head}).second)
                    throw Error("setting " + self.key + ": head " + std::to_string(add.back().layer) + ":" +
                                std::to_string(add.back().head) + " appears twice");
            }
        }
        std::vector<HeadIntervention> ablations = gates ? headsWhere(s, false) : std::move(add);
        std::vector<HeadIntervention> gated = gates ? std::move(add) : headsWhere(s, true);
        ablations.insert(ablations.end(), gated.begin(), gated.end());
        s.heads = std::move(ablations);
    };
    k.formatFn = [gates](const SimSettings& s) {
        std::string out;
        for (const auto& h : headsWhere(s, gates)) {
            if (!out.empty()) out += ',';
            out += std::to_string(h.layer);
            out += ':';
            out += std::to_string(h.head);
            if (h.kind == Kind::Gate) {
                out += ':';
                out += formatKnobFloat(h.gateLogit);
            }
            if (h.kind == Kind::Mean) out += ":mean";
        }
        return out.empty() ? std::string("none") : out;
    };
    k.sameFn = [gates](const SimSettings& a, const SimSettings& b) { return headsWhere(a, gates) == headsWhere(b, gates); };
    // Layer and head exist in the model.
    k.checkFn = [gates](const SimSettings& s, const ModelConfig& c) {
        const std::string key = gates ? "heads.gate" : "heads.ablate";
        const std::vector<HeadIntervention> list = headsWhere(s, gates);
        const int64_t heads = int64_t(c.nLayers) * c.nHeads;
        if (int64_t(list.size()) > heads)
            failRule(key, "at most " + std::to_string(heads) + " heads (" + std::to_string(c.nLayers) + " layers x " +
                              std::to_string(c.nHeads) + " heads)", std::to_string(list.size()));
        for (const auto& h : list) {
            if (h.layer >= c.nLayers) failRule(key, "layer < " + std::to_string(c.nLayers), std::to_string(h.layer));
            if (h.head >= c.nHeads) failRule(key, "head < " + std::to_string(c.nHeads), std::to_string(h.head));
        }
    };
    return k;
}

// ---- when a knob applies ----

bool usesRope(const SimSettings& s) { return s.positions == PositionEncoding::Rope; }
bool ropeScaled(const SimSettings& s) { return usesRope(s) && s.ropeScaling.method != RopeScaling::None; }
bool ropeRamp(const SimSettings& s) {
    return usesRope(s) && (s.ropeScaling.method == RopeScaling::NtkByParts || s.ropeScaling.method == RopeScaling::Yarn);
}
bool ropeLlama3(const SimSettings& s) { return usesRope(s) && s.ropeScaling.method == RopeScaling::Llama3; }
bool moeOn(const SimSettings& s) { return s.moe.experts > 0; }
auto sparseIs(std::initializer_list<SparsePattern> patterns) {
    return [ps = std::vector<SparsePattern>(patterns)](const SimSettings& s) {
        return std::find(ps.begin(), ps.end(), s.sparse) != ps.end();
    };
}

constexpr double kMaxCount = 1'000'000;  // the largest token count, rank, seed, ... accepted

std::vector<Knob> buildTable() {
    using G = KnobGroup;
    std::vector<Knob> t;

    // ---- norms ----
    t.push_back(choice(
        {.key = "norm.placement", .group = G::Norm, .label = "Placement",
         .choices = {{"pre", "pre-norm"}, {"post", "post-norm"}, {"sandwich", "sandwich"}, {"deepnorm", "DeepNorm"}},
         .example = "post",
         .help = "Where each sublayer's norm sits. pre (as trained): the sublayer reads a normed copy and adds "
                 "to the raw residual. post (original Transformer): the sum is normed. sandwich: pre-norm plus a "
                 "norm of the sublayer output before the add (the checkpoint has no gain for it: gain 1). "
                 "deepnorm (DeepNet): post-norm with the residual scaled by alpha; DeepNet's beta only scales "
                 "weights at initialisation, so it has no effect on a trained checkpoint.",
         .formula = "pre: x += F(N(x)); post: x = N(x + F(x)); sandwich: x += N1(F(N(x))); deepnorm: x = N(alpha x + F(x))"},
        [](auto& s) -> auto& { return s.normPlacement; }));
    t.push_back(choice(
        {.key = "norm.type", .group = G::Norm, .label = "Type",
         .choices = {{"rms", "RMSNorm"}, {"layer", "LayerNorm"}},
         .help = "RMSNorm (as trained) rescales by the root mean square; LayerNorm also subtracts the mean. "
                 "Both use the learned gain g; LayerNorm gets no bias (the checkpoint has none).",
         .formula = "rms: g * x / sqrt(mean(x^2) + eps); layer: g * (x - mean(x)) / sqrt(var(x) + eps)"},
        [](auto& s) -> auto& { return s.normType; }));
    t.push_back(optionalNumber(
        {.key = "norm.eps", .group = G::Norm, .label = "\u03B5", .min = 0, .max = 100, .minExclusive = true,
         .word = "model", .presets = {"1e-06", "1e-05", "0.001", "0.1", "1"}, .example = "1e-05",
         .help = "The epsilon inside the norm's square root; guards against division by zero for tiny vectors. "
                 "model: the checkpoint's own.",
         .formula = "1 / sqrt(mean(x^2) + eps)"},
        [](auto& s) -> auto& { return s.normEps; }));
    t.push_back(optionalNumber(
        {.key = "norm.alpha", .group = G::Norm, .label = "DeepNorm \u03B1", .min = 0, .max = 100,
         .minExclusive = true, .word = "auto", .presets = {"1", "2", "4"}, .example = "2",
         .help = "DeepNorm's residual scale alpha (only with norm.placement=deepnorm). auto uses the DeepNet "
                 "decoder-only value for this depth.",
         .formula = "alpha = (2N)^(1/4), N = number of layers",
         .appliesFn = [](const SimSettings& s) { return s.normPlacement == NormPlacement::DeepNorm; }},
        [](auto& s) -> auto& { return s.deepNormAlpha; }));

    // ---- FFN ----
    t.push_back(choice(
        {.key = "ffn.act", .group = G::Ffn, .label = "Activation",
         .choices = {{"silu", "SiLU"}, {"gelu-tanh", "GELU (tanh)"}, {"gelu-erf", "GELU (erf)"}, {"relu", "ReLU"},
                     {"leaky-relu", "leaky ReLU"}, {"elu", "ELU"}, {"swish", "Swish"}},
         .help = "The nonlinearity applied to the gate W1 x of the SwiGLU FFN (the up projection W3 x still "
                 "multiplies it). gelu-tanh is the tanh approximation, gelu-erf the exact erf form.",
         .formula = "FFN(x) = W2 (act(W1 x) * W3 x); silu = x sigma(x); gelu-erf = x Phi(x) = x/2 (1 + erf(x/sqrt 2)); "
                    "gelu-tanh = x/2 (1 + tanh(sqrt(2/pi)(x + 0.044715 x^3))); relu = max(0,x); "
                    "leaky-relu = x or slope x; elu = x or alpha(e^x - 1); swish = x sigma(beta x)"},
        [](auto& s) -> auto& { return s.activation; }));
    t.push_back(number(
        {.key = "ffn.slope", .group = G::Ffn, .label = "Leaky slope", .min = -100, .max = 100, .step = 0.05,
         .help = "Leaky ReLU's slope for negative inputs.", .formula = "x < 0: slope * x",
         .appliesFn = [](const SimSettings& s) { return s.activation == Activation::LeakyRelu; }},
        [](auto& s) -> auto& { return s.activationParams.leakySlope; }));
    t.push_back(number(
        {.key = "ffn.alpha", .group = G::Ffn, .label = "ELU \u03B1", .min = -100, .max = 100, .step = 0.1,
         .help = "ELU's saturation value for very negative inputs.", .formula = "x < 0: alpha (e^x - 1)",
         .appliesFn = [](const SimSettings& s) { return s.activation == Activation::Elu; }},
        [](auto& s) -> auto& { return s.activationParams.eluAlpha; }));
    t.push_back(number(
        {.key = "ffn.beta", .group = G::Ffn, .label = "Swish \u03B2", .min = -100, .max = 100, .step = 0.1,
         .help = "Swish's beta; beta = 1 is SiLU, large beta approaches ReLU.", .formula = "swish(x) = x sigma(beta x)",
         .appliesFn = [](const SimSettings& s) { return s.activation == Activation::Swish; }},
        [](auto& s) -> auto& { return s.activationParams.swishBeta; }));

    // ---- positions ----
    t.push_back(choice(
        {.key = "pos", .group = G::Positions, .label = "Encoding",
         .choices = {{"rope", "RoPE"}, {"none", "none"}, {"alibi", "ALiBi"}},
         .help = "How positions enter attention. rope (as trained) rotates q and k; none drops position "
                 "information (the causal mask alone still leaks order); alibi adds a linear distance penalty "
                 "per head with geometric slopes instead of rotating.",
         .formula = "alibi: score(i,j) -= m_h (i - j), m_h = 2^(-8h/H), h = 1..H"},
        [](auto& s) -> auto& { return s.positions; }));
    t.push_back(optionalNumber(
        {.key = "rope.base", .group = G::Positions, .label = "RoPE base", .min = 1, .max = 1e9,
         .minExclusive = true, .word = "model", .presets = {"100", "1000", "10000", "100000", "500000"},
         .example = "50000",
         .help = "RoPE's base b: larger bases rotate slower, so distant positions stay distinguishable longer. "
                 "model: the checkpoint's own.",
         .formula = "theta_i = b^(-2i/d), angle = pos * theta_i", .appliesFn = usesRope},
        [](auto& s) -> auto& { return s.ropeBase; }));
    t.push_back(choice(
        {.key = "rope.scaling", .group = G::Positions, .label = "Scaling",
         .choices = {{"none", "none (as trained)"}, {"linear", "PI (linear)"}, {"ntk", "NTK-aware"},
                     {"dynamic-ntk", "dynamic NTK"}, {"ntk-by-parts", "NTK-by-parts"}, {"yarn", "YaRN"},
                     {"llama3", "Llama 3"}},
         .help = "Context extension by changing RoPE's frequencies, with factor s and original context L0. "
                 "linear (position interpolation): every frequency / s. ntk: a larger base. dynamic-ntk: ntk "
                 "with s grown from the current length once it passes L0 (keys cached by earlier calls keep "
                 "their old rotation, as in Hugging Face's implementation). ntk-by-parts: interpolate only "
                 "the low frequencies, ramping between alpha and beta rotations per L0. yarn: ntk-by-parts plus "
                 "an attention temperature on the logits. llama3: the same ramp expressed in wavelengths with "
                 "low/high frequency factors.",
         .formula = "linear: theta/s; ntk: b' = b s^(d/(d-2)); dynamic: s' = max(1, s L/L0 - (s-1)); "
                    "by-parts: r = L0/lambda, g = clamp((r-alpha)/(beta-alpha),0,1), theta' = theta/s + g(theta - theta/s); "
                    "yarn: + logits * (0.1 ln s + 1)^2 (sqrt(1/t) = 0.1 ln s + 1 on q and k); "
                    "llama3: lambda < L0/high: theta; lambda > L0/low: theta/s; else smooth = (L0/lambda - low)/(high - low)",
         .appliesFn = usesRope},
        [](auto& s) -> auto& { return s.ropeScaling.method; }));
    t.push_back(number(
        {.key = "rope.factor", .group = G::Positions, .label = "Factor s", .min = 1, .max = 1024, .step = 0.5,
         .help = "The scaling factor s (target context / original context).", .formula = "s = L_target / L0",
         .appliesFn = ropeScaled},
        [](auto& s) -> auto& { return s.ropeScaling.factor; }));
    t.push_back(number(
        {.key = "rope.original", .group = G::Positions, .label = "Original context", .noun = "a context length",
         .min = 0, .max = kMaxCount, .special = "the model's",
         .help = "The original context L0 the scaling refers to.", .formula = "L0", .appliesFn = ropeScaled},
        [](auto& s) -> auto& { return s.ropeScaling.originalContext; }));
    t.push_back(number(
        {.key = "rope.alpha", .group = G::Positions, .label = "Ramp \u03B1", .min = 0, .max = 1000, .step = 0.5,
         .help = "NTK-by-parts/YaRN: dimensions with fewer than alpha rotations over L0 are fully interpolated.",
         .formula = "r < alpha: theta/s", .appliesFn = ropeRamp},
        [](auto& s) -> auto& { return s.ropeScaling.rampAlpha; }));
    t.push_back(number(
        {.key = "rope.beta", .group = G::Positions, .label = "Ramp \u03B2", .min = 0, .max = 1000,
         .help = "NTK-by-parts/YaRN: dimensions with more than beta rotations over L0 are kept.",
         .formula = "r > beta: theta", .modelRule = "greater than rope.alpha", .appliesFn = ropeRamp,
         .checkFn = [](const SimSettings& s, const ModelConfig&) {
             const auto& r = s.ropeScaling;
             if ((r.method == RopeScaling::NtkByParts || r.method == RopeScaling::Yarn) && !(r.rampBeta > r.rampAlpha))
                 failRule("rope.beta", "greater than rope.alpha (" + formatKnobFloat(r.rampAlpha) + ")",
                          formatKnobFloat(r.rampBeta));
         }},
        [](auto& s) -> auto& { return s.ropeScaling.rampBeta; }));
    t.push_back(number(
        {.key = "rope.low_freq", .group = G::Positions, .label = "Llama 3 low", .min = 0, .max = 1000,
         .minExclusive = true, .step = 0.5, .help = "Llama 3 low-frequency factor.",
         .formula = "lambda > L0/low_freq: theta/s", .appliesFn = ropeLlama3},
        [](auto& s) -> auto& { return s.ropeScaling.lowFreqFactor; }));
    t.push_back(number(
        {.key = "rope.high_freq", .group = G::Positions, .label = "Llama 3 high", .min = 0, .max = 1000,
         .minExclusive = true, .step = 0.5, .help = "Llama 3 high-frequency factor.",
         .formula = "lambda < L0/high_freq: theta", .modelRule = "greater than rope.low_freq", .appliesFn = ropeLlama3,
         .checkFn = [](const SimSettings& s, const ModelConfig&) {
             const auto& r = s.ropeScaling;
             if (ropeLlama3(s) && !(r.highFreqFactor > r.lowFreqFactor))
                 failRule("rope.high_freq", "greater than rope.low_freq (" + formatKnobFloat(r.lowFreqFactor) + ")",
                          formatKnobFloat(r.highFreqFactor));
         }},
        [](auto& s) -> auto& { return s.ropeScaling.highFreqFactor; }));

    // ---- attention ----
    t.push_back(number(
        {.key = "attn.scale", .group = G::Attention, .label = "Scale \u00D7 1/\u221Ad", .min = -100, .max = 100,
         .step = 0.1,
         .help = "A multiplier on the 1/sqrt(d_k) score scale: above 1 sharpens every softmax (lower entropy, "
                 "recorded per head in the trace), below 1 flattens it.",
         .formula = "score = m * q.k / sqrt(d_k)",
         .appliesFn = [](const SimSettings& s) { return s.kernel == AttentionKernel::Softmax; }},
        [](auto& s) -> auto& { return s.attnScale; }));
    t.push_back(choice(
        {.key = "attn.mask", .group = G::Attention, .label = "Mask",
         .choices = {{"causal", "causal"}, {"bidirectional", "bidirectional"}, {"prefix", "prefix-LM"}},
         .help = "causal (as trained): a token sees itself and the past. bidirectional: every token of the "
                 "prompt sees every other (the batch is attended as a whole, so this leaks the future). prefix: "
                 "the first attn.prefix tokens see each other bidirectionally, the rest causally (prefix-LM).",
         .formula = "causal: j <= i; bidirectional: all j; prefix: j <= i or j < P"},
        [](auto& s) -> auto& { return s.mask; }));
    t.push_back(number(
        {.key = "attn.prefix", .group = G::Attention, .label = "Prefix length", .noun = "a token count", .min = 0,
         .max = kMaxCount, .help = "Prefix length P for attn.mask=prefix.", .formula = "j < P visible to i < P",
         .appliesFn = [](const SimSettings& s) { return s.mask == AttentionMask::PrefixLm; }},
        [](auto& s) -> auto& { return s.prefixLength; }));
    t.push_back(choice(
        {.key = "attn.sparse", .group = G::Attention, .label = "Sparse pattern",
         .choices = {{"none", "none"}, {"window", "sliding window"}, {"sinks", "sinks + window"},
                     {"strided", "strided"}, {"dual-chunk", "dual chunk"}, {"s2", "shifted sparse (S2)"}},
         .help = "Sparse attention patterns on top of the causal mask. window: the last W tokens (Longformer/"
                 "Mistral). sinks: the first S tokens plus the window (StreamingLLM's attention sinks). strided: "
                 "the local W tokens plus every stride-th token before them (Sparse Transformer). dual-chunk: "
                 "chunks of attn.chunk tokens with positions remapped so no relative distance exceeds the trained "
                 "range (intra-chunk, successive-chunk, inter-chunk). s2: LongLoRA's shifted sparse attention, "
                 "groups of attn.group tokens, half the heads shifted by half a group.",
         .formula = "window: i-W < j <= i; sinks: j < S or i-W < j <= i; strided: i-j < W or (i-j) mod stride = 0; "
                    "s2: floor((i + o_h)/G) = floor((j + o_h)/G), o_h = 0 or G/2"},
        [](auto& s) -> auto& { return s.sparse; }));
    using SP = SparsePattern;
    t.push_back(number(
        {.key = "attn.window", .group = G::Attention, .label = "Window W", .noun = "a token count", .min = 1,
         .max = kMaxCount, .help = "Window length W for window, sinks and strided.", .formula = "i - W < j",
         .appliesFn = sparseIs({SP::SlidingWindow, SP::SinksWindow, SP::BlockStrided})},
        [](auto& s) -> auto& { return s.window; }));
    t.push_back(number(
        {.key = "attn.sinks", .group = G::Attention, .label = "Sinks S", .noun = "a token count", .min = 0,
         .max = kMaxCount, .help = "Number S of attention-sink tokens kept at the start.", .formula = "j < S",
         .appliesFn = sparseIs({SP::SinksWindow})},
        [](auto& s) -> auto& { return s.sinks; }));
    t.push_back(number(
        {.key = "attn.stride", .group = G::Attention, .label = "Stride", .noun = "a token count", .min = 1,
         .max = kMaxCount, .help = "Stride of the strided pattern.", .formula = "(i - j) mod stride = 0",
         .appliesFn = sparseIs({SP::BlockStrided})},
        [](auto& s) -> auto& { return s.stride; }));
    t.push_back(number(
        {.key = "attn.chunk", .group = G::Attention, .label = "Chunk", .noun = "a token count", .min = 1,
         .max = kMaxCount, .help = "Chunk size for dual-chunk attention.", .formula = "chunk(i) = floor(i/c)",
         .appliesFn = sparseIs({SP::DualChunk})},
        [](auto& s) -> auto& { return s.chunk; }));
    t.push_back(number(
        {.key = "attn.group", .group = G::Attention, .label = "S2 group G", .noun = "a token count", .min = 2,
         .max = kMaxCount, .step = 2, .help = "Group size G of shifted sparse attention (S2).",
         .formula = "groups of G, shift G/2", .modelRule = "even", .appliesFn = sparseIs({SP::ShiftedSparse}),
         .checkFn = [](const SimSettings& s, const ModelConfig&) {
             if (s.sparse == SP::ShiftedSparse && s.s2Group % 2 != 0)
                 failRule("attn.group", "an even group size", std::to_string(s.s2Group));
         }},
        [](auto& s) -> auto& { return s.s2Group; }));
    t.push_back(choice(
        {.key = "attn.kernel", .group = G::Attention, .label = "Kernel",
         .choices = {{"softmax", "softmax"}, {"linear", "linear (elu + 1)"}},
         .help = "linear replaces softmax(q.k) by the kernel phi(q).phi(k) with phi = elu + 1, so the causal "
                 "sum can be kept as running prefix sums: O(N d^2) instead of softmax's O(N^2 d).",
         .formula = "out_i = phi(q_i)^T S_i / phi(q_i)^T z_i, S_i = sum_{j<=i} phi(k_j) v_j^T, z_i = sum_{j<=i} phi(k_j)",
         .modelRule = "linear only with attn.mask=causal and attn.sparse=none",
         .checkFn = [](const SimSettings& s, const ModelConfig&) {
             if (s.kernel == AttentionKernel::Linear && (s.sparse != SP::None || s.mask != AttentionMask::Causal))
                 failRule("attn.kernel", "linear attention with attn.mask=causal and attn.sparse=none",
                          "other mask settings");
         }},
        [](auto& s) -> auto& { return s.kernel; }));

    // ---- heads ----
    t.push_back(headList(
        {.key = "heads.ablate", .group = G::Heads, .label = "Ablated",
         .syntax = "a list of layer:head[:zero|mean] (e.g. 2:5,0:1:mean) or none", .example = "1:2:mean,0:3",
         .help = "Removes heads: zero sets the head's output to 0; mean replaces it by its mean over the "
                 "positions of the batch (mean ablation keeps the average contribution).",
         .formula = "o_{l,h}(t) = 0 or mean_t o_{l,h}(t)", .modelRule = "layer < layers, head < heads"},
        false));
    t.push_back(headList(
        {.key = "heads.gate", .group = G::Heads, .label = "Gated",
         .syntax = "a list of layer:head:gate_logit (e.g. 1:3:-2) or none", .example = "0:3:-1.5",
         .help = "Manual counterfactual: multiplies a head's output by a sigmoid gate sigma(g) set by hand. "
                 "The checkpoint has no trained gates; this shows what a gated-attention model could do. "
                 "g = -inf closes the gate.",
         .formula = "o_{l,h} *= sigma(g)", .modelRule = "layer < layers, head < heads"},
        true));

    // ---- KV sharing ----
    t.push_back(choice(
        {.key = "kv.sharing", .group = G::Kv, .label = "Sharing",
         .choices = {{"as-loaded", "as loaded (GQA)"}, {"mqa", "MQA"}, {"mha", "MHA"}, {"groups", "GQA groups"},
                     {"latent", "latent (MLA-style)"}},
         .help = "How many key/value heads serve the query heads. as-loaded: GQA with the model's KV heads. "
                 "mqa: one KV head, the mean of the KV heads' W_K / W_V rows. mha: one KV head per query head, "
                 "duplicated from its group. groups: kv.groups KV heads, each the mean of the original KV heads "
                 "its query heads read. latent (MLA-style): [W_K; W_V] replaced by its rank-r truncated SVD, so "
                 "every token caches one r-dimensional latent c = V_r^T x per layer.",
         .formula = "pool: W_K^g = mean_{kv heads in g} W_K^h; latent: [W_K; W_V] = U S V^T ~ U_r S_r V_r^T"},
        [](auto& s) -> auto& { return s.kvSharing; }));
    t.push_back(number(
        {.key = "kv.groups", .group = G::Kv, .label = "KV heads", .noun = "a number of KV heads", .min = 0,
         .max = kMaxCount, .special = "unset", .example = "2",
         .help = "Number of KV heads for kv.sharing=groups.", .formula = "G | nHeads",
         .modelRule = "a divisor of the query heads",
         .appliesFn = [](const SimSettings& s) { return s.kvSharing == KvSharing::Groups; },
         .checkFn = [](const SimSettings& s, const ModelConfig& c) {
             if (s.kvSharing == KvSharing::Groups &&
                 (s.kvGroups < 1 || s.kvGroups > c.nHeads || c.nHeads % s.kvGroups != 0))
                 failRule("kv.groups", "a divisor of the " + std::to_string(c.nHeads) + " query heads",
                          std::to_string(s.kvGroups));
         },
         .modelMaxFn = [](const ModelConfig& c) { return double(c.nHeads); }},
        [](auto& s) -> auto& { return s.kvGroups; }));
    t.push_back(number(
        {.key = "kv.rank", .group = G::Kv, .label = "Latent rank r", .noun = "a rank", .min = 0, .max = kMaxCount,
         .special = "unset", .example = "16", .help = "Latent rank r for kv.sharing=latent.", .formula = "r",
         .modelRule = "1..min(2 kvDim, dim)",
         .appliesFn = [](const SimSettings& s) { return s.kvSharing == KvSharing::LatentSvd; },
         .checkFn = [](const SimSettings& s, const ModelConfig& c) {
             const int maxRank = std::min(2 * c.kvDim(), c.dim);
             if (s.kvSharing == KvSharing::LatentSvd && (s.kvRank < 1 || s.kvRank > maxRank))
                 failRule("kv.rank", "1.." + std::to_string(maxRank) + " (rank of [W_K; W_V])",
                          std::to_string(s.kvRank));
         },
         .modelMaxFn = [](const ModelConfig& c) { return double(std::min(2 * c.kvDim(), c.dim)); }},
        [](auto& s) -> auto& { return s.kvRank; }));

    // ---- MoE ----
    t.push_back(number(
        {.key = "moe.experts", .group = G::Moe, .label = "Experts E", .noun = "a number of experts", .min = 0,
         .max = kMaxCount, .special = "dense, as trained", .example = "4",
         .help = "MoEfication of the dense checkpoint: each FFN's hidden units are split into E experts by "
                 "balanced k-means on the rows [W1_u, W3_u] (seeded). The router score of an expert is its "
                 "centroid's W1 half dotted with the normed FFN input, i.e. the mean gate pre-activation of its "
                 "units. Experts are evaluated densely and masked, which gives the same numbers as sparse "
                 "execution; the trace reports the parameters a sparse kernel would touch.",
         .formula = "score_e = c_e . x; FFN(x) = sum_{e in topk} g_e W2[:, U_e] (act(W1[U_e] x) * W3[U_e] x)",
         .modelRule = "0 or 2..hidden",
         .checkFn = [](const SimSettings& s, const ModelConfig& c) {
             if (s.moe.experts != 0 && (s.moe.experts < 2 || s.moe.experts > c.hiddenDim))
                 failRule("moe.experts", "0 (dense) or 2.." + std::to_string(c.hiddenDim), std::to_string(s.moe.experts));
         },
         .modelMaxFn = [](const ModelConfig& c) { return double(c.hiddenDim); }},
        [](auto& s) -> auto& { return s.moe.experts; }));
    t.push_back(number(
        {.key = "moe.k", .group = G::Moe, .label = "Top-k", .noun = "a number of experts per token", .min = 1,
         .max = kMaxCount,
         .help = "Experts per token (top-k routing). k = E reproduces the dense FFN with moe.gate=one.",
         .formula = "top-k of score", .modelRule = "at most moe.experts", .appliesFn = moeOn,
         .checkFn = [](const SimSettings& s, const ModelConfig&) {
             if (s.moe.experts != 0 && s.moe.topK > s.moe.experts)
                 failRule("moe.k", "1..moe.experts (" + std::to_string(s.moe.experts) + ")", std::to_string(s.moe.topK));
         }},
        [](auto& s) -> auto& { return s.moe.topK; }));
    t.push_back(choice(
        {.key = "moe.gate", .group = G::Moe, .label = "Gate",
         .choices = {{"one", "one (plain sum)"}, {"softmax", "softmax over top-k"}, {"prob", "router probability"}},
         .help = "Weight of a chosen expert: one (plain sum, exact for MoEfication), softmax (renormalised over "
                 "the top k, Mixtral), prob (softmax over all experts, Switch).",
         .formula = "one: g = 1; softmax: g = exp(s_e)/sum_{topk} exp(s); prob: g = exp(s_e)/sum_all exp(s)",
         .appliesFn = moeOn},
        [](auto& s) -> auto& { return s.moe.gate; }));
    t.push_back(number(
        {.key = "moe.noise", .group = G::Moe, .label = "Router noise", .noun = "a standard deviation", .min = 0,
         .max = 100, .step = 0.1,
         .help = "Noisy top-k gating (Shazeer 2017) with a fixed noise scale instead of a learned one; seeded.",
         .formula = "s_e + N(0, std^2)", .appliesFn = moeOn},
        [](auto& s) -> auto& { return s.moe.noiseStd; }));
    t.push_back(number(
        {.key = "moe.seed", .group = G::Moe, .label = "Seed", .noun = "a seed", .min = 0, .max = kMaxCount,
         .help = "Seed for k-means initialisation and router noise.", .formula = "", .appliesFn = moeOn},
        [](auto& s) -> auto& { return s.moe.seed; }));
    t.push_back(number(
        {.key = "moe.capacity", .group = G::Moe, .label = "Capacity factor", .noun = "a capacity factor", .min = 0,
         .max = 1000, .step = 0.25, .special = "unlimited",
         .help = "Expert capacity: each expert takes at most C tokens in a batch, in order; overflowing tokens "
                 "get no output from that expert (with k = 1 they pass through with zero FFN output).",
         .formula = "C = ceil(cf * T * k / E)", .appliesFn = moeOn},
        [](auto& s) -> auto& { return s.moe.capacityFactor; }));
    {
        // Switch Transformer: top-1 routing, the expert's output scaled by its router probability.
        Knob k{.key = "moe.switch", .group = G::Moe, .type = KnobType::Shorthand, .label = "Switch routing",
               .syntax = "on | off", .example = "on",
               .help = "Shorthand for Switch-style routing: moe.k=1 moe.gate=prob.", .formula = "y = p_e E_e(x)"};
        k.parseFn = [](const Knob& self, SimSettings& s, std::string_view v) {
            if (v == "on") {
                s.moe.topK = 1;
                s.moe.gate = MoeGate::Prob;
            } else if (v != "off") {
                throw Error("setting " + self.key + ": expected on|off, got '" + std::string(v) + "'");
            }
        };
        k.formatFn = [](const SimSettings&) { return std::string("off"); };
        k.sameFn = [](const SimSettings&, const SimSettings&) { return true; };
        t.push_back(std::move(k));
    }
    return t;
}

}  // namespace

void Knob::parse(SimSettings& s, std::string_view value) const {
    SimSettings t = s;  // a failed parse leaves s as it was
    parseFn(*this, t, value);
    s = std::move(t);
}

std::string Knob::values() const {
    std::string v;
    switch (type) {
        case KnobType::Choice:
            for (const KnobChoice& c : choices) {
                if (!v.empty()) v += '|';
                v += c.name;
            }
            break;
        case KnobType::Float:
        case KnobType::Int:
        case KnobType::OptionalFloat:
            v = noun + (minExclusive ? " > " : " >= ") + formatBound(min) + " and <= " + formatBound(max);
            if (!special.empty()) v += " (" + formatBound(min) + " = " + special + ")";
            if (type == KnobType::OptionalFloat) v += ", or " + word;
            break;
        case KnobType::HeadList:
        case KnobType::Shorthand: v = syntax; break;
    }
    if (!modelRule.empty()) v += "; " + modelRule;
    return v;
}

std::string Knob::defaultValue() const { return format(SimSettings{}); }

const std::vector<Knob>& knobTable() {
    static const std::vector<Knob> table = buildTable();
    return table;
}

const Knob* findKnob(std::string_view key) {
    for (const Knob& k : knobTable())
        if (k.key == key) return &k;
    return nullptr;
}

const char* knobGroupTitle(KnobGroup g) {
    switch (g) {
        case KnobGroup::Norm: return "Norms";
        case KnobGroup::Ffn: return "FFN activation";
        case KnobGroup::Positions: return "Positions";
        case KnobGroup::Attention: return "Attention";
        case KnobGroup::Heads: return "Heads";
        case KnobGroup::Kv: return "KV sharing";
        case KnobGroup::Moe: return "Mixture of experts";
    }
    return "?";
}

std::string formatKnobFloat(float f) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, f);  // shortest round-trip form
    return std::string(buf, r.ptr);
}

}  // namespace anatomy
