#include "anatomy/tokenizer.h"

#include "io/bpe.h"
#include "io/special_split.h"
#include "io/unigram.h"
#include "io/wordpiece.h"

#include <algorithm>
#include <cstring>
#include <queue>

#include "anatomy/error.h"
#include "io/mapped_file.h"

namespace anatomy {

namespace {

// llama2.c starts its search with best_score = -1e10 and needs a strictly greater score, so a
// merge scoring -1e10 or less (or NaN) never happens. Kept for identical output.
constexpr float kNoMerge = -1e10f;
// No real tokenizer has pieces anywhere near this long (Llama 2: 27 bytes, tok512: 7).
constexpr int32_t kMaxTokenLengthLimit = 1 << 16;
// SentencePiece writes spaces as U+2581 LOWER ONE EIGHTH BLOCK.
constexpr std::string_view kSpaceMark = "\xE2\x96\x81";

// Sequential little-endian reader over a llama2.c tokenizer file that names what it failed to read.
class Reader {
public:
    explicit Reader(const MappedFile& file) : m_file(file) {}

    size_t left() const { return m_file.size() - m_pos; }
    bool atEnd() const { return m_pos == m_file.size(); }

    int32_t i32(const std::string& field) {
        int32_t v = 0;
        std::memcpy(&v, take(sizeof v, field), sizeof v);
        return v;
    }
    float f32(const std::string& field) {
        float v = 0;
        std::memcpy(&v, take(sizeof v, field), sizeof v);
        return v;
    }
    std::string bytes(size_t n, const std::string& field) {
        const uint8_t* p = take(n, field);
        return std::string(reinterpret_cast<const char*>(p), n);
    }

private:
    const uint8_t* take(size_t n, const std::string& field) {
        if (n > left()) {
            throw FormatError(m_file.path(), field,
                              std::to_string(n) + " bytes at offset " + std::to_string(m_pos),
                              "the file ends after " + std::to_string(left()) +
                                  " (truncated file)");
        }
        const uint8_t* p = m_file.data() + m_pos;
        m_pos += n;
        return p;
    }

    const MappedFile& m_file;
    size_t m_pos = 0;
};

// A SentencePiece piece with each U+2581 turned back into ' '.
std::string spacesFromMarks(std::string_view piece) {
    std::string out;
    out.reserve(piece.size());
    for (size_t at = 0; at < piece.size();) {
        if (piece.substr(at, kSpaceMark.size()) == kSpaceMark) {
            out += ' ';
            at += kSpaceMark.size();
        } else {
            out += piece[at++];
        }
    }
    return out;
}

std::string tokenField(size_t i, const char* part) {
    return "token[" + std::to_string(i) + "]." + part;
}

// One vocabulary entry: float32 score, int32 length, length bytes.
void readEntry(Reader& in, const std::string& path, size_t i, int32_t maxTokenLength,
               std::vector<std::string>& pieces, std::vector<float>& scores) {
    float score = in.f32(tokenField(i, "score"));
    int32_t len = in.i32(tokenField(i, "length"));
    if (len < 0 || len > maxTokenLength) {
        throw FormatError(path, tokenField(i, "length"),
                          "0.." + std::to_string(maxTokenLength) + " (max_token_length)",
                          std::to_string(len));
    }
    pieces.push_back(in.bytes(static_cast<size_t>(len), tokenField(i, "bytes")));
    scores.push_back(score);
}

// The merge list: one symbol per current token, linked to its neighbours, and the queued
// candidate merges between neighbours.
struct Symbol {
    int id;    // token id; -1 once merged into its left neighbour
    int prev;  // index of the left neighbour, -1 at the start
    int next;  // index of the right neighbour, -1 at the end
};

struct Candidate {
    float score;  // score of the merged piece
    int left;     // symbol index of the left half (its position in the original sequence)
    int right;    // symbol index of the right half
    int leftId;   // the ids the halves had when this was queued: a change makes it stale
    int rightId;
    int mergedId;
};

// Max-heap order: higher score first; on equal scores the leftmost pair, as llama2.c's
// left-to-right scan with a strict '>' picks it.
struct CandidateOrder {
    bool operator()(const Candidate& a, const Candidate& b) const {
        if (a.score != b.score) return a.score < b.score;
        return a.left > b.left;
    }
};

}  // namespace

Tokenizer Tokenizer::fromLlama2cFile(const std::string& path, int expectedVocab) {
    if (expectedVocab < 0) {
        throw Error(path + ": expected vocabulary size must be >= 0, got " +
                    std::to_string(expectedVocab));
    }
    MappedFile file(path, MappedFile::Huge::Never);
    Reader in(file);

    int32_t maxTokenLength = in.i32("max_token_length");
    if (maxTokenLength < 1 || maxTokenLength > kMaxTokenLengthLimit) {
        throw FormatError(path, "max_token_length", "1.." + std::to_string(kMaxTokenLengthLimit),
                          std::to_string(maxTokenLength));
    }

    // Every entry takes at least 8 bytes, which bounds what a reservation may ask for.
    const size_t roomFor = in.left() / 8;
    Tokenizer t;
    t.m_pieces.reserve(std::min(static_cast<size_t>(expectedVocab), roomFor));
    t.m_scores.reserve(t.m_pieces.capacity());

    if (expectedVocab == 0) {
        while (!in.atEnd()) {
            readEntry(in, path, t.m_pieces.size(), maxTokenLength, t.m_pieces, t.m_scores);
        }
    } else {
        const size_t want = static_cast<size_t>(expectedVocab);
        while (t.m_pieces.size() < want) {
            if (in.atEnd()) {
                throw FormatError(path, "vocab_size",
                                  std::to_string(want) + " tokens (the model's vocabulary)",
                                  std::to_string(t.m_pieces.size()) +
                                      " tokens in the file: tokenizer and model disagree");
            }
            readEntry(in, path, t.m_pieces.size(), maxTokenLength, t.m_pieces, t.m_scores);
        }
        if (!in.atEnd()) {
            // Count what follows, to say by how much the two disagree.
            const size_t trailing = in.left();
            std::vector<std::string> extraPieces;
            std::vector<float> extraScores;
            std::string got;
            try {
                while (!in.atEnd()) {
                    readEntry(in, path, want + extraPieces.size(), maxTokenLength, extraPieces,
                              extraScores);
                }
                got = std::to_string(want + extraPieces.size()) + " tokens in the file";
            } catch (const FormatError&) {
                got = "more than " + std::to_string(want) + " tokens in the file (" +
                      std::to_string(trailing) + " bytes after token " +
                      std::to_string(want - 1) + ")";
            }
            throw FormatError(path, "vocab_size",
                              std::to_string(want) + " tokens (the model's vocabulary)",
                              got + ": tokenizer and model disagree");
        }
    }
    if (t.m_pieces.size() <= static_cast<size_t>(std::max(kBos, kEos))) {
        throw FormatError(path, "vocab_size", "at least 3 tokens (unk, bos, eos)",
                          std::to_string(t.m_pieces.size()));
    }
    t.buildIndex();
    return t;
}

Tokenizer Tokenizer::fromPieces(std::vector<std::string> pieces, std::vector<float> scores,
                                int bosId, int eosId, int unkId) {
    const std::string source = "tokenizer vocabulary";
    if (pieces.empty()) throw FormatError(source, "tokenizer.ggml.tokens", "at least 1 token", "0");
    if (scores.size() != pieces.size()) {
        throw FormatError(source, "tokenizer.ggml.scores",
                          std::to_string(pieces.size()) + " scores (one per token)",
                          std::to_string(scores.size()));
    }
    const int n = static_cast<int>(pieces.size());
    if (bosId < 0 || bosId >= n) {
        throw FormatError(source, "tokenizer.ggml.bos_token_id", "0.." + std::to_string(n - 1),
                          std::to_string(bosId));
    }
    if (eosId < 0 || eosId >= n) {
        throw FormatError(source, "tokenizer.ggml.eos_token_id", "0.." + std::to_string(n - 1),
                          std::to_string(eosId));
    }
    if (unkId == -1) unkId = kUnk;
    if (unkId < 0 || unkId >= n) {
        throw FormatError(source, "tokenizer.ggml.unknown_token_id", "-1 or 0.." + std::to_string(n - 1),
                          std::to_string(unkId));
    }
    for (std::string& p : pieces) p = spacesFromMarks(p);
    Tokenizer t;
    t.m_pieces = std::move(pieces);
    t.m_scores = std::move(scores);
    t.m_bos = bosId;
    t.m_eos = eosId;
    t.m_unk = unkId;
    t.buildIndex();
    return t;
}

Tokenizer Tokenizer::fromPieces(std::vector<std::string> pieces, std::vector<float> scores,
                                std::vector<int> types, const Special& special) {
    const size_t n = pieces.size();
    if (!types.empty() && types.size() != n)
        throw FormatError("tokenizer vocabulary", "tokenizer.ggml.token_type",
                          std::to_string(n) + " types (one per token)", std::to_string(types.size()));
    Tokenizer t = fromPieces(std::move(pieces), std::move(scores), special.bos, special.eos, special.unk);
    t.m_types = std::move(types);
    t.m_addBos = special.addBos;
    t.m_addEos = special.addEos;
    return t;
}

Tokenizer Tokenizer::fromWordPieces(std::vector<std::string> pieces, std::vector<int> types, const Special& special) {
    const std::string source = "tokenizer vocabulary";
    const int n = static_cast<int>(pieces.size());
    if (n == 0) throw FormatError(source, "tokenizer.ggml.tokens", "at least 1 token", "0");
    if (!types.empty() && types.size() != pieces.size())
        throw FormatError(source, "tokenizer.ggml.token_type", std::to_string(n) + " types (one per token)",
                          std::to_string(types.size()));
    for (auto [key, id] : {std::pair{"tokenizer.ggml.cls_token_id", special.bos},
                           std::pair{"tokenizer.ggml.seperator_token_id", special.eos},
                           std::pair{"tokenizer.ggml.unknown_token_id", special.unk}})
        if (id < 0 || id >= n) throw FormatError(source, key, "a token id 0.." + std::to_string(n - 1), std::to_string(id));
    Tokenizer t;
    t.m_wpm = std::make_shared<const WordPieceEncoder>(pieces, types, special.unk);
    // Labels: a word start " play", a continuation "ing" (decode() drops the space after [CLS]).
    t.m_pieces.reserve(pieces.size());
    for (const std::string& p : pieces) t.m_pieces.push_back(spacesFromMarks(p));
    t.m_scores.assign(pieces.size(), 0.0f);
    t.m_types = std::move(types);
    t.m_bos = special.bos;
    t.m_eos = special.eos;
    t.m_unk = special.unk;
    t.m_addBos = special.addBos;
    t.m_addEos = special.addEos;
    t.buildIndex();
    return t;
}

Tokenizer Tokenizer::fromUnigram(const UnigramSpec& spec, const Special& special) {
    Tokenizer t;
    t.m_ugm = std::make_shared<const UnigramEncoder>(spec);  // validates sizes, ids and the map
    const int n = static_cast<int>(spec.pieces.size());
    for (auto [key, id] : {std::pair{"tokenizer.ggml.bos_token_id", special.bos},
                           std::pair{"tokenizer.ggml.eos_token_id", special.eos}})
        if (id < -1 || id >= n) throw FormatError("unigram vocabulary", key, "-1 (none) or 0.." + std::to_string(n - 1), std::to_string(id));
    if ((special.addBos && special.bos < 0) || (special.addEos && special.eos < 0))
        throw FormatError("unigram vocabulary", special.addBos && special.bos < 0 ? "tokenizer.ggml.add_bos_token" : "tokenizer.ggml.add_eos_token",
                          "a BOS/EOS id to add", "none");
    t.m_pieces.reserve(spec.pieces.size());
    for (const std::string& p : spec.pieces) t.m_pieces.push_back(spacesFromMarks(p));
    t.m_scores = spec.scores;
    t.m_types = spec.types;
    t.m_bos = special.bos;
    t.m_eos = special.eos;
    t.m_unk = spec.unk;
    t.m_addBos = special.addBos;
    t.m_addEos = special.addEos;
    t.buildIndex();
    return t;
}

Tokenizer Tokenizer::fromSentencePieceModel(const std::string& path) {
    const UnigramSpec spec = readSentencePieceModel(path);
    Special sp;
    sp.bos = spec.bos;
    sp.eos = spec.eos;
    sp.unk = spec.unk;
    sp.addBos = false;  // spm_encode adds nothing by default
    sp.addEos = false;
    return fromUnigram(spec, sp);
}

Tokenizer Tokenizer::fromBytePairs(std::vector<std::string> pieces, std::vector<int> types,
                                   std::vector<std::string> merges, const std::string& pre,
                                   const Special& special) {
    const std::string source = "tokenizer vocabulary";
    const int n = static_cast<int>(pieces.size());
    if (n == 0) throw FormatError(source, "tokenizer.ggml.tokens", "at least 1 token", "0");
    if (!types.empty() && types.size() != pieces.size())
        throw FormatError(source, "tokenizer.ggml.token_type", std::to_string(n) + " types (one per token)",
                          std::to_string(types.size()));
    for (auto [key, id] : {std::pair{"tokenizer.ggml.bos_token_id", special.bos},
                           std::pair{"tokenizer.ggml.eos_token_id", special.eos}})
        if (id < -1 || id >= n) throw FormatError(source, key, "-1 (none) or 0.." + std::to_string(n - 1), std::to_string(id));
    if ((special.addBos && special.bos < 0) || (special.addEos && special.eos < 0))
        throw FormatError(source, special.addBos && special.bos < 0 ? "tokenizer.ggml.add_bos_token" : "tokenizer.ggml.add_eos_token",
                          "a BOS/EOS id to add", "none");
    Tokenizer t;
    t.m_bpe = std::make_shared<const BytePairEncoder>(pieces, types, merges, pre);
    // Pieces as the text they stand for (labels in views, lookup()).
    t.m_pieces.reserve(pieces.size());
    for (int i = 0; i < n; ++i) t.m_pieces.push_back(t.m_bpe->bytesOf(i));
    t.m_scores.assign(pieces.size(), 0.0f);
    t.m_types = std::move(types);
    t.m_bos = special.bos;
    t.m_eos = special.eos;
    t.m_addBos = special.addBos;
    t.m_addEos = special.addEos;
    t.buildIndex();
    return t;
}

std::vector<int> Tokenizer::tokenize(std::string_view text, bool addSpecial, bool parseSpecial) const {
    std::vector<int> out;
    if (addSpecial && m_addBos && m_bos >= 0) out.push_back(m_bos);
    if (m_bpe || m_wpm || m_ugm) {
        const std::vector<int> ids = m_bpe   ? m_bpe->encode(text, parseSpecial)
                                     : m_wpm ? m_wpm->encode(text, parseSpecial)
                                             : m_ugm->encode(text, parseSpecial);
        out.insert(out.end(), ids.begin(), ids.end());
    } else {
        // Special tokens are matched whole first (user-defined always, control ones when parsing
        // special text), the longest first; every piece of text between them is encoded with
        // SentencePiece's dummy prefix.
        std::vector<std::pair<std::string_view, int>> special;
        for (size_t i = 0; i < m_types.size(); ++i)
            if ((m_types[i] == 4 || (parseSpecial && m_types[i] == 3)) && !m_pieces[i].empty())
                special.emplace_back(m_pieces[i], int(i));
        const std::vector<TextFragment> frags = splitSpecial(text, std::move(special));
        for (const TextFragment& f : frags) {
            if (f.id >= 0) {
                out.push_back(f.id);
            } else {
                const std::vector<int> ids = encode(f.text, false, false);
                out.insert(out.end(), ids.begin(), ids.end());
            }
        }
    }
    if (addSpecial && m_addEos && m_eos >= 0) out.push_back(m_eos);
    return out;
}

void Tokenizer::buildIndex() {
    m_index.clear();
    m_index.reserve(m_pieces.size());
    m_maxPieceLen = 0;
    for (size_t i = 0; i < m_pieces.size(); ++i) {
        m_index.emplace(m_pieces[i], static_cast<int>(i));  // a duplicate keeps the first id
        m_maxPieceLen = std::max(m_maxPieceLen, m_pieces[i].size());
    }
    // llama2.c hard-codes 3 (after unk, bos, eos); a vocabulary laid out otherwise says where.
    const int zero = lookup("<0x00>");
    m_byteBase = zero >= 0 ? zero : 3;
}

int Tokenizer::lookup(std::string_view piece) const {
    auto it = m_index.find(piece);
    return it == m_index.end() ? -1 : it->second;
}

// Byte fallback: <0xXX> has id byte + 3. A vocabulary without byte tokens gets unk instead.
int Tokenizer::byteToken(unsigned char byte) const {
    const int id = m_byteBase + byte;
    return id < vocabSize() ? id : m_unk;
}

std::vector<int> Tokenizer::encode(std::string_view text, bool bos, bool eos) const {
    if (m_bpe || m_wpm || m_ugm) {
        std::vector<int> ids;
        if (bos && m_bos >= 0) ids.push_back(m_bos);
        const std::vector<int> body = m_bpe   ? m_bpe->encode(text, false)
                                      : m_wpm ? m_wpm->encode(text, false)
                                              : m_ugm->encode(text, false);
        ids.insert(ids.end(), body.begin(), body.end());
        if (eos && m_eos >= 0) ids.push_back(m_eos);
        return ids;
    }
    // 1. The initial symbols: BOS, the dummy prefix " ", then one token per UTF-8 code point
    //    (or per byte when the code point is not in the vocabulary).
    std::vector<int> ids;
    ids.reserve(text.size() + 3);
    if (bos) ids.push_back(m_bos);
    if (!text.empty()) {
        const int space = lookup(" ");
        ids.push_back(space >= 0 ? space : byteToken(' '));
    }
    for (size_t i = 0; i < text.size();) {
        // A code point: this byte and up to 3 continuation bytes (10xxxxxx), as llama2.c
        // groups them; malformed UTF-8 simply ends up as bytes.
        size_t len = 1;
        while (len < 4 && i + len < text.size() &&
               (static_cast<unsigned char>(text[i + len]) & 0xC0) == 0x80)
            ++len;
        const std::string_view cp = text.substr(i, len);
        if (const int id = lookup(cp); id >= 0) {
            ids.push_back(id);
        } else {
            for (char c : cp) ids.push_back(byteToken(static_cast<unsigned char>(c)));
        }
        i += len;
    }

    // 2. Merges. llama2.c repeatedly scans all adjacent pairs and merges the best one
    //    (O(n^2) lookups). Here the symbols form a linked list and every adjacent pair sits in
    //    a heap; entries whose halves changed since they were queued are skipped when popped.
    //    The heap top is then always the pair llama2.c's scan would pick.
    const int n = static_cast<int>(ids.size());
    std::vector<Symbol> sym(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
        sym[static_cast<size_t>(i)] = {ids[static_cast<size_t>(i)], i - 1, i + 1 < n ? i + 1 : -1};
    }
    std::priority_queue<Candidate, std::vector<Candidate>, CandidateOrder> heap;
    std::string joined;
    joined.reserve(2 * m_maxPieceLen);
    auto queuePair = [&](int left, int right) {
        const int a = sym[static_cast<size_t>(left)].id;
        const int b = sym[static_cast<size_t>(right)].id;
        const std::string& pa = m_pieces[static_cast<size_t>(a)];
        const std::string& pb = m_pieces[static_cast<size_t>(b)];
        if (pa.size() + pb.size() > m_maxPieceLen) return;
        joined.assign(pa).append(pb);
        const int merged = lookup(joined);
        if (merged < 0) return;
        const float s = m_scores[static_cast<size_t>(merged)];
        if (!(s > kNoMerge)) return;
        heap.push({s, left, right, a, b, merged});
    };
    for (int i = 0; i + 1 < n; ++i) queuePair(i, i + 1);

    while (!heap.empty()) {
        const Candidate c = heap.top();
        heap.pop();
        Symbol& l = sym[static_cast<size_t>(c.left)];
        Symbol& r = sym[static_cast<size_t>(c.right)];
        if (l.id != c.leftId || l.next != c.right || r.id != c.rightId) continue;  // stale
        l.id = c.mergedId;
        l.next = r.next;
        if (r.next >= 0) sym[static_cast<size_t>(r.next)].prev = c.left;
        r.id = -1;
        if (l.prev >= 0) queuePair(l.prev, c.left);
        if (l.next >= 0) queuePair(c.left, l.next);
    }

    // 3. Read the surviving symbols left to right (symbol 0 is never merged away).
    ids.clear();
    for (int i = n > 0 ? 0 : -1; i >= 0; i = sym[static_cast<size_t>(i)].next)
        ids.push_back(sym[static_cast<size_t>(i)].id);
    if (eos) ids.push_back(m_eos);
    return ids;
}

std::string Tokenizer::decode(int prevToken, int token) const {
    if (token < 0 || token >= vocabSize()) {
        throw Error("decode: token id " + std::to_string(token) + " is outside the vocabulary (0.." +
                    std::to_string(vocabSize() - 1) + ")");
    }
    if (m_bpe) return m_pieces[static_cast<size_t>(token)];  // the bytes the token stands for
    std::string_view p = m_pieces[static_cast<size_t>(token)];
    // After BOS, SentencePiece's dummy leading space is not part of the text.
    if (prevToken == m_bos && !p.empty() && p.front() == ' ') p.remove_prefix(1);
    // A byte token "<0xXX>" stands for that raw byte.
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    if (p.size() == 6 && p.substr(0, 3) == "<0x" && p[5] == '>' && hex(p[3]) >= 0 &&
        hex(p[4]) >= 0) {
        return std::string(1, static_cast<char>(hex(p[3]) * 16 + hex(p[4])));
    }
    return std::string(p);
}

std::string Tokenizer::decodeAll(const std::vector<int>& ids) const {
    std::string out;
    int prev = m_bos;
    for (int id : ids) {
        if (id != m_bos && id != m_eos) out += decode(prev, id);
        prev = id;
    }
    return out;
}

}  // namespace anatomy
