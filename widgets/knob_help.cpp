#include "knob_help.h"

#include <exception>

namespace anatomy::widgets {

namespace {

struct GuiKnob {
    const char* key;
    const char* title;
    const char* text;
    const char* formula;
};

// Knobs that live only in the GUI (they choose what is measured, not the architecture).
const GuiKnob kGuiKnobs[] = {
    {"heads.pick", "Pick a head",
     "Choose a layer and a head, then ablate it (zero or mean) or gate it. Every intervention is "
     "listed below and can be removed one by one; they are sent as heads.ablate and heads.gate.",
     "o_{l,h} := 0 | mean_t o_{l,h}(t) | \u03C3(g) o_{l,h}"},
    {"ppl.context", "Perplexity context",
     "Window length C of the perplexity protocol: the text is cut into windows of C tokens, each "
     "starting fresh from BOS. The trained context of stories260K is 512; longer windows show how the "
     "positions (and the RoPE scaling) extrapolate.",
     "ppl = exp(mean over predictions of \u2212log p(next token))"},
    {"ppl.window", "Perplexity window",
     "Which part of the corpus is scored: a start offset and a length, in tokens of the encoded file "
     "or in characters. The text is TinyStories (CDLA-Sharing-1.0). The value is compared with the "
     "model as trained on exactly the same tokens.",
     "ids = [BOS] + encode(corpus)[start : start + length]"},
};

// The value names of the enum knobs, in enum order (as sim_settings.cpp spells them for --set).
const char* const kPlacement[] = {"pre", "post", "sandwich", "deepnorm"};
const char* const kNormType[] = {"rms", "layer"};
const char* const kAct[] = {"silu", "gelu-tanh", "gelu-erf", "relu", "leaky-relu", "elu", "swish"};
const char* const kPos[] = {"rope", "none", "alibi"};
const char* const kScaling[] = {"none", "linear", "ntk", "dynamic-ntk", "ntk-by-parts", "yarn", "llama3"};
const char* const kMask[] = {"causal", "bidirectional", "prefix"};
const char* const kSparse[] = {"none", "window", "sinks", "strided", "dual-chunk", "s2"};
const char* const kKernel[] = {"softmax", "linear"};
const char* const kSharing[] = {"as-loaded", "mqa", "mha", "groups", "latent"};
const char* const kGate[] = {"one", "softmax", "prob"};

QString num(double v) { return QString::number(v, 'g', 7); }

QString esc(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }

}  // namespace

const anatomy::SettingInfo* findSettingInfo(const QString& key) {
    const std::string k = key.toStdString();
    for (const auto& i : anatomy::settingInfo())
        if (i.key == k) return &i;
    return nullptr;
}

QString knobHelpHtml(const QString& key) {
    if (const anatomy::SettingInfo* i = findSettingInfo(key)) {
        QString html = QStringLiteral("<p><b>%1</b> = %2 &nbsp;<i>(default %3)</i></p><p>%4</p>")
                           .arg(esc(i->key), esc(i->values), esc(i->defaultValue), esc(i->explanation));
        if (!i->formula.empty())
            html += QStringLiteral("<p><tt>%1</tt></p>").arg(esc(i->formula));
        return html;
    }
    for (const GuiKnob& g : kGuiKnobs)
        if (key == QLatin1String(g.key))
            return QStringLiteral("<p><b>%1</b></p><p>%2</p><p><tt>%3</tt></p>")
                .arg(QString::fromUtf8(g.title).toHtmlEscaped(), QString::fromUtf8(g.text).toHtmlEscaped(),
                     QString::fromUtf8(g.formula).toHtmlEscaped());
    return {};
}

std::optional<anatomy::SimSettings> settingsFromAssignments(const QStringList& lines, QString* error) {
    anatomy::SimSettings s;
    for (const QString& line : lines) {
        try {
            anatomy::applySetting(s, line.trimmed().toStdString());
        } catch (const std::exception& e) {
            if (error) *error = QString::fromUtf8(e.what());
            return std::nullopt;
        }
    }
    return s;
}

QStringList fullAssignments(const anatomy::SimSettings& s) {
    QStringList o;
    auto add = [&o](const char* key, const QString& v) { o << QString::fromLatin1(key) + QLatin1Char('=') + v; };
    auto name = [](const char* const* names, auto e) { return QString::fromLatin1(names[int(e)]); };
    add("norm.placement", name(kPlacement, s.normPlacement));
    add("norm.type", name(kNormType, s.normType));
    add("norm.eps", s.normEps ? num(*s.normEps) : QStringLiteral("model"));
    add("norm.alpha", s.deepNormAlpha ? num(*s.deepNormAlpha) : QStringLiteral("auto"));
    add("ffn.act", name(kAct, s.activation));
    add("ffn.slope", num(s.activationParams.leakySlope));
    add("ffn.alpha", num(s.activationParams.eluAlpha));
    add("ffn.beta", num(s.activationParams.swishBeta));
    add("pos", name(kPos, s.positions));
    add("rope.base", s.ropeBase ? num(*s.ropeBase) : QStringLiteral("model"));
    add("rope.scaling", name(kScaling, s.ropeScaling.method));
    add("rope.factor", num(s.ropeScaling.factor));
    add("rope.original", QString::number(s.ropeScaling.originalContext));
    add("rope.alpha", num(s.ropeScaling.rampAlpha));
    add("rope.beta", num(s.ropeScaling.rampBeta));
    add("rope.low_freq", num(s.ropeScaling.lowFreqFactor));
    add("rope.high_freq", num(s.ropeScaling.highFreqFactor));
    add("attn.scale", num(s.attnScale));
    add("attn.mask", name(kMask, s.mask));
    add("attn.prefix", QString::number(s.prefixLength));
    add("attn.sparse", name(kSparse, s.sparse));
    add("attn.window", QString::number(s.window));
    add("attn.sinks", QString::number(s.sinks));
    add("attn.stride", QString::number(s.stride));
    add("attn.chunk", QString::number(s.chunk));
    add("attn.group", QString::number(s.s2Group));
    add("attn.kernel", name(kKernel, s.kernel));
    QStringList ablate, gate;
    for (const auto& h : s.heads) {
        const QString lh = QStringLiteral("%1:%2").arg(h.layer).arg(h.head);
        if (h.kind == anatomy::HeadIntervention::Kind::Gate) gate << lh + QLatin1Char(':') + num(h.gateLogit);
        else ablate << lh + (h.kind == anatomy::HeadIntervention::Kind::Mean ? QStringLiteral(":mean") : QStringLiteral(":zero"));
    }
    add("heads.ablate", ablate.isEmpty() ? QStringLiteral("none") : ablate.join(QLatin1Char(',')));
    add("heads.gate", gate.isEmpty() ? QStringLiteral("none") : gate.join(QLatin1Char(',')));
    add("kv.sharing", name(kSharing, s.kvSharing));
    if (s.kvGroups > 0) add("kv.groups", QString::number(s.kvGroups));  // 0 (unset) is not a valid value
    if (s.kvRank > 0) add("kv.rank", QString::number(s.kvRank));
    add("moe.experts", QString::number(s.moe.experts));
    add("moe.k", QString::number(s.moe.topK));
    add("moe.gate", name(kGate, s.moe.gate));
    add("moe.noise", num(s.moe.noiseStd));
    add("moe.seed", QString::number(s.moe.seed));
    add("moe.capacity", num(s.moe.capacityFactor));
    return o;
}

bool sameSettings(const anatomy::SimSettings& a, const anatomy::SimSettings& b) {
    return fullAssignments(a) == fullAssignments(b);
}

QStringList describedAssignments(const anatomy::SimSettings& s) {
    const QString d = QString::fromStdString(anatomy::describe(s));
    if (d == QLatin1String("as trained")) return {};
    // Lists inside a value (heads.ablate=2:5,0:1) have no space after their commas.
    return d.split(QStringLiteral(", "), Qt::SkipEmptyParts);
}

anatomy::SimSettings settingsOfTrace(const std::string& described) {
    const QString d = QString::fromStdString(described);
    if (d.isEmpty() || d == QLatin1String("as trained")) return {};
    return settingsFromAssignments(d.split(QStringLiteral(", "), Qt::SkipEmptyParts)).value_or(anatomy::SimSettings{});
}

}  // namespace anatomy::widgets
