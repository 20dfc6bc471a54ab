// Loading checkpoints: the real stories260K files in every format agree with each other, and
// every way a file can be broken is reported as an error naming the field, never as a crash.
// The broken files are made here, one per failure mode, by mutating a tiny valid file written
// by the builders below (llama.cpp's test-gguf does the same).
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "anatomy/error.h"
#include "anatomy/model.h"
#include "anatomy/model_registry.h"
#include "anatomy/session.h"
#include "anatomy/sim_settings.h"
#include "anatomy/tokenizer.h"
#include "engine/kernels/ggml_test_blocks.h"
#include "kernels/matmul.h"
#include "test_paths.h"

using anatomy::Error;
using anatomy::FormatError;
using anatomy::Matrix;
using anatomy::Model;
using anatomy::ModelFormat;
using Catch::Matchers::Contains;

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

// A fresh folder per test, removed afterwards.
class TempDir {
public:
    TempDir() {
        static int counter = 0;
        m_dir = fs::temp_directory_path() /
                ("anatomy_loading_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
        fs::create_directories(m_dir);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string write(const std::string& name, const Bytes& bytes) const {
        const fs::path p = m_dir / name;
        std::ofstream out(p, std::ios::binary);
        out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
        REQUIRE(out.good());
        return p.string();
    }
    std::string path() const { return m_dir.string(); }

private:
    fs::path m_dir;
};

template <class T>
void put(Bytes& b, T v) {
    uint8_t raw[sizeof(T)];
    std::memcpy(raw, &v, sizeof(T));
    b.insert(b.end(), raw, raw + sizeof(T));
}
template <class T>
void patch(Bytes& b, size_t at, T v) {
    REQUIRE(at + sizeof(T) <= b.size());
    std::memcpy(b.data() + at, &v, sizeof(T));
}
void putString(Bytes& b, std::string_view s) {
    put<uint64_t>(b, s.size());
    b.insert(b.end(), s.begin(), s.end());
}
Bytes floatBytes(const std::vector<float>& v) {
    Bytes b(v.size() * sizeof(float));
    std::memcpy(b.data(), v.data(), b.size());
    return b;
}

// Runs load and returns the message of the anatomy::Error it must throw.
template <class F>
std::string errorOf(F&& load) {
    try {
        load();
    } catch (const Error& e) {
        return e.what();
    }
    FAIL("expected an anatomy::Error, but the file loaded");
    return {};
}
template <class F>
std::string formatErrorOf(F&& load) {
    try {
        load();
    } catch (const FormatError& e) {
        return e.what();
    } catch (const Error& e) {
        FAIL("expected a FormatError, got another anatomy::Error: " << e.what());
    }
    FAIL("expected a FormatError, but the file loaded");
    return {};
}

// ---------------------------------------------------------------------------------------------
// A tiny GGUF writer. Values are stored encoded; tensors carry their raw data bytes.

enum : uint32_t { kU32 = 4, kI32 = 5, kF32 = 6, kString = 8, kArray = 9, kU64 = 10 };
enum : uint32_t { kGgmlF32 = 0, kGgmlF16 = 1, kGgmlQ8_0 = 8, kGgmlIQ2XXS = 16 };

struct GgufKv {
    std::string key;
    uint32_t type = 0;
    Bytes value;  // encoded value (for arrays: element type, count, elements)
};

struct GgufTensor {
    std::string name;
    std::vector<uint64_t> ne;
    uint32_t type = kGgmlF32;
    Bytes data;
    std::optional<uint64_t> offset;  // overrides the computed offset
    uint64_t gapBefore = 0;          // extra bytes before the tensor's data
};

struct GgufFile {
    std::string magic = "GGUF";
    uint32_t version = 3;
    std::optional<uint64_t> tensorCount;  // override the real counts
    std::optional<uint64_t> kvCount;
    uint64_t alignment = 32;  // used for the layout; write general.alignment to change it
    std::vector<GgufKv> kvs;
    std::vector<GgufTensor> tensors;

    void set(const std::string& key, uint32_t type, Bytes value) {
        remove(key);
        kvs.push_back({key, type, std::move(value)});
    }
    void setU32(const std::string& key, uint32_t v) {
        Bytes b;
        put(b, v);
        set(key, kU32, b);
    }
    void setF32(const std::string& key, float v) {
        Bytes b;
        put(b, v);
        set(key, kF32, b);
    }
    void setString(const std::string& key, std::string_view s) {
        Bytes b;
        putString(b, s);
        set(key, kString, b);
    }
    void setStrings(const std::string& key, const std::vector<std::string>& v) {
        Bytes b;
        put<uint32_t>(b, kString);
        put<uint64_t>(b, v.size());
        for (const auto& s : v) putString(b, s);
        set(key, kArray, b);
    }
    void setF32s(const std::string& key, const std::vector<float>& v) {
        Bytes b;
        put<uint32_t>(b, kF32);
        put<uint64_t>(b, v.size());
        const Bytes f = floatBytes(v);
        b.insert(b.end(), f.begin(), f.end());
        set(key, kArray, b);
    }
    void remove(const std::string& key) {
        kvs.erase(std::remove_if(kvs.begin(), kvs.end(),
                                 [&](const GgufKv& kv) { return kv.key == key; }),
                  kvs.end());
    }
    GgufTensor& tensor(const std::string& name) {
        for (auto& t : tensors)
            if (t.name == name) return t;
        FAIL("no tensor " << name);
        return tensors.front();
    }
    void removeTensor(const std::string& name) {
        tensors.erase(std::remove_if(tensors.begin(), tensors.end(),
                                     [&](const GgufTensor& t) { return t.name == name; }),
                      tensors.end());
    }

    Bytes bytes() const {
        auto alignUp = [&](uint64_t x) { return (x + alignment - 1) / alignment * alignment; };
        // Data layout first: each tensor at the next aligned offset.
        std::vector<uint64_t> offsets;
        uint64_t at = 0;
        for (const auto& t : tensors) {
            at = alignUp(at + t.gapBefore);
            offsets.push_back(at);
            at += t.data.size();
        }
        Bytes b(magic.begin(), magic.end());
        put(b, version);
        put<uint64_t>(b, tensorCount.value_or(tensors.size()));
        put<uint64_t>(b, kvCount.value_or(kvs.size()));
        for (const auto& kv : kvs) {
            putString(b, kv.key);
            put(b, kv.type);
            b.insert(b.end(), kv.value.begin(), kv.value.end());
        }
        for (size_t i = 0; i < tensors.size(); ++i) {
            const auto& t = tensors[i];
            putString(b, t.name);
            put<uint32_t>(b, uint32_t(t.ne.size()));
            for (uint64_t d : t.ne) put(b, d);
            put(b, t.type);
            put<uint64_t>(b, t.offset.value_or(offsets[i]));
        }
        const size_t dataStart = alignUp(b.size());
        b.resize(dataStart, 0);
        for (size_t i = 0; i < tensors.size(); ++i) {
            b.resize(dataStart + offsets[i], 0);
            b.insert(b.end(), tensors[i].data.begin(), tensors[i].data.end());
        }
        return b;
    }
};

// Configuration of the tiny model every GGUF fixture starts from.
constexpr int kDim = 32, kHidden = 64, kLayers = 1, kHeads = 4, kKvHeads = 2, kVocab = 8,
              kCtx = 16;
constexpr int kKvDim = kDim / kHeads * kKvHeads;

// Deterministic, distinct values per tensor: seed + i / 1024.
std::vector<float> pattern(size_t n, int seed) {
    std::vector<float> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = float(seed) + float(i % 1024) / 1024.0f;
    return v;
}

// A valid tiny llama GGUF: all F32, classifier tied (no output.weight).
GgufFile tinyGguf() {
    GgufFile g;
    g.setString("general.architecture", "llama");
    g.setU32("llama.embedding_length", kDim);
    g.setU32("llama.feed_forward_length", kHidden);
    g.setU32("llama.block_count", kLayers);
    g.setU32("llama.attention.head_count", kHeads);
    g.setU32("llama.attention.head_count_kv", kKvHeads);
    g.setU32("llama.context_length", kCtx);
    g.setF32("llama.attention.layer_norm_rms_epsilon", 1e-6f);
    g.setF32("llama.rope.freq_base", 500000.0f);
    g.setString("tokenizer.ggml.model", "llama");
    const std::string space = "\xE2\x96\x81";  // U+2581, SentencePiece's space
    g.setStrings("tokenizer.ggml.tokens",
                 {"<unk>", "<s>", "</s>", "<0x00>", space + "a", "b", "ab", space + "ab"});
    g.setF32s("tokenizer.ggml.scores", {0, 0, 0, 0, -1, -2, -3, -4});
    g.setU32("tokenizer.ggml.bos_token_id", 1);
    g.setU32("tokenizer.ggml.eos_token_id", 2);

    int seed = 0;
    auto add = [&](const std::string& name, std::vector<uint64_t> ne) {
        size_t n = 1;
        for (uint64_t d : ne) n *= size_t(d);
        g.tensors.push_back({name, ne, kGgmlF32, floatBytes(pattern(n, seed++)), {}, 0});
    };
    add("token_embd.weight", {kDim, kVocab});
    add("output_norm.weight", {kDim});
    for (int l = 0; l < kLayers; ++l) {
        const std::string p = "blk." + std::to_string(l) + ".";
        add(p + "attn_norm.weight", {kDim});
        add(p + "attn_q.weight", {kDim, kDim});
        add(p + "attn_k.weight", {kDim, kKvDim});
        add(p + "attn_v.weight", {kDim, kKvDim});
        add(p + "attn_output.weight", {kDim, kDim});
        add(p + "ffn_norm.weight", {kDim});
        add(p + "ffn_gate.weight", {kDim, kHidden});
        add(p + "ffn_up.weight", {kDim, kHidden});
        add(p + "ffn_down.weight", {kHidden, kDim});
    }
    return g;
}

// Offset of tensor_count, kv_count and of the first key's length in any GGUF file.
constexpr size_t kTensorCountAt = 8, kKvCountAt = 16, kFirstKeyAt = 24;

std::string ggufError(const TempDir& dir, const GgufFile& g) {
    const std::string path = dir.write("broken.gguf", g.bytes());
    return formatErrorOf([&] { anatomy::loadGguf(path); });
}

// f16 bits of a value exactly representable as a normal half (or zero).
uint16_t toHalf(float f) {
    if (f == 0.0f) return 0;
    uint32_t b;
    std::memcpy(&b, &f, 4);
    const uint32_t sign = (b >> 16) & 0x8000u;
    const int exp = int((b >> 23) & 0xffu) - 127 + 15;
    REQUIRE(exp > 0);
    REQUIRE(exp < 31);
    REQUIRE((b & 0x1fffu) == 0);
    return uint16_t(sign | uint32_t(exp) << 10 | ((b >> 13) & 0x3ffu));
}

// ---------------------------------------------------------------------------------------------
// A tiny llama2.c writer: legacy version 0 (7 int32 header) or ak42 version 1/2 (256 bytes).

struct Llama2cHeader {
    int32_t dim = 8, hidden = 16, layers = 1, heads = 2, kvHeads = 1, vocab = 8, seq = 4;
};

// Float32 weight count of the legacy layout (including freq_cis) for a valid header.
size_t legacyFloats(const Llama2cHeader& h) {
    const size_t d = size_t(h.dim), hd = size_t(h.hidden), L = size_t(h.layers),
                 kv = d / size_t(h.heads) * size_t(h.kvHeads), V = size_t(std::abs(h.vocab));
    size_t n = V * d + L * (2 * d + 2 * d * d + 2 * d * kv + 3 * d * hd) + d +
               size_t(h.seq) * (d / size_t(h.heads));
    if (h.vocab < 0) n += V * d;
    return n;
}

Bytes legacyFile(const Llama2cHeader& h, size_t nFloats) {
    Bytes b;
    for (int32_t v : {h.dim, h.hidden, h.layers, h.heads, h.kvHeads, h.vocab, h.seq}) put(b, v);
    const Bytes w = floatBytes(pattern(nFloats, 1));
    b.insert(b.end(), w.begin(), w.end());
    return b;
}
Bytes legacyFile(const Llama2cHeader& h) { return legacyFile(h, legacyFloats(h)); }

Bytes ak42File(int32_t version, const Llama2cHeader& h, uint8_t shared, int32_t groupSize,
               size_t payloadBytes) {
    Bytes b;
    put<uint32_t>(b, 0x616b3432);  // "ak42"
    put(b, version);
    for (int32_t v : {h.dim, h.hidden, h.layers, h.heads, h.kvHeads, h.vocab, h.seq}) put(b, v);
    put(b, shared);
    if (version == 2) put(b, groupSize);
    b.resize(256, 0);
    b.resize(256 + payloadBytes, 0);
    return b;
}
// Float32 bytes of an ak42 v1 payload with a shared classifier.
size_t v1Bytes(const Llama2cHeader& h) {
    Llama2cHeader noFreq = h;
    noFreq.seq = 0;
    return legacyFloats(noFreq) * 4;
}

// ---------------------------------------------------------------------------------------------
// Comparing the real checkpoints.

// Count of floats whose bits differ, and the largest absolute difference.
struct Diff {
    size_t differing = 0;
    double maxAbs = 0;
};
Diff compareFloats(const float* a, const float* b, size_t n) {
    Diff d;
    for (size_t i = 0; i < n; ++i) {
        if (std::memcmp(&a[i], &b[i], sizeof(float)) != 0) ++d.differing;
        d.maxAbs = std::max(d.maxAbs, std::fabs(double(a[i]) - double(b[i])));
    }
    return d;
}

void checkSameBits(const char* what, const float* a, const float* b, size_t n) {
    REQUIRE(a != nullptr);
    REQUIRE(b != nullptr);
    const Diff d = compareFloats(a, b, n);
    INFO(what << ": " << d.differing << " of " << n << " floats differ, largest |diff| "
              << d.maxAbs);
    CHECK(d.differing == 0);
}

void checkSameMatrix(const char* what, const Matrix& a, const Matrix& b) {
    INFO(what);
    REQUIRE(a.rows == b.rows);
    REQUIRE(a.cols == b.cols);
    REQUIRE_FALSE(a.quantized());
    REQUIRE_FALSE(b.quantized());
    checkSameBits(what, a.f32, b.f32, size_t(a.rows) * size_t(a.cols));
}

void checkStories260KConfig(const anatomy::ModelConfig& c) {
    CHECK(c.dim == 64);
    CHECK(c.hiddenDim == 172);
    CHECK(c.nLayers == 5);
    CHECK(c.nHeads == 8);
    CHECK(c.nKvHeads == 4);
    CHECK(c.vocabSize == 512);
}

}  // namespace

// =============================================================================================
// The real files.

TEST_CASE("stories260K.bin loads as a legacy llama2.c checkpoint", "[loading]") {
    auto m = anatomy::loadLlama2c(modelPath("stories260K.bin"));
    checkStories260KConfig(m->config);
    CHECK(m->config.seqLen == 512);
    CHECK(m->format == ModelFormat::Llama2cLegacy);
    CHECK(m->config.sharedClassifier);
    CHECK(m->layers.size() == 5);
    CHECK(m->classifier.f32 == m->tokenEmbedding);
}

TEST_CASE("stories260K.gguf loads with its config and vocabulary", "[loading]") {
    auto m = anatomy::loadGguf(modelPath("stories260K.gguf"));
    checkStories260KConfig(m->config);
    // The metadata says 2048 although the model was trained with 512; the loader reports it.
    CHECK(m->config.seqLen == 2048);
    CHECK(m->config.normEps == Approx(1e-5f));
    CHECK(m->config.ropeTheta == 10000.0f);
    CHECK(m->format == ModelFormat::Gguf);
    CHECK(m->path == modelPath("stories260K.gguf"));
    CHECK_FALSE(m->config.sharedClassifier);  // the file stores output.weight
    REQUIRE(m->embeddedTokenizer.has_value());
    CHECK(m->embeddedTokenizer->vocabSize() == 512);
    CHECK(m->embeddedTokenizer->bosId() == 1);
    CHECK(m->embeddedTokenizer->eosId() == 2);
    CHECK(anatomy::loadModel(modelPath("stories260K.gguf"))->format == ModelFormat::Gguf);
}

TEST_CASE("stories260K.gguf vocabulary matches tok512.bin", "[loading]") {
    auto m = anatomy::loadGguf(modelPath("stories260K.gguf"));
    const auto ref = anatomy::Tokenizer::fromLlama2cFile(modelPath("tok512.bin"), 512);
    REQUIRE(m->embeddedTokenizer.has_value());
    const auto& tok = *m->embeddedTokenizer;
    REQUIRE(tok.vocabSize() == ref.vocabSize());
    int differing = 0;
    // Ids 1 and 2 are spelled "<s>" / "</s>" in GGUF and "\n<s>\n" / "\n</s>\n" in tok512.bin.
    for (int i = 3; i < ref.vocabSize(); ++i) {
        if (tok.piece(i) != ref.piece(i) || tok.score(i) != ref.score(i)) {
            if (differing++ < 5)
                UNSCOPED_INFO("id " << i << ": \"" << tok.piece(i) << "\" vs \"" << ref.piece(i)
                                    << "\"");
        }
    }
    CHECK(differing == 0);
    CHECK(tok.encode("Once upon a time", true) == ref.encode("Once upon a time", true));
}

TEST_CASE("stories260K.gguf weights are bit-identical to stories260K.bin", "[loading]") {
    auto bin = anatomy::loadLlama2c(modelPath("stories260K.bin"));
    auto gguf = anatomy::loadGguf(modelPath("stories260K.gguf"));
    const auto& c = bin->config;
    REQUIRE(gguf->layers.size() == bin->layers.size());

    checkSameBits("tokenEmbedding", gguf->tokenEmbedding, bin->tokenEmbedding,
                  size_t(c.vocabSize) * size_t(c.dim));
    for (size_t l = 0; l < bin->layers.size(); ++l) {
        INFO("layer " << l);
        const auto& g = gguf->layers[l];
        const auto& b = bin->layers[l];
        checkSameBits("rmsAtt", g.rmsAtt, b.rmsAtt, size_t(c.dim));
        checkSameBits("rmsFfn", g.rmsFfn, b.rmsFfn, size_t(c.dim));
        checkSameMatrix("wq", g.wq, b.wq);
        checkSameMatrix("wk", g.wk, b.wk);
        checkSameMatrix("wv", g.wv, b.wv);
        checkSameMatrix("wo", g.wo, b.wo);
        checkSameMatrix("w1", g.w1, b.w1);
        checkSameMatrix("w2", g.w2, b.w2);
        checkSameMatrix("w3", g.w3, b.w3);
    }
    checkSameBits("rmsFinal", gguf->rmsFinal, bin->rmsFinal, size_t(c.dim));
    // The .bin ties the classifier to the embedding; the .gguf stores a copy as output.weight.
    checkSameMatrix("classifier", gguf->classifier, bin->classifier);
}

TEST_CASE("stories260K_q8.bin loads as int8 and stays within half a step of the floats",
          "[loading]") {
    auto q = anatomy::loadLlama2c(modelPath("stories260K_q8.bin"));
    auto f = anatomy::loadLlama2c(modelPath("stories260K.bin"));
    checkStories260KConfig(q->config);
    CHECK(q->format == ModelFormat::Llama2cV2Int8);
    REQUIRE(q->layers.size() == 5);
    for (size_t l = 0; l < q->layers.size(); ++l) {
        INFO("layer " << l);
        for (auto [name, qm, fm] : {std::tuple{"wq", &q->layers[l].wq, &f->layers[l].wq},
                                    std::tuple{"w2", &q->layers[l].w2, &f->layers[l].w2}}) {
            INFO(name);
            REQUIRE(qm->quantized());
            REQUIRE(qm->groupSize > 0);
            REQUIRE(qm->rows == fm->rows);
            REQUIRE(qm->cols == fm->cols);
            // Symmetric int8 rounding: |w - q * s| <= s / 2 in every group.
            double worst = 0;  // largest error in units of the group's step
            const size_t n = size_t(qm->rows) * size_t(qm->cols);
            for (size_t i = 0; i < n; ++i) {
                const float s = qm->scales[i / size_t(qm->groupSize)];
                const double err = std::fabs(double(qm->q8[i]) * s - double(fm->f32[i]));
                if (s > 0) worst = std::max(worst, err / s);
            }
            INFO("largest error " << worst << " steps");
            CHECK(worst <= 0.5 + 1e-3);
        }
    }
    // Norms stay float32 and are identical.
    checkSameBits("rmsFinal", q->rmsFinal, f->rmsFinal, 64);
}

// =============================================================================================
// The tiny GGUF: the valid file loads, then every mutation is rejected with its field named.

TEST_CASE("a tiny valid GGUF loads with the values it was written with", "[loading]") {
    TempDir dir;
    const std::string path = dir.write("tiny.gguf", tinyGguf().bytes());
    auto m = anatomy::loadGguf(path);
    const auto& c = m->config;
    CHECK(c.dim == kDim);
    CHECK(c.hiddenDim == kHidden);
    CHECK(c.nLayers == kLayers);
    CHECK(c.nHeads == kHeads);
    CHECK(c.nKvHeads == kKvHeads);
    CHECK(c.vocabSize == kVocab);
    CHECK(c.seqLen == kCtx);
    CHECK(c.normEps == 1e-6f);
    CHECK(c.ropeTheta == 500000.0f);
    CHECK(c.sharedClassifier);
    CHECK(m->classifier.f32 == m->tokenEmbedding);
    CHECK(m->classifier.rows == kVocab);
    CHECK(m->classifier.cols == kDim);

    // token_embd (seed 0) row 3, column 5 is element 3 * dim + 5.
    CHECK(m->tokenEmbedding[3 * kDim + 5] == float(3 * kDim + 5) / 1024.0f);
    CHECK(m->rmsFinal[7] == 1.0f + 7.0f / 1024.0f);  // output_norm, seed 1
    const auto& L = m->layers.at(0);
    CHECK(L.wk.rows == kKvDim);
    CHECK(L.wk.cols == kDim);
    CHECK(L.w2.rows == kDim);
    CHECK(L.w2.cols == kHidden);
    CHECK(L.w1.rows == kHidden);
    CHECK(L.wq.f32[1] == 3.0f + 1.0f / 1024.0f);   // attn_q, seed 3
    CHECK(L.w2.f32[0] == 10.0f);                    // ffn_down, seed 10
    REQUIRE(m->embeddedTokenizer.has_value());
    CHECK(m->embeddedTokenizer->piece(7) == " ab");  // U+2581 became a space
    CHECK(m->embeddedTokenizer->score(7) == -4.0f);
}

TEST_CASE("GGUF: an output.weight unties the classifier", "[loading]") {
    TempDir dir;
    GgufFile g = tinyGguf();
    g.tensors.push_back({"output.weight", {kDim, kVocab}, kGgmlF32,
                         floatBytes(pattern(size_t(kDim) * kVocab, 42)), {}, 0});
    auto m = anatomy::loadGguf(dir.write("untied.gguf", g.bytes()));
    CHECK_FALSE(m->config.sharedClassifier);
    CHECK(m->classifier.rows == kVocab);
    CHECK(m->classifier.f32 != m->tokenEmbedding);
    CHECK(m->classifier.f32[1] == 42.0f + 1.0f / 1024.0f);
}

TEST_CASE("GGUF: F16 tensors and a Q8_0 token embedding stay as stored and read exactly", "[loading]") {
    TempDir dir;
    GgufFile g = tinyGguf();

    // attn_q as F16: quarter steps plus the special halves.
    std::vector<float> q(size_t(kDim) * kDim);
    for (size_t i = 0; i < q.size(); ++i) q[i] = float(int(i % 17) - 8) * 0.25f;
    Bytes f16;
    for (float v : q) put<uint16_t>(f16, toHalf(v));
    patch<uint16_t>(f16, 0, 0x0001);   // smallest subnormal, 2^-24
    patch<uint16_t>(f16, 2, 0xfbff);   // -65504, the most negative normal
    patch<uint16_t>(f16, 4, 0x8000);   // -0
    GgufTensor& tq = g.tensor("blk.0.attn_q.weight");
    tq.type = kGgmlF16;
    tq.data = f16;

    // token_embd as Q8_0: blocks of (f16 scale, 32 x int8); scale 0.5 in block 0, 2 in the rest.
    Bytes q8;
    const size_t n = size_t(kDim) * kVocab;
    for (size_t b = 0; b < n / 32; ++b) {
        put<uint16_t>(q8, b == 0 ? toHalf(0.5f) : toHalf(2.0f));
        for (int j = 0; j < 32; ++j) put<int8_t>(q8, int8_t(j * 8 - 128));
    }
    GgufTensor& te = g.tensor("token_embd.weight");
    te.type = kGgmlQ8_0;
    te.data = q8;

    auto m = anatomy::loadGguf(dir.write("mixed.gguf", g.bytes()));
    // Kept in the file's types (issue 11: no float copy of the model); the values read exactly.
    const anatomy::Matrix& mq = m->layers.at(0).wq;
    REQUIRE(mq.type == anatomy::GgmlType::F16);
    REQUIRE(mq.f32 == nullptr);
    std::vector<float> wqRows(q.size());
    anatomy::ops::dequantizeRows(wqRows.data(), mq, 0, mq.rows);
    const float* wq = wqRows.data();
    CHECK(wq[0] == std::ldexp(1.0f, -24));
    CHECK(wq[1] == -65504.0f);
    CHECK(wq[2] == 0.0f);
    CHECK(std::signbit(wq[2]));
    size_t wrong = 0;
    for (size_t i = 3; i < q.size(); ++i) wrong += wq[i] != q[i];
    CHECK(wrong == 0);

    CHECK(m->tokenEmbedding == nullptr);
    REQUIRE(m->tokenEmbeddings.blockQ8_0());
    std::vector<float> row0(kDim), row1(kDim), rowLast(kDim);  // a row is one block of 32
    m->embed(0, row0.data());
    m->embed(1, row1.data());
    m->embed(kVocab - 1, rowLast.data());
    CHECK(row0[0] == -64.0f);            // 0.5 * -128
    CHECK(row0[31] == 0.5f * 120);       // 0.5 * (31 * 8 - 128)
    CHECK(row1[0] == -256.0f);           // 2 * -128
    CHECK(rowLast[kDim - 1] == 240.0f);  // 2 * 120
    CHECK(m->classifier.blocks == m->tokenEmbeddings.blocks);  // tied: the same bytes
}

TEST_CASE("GGUF: float32 data at any alignment loads, copied when misaligned", "[loading]") {
    TempDir dir;
    for (uint64_t gap : {0, 1, 2, 3}) {
        INFO("gap " << gap);
        GgufFile g = tinyGguf();
        g.alignment = 1;
        g.setU32("general.alignment", 1);
        // Tensors follow each other without gaps; a longer string moves the whole data section.
        g.setString("general.name", std::string(size_t(gap) + 4, 'x'));
        auto m = anatomy::loadGguf(dir.write("aligned" + std::to_string(gap) + ".gguf", g.bytes()));
        CHECK(reinterpret_cast<uintptr_t>(m->tokenEmbedding) % alignof(float) == 0);
        CHECK(reinterpret_cast<uintptr_t>(m->layers.at(0).wq.f32) % alignof(float) == 0);
        CHECK(m->tokenEmbedding[3 * kDim + 5] == float(3 * kDim + 5) / 1024.0f);
        CHECK(m->layers.at(0).wq.f32[1] == 3.0f + 1.0f / 1024.0f);
    }
}

TEST_CASE("GGUF corrupt: bad magic", "[loading]") {
    TempDir dir;
    GgufFile g = tinyGguf();
    g.magic = "GGUX";
    const std::string msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("magic"));
    CHECK_THAT(msg, Contains("GGUF"));
}

TEST_CASE("GGUF corrupt: unsupported version names both versions", "[loading]") {
    TempDir dir;
    for (uint32_t v : {0u, 1u, 4u, 0x03000000u}) {
        INFO("version " << v);
        GgufFile g = tinyGguf();
        g.version = v;
        const std::string msg = ggufError(dir, g);
        CHECK_THAT(msg, Contains("version"));
        CHECK_THAT(msg, Contains("2 or 3"));
        CHECK_THAT(msg, Contains(std::to_string(v)));
    }
    GgufFile v2 = tinyGguf();
    v2.version = 2;
    CHECK(anatomy::loadGguf(dir.write("v2.gguf", v2.bytes()))->config.dim == kDim);
}

TEST_CASE("GGUF corrupt: truncated header", "[loading]") {
    TempDir dir;
    const Bytes full = tinyGguf().bytes();
    // Where a key or a tensor name sits in the file.
    auto at = [&](std::string_view s) {
        auto it = std::search(full.begin(), full.end(), s.begin(), s.end());
        REQUIRE(it != full.end());
        return size_t(it - full.begin());
    };
    struct Case {
        size_t keep;
        std::string field;
    };
    const std::string scores = "tokenizer.ggml.scores", upName = "blk.0.ffn_up.weight";
    // Cut inside the fixed header; then (for a file whose counts still fit) inside a value type,
    // inside an array, and inside a tensor's dimensions.
    for (const Case& c : {Case{4, "version"}, Case{6, "version"}, Case{12, "tensor_count"},
                          Case{20, "kv_count"}, Case{28, "kv_count"},
                          Case{at(scores) + scores.size() + 2, scores + " type"},
                          Case{at(scores) + scores.size() + 4 + 4 + 8 + 6, scores},
                          Case{at(upName) + upName.size() + 4 + 3, upName + " ne"}}) {
        INFO("first " << c.keep << " bytes");
        REQUIRE(c.keep < full.size());
        const Bytes prefix(full.begin(), full.begin() + long(c.keep));
        const std::string path = dir.write("short.gguf", prefix);
        const std::string msg = formatErrorOf([&] { anatomy::loadGguf(path); });
        CHECK_THAT(msg, Contains(c.field));
    }
}

TEST_CASE("GGUF corrupt: counts larger than the file can hold", "[loading]") {
    TempDir dir;
    for (uint64_t n : {uint64_t(1) << 40, ~uint64_t(0)}) {
        Bytes b = tinyGguf().bytes();
        patch(b, kTensorCountAt, n);
        std::string path = dir.write("tensors.gguf", b);
        CHECK_THAT(formatErrorOf([&] { anatomy::loadGguf(path); }), Contains("tensor_count"));

        b = tinyGguf().bytes();
        patch(b, kKvCountAt, n);
        path = dir.write("kvs.gguf", b);
        CHECK_THAT(formatErrorOf([&] { anatomy::loadGguf(path); }), Contains("kv_count"));
    }
}

TEST_CASE("GGUF corrupt: string length 2^63", "[loading]") {
    TempDir dir;
    Bytes b = tinyGguf().bytes();
    patch<uint64_t>(b, kFirstKeyAt, uint64_t(1) << 63);
    const std::string path = dir.write("strlen.gguf", b);
    const std::string msg = formatErrorOf([&] { anatomy::loadGguf(path); });
    CHECK_THAT(msg, Contains("length"));
    CHECK_THAT(msg, Contains("9223372036854775808"));
}

TEST_CASE("GGUF corrupt: array count beyond the file", "[loading]") {
    TempDir dir;
    GgufFile g = tinyGguf();
    Bytes arr;
    put<uint32_t>(arr, kString);
    put<uint64_t>(arr, uint64_t(1) << 61);
    g.set("tokenizer.ggml.tokens", kArray, arr);
    const std::string msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("tokenizer.ggml.tokens count"));
}

TEST_CASE("GGUF corrupt: unknown metadata value type", "[loading]") {
    TempDir dir;
    GgufFile g = tinyGguf();
    g.set("general.name", 13, Bytes{1, 2, 3, 4});
    CHECK_THAT(ggufError(dir, g), Contains("general.name type"));
}

TEST_CASE("GGUF corrupt: n_dims = 5", "[loading]") {
    TempDir dir;
    GgufFile g = tinyGguf();
    g.tensor("blk.0.attn_q.weight").ne = {kDim, kDim, 1, 1, 1};
    const std::string msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("blk.0.attn_q.weight n_dims"));
    CHECK_THAT(msg, Contains("5"));
}

TEST_CASE("GGUF corrupt: ne whose product overflows", "[loading]") {
    TempDir dir;
    for (std::vector<uint64_t> ne : {std::vector<uint64_t>{uint64_t(1) << 32, uint64_t(1) << 32},
                                     std::vector<uint64_t>{~uint64_t(0)},
                                     std::vector<uint64_t>{uint64_t(1) << 62, 2}}) {
        GgufFile g = tinyGguf();
        g.tensor("blk.0.ffn_up.weight").ne = ne;
        const std::string msg = ggufError(dir, g);
        CHECK_THAT(msg, Contains("blk.0.ffn_up.weight ne"));
    }
    // 2^62 elements fit in int64 but not as F32 bytes.
    GgufFile g = tinyGguf();
    g.tensor("blk.0.ffn_up.weight").ne = {uint64_t(1) << 62};
    CHECK_THAT(ggufError(dir, g), Contains("blk.0.ffn_up.weight ne"));
}

TEST_CASE("GGUF corrupt: zero and negative sizes", "[loading]") {
    TempDir dir;
    GgufFile g = tinyGguf();
    g.setU32("llama.embedding_length", 0);
    std::string msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("dim"));
    CHECK_THAT(msg, Contains("llama.embedding_length"));

    g = tinyGguf();
    Bytes neg;
    put<int32_t>(neg, -1);
    g.set("llama.block_count", kI32, neg);
    msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("llama.block_count"));
    CHECK_THAT(msg, Contains("-1"));

    g = tinyGguf();
    Bytes huge;
    put<uint64_t>(huge, uint64_t(1) << 40);
    g.set("llama.feed_forward_length", kU64, huge);
    CHECK_THAT(ggufError(dir, g), Contains("llama.feed_forward_length"));

    // vocab 0: the embedding has no rows.
    g = tinyGguf();
    g.tensor("token_embd.weight").ne = {kDim, 0};
    g.tensor("token_embd.weight").data.clear();
    CHECK_THAT(ggufError(dir, g), Contains("vocab_size"));
}

TEST_CASE("GGUF corrupt: heads not dividing dim", "[loading]") {
    TempDir dir;
    GgufFile g = tinyGguf();
    g.setU32("llama.attention.head_count", 3);
    g.setU32("llama.attention.head_count_kv", 3);
    const std::string msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("n_heads"));
    CHECK_THAT(msg, Contains("llama.attention.head_count"));
}

TEST_CASE("GGUF corrupt: kv heads not dividing heads", "[loading]") {
    TempDir dir;
    GgufFile g = tinyGguf();
    g.setU32("llama.attention.head_count", 8);
    g.setU32("llama.attention.head_count_kv", 3);
    const std::string msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("n_kv_heads"));
    CHECK_THAT(msg, Contains("llama.attention.head_count_kv"));
}

TEST_CASE("GGUF corrupt: file shorter than its tensors", "[loading]") {
    TempDir dir;
    Bytes b = tinyGguf().bytes();
    b.erase(b.end() - 8, b.end());  // the last tensor loses its last two floats
    const std::string path = dir.write("short.gguf", b);
    const std::string msg = formatErrorOf([&] { anatomy::loadGguf(path); });
    CHECK_THAT(msg, Contains("blk.0.ffn_down.weight offset"));  // the last tensor
}

TEST_CASE("GGUF corrupt: tensor range outside the file", "[loading]") {
    TempDir dir;
    // Huge offsets: past the end, and so close to 2^64 that offset + size wraps around.
    for (uint64_t off : {uint64_t(1) << 40, ~uint64_t(0) - 31, ~uint64_t(0) - 1023}) {
        INFO("offset " << off);
        GgufFile g = tinyGguf();
        g.tensor("blk.0.attn_v.weight").offset = off;
        CHECK_THAT(ggufError(dir, g), Contains("blk.0.attn_v.weight offset"));
    }
    GgufFile g = tinyGguf();
    g.tensor("blk.0.attn_v.weight").offset = 4;  // inside, but not aligned to 32
    const std::string msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("blk.0.attn_v.weight offset"));
    CHECK_THAT(msg, Contains("alignment"));

    g = tinyGguf();
    g.setU32("general.alignment", 48);
    CHECK_THAT(ggufError(dir, g), Contains("general.alignment"));
}

TEST_CASE("GGUF corrupt: tensors out of order, overlapping or with gaps", "[loading]") {
    TempDir dir;
    const GgufFile good = tinyGguf();
    // Two tensors' offsets swapped: each range is inside the file, but not where the layout says.
    GgufFile g = good;
    const uint64_t second = 32 * ((good.tensors[0].data.size() + 31) / 32);
    g.tensors[0].offset = second;
    g.tensors[1].offset = 0;
    std::string msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains(good.tensors[0].name + " offset"));
    CHECK_THAT(msg, Contains("previous tensor's end"));
    // One tensor aliasing another's bytes.
    g = good;
    g.tensors[2].offset = second;
    CHECK_THAT(ggufError(dir, g), Contains(good.tensors[2].name + " offset"));
    // A gap of unused bytes between two tensors.
    g = good;
    g.tensors[1].gapBefore = 32;
    CHECK_THAT(ggufError(dir, g), Contains(good.tensors[1].name + " offset"));
}

TEST_CASE("GGUF corrupt: expert count other than 0", "[loading]") {
    TempDir dir;
    for (int32_t n : {-1, 8}) {
        GgufFile g = tinyGguf();
        Bytes b;
        put(b, n);
        g.set("llama.expert_count", kI32, b);
        const std::string msg = ggufError(dir, g);
        CHECK_THAT(msg, Contains("llama.expert_count"));
        CHECK_THAT(msg, Contains(std::to_string(n)));
    }
}

TEST_CASE("GGUF corrupt: control characters and invalid UTF-8 from the file are printable", "[loading]") {
    TempDir dir;
    GgufFile g = tinyGguf();
    g.setString("general.architecture", "\x1b[2J\x1b[Hllama\r\xff");
    const std::string msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("general.architecture"));
    CHECK_THAT(msg, Contains("\\x1B[2J"));  // the escape written out, not sent to the terminal
    CHECK(msg.find('\x1b') == std::string::npos);
    CHECK(msg.find('\r') == std::string::npos);
    CHECK_THAT(msg, Contains("\xEF\xBF\xBD"));  // U+FFFD for the invalid byte
}

TEST_CASE("GGUF corrupt: unknown or unsupported dtype", "[loading]") {
    TempDir dir;
    GgufFile g = tinyGguf();
    // Q4_K is read since issue 11; IQ2_XXS is a type ggml has and this engine does not.
    g.tensor("blk.0.attn_k.weight").type = kGgmlIQ2XXS;
    std::string msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("blk.0.attn_k.weight type"));
    CHECK_THAT(msg, Contains("IQ2_XXS (16)"));

    g.tensor("blk.0.attn_k.weight").type = 9999;
    msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("blk.0.attn_k.weight type"));
    CHECK_THAT(msg, Contains("9999"));

    // Q8_0 rows must be whole blocks of 32.
    g = tinyGguf();
    g.tensor("blk.0.attn_norm.weight").ne = {16};
    g.tensor("blk.0.attn_norm.weight").type = kGgmlQ8_0;
    CHECK_THAT(ggufError(dir, g), Contains("blk.0.attn_norm.weight ne"));
}

TEST_CASE("GGUF corrupt: an unsupported type is named on one line with the supported ones", "[loading]") {
    TempDir dir;
    GgufFile g = tinyGguf();
    g.tensor("blk.0.ffn_up.weight").type = 23;  // IQ4_XS
    const std::string msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("blk.0.ffn_up.weight type"));
    CHECK_THAT(msg, Contains("IQ4_XS (23)"));
    CHECK_THAT(msg, Contains("F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K"));
    CHECK(msg.find('\n') == std::string::npos);
}

TEST_CASE("GGUF corrupt: rows that are not whole blocks of their type", "[loading]") {
    TempDir dir;
    // attn_q is [32, 32]: a 256-value k-quant block cannot hold a row of 32.
    for (uint32_t type : {10u, 11u, 12u, 13u, 14u}) {
        GgufFile g = tinyGguf();
        g.tensor("blk.0.attn_q.weight").type = type;
        const std::string msg = ggufError(dir, g);
        const std::string name = anatomy::ggmlTypeInfo(type)->name;
        INFO(msg);
        CHECK_THAT(msg, Contains("blk.0.attn_q.weight ne"));
        CHECK_THAT(msg, Contains("a multiple of 256 (the " + name + " block size)"));
        CHECK_THAT(msg, Contains("[32, 32]"));
    }
    // A row of 33 values is not whole Q4_0 blocks of 32 either.
    GgufFile g = tinyGguf();
    g.tensor("output_norm.weight").ne = {33};
    g.tensor("output_norm.weight").type = 2;
    CHECK_THAT(ggufError(dir, g), Contains("a multiple of 32 (the Q4_0 block size)"));
}

TEST_CASE("GGUF corrupt: a norm weight of a quantized type", "[loading]") {
    TempDir dir;
    GgufFile g = tinyGguf();
    // A valid Q8_0 block of 32 values (scale 1, q = 1), where llama.cpp has float norm weights.
    GgufTensor& t = g.tensor("blk.0.attn_norm.weight");
    t.type = kGgmlQ8_0;
    t.data.clear();
    put<uint16_t>(t.data, toHalf(1.0f));
    for (int j = 0; j < 32; ++j) put<int8_t>(t.data, 1);
    const std::string msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("blk.0.attn_norm.weight type"));
    CHECK_THAT(msg, Contains("F32, F16 or BF16"));
    CHECK_THAT(msg, Contains("Q8_0 (8)"));
}

TEST_CASE("GGUF: matrices of the 32-value block types load as stored and run", "[loading]") {
    TempDir dir;
    std::mt19937 rng(1105);
    GgufFile g = tinyGguf();
    const std::vector<std::pair<const char*, anatomy::GgmlType>> mats = {
        {"blk.0.attn_q.weight", anatomy::GgmlType::Q4_0}, {"blk.0.attn_k.weight", anatomy::GgmlType::Q4_1},
        {"blk.0.attn_v.weight", anatomy::GgmlType::Q5_0}, {"blk.0.attn_output.weight", anatomy::GgmlType::Q5_1},
        {"blk.0.ffn_gate.weight", anatomy::GgmlType::BF16}, {"blk.0.ffn_up.weight", anatomy::GgmlType::F16},
        {"token_embd.weight", anatomy::GgmlType::Q5_1}};
    for (const auto& [name, type] : mats) {
        GgufTensor& t = g.tensor(name);
        const std::vector<uint8_t> blocks = ggmltest::randomMatrix(type, int(t.ne[1]), int(t.ne[0]), 0.2f, rng);
        t.type = uint32_t(type);
        t.data.assign(blocks.begin(), blocks.end());
    }
    std::shared_ptr<const anatomy::Model> m = anatomy::loadModel(dir.write("types.gguf", g.bytes()));
    const anatomy::LayerWeights& L = m->layers.at(0);
    CHECK(L.wq.type == anatomy::GgmlType::Q4_0);
    CHECK(L.wk.type == anatomy::GgmlType::Q4_1);
    CHECK(L.wv.type == anatomy::GgmlType::Q5_0);
    CHECK(L.wo.type == anatomy::GgmlType::Q5_1);
    CHECK(L.w1.type == anatomy::GgmlType::BF16);
    CHECK(L.w3.type == anatomy::GgmlType::F16);
    CHECK(L.w2.f32 != nullptr);  // F32 stays float
    CHECK(L.wq.f32 == nullptr);  // no float copy
    CHECK(m->tokenEmbedding == nullptr);
    CHECK(m->classifier.type == anatomy::GgmlType::Q5_1);  // tied: the embedding's blocks
    anatomy::Session session(m);
    const std::vector<int> ids = {1, 3, 5, 7, 2};
    const std::vector<float>& logits = session.forward(ids, true);
    CHECK(std::all_of(logits.begin(), logits.end(), [](float v) { return std::isfinite(v); }));
}

TEST_CASE("GGUF corrupt: missing required key", "[loading]") {
    TempDir dir;
    for (const char* key :
         {"general.architecture", "llama.embedding_length", "llama.feed_forward_length",
          "llama.block_count", "llama.attention.head_count", "llama.context_length",
          "tokenizer.ggml.tokens", "tokenizer.ggml.scores"}) {
        INFO(key);
        GgufFile g = tinyGguf();
        g.remove(key);
        const std::string msg = ggufError(dir, g);
        CHECK_THAT(msg, Contains(key));
        CHECK_THAT(msg, Contains("missing"));
    }
    // The optional keys have defaults.
    GgufFile g = tinyGguf();
    for (const char* key :
         {"llama.attention.head_count_kv", "llama.attention.layer_norm_rms_epsilon",
          "llama.rope.freq_base", "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id",
          "tokenizer.ggml.model"})
        g.remove(key);
    // Without head_count_kv every head has its own K and V.
    for (const char* name : {"blk.0.attn_k.weight", "blk.0.attn_v.weight"}) {
        g.tensor(name).ne = {kDim, kDim};
        g.tensor(name).data = floatBytes(pattern(size_t(kDim) * kDim, 0));
    }
    auto m = anatomy::loadGguf(dir.write("defaults.gguf", g.bytes()));
    CHECK(m->config.nKvHeads == kHeads);
    CHECK(m->config.normEps == 1e-5f);
    CHECK(m->config.ropeTheta == 10000.0f);
    CHECK(m->embeddedTokenizer->bosId() == 1);
    CHECK(m->embeddedTokenizer->eosId() == 2);
}

TEST_CASE("GGUF corrupt: missing or misshapen tensor", "[loading]") {
    TempDir dir;
    GgufFile g = tinyGguf();
    g.removeTensor("blk.0.ffn_gate.weight");
    std::string msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("blk.0.ffn_gate.weight"));
    CHECK_THAT(msg, Contains("missing"));

    g = tinyGguf();
    g.tensor("blk.0.attn_k.weight").ne = {kDim, kDim};  // as if n_kv_heads == n_heads
    g.tensor("blk.0.attn_k.weight").data = floatBytes(pattern(size_t(kDim) * kDim, 0));
    msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("blk.0.attn_k.weight shape"));
    CHECK_THAT(msg, Contains("[32, 16]"));
}

TEST_CASE("GGUF corrupt: wrong metadata type or value", "[loading]") {
    TempDir dir;
    GgufFile g = tinyGguf();
    g.setString("llama.embedding_length", "32");
    CHECK_THAT(ggufError(dir, g), Contains("llama.embedding_length"));

    // An architecture the engine does not know is named with the ones it does.
    g = tinyGguf();
    g.setString("general.architecture", "mamba");
    std::string msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("general.architecture"));
    CHECK_THAT(msg, Contains("mamba"));
    CHECK_THAT(msg, Contains("gptneox"));
    // A known one reads its own keys: llama's keys in a file that says gpt2 are not gpt2's.
    g = tinyGguf();
    g.setString("general.architecture", "gpt2");
    msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("gpt2.embedding_length"));
    CHECK_THAT(msg, Contains("missing"));

    g = tinyGguf();
    g.setU32("tokenizer.ggml.bos_token_id", kVocab);
    CHECK_THAT(ggufError(dir, g), Contains("tokenizer.ggml.bos_token_id"));

    g = tinyGguf();
    g.setU32("llama.rope.dimension_count", 4);  // partial RoPE
    CHECK_THAT(ggufError(dir, g), Contains("llama.rope.dimension_count"));

    g = tinyGguf();
    g.setU32("llama.expert_count", 8);
    CHECK_THAT(ggufError(dir, g), Contains("llama.expert_count"));
}

TEST_CASE("GGUF corrupt: duplicate tensor name or key", "[loading]") {
    TempDir dir;
    GgufFile g = tinyGguf();
    GgufTensor copy = g.tensor("blk.0.attn_norm.weight");
    g.tensors.push_back(copy);
    std::string msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("blk.0.attn_norm.weight"));
    CHECK_THAT(msg, Contains("duplicate"));

    g = tinyGguf();
    g.kvs.push_back(g.kvs.front());
    msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("general.architecture"));
    CHECK_THAT(msg, Contains("duplicate"));
}

TEST_CASE("GGUF corrupt: tokenizer size disagrees with the embedding", "[loading]") {
    TempDir dir;
    GgufFile g = tinyGguf();
    g.setStrings("tokenizer.ggml.tokens", {"<unk>", "<s>", "</s>", "<0x00>", "a", "b", "ab"});
    g.setF32s("tokenizer.ggml.scores", {0, 0, 0, 0, -1, -2, -3});
    std::string msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("tokenizer.ggml.tokens"));
    CHECK_THAT(msg, Contains("8"));
    CHECK_THAT(msg, Contains("7"));

    g = tinyGguf();
    g.setF32s("tokenizer.ggml.scores", {0, 0, 0});
    CHECK_THAT(ggufError(dir, g), Contains("tokenizer.ggml.scores"));
}

TEST_CASE("GGUF: every truncation and random header corruption is an Error, never a crash",
          "[loading]") {
    TempDir dir;
    const GgufFile g = tinyGguf();
    const Bytes full = g.bytes();
    const std::string path = dir.path() + "/mutant.gguf";
    size_t loaded = 0, rejected = 0;
    auto attempt = [&](const Bytes& b) {
        dir.write("mutant.gguf", b);
        try {
            anatomy::loadGguf(path);
            ++loaded;
        } catch (const Error&) {
            ++rejected;  // anything else (bad_alloc, length_error, a signal) fails the test
        }
    };
    // The metadata and tensor infos end where the data begins (every tensor's size is a
    // multiple of the alignment, so the data section has no padding).
    size_t dataBytes = 0;
    for (const auto& t : g.tensors) dataBytes += t.data.size();
    const size_t headerEnd = full.size() - dataBytes;
    // Every cut inside the fixed header, then one every few bytes through the metadata and the
    // tensor infos, then a few through the data.
    for (size_t keep = 0; keep < full.size(); keep += keep < 32 ? 1 : keep < headerEnd ? 7 : 2048)
        attempt(Bytes(full.begin(), full.begin() + long(keep)));
    CHECK(loaded == 0);  // every proper prefix is missing something

    std::mt19937 rng(1234);
    for (int i = 0; i < 200; ++i) {
        Bytes b = full;
        const int flips = 1 + int(rng() % 4);
        for (int f = 0; f < flips; ++f) b[rng() % headerEnd] = uint8_t(rng());
        attempt(b);
    }
    INFO(loaded << " mutants loaded, " << rejected << " rejected");
    CHECK(rejected > 0);
}

// =============================================================================================
// The tiny llama2.c files.

TEST_CASE("tiny valid llama2.c files load (legacy and ak42 v1)", "[loading]") {
    TempDir dir;
    const Llama2cHeader h;
    auto legacy = anatomy::loadLlama2c(dir.write("tiny.bin", legacyFile(h)));
    CHECK(legacy->format == ModelFormat::Llama2cLegacy);
    CHECK(legacy->config.dim == 8);
    CHECK(legacy->config.nKvHeads == 1);
    CHECK(legacy->config.sharedClassifier);
    CHECK(legacy->tokenEmbedding[3] == 1.0f + 3.0f / 1024.0f);

    Llama2cHeader untied = h;
    untied.vocab = -8;
    auto u = anatomy::loadLlama2c(dir.write("untied.bin", legacyFile(untied)));
    CHECK(u->config.vocabSize == 8);
    CHECK_FALSE(u->config.sharedClassifier);

    auto v1 = anatomy::loadLlama2c(dir.write("tiny_v1.bin", ak42File(1, h, 1, 0, v1Bytes(h))));
    CHECK(v1->format == ModelFormat::Llama2cV1);
    CHECK(anatomy::loadModel(dir.write("tiny2.bin", legacyFile(h)))->format ==
          ModelFormat::Llama2cLegacy);
}

TEST_CASE("llama2.c corrupt: truncated header", "[loading]") {
    TempDir dir;
    const Bytes full = legacyFile(Llama2cHeader{});
    const std::string path = dir.write("short.bin", Bytes(full.begin(), full.begin() + 10));
    CHECK_THAT(formatErrorOf([&] { anatomy::loadLlama2c(path); }), Contains("header"));
    const Bytes ak42 = ak42File(1, {}, 1, 0, 0);
    const std::string ak = dir.write("short_ak42.bin", Bytes(ak42.begin(), ak42.begin() + 100));
    CHECK_THAT(formatErrorOf([&] { anatomy::loadLlama2c(ak); }), Contains("header"));
}

TEST_CASE("llama2.c corrupt: unsupported ak42 version", "[loading]") {
    TempDir dir;
    const std::string path = dir.write("v3.bin", ak42File(3, {}, 1, 0, 4096));
    const std::string msg = formatErrorOf([&] { anatomy::loadLlama2c(path); });
    CHECK_THAT(msg, Contains("version"));
    CHECK_THAT(msg, Contains("3"));
}

TEST_CASE("llama2.c corrupt: zero, negative and absurd sizes", "[loading]") {
    TempDir dir;
    struct Case {
        const char* what;
        Llama2cHeader h;
        const char* field;
    };
    Llama2cHeader dim0, layersNeg, seq0, vocabMin, kvNeg;
    dim0.dim = 0;
    layersNeg.layers = -3;
    seq0.seq = 0;
    vocabMin.vocab = std::numeric_limits<int32_t>::min();  // |vocab| would overflow
    kvNeg.kvHeads = -1;
    for (const Case& c : {Case{"dim 0", dim0, "dim"}, Case{"n_layers -3", layersNeg, "n_layers"},
                          Case{"seq_len 0", seq0, "seq_len"},
                          Case{"vocab INT32_MIN", vocabMin, "vocab_size"},
                          Case{"n_kv_heads -1", kvNeg, "n_kv_heads"}}) {
        INFO(c.what);
        const std::string path =
            dir.write("bad.bin", legacyFile(c.h, legacyFloats(Llama2cHeader{})));
        CHECK_THAT(formatErrorOf([&] { anatomy::loadLlama2c(path); }), Contains(c.field));
    }
    // ak42 v1 with vocab -1 (negative is only meaningful in the legacy format).
    Llama2cHeader v = {};
    v.vocab = -1;
    const std::string path = dir.write("v1.bin", ak42File(1, v, 1, 0, 4096));
    CHECK_THAT(formatErrorOf([&] { anatomy::loadLlama2c(path); }), Contains("vocab_size"));

    // Each dimension in range, but together far larger than the file: must not allocate.
    Llama2cHeader big;
    big.dim = 1 << 16;
    big.hidden = 1 << 18;
    big.layers = 1024;
    big.heads = 1 << 10;
    big.kvHeads = 1 << 10;
    big.vocab = 1 << 21;
    big.seq = 1 << 22;
    const std::string bigPath = dir.write("big.bin", legacyFile(big, 64));
    CHECK_THAT(formatErrorOf([&] { anatomy::loadLlama2c(bigPath); }), Contains("file size"));
}

TEST_CASE("llama2.c corrupt: heads not dividing dim", "[loading]") {
    TempDir dir;
    Llama2cHeader h;
    h.heads = 3;
    h.kvHeads = 3;
    const std::string path = dir.write("heads.bin", legacyFile(h, legacyFloats(Llama2cHeader{})));
    const std::string msg = formatErrorOf([&] { anatomy::loadLlama2c(path); });
    CHECK_THAT(msg, Contains("n_heads"));
    CHECK_THAT(msg, Contains("3"));
}

TEST_CASE("llama2.c corrupt: kv heads not dividing heads", "[loading]") {
    TempDir dir;
    Llama2cHeader h;
    h.dim = 16;
    h.heads = 4;
    h.kvHeads = 3;
    const std::string path = dir.write("kv.bin", legacyFile(h, 4096));
    const std::string msg = formatErrorOf([&] { anatomy::loadLlama2c(path); });
    CHECK_THAT(msg, Contains("n_kv_heads"));
}

TEST_CASE("llama2.c corrupt: file shorter than its tensors", "[loading]") {
    TempDir dir;
    const Llama2cHeader h;
    std::string path = dir.write("short.bin", legacyFile(h, legacyFloats(h) - 1));
    CHECK_THAT(formatErrorOf([&] { anatomy::loadLlama2c(path); }), Contains("file size"));

    path = dir.write("short_v1.bin", ak42File(1, h, 1, 0, v1Bytes(h) - 4));
    CHECK_THAT(formatErrorOf([&] { anatomy::loadLlama2c(path); }), Contains("file size"));

    // An untied legacy file needs a classifier after the freq_cis tables.
    Llama2cHeader untied = h;
    untied.vocab = -8;
    path = dir.write("untied.bin", legacyFile(untied, legacyFloats(h)));
    CHECK_THAT(formatErrorOf([&] { anatomy::loadLlama2c(path); }), Contains("file size"));
}

TEST_CASE("llama2.c corrupt: file longer than its header implies", "[loading]") {
    TempDir dir;
    const Llama2cHeader h;
    // Trailing bytes, and a header whose n_layers or vocabulary was shrunk under real weights.
    const std::string extra = dir.write("extra.bin", legacyFile(h, legacyFloats(h) + 1));
    std::string msg = formatErrorOf([&] { anatomy::loadLlama2c(extra); });
    CHECK_THAT(msg, Contains("file size"));
    CHECK_THAT(msg, Contains("4 bytes the header does not account for"));
    Llama2cHeader two = h;
    two.layers = 2;
    Bytes shrunk = legacyFile(two);
    patch<int32_t>(shrunk, 8, 1);  // n_layers 2 -> 1
    msg = formatErrorOf([&] { anatomy::loadLlama2c(dir.write("shrunk.bin", shrunk)); });
    CHECK_THAT(msg, Contains("file size"));
    Llama2cHeader fewer = h;
    Bytes vocab = legacyFile(fewer);
    patch<int32_t>(vocab, 20, 7);  // vocab 8 -> 7
    CHECK_THAT(formatErrorOf([&] { anatomy::loadLlama2c(dir.write("vocab.bin", vocab)); }), Contains("file size"));
    // ak42 v1 with a trailing byte.
    Bytes v1 = ak42File(1, h, 1, 0, v1Bytes(h) + 1);
    CHECK_THAT(formatErrorOf([&] { anatomy::loadLlama2c(dir.write("v1.bin", v1)); }), Contains("file size"));
    // The exact size still loads.
    CHECK_NOTHROW(anatomy::loadLlama2c(dir.write("exact.bin", legacyFile(h))));
}

TEST_CASE("FIFOs and devices are refused at once, never opened", "[loading]") {
    TempDir dir;
    const std::string fifo = dir.path() + "/model.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // Opening a FIFO for reading would block forever: the loaders must not get that far.
    CHECK_THAT(errorOf([&] { anatomy::loadModel(fifo); }), Contains("is a FIFO (named pipe), expected a regular file"));
    CHECK_THAT(errorOf([&] { anatomy::Tokenizer::fromLlama2cFile(fifo, 512); }), Contains("is a FIFO"));
    CHECK_THAT(errorOf([&] { anatomy::loadModel("/dev/zero"); }), Contains("is a character device"));
}

TEST_CASE("llama2.c corrupt: bad shared_classifier and group_size", "[loading]") {
    TempDir dir;
    const Llama2cHeader h;
    std::string path = dir.write("shared.bin", ak42File(1, h, 7, 0, v1Bytes(h)));
    CHECK_THAT(formatErrorOf([&] { anatomy::loadLlama2c(path); }), Contains("shared_classifier"));

    for (int32_t gs : {0, -4, 3}) {
        INFO("group_size " << gs);
        path = dir.write("gs.bin", ak42File(2, h, 1, gs, 8192));
        CHECK_THAT(formatErrorOf([&] { anatomy::loadLlama2c(path); }), Contains("group_size"));
    }
}

// =============================================================================================
// Not a file at all.

TEST_CASE("empty file, directory and nonexistent path are errors, not crashes", "[loading]") {
    TempDir dir;
    const std::string empty = dir.write("empty.bin", {});
    CHECK_THAT(formatErrorOf([&] { anatomy::loadGguf(empty); }), Contains("magic"));
    CHECK_THAT(formatErrorOf([&] { anatomy::loadLlama2c(empty); }), Contains("header"));
    CHECK_THAT(errorOf([&] { anatomy::loadModel(empty); }), Contains(empty));

    for (auto load : {&anatomy::loadGguf, &anatomy::loadLlama2c, &anatomy::loadModel}) {
        CHECK_THAT(errorOf([&] { load(dir.path()); }), Contains("is a directory, expected a regular file"));
        const std::string missing = dir.path() + "/no-such-model.gguf";
        const std::string msg = errorOf([&] { load(missing); });
        CHECK_THAT(msg, Contains("no-such-model.gguf"));
        CHECK_THAT(msg, Contains("cannot open"));
    }
}

// ---------------------------------------------------------------------------------------------
// The real model re-encoded as F16 and Q8_0 GGUF files, the way llama.cpp's quantiser stores
// them, still behaves like the model: the reduced-precision paths work on real layouts, not
// only on tiny fixtures.

namespace {

Bytes f16Bytes(const float* v, size_t n) {
    Bytes b;
    for (size_t i = 0; i < n; ++i) {
        put(b, anatomy::q8_0::floatToHalf(v[i]));  // round to nearest even
    }
    return b;
}

// Q8_0: blocks of 32 values, d = max|x| / 127 stored as f16, q = round(x / d).
Bytes q8_0Bytes(const float* v, size_t n) {
    Bytes b;
    for (size_t blk = 0; blk < n / 32; ++blk) {
        const float* x = v + blk * 32;
        float amax = 0.0f;
        for (int j = 0; j < 32; ++j) amax = std::max(amax, std::fabs(x[j]));
        const float d = amax / 127.0f;
        put(b, anatomy::q8_0::floatToHalf(d));
        for (int j = 0; j < 32; ++j)
            put(b, static_cast<int8_t>(d == 0.0f ? 0 : std::lround(x[j] / d)));
    }
    return b;
}

// stories260K as a GGUF whose matrices use `type` (F16 or Q8_0; a matrix whose rows are not a
// whole number of Q8_0 blocks stays F16, as llama.cpp's quantiser does).
GgufFile realGguf(const anatomy::Model& m, const anatomy::Tokenizer& tok, uint32_t type) {
    const anatomy::ModelConfig& c = m.config;
    GgufFile g;
    g.setString("general.architecture", "llama");
    g.setU32("llama.embedding_length", uint32_t(c.dim));
    g.setU32("llama.feed_forward_length", uint32_t(c.hiddenDim));
    g.setU32("llama.block_count", uint32_t(c.nLayers));
    g.setU32("llama.attention.head_count", uint32_t(c.nHeads));
    g.setU32("llama.attention.head_count_kv", uint32_t(c.nKvHeads));
    g.setU32("llama.context_length", uint32_t(c.seqLen));
    g.setF32("llama.attention.layer_norm_rms_epsilon", c.normEps);
    g.setString("tokenizer.ggml.model", "llama");
    std::vector<std::string> pieces;
    std::vector<float> scores;
    for (int i = 0; i < tok.vocabSize(); ++i) {
        std::string p = tok.piece(i);
        for (size_t at = p.find(' '); at != std::string::npos; at = p.find(' ', at + 3))
            p.replace(at, 1, "\xE2\x96\x81");
        pieces.push_back(i == 1 ? "<s>" : i == 2 ? "</s>" : p);
        scores.push_back(tok.score(i));
    }
    g.setStrings("tokenizer.ggml.tokens", pieces);
    g.setF32s("tokenizer.ggml.scores", scores);
    auto addNorm = [&](const std::string& name, const float* w) {
        g.tensors.push_back({name, {uint64_t(c.dim)}, kGgmlF32,
                             floatBytes(std::vector<float>(w, w + c.dim)), {}, 0});
    };
    auto addMatrix = [&](const std::string& name, const float* w, int rows, int cols) {
        const size_t n = size_t(rows) * size_t(cols);
        const bool q8 = type == kGgmlQ8_0 && cols % 32 == 0;
        g.tensors.push_back({name, {uint64_t(cols), uint64_t(rows)}, q8 ? uint32_t(kGgmlQ8_0) : uint32_t(kGgmlF16),
                             q8 ? q8_0Bytes(w, n) : f16Bytes(w, n), {}, 0});
    };
    addMatrix("token_embd.weight", m.tokenEmbedding, c.vocabSize, c.dim);
    addNorm("output_norm.weight", m.rmsFinal);
    for (int l = 0; l < c.nLayers; ++l) {
        const auto& L = m.layers[size_t(l)];
        const std::string p = "blk." + std::to_string(l) + ".";
        addNorm(p + "attn_norm.weight", L.rmsAtt);
        addMatrix(p + "attn_q.weight", L.wq.f32, L.wq.rows, L.wq.cols);
        addMatrix(p + "attn_k.weight", L.wk.f32, L.wk.rows, L.wk.cols);
        addMatrix(p + "attn_v.weight", L.wv.f32, L.wv.rows, L.wv.cols);
        addMatrix(p + "attn_output.weight", L.wo.f32, L.wo.rows, L.wo.cols);
        addNorm(p + "ffn_norm.weight", L.rmsFfn);
        addMatrix(p + "ffn_gate.weight", L.w1.f32, L.w1.rows, L.w1.cols);
        addMatrix(p + "ffn_up.weight", L.w3.f32, L.w3.rows, L.w3.cols);
        addMatrix(p + "ffn_down.weight", L.w2.f32, L.w2.rows, L.w2.cols);
    }
    return g;
}

}  // namespace

TEST_CASE("stories260K re-encoded as F16 and Q8_0 GGUF stays the same model", "[loading]") {
    std::shared_ptr<const anatomy::Model> ref = anatomy::loadModel(modelPath("stories260K.bin"));
    const anatomy::Tokenizer tok = anatomy::Tokenizer::fromLlama2cFile(modelPath("tok512.bin"), 512);
    const std::vector<int> ids = tok.encode("Once upon a time, there was a little girl named Lily.", true);
    anatomy::Session refSession(ref);
    const std::vector<float> refLogits = refSession.forward(ids, true);  // [T, vocab]
    const size_t V = 512, T = ids.size();
    TempDir dir;
    for (auto [type, name, tolerance] : {std::tuple{uint32_t(kGgmlF16), "F16", 0.05f},
                                         std::tuple{uint32_t(kGgmlQ8_0), "Q8_0", 0.5f}}) {
        const std::string path = dir.write(std::string("stories260K-") + name + ".gguf",
                                           realGguf(*ref, tok, type).bytes());
        std::shared_ptr<const anatomy::Model> m = anatomy::loadGguf(path);
        if (type == kGgmlQ8_0) {
            // Q8_0 matrices stay quantized in memory (q8_0 x q8_0 kernels); w2's rows of 172 are
            // not whole blocks, so that one was written as F16 and is float.
            CHECK(m->layers[0].wq.blockQ8_0());
            CHECK(m->layers[0].w1.blockQ8_0());
            CHECK(m->layers[0].wq.f32 == nullptr);
            CHECK(!m->layers[0].w2.blockQ8_0());
        }
        REQUIRE(m->embeddedTokenizer);
        CHECK(m->embeddedTokenizer->encode("Once upon a time", true) == tok.encode("Once upon a time", true));
        anatomy::Session s(m);
        const std::vector<float> logits = s.forward(ids, true);
        REQUIRE(logits.size() == refLogits.size());
        float worst = 0.0f;
        size_t sameTop = 0;
        for (size_t t = 0; t < T; ++t) {
            const float* a = &refLogits[t * V];
            const float* b = &logits[t * V];
            for (size_t i = 0; i < V; ++i) worst = std::max(worst, std::fabs(a[i] - b[i]));
            sameTop += std::max_element(a, a + V) - a == std::max_element(b, b + V) - b;
        }
        std::printf("[loading] %s GGUF: max |logit - f32| = %.3g (tolerance %.2g), same top-1 at %zu of %zu positions\n",
                    name, worst, tolerance, sameTop, T);
        CHECK(worst < tolerance);
        CHECK(sameTop >= T - 1);
    }
}

// ---------------------------------------------------------------------------------------------
// Hardening (issue 14): special token ids, NaN weights, odd file types.

TEST_CASE("GGUF: special token ids must name a token of the vocabulary", "[loading][hardening]") {
    TempDir dir;
    GgufFile g = tinyGguf();
    g.setU32("tokenizer.ggml.bos_token_id", 511);  // the vocabulary has 8 tokens
    std::string msg = ggufError(dir, g);
    CHECK_THAT(msg, Contains("tokenizer.ggml.bos_token_id") && Contains("511"));

    g = tinyGguf();
    g.setU32("tokenizer.ggml.eos_token_id", 8);
    CHECK_THAT(ggufError(dir, g), Contains("tokenizer.ggml.eos_token_id"));

    g = tinyGguf();
    g.setU32("tokenizer.ggml.unknown_token_id", 99);
    CHECK_THAT(ggufError(dir, g), Contains("tokenizer.ggml.unknown_token_id") && Contains("99"));

    g = tinyGguf();
    Bytes minus5;
    put<int32_t>(minus5, -5);
    g.set("tokenizer.ggml.padding_token_id", kI32, minus5);
    CHECK_THAT(ggufError(dir, g), Contains("tokenizer.ggml.padding_token_id") && Contains("-5"));

    // A one-token vocabulary is refused at load, naming the BOS id it cannot hold (it used to
    // fail later with "token id 1 outside the vocabulary").
    g = tinyGguf();
    g.setStrings("tokenizer.ggml.tokens", {"<unk>"});
    g.setF32s("tokenizer.ggml.scores", {0});
    g.tensor("token_embd.weight").ne = {kDim, 1};
    g.tensor("token_embd.weight").data = floatBytes(pattern(kDim, 0));
    CHECK_THAT(ggufError(dir, g), Contains("tokenizer.ggml.bos_token_id"));
}

TEST_CASE("GGUF: the file's BOS, EOS and UNK ids are the tokenizer's", "[loading][hardening]") {
    TempDir dir;
    GgufFile g = tinyGguf();
    g.setU32("tokenizer.ggml.bos_token_id", 5);
    g.setU32("tokenizer.ggml.eos_token_id", 6);
    g.setU32("tokenizer.ggml.unknown_token_id", 7);
    const std::string path = dir.write("ids.gguf", g.bytes());
    auto m = anatomy::loadModel(path);
    REQUIRE(m->embeddedTokenizer);
    CHECK(m->embeddedTokenizer->bosId() == 5);
    CHECK(m->embeddedTokenizer->eosId() == 6);
    CHECK(m->embeddedTokenizer->unkId() == 7);
    CHECK(m->embeddedTokenizer->encode("ab", true).front() == 5);
}

TEST_CASE("NaN or infinite weights are refused at load, naming the tensor", "[loading][hardening]") {
    TempDir dir;
    GgufFile g = tinyGguf();
    std::vector<float> q = pattern(size_t(kDim) * kDim, 3);
    q[77] = std::numeric_limits<float>::quiet_NaN();
    g.tensor("blk.0.attn_q.weight").data = floatBytes(q);
    std::string path = dir.write("nan.gguf", g.bytes());
    std::string msg = errorOf([&] { anatomy::loadModel(path); });
    CHECK_THAT(msg, Contains("blk.0.attn_q.weight") && Contains("nan") && Contains("element 77"));

    g = tinyGguf();
    std::vector<float> norm = pattern(kDim, 1);
    norm[3] = std::numeric_limits<float>::infinity();
    g.tensor("output_norm.weight").data = floatBytes(norm);
    path = dir.write("inf.gguf", g.bytes());
    CHECK_THAT(errorOf([&] { anatomy::loadModel(path); }), Contains("output_norm.weight") && Contains("inf"));

    // A llama2.c file: llama2.c's own names (run.c's fields), with the layer.
    std::ifstream in(modelPath("stories260K.bin"), std::ios::binary);
    Bytes bin((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE(bin.size() > 4096);
    // Legacy layout: header (7 int32), token_embedding_table [512, 64], rms_att_weight [5, 64],
    // wq [5, 64, 64]: element 64*64 + 5 of wq lies in layer 1.
    const size_t wqAt = 28 + size_t(512 * 64 + 5 * 64) * 4;
    patch<float>(bin, wqAt + size_t(64 * 64 + 5) * 4, std::numeric_limits<float>::quiet_NaN());
    path = dir.write("nan.bin", bin);
    msg = errorOf([&] { anatomy::loadModel(path); });
    CHECK_THAT(msg, Contains("wq of layer 1") && Contains("element 5"));
}

TEST_CASE("A quantized matrix or embedding with a NaN scale is refused at load", "[loading][hardening]") {
    TempDir dir;
    std::mt19937 rng(1107);
    for (const char* name : {"blk.0.ffn_gate.weight", "token_embd.weight"}) {
        GgufFile g = tinyGguf();
        GgufTensor& t = g.tensor(name);
        const std::vector<uint8_t> blocks = ggmltest::randomMatrix(anatomy::GgmlType::Q8_0, int(t.ne[1]), int(t.ne[0]), 0.2f, rng);
        t.type = kGgmlQ8_0;
        t.data.assign(blocks.begin(), blocks.end());
        patch<uint16_t>(t.data, 34 * 3, 0x7e00);  // block 3's scale d: an f16 NaN
        const std::string path = dir.write("nan_q8.gguf", g.bytes());
        const std::string msg = errorOf([&] { anatomy::loadModel(path); });
        INFO(msg);
        CHECK_THAT(msg, Contains(name) && Contains("(Q8_0)") && Contains("nan") && Contains("element 96"));
    }
}

TEST_CASE("a model path that is a directory or a FIFO says so, without blocking", "[loading][hardening]") {
    TempDir dir;
    CHECK_THAT(errorOf([&] { anatomy::openModel(dir.path()); }), Contains("is a directory"));
    const std::string fifo = dir.path() + "/model.fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK_THAT(errorOf([&] { anatomy::openModel(fifo); }), Contains("is a FIFO"));
    CHECK_THAT(errorOf([&] { anatomy::openModel("/dev/zero"); }), Contains("is a character device"));
    CHECK_THAT(errorOf([&] { anatomy::openModel(dir.path() + "/nope.bin"); }), Contains("model not found"));
}

TEST_CASE("GGUF: a file claiming a 4,194,304-token context loads and runs without per-context tables",
          "[loading][hardening]") {
    TempDir dir;
    GgufFile g = tinyGguf();
    g.setU32("llama.context_length", 1u << 22);
    const std::string path = dir.write("long_context.gguf", g.bytes());
    std::shared_ptr<const Model> m = anatomy::loadModel(path);
    CHECK(m->config.seqLen == 1 << 22);
    struct rusage before {};
    ::getrusage(RUSAGE_SELF, &before);
    // Dual chunk attention remaps far keys to the trained context: the RoPE rows it reaches are
    // computed on the spot instead of a table of 4 M rows (128 MB here, far more for real heads).
    anatomy::SimSettings sim;
    anatomy::applySetting(sim, "attn.sparse=dual-chunk");
    anatomy::applySetting(sim, "attn.chunk=2");
    anatomy::Session s(m);
    s.setSettings(sim);
    const std::vector<int> ids = {1, 4, 5, 6, 7, 5, 4, 6};
    const std::vector<float>& logits = s.forward(ids, true);
    REQUIRE(logits.size() == ids.size() * size_t(kVocab));
    for (float x : logits) REQUIRE(std::isfinite(x));
    struct rusage after {};
    ::getrusage(RUSAGE_SELF, &after);
    // Peak RSS (KB) grew by less than the table would take (meaningful when run alone; in the
    // whole suite an earlier test may already have set a higher peak).
    CHECK(after.ru_maxrss - before.ru_maxrss < 64 * 1024);
}
