#pragma once
// Byte-level BPE (GPT-2 and its descendants), as GGUF files describe it with
// tokenizer.ggml.model = "gpt2":
//   1. special tokens are split out of the text first (user-defined ones always, control ones
//      only when special text is parsed);
//   2. the pre-tokenizer named by tokenizer.ggml.pre splits each piece of text with a list of
//      regular expressions (llama.cpp's, which follow the Hugging Face tokenizer.json); each
//      expression splits the fragments the previous one left, keeping the text between matches;
//   3. each fragment's UTF-8 bytes are written in GPT-2's printable byte alphabet (byte b -> one
//      code point, so "Ġ" is the space), and adjacent symbols are merged by the rank of their pair
//      in tokenizer.ggml.merges, lowest rank (earliest merge) first, leftmost on ties;
//   4. each final symbol is a token; one that is not in the vocabulary falls back to its bytes.
// Unicode classes (\p{L}, \p{N}, \p{P}, \s) are ICU's (Debian's libicu).
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace anatomy {

class BytePairEncoder {
public:
    // pieces [vocab] in the byte alphabet; types [vocab] GGUF token types (1 normal, 2 unknown,
    // 3 control, 4 user defined, 5 unused, 6 byte), or empty; merges "left right", rank = index;
    // pre: tokenizer.ggml.pre ("" = default). Throws Error for an unknown pre-tokenizer name.
    BytePairEncoder(const std::vector<std::string>& pieces, const std::vector<int>& types,
                    const std::vector<std::string>& merges, const std::string& pre);
    ~BytePairEncoder();

    // Ids for text, no BOS/EOS. parseSpecial: control tokens' text becomes the token.
    std::vector<int> encode(std::string_view text, bool parseSpecial) const;
    // The UTF-8 bytes a token stands for (special tokens: their text).
    std::string bytesOf(int id) const;
    const std::string& preTokenizer() const { return m_pre; }
    // The pre-tokenizer names this encoder knows.
    static std::vector<std::string> knownPreTokenizers();

    struct Regexes;

private:
    void encodeFragment(const std::string& utf8, std::vector<int>& out) const;
    std::vector<std::string> m_pieces;                  // [vocab] byte alphabet
    std::vector<int> m_types;                           // [vocab]
    std::unordered_map<std::string, int> m_index;       // piece -> id
    std::unordered_map<std::string, int> m_mergeRank;   // "left right" -> rank
    std::vector<std::pair<std::string, int>> m_special; // (text, id), longest first
    std::string m_pre;
    bool m_ignoreMerges = false;                        // a fragment that is a token stays whole
    std::unique_ptr<Regexes> m_regexes;
    std::string m_byteToSymbol[256];                    // byte -> UTF-8 of its alphabet code point
    std::unordered_map<std::string, unsigned char> m_symbolToByte;
};

}  // namespace anatomy
