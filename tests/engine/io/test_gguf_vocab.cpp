// Vocabularies from GGUF metadata tokenize exactly as the original Hugging Face tokenizers do:
// every case of every vocabulary-only file in ../shared/tokenizers/llama.cpp-vocab (llama.cpp's
// test suite: .inp holds the cases separated by "\n__ggml_vocab_test__\n", .out the ids without
// BOS, one line per case).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "anatomy/error.h"
#include "anatomy/tokenizer.h"
#include "test_paths.h"

using namespace anatomy;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

std::vector<std::string> split(const std::string& s, const std::string& sep) {
    std::vector<std::string> out;
    size_t at = 0;
    for (size_t hit; (hit = s.find(sep, at)) != std::string::npos; at = hit + sep.size())
        out.push_back(s.substr(at, hit - at));
    out.push_back(s.substr(at));
    return out;
}

std::string join(const std::vector<int>& ids) {
    std::string s;
    for (size_t i = 0; i < ids.size(); ++i) {
        if (i) s += ' ';
        s += std::to_string(ids[i]);
    }
    return s;
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.pop_back();
    while (!s.empty() && s.front() == ' ') s.erase(s.begin());
    return s;
}

}  // namespace

TEST_CASE("GGUF vocabularies tokenize every reference case like Hugging Face", "[tokenizer][gguf]") {
    const fs::path dir = sharedDir() + "/tokenizers/llama.cpp-vocab";
    REQUIRE(fs::is_directory(dir));
    int files = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const fs::path p = entry.path();
        if (p.extension() != ".gguf") continue;
        const std::string name = p.filename().string();
        const std::vector<std::string> cases = split(slurp(p.string() + ".inp"), "\n__ggml_vocab_test__\n");
        const std::vector<std::string> expected = split(slurp(p.string() + ".out"), "\n");
        const Tokenizer tok = Tokenizer::fromGgufFile(p.string());
        int matched = 0;
        for (size_t i = 0; i < cases.size(); ++i) {
            REQUIRE(i < expected.size());
            const std::string got = join(tok.tokenize(cases[i], false, false));
            INFO(name << " case " << i << ": '" << cases[i] << "'");
            CHECK(got == trim(expected[i]));
            matched += got == trim(expected[i]);
        }
        std::printf("[tokenizer] %s (%s): %d of %zu cases match\n", name.c_str(),
                    tok.kind() == Tokenizer::Kind::BytePair    ? "byte-level BPE"
                    : tok.kind() == Tokenizer::Kind::WordPiece ? "WordPiece"
                                                               : "SentencePiece",
                    matched,
                    cases.size());
        ++files;
    }
    CHECK(files >= 7);
}

TEST_CASE("GGUF vocabularies: BOS/EOS follow the file, special text is parsed only when asked",
          "[tokenizer][gguf]") {
    const std::string dir = sharedDir() + "/tokenizers/llama.cpp-vocab/";
    const Tokenizer spm = Tokenizer::fromGgufFile(dir + "ggml-vocab-llama-spm.gguf");
    CHECK(spm.kind() == Tokenizer::Kind::SentencePiece);
    CHECK(join(spm.tokenize("Hello world", true, false)) == "1 15043 3186");  // add_bos_token = true
    CHECK(join(spm.tokenize("", true, false)) == "1");
    CHECK(spm.tokenize("", false, false).empty());
    // "<s>" is a control token: one id when parsed, plain text otherwise.
    CHECK(join(spm.tokenize("<s>", false, true)) == "1");
    CHECK(spm.tokenize("<s>", false, false).size() > 1);

    const Tokenizer gpt2 = Tokenizer::fromGgufFile(dir + "ggml-vocab-gpt-2.gguf");
    CHECK(gpt2.kind() == Tokenizer::Kind::BytePair);
    CHECK(gpt2.bosId() == 50256);
    CHECK(join(gpt2.tokenize("Hello world", true, false)) == "15496 995");  // GPT-2 adds no BOS
    // Decoding gives the bytes back, the space included.
    CHECK(gpt2.decodeAll(gpt2.tokenize(" Hello, world! ½ 🦙", false, false)) == " Hello, world! ½ 🦙");
}

TEST_CASE("WordPiece: [CLS] text [SEP], words cut into the longest pieces, unknown words whole",
          "[tokenizer][gguf][wordpiece]") {
    const Tokenizer bert = Tokenizer::fromGgufFile(sharedDir() + "/tokenizers/llama.cpp-vocab/ggml-vocab-bert-bge.gguf");
    CHECK(bert.kind() == Tokenizer::Kind::WordPiece);
    CHECK(bert.bosId() == 101);  // [CLS]
    CHECK(bert.eosId() == 102);  // [SEP]
    CHECK(bert.unkId() == 100);  // [UNK]
    const std::vector<int> ids = bert.tokenize("Hello, World!", true, false);
    REQUIRE(ids.size() == 6);
    CHECK(ids.front() == 101);
    CHECK(ids.back() == 102);
    // Lower-cased, accents stripped, punctuation split off.
    CHECK(bert.tokenize("CAFÉ", false, false) == bert.tokenize("cafe", false, false));
    CHECK(bert.piece(bert.tokenize("hello", false, false).at(0)) == " hello");
    // A word is cut into a word start and continuations ("playing" -> play ##ing).
    const std::vector<int> playing = bert.tokenize("unaffable", false, false);
    CHECK(playing.size() > 1);
    CHECK(bert.decodeAll(playing) == "unaffable");  // no space after the (implied) [CLS]
    // A word no piece can start becomes one [UNK], as does a word over 100 characters.
    CHECK(bert.tokenize("\xE2\x98\x83\xE2\x98\x83", false, false) == std::vector<int>{100});
    CHECK(bert.tokenize(std::string(101, 'a'), false, false) == std::vector<int>{100});
    // "[MASK]" is a control token: one id when special text is parsed, plain text otherwise.
    CHECK(bert.tokenize("[MASK]", false, true) == std::vector<int>{103});
    CHECK(bert.tokenize("[MASK]", false, false).size() == 3);
    CHECK(bert.tokenize("", false, false).empty());
    CHECK(bert.tokenize("", true, false) == std::vector<int>{101, 102});
}

TEST_CASE("GGUF vocabularies: bad files and names give clear errors", "[tokenizer][gguf]") {
    const Tokenizer::Special none{-1, -1, false, false};
    CHECK_THROWS_WITH(Tokenizer::fromBytePairs({"a", "b"}, {}, {"a b"}, "no-such-pre", none),
                      Catch::Contains("tokenizer.ggml.pre") && Catch::Contains("gpt-2") &&
                          Catch::Contains("no-such-pre"));
    CHECK_THROWS_WITH(Tokenizer::fromBytePairs({}, {}, {}, "gpt-2", none), Catch::Contains("at least 1 token"));
    Tokenizer::Special bad = none;
    bad.bos = 7;
    CHECK_THROWS_WITH(Tokenizer::fromBytePairs({"a", "b"}, {}, {}, "gpt-2", bad),
                      Catch::Contains("tokenizer.ggml.bos_token_id"));
    // WordPiece needs [CLS], [SEP] and [UNK] ids inside the vocabulary.
    Tokenizer::Special wp{0, 1, -1, true, true};
    CHECK_THROWS_WITH(Tokenizer::fromWordPieces({"[CLS]", "[SEP]"}, {}, wp),
                      Catch::Contains("tokenizer.ggml.unknown_token_id"));
    wp.unk = 0;
    wp.eos = 5;
    CHECK_THROWS_WITH(Tokenizer::fromWordPieces({"[CLS]", "[SEP]"}, {}, wp),
                      Catch::Contains("tokenizer.ggml.seperator_token_id") && Catch::Contains("5"));
    CHECK_THROWS_WITH(Tokenizer::fromWordPieces({}, {}, wp), Catch::Contains("at least 1 token"));
    // Not a GGUF file at all.
    CHECK_THROWS_WITH(Tokenizer::fromGgufFile(sharedDir() + "/models/stories260K/tok512.bin"),
                      Catch::Contains("magic"));
}
