// SentencePiece unigram (T5's tokenizer): two models trained at build time with Debian's spm_train
// on the TinyStories excerpt (tests/engine/reference/unigram/make_unigram_reference.sh writes them
// and spm_encode's ids into the build folder), every case of
// cases.txt encoded exactly as spm_encode encodes it: nmt_nfkc normalisation (full-width letters,
// ligatures), whitespace runs collapsed, unknown characters merged into one [UNK] or, with byte
// fallback, spelled as <0xXX> bytes.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "anatomy/error.h"
#include "anatomy/gguf_writer.h"
#include "anatomy/model_registry.h"
#include "anatomy/tokenizer.h"
#include "io/unigram.h"

using namespace anatomy;
namespace fs = std::filesystem;

namespace {

const fs::path kCases = fs::path(ANATOMY_TEST_SOURCE_DIR) / "engine/reference/unigram/cases.txt";
const fs::path kDir = ANATOMY_TEST_UNIGRAM_DIR;  // models and spm_encode's ids, made at build time

std::vector<std::string> lines(const fs::path& p) {
    std::ifstream in(p);
    std::vector<std::string> out;
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

std::string join(const std::vector<int>& ids) {
    std::string s;
    for (int id : ids) {
        if (!s.empty()) s += ' ';
        s += std::to_string(id);
    }
    return s;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

fs::path writeTemp(const std::string& name, const std::string& bytes) {
    const fs::path p = fs::temp_directory_path() / ("anatomy_unigram_" + std::to_string(::getpid()) + "_" + name);
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
}

}  // namespace

TEST_CASE("unigram: every case encodes exactly as spm_encode does", "[tokenizer][unigram]") {
    const std::vector<std::string> cases = lines(kCases);
    REQUIRE(cases.size() >= 20);
    for (const char* model : {"tinystories_unigram2000", "tinystories_unigram2000_bytes"}) {
        const std::string ids = std::string(model) == "tinystories_unigram2000" ? "cases.ids" : "cases_bytes.ids";
        const std::vector<std::string> expected = lines(kDir / ids);
        REQUIRE(expected.size() == cases.size());
        const Tokenizer tok = openTokenizerFile((kDir / (std::string(model) + ".model")).string());
        CHECK(tok.kind() == Tokenizer::Kind::Unigram);
        CHECK(tok.vocabSize() == 2000);
        int matched = 0;
        for (size_t i = 0; i < cases.size(); ++i) {
            INFO(model << " case " << i << ": '" << cases[i] << "'");
            const std::string got = join(tok.tokenize(cases[i], false, false));
            CHECK(got == expected[i]);
            matched += got == expected[i];
        }
        std::printf("[tokenizer] %s (unigram): %d of %zu cases match spm_encode\n", model, matched, cases.size());
    }
}

TEST_CASE("unigram: normalisation, unknown runs, byte fallback and decoding", "[tokenizer][unigram]") {
    const Tokenizer plain = openTokenizerFile((kDir / "tinystories_unigram2000.model").string());
    const Tokenizer bytes = openTokenizerFile((kDir / "tinystories_unigram2000_bytes.model").string());
    const UnigramEncoder enc(readSentencePieceModel((kDir / "tinystories_unigram2000.model").string()));
    // NFKC: full-width letters become ASCII; spaces collapse; a dummy prefix; U+2581 for spaces.
    CHECK(enc.normalize("ＡＢＣ") == "\xE2\x96\x81" "ABC");
    CHECK(enc.normalize("  a   b  ") == "\xE2\x96\x81" "a\xE2\x96\x81" "b");
    CHECK(enc.normalize("   ").empty());
    CHECK(plain.tokenize("ｌｉｔｔｌｅ", false, false) == plain.tokenize("little", false, false));
    // Two unknown characters in a row are one unknown token; with byte fallback, their 8 bytes.
    const std::vector<int> unk = plain.tokenize("🐶🐱", false, false);
    CHECK(std::count(unk.begin(), unk.end(), plain.unkId()) == 1);
    const std::vector<int> b = bytes.tokenize("🐶🐱", false, false);
    CHECK(std::count_if(b.begin(), b.end(), [&](int id) { return bytes.piece(id).rfind("<0x", 0) == 0; }) == 8);
    CHECK(bytes.decodeAll(bytes.tokenize("a 🐶 dog", false, false)) == "a 🐶 dog");
    CHECK(plain.decodeAll(plain.tokenize("Once upon a time", false, false)) == "Once upon a time");
    CHECK(plain.tokenize("", false, false).empty());
    // spm_encode adds nothing; the control tokens' text is parsed only when asked.
    CHECK(plain.tokenize("</s>", false, true) == std::vector<int>{plain.eosId()});
    CHECK(plain.tokenize("</s>", false, false).size() > 1);
}

TEST_CASE("unigram: damaged or foreign .model files give a clear error", "[tokenizer][unigram]") {
    const std::string good = slurp(kDir / "tinystories_unigram2000.model");
    REQUIRE(good.size() > 1000);
    // Truncated in the middle of the pieces.
    const fs::path cut = writeTemp("cut.model", good.substr(0, 777));
    CHECK_THROWS_AS(Tokenizer::fromSentencePieceModel(cut.string()), FormatError);
    // Text that is not protobuf.
    const fs::path text = writeTemp("text.model", "this is not a sentencepiece model\n");
    CHECK_THROWS_AS(Tokenizer::fromSentencePieceModel(text.string()), FormatError);
    // An empty file: no pieces.
    const fs::path empty = writeTemp("empty.model", "");
    CHECK_THROWS_WITH(Tokenizer::fromSentencePieceModel(empty.string()), Catch::Contains("pieces"));
    // A BPE model (trainer_spec.model_type = 2) is named, not misread as unigram.
    const std::string bpeTrainer = std::string("\x12\x02\x18\x02", 4);  // field 2 {field 3 = 2}
    const std::string piece = std::string("\x0a\x08\x0a\x01" "a" "\x15\x00\x00\x80\xbf", 10);  // {piece "a", score -1}
    const fs::path bpe = writeTemp("bpe.model", piece + bpeTrainer);
    CHECK_THROWS_WITH(Tokenizer::fromSentencePieceModel(bpe.string()),
                      Catch::Contains("model_type") && Catch::Contains("BPE"));
    // unk_id outside the vocabulary: trainer_spec {unk_id (field 40) = 7}.
    const std::string badUnkKey = std::string("\x12\x03\xc0\x02\x07", 5);
    const fs::path unk = writeTemp("unk.model", piece + badUnkKey);
    CHECK_THROWS_WITH(Tokenizer::fromSentencePieceModel(unk.string()), Catch::Contains("unk_id"));
    // A directory, and a charsmap whose trie size runs past the blob.
    CHECK_THROWS_WITH(openTokenizerFile(kDir.string()), Catch::Contains("directory"));
    UnigramSpec spec;
    spec.pieces = {"<unk>", "a"};
    spec.scores = {0.0f, -1.0f};
    spec.types = {2, 1};
    spec.bos = spec.eos = -1;
    spec.charsmap = std::string("\xff\x00\x00\x00xxxx", 8);
    CHECK_THROWS_WITH(UnigramEncoder(spec), Catch::Contains("precompiled_charsmap"));
    for (const fs::path& p : {cut, text, empty, bpe, unk}) fs::remove(p);
}

TEST_CASE("unigram: a t5 GGUF vocabulary (as llama.cpp's converter writes it) encodes like the .model", "[tokenizer][unigram]") {
    const std::string model = (kDir / "tinystories_unigram2000.model").string();
    const UnigramSpec spec = readSentencePieceModel(model);
    GgufWriter w;
    w.addString("general.architecture", "t5");
    w.addString("tokenizer.ggml.model", "t5");
    w.addStringArray("tokenizer.ggml.tokens", spec.pieces);
    w.addF32Array("tokenizer.ggml.scores", spec.scores);
    w.addI32Array("tokenizer.ggml.token_type", std::vector<int32_t>(spec.types.begin(), spec.types.end()));
    w.addBool("tokenizer.ggml.add_space_prefix", spec.addDummyPrefix);
    w.addBool("tokenizer.ggml.remove_extra_whitespaces", spec.removeExtraWhitespaces);
    w.addArray("tokenizer.ggml.precompiled_charsmap", GgufType::U8, spec.charsmap.data(), spec.charsmap.size());
    w.addU32("tokenizer.ggml.unknown_token_id", uint32_t(spec.unk));
    w.addU32("tokenizer.ggml.eos_token_id", uint32_t(spec.eos));
    const fs::path path = fs::temp_directory_path() / ("anatomy_t5_vocab_" + std::to_string(::getpid()) + ".gguf");
    w.write(path.string());
    const Tokenizer gguf = Tokenizer::fromGgufFile(path.string());
    const Tokenizer direct = Tokenizer::fromSentencePieceModel(model);
    CHECK(gguf.kind() == Tokenizer::Kind::Unigram);
    const std::vector<std::string> cases = lines(kCases);
    const std::vector<std::string> expected = lines(kDir / "cases.ids");
    for (size_t i = 0; i < cases.size(); ++i) {
        INFO("case " << i << ": '" << cases[i] << "'");
        CHECK(join(gguf.tokenize(cases[i], false, false)) == expected[i]);
        CHECK(gguf.tokenize(cases[i], false, false) == direct.tokenize(cases[i], false, false));
    }
    // T5 adds </s> and no BOS (llama.cpp's UGM defaults).
    const std::vector<int> withEos = gguf.tokenize("Once upon a time", true, false);
    REQUIRE(!withEos.empty());
    CHECK(withEos.back() == spec.eos);
    CHECK(withEos.size() == direct.tokenize("Once upon a time", false, false).size() + 1);
    fs::remove(path);
}
