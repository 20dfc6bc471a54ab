#include "anatomy/sim_settings.h"

#include <string>

#include "anatomy/error.h"
#include "anatomy/knob_table.h"

// The text side of SimSettings is the knob table (knob_table.h): every function here is a loop
// over its rows.
namespace anatomy {

void applySetting(SimSettings& s, std::string_view kv) {
    const size_t eq = kv.find('=');
    if (eq == std::string_view::npos)
        throw Error("setting '" + std::string(kv) + "': expected key=value (keys: see anatomy-cli settings)");
    const std::string_view key = kv.substr(0, eq);
    if (const Knob* k = findKnob(key)) {
        k->parse(s, kv.substr(eq + 1));
        return;
    }
    std::string keys;
    for (const Knob& k : knobTable()) {
        if (!keys.empty()) keys += ", ";
        keys += k.key;
    }
    throw Error("unknown setting '" + std::string(key) + "'; known keys: " + keys);
}

void validateSettings(const SimSettings& s, const ModelConfig& c) {
    for (const Knob& k : knobTable()) k.check(s, c);
}

const std::vector<SettingInfo>& settingInfo() {
    static const std::vector<SettingInfo> info = [] {
        std::vector<SettingInfo> out;
        for (const Knob& k : knobTable()) out.push_back({k.key, k.values(), k.defaultValue(), k.help, k.formula});
        return out;
    }();
    return info;
}

std::vector<std::string> settingKeys() {
    std::vector<std::string> out;
    for (const auto& i : settingInfo())
        out.push_back(i.key + "=" + i.values + " (default " + i.defaultValue + "): " + i.explanation +
                      (i.formula.empty() ? "" : "  Formula: " + i.formula));
    return out;
}

std::vector<std::string> assignments(const SimSettings& s) {
    std::vector<std::string> out;
    for (const Knob& k : knobTable())
        if (k.stored() && !k.isDefault(s)) out.push_back(k.key + "=" + k.format(s));
    return out;
}

std::string describe(const SimSettings& s) {
    std::string out;
    for (const std::string& a : assignments(s)) {
        if (!out.empty()) out += ", ";
        out += a;
    }
    return out.empty() ? "as trained" : out;
}

}  // namespace anatomy
