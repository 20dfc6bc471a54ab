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

#include "anatomy/error.h"
#include "anatomy/model.h"
#include "anatomy/synth_gguf.h"

using namespace anatomy;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

std::string tempPath(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("anatomy_finite_" + std::to_string(::getpid()) + "_" + name)).string();
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
    const std::string path = tempPath(synthCase + ".gguf");
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
