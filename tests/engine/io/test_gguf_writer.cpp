// The GGUF writer: a file it writes loads with the GGUF loader with the values it was given
// (metadata of every value type, F32, F16 and Q8_0 tensors, a non-default alignment), and it
// refuses shapes and byte counts that do not agree.
#include <catch2/catch.hpp>

#include "kernels/ggml_blocks.h"

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "anatomy/error.h"
#include "anatomy/gguf_writer.h"
#include "anatomy/model.h"

using anatomy::GgmlType;
using anatomy::GgufType;
using anatomy::GgufWriter;
using Catch::Matchers::Contains;

namespace {

namespace fs = std::filesystem;

std::string tempPath(const std::string& name) {
    return (fs::temp_directory_path() / ("anatomy_writer_" + std::to_string(::getpid()) + "_" + name)).string();
}

constexpr int kDim = 32, kHidden = 64, kVocab = 8, kHeads = 4, kKvHeads = 2, kCtx = 16;

std::vector<float> ramp(size_t n, float scale, float offset = 0.0f) {
    std::vector<float> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = offset + scale * float(int(i % 13) - 6);
    return v;
}

// F16 of values exactly representable in it (normal numbers and zero): sign, exponent - 127 + 15,
// the top 10 mantissa bits.
uint16_t exactHalf(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    if ((u & 0x7fffffffu) == 0) return uint16_t(u >> 16);
    const uint32_t sign = (u >> 16) & 0x8000u, exp = ((u >> 23) & 0xffu) - 127 + 15, mant = (u >> 13) & 0x3ffu;
    return uint16_t(sign | (exp << 10) | mant);
}

std::vector<uint8_t> f16Bytes(const std::vector<float>& v) {
    std::vector<uint8_t> b(v.size() * 2);
    for (size_t i = 0; i < v.size(); ++i) {
        const uint16_t h = exactHalf(v[i]);
        std::memcpy(&b[2 * i], &h, 2);
    }
    return b;
}

// Q8_0 blocks with scale d = 1 (exact in F16) and q = the integer values given.
std::vector<uint8_t> q8Blocks(const std::vector<int8_t>& q) {
    std::vector<uint8_t> b;
    for (size_t i = 0; i < q.size(); i += 32) {
        b.push_back(0x00);
        b.push_back(0x3c);  // f16 1.0
        for (size_t j = 0; j < 32; ++j) b.push_back(uint8_t(q[i + j]));
    }
    return b;
}

// A one-layer llama with every metadata value type among its keys, a Q8_0 W_q and an F16 W_o.
GgufWriter tinyLlama(uint32_t alignment) {
    GgufWriter w(alignment);
    w.addString("general.architecture", "llama");
    w.addU8("test.u8", 200);
    w.addI8("test.i8", -100);
    w.addU16("test.u16", 60000);
    w.addI16("test.i16", -30000);
    w.addI64("test.i64", -(int64_t(1) << 40));
    w.addU64("test.u64", uint64_t(1) << 50);
    w.addF64("test.f64", 0.125);
    w.addBool("test.bool", true);
    const uint16_t u16s[] = {1, 2, 3};
    w.addArray("test.u16_array", GgufType::U16, u16s, 3);
    w.addU32("llama.embedding_length", kDim);
    w.addI32("llama.feed_forward_length", kHidden);
    w.addU64("llama.block_count", 1);  // any integer type is read
    w.addU16("llama.attention.head_count", kHeads);
    w.addI16("llama.attention.head_count_kv", kKvHeads);
    w.addU32("llama.context_length", kCtx);
    w.addF64("llama.attention.layer_norm_rms_epsilon", 1e-6);
    w.addF32("llama.rope.freq_base", 500000.0f);
    w.addString("tokenizer.ggml.model", "llama");
    w.addStringArray("tokenizer.ggml.tokens", {"<unk>", "<s>", "</s>", "<0x00>", "a", "b", "ab", "\xe2\x96\x81"});
    w.addF32Array("tokenizer.ggml.scores", {0, 0, 0, 0, -1, -2, -3, -4});
    w.addI32Array("tokenizer.ggml.token_type", {2, 3, 3, 6, 1, 1, 1, 1});
    w.addU32("tokenizer.ggml.bos_token_id", 1);
    w.addU32("tokenizer.ggml.eos_token_id", 2);

    const uint64_t D = kDim, H = kHidden, KV = kDim / kHeads * kKvHeads;
    w.addTensorF32("token_embd.weight", {D, kVocab}, ramp(D * kVocab, 0.01f));
    w.addTensorF32("blk.0.attn_norm.weight", {D}, ramp(D, 0.01f, 1.0f));
    std::vector<int8_t> q(D * D);
    for (size_t i = 0; i < q.size(); ++i) q[i] = int8_t(int(i % 7) - 3);
    w.addTensor("blk.0.attn_q.weight", {D, D}, uint32_t(GgmlType::Q8_0), q8Blocks(q));
    w.addTensorF32("blk.0.attn_k.weight", {D, KV}, ramp(D * KV, 0.03f));
    w.addTensorF32("blk.0.attn_v.weight", {D, KV}, ramp(D * KV, 0.04f));
    w.addTensor("blk.0.attn_output.weight", {D, D}, uint32_t(GgmlType::F16), f16Bytes(ramp(D * D, 0.25f)));
    w.addTensorF32("blk.0.ffn_norm.weight", {D}, ramp(D, 0.02f, 1.0f));
    w.addTensorF32("blk.0.ffn_gate.weight", {D, H}, ramp(D * H, 0.05f));
    w.addTensorF32("blk.0.ffn_down.weight", {H, D}, ramp(D * H, 0.06f));
    w.addTensorF32("blk.0.ffn_up.weight", {D, H}, ramp(D * H, 0.07f));
    w.addTensorF32("output_norm.weight", {D}, ramp(D, 0.03f, 1.0f));
    return w;
}

}  // namespace

TEST_CASE("GGUF writer: a written llama file loads with the values it was given", "[gguf-writer]") {
    for (uint32_t alignment : {32u, 64u, 8u}) {
        INFO("alignment " << alignment);
        const std::string path = tempPath("tiny_" + std::to_string(alignment) + ".gguf");
        const std::vector<uint8_t> bytes = tinyLlama(alignment).bytes();
        CHECK(bytes.size() % alignment == 0);  // the last tensor is padded too, as llama.cpp writes
        tinyLlama(alignment).write(path);
        CHECK(fs::file_size(path) == bytes.size());
        auto m = anatomy::loadGguf(path);
        CHECK(m->config.dim == kDim);
        CHECK(m->config.hiddenDim == kHidden);
        CHECK(m->config.nLayers == 1);
        CHECK(m->config.nHeads == kHeads);
        CHECK(m->config.nKvHeads == kKvHeads);
        CHECK(m->config.vocabSize == kVocab);
        CHECK(m->config.seqLen == kCtx);
        CHECK(m->config.normEps == 1e-6f);
        CHECK(m->config.ropeTheta == 500000.0f);
        CHECK(m->config.sharedClassifier);
        REQUIRE(m->embeddedTokenizer);
        CHECK(m->embeddedTokenizer->vocabSize() == kVocab);
        CHECK(m->embeddedTokenizer->piece(6) == "ab");
        CHECK(m->embeddedTokenizer->score(6) == -3.0f);
        // Tensors come back exactly: F32 in place, Q8_0 and F16 kept as blocks.
        const std::vector<float> emb = ramp(size_t(kDim) * kVocab, 0.01f);
        CHECK(std::memcmp(m->tokenEmbedding, emb.data(), emb.size() * 4) == 0);
        const std::vector<float> gate = ramp(size_t(kDim) * kHidden, 0.05f);
        REQUIRE(m->layers[0].w1.f32);
        CHECK(std::memcmp(m->layers[0].w1.f32, gate.data(), gate.size() * 4) == 0);
        REQUIRE(m->layers[0].wq.blockQ8_0());
        float first[32];
        anatomy::ggml::dequantize(GgmlType::Q8_0, first, m->layers[0].wq.blocks, 32);
        CHECK(first[0] == -3.0f);
        CHECK(first[4] == 1.0f);
        REQUIRE(m->layers[0].wo.ggml());
        CHECK(m->layers[0].wo.type == GgmlType::F16);
        const std::vector<float> wo = ramp(size_t(kDim) * kDim, 0.25f);  // exact in F16
        std::vector<float> back(wo.size());
        anatomy::ggml::dequantize(GgmlType::F16, back.data(), m->layers[0].wo.blocks, back.size());
        CHECK(back == wo);
        fs::remove(path);
    }
}

TEST_CASE("GGUF writer: shapes, byte counts, names and types are checked", "[gguf-writer]") {
    GgufWriter w;
    CHECK_THROWS_WITH(w.addTensor("x", {30, 2}, uint32_t(GgmlType::Q8_0), std::vector<uint8_t>(68)),
                      Contains("multiple of 32"));
    CHECK_THROWS_WITH(w.addTensor("x", {4, 2}, uint32_t(GgmlType::F32), std::vector<uint8_t>(31)),
                      Contains("32 bytes"));
    CHECK_THROWS_WITH(w.addTensor("x", {4}, 99, std::vector<uint8_t>(4)), Contains("99"));
    w.addTensorF32("x", {2}, {1.0f, 2.0f});
    CHECK_THROWS_WITH(w.addTensorF32("x", {2}, {1.0f, 2.0f}), Contains("twice"));
    w.addU32("k", 1);
    CHECK_THROWS_WITH(w.addU32("k", 2), Contains("twice"));
    CHECK_THROWS_WITH(GgufWriter(24), Contains("power of two"));
    CHECK(anatomy::ggmlBlock(uint32_t(GgmlType::Q4_K)).bytes == 144);
    CHECK(anatomy::ggmlBlock(uint32_t(GgmlType::Q6_K)).values == 256);
}
