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
        if (name.find("bert") != std::string::npos) continue;  // WordPiece: the encoders' issue
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
                    tok.kind() == Tokenizer::Kind::BytePair ? "byte-level BPE" : "SentencePiece", matched,
                    cases.size());
        ++files;
    }
    CHECK(files >= 6);
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
    // A WordPiece (BERT) vocabulary is named in the error, not mistaken for another kind.
    CHECK_THROWS_WITH(Tokenizer::fromGgufFile(sharedDir() + "/tokenizers/llama.cpp-vocab/ggml-vocab-bert-bge.gguf"),
                      Catch::Contains("tokenizer.ggml.model") && Catch::Contains("bert"));
    // Not a GGUF file at all.
    CHECK_THROWS_WITH(Tokenizer::fromGgufFile(sharedDir() + "/models/stories260K/tok512.bin"),
                      Catch::Contains("magic"));
}
