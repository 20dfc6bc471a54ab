#include "panels/knob_text.h"

#include <QCoreApplication>
#include <QHash>

namespace anatomy::widgets {

namespace {

// {source, key}: QT_TRANSLATE_NOOP3(context, source, key) expands to {source, key}.
struct Noop {
    const char* source;
    const char* key;
};

constexpr const char* kLabelContext = "anatomy::Knob";
constexpr const char* kChoiceContext = "anatomy::KnobChoice";
constexpr const char* kSpecialContext = "anatomy::KnobSpecial";
constexpr const char* kGroupContext = "anatomy::KnobGroup";

// The row labels, keyed by knob key (engine/src/sim/knob_table.cpp, in its order).
const Noop kLabels[] = {
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Placement", "norm.placement"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Type", "norm.type"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "ε", "norm.eps"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "DeepNorm α", "norm.alpha"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Activation", "ffn.act"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Leaky slope", "ffn.slope"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "ELU α", "ffn.alpha"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Swish β", "ffn.beta"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Encoding", "pos"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "RoPE base", "rope.base"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Scaling", "rope.scaling"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Factor s", "rope.factor"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Original context", "rope.original"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Ramp α", "rope.alpha"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Ramp β", "rope.beta"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Llama 3 low", "rope.low_freq"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Llama 3 high", "rope.high_freq"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Scale × 1/√d", "attn.scale"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Mask", "attn.mask"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Prefix length", "attn.prefix"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Sparse pattern", "attn.sparse"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Window W", "attn.window"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Sinks S", "attn.sinks"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Stride", "attn.stride"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Chunk", "attn.chunk"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "S2 group G", "attn.group"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Kernel", "attn.kernel"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Ablated", "heads.ablate"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Gated", "heads.gate"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Sharing", "kv.sharing"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "KV heads", "kv.groups"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Latent rank r", "kv.rank"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Experts E", "moe.experts"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Top-k", "moe.k"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Gate", "moe.gate"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Router noise", "moe.noise"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Seed", "moe.seed"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Capacity factor", "moe.capacity"),
    QT_TRANSLATE_NOOP3("anatomy::Knob", "Switch routing", "moe.switch"),
};

// The choices' labels, keyed "key=name".
const Noop kChoices[] = {
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "pre-norm", "norm.placement=pre"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "post-norm", "norm.placement=post"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "sandwich", "norm.placement=sandwich"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "DeepNorm", "norm.placement=deepnorm"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "RMSNorm", "norm.type=rms"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "LayerNorm", "norm.type=layer"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "SiLU", "ffn.act=silu"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "GELU (tanh)", "ffn.act=gelu-tanh"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "GELU (erf)", "ffn.act=gelu-erf"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "ReLU", "ffn.act=relu"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "leaky ReLU", "ffn.act=leaky-relu"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "ELU", "ffn.act=elu"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "Swish", "ffn.act=swish"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "RoPE", "pos=rope"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "none", "pos=none"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "ALiBi", "pos=alibi"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "none (as trained)", "rope.scaling=none"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "PI (linear)", "rope.scaling=linear"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "NTK-aware", "rope.scaling=ntk"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "dynamic NTK", "rope.scaling=dynamic-ntk"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "NTK-by-parts", "rope.scaling=ntk-by-parts"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "YaRN", "rope.scaling=yarn"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "Llama 3", "rope.scaling=llama3"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "causal", "attn.mask=causal"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "bidirectional", "attn.mask=bidirectional"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "prefix-LM", "attn.mask=prefix"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "none", "attn.sparse=none"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "sliding window", "attn.sparse=window"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "sinks + window", "attn.sparse=sinks"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "strided", "attn.sparse=strided"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "dual chunk", "attn.sparse=dual-chunk"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "shifted sparse (S2)", "attn.sparse=s2"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "softmax", "attn.kernel=softmax"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "linear (elu + 1)", "attn.kernel=linear"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "as loaded (GQA)", "kv.sharing=as-loaded"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "MQA", "kv.sharing=mqa"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "MHA", "kv.sharing=mha"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "GQA groups", "kv.sharing=groups"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "latent (MLA-style)", "kv.sharing=latent"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "one (plain sum)", "moe.gate=one"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "softmax over top-k", "moe.gate=softmax"),
    QT_TRANSLATE_NOOP3("anatomy::KnobChoice", "router probability", "moe.gate=prob"),
};

// What a spin box shows at its minimum, keyed by knob key.
const Noop kSpecials[] = {
    QT_TRANSLATE_NOOP3("anatomy::KnobSpecial", "the model's", "rope.original"),
    QT_TRANSLATE_NOOP3("anatomy::KnobSpecial", "unset", "kv.groups"),
    QT_TRANSLATE_NOOP3("anatomy::KnobSpecial", "unset", "kv.rank"),
    QT_TRANSLATE_NOOP3("anatomy::KnobSpecial", "dense, as trained", "moe.experts"),
    QT_TRANSLATE_NOOP3("anatomy::KnobSpecial", "unlimited", "moe.capacity"),
};

// The group titles (knobGroupTitle), keyed "group".
const Noop kGroups[] = {
    QT_TRANSLATE_NOOP3("anatomy::KnobGroup", "Norms", "group"),
    QT_TRANSLATE_NOOP3("anatomy::KnobGroup", "FFN activation", "group"),
    QT_TRANSLATE_NOOP3("anatomy::KnobGroup", "Positions", "group"),
    QT_TRANSLATE_NOOP3("anatomy::KnobGroup", "Attention", "group"),
    QT_TRANSLATE_NOOP3("anatomy::KnobGroup", "Heads", "group"),
    QT_TRANSLATE_NOOP3("anatomy::KnobGroup", "KV sharing", "group"),
    QT_TRANSLATE_NOOP3("anatomy::KnobGroup", "Mixture of experts", "group"),
};

// key -> entry; for groups the key is the English title itself.
template <size_t N>
QHash<QString, const Noop*> index(const Noop (&entries)[N], bool bySource) {
    QHash<QString, const Noop*> out;
    for (const Noop& e : entries) out.insert(QString::fromUtf8(bySource ? e.source : e.key), &e);
    return out;
}

const QHash<QString, const Noop*>& labels() {
    static const auto h = index(kLabels, false);
    return h;
}
const QHash<QString, const Noop*>& choices() {
    static const auto h = index(kChoices, false);
    return h;
}
const QHash<QString, const Noop*>& specials() {
    static const auto h = index(kSpecials, false);
    return h;
}
const QHash<QString, const Noop*>& groups() {
    static const auto h = index(kGroups, true);
    return h;
}

// The entry for key when it translates this English, else nullptr (a stale entry is no entry).
const Noop* find(const QHash<QString, const Noop*>& h, const QString& key, const std::string& english) {
    const Noop* e = h.value(key, nullptr);
    return e && english == e->source ? e : nullptr;
}

QString translated(const char* context, const Noop* e, const std::string& english) {
    return e ? QCoreApplication::translate(context, e->source, e->key) : QString::fromStdString(english);
}

QString choiceKey(const anatomy::Knob& k, const anatomy::KnobChoice& c) {
    return QString::fromStdString(k.key + "=" + c.name);
}

}  // namespace

QString knobLabel(const anatomy::Knob& k) {
    return translated(kLabelContext, find(labels(), QString::fromStdString(k.key), k.label), k.label);
}

QString knobChoiceLabel(const anatomy::Knob& k, const anatomy::KnobChoice& c) {
    return translated(kChoiceContext, find(choices(), choiceKey(k, c), c.label), c.label);
}

QString knobSpecialText(const anatomy::Knob& k) {
    if (k.special.empty()) return {};
    return translated(kSpecialContext, find(specials(), QString::fromStdString(k.key), k.special), k.special);
}

QString knobGroupName(anatomy::KnobGroup g) {
    const std::string english = anatomy::knobGroupTitle(g);
    return translated(kGroupContext, find(groups(), QString::fromStdString(english), english), english);
}

QStringList knobTextGaps() {
    QStringList out;
    for (const anatomy::Knob& k : anatomy::knobTable()) {
        const QString key = QString::fromStdString(k.key);
        if (!find(labels(), key, k.label)) out << key + QStringLiteral(": ") + QString::fromStdString(k.label);
        for (const anatomy::KnobChoice& c : k.choices)
            if (!find(choices(), choiceKey(k, c), c.label))
                out << choiceKey(k, c) + QStringLiteral(": ") + QString::fromStdString(c.label);
        if (!k.special.empty() && !find(specials(), key, k.special))
            out << key + QStringLiteral(" (at its minimum): ") + QString::fromStdString(k.special);
    }
    // The groups the table uses (a group without knobs is never shown).
    for (const anatomy::Knob& k : anatomy::knobTable()) {
        const std::string english = anatomy::knobGroupTitle(k.group);
        const QString line = QStringLiteral("group: ") + QString::fromStdString(english);
        if (!find(groups(), QString::fromStdString(english), english) && !out.contains(line)) out << line;
    }
    return out;
}

QList<KnobTextEntry> knobTextEntries() {
    QList<KnobTextEntry> out;
    for (const Noop& e : kLabels) out.push_back({kLabelContext, e.source, e.key});
    for (const Noop& e : kChoices) out.push_back({kChoiceContext, e.source, e.key});
    for (const Noop& e : kSpecials) out.push_back({kSpecialContext, e.source, e.key});
    for (const Noop& e : kGroups) out.push_back({kGroupContext, e.source, e.key});
    return out;
}

}  // namespace anatomy::widgets
