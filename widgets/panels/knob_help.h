#pragma once
// The architecture simulator's knobs as text for the GUI: each knob's help (from the engine's knob
// table, the same text `anatomy-cli settings` prints) as rich text, and the settings <-> "key=value"
// list conversions the dock, the session files and the views share. Settings compare with ==.
#include <QString>
#include <QStringList>
#include <optional>

#include "anatomy/sim_settings.h"

namespace anatomy::widgets {

// The engine's help for one key ("norm.placement"), or nullptr for an unknown key.
const anatomy::SettingInfo* findSettingInfo(const QString& key);

// Rich text for the help box and tooltips: the key in bold, its values and default, the paragraph
// and the formula in monospace. Also knows the GUI's own knobs ("ppl.*", "heads.pick").
QString knobHelpHtml(const QString& key);

// Applies "key=value" lines in order to the defaults. On a bad line returns nullopt and sets
// *error to the engine's message.
std::optional<anatomy::SimSettings> settingsFromAssignments(const QStringList& lines, QString* error = nullptr);

// anatomy::assignments(s) as a QStringList: every knob that differs from its default, in table
// order; settingsFromAssignments gives s back.
QStringList assignmentLines(const anatomy::SimSettings& s);

}  // namespace anatomy::widgets
