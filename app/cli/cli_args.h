#pragma once
// Minimal --key value parser for anatomy-cli. Unknown options and missing values are errors.
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "anatomy/number_text.h"

namespace anatomy::cli {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Args {
public:
    // allowed: option names without dashes; flags: options that take no value.
    Args(const std::vector<std::string>& argv, const std::set<std::string>& allowed,
         const std::set<std::string>& flags = {}) {
        for (size_t i = 0; i < argv.size(); ++i) {
            const std::string& a = argv[i];
            if (a.rfind("--", 0) != 0) throw UsageError("unexpected argument '" + a + "'");
            std::string key = a.substr(2), value;
            if (auto eq = key.find('='); eq != std::string::npos) {
                value = key.substr(eq + 1);
                key = key.substr(0, eq);
            } else if (flags.count(key)) {
                value = "1";
            } else {
                if (i + 1 >= argv.size()) throw UsageError("option --" + key + " needs a value");
                value = argv[++i];
            }
            if (!allowed.count(key) && !flags.count(key)) throw UsageError("unknown option --" + key);
            if (key == "set") m_sets.push_back(value);
            else m_values[key] = value;
            m_all[key].push_back(value);
        }
    }
    bool has(const std::string& k) const { return m_values.count(k) != 0; }
    std::string str(const std::string& k, const std::string& def = {}) const {
        auto it = m_values.find(k);
        return it == m_values.end() ? def : it->second;
    }
    std::string required(const std::string& k) const {
        if (!has(k)) throw UsageError("missing required option --" + k);
        return str(k);
    }
    long long integer(const std::string& k, long long def, long long lo, long long hi) const {
        if (!has(k)) return def;
        const std::string v = str(k);
        size_t used = 0;
        long long x = 0;
        try {
            if (isPlainInteger(v)) x = std::stoll(v, &used);  // not " 5", "0x10" or "5 "
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != v.size() || v.empty())
            throw UsageError("--" + k + ": expected an integer, got '" + v + "'");
        if (x < lo || x > hi)
            throw UsageError("--" + k + ": expected a value in [" + std::to_string(lo) + ", " +
                             std::to_string(hi) + "], got " + v);
        return x;
    }
    // "3,5,7": each a plain integer in [lo, hi]; an empty list or a bad entry is an error.
    std::vector<int> integers(const std::string& k, int lo, int hi) const {
        std::vector<int> out;
        const std::string v = str(k);
        size_t from = 0;
        while (true) {
            const size_t comma = v.find(',', from);
            const std::string part = v.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
            long long x = 0;
            size_t used = 0;
            try {
                if (isPlainInteger(part)) x = std::stoll(part, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (part.empty() || used != part.size() || x < lo || x > hi)
                throw UsageError("--" + k + ": expected comma-separated integers in [" + std::to_string(lo) + ", " +
                                 std::to_string(hi) + "], got '" + part + "' in '" + v + "'");
            out.push_back(int(x));
            if (comma == std::string::npos) break;
            from = comma + 1;
        }
        return out;
    }
    double number(const std::string& k, double def, double lo, double hi) const {
        if (!has(k)) return def;
        const std::string v = str(k);
        size_t used = 0;
        double x = 0;
        // Plain decimals only: stod reads "0x10" as 16 and accepts inf and nan.
        try {
            if (isPlainDecimal(v)) x = std::stod(v, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != v.size() || v.empty() || !std::isfinite(x))
            throw UsageError("--" + k + ": expected a number, got '" + v + "'");
        if (x < lo || x > hi)
            throw UsageError("--" + k + ": expected a value in [" + std::to_string(lo) + ", " +
                             std::to_string(hi) + "], got " + v);
        return x;
    }
    const std::vector<std::string>& sets() const { return m_sets; }
    // Every value of a repeatable option, in order (--text A --text B).
    std::vector<std::string> all(const std::string& k) const {
        auto it = m_all.find(k);
        return it == m_all.end() ? std::vector<std::string>{} : it->second;
    }

private:
    std::map<std::string, std::string> m_values;
    std::vector<std::string> m_sets;
    std::map<std::string, std::vector<std::string>> m_all;
};

}  // namespace anatomy::cli
