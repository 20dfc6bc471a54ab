// The tokenizer must give the ids llama2.c's encode() gives. A plain quadratic transcription of
// that function lives here as the reference; the engine's heap-based encoder is compared with it.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "anatomy/error.h"
#include "anatomy/tokenizer.h"
#include "test_paths.h"

using anatomy::FormatError;
using anatomy::Tokenizer;

namespace {

// llama2.c's encode(), step for step: rescan every adjacent pair per merge, keep the first pair
// with a strictly higher score than -1e10 and than all pairs before it.
std::vector<int> referenceEncode(const Tokenizer& tok, std::string_view text, bool bos, bool eos) {
    std::vector<int> ids;
    if (bos) ids.push_back(1);
    if (!text.empty()) ids.push_back(tok.lookup(" "));
    for (size_t i = 0; i < text.size();) {
        size_t len = 1;
        while (len < 4 && i + len < text.size() &&
               (static_cast<unsigned char>(text[i + len]) & 0xC0) == 0x80)
            ++len;
        int id = tok.lookup(text.substr(i, len));
        if (id != -1) {
            ids.push_back(id);
        } else {
            for (size_t k = 0; k < len; ++k) ids.push_back(static_cast<unsigned char>(text[i + k]) + 3);
        }
        i += len;
    }
    while (true) {
        float bestScore = -1e10f;
        int bestId = -1;
        size_t bestIdx = 0;
        for (size_t i = 0; i + 1 < ids.size(); ++i) {
            int id = tok.lookup(tok.piece(ids[i]) + tok.piece(ids[i + 1]));
            if (id != -1 && tok.score(id) > bestScore) {
                bestScore = tok.score(id);
                bestId = id;
                bestIdx = i;
            }
        }
        if (bestId == -1) break;
        ids[bestIdx] = bestId;
        ids.erase(ids.begin() + static_cast<std::ptrdiff_t>(bestIdx) + 1);
    }
    if (eos) ids.push_back(2);
    return ids;
}

std::string join(const std::vector<int>& ids) {
    std::string s;
    for (int id : ids) {
        if (!s.empty()) s += ' ';
        s += std::to_string(id);
    }
    return s;
}

std::string readFile(const std::string& path, size_t maxBytes = SIZE_MAX) {
    std::ifstream f(path, std::ios::binary);
    REQUIRE(f.good());
    std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (s.size() > maxBytes) s.resize(maxBytes);
    return s;
}

// A piece written the SentencePiece / GGUF way: spaces as U+2581.
std::string withSpaceMarks(const std::string& piece) {
    std::string out;
    for (char c : piece) out += c == ' ' ? std::string("\xE2\x96\x81") : std::string(1, c);
    return out;
}

Tokenizer tok512() { return Tokenizer::fromLlama2cFile(modelPath("tok512.bin"), 512); }

// A scratch folder for hand-made corrupt fixtures, removed afterwards.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        path = std::filesystem::temp_directory_path() /
               ("anatomy_tok_test_" + std::to_string(::getpid()) + "_" +
                std::to_string(std::random_device{}()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string write(const std::string& name, const std::string& bytes) const {
        std::string p = (path / name).string();
        std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        return p;
    }
};

template <typename T>
void put(std::string& out, T v) {
    char b[sizeof v];
    std::memcpy(b, &v, sizeof v);
    out.append(b, sizeof v);
}

// Loading path with expectedVocab must throw a FormatError naming field; returns its message.
std::string formatErrorOf(const std::string& path, int expectedVocab, const std::string& field) {
    try {
        Tokenizer::fromLlama2cFile(path, expectedVocab);
    } catch (const FormatError& e) {
        INFO("message: " << e.what());
        CHECK(e.field() == field);
        CHECK(std::string(e.what()).find(field) != std::string::npos);
        CHECK(std::string(e.what()).find("expected") != std::string::npos);
        return e.what();
    }
    FAIL("no FormatError for " << path << " (field " << field << ")");
    return {};
}

}  // namespace

TEST_CASE("tokenizer: tok512.bin loads with its special and byte pieces", "[tokenizer]") {
    Tokenizer tok = tok512();
    CHECK(tok.vocabSize() == 512);
    CHECK(tok.piece(1) == "\n<s>\n");
    CHECK(tok.piece(2) == "\n</s>\n");
    CHECK(tok.piece(3 + 0x0A) == "<0x0A>");
    CHECK(tok.lookup("<0x0A>") == 13);
    CHECK(tok.lookup(" ") >= 0);
    CHECK(tok.lookup("no such piece") == -1);
    // expectedVocab 0 reads to the end of the file.
    CHECK(Tokenizer::fromLlama2cFile(modelPath("tok512.bin"), 0).vocabSize() == 512);
}

TEST_CASE("tokenizer: reference cases encode to llama2.c's ids and decode back", "[tokenizer]") {
    Tokenizer tok = tok512();
    CHECK(join(tok.encode("Once upon a time")) == "1 403 407 261 378");

    std::ifstream f(referencePath("tokenizer_cases.tsv"));
    REQUIRE(f.good());
    std::string line;
    int cases = 0;
    bool sawEmpty = false;
    while (std::getline(f, line)) {
        if (line.empty()) continue;
        const size_t tab = line.find('\t');
        REQUIRE(tab != std::string::npos);
        const std::string text = line.substr(0, tab);
        std::vector<int> want;
        std::istringstream ids(line.substr(tab + 1));
        for (int id; ids >> id;) want.push_back(id);
        sawEmpty = sawEmpty || text.empty();

        INFO("text: \"" << text << "\"");
        const std::vector<int> got = tok.encode(text, true, false);
        CHECK(join(got) == join(want));
        CHECK(join(referenceEncode(tok, text, true, false)) == join(want));
        CHECK(tok.decodeAll(got) == text);
        ++cases;
    }
    CHECK(cases >= 5);
    CHECK(sawEmpty);
}

TEST_CASE("tokenizer: BOS, EOS and empty text", "[tokenizer]") {
    Tokenizer tok = tok512();
    CHECK(join(tok.encode("", true, false)) == "1");
    CHECK(join(tok.encode("", false, false)).empty());
    CHECK(join(tok.encode("", true, true)) == "1 2");
    std::vector<int> withEos = tok.encode("Once upon a time", true, true);
    CHECK(join(withEos) == "1 403 407 261 378 2");
    CHECK(tok.decodeAll(withEos) == "Once upon a time");
    // Without BOS the dummy space is still dropped by decodeAll (prev of the first is BOS).
    CHECK(tok.decodeAll(tok.encode("Once upon a time", false, false)) == "Once upon a time");
}

TEST_CASE("tokenizer: decode follows llama2.c", "[tokenizer]") {
    Tokenizer tok = tok512();
    const int once = 403;
    REQUIRE(tok.piece(once).front() == ' ');
    CHECK(tok.decode(1, once) == tok.piece(once).substr(1));  // space dropped after BOS
    CHECK(tok.decode(once, once) == tok.piece(once));
    CHECK(tok.decode(1, 3 + 0x0A) == "\n");                  // <0x0A>
    CHECK(tok.decode(1, 3 + 0xF0) == std::string(1, '\xF0'));
    CHECK(tok.decode(1, 3) == std::string(1, '\0'));
    // Characters outside the vocabulary fall back to bytes and come back whole.
    const std::string cat = "\xF0\x9F\x90\xB1";
    std::vector<int> ids = tok.encode(cat, false, false);
    CHECK(tok.decodeAll(ids) == cat);

    for (int bad : {99999, 512, -1}) {
        INFO("token " << bad);
        CHECK_THROWS_AS(tok.decode(1, bad), anatomy::Error);
        CHECK_THROWS_WITH(tok.decode(1, bad), Catch::Contains(std::to_string(bad)));
    }
    CHECK_THROWS_AS(tok.decodeAll({1, 403, 99999}), anatomy::Error);
}

TEST_CASE("tokenizer: fast encoder equals the quadratic reference on corpus substrings",
          "[tokenizer]") {
    Tokenizer tok = tok512();
    std::mt19937 rng(20240229);
    struct Source {
        std::string name;
        std::string text;
        int samples;
    };
    const std::string corpus = sharedDir() + "/corpus/tinystories/";
    std::vector<Source> sources = {
        {"197K", readFile(corpus + "tinystories_train_head_197K.txt"), 300},
        {"4M lowercase, first 20 KB",
         readFile(corpus + "tinystories_train_head_lowercase_4M.txt", 20000), 200},
    };
    int compared = 0, mismatches = 0;
    for (const Source& src : sources) {
        REQUIRE(src.text.size() > 1000);
        for (int k = 0; k < src.samples; ++k) {
            const size_t len = std::uniform_int_distribution<size_t>(0, 800)(rng);
            const size_t at = std::uniform_int_distribution<size_t>(0, src.text.size() - len)(rng);
            const std::string_view piece = std::string_view(src.text).substr(at, len);
            const bool bos = k % 3 != 0, eos = k % 5 == 0;
            const std::vector<int> fast = tok.encode(piece, bos, eos);
            const std::vector<int> slow = referenceEncode(tok, piece, bos, eos);
            ++compared;
            if (fast != slow) {
                ++mismatches;
                INFO(src.name << " offset " << at << " length " << len << ": \"" << piece << "\"");
                CHECK(join(fast) == join(slow));
            }
        }
    }
    std::cout << "tokenizer: " << compared << " corpus substrings compared with the reference, "
              << mismatches << " mismatches\n";
    CHECK(mismatches == 0);
}

TEST_CASE("tokenizer: ties, BOS merges and the -1e10 floor match the reference", "[tokenizer]") {
    // A small vocabulary over {a, b, space} with few distinct scores, so ties are everywhere.
    std::mt19937 rng(7);
    const std::string sp = "\xE2\x96\x81";
    for (int vocabRound = 0; vocabRound < 20; ++vocabRound) {
        std::vector<std::string> pieces = {"<unk>", "<s>", "</s>"};
        std::vector<float> scores = {0, 0, 0};
        for (int b = 0; b < 256; ++b) {
            char name[8];
            std::snprintf(name, sizeof name, "<0x%02X>", b);
            pieces.push_back(name);
            scores.push_back(0);
        }
        std::vector<std::string> seen = {" ", "a", "b", "\xC3\xA9"};
        for (const std::string& s : seen) {
            pieces.push_back(s);
            scores.push_back(-100);
        }
        const std::string alphabet[] = {" ", "a", "b"};
        std::bernoulli_distribution keep(0.6);
        std::uniform_int_distribution<int> score(-3, 0);
        for (const std::string& x : alphabet)
            for (const std::string& y : alphabet)
                for (const std::string& z : {std::string(), std::string("a"), std::string(" ")}) {
                    if (!keep(rng)) continue;
                    pieces.push_back(x + y + z);
                    scores.push_back(static_cast<float>(score(rng)));
                }
        pieces.push_back("<s> a");  // BOS takes part in merges, as in llama2.c
        scores.push_back(static_cast<float>(score(rng)));
        pieces.push_back("bbb");  // at the -1e10 floor: llama2.c never merges it
        scores.push_back(-1e10f);
        for (std::string& p : pieces) p = withSpaceMarks(p);

        const Tokenizer tok = Tokenizer::fromPieces(pieces, scores, 1, 2);
        const std::string chars[] = {" ", "a", "b", "c", "\xC3\xA9", "\xE2\x82"};
        for (int k = 0; k < 100; ++k) {
            std::string text;
            const int len = std::uniform_int_distribution<int>(0, 30)(rng);
            for (int i = 0; i < len; ++i) text += chars[std::uniform_int_distribution<int>(0, 5)(rng)];
            const bool bos = k % 2 == 0;
            INFO("vocabulary " << vocabRound << ", text \"" << text << "\", bos " << bos);
            REQUIRE(join(tok.encode(text, bos, false)) == join(referenceEncode(tok, text, bos, false)));
            // With BOS the "<s> a" merge may swallow BOS, so only the plain text round-trips.
            if (!bos) CHECK(tok.decodeAll(tok.encode(text, false, true)) == text);
        }
    }

    // Of equal-scoring pairs the leftmost merges first: "aaa" is " " "aa" "a", not " " "a" "aa".
    const Tokenizer tiny = Tokenizer::fromPieces({"<unk>", "<s>", "</s>", sp, "a", "aa"},
                                                 {0, 0, 0, -1, -1, 0}, 1, 2);
    CHECK(join(tiny.encode("aaa", false, false)) == "3 5 4");
    CHECK(join(tiny.encode("aaaa", false, false)) == "3 5 5");

    // BOS's piece is concatenated like any other: "<s>" + " a" merges when the vocabulary has it.
    const Tokenizer bosMerge = Tokenizer::fromPieces({"<unk>", "<s>", "</s>", sp, "a", sp + "a",
                                                      "<s>" + sp + "a"},
                                                     {0, 0, 0, -1, -1, -2, -3}, 1, 2);
    CHECK(join(bosMerge.encode("a", true, false)) == "6");
    CHECK(join(referenceEncode(bosMerge, "a", true, false)) == "6");
}

// Encoding speed is a benchmark, not a test: the whole file must encode at all (llama2.c's
// quadratic encode takes minutes on it) and decode back to the same bytes.
TEST_CASE("tokenizer: the whole 197K story file encodes and round-trips", "[tokenizer]") {
    Tokenizer tok = tok512();
    const std::string text =
        readFile(sharedDir() + "/corpus/tinystories/tinystories_train_head_197K.txt");
    const std::vector<int> ids = tok.encode(text, true, false);
    CHECK(ids.size() > 1000);
    CHECK(ids.size() < text.size() * 6 / 10);  // merges happened: tok512 averages ~2 bytes a token
    CHECK(tok.decodeAll(ids) == text);
}

TEST_CASE("tokenizer: fromPieces turns U+2581 into spaces and checks sizes", "[tokenizer]") {
    // tok512's pieces written the GGUF way must tokenize exactly as tok512.bin does.
    Tokenizer file = tok512();
    std::vector<std::string> pieces;
    std::vector<float> scores;
    for (int i = 0; i < file.vocabSize(); ++i) {
        pieces.push_back(i == 1 ? "<s>" : i == 2 ? "</s>" : withSpaceMarks(file.piece(i)));
        scores.push_back(file.score(i));
    }
    Tokenizer gguf = Tokenizer::fromPieces(pieces, scores, 1, 2);
    CHECK(gguf.vocabSize() == 512);
    CHECK(gguf.piece(403) == file.piece(403));
    CHECK(gguf.piece(1) == "<s>");
    for (const char* text : {"Once upon a time", "Hello, world!", "naïve café 🐱"}) {
        INFO(text);
        CHECK(join(gguf.encode(text)) == join(file.encode(text)));
        CHECK(gguf.decodeAll(gguf.encode(text)) == text);
    }

    scores.pop_back();
    try {
        Tokenizer::fromPieces(pieces, scores, 1, 2);
        FAIL("no FormatError for 512 pieces with 511 scores");
    } catch (const FormatError& e) {
        INFO(e.what());
        CHECK(e.field() == "tokenizer.ggml.scores");
        CHECK(std::string(e.what()).find("512") != std::string::npos);
        CHECK(std::string(e.what()).find("511") != std::string::npos);
    }
    scores.push_back(0);
    CHECK_THROWS_AS(Tokenizer::fromPieces(pieces, scores, 1, 512), FormatError);
    CHECK_THROWS_AS(Tokenizer::fromPieces({}, {}, 1, 2), FormatError);
}

TEST_CASE("tokenizer: corrupt llama2.c tokenizer files are refused with the field named",
          "[tokenizer]") {
    TempDir dir;
    const std::string good = readFile(modelPath("tok512.bin"));
    // Where entry 300 starts: 4 bytes of max_token_length, then score, length, bytes per entry.
    size_t entry300 = 4;
    for (int i = 0; i < 300; ++i) {
        int32_t len = 0;
        std::memcpy(&len, good.data() + entry300 + 4, 4);
        entry300 += 8 + static_cast<size_t>(len);
    }
    int32_t len300 = 0;
    std::memcpy(&len300, good.data() + entry300 + 4, 4);
    REQUIRE(len300 >= 2);

    // Truncated files: the message names the entry and part that is cut off.
    std::string msg = formatErrorOf(dir.write("cut_bytes.bin", good.substr(0, entry300 + 9)), 512,
                                    "token[300].bytes");
    CHECK(msg.find("truncated") != std::string::npos);
    formatErrorOf(dir.write("cut_length.bin", good.substr(0, entry300 + 6)), 512,
                  "token[300].length");
    formatErrorOf(dir.write("cut_length0.bin", good.substr(0, entry300 + 6)), 0,
                  "token[300].length");
    formatErrorOf(dir.write("cut_score.bin", good.substr(0, entry300 + 2)), 512, "token[300].score");
    formatErrorOf(dir.write("tiny.bin", good.substr(0, 2)), 512, "max_token_length");
    formatErrorOf(dir.write("empty.bin", ""), 0, "max_token_length");

    // A tokenizer whose size disagrees with the model.
    msg = formatErrorOf(modelPath("tok512.bin"), 600, "vocab_size");
    CHECK(msg.find("600") != std::string::npos);
    CHECK(msg.find("512") != std::string::npos);
    msg = formatErrorOf(modelPath("tok512.bin"), 500, "vocab_size");
    CHECK(msg.find("500") != std::string::npos);
    CHECK(msg.find("512") != std::string::npos);
    // Cut exactly after entry 300: a clean but short file is a size disagreement.
    msg = formatErrorOf(dir.write("short.bin", good.substr(0, entry300)), 512, "vocab_size");
    CHECK(msg.find("300") != std::string::npos);

    // Hand-made headers and entries.
    std::string negLen;
    put<int32_t>(negLen, 7);
    put<float>(negLen, 0.0f);
    put<int32_t>(negLen, -5);
    msg = formatErrorOf(dir.write("neg_len.bin", negLen), 0, "token[0].length");
    CHECK(msg.find("-5") != std::string::npos);

    std::string longLen;
    put<int32_t>(longLen, 7);
    put<float>(longLen, 0.0f);
    put<int32_t>(longLen, 1 << 30);
    msg = formatErrorOf(dir.write("long_len.bin", longLen), 0, "token[0].length");
    CHECK(msg.find(std::to_string(1 << 30)) != std::string::npos);

    for (int32_t bad : {0, -1, 1 << 30}) {
        std::string header;
        put<int32_t>(header, bad);
        INFO("max_token_length " << bad);
        msg = formatErrorOf(dir.write("bad_max.bin", header + good.substr(4)), 512,
                            "max_token_length");
        CHECK(msg.find(std::to_string(bad)) != std::string::npos);
    }

    CHECK_THROWS_AS(Tokenizer::fromLlama2cFile((dir.path / "missing.bin").string(), 512),
                    anatomy::Error);
    CHECK_THROWS_AS(Tokenizer::fromLlama2cFile(modelPath("tok512.bin"), -1), anatomy::Error);
}
