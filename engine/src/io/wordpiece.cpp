#include "io/wordpiece.h"

#include "io/special_split.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>

#include "anatomy/error.h"

namespace anatomy {

namespace {

const std::string kWordStart = "\xE2\x96\x81";  // U+2581, the GGUF vocabulary's word-start mark
constexpr int kMaxWordChars = 100;               // BertTokenizer's max_input_chars_per_word

// BERT's CJK ideograph blocks (the original tokenizer's _is_chinese_char).
bool isCjk(UChar32 c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF) ||
           (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

bool isWhitespace(UChar32 c) { return c == '\t' || c == '\n' || c == '\r' || u_isUWhiteSpace(c); }

// Control: general category C* except the three whitespace controls.
bool isControl(UChar32 c) {
    if (c == '\t' || c == '\n' || c == '\r') return false;
    return (U_GET_GC_MASK(c) & U_GC_C_MASK) != 0;
}

bool isPunctuation(UChar32 c) {
    if (c < 0x80) return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
    return (U_GET_GC_MASK(c) & U_GC_P_MASK) != 0;
}

std::string toUtf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

}  // namespace

WordPieceEncoder::WordPieceEncoder(const std::vector<std::string>& pieces, const std::vector<int>& types, int unkId)
    : m_unk(unkId) {
    if (unkId < 0 || unkId >= int(pieces.size()))
        throw Error("WordPiece vocabulary: the unknown-token id " + std::to_string(unkId) + " is not a token");
    m_index.reserve(pieces.size());
    for (size_t i = 0; i < pieces.size(); ++i) {
        m_index.emplace(pieces[i], int(i));  // a duplicate keeps the first id
        m_maxPieceLen = std::max(m_maxPieceLen, pieces[i].size());
        if (i < types.size() && types[i] == 3 && !pieces[i].empty()) m_special.emplace_back(pieces[i], int(i));
    }
}

std::vector<std::string> WordPieceEncoder::words(std::string_view text) {
    // 2. Clean (drop NUL, U+FFFD and controls; whitespace -> ' '), CJK ideographs padded with
    //    spaces, then NFD with combining marks dropped, then lower case.
    const icu::UnicodeString in = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), int32_t(text.size())));
    icu::UnicodeString cleaned;
    for (int32_t i = 0; i < in.length(); i = in.moveIndex32(i, 1)) {
        const UChar32 c = in.char32At(i);
        if (c == 0 || c == 0xFFFD || isControl(c)) continue;
        if (isWhitespace(c)) {
            cleaned.append(UChar32(' '));
        } else if (isCjk(c)) {
            cleaned.append(UChar32(' ')).append(c).append(UChar32(' '));
        } else {
            cleaned.append(c);
        }
    }
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status)) throw Error(std::string("WordPiece: ICU has no NFD normaliser: ") + u_errorName(status));
    const icu::UnicodeString decomposed = nfd->normalize(cleaned, status);
    if (U_FAILURE(status)) throw Error(std::string("WordPiece: NFD normalisation failed: ") + u_errorName(status));
    icu::UnicodeString stripped;
    for (int32_t i = 0; i < decomposed.length(); i = decomposed.moveIndex32(i, 1)) {
        const UChar32 c = decomposed.char32At(i);
        if (u_charType(c) != U_NON_SPACING_MARK) stripped.append(c);
    }
    stripped.toLower();

    // 3. Split at whitespace; each punctuation character is a word of its own.
    std::vector<std::string> out;
    icu::UnicodeString word;
    auto flush = [&] {
        if (!word.isEmpty()) out.push_back(toUtf8(word));
        word.remove();
    };
    for (int32_t i = 0; i < stripped.length(); i = stripped.moveIndex32(i, 1)) {
        const UChar32 c = stripped.char32At(i);
        if (isWhitespace(c)) {
            flush();
        } else if (isPunctuation(c)) {
            flush();
            word.append(c);
            flush();
        } else {
            word.append(c);
        }
    }
    flush();
    return out;
}

void WordPieceEncoder::encodeWord(const std::string& word, std::vector<int>& out) const {
    // Code point boundaries of the word (byte offsets), so pieces never split a character.
    std::vector<size_t> bounds;
    for (size_t i = 0; i < word.size(); ++i)
        if ((static_cast<unsigned char>(word[i]) & 0xC0) != 0x80) bounds.push_back(i);
    bounds.push_back(word.size());
    if (int(bounds.size()) - 1 > kMaxWordChars) {
        out.push_back(m_unk);
        return;
    }
    const size_t mark = out.size();
    std::string candidate;
    for (size_t start = 0; start + 1 < bounds.size();) {
        // 4. The longest piece from this character on: a word start carries the U+2581 mark.
        int found = -1;
        size_t next = start;
        for (size_t end = bounds.size() - 1; end > start; --end) {
            const size_t bytes = bounds[end] - bounds[start];
            if (bytes + (start == 0 ? kWordStart.size() : 0) > m_maxPieceLen) continue;
            candidate.assign(start == 0 ? kWordStart : std::string());
            candidate.append(word, bounds[start], bytes);
            if (auto it = m_index.find(candidate); it != m_index.end()) {
                found = it->second;
                next = end;
                break;
            }
        }
        if (found < 0) {  // the word cannot be cut into pieces: it is unknown as a whole
            out.resize(mark);
            out.push_back(m_unk);
            return;
        }
        out.push_back(found);
        start = next;
    }
}

std::vector<int> WordPieceEncoder::encode(std::string_view text, bool parseSpecial) const {
    std::vector<int> out;
    // 1. Special tokens first (longest first), then every stretch of text between them.
    const std::vector<TextFragment> frags =
        parseSpecial ? splitSpecial(text, m_special) : std::vector<TextFragment>{{text, -1}};
    for (const TextFragment& f : frags) {
        if (f.id >= 0) {
            out.push_back(f.id);
            continue;
        }
        for (const std::string& w : words(f.text)) encodeWord(w, out);
    }
    return out;
}

}  // namespace anatomy
