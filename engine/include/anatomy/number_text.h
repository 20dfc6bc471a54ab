#pragma once
// Numbers as a person types them on a command line or in a settings file. std::stod and strtof
// also read hexadecimal ("0x10" is 16), "inf", "nan", "infinity" and leading white space, so a
// typo becomes a value; options and knobs accept only the plain decimal forms below.
#include <string_view>

namespace anatomy {

// [+-]digits   ("42", "-3", "+7")
inline bool isPlainInteger(std::string_view s) {
    size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
    if (i == s.size()) return false;
    for (; i < s.size(); ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

// [+-](digits[.digits]|.digits)[(e|E)[+-]digits]   ("0.7", "-.5", "1e-3", "2.")
inline bool isPlainDecimal(std::string_view s) {
    size_t i = 0;
    auto digits = [&] {
        const size_t from = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
        return i - from;
    };
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t mantissa = digits();
    if (i < s.size() && s[i] == '.') {
        ++i;
        mantissa += digits();
    }
    if (mantissa == 0) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
        if (digits() == 0) return false;
    }
    return i == s.size();
}

}  // namespace anatomy
