// ggml weight types kept as stored (issue 11): dequantization against llama.cpp's gguf-py bit
// for bit (tests/engine/reference/quant_blocks.txt, written by make_quant_reference.py), every
// SIMD row kernel against its scalar twin and both against the double-precision dot of the
// dequantized row, and the threaded matmul over odd shapes. Each check prints what it saw.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "anatomy/ggml_type.h"
#include "anatomy/kernels.h"
#include "anatomy/model.h"
#include "ggml_test_blocks.h"
#include "kernels/ggml_blocks.h"
#include "kernels/matmul.h"

using anatomy::GgmlType;
using anatomy::Matrix;
using anatomy::kernels::KernelTable;

namespace {

constexpr double kU = 1.0 / (1 << 24);  // unit roundoff of float

struct Record {
    std::vector<uint8_t> block;
    std::vector<uint32_t> values;  // float bit patterns
};
struct TypeRecords {
    uint32_t id = 0;
    int valuesPer = 0, bytesPer = 0;
    std::vector<Record> records;
};

std::vector<uint8_t> fromHex(const std::string& h) {
    std::vector<uint8_t> out(h.size() / 2);
    for (size_t i = 0; i < out.size(); ++i) out[i] = uint8_t(std::stoul(h.substr(2 * i, 2), nullptr, 16));
    return out;
}

std::map<std::string, TypeRecords> readFixture() {
    std::ifstream in(std::string(ANATOMY_TEST_SOURCE_DIR) + "/engine/reference/quant_blocks.txt");
    REQUIRE(in.good());
    std::map<std::string, TypeRecords> types;
    TypeRecords* cur = nullptr;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream ls(line);
        std::string tag;
        ls >> tag;
        if (tag == "type") {
            std::string name;
            int n = 0;
            cur = &types[(ls >> name, name)];
            ls >> cur->id >> cur->valuesPer >> cur->bytesPer >> n;
        } else if (tag == "block") {
            std::string hex;
            ls >> hex;
            cur->records.push_back({fromHex(hex), {}});
        } else if (tag == "values") {
            std::string v;
            while (ls >> v) cur->records.back().values.push_back(uint32_t(std::stoul(v, nullptr, 16)));
        }
    }
    return types;
}

std::vector<float> randomFloats(size_t n, std::mt19937& rng) {
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    std::vector<float> v(n);
    for (float& x : v) x = dist(rng);
    return v;
}

std::vector<const KernelTable*> simdTables() {
    std::vector<const KernelTable*> t;
    if (auto* k = anatomy::kernels::avx2Kernels()) t.push_back(k);
    if (auto* k = anatomy::kernels::avx512Kernels()) t.push_back(k);
    return t;
}

struct ThreadsGuard {
    ~ThreadsGuard() {
        anatomy::ops::setThreads(0);
        anatomy::ops::setQuantizedActivations(true);
    }
};

}  // namespace

TEST_CASE("ggml type table: sizes as gguf-py gives them, unknown ids named", "[kernels][ggml]") {
    const std::map<std::string, TypeRecords> fixture = readFixture();
    for (const auto& [name, rec] : fixture) {
        const anatomy::GgmlTypeInfo* info = anatomy::ggmlTypeInfo(rec.id);
        REQUIRE(info != nullptr);
        CHECK(std::string(info->name) == name);
        CHECK(info->supported);
        // F16 and BF16 records hold 32 values each.
        CHECK(rec.bytesPer * info->blockSize == info->blockBytes * rec.valuesPer);
    }
    CHECK(fixture.size() == ggmltest::blockTypes().size());
    CHECK(anatomy::ggmlTypeName(99) == "unknown type (99)");
    CHECK(anatomy::ggmlTypeName(GgmlType::IQ2_XXS) == "IQ2_XXS (16)");
    CHECK_FALSE(anatomy::ggmlTypeInfo(GgmlType::IQ2_XXS).supported);
    std::vector<float> out(256);
    std::vector<uint8_t> in(256);
    CHECK_THROWS_AS(anatomy::ggml::dequantize(GgmlType::IQ2_XXS, out.data(), in.data(), 256),
                    std::invalid_argument);
}

TEST_CASE("ggml dequantization equals gguf-py's, bit for bit, block by block", "[kernels][ggml]") {
    const std::map<std::string, TypeRecords> fixture = readFixture();
    size_t nValues = 0;
    for (const auto& [name, rec] : fixture) {
        INFO(name);
        const GgmlType t = GgmlType(rec.id);
        std::vector<uint8_t> all;  // every block of the type, dequantized in one call as well
        std::vector<uint32_t> allWant;
        int b = 0;
        for (const Record& r : rec.records) {
            INFO("block " << b++);
            REQUIRE(int(r.block.size()) == rec.bytesPer);
            REQUIRE(int(r.values.size()) == rec.valuesPer);
            std::vector<float> got(r.values.size());
            anatomy::ggml::dequantize(t, got.data(), r.block.data(), got.size());
            int wrong = 0, first = -1;
            for (size_t i = 0; i < got.size(); ++i) {
                uint32_t bits;
                std::memcpy(&bits, &got[i], 4);
                if (bits != r.values[i] && wrong++ == 0) first = int(i);
            }
            if (wrong) {
                float want;
                std::memcpy(&want, &r.values[size_t(first)], 4);
                FAIL_CHECK(wrong << " values differ; first at " << first << ": got " << got[size_t(first)] << ", gguf-py " << want);
            }
            all.insert(all.end(), r.block.begin(), r.block.end());
            allWant.insert(allWant.end(), r.values.begin(), r.values.end());
            nValues += got.size();
        }
        std::vector<float> got(allWant.size());
        anatomy::ggml::dequantize(t, got.data(), all.data(), got.size());
        CHECK(std::memcmp(got.data(), allWant.data(), 4 * got.size()) == 0);
    }
    std::printf("[ggml] dequantization vs gguf-py: %zu values of %zu types compared, bit for bit\n",
                nValues, fixture.size());
}

TEST_CASE("ggml dequantization: every kernel table gives the scalar bits", "[kernels][ggml]") {
    std::mt19937 rng(1106);
    const std::vector<const KernelTable*> tables = simdTables();
    if (tables.empty()) SUCCEED("no SIMD table on this CPU: the scalar dequantizer is the only one");
    for (const KernelTable* k : tables)
        for (GgmlType t : ggmltest::blockTypes()) {
            const int cols = anatomy::ggmlTypeInfo(t).blockSize == 1 ? 203 : 512;
            const std::vector<uint8_t> W = ggmltest::randomMatrix(t, 3, cols, 0.1f, rng);
            std::vector<float> want(size_t(3 * cols)), got(size_t(3 * cols), -1.0f);
            anatomy::kernels::scalarKernels().dequantize(t, want.data(), W.data(), want.size());
            k->dequantize(t, got.data(), W.data(), got.size());
            INFO(k->name << " " << anatomy::ggmlTypeInfo(t).name);
            CHECK(std::memcmp(want.data(), got.data(), 4 * want.size()) == 0);
        }
}

TEST_CASE("ggml row kernels: SIMD equals the scalar twin, both equal the double dot",
          "[kernels][ggml]") {
    std::mt19937 rng(1101);
    const KernelTable& ref = anatomy::kernels::scalarKernels();
    std::vector<const KernelTable*> tables = {&ref};
    for (const KernelTable* k : simdTables()) tables.push_back(k);
    for (GgmlType t : ggmltest::blockTypes()) {
        const anatomy::GgmlTypeInfo& info = anatomy::ggmlTypeInfo(t);
        std::vector<int> widths;
        if (info.blockSize == 1) widths = {1, 7, 8, 15, 16, 33, 100, 256};
        else for (int nb : {1, 2, 5}) widths.push_back(nb * info.blockSize);
        double worstTwin = 0, worstRef = 0, worstAbs = 0;
        for (int rows : {1, 3, 7}) {
            for (int cols : widths) {
                const std::vector<uint8_t> W = ggmltest::randomMatrix(t, rows, cols, 0.1f, rng);
                const std::vector<float> x = randomFloats(size_t(cols), rng);
                std::vector<float> dense(size_t(rows) * size_t(cols));
                anatomy::ggml::dequantize(t, dense.data(), W.data(), dense.size());
                std::vector<float> want(static_cast<size_t>(rows));
                ref.matvecBlocks(t, want.data(), W.data(), x.data(), rows, cols);
                for (const KernelTable* k : tables) {
                    std::vector<float> got(size_t(rows), -1.0f);
                    k->matvecBlocks(t, got.data(), W.data(), x.data(), rows, cols);
                    for (int r = 0; r < rows; ++r) {
                        const float* v = &dense[size_t(r) * size_t(cols)];
                        const uint8_t* row = W.data() + size_t(r) * anatomy::ggmlRowBytes(t, cols);
                        double exact = 0;
                        for (int c = 0; c < cols; ++c) exact += double(v[c]) * x[size_t(c)];
                        // A float sum of n terms is within n u S of the exact one (S: term sizes).
                        const double S = ggmltest::termScale(t, row, v, x.data(), cols) + 1e-30;
                        const double toRef = std::fabs(got[size_t(r)] - exact) / ((cols + 4) * kU * S);
                        const double toTwin = std::fabs(double(got[size_t(r)]) - want[size_t(r)]) / (2 * (cols + 4) * kU * S);
                        worstRef = std::max(worstRef, toRef);
                        worstTwin = std::max(worstTwin, toTwin);
                        worstAbs = std::max(worstAbs, std::fabs(double(got[size_t(r)]) - want[size_t(r)]));
                    }
                }
            }
        }
        std::printf("[ggml] %-4s row kernels (%zu tables): max |simd - scalar| %.3g, worst diff / "
                    "tolerance vs scalar twin (2 (n+4) u S) %.3g, vs double dot ((n+4) u S) %.3g\n",
                    info.name, tables.size(), worstAbs, worstTwin, worstRef);
        INFO(info.name);
        CHECK(worstTwin <= 1.0);
        CHECK(worstRef <= 1.0);
    }
}

TEST_CASE("ggml matmul: any type, odd shapes, thread count changes no bit", "[kernels][ggml]") {
    ThreadsGuard guard;
    std::mt19937 rng(1102);
    const int rows = 203;  // not divisible by any row split
    for (GgmlType t : ggmltest::blockTypes()) {
        const anatomy::GgmlTypeInfo& info = anatomy::ggmlTypeInfo(t);
        const int cols = info.blockSize == 1 ? 200 : 2 * std::max(info.blockSize, 256);
        const std::vector<uint8_t> blocks = ggmltest::randomMatrix(t, rows, cols, 0.1f, rng);
        const Matrix W = ggmltest::blockMatrix(t, rows, cols, blocks);
        std::vector<float> dense(size_t(rows) * size_t(cols));
        anatomy::ops::dequantizeRows(dense.data(), W, 0, rows);
        anatomy::ops::setQuantizedActivations(false);  // Q8_0 too: float activations
        double worst = 0;
        for (int nTok : {1, 3, 5, 17}) {  // row kernels below 4 tokens, dequantize + gemm above
            const std::vector<float> X = randomFloats(size_t(nTok) * size_t(cols), rng);
            std::vector<float> y1(size_t(nTok) * rows), y2(size_t(nTok) * rows);
            anatomy::ops::setThreads(1);
            anatomy::ops::matmul(y1.data(), X.data(), W, nTok);
            anatomy::ops::setThreads(2);
            anatomy::ops::matmul(y2.data(), X.data(), W, nTok);
            INFO(info.name << " nTok " << nTok);
            CHECK(y1 == y2);
            for (int tk = 0; tk < nTok; ++tk)
                for (int r = 0; r < rows; ++r) {
                    double exact = 0, S = 0;
                    for (int c = 0; c < cols; ++c) {
                        const double p = double(dense[size_t(r) * size_t(cols) + size_t(c)]) * X[size_t(tk) * size_t(cols) + size_t(c)];
                        exact += p;
                        S += std::fabs(p);
                    }
                    // S from the values only is enough for the dequantize + gemm path; the row
                    // kernels' min terms are covered by the kernel test above, so allow 4x.
                    const double diff = std::fabs(y1[size_t(tk) * rows + size_t(r)] - exact);
                    worst = std::max(worst, diff / (4.0 * (cols + 4) * kU * (S + 1e-30)));
                }
        }
        std::printf("[ggml] %-4s matmul %d x %d, 1-17 tokens, 1 and 2 threads: worst diff / "
                    "tolerance (4 (n+4) u sum|w x|) vs the double product %.3g\n",
                    info.name, rows, cols, worst);
        CHECK(worst <= 1.0);
    }
}

TEST_CASE("ggml matmul rejects a row width that is not whole blocks", "[kernels][ggml]") {
    std::vector<uint8_t> blocks(144 * 4);
    Matrix W;
    W.rows = 2;
    W.cols = 300;
    W.type = GgmlType::Q4_K;
    W.blocks = blocks.data();
    std::vector<float> x(300), y(2);
    try {
        anatomy::ops::matmul(y.data(), x.data(), W, 1);
        FAIL("no error for 300 columns of Q4_K");
    } catch (const std::invalid_argument& e) {
        CHECK_THAT(e.what(), Catch::Contains("Q4_K") && Catch::Contains("256"));
    }
}
