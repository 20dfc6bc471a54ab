#include "io/bpe.h"

#include <unicode/regex.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <limits>
#include <map>

#include "anatomy/error.h"

namespace anatomy {

namespace {

// llama.cpp's pre-tokenizer expressions by tokenizer.ggml.pre (src/llama-vocab.cpp), applied in
// order. The GPT-2 expression: contractions, letters, digits, other symbols (each with at most
// one leading space), and whitespace not followed by a non-space.
const char* const kGpt2 = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S))";
const char* const kLlama3 =
    R"((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
const char* const kQwen2 =
    R"((?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

struct PreTokenizer {
    std::vector<std::string> names;
    std::vector<std::string> expressions;
    bool ignoreMerges = false;
};

const std::vector<PreTokenizer>& preTokenizers() {
    static const std::vector<PreTokenizer> table = {
        {{"default", ""}, {R"([\p{P}\$\+<=>\^~\|]+)", kGpt2, R"(\p{N}+)", "[0-9][0-9][0-9]"}},
        {{"gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v1-en", "jina-v2-es", "jina-v2-de",
          "jina-v2-code", "roberta-bpe", "mpt", "olmo", "jais"},
         {kGpt2}},
        {{"llama3", "llama-v3", "llama-bpe", "falcon3", "dbrx", "smaug-bpe"}, {kLlama3}, true},
        {{"qwen2", "deepseek-r1-qwen", "stablelm2", "megrez"}, {kQwen2}},
        {{"falcon"}, {R"([\p{P}\$\+<=>\^~\|]+)", kGpt2, "[0-9][0-9][0-9]"}},
        {{"starcoder", "refact", "command-r", "smollm", "codeshell", "exaone", "minerva-7b"},
         {R"(\p{N})", kGpt2}},
        {{"deepseek-coder"}, {"[\r\n]", R"(\s?\p{L}+)", R"(\s?\p{P}+)", "[一-龥ࠀ-一가-퟿]+", R"(\p{N})"}},
        {{"deepseek-llm"},
         {"[\r\n]",
          R"(\s?[A-Za-zµÀ-ÖØ-öø-ƺƼ-ƿǄ-ʓʕ-ʯͰ-ͳͶͷͻ-ͽͿΆΈ-ΊΌΎ-ΡΣ-ϵϷ-ҁҊ-ԯԱ-ՖႠ-ჅᎠ-Ᏽᏸ-ᏽᲐ-ᲺᲽ-Ჿᴀ-ᴫᵫ-ᵷᵹ-ᶚḀ-ἕἘ-Ἕἠ-ὅὈ-Ὅὐ-ὗὙὛὝὟ-ώᾀ-ᾴᾶ-ᾼιῂ-ῄῆ-ῌῐ-ΐῖ-Ίῠ-Ῥῲ-ῴῶ-ῼℂℇℊ-ℓℕℙ-ℝℤΩℨK-ℭℯ-ℴℹℼ-ℿⅅ-ⅉⅎↃↄⰀ-ⱻⱾ-ⳤⳫ-ⳮⳲⳳꙀ-ꙭꚀ-ꚛꜢ-ꝯꝱ-ꞇꞋ-ꞎꭰ-ꮿﬀ-ﬆﬓ-ﬗＡ-Ｚａ-ｚ𐐀-𐑏𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃]+)",
          R"(\s?[!-/:-~！-／：-～‘-‟　-。]+)", R"(\s+$)", "[一-龥ࠀ-一가-퟿]+", R"(\p{N}+)"}},
        {{"chatglm-bpe"}, {kLlama3}},
        {{"poro-chat", "bloom", "gpt3-finnish"}, {R"( ?[^(\s|.,!?…。，、।۔،)]+)"}},
        {{"viking"}, {R"( ?[^(\s|.,!?…。，、।۔،)]+)", R"(\p{N})"}},
    };
    return table;
}

size_t utf8Length(unsigned char c) {
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) return 2;
    if ((c & 0xF0) == 0xE0) return 3;
    if ((c & 0xF8) == 0xF0) return 4;
    return 1;
}

std::string utf8Of(uint32_t cp) {
    std::string s;
    if (cp < 0x80) s += char(cp);
    else if (cp < 0x800) { s += char(0xC0 | (cp >> 6)); s += char(0x80 | (cp & 0x3F)); }
    else { s += char(0xE0 | (cp >> 12)); s += char(0x80 | ((cp >> 6) & 0x3F)); s += char(0x80 | (cp & 0x3F)); }
    return s;
}

}  // namespace

struct BytePairEncoder::Regexes {
    std::vector<std::unique_ptr<icu::RegexPattern>> patterns;
};

std::vector<std::string> BytePairEncoder::knownPreTokenizers() {
    std::vector<std::string> out;
    for (const auto& p : preTokenizers())
        for (const auto& n : p.names)
            if (!n.empty()) out.push_back(n);
    return out;
}

BytePairEncoder::BytePairEncoder(const std::vector<std::string>& pieces, const std::vector<int>& types,
                                 const std::vector<std::string>& merges, const std::string& pre)
    : m_pieces(pieces), m_types(types), m_pre(pre.empty() ? "default" : pre), m_regexes(new Regexes) {
    const PreTokenizer* chosen = nullptr;
    for (const auto& p : preTokenizers())
        if (std::find(p.names.begin(), p.names.end(), m_pre) != p.names.end()) chosen = &p;
    if (!chosen) {
        std::string known;
        for (const auto& n : knownPreTokenizers()) known += (known.empty() ? "" : ", ") + n;
        throw Error("tokenizer.ggml.pre: expected one of " + known + ", got \"" + printable(pre) + "\"");
    }
    m_ignoreMerges = chosen->ignoreMerges;
    for (const std::string& e : chosen->expressions) {
        UErrorCode status = U_ZERO_ERROR;
        UParseError perr;
        std::unique_ptr<icu::RegexPattern> p(
            icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(e), 0, perr, status));
        if (U_FAILURE(status)) throw Error("pre-tokenizer " + m_pre + ": bad expression " + e);
        m_regexes->patterns.push_back(std::move(p));
    }
    // GPT-2's byte alphabet: printable Latin-1 bytes stand for themselves, the other 68 bytes
    // take the code points 256, 257, ... in byte order.
    uint32_t next = 256;
    for (int b = 0; b < 256; ++b) {
        const bool printableByte = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
        m_byteToSymbol[b] = utf8Of(printableByte ? uint32_t(b) : next++);
        m_symbolToByte[m_byteToSymbol[b]] = static_cast<unsigned char>(b);
    }
    m_index.reserve(pieces.size());
    for (size_t i = 0; i < pieces.size(); ++i) m_index.emplace(pieces[i], int(i));
    m_mergeRank.reserve(merges.size());
    for (size_t i = 0; i < merges.size(); ++i) m_mergeRank.emplace(merges[i], int(i));
    // Special tokens are split out before the pre-tokenizer, the longest first.
    for (size_t i = 0; i < types.size() && i < pieces.size(); ++i)
        if ((types[i] == 3 || types[i] == 4) && !pieces[i].empty()) m_special.emplace_back(pieces[i], int(i));
    std::stable_sort(m_special.begin(), m_special.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

BytePairEncoder::~BytePairEncoder() = default;

std::vector<int> BytePairEncoder::encode(std::string_view text, bool parseSpecial) const {
    // 1. Fragments: raw text, or a special token (id >= 0).
    struct Fragment {
        std::string text;
        int id = -1;
    };
    std::vector<Fragment> frags{{std::string(text), -1}};
    for (const auto& [special, id] : m_special) {
        if (m_types[size_t(id)] == 3 && !parseSpecial) continue;  // control tokens: only when parsing special text
        std::vector<Fragment> next;
        for (Fragment& f : frags) {
            if (f.id >= 0) {
                next.push_back(std::move(f));
                continue;
            }
            size_t at = 0;
            while (true) {
                const size_t hit = f.text.find(special, at);
                if (hit == std::string::npos) break;
                if (hit > at) next.push_back({f.text.substr(at, hit - at), -1});
                next.push_back({special, id});
                at = hit + special.size();
            }
            if (at < f.text.size()) next.push_back({f.text.substr(at), -1});
        }
        frags = std::move(next);
    }
    std::vector<int> out;
    for (const Fragment& f : frags) {
        if (f.id >= 0) {
            out.push_back(f.id);
            continue;
        }
        // 2. Pre-tokenizer: each expression splits every fragment left by the one before.
        const icu::UnicodeString u = icu::UnicodeString::fromUTF8(f.text);
        std::vector<std::pair<int32_t, int32_t>> spans{{0, u.length()}};  // UTF-16 [begin, end)
        for (const auto& pattern : m_regexes->patterns) {
            std::vector<std::pair<int32_t, int32_t>> next;
            UErrorCode status = U_ZERO_ERROR;
            std::unique_ptr<icu::RegexMatcher> m(pattern->matcher(u, status));
            for (auto [b, e] : spans) {
                if (b == e) continue;
                m->region(b, e, status);  // opaque bounds: look-ahead stops at the fragment's end
                int32_t at = b;
                while (m->find(status) && U_SUCCESS(status)) {
                    const int32_t s = m->start(status), t = m->end(status);
                    if (t == s) continue;
                    if (s > at) next.emplace_back(at, s);
                    next.emplace_back(s, t);
                    at = t;
                }
                if (at < e) next.emplace_back(at, e);
            }
            spans = std::move(next);
        }
        // 3. Byte-level BPE on each word.
        for (auto [b, e] : spans) {
            std::string word;
            u.tempSubStringBetween(b, e).toUTF8String(word);
            encodeFragment(word, out);
        }
    }
    return out;
}

void BytePairEncoder::encodeFragment(const std::string& utf8, std::vector<int>& out) const {
    std::string encoded;
    for (unsigned char c : utf8) encoded += m_byteToSymbol[c];
    if (m_ignoreMerges) {
        if (auto it = m_index.find(encoded); it != m_index.end()) {
            out.push_back(it->second);
            return;
        }
    }
    std::vector<std::string> symbols;  // code points of the encoded word
    for (size_t i = 0; i < encoded.size();) {
        const size_t n = std::min(utf8Length(static_cast<unsigned char>(encoded[i])), encoded.size() - i);
        symbols.push_back(encoded.substr(i, n));
        i += n;
    }
    // Merge the adjacent pair with the lowest rank, leftmost first, until none is in the list.
    while (symbols.size() > 1) {
        int best = std::numeric_limits<int>::max();
        size_t where = 0;
        for (size_t i = 0; i + 1 < symbols.size(); ++i) {
            auto it = m_mergeRank.find(symbols[i] + " " + symbols[i + 1]);
            if (it != m_mergeRank.end() && it->second < best) {
                best = it->second;
                where = i;
            }
        }
        if (best == std::numeric_limits<int>::max()) break;
        symbols[where] += symbols[where + 1];
        symbols.erase(symbols.begin() + std::ptrdiff_t(where) + 1);
    }
    for (const std::string& s : symbols) {
        if (auto it = m_index.find(s); it != m_index.end()) {
            out.push_back(it->second);
            continue;
        }
        // Not a token: its bytes, one symbol each, where the vocabulary has them.
        for (size_t i = 0; i < s.size();) {
            const size_t n = std::min(utf8Length(static_cast<unsigned char>(s[i])), s.size() - i);
            if (auto it = m_index.find(s.substr(i, n)); it != m_index.end()) out.push_back(it->second);
            i += n;
        }
    }
}

std::string BytePairEncoder::bytesOf(int id) const {
    const std::string& p = m_pieces.at(size_t(id));
    if (!m_types.empty() && (m_types[size_t(id)] == 3 || m_types[size_t(id)] == 4)) return p;
    std::string out;
    for (size_t i = 0; i < p.size();) {
        const size_t n = std::min(utf8Length(static_cast<unsigned char>(p[i])), p.size() - i);
        auto it = m_symbolToByte.find(p.substr(i, n));
        if (it != m_symbolToByte.end()) out += char(it->second);
        else out += p.substr(i, n);
        i += n;
    }
    return out;
}

}  // namespace anatomy
