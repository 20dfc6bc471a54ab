#pragma once
// WordPiece (BERT and its descendants: bge, all-MiniLM), as GGUF files describe it with
// tokenizer.ggml.model = "bert". The Hugging Face BertTokenizer's steps:
//   1. special tokens ([CLS], [SEP], [MASK]...) are split out first when special text is parsed;
//   2. normalise: drop NUL, U+FFFD and control characters, whitespace becomes a separator, CJK
//      ideographs become words of their own, NFD then drop combining marks (Mn: "é" -> "e"),
//      lower-case;
//   3. pre-tokenise: split at whitespace, and every punctuation character (Unicode P*, or any
//      ASCII character that is not a letter, digit or space) is a word of its own;
//   4. each word is cut greedily into the longest vocabulary pieces from its start: the first
//      piece as a word start, the rest as continuations ("##ing" in the Hugging Face vocabulary).
//      A word that cannot be cut completely, or that is longer than 100 characters, becomes [UNK].
// The GGUF vocabulary stores word starts with SentencePiece's U+2581 prefix ("▁play") and
// continuations bare ("ing"), as llama.cpp's converter writes them. Unicode properties and
// normalisation are ICU's (Debian's libicu).
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace anatomy {

class WordPieceEncoder {
public:
    // pieces [vocab] as the GGUF stores them; types [vocab] GGUF token types (3 control) or empty.
    WordPieceEncoder(const std::vector<std::string>& pieces, const std::vector<int>& types, int unkId);

    // Ids for text, no [CLS]/[SEP]. parseSpecial: control tokens' text becomes the token.
    std::vector<int> encode(std::string_view text, bool parseSpecial) const;
    // The words of step 2-3 (UTF-8), for tests and views.
    static std::vector<std::string> words(std::string_view text);

private:
    void encodeWord(const std::string& word, std::vector<int>& out) const;
    std::unordered_map<std::string, int> m_index;        // piece as stored -> id
    std::vector<std::pair<std::string, int>> m_special;  // control tokens (text, id)
    int m_unk = 0;
    size_t m_maxPieceLen = 0;
};

}  // namespace anatomy
