// The training configuration: one table row per key (section.key, kind, help, field), which
// drives parsing, validation, the canonical JSON line and `--help-config`. The "architecture"
// section takes the knob table's keys (knob_table.h) and accepts only what the trainer trains.
#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>

#include "anatomy/corpus.h"
#include "anatomy/error.h"
#include "anatomy/knob_table.h"
#include "anatomy/sim_settings.h"
#include "anatomy/train.h"
#include "norm/norm.h"
#include "train/json_value.h"
#include "train/train_model.h"

namespace anatomy {
namespace {

using training::JsonValue;

enum class Kind { PositiveInt, NonNegativeInt, PositiveNumber, NonNegativeNumber, Fraction, Seed, Bool, Path };

struct ConfigKey {
    const char* section;
    const char* key;
    Kind kind;
    const char* help;
    std::function<void(TrainConfig&, double)> setNumber;  // numeric kinds
    std::function<double(const TrainConfig&)> getNumber;
    std::function<std::string&(TrainConfig&)> path;   // Path
    std::function<bool&(TrainConfig&)> flag;          // Bool
};

template <class T>
ConfigKey num(const char* section, const char* key, Kind kind, const char* help, T& (*field)(TrainConfig&)) {
    ConfigKey k{section, key, kind, help, {}, {}, {}, {}};
    k.setNumber = [field](TrainConfig& c, double v) { field(c) = T(v); };
    k.getNumber = [field](const TrainConfig& c) { return double(field(const_cast<TrainConfig&>(c))); };
    return k;
}

#define NUM(section, key, kind, help, type, expr) \
    num<type>(section, key, kind, help, [](TrainConfig& c) -> type& { return expr; })

const std::vector<ConfigKey>& configKeys() {
    static const std::vector<ConfigKey> keys = [] {
        std::vector<ConfigKey> k;
        using K = Kind;
        k.push_back(NUM("shape", "dim", K::PositiveInt, "d_model, width of the residual stream", int, c.shape.dim));
        k.push_back(NUM("shape", "layers", K::PositiveInt, "number of transformer blocks", int, c.shape.nLayers));
        k.push_back(NUM("shape", "heads", K::PositiveInt, "query heads; must divide dim, head size even", int,
                        c.shape.nHeads));
        k.push_back(NUM("shape", "kv_heads", K::PositiveInt,
                        "key/value heads: = heads (MHA), a divisor of heads (GQA), 1 (MQA)", int, c.shape.nKvHeads));
        k.push_back(NUM("shape", "hidden", K::PositiveInt, "SwiGLU inner width", int, c.shape.hidden));
        k.push_back(NUM("shape", "vocab", K::PositiveInt, "vocabulary size; must equal the tokenizer's", int,
                        c.shape.vocab));
        k.push_back(NUM("shape", "context", K::PositiveInt,
                        "the trained context written into the model file (>= optimisation.sequence)", int,
                        c.shape.context));
        ConfigKey tied{"shape", "tied_classifier", K::Bool, "classifier shares the token embedding (true) or has its own matrix",
                       {}, {}, {}, [](TrainConfig& c) -> bool& { return c.shape.tiedClassifier; }};
        k.push_back(tied);
        k.push_back(NUM("optimisation", "steps", K::PositiveInt, "optimizer steps", int, c.opt.steps));
        k.push_back(NUM("optimisation", "batch", K::PositiveInt, "sequences per step", int, c.opt.batch));
        k.push_back(NUM("optimisation", "sequence", K::PositiveInt,
                        "tokens per sequence (BOS, then sequence - 1 tokens of text)", int, c.opt.sequence));
        k.push_back(NUM("optimisation", "lr", K::PositiveNumber, "peak learning rate", double, c.opt.lr));
        k.push_back(NUM("optimisation", "min_lr", K::NonNegativeNumber, "learning rate at the end of the cosine", double,
                        c.opt.minLr));
        k.push_back(NUM("optimisation", "warmup", K::NonNegativeInt, "steps of linear warmup: lr (s + 1) / warmup",
                        int, c.opt.warmup));
        k.push_back(NUM("optimisation", "weight_decay", K::NonNegativeNumber,
                        "AdamW decoupled decay on matrices and the embedding (not norm gains)", double,
                        c.opt.weightDecay));
        k.push_back(NUM("optimisation", "clip", K::NonNegativeNumber, "global gradient-norm clip; 0 = off", double,
                        c.opt.clip));
        k.push_back(NUM("optimisation", "beta1", K::Fraction, "AdamW beta1, in [0, 1)", double, c.opt.beta1));
        k.push_back(NUM("optimisation", "beta2", K::Fraction, "AdamW beta2, in [0, 1)", double, c.opt.beta2));
        k.push_back(NUM("optimisation", "eps", K::PositiveNumber, "AdamW epsilon", double, c.opt.eps));
        k.push_back(NUM("optimisation", "aux_loss_weight", K::NonNegativeNumber,
                        "MoE: weight alpha of the Switch load-balancing loss alpha E sum_e f_e P_e (0 = none)", double,
                        c.opt.auxLossWeight));
        k.push_back(NUM("optimisation", "seed", K::Seed, "seed of the initialisation and the data order", uint64_t,
                        c.opt.seed));
        ConfigKey corpus{"data", "corpus", K::Path,
                         "text file to train on; default: the 4M lowercase TinyStories file in the shared folder",
                         {}, {}, [](TrainConfig& c) -> std::string& { return c.data.corpus; }, {}};
        k.push_back(corpus);
        ConfigKey tok{"data", "tokenizer", K::Path, "llama2.c tokenizer file; default: tok512.bin in the shared folder",
                      {}, {}, [](TrainConfig& c) -> std::string& { return c.data.tokenizer; }, {}};
        k.push_back(tok);
        ConfigKey val2{"data", "validation_text", K::Path,
                       "a second validation text (e.g. the 197K cased TinyStories file), reported as val2_loss",
                       {}, {}, [](TrainConfig& c) -> std::string& { return c.data.validationText; }, {}};
        k.push_back(val2);
        k.push_back(NUM("data", "train_fraction", K::Fraction,
                        "leading part of the text that trains; the rest validates (0.95: first 95%)", double,
                        c.data.trainFraction));
        k.push_back(NUM("data", "eval_every", K::PositiveInt, "steps between validation losses (and the last step)",
                        int, c.data.evalEvery));
        k.push_back(NUM("data", "eval_batches", K::PositiveInt, "validation batches per estimate", int,
                        c.data.evalBatches));
        k.push_back(NUM("data", "log_every", K::PositiveInt, "steps between JSON lines (and the first and last)", int,
                        c.data.logEvery));
        return k;
    }();
    return keys;
}

[[noreturn]] void fail(const std::string& key, const std::string& expected, const std::string& got) {
    throw Error("config: " + key + ": expected " + expected + ", got " + got);
}

std::string describeJson(const JsonValue& v) {
    switch (v.type) {
        case JsonValue::Type::Number: return v.text;
        case JsonValue::Type::String: return training::jsonQuote(v.text);
        case JsonValue::Type::Bool: return v.boolean ? "true" : "false";
        default: return v.typeName();
    }
}

const char* kindText(Kind k) {
    switch (k) {
        case Kind::PositiveInt: return "a positive integer";
        case Kind::NonNegativeInt: return "an integer >= 0";
        case Kind::PositiveNumber: return "a number > 0";
        case Kind::NonNegativeNumber: return "a number >= 0";
        case Kind::Fraction: return "a number in [0, 1)";
        case Kind::Seed: return "an integer in [0, 2^53]";
        case Kind::Bool: return "true or false";
        case Kind::Path: return "a file path (string)";
    }
    return "?";
}

void setKey(TrainConfig& c, const ConfigKey& k, const std::string& name, const JsonValue& v) {
    if (k.kind == Kind::Bool) {
        if (v.type != JsonValue::Type::Bool) fail(name, kindText(k.kind), describeJson(v));
        k.flag(c) = v.boolean;
        return;
    }
    if (k.kind == Kind::Path) {
        if (v.type != JsonValue::Type::String || v.text.empty()) fail(name, kindText(k.kind), describeJson(v));
        k.path(c) = v.text;
        return;
    }
    if (v.type != JsonValue::Type::Number) fail(name, kindText(k.kind), describeJson(v));
    const double x = v.number;
    const bool integral = std::floor(x) == x;
    bool ok = true;
    switch (k.kind) {
        case Kind::PositiveInt: ok = integral && x >= 1 && x <= 1e9; break;
        case Kind::NonNegativeInt: ok = integral && x >= 0 && x <= 1e9; break;
        case Kind::PositiveNumber: ok = x > 0; break;
        case Kind::NonNegativeNumber: ok = x >= 0; break;
        case Kind::Fraction: ok = x >= 0 && x < 1; break;
        case Kind::Seed: ok = integral && x >= 0 && x <= 9007199254740992.0; break;
        default: break;
    }
    if (!ok) fail(name, kindText(k.kind), v.text);
    k.setNumber(c, x);
}

// The architecture section: knob-table keys. The trainer trains pre-RMSNorm, RoPE, SwiGLU (silu)
// with full causal attention; norm.eps and rope.base are numbers it uses.
// Trainer keys and values the knob table has no row for (designs that exist only when trained):
//   pos = learned | sinusoidal (absolute positions added to the embedding), attn.gate, ffn.gated.
// Returns true when key/value was one of them.
bool setTrainerOnly(TrainConfig& c, const std::string& key, const JsonValue& v, const std::string& name,
                    bool& mlaRopeGiven) {
    const std::string text = v.type == JsonValue::Type::String ? v.text : "";
    if (key == "pos" && (text == "learned" || text == "sinusoidal")) {
        c.shape.absolute = text == "learned" ? AbsolutePositions::Learned : AbsolutePositions::Sinusoidal;
        return true;
    }
    if (key == "norm.type" && text == "batch") {
        c.shape.batchNorm = true;
        return true;
    }
    if (key == "mla.rope_dim") {
        if (v.type != JsonValue::Type::Number || v.number < 0 || v.number > 1024 || std::floor(v.number) != v.number ||
            int(v.number) % 2 != 0)
            fail(name, "an even integer >= 0 (the decoupled RoPE key's width)", describeJson(v));
        c.shape.mlaRopeDim = int(v.number);
        mlaRopeGiven = true;
        return true;
    }
    if (key == "attn.gate") {
        if (text == "none") c.shape.attentionGate = AttentionGate::None;
        else if (text == "headwise") c.shape.attentionGate = AttentionGate::HeadWise;
        else if (text == "elementwise") c.shape.attentionGate = AttentionGate::ElementWise;
        else fail(name, "none, headwise or elementwise", describeJson(v));
        return true;
    }
    if (key == "ffn.gated") {
        if (v.type == JsonValue::Type::Bool) c.shape.gatedFfn = v.boolean;
        else if (text == "true" || text == "false") c.shape.gatedFfn = text == "true";
        else fail(name, "true (W2 (act(W1 h) * W3 h)) or false (W2 act(W1 h))", describeJson(v));
        return true;
    }
    return false;
}

// The architecture section: knob-table keys. The trainer trains the norm, position and FFN knobs
// and the MoE knobs (moe.experts > 0: a trained router and experts); norm.eps and rope.base are
// numbers it uses; every other knob only at its default.
void setArchitecture(TrainConfig& c, const JsonValue& arch) {
    if (arch.type != JsonValue::Type::Object) fail("architecture", "an object of knob keys", arch.typeName());
    SimSettings s;
    bool absolute = false, mlaRopeGiven = false;
    for (const auto& [key, v] : arch.members) {
        const std::string name = "architecture." + key;
        if (setTrainerOnly(c, key, v, name, mlaRopeGiven)) {
            absolute = absolute || key == "pos";
            continue;
        }
        const Knob* knob = findKnob(key);
        if (!knob)
            fail(name, "a knob table key (anatomy-cli settings lists them) or attn.gate, ffn.gated", "an unknown key");
        std::string text;
        if (v.type == JsonValue::Type::String) text = v.text;
        else if (v.type == JsonValue::Type::Number) text = v.text;
        else fail(name, "a string or number", describeJson(v));
        try {
            knob->parse(s, text);
            if (key == "norm.eps" || key == "rope.base" || key == "norm.type" || key == "pos" ||
                knob->group == KnobGroup::Ffn || knob->group == KnobGroup::Moe)
                continue;
            if (key == "norm.placement" || key == "norm.alpha") continue;  // every placement trains
            // kv.sharing=latent trains MLA (kv.rank its latent); other sharings are shape.kv_heads
            if (key == "kv.rank") continue;
            if (key == "kv.sharing" && s.kvSharing != KvSharing::LatentSvd && s.kvSharing != KvSharing::AsLoaded)
                throw Error("config: " + name + ": the trainer trains latent (MLA) or as-loaded; for MHA, GQA or "
                            "MQA set shape.kv_heads");
            if (key == "kv.sharing") continue;
            if (!knob->same(s, SimSettings{}))
                throw Error("config: " + name + ": the trainer cannot train " + text + " yet (it trains " +
                            knob->defaultValue() + ")");
        } catch (const Error& e) {
            const std::string msg = e.what();
            if (msg.rfind("config: ", 0) == 0) throw;
            throw Error("config: " + name + ": " + msg);
        }
    }
    c.shape.placement = s.normPlacement;
    c.shape.deepNormAlpha = s.deepNormAlpha.value_or(0.0f);
    c.shape.normType = s.normType;
    c.shape.positions = absolute ? PositionEncoding::None : s.positions;
    c.shape.activation = s.activation;
    c.shape.activationParams = s.activationParams;
    c.shape.moe = s.moe;
    if (s.kvSharing == KvSharing::LatentSvd) {
        if (s.kvRank < 1) fail("architecture.kv.rank", "the latent rank r >= 1 with kv.sharing latent", std::to_string(s.kvRank));
        c.shape.mlaRank = s.kvRank;
        if (!mlaRopeGiven) c.shape.mlaRopeDim = -1;  // the default, once the shape is known
    } else if (mlaRopeGiven && c.shape.mlaRopeDim > 0) {
        fail("architecture.mla.rope_dim", "only with kv.sharing latent", std::to_string(c.shape.mlaRopeDim));
    }
    if (s.normEps) c.shape.normEps = *s.normEps;
    if (s.ropeBase) c.shape.ropeTheta = *s.ropeBase;
}

std::string formatNumber(double v, Kind k);

void validate(const TrainConfig& c) {
    const TrainShape& s = c.shape;
    if (s.dim % s.nHeads != 0)
        fail("shape.heads", "a divisor of shape.dim (" + std::to_string(s.dim) + ")", std::to_string(s.nHeads));
    if (s.headSize() % 2 != 0)
        fail("shape.heads", "an even head size dim / heads for RoPE", std::to_string(s.nHeads) + " (head size " +
                                                                         std::to_string(s.headSize()) + ")");
    if (s.nHeads % s.nKvHeads != 0)
        fail("shape.kv_heads", "a divisor of shape.heads (" + std::to_string(s.nHeads) + ")",
             std::to_string(s.nKvHeads));
    if (s.batchNorm && s.placement == NormPlacement::Sandwich)
        fail("architecture.norm.placement", "pre, post or deepnorm with norm.type batch", "sandwich");
    if (s.mla() && s.nKvHeads != s.nHeads)
        fail("shape.kv_heads", "= shape.heads with kv.sharing latent (MLA's keys come from the latent)",
             std::to_string(s.nKvHeads));
    if (s.mla() && s.positions != PositionEncoding::Rope && s.mlaRopeDim > 0)
        fail("architecture.mla.rope_dim", "0 without pos rope", std::to_string(s.mlaRopeDim));
    if (s.mla() && s.positions == PositionEncoding::Rope && s.mlaRopeDim == 0)
        fail("architecture.mla.rope_dim", "an even width >= 2 with pos rope (the decoupled RoPE key)", "0");
    if (s.moe.experts == 1) fail("architecture.moe.experts", "0 (dense) or at least 2", "1");
    if (s.moe.experts > 256) fail("architecture.moe.experts", "at most 256", std::to_string(s.moe.experts));
    if (s.moe.experts > 0 && s.moe.topK > s.moe.experts)
        fail("architecture.moe.k", "at most moe.experts (" + std::to_string(s.moe.experts) + ")",
             std::to_string(s.moe.topK));
    if (c.opt.auxLossWeight > 0 && s.moe.experts == 0)
        fail("optimisation.aux_loss_weight", "0 without experts (set architecture.moe.experts)",
             formatNumber(c.opt.auxLossWeight, Kind::NonNegativeNumber));
    if (s.absolute == AbsolutePositions::Learned && c.opt.sequence > s.context)
        fail("optimisation.sequence", "at most shape.context for learned positions", std::to_string(c.opt.sequence));
    if (s.vocab < 3) fail("shape.vocab", "at least 3 (unk, BOS, EOS)", std::to_string(s.vocab));
    if (c.opt.sequence < 2) fail("optimisation.sequence", "at least 2 (BOS and one token)", std::to_string(c.opt.sequence));
    if (c.opt.sequence > s.context)
        fail("optimisation.sequence", "at most shape.context (" + std::to_string(s.context) + ")",
             std::to_string(c.opt.sequence));
    if (c.opt.minLr > c.opt.lr) fail("optimisation.min_lr", "at most optimisation.lr", std::to_string(c.opt.minLr));
    if (c.opt.weightDecay * c.opt.lr >= 1.0)
        fail("optimisation.weight_decay", "lr * weight_decay < 1", std::to_string(c.opt.weightDecay));
    if (c.data.trainFraction <= 0) fail("data.train_fraction", "a number in (0, 1)", "0");
    const double params = double(trainParameterCount(s));
    if (params > 2e9) fail("shape", "at most 2e9 parameters", std::to_string(int64_t(params)));
    const double probs = double(c.opt.batch) * s.nHeads * c.opt.sequence * c.opt.sequence * s.nLayers;
    if (probs * 4 > 16e9)
        fail("optimisation.batch", "batch * heads * sequence^2 * layers * 4 bytes of attention <= 16 GB",
             std::to_string(c.opt.batch));
}

std::string formatNumber(double v, Kind k) {
    if (k == Kind::PositiveInt || k == Kind::NonNegativeInt || k == Kind::Seed) {
        std::ostringstream o;
        o << uint64_t(v);
        return o.str();
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

// The knob-table settings a shape trains with (for the canonical line and the --set options).
SimSettings archSettings(const TrainShape& shape) {
    SimSettings arch;
    arch.normPlacement = shape.placement;
    if (shape.deepNormAlpha > 0) arch.deepNormAlpha = shape.deepNormAlpha;
    arch.normType = shape.normType;
    arch.positions = shape.positions;
    arch.activation = shape.activation;
    arch.activationParams = shape.activationParams;
    arch.moe = shape.moe;
    return arch;
}

std::string canonicalJson(const TrainConfig& c) {
    std::string out = "{";
    const char* section = "";
    bool first = true;
    TrainConfig& m = const_cast<TrainConfig&>(c);
    for (const ConfigKey& k : configKeys()) {
        if (std::string(section) != k.section) {
            if (!first) out += "}, ";
            out += training::jsonQuote(k.section) + ": {";
            section = k.section;
            first = true;
        }
        if (k.kind == Kind::Path && k.path(m).empty()) continue;  // unset: the shared folder's file
        if (!first) out += ", ";
        first = false;
        out += training::jsonQuote(k.key) + ": ";
        if (k.kind == Kind::Bool) out += k.flag(m) ? "true" : "false";
        else if (k.kind == Kind::Path) out += training::jsonQuote(k.path(m));
        else out += formatNumber(k.getNumber(c), k.kind);
    }
    const SimSettings arch = archSettings(c.shape);
    out += "}, \"architecture\": {";
    const char* absolute = c.shape.absolute == AbsolutePositions::Learned      ? "learned"
                           : c.shape.absolute == AbsolutePositions::Sinusoidal ? "sinusoidal"
                                                                               : nullptr;
    out += "\"pos\": " + training::jsonQuote(absolute ? absolute : findKnob("pos")->format(arch)) + ", ";
    out += "\"norm.type\": " + training::jsonQuote(c.shape.batchNorm ? "batch" : findKnob("norm.type")->format(arch)) + ", ";
    for (const char* key : {"norm.placement", "norm.alpha", "ffn.act", "ffn.slope", "ffn.alpha",
                            "ffn.beta", "moe.experts", "moe.k", "moe.gate", "moe.noise", "moe.capacity", "moe.seed"})
        out += training::jsonQuote(key) + ": " + training::jsonQuote(findKnob(key)->format(arch)) + ", ";
    const char* gate = c.shape.attentionGate == AttentionGate::HeadWise      ? "headwise"
                       : c.shape.attentionGate == AttentionGate::ElementWise ? "elementwise"
                                                                             : "none";
    out += "\"kv.sharing\": \"" + std::string(c.shape.mla() ? "latent" : "as-loaded") + "\", \"kv.rank\": " +
           std::to_string(c.shape.mlaRank) + ", \"mla.rope_dim\": " + std::to_string(c.shape.mlaRopeDim) + ", ";
    out += "\"attn.gate\": \"" + std::string(gate) + "\", \"ffn.gated\": " + (c.shape.gatedFfn ? "true" : "false") + ", ";
    out += "\"norm.eps\": " + formatNumber(c.shape.normEps, Kind::PositiveNumber) +
           ", \"rope.base\": " + formatNumber(c.shape.ropeTheta, Kind::PositiveNumber) + "}}";
    return out;
}

}  // namespace

std::vector<std::string> trainOpenSettings(const TrainShape& s) {
    std::vector<std::string> out;
    const SimSettings arch = archSettings(s);
    for (const char* key :
         {"norm.placement", "norm.alpha", "norm.type", "pos", "ffn.act", "ffn.slope", "ffn.alpha", "ffn.beta"}) {
        const Knob* k = findKnob(key);
        if (!k->isDefault(arch) && k->appliesTo(arch)) out.push_back(std::string(key) + "=" + k->format(arch));
    }
    return out;
}

float TrainShape::residualAlpha() const {
    if (placement != NormPlacement::DeepNorm) return 1.0f;
    return deepNormAlpha > 0 ? deepNormAlpha : anatomy::deepNormAlpha(nLayers);
}

int TrainShape::gateWidth() const {
    switch (attentionGate) {
        case AttentionGate::HeadWise: return nHeads;
        case AttentionGate::ElementWise: return qDim();
        case AttentionGate::None: break;
    }
    return 0;
}

bool TrainShape::llama2cLayout() const {
    return absolute == AbsolutePositions::None && gatedFfn && attentionGate == AttentionGate::None && moe.experts == 0 &&
           !batchNorm && !mla();
}

int64_t trainParameterCount(const TrainShape& s) {
    // Guarded against overflow by validate's size checks before any allocation follows.
    const double d = s.dim, L = s.nLayers, h = s.hidden, V = s.vocab, q = s.qDim(), kv = s.kvDim();
    const double E = std::max(1, s.experts());
    const double attention = s.mla() ? q * d + 2 * q * s.mlaRank + s.mlaRank * d + s.mlaRopeDim * d * (1 + s.nHeads)
                                     : q * d + 2 * kv * d;
    const double perLayer = 2 * d + q * d + attention + E * (s.gatedFfn ? 3 : 2) * h * d + s.gateWidth() * d +
                            s.experts() * d;
    const double pos = s.absolute == AbsolutePositions::Learned ? double(s.context) * d : 0;
    const double running = s.batchNorm ? (4 * L + 2) * d : 0;  // BatchNorm's running statistics
    return int64_t(V * d * (s.tiedClassifier ? 1 : 2) + L * perLayer + d + pos + running);
}

TrainConfig parseTrainConfig(std::string_view text) {
    JsonValue root;
    try {
        root = training::parseJson(text);
    } catch (const Error& e) {
        throw Error(std::string("config: ") + e.what());
    }
    if (root.type != JsonValue::Type::Object) fail("(top level)", "an object", root.typeName());
    TrainConfig c;
    for (const auto& [section, body] : root.members) {
        if (section == "architecture") {
            setArchitecture(c, body);
            continue;
        }
        bool known = false;
        for (const ConfigKey& k : configKeys()) known = known || section == k.section;
        if (!known) fail(section, "a section shape, optimisation, data or architecture", "an unknown key");
        if (body.type != JsonValue::Type::Object) fail(section, "an object", body.typeName());
        for (const auto& [key, v] : body.members) {
            const std::string name = section + "." + key;
            const ConfigKey* found = nullptr;
            for (const ConfigKey& k : configKeys())
                if (section == k.section && key == k.key) found = &k;
            if (!found) fail(name, "a key of section " + section + " (anatomy-cli train --help-config)", "an unknown key");
            setKey(c, *found, name, v);
        }
    }
    // MLA's decoupled RoPE key: half a head by default (DeepSeek-V2: 64 of 128), none without RoPE.
    if (c.shape.mlaRopeDim < 0)
        c.shape.mlaRopeDim = c.shape.positions == PositionEncoding::Rope
                                 ? std::max(2, (c.shape.dim / std::max(1, c.shape.nHeads) / 2) & ~1)
                                 : 0;
    validate(c);
    c.canonical = canonicalJson(c);
    return c;
}

TrainConfig loadTrainConfig(const std::string& path) {
    const std::string text = readTextFile(path);
    try {
        return parseTrainConfig(text);
    } catch (const Error& e) {
        throw Error(path + ": " + e.what());
    }
}

std::string trainConfigHelp() {
    std::ostringstream o;
    o << "Training config (JSON): sections shape, optimisation, data, architecture.\n"
         "Every key is optional; the defaults train the 857K-parameter Llama shape.\n";
    const char* section = "";
    TrainConfig def;
    for (const ConfigKey& k : configKeys()) {
        if (std::string(section) != k.section) {
            o << "\n" << k.section << ":\n";
            section = k.section;
        }
        std::string dflt;
        if (k.kind == Kind::Bool) dflt = k.flag(def) ? "true" : "false";
        else if (k.kind == Kind::Path) dflt = "(see text)";
        else dflt = formatNumber(k.getNumber(def), k.kind);
        o << "  " << k.key << "  " << kindText(k.kind) << ", default " << dflt << "\n      " << k.help << "\n";
    }
    o << "\narchitecture:  the knob table's keys (anatomy-cli settings), as strings or numbers.\n"
         "  norm.placement  pre (default): x += F(N(x)); post: x = N(x + F(x)); sandwich: x += N1(F(N(x)))\n"
         "               (N1 unit gain); deepnorm: x = N(alpha x + F(x)), FFN, Wv and Wo initialised\n"
         "               times beta = (8 L)^(-1/4) (DeepNet)\n"
         "  norm.alpha   DeepNorm's alpha (default auto: (2 L)^(1/4))\n"
         "  norm.type    rms (default) or layer: RMSNorm or LayerNorm (no bias), every norm; (trainer\n"
         "               only) batch: BatchNorm over the batch's B x T tokens per feature, running\n"
         "               statistics (momentum 0.1) for validation, as a deployed model would use\n"
         "  norm.eps     the norm epsilon (default 1e-05)\n"
         "  pos          rope (default), none or alibi: rotate q and k, nothing, or a distance penalty;\n"
         "               (trainer only) learned: x = E[token] + P[t], P [context, dim] trained;\n"
         "               sinusoidal: x = sqrt(dim) E[token] + PE[t] (Vaswani et al.)\n"
         "  ffn.act      the gate's nonlinearity: silu (SwiGLU, default), gelu-tanh, gelu-erf, relu,\n"
         "               leaky-relu, elu, swish (with ffn.slope, ffn.alpha, ffn.beta)\n"
         "  ffn.gated    true (default): W2 (act(W1 h) * W3 h); false: W2 act(W1 h) (GPT-2's plain FFN)\n"
         "  attn.gate    none (default), headwise or elementwise: gated attention (Qiu et al. 2025),\n"
         "               each head's output times sigmoid(h Wg), h the attention input; Wg [heads or\n"
         "               heads x head size, dim]\n"
         "  moe.experts  0 (dense, default) or E >= 2 experts of width shape.hidden and a router W_r [E, dim]\n"
         "  moe.k        experts per token (top-k by router logit, default 2)\n"
         "  moe.gate     prob (Switch: softmax over all), softmax (over the k chosen, Mixtral), one\n"
         "  moe.capacity capacity factor cf: at most ceil(cf T k / E) tokens per expert and sequence,\n"
         "               the rest dropped (no output from that expert); 0 = unlimited\n"
         "  moe.noise    noisy top-k: router logits + noise * N(0, 1) while training (seeded by moe.seed)\n"
         "               the auxiliary loss weight is optimisation.aux_loss_weight\n"
         "  kv.sharing   as-loaded (default; MHA/GQA/MQA by shape.kv_heads) or latent: MLA (DeepSeek-V2),\n"
         "               keys and values from a latent c = W_dkv h of rank kv.rank, plus a decoupled RoPE\n"
         "               key of width mla.rope_dim (default half a head; 0 without pos rope) shared by\n"
         "               the heads; KV cache kv.rank + mla.rope_dim floats per token and layer\n"
         "  rope.base    the RoPE base theta (default 10000)\n"
         "  every other key is accepted only at its default (what the trainer trains today:\n"
         "  full causal attention); another value is an error\n"
         "  naming the key. A llama2.c .bin has no place for these choices: open such a model with\n"
         "  --set norm.placement=post --set norm.type=layer --set pos=alibi --set ffn.act=gelu-tanh\n"
         "  (the summary line prints the --set options it needs). Designs with tensors a .bin has no\n"
         "  place for (pos learned or sinusoidal, ffn.gated false, attn.gate, moe.experts) are written\n"
         "  as GGUF of architecture anatomy-train with the config in anatomy.train.config, which\n"
         "  perplexity, generate, info and the app open (not yet: BatchNorm, MLA).\n"
         "\nlr schedule:  s < warmup: lr (s + 1) / warmup;  then min_lr + (lr - min_lr)(1 + cos(pi p)) / 2,\n"
         "  p = (s - warmup) / (steps - warmup).\n"
         "data:  the text is cut at train_fraction of its bytes (at a space), each part encoded without BOS;\n"
         "  a training sequence is BOS + sequence - 1 tokens from a seeded random offset, its targets the\n"
         "  next tokens; validation uses eval_batches * batch windows evenly spread over the validation part.\n"
         "\nExample:\n"
         "  {\"shape\": {\"dim\": 128, \"layers\": 4, \"heads\": 4, \"kv_heads\": 4, \"hidden\": 344,\n"
         "             \"vocab\": 512, \"context\": 256},\n"
         "   \"optimisation\": {\"steps\": 2000, \"batch\": 8, \"sequence\": 256, \"lr\": 0.002, \"warmup\": 100},\n"
         "   \"architecture\": {\"norm.placement\": \"pre\", \"pos\": \"rope\"}}\n";
    return o.str();
}

}  // namespace anatomy
