#pragma once
// SentencePiece-style BPE with scores and byte fallback, encoding exactly as llama2.c's
// encode(): optional BOS, the dummy leading space, UTF-8 code points looked up whole (bytes
// become <0xXX> tokens, id = byte + 3, when a code point is not in the vocabulary), then
// repeated merges of the adjacent pair whose merged string has the highest score (ties: the
// leftmost pair). llama2.c rescans the whole sequence per merge (quadratic); here a priority
// queue over a linked list of symbols does the same merges in O(n log n).
// A GGUF vocabulary may instead be byte-level BPE (tokenizer.ggml.model = "gpt2", GPT-2 and its
// descendants): see engine/src/io/bpe.h, or WordPiece ("bert": BERT, bge, MiniLM): see
// engine/src/io/wordpiece.h, or SentencePiece unigram ("t5", or a SentencePiece .model file): see
// engine/src/io/unigram.h. All kinds answer the same interface.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace anatomy {

class BytePairEncoder;
class WordPieceEncoder;
class UnigramEncoder;
struct UnigramSpec;

class Tokenizer {
public:
    enum class Kind { SentencePiece, BytePair, WordPiece, Unigram };
    // Special tokens and what a file says about adding them (GGUF tokenizer.ggml.*).
    struct Special {
        int bos = 1;           // -1 = none
        int eos = 2;           // -1 = none
        int unk = -1;          // -1 = the default (0)
        bool addBos = true;    // tokenize(addSpecial) puts BOS first
        bool addEos = false;   // ... and EOS last
    };

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
    // The same with GGUF token types (1 normal, 2 unknown, 3 control, 4 user defined, 6 byte; may
    // be empty) and the file's special-token facts.
    static Tokenizer fromPieces(std::vector<std::string> pieces, std::vector<float> scores,
                                std::vector<int> types, const Special& special);
    // Byte-level BPE: pieces in GPT-2's byte alphabet, merges "left right" by rank, pre = the
    // pre-tokenizer's name (tokenizer.ggml.pre; "" = default). Throws Error for an unknown one.
    static Tokenizer fromBytePairs(std::vector<std::string> pieces, std::vector<int> types,
                                   std::vector<std::string> merges, const std::string& pre,
                                   const Special& special);
    // WordPiece: pieces as the GGUF stores them (word starts with U+2581, continuations bare);
    // special.bos is [CLS], special.eos [SEP], special.unk [UNK] (required).
    static Tokenizer fromWordPieces(std::vector<std::string> pieces, std::vector<int> types, const Special& special);
    // SentencePiece unigram: pieces, scores, types, normalisation rules (unigram.h); special.bos/eos
    // may be -1 (T5 has no BOS).
    static Tokenizer fromUnigram(const UnigramSpec& spec, const Special& special);
    // A SentencePiece .model file (protobuf) of a unigram model, as spm_train writes it. Encodes as
    // spm_encode does: no BOS/EOS added.
    static Tokenizer fromSentencePieceModel(const std::string& path);
    // The vocabulary of a GGUF file (a model or a vocabulary-only file).
    static Tokenizer fromGgufFile(const std::string& path);

    // Ids as llama.cpp's tokenizer gives them: BOS/EOS as the file's add_bos/add_eos say when
    // addSpecial; with parseSpecial, the text of control tokens (e.g. "<s>") becomes the token,
    // otherwise it is plain text. User-defined tokens are always matched whole.
    std::vector<int> tokenize(std::string_view text, bool addSpecial, bool parseSpecial) const;
    Kind kind() const {
        return m_bpe ? Kind::BytePair : m_wpm ? Kind::WordPiece : m_ugm ? Kind::Unigram : Kind::SentencePiece;
    }

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
    bool m_addBos = true;
    bool m_addEos = false;
    std::vector<int> m_types;                        // [vocab] GGUF token types, or empty
    std::shared_ptr<const BytePairEncoder> m_bpe;    // set for byte-level BPE
    std::shared_ptr<const WordPieceEncoder> m_wpm;   // set for WordPiece
    std::shared_ptr<const UnigramEncoder> m_ugm;     // set for SentencePiece unigram
    int m_unk = kUnk;
    int m_byteBase = 3;     // id of <0x00>
    size_t m_maxPieceLen = 0;  // longest piece in bytes: longer pairs cannot merge
    void buildIndex();
    int byteToken(unsigned char byte) const;
};

}  // namespace anatomy
