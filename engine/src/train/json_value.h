#pragma once
// A small JSON reader for training configs (RFC 8259: objects, arrays, strings with escapes,
// numbers, true/false/null). Objects keep their keys in file order; a repeated key is an error.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace anatomy::training {

struct JsonMember;

struct JsonValue {
    enum class Type { Null, Bool, Number, String, Array, Object };
    Type type = Type::Null;
    bool boolean = false;
    double number = 0;
    std::string text;             // String; for Number, the literal as written
    std::vector<JsonValue> items;  // Array
    // Object, in file order. (A struct, not std::pair: a pair of a still incomplete JsonValue is
    // rejected by clang with libstdc++.)
    std::vector<JsonMember> members;

    const char* typeName() const;
};

struct JsonMember {
    std::string first;  // the key
    JsonValue second;
};

// Throws Error "JSON line L column C: what".
JsonValue parseJson(std::string_view text);
// A string as a JSON literal with quotes and escapes.
std::string jsonQuote(std::string_view s);

}  // namespace anatomy::training
