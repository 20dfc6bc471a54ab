// The benchmark's accounting counts what the forward pass computes: the classifier once per
// prefill (logits for the last prompt position only), causal attention over the visible keys.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>

#include "anatomy/forward_cost.h"
#include "anatomy/machine_probe.h"
#include "anatomy/model.h"
#include "test_paths.h"

TEST_CASE("prefill and decode costs count what the forward computes", "[forward_cost]") {
    auto m = anatomy::loadModel(modelPath("stories260K.bin"));
    // stories260K: dim 64, hidden 172, 5 layers, 8 heads of 8, 4 KV heads, vocab 512.
    // Per layer: wq 64x64 + wk 32x64 + wv 32x64 + wo 64x64 + w1, w2, w3 172x64 = 45312 MACs.
    const double layers = 5 * 45312.0, classifier = 512 * 64.0;
    const int P = 16;
    const anatomy::ForwardCost p = anatomy::prefillCost(*m, 0, P);
    // Matrices for every position, the classifier once; attention 2 products x 2 flops x
    // 5 layers x 8 heads x 8 dims x (1 + 2 + ... + 16) visible keys.
    CHECK(p.flops == 2.0 * (P * layers + classifier) + 4.0 * 5 * 64 * (P * (P + 1) / 2));
    CHECK(p.weightBytes == 4.0 * (layers + classifier));
    CHECK(p.kvBytes == 2.0 * 5 * 32 * 4 * P);  // K and V rows of 4 heads x 8 dims, float

    // A decoded token at position 16 attends to 17 keys and reads all 17 cached rows.
    const anatomy::ForwardCost d = anatomy::decodeCost(*m, P);
    CHECK(d.flops == 2.0 * (layers + classifier) + 4.0 * 5 * 64 * (P + 1));
    CHECK(d.kvBytes == 2.0 * 5 * 32 * 4 * (P + 1));

    // int8 weights are counted as stored: 1 byte per weight plus a float scale per group.
    auto q = anatomy::loadModel(modelPath("stories260K_q8.bin"));
    const anatomy::Matrix& w = q->layers[0].wq;
    REQUIRE(w.quantized());
    CHECK(anatomy::matrixBytes(w) == w.rows * w.cols * (1.0 + 4.0 / w.groupSize));
    CHECK(!anatomy::forwardCostCounts().empty());
}

TEST_CASE("bench names the CPU by family and model, not only the guest's model name", "[forward_cost]") {
    // Two KVM guests both named "AMD EPYC": a Zen 4 (Genoa) and a Zen 5 (Turin).
    const char* genoa = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\n"
                        "model name\t: AMD EPYC\n\nprocessor\t: 1\nvendor_id\t: GenuineIntel\n";
    CHECK(anatomy::describeCpu(genoa) == "AMD EPYC (AuthenticAMD, family 25, model 17: Zen 4)");
    const char* turin = "vendor_id : AuthenticAMD\ncpu family : 26\nmodel : 2\nmodel name : AMD EPYC\n";
    CHECK(anatomy::describeCpu(turin) == "AMD EPYC (AuthenticAMD, family 26, model 2: Zen 5)");
    const char* milan = "vendor_id : AuthenticAMD\ncpu family : 25\nmodel : 1\nmodel name : AMD EPYC 7B13\n";
    CHECK(anatomy::describeCpu(milan) == "AMD EPYC 7B13 (AuthenticAMD, family 25, model 1: Zen 3)");
    // Intel's model name already says which part it is; no generation is guessed.
    const char* intel = "vendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 143\n"
                        "model name\t: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz\n";
    CHECK(anatomy::describeCpu(intel) == "Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz (GenuineIntel, family 6, model 143)");
    // No fields (another OS's text, an empty file): said so, no crash.
    CHECK(anatomy::describeCpu("") == "unknown CPU");
    CHECK(anatomy::describeCpu("garbage without colons\n\x01\x02") == "unknown CPU");
    CHECK(anatomy::describeCpu("vendor_id : AuthenticAMD\ncpu family : 2x\nmodel : 1\n") ==
          "AuthenticAMD (AuthenticAMD, family 2x, model 1)");
    CHECK(anatomy::describeCpu("model name : Some CPU\ncpu family : 6\nmodel : 1\n") == "Some CPU (family 6, model 1)");
    // This machine: where /proc/cpuinfo names a vendor and family (x86 Linux), bench's line
    // carries them, not just the model name.
    std::ifstream in("/proc/cpuinfo");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.find("vendor_id") != std::string::npos && text.find("cpu family") != std::string::npos)
        CHECK(anatomy::cpuDescription().find(", family ") != std::string::npos);
}
