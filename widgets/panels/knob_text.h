#pragma once
// The knob table's words in the interface language. The engine's table (knob_table.h) is
// Qt-free and English; its labels, choice labels, special values, group titles, help paragraphs
// and OptionalFloat words ("model") are listed again in knob_text.cpp as QT_TRANSLATE_NOOP3
// entries, keyed by the knob key (the disambiguation), so lupdate puts them in
// resources/i18n/anatomy_<lang>.ts.
// An entry holds the English it translates: a knob whose English changed in the engine, or a
// knob added without an entry, shows its English and is listed by knobTextGaps() (a test fails).
#include <QString>
#include <QStringList>

#include "anatomy/knob_table.h"

namespace anatomy::widgets {

// The dock's row label: "Placement" -> "位置" under zh_CN.
QString knobLabel(const anatomy::Knob& k);
// A choice as a legend or the dock shows it: rope.scaling=linear "PI (linear)".
QString knobChoiceLabel(const anatomy::Knob& k, const anatomy::KnobChoice& c);
// What a spin box shows at its minimum ("unlimited"), or empty.
QString knobSpecialText(const anatomy::Knob& k);
// The dock's group title: "Norms".
QString knobGroupName(anatomy::KnobGroup g);
// The knob's help paragraph (Knob::help, SettingInfo::explanation), for the dock's help pane and
// tooltips.
QString knobHelpText(const anatomy::Knob& k);
// An OptionalFloat knob's word for its unset value as the dock shows it ("model" -> "模型"), or
// empty. Display only: what is parsed and stored is k.word.
QString knobWordText(const anatomy::Knob& k);

// The texts of the engine's table that have no entry here, as "key: English" lines
// ("rope.scaling=yarn: YaRN", "group: Norms", "rope.base (help): RoPE's base b: ..."). Empty
// when every word can be translated.
QStringList knobTextGaps();
// Every entry as {context, source, disambiguation}, for the test that the .ts translates them.
struct KnobTextEntry {
    const char* context;
    const char* source;
    const char* key;
};
QList<KnobTextEntry> knobTextEntries();

}  // namespace anatomy::widgets
