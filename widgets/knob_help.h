#pragma once
// The architecture simulator's knobs as text: each knob's one-paragraph explanation and formula
// (from the engine's settingInfo(), the same text `anatomy-cli --help-sim` prints), and the
// settings <-> "key=value" list conversions the GUI, the session files and the views share.
#include <QString>
#include <QStringList>
#include <optional>
#include <string>

#include "anatomy/sim_settings.h"

namespace anatomy::widgets {

// The engine's help for one key ("norm.placement"), or nullptr for an unknown key.
const anatomy::SettingInfo* findSettingInfo(const QString& key);

// Rich text for the help box: the key in bold, its values and default, the paragraph and the
// formula in monospace. Also knows the GUI's own knobs ("ppl.*", "heads.pick").
QString knobHelpHtml(const QString& key);

// Applies "key=value" lines in order to the defaults. On a bad line returns nullopt and sets
// *error to the engine's message.
std::optional<anatomy::SimSettings> settingsFromAssignments(const QStringList& lines, QString* error = nullptr);

// Every knob as a "key=value" line, defaults included, in settingInfo() order: applying them to
// the defaults gives s back. The session file stores this list.
QStringList fullAssignments(const anatomy::SimSettings& s);
// Equality of every knob (SimSettings' own operator== is not usable: its members lack one).
bool sameSettings(const anatomy::SimSettings& a, const anatomy::SimSettings& b);

// describe(s) split back into its "key=value" lines (empty for "as trained").
QStringList describedAssignments(const anatomy::SimSettings& s);

// The settings a trace ran with, from its Trace::simSettings text (describe()'s output);
// the defaults when the text is "as trained" or cannot be read.
anatomy::SimSettings settingsOfTrace(const std::string& described);

}  // namespace anatomy::widgets
