#include "train/json_value.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "anatomy/error.h"

namespace anatomy::training {

const char* JsonValue::typeName() const {
    switch (type) {
        case Type::Null: return "null";
        case Type::Bool: return "a boolean";
        case Type::Number: return "a number";
        case Type::String: return "a string";
        case Type::Array: return "an array";
        case Type::Object: return "an object";
    }
    return "?";
}

namespace {

class Reader {
public:
    explicit Reader(std::string_view t) : m_t(t) {}

    JsonValue document() {
        JsonValue v = value(0);
        skipSpace();
        if (m_i != m_t.size()) fail("unexpected text after the value");
        return v;
    }

private:
    static constexpr int kMaxDepth = 64;

    [[noreturn]] void fail(const std::string& what) const {
        int line = 1, col = 1;
        for (size_t k = 0; k < m_i && k < m_t.size(); ++k) {
            if (m_t[k] == '\n') { ++line; col = 1; }
            else ++col;
        }
        throw Error("JSON line " + std::to_string(line) + " column " + std::to_string(col) + ": " + what);
    }
    void skipSpace() {
        while (m_i < m_t.size() && (m_t[m_i] == ' ' || m_t[m_i] == '\t' || m_t[m_i] == '\n' || m_t[m_i] == '\r'))
            ++m_i;
    }
    bool literal(std::string_view word) {
        if (m_t.substr(m_i, word.size()) != word) return false;
        m_i += word.size();
        return true;
    }
    JsonValue value(int depth) {
        if (depth > kMaxDepth) fail("nested deeper than 64 levels");
        skipSpace();
        if (m_i >= m_t.size()) fail("expected a value, got the end of the text");
        JsonValue v;
        const char c = m_t[m_i];
        if (c == '{') {
            v.type = JsonValue::Type::Object;
            ++m_i;
            skipSpace();
            if (m_i < m_t.size() && m_t[m_i] == '}') { ++m_i; return v; }
            for (;;) {
                skipSpace();
                if (m_i >= m_t.size() || m_t[m_i] != '"') fail("expected a key in quotes");
                std::string key = string();
                for (const auto& [k, unused] : v.members)
                    if (k == key) fail("key \"" + key + "\" appears twice");
                skipSpace();
                if (m_i >= m_t.size() || m_t[m_i] != ':') fail("expected ':' after the key");
                ++m_i;
                v.members.push_back(JsonMember{std::move(key), value(depth + 1)});
                skipSpace();
                if (m_i < m_t.size() && m_t[m_i] == ',') { ++m_i; continue; }
                if (m_i < m_t.size() && m_t[m_i] == '}') { ++m_i; return v; }
                fail("expected ',' or '}'");
            }
        }
        if (c == '[') {
            v.type = JsonValue::Type::Array;
            ++m_i;
            skipSpace();
            if (m_i < m_t.size() && m_t[m_i] == ']') { ++m_i; return v; }
            for (;;) {
                v.items.push_back(value(depth + 1));
                skipSpace();
                if (m_i < m_t.size() && m_t[m_i] == ',') { ++m_i; continue; }
                if (m_i < m_t.size() && m_t[m_i] == ']') { ++m_i; return v; }
                fail("expected ',' or ']'");
            }
        }
        if (c == '"') {
            v.type = JsonValue::Type::String;
            v.text = string();
            return v;
        }
        if (literal("true")) { v.type = JsonValue::Type::Bool; v.boolean = true; return v; }
        if (literal("false")) { v.type = JsonValue::Type::Bool; return v; }
        if (literal("null")) return v;
        if (c == '-' || (c >= '0' && c <= '9')) {
            const size_t start = m_i;
            if (m_t[m_i] == '-') ++m_i;
            auto digits = [&] {
                const size_t d = m_i;
                while (m_i < m_t.size() && m_t[m_i] >= '0' && m_t[m_i] <= '9') ++m_i;
                if (m_i == d) fail("expected a digit");
            };
            digits();
            if (m_i < m_t.size() && m_t[m_i] == '.') { ++m_i; digits(); }
            if (m_i < m_t.size() && (m_t[m_i] == 'e' || m_t[m_i] == 'E')) {
                ++m_i;
                if (m_i < m_t.size() && (m_t[m_i] == '+' || m_t[m_i] == '-')) ++m_i;
                digits();
            }
            v.type = JsonValue::Type::Number;
            v.text = std::string(m_t.substr(start, m_i - start));
            v.number = std::strtod(v.text.c_str(), nullptr);
            if (!std::isfinite(v.number)) fail("number " + v.text + " out of range");
            return v;
        }
        fail(std::string("unexpected character '") + c + "'");
    }
    std::string string() {
        ++m_i;  // opening quote
        std::string out;
        while (m_i < m_t.size() && m_t[m_i] != '"') {
            const unsigned char c = static_cast<unsigned char>(m_t[m_i]);
            if (c < 0x20) fail("control character in a string");
            if (c != '\\') { out += char(c); ++m_i; continue; }
            if (++m_i >= m_t.size()) break;
            const char e = m_t[m_i++];
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    if (m_i + 4 > m_t.size()) fail("short \\u escape");
                    const unsigned cp = unsigned(std::strtoul(std::string(m_t.substr(m_i, 4)).c_str(), nullptr, 16));
                    m_i += 4;
                    // Basic plane only (config values are paths and names); UTF-8 encode.
                    if (cp < 0x80) out += char(cp);
                    else if (cp < 0x800) { out += char(0xC0 | (cp >> 6)); out += char(0x80 | (cp & 0x3F)); }
                    else {
                        out += char(0xE0 | (cp >> 12));
                        out += char(0x80 | ((cp >> 6) & 0x3F));
                        out += char(0x80 | (cp & 0x3F));
                    }
                    break;
                }
                default: fail(std::string("unknown escape \\") + e);
            }
        }
        if (m_i >= m_t.size()) fail("unterminated string");
        ++m_i;  // closing quote
        return out;
    }

    std::string_view m_t;
    size_t m_i = 0;
};

}  // namespace

JsonValue parseJson(std::string_view text) { return Reader(text).document(); }

std::string jsonQuote(std::string_view s) {
    std::string out = "\"";
    for (char ch : s) {
        const unsigned char c = static_cast<unsigned char>(ch);
        if (c == '"') out += "\\\"";
        else if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else out += ch;
    }
    return out + "\"";
}

}  // namespace anatomy::training
