#pragma once
// Special tokens are matched whole before a tokenizer sees the text (llama.cpp's
// tokenizer_st_partition): each special piece in turn, longest first, splits every stretch of
// plain text that the earlier pieces left; the result alternates plain text (id -1) and special
// tokens. SentencePiece, WordPiece and unigram vocabularies share it.
#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

namespace anatomy {

struct TextFragment {
    std::string_view text;
    int id;  // the special token, or -1 for plain text
};

// specials: (piece, id) pairs; sorted longest first here (stable, so equal lengths keep their order).
template <class Str>
std::vector<TextFragment> splitSpecial(std::string_view text, std::vector<std::pair<Str, int>> specials) {
    std::stable_sort(specials.begin(), specials.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    std::vector<TextFragment> frags{{text, -1}};
    for (const auto& [piece, id] : specials) {
        const std::string_view p(piece);
        if (p.empty()) continue;
        std::vector<TextFragment> next;
        for (const TextFragment& f : frags) {
            if (f.id >= 0) {
                next.push_back(f);
                continue;
            }
            size_t at = 0;
            for (size_t hit; (hit = f.text.find(p, at)) != std::string_view::npos; at = hit + p.size()) {
                if (hit > at) next.push_back({f.text.substr(at, hit - at), -1});
                next.push_back({f.text.substr(hit, p.size()), id});
            }
            if (at < f.text.size()) next.push_back({f.text.substr(at), -1});
        }
        frags = std::move(next);
    }
    return frags;
}

}  // namespace anatomy
