// Every SIMD kernel against its scalar twin, on odd shapes that exercise the column tails and the
// edge tiles, and the threaded matmul against direct reference formulas (float and llama2.c
// int8). Each check prints the largest difference it saw next to the tolerance it allowed.
#include <algorithm>
#include <fstream>
#include <iterator>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <iomanip>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <emmintrin.h>

#include "anatomy/kernels.h"
#include "anatomy/model.h"
#include "anatomy/session.h"
#include "kernels/matmul.h"

using anatomy::Matrix;
using anatomy::kernels::KernelTable;

namespace {

// Unit roundoff of float: every rounded operation is exact up to a factor (1 + d), |d| <= u.
constexpr double kU = 1.0 / (1 << 24);

std::vector<const KernelTable*> availableTables() {
    std::vector<const KernelTable*> tables{&anatomy::kernels::scalarKernels()};
    if (auto* t = anatomy::kernels::avx2Kernels()) tables.push_back(t);
    if (auto* t = anatomy::kernels::avx512Kernels()) tables.push_back(t);
    if (auto* t = anatomy::kernels::avx512VnniKernels()) tables.push_back(t);
    return tables;
}

std::vector<float> randomFloats(size_t n, std::mt19937& rng) {
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    std::vector<float> v(n);
    for (float& x : v) x = dist(rng);
    return v;
}

// Worst error seen, relative to the bound the summation order allows: two sums of the same n
// products in different orders differ by at most 2 * n * u * sum |products| (the standard
// recursive-summation bound; FMA only tightens it). A dropped or doubled term is far above it.
struct ErrorTracker {
    double worstAbs = 0;   // largest |got - want|
    double worstRel = 0;   // largest |got - want| / sum |products|
    double worstRatio = 0; // largest |got - want| / allowed (must stay <= 1)
    void add(double got, double want, double sumAbs, int n) {
        const double diff = std::fabs(got - want);
        const double allowed = 2.0 * std::max(n, 1) * kU * sumAbs + 1e-30;
        worstAbs = std::max(worstAbs, diff);
        worstRel = std::max(worstRel, sumAbs > 0 ? diff / sumAbs : diff);
        worstRatio = std::max(worstRatio, diff / allowed);
    }
    void print(const std::string& what) const {
        std::cout << std::setprecision(3) << "[kernels] " << std::left << std::setw(34) << what
                  << " max |diff| " << worstAbs << ", max |diff|/sum|x*w| " << worstRel
                  << ", worst diff / tolerance (2 n u sum|x*w|, u = 2^-24) " << worstRatio << '\n';
    }
};

double sumAbsProducts(const float* a, const float* b, int n) {
    double s = 0;
    for (int i = 0; i < n; ++i) s += std::fabs(double(a[i]) * double(b[i]));
    return s;
}

// Resets the worker count when a test ends, whatever happens inside it.
struct ThreadsGuard {
    ~ThreadsGuard() { anatomy::ops::setThreads(0); }
};

}  // namespace

TEST_CASE("kernel tables are chosen from what the CPU supports", "[kernels]") {
    const KernelTable& active = anatomy::kernels::activeKernels();
    const std::string name = active.name;
    CHECK((name == "scalar" || name == "avx2" || name == "avx512" || name == "avx512vnni"));
    if (anatomy::kernels::avx512Kernels()) CHECK(anatomy::kernels::avx2Kernels() != nullptr);
    if (anatomy::kernels::avx512VnniKernels()) CHECK(anatomy::kernels::avx512Kernels() != nullptr);
    if (name == "avx512") CHECK(anatomy::kernels::avx512Kernels() == &active);
    if (name == "avx512vnni") CHECK(anatomy::kernels::avx512VnniKernels() == &active);
    std::cout << "[kernels] active table: " << name << " (avx2 "
              << (anatomy::kernels::avx2Kernels() ? "yes" : "no") << ", avx512 "
              << (anatomy::kernels::avx512Kernels() ? "yes" : "no") << ", avx512vnni "
              << (anatomy::kernels::avx512VnniKernels() ? "yes" : "no") << ")\n";
}

TEST_CASE("matvec matches the scalar twin on every shape, tails included", "[kernels]") {
    const KernelTable& ref = anatomy::kernels::scalarKernels();
    std::mt19937 rng(1);
    for (const KernelTable* k : availableTables()) {
        ErrorTracker err;
        for (int rows : {1, 2, 3, 4, 5, 7, 8, 13, 64, 100}) {
            for (int cols : {1, 7, 8, 15, 16, 17, 31, 32, 33, 47, 64, 172, 768, 2050}) {
                const auto W = randomFloats(size_t(rows) * cols, rng);
                const auto x = randomFloats(cols, rng);
                std::vector<float> got(rows + 1, 123.0f), want(rows);
                k->matvec(got.data(), W.data(), x.data(), rows, cols);
                ref.matvec(want.data(), W.data(), x.data(), rows, cols);
                for (int r = 0; r < rows; ++r)
                    err.add(got[r], want[r],
                            sumAbsProducts(W.data() + long(r) * cols, x.data(), cols), cols);
                REQUIRE(got[rows] == 123.0f);  // nothing written past y[rows - 1]
            }
        }
        err.print(std::string(k->name) + " matvec");
        CHECK(err.worstRatio <= 1.0);
    }
}

TEST_CASE("the AVX-512 matvec gives the same bits one row a pass and four, chosen per CPU", "[kernels]") {
    namespace k = anatomy::kernels;
    // The rule: four rows a pass on AMD Zen 5 (family 26) and later, one on Zen 4, Intel, others.
    CHECK(k::preferredAvx512MatvecRows(true, 26) == 4);
    CHECK(k::preferredAvx512MatvecRows(true, 27) == 4);
    CHECK(k::preferredAvx512MatvecRows(true, 25) == 1);
    CHECK(k::preferredAvx512MatvecRows(false, 6) == 1);
    CHECK(k::preferredAvx512MatvecRows(false, 26) == 1);
    CHECK(k::parseMatvecRows("1") == 1);
    CHECK(k::parseMatvecRows("4") == 4);
    for (const char* bad : {"", "2", "8", "4x", " 4", "-1", "one"}) CHECK(k::parseMatvecRows(bad) == 0);
    CHECK(k::parseMatvecRows(nullptr) == 0);
    const int chosen = k::avx512MatvecRows();
    // Without the override, the choice is the rule applied to this CPU, read here from
    // /proc/cpuinfo (the engine reads CPUID): the two must agree.
    std::ifstream in("/proc/cpuinfo");
    const std::string info((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t fam = info.find("cpu family");
    if (!std::getenv("ANATOMY_MATVEC_ROWS") && fam != std::string::npos) {
        const int family = std::atoi(info.c_str() + info.find(':', fam) + 1);
        const bool amd = info.find("AuthenticAMD") != std::string::npos;
        CHECK(chosen == k::preferredAvx512MatvecRows(amd, family));
    }
    CHECK_THROWS_AS(k::setAvx512MatvecRows(2), std::invalid_argument);
    CHECK(k::avx512MatvecRows() == chosen);  // a refused value leaves the choice
    const KernelTable* t = k::avx512Kernels();
    if (t == nullptr) return;  // no AVX-512 here: the rule above is all there is to check
    struct Restore {
        int rows;
        ~Restore() { anatomy::kernels::setAvx512MatvecRows(rows); }
    } restore{chosen};  // the process's choice again, even when a REQUIRE below fails
    std::mt19937 rng(7);
    for (int rows : {1, 3, 4, 5, 8, 13, 64}) {
        for (int cols : {1, 15, 16, 33, 64, 768, 2050}) {
            const auto W = randomFloats(size_t(rows) * cols, rng);
            const auto x = randomFloats(cols, rng);
            std::vector<float> one(rows), four(rows);
            k::setAvx512MatvecRows(1);
            t->matvec(one.data(), W.data(), x.data(), rows, cols);
            k::setAvx512MatvecRows(4);
            t->matvec(four.data(), W.data(), x.data(), rows, cols);
            REQUIRE(std::memcmp(one.data(), four.data(), one.size() * sizeof(float)) == 0);
        }
    }
}

TEST_CASE("the matvecs' software prefetch is chosen per vendor and never changes a bit", "[kernels]") {
    namespace k = anatomy::kernels;
    // The rule: off on AMD (measured no better on Zen 4 and Zen 5), on elsewhere (an Intel
    // Xeon's single row stream: stories42M decode 70 -> 86 tok/s in float).
    CHECK_FALSE(k::preferredMatvecPrefetch(true, 25));
    CHECK_FALSE(k::preferredMatvecPrefetch(true, 26));
    CHECK(k::preferredMatvecPrefetch(false, 6));
    CHECK(k::parseMatvecPrefetch("0") == 0);
    CHECK(k::parseMatvecPrefetch("1") == 1);
    for (const char* bad : {"", "2", "-1", "on", "yes", " 1", "1 ", "2048"}) CHECK(k::parseMatvecPrefetch(bad) == -1);
    CHECK(k::parseMatvecPrefetch(nullptr) == -1);
    const bool chosen = k::matvecPrefetch();
    // Without the override, the rule applied to this CPU's vendor as /proc/cpuinfo gives it.
    std::ifstream in("/proc/cpuinfo");
    const std::string info((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!std::getenv("ANATOMY_MATVEC_PREFETCH") && info.find("vendor_id") != std::string::npos)
        CHECK(chosen == k::preferredMatvecPrefetch(info.find("AuthenticAMD") != std::string::npos, 0));
    std::vector<const KernelTable*> tables;  // the prefetching float matvecs: AVX2's and AVX-512's
    if (const KernelTable* t = k::avx2Kernels()) tables.push_back(t);
    if (const KernelTable* t = k::avx512Kernels()) tables.push_back(t);
    struct Restore {
        bool on;
        int rows;
        ~Restore() {
            anatomy::kernels::setMatvecPrefetch(on);
            anatomy::kernels::setAvx512MatvecRows(rows);
        }
    } restore{chosen, k::avx512MatvecRows()};
    std::mt19937 rng(9);
    for (const KernelTable* t : tables)
    for (int passRows : {1, 4})
        for (int rows : {1, 5, 64})
            for (int cols : {15, 768, 2050}) {
                // The last rows' prefetches reach past the matrix: harmless (a prefetch never
                // faults), and the values are the same with or without them.
                const auto W = randomFloats(size_t(rows) * cols, rng);
                const auto x = randomFloats(cols, rng);
                std::vector<float> off(rows), on(rows);
                k::setAvx512MatvecRows(passRows);  // the AVX-512 table's; AVX2's reads one row
                k::setMatvecPrefetch(false);
                t->matvec(off.data(), W.data(), x.data(), rows, cols);
                k::setMatvecPrefetch(true);
                t->matvec(on.data(), W.data(), x.data(), rows, cols);
                REQUIRE(std::memcmp(off.data(), on.data(), off.size() * sizeof(float)) == 0);
            }
}

TEST_CASE("gemm matches the scalar twin on tiny, odd and blocked shapes", "[kernels]") {
    const KernelTable& ref = anatomy::kernels::scalarKernels();
    struct Shape {
        int nTok, rows, cols;
    };
    std::vector<Shape> shapes;
    for (int nTok : {1, 2, 3, 4, 5, 6, 7, 9, 16, 33})
        for (int rows : {1, 2, 3, 5, 6, 7, 8, 13, 24, 50})
            for (int cols : {1, 8, 15, 16, 17, 64, 172, 200}) shapes.push_back({nTok, rows, cols});
    // Several column blocks with a tail, several token blocks.
    shapes.push_back({70, 29, 1100});
    shapes.push_back({130, 14, 2100});
    shapes.push_back({5, 9, 3000});

    std::mt19937 rng(2);
    for (const KernelTable* k : availableTables()) {
        ErrorTracker err;
        for (const Shape& s : shapes) {
            // Padded strides: ldx > cols, ldy > rows; the padding must stay untouched.
            const int ldx = s.cols + 3, ldy = s.rows + 5;
            const auto X = randomFloats(size_t(s.nTok) * ldx, rng);
            const auto W = randomFloats(size_t(s.rows) * s.cols, rng);
            std::vector<float> got(size_t(s.nTok) * ldy, 77.0f), want(size_t(s.nTok) * ldy, 77.0f);
            k->gemm(got.data(), ldy, X.data(), ldx, W.data(), s.nTok, s.rows, s.cols);
            ref.gemm(want.data(), ldy, X.data(), ldx, W.data(), s.nTok, s.rows, s.cols);
            for (int t = 0; t < s.nTok; ++t) {
                for (int r = 0; r < s.rows; ++r)
                    err.add(got[t * ldy + r], want[t * ldy + r],
                            sumAbsProducts(X.data() + long(t) * ldx, W.data() + long(r) * s.cols,
                                           s.cols),
                            s.cols);
                for (int r = s.rows; r < ldy; ++r) REQUIRE(got[t * ldy + r] == 77.0f);
            }
        }
        err.print(std::string(k->name) + " gemm (" + std::to_string(shapes.size()) + " shapes)");
        CHECK(err.worstRatio <= 1.0);
    }
}

TEST_CASE("kernels with zero columns produce zeros", "[kernels]") {
    for (const KernelTable* k : availableTables()) {
        INFO(k->name);
        std::vector<float> y(6, 5.0f);
        const float dummy = 1.0f;
        k->matvec(y.data(), &dummy, &dummy, 3, 0);
        k->gemm(y.data() + 3, 1, &dummy, 0, &dummy, 3, 1, 0);
        for (float v : y) CHECK(v == 0.0f);
        CHECK(k->dot(&dummy, &dummy, 0) == 0.0f);
    }
}

TEST_CASE("dot and axpy match the scalar twin", "[kernels]") {
    const KernelTable& ref = anatomy::kernels::scalarKernels();
    std::mt19937 rng(3);
    for (const KernelTable* k : availableTables()) {
        ErrorTracker dotErr, axpyErr;
        for (int n = 0; n <= 200; ++n) {
            for (int offset : {0, 1}) {  // unaligned starts as well
                const auto a = randomFloats(n + 1, rng), b = randomFloats(n + 1, rng);
                dotErr.add(k->dot(a.data() + offset, b.data() + offset, n),
                           ref.dot(a.data() + offset, b.data() + offset, n),
                           sumAbsProducts(a.data() + offset, b.data() + offset, n), n);

                auto y = randomFloats(n + 2, rng);
                auto yRef = y;
                const float alpha = 0.37f;
                k->axpy(y.data() + offset, alpha, a.data(), n);
                ref.axpy(yRef.data() + offset, alpha, a.data(), n);
                for (int i = 0; i < n + 2; ++i) {
                    const bool inside = i >= offset && i < offset + n;
                    if (!inside) {
                        REQUIRE(y[i] == yRef[i]);  // untouched outside [offset, offset + n)
                        continue;
                    }
                    // y + alpha * x, fused or not: at most three roundings apart, each
                    // bounded by u times the terms' size (counted as n = 2 in the tracker).
                    const double size =
                        std::fabs(double(yRef[i])) + std::fabs(alpha * double(a[i - offset]));
                    axpyErr.add(y[i], yRef[i], size, 2);
                }
            }
        }
        dotErr.print(std::string(k->name) + " dot");
        axpyErr.print(std::string(k->name) + " axpy");
        CHECK(dotErr.worstRatio <= 1.0);
        CHECK(axpyErr.worstRatio <= 1.0);
    }
}

TEST_CASE("int8 group dot products are exact", "[kernels]") {
    const KernelTable& ref = anatomy::kernels::scalarKernels();
    std::mt19937 rng(4);
    std::uniform_int_distribution<int> dist(-128, 127);
    for (const KernelTable* k : availableTables()) {
        INFO(k->name);
        for (int gs : {1, 7, 16, 31, 32, 33, 64, 100, 256}) {
            for (int nGroups : {1, 3, 12}) {
                std::vector<int8_t> a(size_t(gs) * nGroups), b(a.size());
                for (auto& v : a) v = int8_t(dist(rng));
                for (auto& v : b) v = int8_t(dist(rng));
                a[0] = b[0] = -128;  // the extreme product
                std::vector<int32_t> got(nGroups), want(nGroups);
                k->dotI8Groups(got.data(), a.data(), b.data(), nGroups, gs);
                ref.dotI8Groups(want.data(), a.data(), b.data(), nGroups, gs);
                REQUIRE(got == want);
            }
        }
    }
}

namespace {

// llama2.c runq.c, written out directly: quantize() then matmul() for one row of x.
void runqReference(float* y, const float* x, const Matrix& W) {
    const int n = W.cols, d = W.rows, GS = W.groupSize;
    std::vector<int8_t> q(n);
    std::vector<float> s(n / GS);
    for (int group = 0; group < n / GS; group++) {
        float wmax = 0.0;
        for (int i = 0; i < GS; i++) {
            float val = std::fabs(x[group * GS + i]);
            if (val > wmax) wmax = val;
        }
        float scale = wmax / 127.0f;
        s[group] = scale;
        for (int i = 0; i < GS; i++)
            q[group * GS + i] = scale == 0.0f ? 0 : (int8_t)std::round(x[group * GS + i] / scale);
    }
    for (int i = 0; i < d; i++) {
        float val = 0.0f;
        int32_t ival = 0;
        int in = i * n;
        for (int j = 0; j <= n - GS; j += GS) {
            for (int k = 0; k < GS; k++) ival += ((int32_t)q[j + k]) * ((int32_t)W.q8[in + j + k]);
            val += ((float)ival) * W.scales[(in + j) / GS] * s[j / GS];
            ival = 0;
        }
        y[i] = val;
    }
}

}  // namespace

TEST_CASE("threaded float matmul matches the scalar reference and ignores the thread count",
          "[kernels]") {
    ThreadsGuard guard;
    const KernelTable& ref = anatomy::kernels::scalarKernels();
    struct Shape {
        int nTok, rows, cols;
    };
    // Serial (tiny) and parallel decode, prompts over wide and narrow matrices (token split).
    const Shape shapes[] = {{1, 64, 64}, {1, 768, 768}, {1, 1003, 172}, {3, 8, 8},
                            {37, 300, 172}, {128, 36, 64}, {64, 200, 768}};
    std::mt19937 rng(5);
    for (const KernelTable* k : availableTables()) {
        ErrorTracker err;
        for (const Shape& s : shapes) {
            const auto X = randomFloats(size_t(s.nTok) * s.cols, rng);
            const auto w = randomFloats(size_t(s.rows) * s.cols, rng);
            Matrix W;
            W.rows = s.rows;
            W.cols = s.cols;
            W.f32 = w.data();
            std::vector<float> want(size_t(s.nTok) * s.rows);
            ref.gemm(want.data(), s.rows, X.data(), s.cols, w.data(), s.nTok, s.rows, s.cols);

            std::vector<float> first;
            for (int n : {1, 2}) {
                anatomy::ops::setThreads(n);
                std::vector<float> got(want.size(), 9.0f);
                anatomy::ops::matmul(*k, got.data(), X.data(), W, s.nTok);
                for (int t = 0; t < s.nTok; ++t)
                    for (int r = 0; r < s.rows; ++r)
                        err.add(got[size_t(t) * s.rows + r], want[size_t(t) * s.rows + r],
                                sumAbsProducts(X.data() + long(t) * s.cols,
                                               w.data() + long(r) * s.cols, s.cols),
                                s.cols);
                if (first.empty()) first = got;
                else REQUIRE(got == first);  // bit-identical with 1 and 2 threads
            }
        }
        err.print(std::string(k->name) + " ops::matmul f32 (1, 2 threads)");
        CHECK(err.worstRatio <= 1.0);
    }
}

TEST_CASE("products of one input share a pass of the workers and equal matmul element for element",
          "[kernels]") {
    ThreadsGuard guard;
    std::mt19937 rng(11);
    // q, k, v of a 288-wide model with grouped K/V (too small to split alone), an FFN's W1 and
    // W3, rows that are not a multiple of 4, and prompts (which run product by product).
    struct Case {
        int nTok, cols;
        std::vector<int> rows;
    };
    const Case cases[] = {{1, 288, {288, 96, 96}}, {1, 768, {2048, 2048}}, {1, 172, {1003, 37, 4}},
                          {1, 64, {64, 64}}, {5, 288, {288, 96, 96}}};
    for (const Case& c : cases) {
        std::vector<std::vector<float>> w;
        std::vector<Matrix> W(c.rows.size());
        for (size_t i = 0; i < c.rows.size(); ++i) {
            w.push_back(randomFloats(size_t(c.rows[i]) * c.cols, rng));
            W[i].rows = c.rows[i];
            W[i].cols = c.cols;
            W[i].f32 = w.back().data();
        }
        const auto X = randomFloats(size_t(c.nTok) * c.cols, rng);
        for (int n : {1, 2}) {
            anatomy::ops::setThreads(n);
            std::vector<std::vector<float>> fused(c.rows.size()), apart(c.rows.size());
            std::vector<anatomy::ops::SameInputProduct> outs;
            for (size_t i = 0; i < c.rows.size(); ++i) {
                fused[i].assign(size_t(c.nTok) * c.rows[i], 9.0f);
                apart[i].assign(fused[i].size(), 7.0f);
                outs.push_back({fused[i].data(), &W[i]});
                anatomy::ops::matmul(apart[i].data(), X.data(), W[i], c.nTok);
            }
            anatomy::ops::matmulSameInput(outs, X.data(), c.nTok);
            for (size_t i = 0; i < c.rows.size(); ++i) {
                INFO(c.nTok << " token(s), product " << i << " of " << c.rows[i] << "x" << c.cols << ", " << n
                            << " thread(s)");
                CHECK(fused[i] == apart[i]);
            }
        }
    }
}

TEST_CASE("threaded int8 matmul reproduces llama2.c runq.c bit for bit", "[kernels]") {
    ThreadsGuard guard;
    struct Shape {
        int nTok, rows, cols, groupSize;
    };
    const Shape shapes[] = {{1, 48, 64, 64}, {1, 600, 256, 64}, {4, 300, 256, 32},
                            {3, 17, 96, 32}, {2, 40, 200, 100}};
    std::mt19937 rng(6);
    std::uniform_int_distribution<int> qdist(-127, 127);
    std::uniform_real_distribution<float> sdist(0.001f, 0.02f);
    for (const KernelTable* k : availableTables()) {
        double worstDiff = 0;
        for (const Shape& s : shapes) {
            std::vector<int8_t> wq(size_t(s.rows) * s.cols);
            for (auto& v : wq) v = int8_t(qdist(rng));
            std::vector<float> ws(wq.size() / s.groupSize);
            for (auto& v : ws) v = sdist(rng);
            Matrix W;
            W.rows = s.rows;
            W.cols = s.cols;
            W.q8 = wq.data();
            W.scales = ws.data();
            W.groupSize = s.groupSize;
            auto X = randomFloats(size_t(s.nTok) * s.cols, rng);
            std::fill_n(X.begin(), s.groupSize, 0.0f);  // an all-zero group: scale 0

            std::vector<float> want(size_t(s.nTok) * s.rows);
            for (int t = 0; t < s.nTok; ++t)
                runqReference(want.data() + size_t(t) * s.rows, X.data() + size_t(t) * s.cols, W);
            for (int n : {1, 2}) {
                anatomy::ops::setThreads(n);
                std::vector<float> got(want.size(), 9.0f);
                anatomy::ops::matmul(*k, got.data(), X.data(), W, s.nTok);
                for (size_t i = 0; i < got.size(); ++i)
                    worstDiff = std::max(worstDiff, std::fabs(double(got[i]) - want[i]));
                REQUIRE(got == want);
            }
        }
        std::cout << "[kernels] " << std::left << std::setw(34)
                  << (std::string(k->name) + " ops::matmul q8 (1, 2 threads)")
                  << " max |diff| vs runq.c " << worstDiff << " (tolerance 0: bit-exact)\n";
    }
}

TEST_CASE("int8 matmul rejects a row width that is not a multiple of the group size",
          "[kernels]") {
    std::vector<int8_t> wq(2 * 48, 1);
    std::vector<float> ws(4, 1.0f), x(48, 1.0f), y(2);
    Matrix W;
    W.rows = 2;
    W.cols = 48;
    W.q8 = wq.data();
    W.scales = ws.data();
    W.groupSize = 32;
    CHECK_THROWS_AS(anatomy::ops::matmul(y.data(), x.data(), W, 1), std::invalid_argument);
}

TEST_CASE("the worker count can be limited and restored", "[kernels]") {
    ThreadsGuard guard;
    anatomy::setThreadCount(1);
    CHECK(anatomy::threadCount() == 1);
    CHECK(anatomy::ops::threads() == 1);
    anatomy::setThreadCount(0);
    const int all = anatomy::threadCount();
    CHECK(all >= 1);
    anatomy::ops::setThreads(2);
    CHECK(anatomy::ops::threads() == std::min(2, all));
    std::cout << "[kernels] worker threads available: " << all << '\n';
}

TEST_CASE("streamed rows hold exactly the row or the fill, and nothing around them changes", "[kernels]") {
    std::mt19937 rng(11);
    std::normal_distribution<float> nd(0.0f, 1.0f);
    std::vector<const anatomy::kernels::KernelTable*> tables = {&anatomy::kernels::scalarKernels()};
    if (auto* t = anatomy::kernels::avx2Kernels()) tables.push_back(t);
    if (auto* t = anatomy::kernels::avx512Kernels()) tables.push_back(t);
    std::vector<float> src(1100);
    for (float& v : src) v = nd(rng);
    src[5] = -0.0f;
    src[40] = std::numeric_limits<float>::quiet_NaN();
    const float ninf = -std::numeric_limits<float>::infinity();
    for (const auto* k : tables) {
        int checked = 0, wrong = 0;
        // Every start offset within a 64-byte line, lengths below, at and past a line and long rows.
        for (int offset = 0; offset < 16; ++offset)
            for (int n : {0, 1, 7, 15, 16, 17, 31, 32, 33, 48, 100, 512, 1025}) {
                for (const bool fill : {false, true}) {
                    std::vector<float> dst(1200 + 32, 7.5f);  // guards around [base + offset, + n)
                    float* base = dst.data() + (16 - (reinterpret_cast<uintptr_t>(dst.data()) & 63) / 4) % 16;
                    k->streamRow(base + offset, fill ? nullptr : src.data(), ninf, n);
                    _mm_sfence();
                    for (size_t i = 0; i < dst.size(); ++i) {
                        const std::ptrdiff_t j = &dst[i] - (base + offset);
                        const float want = j >= 0 && j < n ? (fill ? ninf : src[size_t(j)]) : 7.5f;
                        ++checked;
                        if (std::memcmp(&dst[i], &want, sizeof(float)) != 0) ++wrong;
                    }
                }
            }
        std::printf("[kernels] %s streamRow: %d of %d floats differ from the row, fill or guard\n", k->name, wrong,
                    checked);
        CHECK(wrong == 0);
    }
}

TEST_CASE("softmax and entropy kernels match their libm twins", "[kernels]") {
    std::mt19937 rng(7);
    std::normal_distribution<float> nd(0.0f, 4.0f);
    const auto& ref = anatomy::kernels::scalarKernels();
    std::vector<const anatomy::kernels::KernelTable*> tables = {&ref};
    if (auto* t = anatomy::kernels::avx2Kernels()) tables.push_back(t);
    if (auto* t = anatomy::kernels::avx512Kernels()) tables.push_back(t);
    for (const auto* k : tables) {
        float worstP = 0.0f, worstH = 0.0f, worstZ = 0.0f, worstFused = 0.0f;
        for (int n : {1, 3, 8, 17, 100, 512, 1025}) {
            std::vector<float> x(static_cast<size_t>(n));
            for (auto& v : x) v = nd(rng);
            x[0] = -1e4f;  // a deeply negative score must give probability 0, not NaN
            std::vector<float> a = x, b = x;
            const float ma = ref.scaleMax(a.data(), n, 2.828f);
            const float mb = k->scaleMax(b.data(), n, 2.828f);
            REQUIRE(ma == mb);
            ref.expNormalize(a.data(), n, ma);
            k->expNormalize(b.data(), n, mb);
            double sum = 0.0;
            for (int i = 0; i < n; ++i) {
                REQUIRE(std::isfinite(b[size_t(i)]));
                worstP = std::max(worstP, std::fabs(a[size_t(i)] - b[size_t(i)]));
                sum += b[size_t(i)];
            }
            CHECK(sum == Approx(1.0).epsilon(1e-5));
            worstH = std::max(worstH, std::fabs(ref.entropy(a.data(), n) - k->entropy(b.data(), n)));
            // The fused step: the same probabilities, bit for bit, and the entropy with them.
            std::vector<float> e = x;
            const float me = k->scaleMax(e.data(), n, 2.828f);
            const float hFused = k->expNormalizeEntropy(e.data(), n, me);
            CHECK(std::memcmp(e.data(), b.data(), sizeof(float) * size_t(n)) == 0);
            CHECK(hFused >= 0.0f);
            worstFused = std::max(worstFused, std::fabs(ref.entropy(a.data(), n) - hFused));
            // The normaliser alone, the row left untouched: sum_i exp(x_i - max) as libm sums it.
            std::vector<float> c = x;
            const float mc = ref.scaleMax(c.data(), n, 2.828f);
            const std::vector<float> before = c;
            const float zRef = ref.expSum(c.data(), n, mc), z = k->expSum(c.data(), n, mc);
            CHECK(c == before);
            CHECK(z >= 1.0f);  // the max's own term is exp(0) = 1
            worstZ = std::max(worstZ, std::fabs(z - zRef) / zRef);
        }
        std::printf("[kernels] %s softmax max |p - libm p| = %.3g (tolerance 1e-6), entropy max diff = %.3g nats (tolerance 1e-5)\n",
                    k->name, worstP, worstH);
        std::printf("[kernels] %s expSum max relative diff vs libm = %.3g (tolerance 1e-6)\n", k->name, worstZ);
        std::printf("[kernels] %s fused softmax entropy max diff vs libm = %.3g nats (tolerance 1e-5)\n", k->name,
                    worstFused);
        CHECK(worstFused < 1e-5f);
        CHECK(worstP < 1e-6f);
        CHECK(worstH < 1e-5f);
        CHECK(worstZ < 1e-6f);
    }
}

// The SIMD tables' softmax rows are one computation at two widths: the same exp, the same
// eight partial sums in the same order, so the same bits (the house reference logits pin the
// prefill's rows on each table; this holds every row length and masked entries to it). The
// entropy's last n % 8 terms may round differently (GCC fuses them on some paths): to 1e-6.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
constexpr bool kSanitizedBuild = true;  // -O2 with instrumentation: GCC may vectorise, and fuse, otherwise
#else
constexpr bool kSanitizedBuild = false;
#endif

TEST_CASE("softmax rows: the AVX2 and AVX-512 tables give the same bits", "[kernels]") {
    const auto* a = anatomy::kernels::avx2Kernels();
    const auto* b = anatomy::kernels::avx512Kernels();
    if (!a || !b) {
        WARN("this CPU lacks AVX2 or AVX-512: nothing to compare");
        return;
    }
    std::mt19937 rng(5);
    std::normal_distribution<float> nd(0.0f, 5.0f);
    const float ninf = -std::numeric_limits<float>::infinity();
    int rows = 0, differing = 0, entropyDiffering = 0;
    for (int n = 1; n <= 600; n += (n < 80 ? 1 : 13)) {
        for (int rep = 0; rep < 3; ++rep) {
            std::vector<float> x(static_cast<size_t>(n));
            for (auto& v : x) v = nd(rng);
            if (rep == 1)
                for (int i = 1; i < n; i += 3) x[size_t(i)] = ninf;  // a masked row
            if (rep == 2 && n > 2) x[1] = -1e4f;
            std::vector<float> pa = x, pb = x, ea = x, eb = x;
            const float ma = a->scaleMax(pa.data(), n, 2.0f), mb = b->scaleMax(pb.data(), n, 2.0f);
            REQUIRE(ma == mb);
            a->expNormalize(pa.data(), n, ma);
            b->expNormalize(pb.data(), n, mb);
            a->scaleMax(ea.data(), n, 2.0f);
            b->scaleMax(eb.data(), n, 2.0f);
            const float ha = a->expNormalizeEntropy(ea.data(), n, ma), hb = b->expNormalizeEntropy(eb.data(), n, mb);
            ++rows;
            // The release build's code generation is what gives the same bits (as for the house
            // reference); a sanitizer build is held to 1e-6.
            for (int i = 0; i < n; ++i) {
                const float tol = kSanitizedBuild ? 1e-6f * std::max(pa[size_t(i)], 1e-30f) : 0.0f;
                if (std::fabs(pa[size_t(i)] - pb[size_t(i)]) > tol || std::fabs(ea[size_t(i)] - eb[size_t(i)]) > tol ||
                    (!kSanitizedBuild && (std::memcmp(&pa[size_t(i)], &pb[size_t(i)], sizeof(float)) != 0 ||
                                          std::memcmp(&ea[size_t(i)], &eb[size_t(i)], sizeof(float)) != 0))) {
                    ++differing;
                    break;
                }
            }
            if (std::fabs(ha - hb) > 1e-6f * std::max(1.0f, ha)) ++entropyDiffering;
        }
    }
    INFO(differing << " of " << rows << " rows differ, " << entropyDiffering << " entropies beyond 1e-6");
    CHECK(differing == 0);
    CHECK(entropyDiffering == 0);
}

// SwiGLU's gate with libm's expf, bit for bit on every table (the house reference logits come
// from llama2.c's SiLU): float bit patterns across the whole range in a stride (normal,
// subnormal, where expf's result is subnormal or overflows, NaN, inf), the boundaries at 88
// where the SIMD tables hand lanes to std::exp, and every tail length.
TEST_CASE("swiglu: every table gives libm's SiLU bit for bit", "[kernels]") {
    std::vector<float> gates;
    for (uint64_t b = 0; b < (uint64_t(1) << 32); b += 2654435) {  // ~1,600 patterns, all exponents
        const uint32_t u = uint32_t(b);
        float f;
        std::memcpy(&f, &u, sizeof f);
        gates.push_back(f);
    }
    const float inf = std::numeric_limits<float>::infinity();
    for (float f : {0.0f, -0.0f, inf, -inf, std::numeric_limits<float>::quiet_NaN(), 88.0f, -88.0f,
                    std::nextafter(88.0f, 0.0f), std::nextafter(-88.0f, 0.0f), 88.72f, -88.73f, 103.5f, -103.5f,
                    104.0f, -104.0f, 1e-40f, -1e-40f, 1e-8f, 17.0f, -17.0f, 1.0f, -1.0f})
        gates.push_back(f);
    std::mt19937 rng(3);
    std::normal_distribution<float> nd(0.0f, 4.0f);  // the range an FFN's gates take
    for (int i = 0; i < 20000; ++i) gates.push_back(nd(rng));
    std::uniform_real_distribution<float> wide(-110.0f, 110.0f);
    for (int i = 0; i < 20000; ++i) gates.push_back(wide(rng));
    std::vector<float> up(gates.size());
    for (auto& u : up) u = nd(rng);
    std::vector<float> want = gates;
    for (size_t i = 0; i < want.size(); ++i) want[i] = want[i] * (1.0f / (1.0f + std::exp(-want[i]))) * up[i];
    const std::vector<const KernelTable*> tables = availableTables();
    auto same = [](float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0 || (a != a && b != b); };
    for (const auto* k : tables) {
        std::vector<float> got = gates;
        k->swiglu(got.data(), up.data(), long(got.size()));
        int differing = 0;
        for (size_t i = 0; i < got.size(); ++i)
            if (!same(got[i], want[i])) {
                if (differing++ < 3) UNSCOPED_INFO(k->name << ": gate " << gates[i] << " gives " << got[i] << ", libm " << want[i]);
            }
        CHECK(differing == 0);
        // Every tail length, at an offset: nothing past n is written.
        for (int n = 0; n <= 40; ++n) {
            std::vector<float> g(gates.begin() + 1000, gates.begin() + 1000 + n + 8), u(up.begin() + 1000, up.begin() + 1000 + n + 8);
            const std::vector<float> before = g;
            k->swiglu(g.data() + 1, u.data() + 1, n);
            for (int i = 0; i < n + 8; ++i) {
                const bool inside = i >= 1 && i <= n;
                const float w = inside ? before[size_t(i)] * (1.0f / (1.0f + std::exp(-before[size_t(i)]))) * u[size_t(i)] : before[size_t(i)];
                if (!same(g[size_t(i)], w)) ++differing;
            }
        }
        CHECK(differing == 0);
    }
}

// The lens's normaliser on the rows a model can produce: masked (-inf) and very negative
// entries add nothing, each tail length of the 16- and 8-lane loops is summed, a NaN stays NaN.
TEST_CASE("expSum: every tail length, masked entries, a NaN", "[kernels]") {
    std::mt19937 rng(9);
    std::normal_distribution<float> nd(0.0f, 3.0f);
    const float ninf = -std::numeric_limits<float>::infinity();
    for (const KernelTable* k : availableTables()) {
        INFO(k->name);
        double worst = 0.0;
        for (int n = 1; n <= 130; ++n) {
            std::vector<float> x(static_cast<size_t>(n));
            for (auto& v : x) v = nd(rng);
            for (int i = 2; i < n; i += 5) x[size_t(i)] = ninf;  // masked keys
            if (n > 3) x[3] = -200.0f;
            const float mx = *std::max_element(x.begin(), x.end());
            double want = 0.0;  // libm in double
            for (float v : x) want += std::exp(double(v) - mx);
            const float z = k->expSum(x.data(), n, mx);
            REQUIRE(std::isfinite(z));
            worst = std::max(worst, std::fabs(z - want) / want);
            // A row of masked entries after its maximum: the same sum.
            std::vector<float> padded = x;
            padded.resize(size_t(n) + 19, ninf);
            CHECK(k->expSum(padded.data(), n + 19, mx) == Approx(z).epsilon(1e-6));
        }
        CHECK(worst < 1e-6);
        std::vector<float> nanRow(40, 0.5f);
        nanRow[37] = std::numeric_limits<float>::quiet_NaN();
        CHECK(std::isnan(k->expSum(nanRow.data(), 40, 0.5f)));
        CHECK(k->expSum(nanRow.data(), 37, 0.5f) == Approx(37.0).epsilon(1e-6));
    }
}

// The batched prefill's attention rows (causalBatched): a query's scores and its output against
// keys and values stored transposed, [hs, ld]. Each SIMD table must give what it gave as hs
// axpys into a zeroed row + scaleMax and hs dot products, bit for bit (the forward pass's golden
// logits depend on it), and every table must be the scalar twin's sums to the summation bound.
TEST_CASE("attention rows against transposed keys and values: the axpys' and dots' bits, the scalar sums",
          "[kernels][attention]") {
    std::mt19937 rng(11);
    const auto& ref = anatomy::kernels::scalarKernels();
    for (const KernelTable* k : availableTables()) {
        ErrorTracker scores, values;
        int scoreMismatch = 0, valueMismatch = 0, maxMismatch = 0;
        for (int hs : {1, 3, 4, 6, 8, 16, 48, 64, 80, 128})
            for (int n : {1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 100, 129, 300}) {
                const int ld = n + 5;  // a row stride past n, as the cache's key count is
                const std::vector<float> q = randomFloats(size_t(hs), rng);
                const std::vector<float> kT = randomFloats(size_t(hs) * ld, rng);
                const std::vector<float> vT = randomFloats(size_t(hs) * ld, rng);
                const float divisor = std::sqrt(float(hs));
                std::vector<float> viaAxpy(size_t(n), 0.0f), row(size_t(n) + 16, 12345.0f), rowRef(static_cast<size_t>(n));
                for (int i = 0; i < hs; ++i) k->axpy(viaAxpy.data(), q[size_t(i)], &kT[size_t(i) * ld], n);
                const float maxAxpy = k->scaleMax(viaAxpy.data(), n, divisor);
                const float maxRow = k->scoreRowT(row.data(), q.data(), kT.data(), ld, hs, n, divisor);
                const float maxRef = ref.scoreRowT(rowRef.data(), q.data(), kT.data(), ld, hs, n, divisor);
                if (k != &ref) {
                    scoreMismatch += std::memcmp(row.data(), viaAxpy.data(), sizeof(float) * size_t(n)) != 0;
                    maxMismatch += maxRow != maxAxpy;
                }
                CHECK(*std::max_element(row.begin(), row.begin() + n) == maxRow);
                for (size_t j = size_t(n); j < row.size(); ++j) REQUIRE(row[j] == 12345.0f);  // nothing past n
                for (int j = 0; j < n; ++j) {
                    double sumAbs = 0;
                    for (int i = 0; i < hs; ++i) sumAbs += std::fabs(double(q[size_t(i)]) * kT[size_t(i) * ld + j]);
                    scores.add(double(row[size_t(j)]) * divisor, double(rowRef[size_t(j)]) * divisor, sumAbs, hs + 1);
                }
                (void)maxRef;
                // The output from the scores as probabilities would be (any row of weights will do).
                std::vector<float> out(size_t(hs) + 4, -7.0f), outRef(static_cast<size_t>(hs)), viaDot(static_cast<size_t>(hs));
                k->valueRowT(out.data(), row.data(), vT.data(), ld, hs, n);
                ref.valueRowT(outRef.data(), row.data(), vT.data(), ld, hs, n);
                for (int i = 0; i < hs; ++i) {
                    viaDot[size_t(i)] = k->dot(row.data(), &vT[size_t(i) * ld], n);
                    values.add(out[size_t(i)], outRef[size_t(i)], sumAbsProducts(row.data(), &vT[size_t(i) * ld], n), n);
                }
                for (size_t i = size_t(hs); i < out.size(); ++i) REQUIRE(out[i] == -7.0f);  // nothing past hs
                if (k != &ref) valueMismatch += std::memcmp(out.data(), viaDot.data(), sizeof(float) * size_t(hs)) != 0;
            }
        std::printf("[kernels] %s scoreRowT / valueRowT: %d and %d of 160 shapes differ from the axpys' and dots' bits, "
                    "%d maxima\n", k->name, scoreMismatch, valueMismatch, maxMismatch);
        scores.print(std::string(k->name) + " scoreRowT vs scalar");
        values.print(std::string(k->name) + " valueRowT vs scalar");
        CHECK(scoreMismatch == 0);
        CHECK(valueMismatch == 0);
        CHECK(maxMismatch == 0);
        CHECK(scores.worstRatio <= 1.0);
        CHECK(values.worstRatio <= 1.0);
    }
}
