#pragma once
// The architecture simulator's knob table: one row per `--set` key, the one definition of a knob.
// Everything that knows a knob reads its row: applySetting, validateSettings, settingInfo,
// describe and assignments (sim_settings.h), `anatomy-cli settings`, the Architecture dock (its
// controls are generated from the rows), session files and the trace (which stores the
// SimSettings value itself). llama.cpp's common/arg.cpp keeps its options in one list the same way.
//
// Adding a knob: a field in SimSettings, a row in knob_table.cpp, and the code that uses it.
//
// A row says what a value looks like (type, choices or range), how it is read and written
// (parse, format: format(s) parses back to the same field), its default (format(SimSettings{})),
// when it matters (appliesTo: attn.window only with attn.sparse=window|sinks|strided) and the rules
// that need the model or other knobs (check: kv.groups divides the query heads).
#include <algorithm>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "anatomy/model_config.h"
#include "anatomy/sim_settings.h"

namespace anatomy {

enum class KnobGroup { Norm, Ffn, Positions, Attention, Heads, Kv, Moe };

enum class KnobType {
    Choice,         // one of choices[].name
    Float,          // a finite number in [min, max] ((min, max] with minExclusive)
    Int,            // an integer in [min, max]
    OptionalFloat,  // `word` (the model's own or a derived value) or a Float
    HeadList,       // "layer:head[:...],..." or none (heads.ablate, heads.gate)
    Shorthand,      // sets other knobs; holds no value of its own, never in describe()
};

struct KnobChoice {
    std::string name{};   // as typed after `key=`: "ntk-by-parts"
    std::string label{};  // as a legend shows it: "NTK-by-parts"
};

struct Knob {
    std::string key{};                    // "rope.factor"
    KnobGroup group = KnobGroup::Norm;
    KnobType type = KnobType::Float;
    std::string label{};                  // the dock's row label: "Factor s"
    std::string noun{};                   // what a number is, for help and errors: "a token count"
    std::vector<KnobChoice> choices{};    // Choice: in enum order, so choices[int(e)] names e
    double min = 0, max = 0;              // Float, Int, OptionalFloat: the accepted range
    bool minExclusive = false;            // (min, max] instead of [min, max]
    double step = 1;                      // the dock's spin box step
    std::string word{};                   // OptionalFloat: "model" or "auto" (unset)
    std::string special{};                // what the minimum means ("the model's", "unlimited"), or empty
    std::vector<std::string> presets{};   // OptionalFloat: values the dock suggests
    std::string syntax{};                 // HeadList, Shorthand: the value syntax
    std::string example{};                // a valid value other than the default
    std::string help{};                   // one paragraph
    std::string formula{};
    std::string modelRule{};              // what check() asks of the model, for the help text

    // Whether the knob changes anything under s; empty = always.
    std::function<bool(const SimSettings&)> appliesFn{};
    // Rules that need the model or other knobs; throws Error naming the key. Empty = none.
    std::function<void(const SimSettings&, const ModelConfig&)> checkFn{};
    // The largest value the model allows (kv.groups: nHeads), for the dock's spin box. Empty = max.
    std::function<double(const ModelConfig&)> modelMaxFn{};
    // Filled by the row builders in knob_table.cpp from the field's accessor.
    std::function<void(const Knob&, SimSettings&, std::string_view)> parseFn{};
    std::function<std::string(const SimSettings&)> formatFn{};
    std::function<bool(const SimSettings&, const SimSettings&)> sameFn{};

    // Sets the field from text; throws Error naming the key, the allowed values and the value got.
    // On a throw s is unchanged.
    void parse(SimSettings& s, std::string_view value) const;
    // The field as text; parse(format(s)) gives the same field back.
    std::string format(const SimSettings& s) const { return formatFn(s); }
    // Whether a and b agree on this knob's field(s).
    bool same(const SimSettings& a, const SimSettings& b) const { return sameFn(a, b); }
    bool isDefault(const SimSettings& s) const { return same(s, SimSettings{}); }
    bool appliesTo(const SimSettings& s) const { return !appliesFn || appliesFn(s); }
    void check(const SimSettings& s, const ModelConfig& c) const {
        if (checkFn) checkFn(s, c);
    }
    double maxFor(const ModelConfig& c) const { return modelMaxFn ? std::min(max, modelMaxFn(c)) : max; }
    // False for shorthands: they are parsed, but hold no value of their own.
    bool stored() const { return type != KnobType::Shorthand; }

    // The value syntax for help and errors: "pre|post|sandwich|deepnorm", "a number >= 1 and <= 1024".
    std::string values() const;
    // format(SimSettings{}); "off" for a shorthand.
    std::string defaultValue() const;
};

// Every knob, in help order (grouped as the dock shows them).
const std::vector<Knob>& knobTable();
// The row of a key, or nullptr.
const Knob* findKnob(std::string_view key);
// The group's title in the dock and the help: "Norms", "FFN activation", ...
const char* knobGroupTitle(KnobGroup g);

// A float as the shortest text that reads back to the same float ("0.1", "1e-09", "-inf").
std::string formatKnobFloat(float f);

}  // namespace anatomy
