#pragma once
// A small JSON reader for training configs (RFC 8259: objects, arrays, strings with escapes,
// numbers, true/false/null). Objects keep their keys in file order; a repeated key is an error.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace anatomy::training {

struct JsonValue {
    enum class Type { Null, Bool, Number, String, Array, Object };
    Type type = Type::Null;
    bool boolean = false;
    double number = 0;
    std::string text;             // String; for Number, the literal as written
    std::vector<JsonValue> items;  // Array
    std::vector<std::pair<std::string, JsonValue>> members;  // Object, in file order

    const char* typeName() const;
};

// Throws Error "JSON line L column C: what".
JsonValue parseJson(std::string_view text);
// A string as a JSON literal with quotes and escapes.
std::string jsonQuote(std::string_view s);

}  // namespace anatomy::training
