#include "anatomy/printable.h"

#include <cstdio>

namespace anatomy {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not one (overlong forms,
// surrogates and code points past U+10FFFF are invalid too).
size_t utf8Length(std::string_view s, size_t i) {
    const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const unsigned char c = b(0);
    if (c < 0x80) return 1;
    size_t n = 0;
    unsigned cp = 0, min = 0;
    if (c >= 0xC2 && c <= 0xDF) { n = 2; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; cp = c & 0x07; min = 0x10000; }
    else return 0;
    if (i + n > s.size()) return 0;
    for (size_t k = 1; k < n; ++k) {
        if ((b(k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b(k) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

std::string clean(std::string_view s, bool escapeControls) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        const size_t n = utf8Length(s, i);
        if (n == 0) {
            out += kReplacement;
            ++i;
            continue;
        }
        const unsigned char c = static_cast<unsigned char>(s[i]);
        // C1 controls U+0080..U+009F are encoded as C2 80..C2 9F.
        const bool c1 = n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0;
        if (escapeControls && (c < 0x20 || c == 0x7F || c1)) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", c1 ? static_cast<unsigned char>(s[i + 1]) : c);
            out += buf;
        } else {
            out.append(s.substr(i, n));
        }
        i += n;
    }
    return out;
}

}  // namespace

std::string printable(std::string_view s) { return clean(s, true); }
std::string validUtf8(std::string_view s) { return clean(s, false); }

}  // namespace anatomy
