#pragma once
// SentencePiece unigram (T5, flan-t5, ALBERT, XLNet), read from a SentencePiece .model file or
// from a GGUF with tokenizer.ggml.model = "t5" (llama.cpp's UGM). Encoding as spm_encode does:
//   1. normalise: the precompiled character map (the model's own rules, nmt_nfkc for T5) replaces
//      the longest matching prefix at each point (a double-array trie over UTF-8 bytes; malformed
//      UTF-8 becomes U+FFFD); leading, trailing and repeated spaces are removed
//      (remove_extra_whitespaces), a space is put first (add_dummy_prefix) and every space is
//      written U+2581;
//   2. Viterbi over the normalised bytes: the segmentation into vocabulary pieces with the highest
//      sum of piece scores (log-probabilities). A character no piece starts with is unknown, with
//      score min(score) - 10; ties keep the segmentation found first (earlier start);
//   3. a run of unknown characters is one unknown token, or, with byte fallback, the bytes'
//      <0xXX> tokens.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace anatomy {

struct UnigramSpec {
    std::vector<std::string> pieces;    // [vocab] with U+2581 for spaces
    std::vector<float> scores;          // [vocab]
    std::vector<int> types;             // [vocab] 1 normal, 2 unknown, 3 control, 4 user defined, 5 unused, 6 byte
    std::string charsmap;               // precompiled_charsmap blob ("" = no normalisation rules)
    bool addDummyPrefix = true;
    bool removeExtraWhitespaces = true;
    bool escapeWhitespaces = true;
    bool byteFallback = false;
    int unk = 0, bos = 1, eos = 2, pad = -1;  // -1 = none
};

// Reads a SentencePiece ModelProto (.model, protobuf). Throws FormatError naming the field.
UnigramSpec readSentencePieceModel(const std::string& path);

class UnigramEncoder {
public:
    explicit UnigramEncoder(const UnigramSpec& spec);  // throws Error for a bad vocabulary or map

    // Ids for text, no BOS/EOS. parseSpecial: control tokens' text ("</s>") becomes the token.
    std::vector<int> encode(std::string_view text, bool parseSpecial) const;
    // Step 1 alone (UTF-8 with U+2581 for spaces), for tests and views.
    std::string normalize(std::string_view text) const;

private:
    // The longest charsmap rule at the start of s: (replacement, bytes consumed); consumed 0 = none.
    std::pair<std::string_view, size_t> rule(std::string_view s) const;
    void encodeNormalized(std::string_view normalized, std::vector<int>& out) const;

    UnigramSpec m_spec;
    std::unordered_map<std::string, int> m_index;  // normal, user-defined and unused pieces -> id
    std::vector<std::pair<std::string, int>> m_special;  // control and user-defined (text, id)
    std::vector<uint32_t> m_trie;                  // charsmap double array units
    std::string_view m_replacements;               // charsmap's NUL-separated replacement strings
    int m_byteBase = -1;                           // id of <0x00>, when byte fallback
    float m_unkScore = 0.0f;
    float m_maxScore = 0.0f;   // user-defined pieces' bonus per byte
    size_t m_maxPieceLen = 0;
};

}  // namespace anatomy
