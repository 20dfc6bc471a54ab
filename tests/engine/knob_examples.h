#pragma once
// A value other than the default for any row of the knob table, taken from the row alone (its
// choices, range, presets or example), so tests can iterate the table instead of listing keys.
#include <cstdlib>
#include <string>

#include "anatomy/knob_table.h"

namespace knobtest {

inline std::string nonDefaultValue(const anatomy::Knob& k) {
    const std::string d = k.defaultValue();
    switch (k.type) {
        case anatomy::KnobType::Choice:
            for (const auto& c : k.choices)
                if (c.name != d) return c.name;
            return d;
        case anatomy::KnobType::Float:
        case anatomy::KnobType::Int: {
            if (!k.example.empty()) return k.example;
            // One step up from the default, or down when that leaves the range.
            const double x = std::strtod(d.c_str(), nullptr);
            const double v = x + k.step <= k.max ? x + k.step : x - k.step;
            return k.type == anatomy::KnobType::Int ? std::to_string(static_cast<long long>(v))
                                                    : anatomy::formatKnobFloat(static_cast<float>(v));
        }
        case anatomy::KnobType::OptionalFloat: return k.presets.empty() ? k.example : k.presets.front();
        case anatomy::KnobType::HeadList:
        case anatomy::KnobType::Shorthand: return k.example;
    }
    return k.example;
}

}  // namespace knobtest
