#pragma once
// SentencePiece-style BPE with scores and byte fallback, encoding exactly as llama2.c's
// encode(): optional BOS, the dummy leading space, UTF-8 code points looked up whole (bytes
// become <0xXX> tokens, id = byte + 3, when a code point is not in the vocabulary), then
// repeated merges of the adjacent pair whose merged string has the highest score (ties: the
// leftmost pair). llama2.c rescans the whole sequence per merge (quadratic); here a priority
// queue over a linked list of symbols does the same merges in O(n log n).
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace anatomy {

class Tokenizer {
public:
    static constexpr int kUnk = 0;
    static constexpr int kBos = 1;
    static constexpr int kEos = 2;

    // llama2.c tokenizer file: int32 max_token_length, then per token float32 score,
    // int32 length, bytes. expectedVocab: the model's vocab size (must agree), or 0 to skip.
    static Tokenizer fromLlama2cFile(const std::string& path, int expectedVocab);
    // A vocabulary held elsewhere (GGUF): pieces use U+2581 for spaces as SentencePiece does.
    // bosId and eosId must name tokens; unkId (what a byte without a <0xXX> token becomes) too,
    // or be -1 when the vocabulary has none (then kUnk).
    static Tokenizer fromPieces(std::vector<std::string> pieces, std::vector<float> scores,
                                int bosId, int eosId, int unkId = kUnk);

    // Token ids for text, BOS first when bos is set, EOS last when eos is set.
    std::vector<int> encode(std::string_view text, bool bos = true, bool eos = false) const;
    // The text a token adds after prevToken, as llama2.c's decode(): the leading space is
    // dropped after BOS, and <0xXX> pieces become their raw byte.
    std::string decode(int prevToken, int token) const;
    // The decoded text of a whole id sequence (prev of ids[0] taken as BOS).
    std::string decodeAll(const std::vector<int>& ids) const;
    // The piece as stored (spaces as ' '), for labels in views.
    const std::string& piece(int id) const { return m_pieces.at(static_cast<size_t>(id)); }
    float score(int id) const { return m_scores.at(static_cast<size_t>(id)); }
    int vocabSize() const { return static_cast<int>(m_pieces.size()); }
    int bosId() const { return m_bos; }
    int unkId() const { return m_unk; }
    int eosId() const { return m_eos; }
    // The id of an exact piece, or -1.
    int lookup(std::string_view piece) const;

private:
    // Hashes std::string and std::string_view alike, so lookups need no temporary string.
    struct PieceHash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };

    std::vector<std::string> m_pieces;  // [vocab], spaces as ' '
    std::vector<float> m_scores;        // [vocab]
    std::unordered_map<std::string, int, PieceHash, std::equal_to<>> m_index;  // piece -> first id
    int m_bos = kBos;
    int m_eos = kEos;
    int m_unk = kUnk;
    int m_byteBase = 3;     // id of <0x00>
    size_t m_maxPieceLen = 0;  // longest piece in bytes: longer pairs cannot merge
    void buildIndex();
    int byteToken(unsigned char byte) const;
};

}  // namespace anatomy
