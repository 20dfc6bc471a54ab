#include "panels/knob_help.h"

#include <QCoreApplication>
#include <exception>

#include "anatomy/knob_table.h"
#include "panels/knob_text.h"

namespace anatomy::widgets {

namespace {

struct GuiKnob {
    const char* key;
    const char* title;
    const char* text;
    const char* formula;
};

// The help's own words (and kGuiKnobs' titles and texts) are translated in this context.
constexpr const char* kContext = "anatomy::KnobHelp";

// Knobs that live only in the GUI (they choose what is measured, not the architecture). The
// title and text are translated when shown; the key and the formula stay as they are.
const GuiKnob kGuiKnobs[] = {
    {"heads.pick", QT_TRANSLATE_NOOP("anatomy::KnobHelp", "Pick a head"),
     QT_TRANSLATE_NOOP("anatomy::KnobHelp",
                       "Choose a layer and a head, then ablate it (zero or mean) or gate it. Every intervention is "
                       "listed below and can be removed one by one; they are sent as heads.ablate and "
                       "heads.gate."),
     "o_{l,h} := 0 | mean_t o_{l,h}(t) | \u03C3(g) o_{l,h}"},
    {"ppl.context", QT_TRANSLATE_NOOP("anatomy::KnobHelp", "Perplexity context"),
     QT_TRANSLATE_NOOP("anatomy::KnobHelp",
                       "Window length C of the perplexity protocol: the text is cut into windows of C tokens, "
                       "each starting fresh from BOS. The trained context of stories260K is 512; longer windows "
                       "show how the positions (and the RoPE scaling) extrapolate."),
     "ppl = exp(mean over predictions of \u2212log p(next token))"},
    {"ppl.window", QT_TRANSLATE_NOOP("anatomy::KnobHelp", "Perplexity window"),
     QT_TRANSLATE_NOOP("anatomy::KnobHelp",
                       "Which part of the corpus is scored: a start offset and a length, in tokens of the "
                       "encoded file or in characters. The text is TinyStories (CDLA-Sharing-1.0). The value is "
                       "compared with the model as trained on exactly the same tokens."),
     "ids = [BOS] + encode(corpus)[start : start + length]"},
};

QString esc(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }
QString translatedHelp(const char* source) { return QCoreApplication::translate(kContext, source); }

}  // namespace

const anatomy::SettingInfo* findSettingInfo(const QString& key) {
    const std::string k = key.toStdString();
    for (const auto& i : anatomy::settingInfo())
        if (i.key == k) return &i;
    return nullptr;
}

QString knobHelpHtml(const QString& key) {
    if (const anatomy::SettingInfo* i = findSettingInfo(key)) {
        // The paragraph in the interface language; the key, the value syntax, the default and the
        // formula are what `--set` reads and stay as they are.
        const anatomy::Knob* k = anatomy::findKnob(i->key);
        const QString paragraph = k ? knobHelpText(*k) : QString::fromStdString(i->explanation);
        QString html = QStringLiteral("<p><b>%1</b> = %2 &nbsp;<i>%3</i></p><p>%4</p>")
                           .arg(esc(i->key), esc(i->values),
                                QCoreApplication::translate("anatomy::KnobHelp", "(default %1)")
                                    .toHtmlEscaped()
                                    .arg(esc(i->defaultValue)),
                                paragraph.toHtmlEscaped());
        if (!i->formula.empty())
            html += QStringLiteral("<p><tt>%1</tt></p>").arg(esc(i->formula));
        return html;
    }
    for (const GuiKnob& g : kGuiKnobs)
        if (key == QLatin1String(g.key))
            return QStringLiteral("<p><b>%1</b></p><p>%2</p><p><tt>%3</tt></p>")
                .arg(translatedHelp(g.title).toHtmlEscaped(), translatedHelp(g.text).toHtmlEscaped(),
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

QStringList assignmentLines(const anatomy::SimSettings& s) {
    QStringList o;
    for (const std::string& a : anatomy::assignments(s)) o << QString::fromStdString(a);
    return o;
}

}  // namespace anatomy::widgets
