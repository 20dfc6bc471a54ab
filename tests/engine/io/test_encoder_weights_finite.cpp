// NaN and infinity in a t5 or bert file are refused at load, naming the tensor as the file names
// it (the encoder stack, the cross-attention, the relative-position tables, bert's fused QKV and
// post-norms), as a decoder's weights are (test_model_loading.cpp). Each fixture is a synth file
// with one tensor replaced by zeros and one bad value.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "anatomy/error.h"
#include "anatomy/model.h"
#include "anatomy/synth_gguf.h"
#include "kernels/q8_0.h"

using namespace anatomy;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

std::string tempPath(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("anatomy_finite_" + std::to_string(::getpid()) + "_" + name)).string();
}

// The error loading w's file gives (written to a temporary `fileName`, removed afterwards).
std::string loadErrorOf(const GgufWriter& w, const std::string& fileName) {
    const std::string path = tempPath(fileName);
    w.write(path);
    std::string msg = "(loaded without an error)";
    try {
        loadModel(path);
    } catch (const Error& e) {
        msg = e.what();
    }
    std::filesystem::remove(path);
    return msg;
}

// The load error of case's synth file with tensor `name` (shape ne) all zeros but `bad` at `at`.
std::string loadErrorWith(const std::string& synthCase, const std::string& name, std::vector<uint64_t> ne, size_t at,
                          float bad) {
    GgufWriter w = synthGguf(synthReferenceSpec(synthCase, 1));
    REQUIRE(w.removeTensor(name));
    size_t n = 1;
    for (uint64_t d : ne) n *= size_t(d);
    std::vector<float> v(n, 0.0f);
    v.at(at) = bad;
    w.addTensorF32(name, ne, v);
    return loadErrorOf(w, synthCase + ".gguf");
}

}  // namespace

TEST_CASE("t5: NaN or infinity in the encoder, cross-attention or bias tables is refused at load, naming the tensor",
          "[t5][loading][hardening]") {
    // t5: dim 64, 4 heads of 16, hidden 128, 32 buckets.
    struct Case {
        const char* tensor;
        std::vector<uint64_t> ne;
        size_t at;
        float bad;
        const char* shown;
    };
    const Case cases[] = {
        {"enc.blk.1.attn_q.weight", {64, 64}, 77, kNaN, "nan"},
        {"enc.blk.0.ffn_down.weight", {128, 64}, 5, kInf, "inf"},
        {"enc.blk.0.attn_rel_b.weight", {4, 32}, 9, kNaN, "nan"},
        {"enc.output_norm.weight", {64}, 3, -kInf, "-inf"},
        {"dec.blk.0.cross_attn_norm.weight", {64}, 1, kNaN, "nan"},
        {"dec.blk.1.cross_attn_k.weight", {64, 64}, 100, kInf, "inf"},
        {"dec.blk.1.cross_attn_o.weight", {64, 64}, 7, kNaN, "nan"},
        {"dec.blk.0.attn_rel_b.weight", {4, 32}, 0, kInf, "inf"},
        {"dec.blk.1.attn_o.weight", {64, 64}, 11, kNaN, "nan"},
    };
    for (const Case& c : cases) {
        const std::string msg = loadErrorWith("t5", c.tensor, c.ne, c.at, c.bad);
        INFO(msg);
        CHECK_THAT(msg, Catch::Contains(std::string("tensor ") + c.tensor + " holds " + c.shown) &&
                            Catch::Contains("element " + std::to_string(c.at)) && Catch::Contains("damaged"));
    }
    // The gated FFN's gate, by its own name.
    const std::string gate = loadErrorWith("t5-gated", "enc.blk.1.ffn_gate.weight", {64, 128}, 42, kNaN);
    CHECK_THAT(gate, Catch::Contains("tensor enc.blk.1.ffn_gate.weight holds nan at element 42"));
}

TEST_CASE("bert: NaN or infinity in any tensor is refused at load, naming it (fused QKV too)", "[bert][loading][hardening]") {
    // bert: dim 64, 4 heads, hidden 128, 64 positions.
    CHECK_THAT(loadErrorWith("bert", "blk.1.attn_output_norm.weight", {64}, 2, kNaN),
               Catch::Contains("tensor blk.1.attn_output_norm.weight holds nan at element 2"));
    CHECK_THAT(loadErrorWith("bert", "blk.0.layer_output_norm.bias", {64}, 6, kInf),
               Catch::Contains("tensor blk.0.layer_output_norm.bias holds inf at element 6"));
    CHECK_THAT(loadErrorWith("bert", "blk.0.attn_k.weight", {64, 64}, 70, kNaN),
               Catch::Contains("tensor blk.0.attn_k.weight holds nan at element 70"));
    CHECK_THAT(loadErrorWith("bert", "blk.1.ffn_up.weight", {64, 128}, 130, kInf),
               Catch::Contains("tensor blk.1.ffn_up.weight holds inf at element 130"));
    CHECK_THAT(loadErrorWith("bert", "position_embd.weight", {64, 64}, 64 * 9 + 1, kNaN),
               Catch::Contains("tensor position_embd.weight holds nan at element 577"));
    CHECK_THAT(loadErrorWith("bert", "token_embd_norm.bias", {64}, 0, kNaN),
               Catch::Contains("tensor token_embd_norm.bias holds nan"));
    // Fused: the value in the v rows (row 64 * 2 + 3) is named as attn_qkv's element.
    CHECK_THAT(loadErrorWith("bert-fused", "blk.1.attn_qkv.weight", {64, 192}, 64 * 131 + 5, kNaN),
               Catch::Contains("tensor blk.1.attn_qkv.weight holds nan at element 8389"));
    CHECK_THAT(loadErrorWith("bert-fused", "blk.0.attn_qkv.bias", {192}, 150, kInf),
               Catch::Contains("tensor blk.0.attn_qkv.bias holds inf at element 150"));
}

TEST_CASE("t5 stored quantized: a NaN or infinite Q8_0 scale or F16 element is refused at load, naming the tensor and type",
          "[t5][loading][hardening][quantized]") {
    // [64, 64] matrices, ne = {64, 64}: a Q8_0 row is two blocks of (f16 scale, 32 x int8).
    auto errorWith = [](const std::string& synthCase, const std::string& name, uint32_t type,
                        std::vector<uint8_t> bytes) {
        GgufWriter w = synthGguf(synthReferenceSpec(synthCase, 1));
        REQUIRE(w.removeTensor(name));
        w.addTensor(name, {64, 64}, type, std::move(bytes));
        return loadErrorOf(w, synthCase + "_q.gguf");
    };
    auto putHalf = [](std::vector<uint8_t>& b, size_t at, float f) {
        const uint16_t h = q8_0::floatToHalf(f);
        b[at] = uint8_t(h & 0xff);
        b[at + 1] = uint8_t(h >> 8);
    };
    // Q8_0: every scale 0.01 and every quant 1, but row 5's second block's scale NaN: its first
    // element is element 5 * 64 + 32 (the whole block dequantizes to NaN).
    std::vector<uint8_t> q8(size_t(64) * 2 * 34, 1);
    for (size_t blk = 0; blk < 128; ++blk) putHalf(q8, blk * 34, 0.01f);
    putHalf(q8, (5 * 2 + 1) * 34, kNaN);
    std::string msg = errorWith("t5-q8_0", "dec.blk.0.cross_attn_q.weight", 8, q8);
    INFO(msg);
    CHECK_THAT(msg, Catch::Contains("tensor dec.blk.0.cross_attn_q.weight (Q8_0) holds nan at element 352") &&
                        Catch::Contains("damaged"));
    // An infinite scale in the encoder's first block.
    std::vector<uint8_t> q8inf = q8;
    putHalf(q8inf, (5 * 2 + 1) * 34, 0.01f);
    putHalf(q8inf, 0, kInf);
    msg = errorWith("t5-q8_0", "enc.blk.1.attn_v.weight", 8, q8inf);
    CHECK_THAT(msg, Catch::Contains("tensor enc.blk.1.attn_v.weight (Q8_0) holds inf at element 0"));
    // F16: zeros but a half infinity at element 4000.
    std::vector<uint8_t> f16(size_t(64) * 64 * 2, 0);
    putHalf(f16, 4000 * 2, -kInf);
    msg = errorWith("t5-f16", "dec.blk.1.cross_attn_k.weight", 1, f16);
    CHECK_THAT(msg, Catch::Contains("tensor dec.blk.1.cross_attn_k.weight (F16) holds -inf at element 4000"));
}
