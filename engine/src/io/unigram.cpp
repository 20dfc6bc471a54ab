#include "io/unigram.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "anatomy/error.h"
#include "anatomy/printable.h"
#include "io/mapped_file.h"
#include "io/special_split.h"

namespace anatomy {

namespace {

const std::string kSpaceMark = "\xE2\x96\x81";  // U+2581
constexpr float kUnkPenalty = 10.0f;            // SentencePiece: unknown = min score - 10
constexpr int kTypeNormal = 1, kTypeUnknown = 2, kTypeControl = 3, kTypeUserDefined = 4, kTypeUnused = 5,
              kTypeByte = 6;

// ---- a minimal protobuf reader (wire format: varint keys, 4 wire types) ----

class ProtoReader {
public:
    ProtoReader(const uint8_t* p, size_t n, std::string source) : m_p(p), m_end(p + n), m_source(std::move(source)) {}
    bool done() const { return m_p >= m_end; }
    // Next field: (number, wire type).
    std::pair<uint32_t, uint32_t> key() {
        const uint64_t k = varint("field key");
        if ((k >> 3) == 0 || (k >> 3) > (uint64_t(1) << 29)) fail("field key", "a field number 1..2^29", std::to_string(k >> 3));
        return {uint32_t(k >> 3), uint32_t(k & 7)};
    }
    uint64_t varint(const char* what) {
        uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_p >= m_end) fail(what, "a complete varint", "the end of the file");
            const uint8_t b = *m_p++;
            v |= uint64_t(b & 0x7F) << shift;
            if (!(b & 0x80)) return v;
        }
        fail(what, "a varint of at most 10 bytes", "a longer one");
    }
    float fixed32f(const char* what) {
        need(4, what);
        float f;
        std::memcpy(&f, m_p, 4);  // little-endian hosts only (x86-64)
        m_p += 4;
        return f;
    }
    std::string_view bytes(const char* what) {
        const uint64_t n = varint(what);
        need(n, what);
        std::string_view s(reinterpret_cast<const char*>(m_p), size_t(n));
        m_p += n;
        return s;
    }
    void skip(uint32_t wire, const char* what) {
        switch (wire) {
            case 0: varint(what); break;
            case 1: need(8, what); m_p += 8; break;
            case 2: bytes(what); break;
            case 5: need(4, what); m_p += 4; break;
            default: fail(what, "a protobuf wire type 0, 1, 2 or 5", std::to_string(wire));
        }
    }
    [[noreturn]] void fail(const std::string& field, const std::string& expected, const std::string& actual) const {
        throw FormatError(m_source, field, expected, actual);
    }
    const std::string& source() const { return m_source; }

private:
    void need(uint64_t n, const char* what) const {
        if (n > uint64_t(m_end - m_p))
            fail(what, std::to_string(n) + " more bytes", std::to_string(m_end - m_p) + " left in the message");
    }
    const uint8_t* m_p;
    const uint8_t* m_end;
    std::string m_source;
};

size_t utf8Length(std::string_view s) {
    // Length of a well-formed UTF-8 sequence at the start of s, or 0 when malformed.
    const auto c = static_cast<unsigned char>(s[0]);
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || n > s.size()) return 0;
    for (size_t i = 1; i < n; ++i)
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return 0;
    if (n == 2 && c < 0xC2) return 0;  // overlong
    return n;
}

}  // namespace

UnigramSpec readSentencePieceModel(const std::string& path) {
    const MappedFile file(path, MappedFile::Huge::Never);
    if (file.size() > (size_t(256) << 20))
        throw FormatError(path, "file size", "a SentencePiece model under 256 MB", std::to_string(file.size()) + " bytes");
    UnigramSpec spec;
    int modelType = 1;  // UNIGRAM unless the trainer spec says otherwise
    ProtoReader top(file.data(), file.size(), path);
    while (!top.done()) {
        const auto [field, wire] = top.key();
        if (field == 1 && wire == 2) {  // repeated SentencePiece pieces
            const std::string_view msg = top.bytes("pieces");
            ProtoReader p(reinterpret_cast<const uint8_t*>(msg.data()), msg.size(), path);
            std::string piece;
            float score = 0.0f;
            int type = kTypeNormal;
            while (!p.done()) {
                const auto [f, w] = p.key();
                if (f == 1 && w == 2) piece = std::string(p.bytes("piece"));
                else if (f == 2 && w == 5) score = p.fixed32f("score");
                else if (f == 3 && w == 0) type = int(p.varint("type"));
                else p.skip(w, "piece field");
            }
            if (type < 1 || type > 6)
                top.fail("pieces[" + std::to_string(spec.pieces.size()) + "].type", "1..6", std::to_string(type));
            spec.pieces.push_back(std::move(piece));
            spec.scores.push_back(score);
            spec.types.push_back(type);
            if (spec.pieces.size() > (size_t(1) << 21)) top.fail("pieces", "at most 2097152 pieces", "more");
        } else if (field == 2 && wire == 2) {  // TrainerSpec
            const std::string_view msg = top.bytes("trainer_spec");
            ProtoReader t(reinterpret_cast<const uint8_t*>(msg.data()), msg.size(), path);
            while (!t.done()) {
                const auto [f, w] = t.key();
                auto id = [&](const char* name) {
                    const int64_t v = int64_t(t.varint(name));
                    return int(std::clamp<int64_t>(int32_t(uint32_t(v)), -1, std::numeric_limits<int>::max()));
                };
                if (f == 3 && w == 0) modelType = int(t.varint("trainer_spec.model_type"));
                else if (f == 35 && w == 0) spec.byteFallback = t.varint("trainer_spec.byte_fallback") != 0;
                else if (f == 40 && w == 0) spec.unk = id("trainer_spec.unk_id");
                else if (f == 41 && w == 0) spec.bos = id("trainer_spec.bos_id");
                else if (f == 42 && w == 0) spec.eos = id("trainer_spec.eos_id");
                else if (f == 43 && w == 0) spec.pad = id("trainer_spec.pad_id");
                else t.skip(w, "trainer_spec field");
            }
        } else if (field == 3 && wire == 2) {  // NormalizerSpec
            const std::string_view msg = top.bytes("normalizer_spec");
            ProtoReader n(reinterpret_cast<const uint8_t*>(msg.data()), msg.size(), path);
            while (!n.done()) {
                const auto [f, w] = n.key();
                if (f == 2 && w == 2) spec.charsmap = std::string(n.bytes("normalizer_spec.precompiled_charsmap"));
                else if (f == 3 && w == 0) spec.addDummyPrefix = n.varint("normalizer_spec.add_dummy_prefix") != 0;
                else if (f == 4 && w == 0) spec.removeExtraWhitespaces = n.varint("normalizer_spec.remove_extra_whitespaces") != 0;
                else if (f == 5 && w == 0) spec.escapeWhitespaces = n.varint("normalizer_spec.escape_whitespaces") != 0;
                else n.skip(w, "normalizer_spec field");
            }
        } else {
            top.skip(wire, "model field");
        }
    }
    if (spec.pieces.empty()) top.fail("pieces", "at least 1 piece (is this a SentencePiece .model file?)", "none");
    if (modelType != 1)
        top.fail("trainer_spec.model_type", "1 (unigram)",
                 std::to_string(modelType) + (modelType == 2 ? " (BPE: use the llama2.c or GGUF vocabulary)" : ""));
    return spec;
}

UnigramEncoder::UnigramEncoder(const UnigramSpec& spec) : m_spec(spec) {
    const int n = int(m_spec.pieces.size());
    const std::string source = "unigram vocabulary";
    if (n == 0) throw FormatError(source, "pieces", "at least 1 piece", "0");
    if (int(m_spec.scores.size()) != n) throw FormatError(source, "scores", std::to_string(n) + " scores", std::to_string(m_spec.scores.size()));
    if (m_spec.types.empty()) m_spec.types.assign(size_t(n), kTypeNormal);
    if (int(m_spec.types.size()) != n) throw FormatError(source, "token types", std::to_string(n) + " types", std::to_string(m_spec.types.size()));
    if (m_spec.unk < 0 || m_spec.unk >= n) throw FormatError(source, "unk_id", "a piece id below " + std::to_string(n), std::to_string(m_spec.unk));
    for (auto [name, id] : {std::pair{"bos_id", m_spec.bos}, std::pair{"eos_id", m_spec.eos}, std::pair{"pad_id", m_spec.pad}})
        if (id < -1 || id >= n) throw FormatError(source, name, "-1 (none) or a piece id below " + std::to_string(n), std::to_string(id));

    float minScore = std::numeric_limits<float>::max();
    m_maxScore = std::numeric_limits<float>::min();
    bool anyNormal = false;
    for (int i = 0; i < n; ++i) {
        const std::string& p = m_spec.pieces[size_t(i)];
        const int t = m_spec.types[size_t(i)];
        if (!std::isfinite(m_spec.scores[size_t(i)]))
            throw FormatError(source, "pieces[" + std::to_string(i) + "].score", "a finite number", "not finite");
        if (t == kTypeNormal) {
            anyNormal = true;
            minScore = std::min(minScore, m_spec.scores[size_t(i)]);
            m_maxScore = std::max(m_maxScore, m_spec.scores[size_t(i)]);
        }
        // The lattice holds normal, user-defined and unused pieces (unused ones are never chosen).
        if ((t == kTypeNormal || t == kTypeUserDefined || t == kTypeUnused) && !p.empty()) {
            m_index.emplace(p, i);
            m_maxPieceLen = std::max(m_maxPieceLen, p.size());
        }
        if ((t == kTypeControl || t == kTypeUserDefined) && !p.empty()) m_special.emplace_back(p, i);
    }
    m_unkScore = (anyNormal ? minScore : 0.0f) - kUnkPenalty;
    if (m_spec.byteFallback) {
        for (int i = 0; i < n; ++i)
            if (m_spec.pieces[size_t(i)] == "<0x00>") m_byteBase = i;
        if (m_byteBase < 0 || m_byteBase + 255 >= n)
            throw FormatError(source, "byte_fallback", "the 256 pieces <0x00>..<0xFF>", "none");
    }

    // The charsmap: u32 trie size | double array (u32 units) | NUL-separated replacements.
    if (!m_spec.charsmap.empty()) {
        const std::string& b = m_spec.charsmap;
        uint32_t trieBytes = 0;
        if (b.size() <= 4) throw FormatError(source, "precompiled_charsmap", "a trie size and a trie", std::to_string(b.size()) + " bytes");
        std::memcpy(&trieBytes, b.data(), 4);
        if (trieBytes % 4 != 0 || trieBytes == 0 || trieBytes > b.size() - 4)
            throw FormatError(source, "precompiled_charsmap", "a trie of whole 4-byte units inside the blob",
                              std::to_string(trieBytes) + " trie bytes in a blob of " + std::to_string(b.size()));
        m_trie.resize(trieBytes / 4);
        std::memcpy(m_trie.data(), b.data() + 4, trieBytes);
        m_replacements = std::string_view(m_spec.charsmap).substr(4 + trieBytes);
    }
}

std::pair<std::string_view, size_t> UnigramEncoder::rule(std::string_view s) const {
    // Double-array common-prefix search (darts-clone's unit layout): every bound is checked, so a
    // damaged map answers "no rule" instead of reading outside it.
    if (m_trie.empty() || s.empty()) return {{}, 0};
    auto offset = [](uint32_t u) { return (u >> 10) << ((u & (1u << 9)) >> 6); };
    auto label = [](uint32_t u) { return u & ((1u << 31) | 0xFFu); };
    auto hasLeaf = [](uint32_t u) { return ((u >> 8) & 1u) == 1u; };
    auto value = [](uint32_t u) { return u & ((1u << 31) - 1); };
    size_t bestLen = 0;
    uint32_t bestValue = 0;
    size_t node = offset(m_trie[0]);
    for (size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        node ^= c;
        if (node >= m_trie.size()) break;
        const uint32_t unit = m_trie[node];
        if (label(unit) != c) break;
        node ^= offset(unit);
        if (node >= m_trie.size()) break;
        if (hasLeaf(unit)) {
            bestLen = i + 1;
            bestValue = value(m_trie[node]);
        }
    }
    if (bestLen == 0 || bestValue >= m_replacements.size()) return {{}, 0};
    std::string_view rest = m_replacements.substr(bestValue);
    return {rest.substr(0, rest.find('\0')), bestLen};
}

std::string UnigramEncoder::normalize(std::string_view input) const {
    static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
    // One step: the longest rule, else one UTF-8 character (U+FFFD for one malformed byte).
    auto step = [&](std::string_view s) -> std::pair<std::string_view, size_t> {
        if (auto r = rule(s); r.second > 0) return r;
        const size_t len = utf8Length(s);
        return len == 0 ? std::pair{kReplacement, size_t(1)} : std::pair{s.substr(0, len), len};
    };
    std::string out;
    if (m_spec.removeExtraWhitespaces) {
        while (!input.empty()) {
            const auto [text, used] = step(input);
            if (text != " ") break;
            input.remove_prefix(used);
        }
    }
    if (input.empty()) return out;
    const std::string space = m_spec.escapeWhitespaces ? kSpaceMark : " ";
    if (m_spec.addDummyPrefix) out += space;
    bool prevSpace = m_spec.removeExtraWhitespaces;
    while (!input.empty()) {
        auto [text, used] = step(input);
        while (prevSpace && !text.empty() && text.front() == ' ') text.remove_prefix(1);
        if (!text.empty()) {
            for (char c : text) {
                if (c == ' ' && m_spec.escapeWhitespaces) out += kSpaceMark;
                else out += c;
            }
            prevSpace = text.back() == ' ';
        }
        input.remove_prefix(used);
        if (!m_spec.removeExtraWhitespaces) prevSpace = false;
    }
    if (m_spec.removeExtraWhitespaces)
        while (out.size() >= space.size() && out.compare(out.size() - space.size(), space.size(), space) == 0)
            out.resize(out.size() - space.size());
    return out;
}

void UnigramEncoder::encodeNormalized(std::string_view s, std::vector<int>& out) const {
    if (s.empty()) return;
    // best[e]: the best segmentation of s[0, e): its score, the start of its last piece, that id.
    struct Best {
        double score = 0.0;
        int start = -1;
        int id = -1;
    };
    const size_t n = s.size();
    std::vector<Best> best(n + 1);
    std::string key;
    for (size_t start = 0; start < n;) {
        if (start > 0 && best[start].start < 0) {  // cannot happen: every character is reachable
            ++start;
            continue;
        }
        const double here = best[start].score;
        const size_t charLen = std::max<size_t>(1, std::min(utf8Length(s.substr(start)), n - start));
        bool single = false;
        const size_t maxLen = std::min(m_maxPieceLen, n - start);
        for (size_t len = 1; len <= maxLen; ++len) {
            key.assign(s.substr(start, len));
            const auto it = m_index.find(key);
            if (it == m_index.end()) continue;
            const int id = it->second;
            const int type = m_spec.types[size_t(id)];
            if (type == kTypeUnused) continue;
            // SentencePiece gives user-defined pieces a bonus so they always win.
            // (SentencePiece's max score starts at FLT_MIN, so with log-probability scores the bonus
            // is about -0.1.)
            const double score = type == kTypeUserDefined ? double(len) * double(m_maxScore) - 0.1
                                                          : double(m_spec.scores[size_t(id)]);
            Best& target = best[start + len];
            if (target.start < 0 || here + score > target.score) target = {here + score, int(start), id};
            if (len == charLen) single = true;
        }
        if (!single) {
            Best& target = best[start + charLen];
            if (target.start < 0 || here + m_unkScore > target.score) target = {here + m_unkScore, int(start), m_spec.unk};
        }
        start += charLen;
    }
    // Backtrack, then merge runs of unknown characters (or spell them as bytes).
    std::vector<std::pair<size_t, size_t>> spans;  // (start, end) per piece
    std::vector<int> ids;
    for (size_t e = n; e > 0;) {
        const Best& b = best[e];
        spans.emplace_back(size_t(b.start), e);
        ids.push_back(b.id);
        e = size_t(b.start);
    }
    std::reverse(spans.begin(), spans.end());
    std::reverse(ids.begin(), ids.end());
    bool prevUnk = false;
    for (size_t i = 0; i < ids.size(); ++i) {
        const bool unk = ids[i] == m_spec.unk;
        if (unk && m_byteBase >= 0) {
            for (size_t k = spans[i].first; k < spans[i].second; ++k)
                out.push_back(m_byteBase + static_cast<unsigned char>(s[k]));
        } else if (!(unk && prevUnk)) {
            out.push_back(ids[i]);
        }
        prevUnk = unk;
    }
}

std::vector<int> UnigramEncoder::encode(std::string_view text, bool parseSpecial) const {
    std::vector<int> out;
    if (!parseSpecial) {
        encodeNormalized(normalize(text), out);
        return out;
    }
    // Control and user-defined tokens' text first (longest first); the text between them is
    // normalised and segmented on its own, as llama.cpp does.
    for (const TextFragment& f : splitSpecial(text, m_special)) {
        if (f.id >= 0) out.push_back(f.id);
        else encodeNormalized(normalize(f.text), out);
    }
    return out;
}

}  // namespace anatomy
