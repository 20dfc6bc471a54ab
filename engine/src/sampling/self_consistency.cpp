// Self-consistency (Wang et al. 2022): sample several continuations, extract an answer from
// each and take the majority. The answer is the first capture group of the first match of an
// ECMAScript regex in prompt + generated text (so "named (\w+)" finds a name the prompt set up);
// the vote is the most frequent answer, ties going to the one seen first.
#include <algorithm>

#include "anatomy/decoding.h"
#include "anatomy/error.h"

namespace anatomy {

AnswerPattern::AnswerPattern(const std::string& regex) : m_source(regex) {
    if (regex.empty()) throw Error("answer regex is empty; give one with a capture group, e.g. 'named (\\w+)'");
    try {
        m_regex = std::regex(regex, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
        throw Error("invalid answer regex '" + regex + "': " + e.what());
    }
    if (m_regex.mark_count() < 1)
        throw Error("answer regex '" + regex + "' has no capture group; the first group is the answer, "
                    "e.g. 'named (\\w+)'");
}

std::optional<std::string> AnswerPattern::extract(std::string_view text) const {
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_search(text.begin(), text.end(), m, m_regex)) return std::nullopt;
    if (!m[1].matched) return std::nullopt;  // an optional group that took no part
    return m[1].str();
}

VoteResult majorityVote(std::span<const std::optional<std::string>> answers) {
    VoteResult v;
    for (size_t i = 0; i < answers.size(); ++i) {
        if (!answers[i]) continue;
        ++v.answered;
        auto it = std::find_if(v.counts.begin(), v.counts.end(),
                               [&](const VoteResult::Count& c) { return c.answer == *answers[i]; });
        if (it == v.counts.end()) v.counts.push_back({*answers[i], 1, int(i)});
        else ++it->count;
    }
    // Most frequent first; equal counts keep the order first seen (stable).
    std::stable_sort(v.counts.begin(), v.counts.end(),
                     [](const VoteResult::Count& a, const VoteResult::Count& b) { return a.count > b.count; });
    if (!v.counts.empty()) v.winner = v.counts.front().answer;
    return v;
}

}  // namespace anatomy
