// The sampler: llama2.c's RNG and draw, each filter on hand-computed cases, the stage reports the
// sampling view draws, and the errors a person sees for bad settings.
#include "anatomy/error.h"
#include "anatomy/sampler.h"
#include "test_paths.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace anatomy;
using Catch::Matchers::Contains;

namespace {

// ---- an independent transcription of llama2.c's run.c sampling, as the reference ----
namespace ref {

uint32_t randomU32(uint64_t* state) {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return uint32_t((*state * 0x2545F4914F6CDD1Dull) >> 32);
}
float randomF32(uint64_t* state) { return float(randomU32(state) >> 8) / 16777216.0f; }

void softmax(float* x, int size) {
    float maxVal = x[0];
    for (int i = 1; i < size; i++)
        if (x[i] > maxVal) maxVal = x[i];
    float sum = 0.0f;
    for (int i = 0; i < size; i++) {
        x[i] = std::exp(x[i] - maxVal);
        sum += x[i];
    }
    for (int i = 0; i < size; i++) x[i] /= sum;
}

int sampleArgmax(const float* p, int n) {
    int maxI = 0;
    float maxP = p[0];
    for (int i = 1; i < n; i++)
        if (p[i] > maxP) {
            maxI = i;
            maxP = p[i];
        }
    return maxI;
}

int sampleMult(const float* p, int n, float coin) {
    float cdf = 0.0f;
    for (int i = 0; i < n; i++) {
        cdf += p[i];
        if (coin < cdf) return i;
    }
    return n - 1;
}

struct ProbIndex {
    float prob;
    int index;
};

int sampleTopp(const float* p, int n, float topp, std::vector<ProbIndex>& pi, float coin) {
    int n0 = 0;
    const float cutoff = (1.0f - topp) / (n - 1);
    for (int i = 0; i < n; i++)
        if (p[i] >= cutoff) pi[n0++] = {p[i], i};
    // glibc's qsort is a merge sort: stable.
    std::stable_sort(pi.begin(), pi.begin() + n0,
                     [](const ProbIndex& a, const ProbIndex& b) { return a.prob > b.prob; });
    float cumulative = 0.0f;
    int lastIdx = n0 - 1;
    for (int i = 0; i < n0; i++) {
        cumulative += pi[i].prob;
        if (cumulative > topp) {
            lastIdx = i;
            break;
        }
    }
    const float r = coin * cumulative;
    float cdf = 0.0f;
    for (int i = 0; i <= lastIdx; i++) {
        cdf += pi[i].prob;
        if (r < cdf) return pi[i].index;
    }
    return pi[lastIdx].index;
}

int sample(std::vector<float> logits, float temperature, float topp, uint64_t* state) {
    const int n = int(logits.size());
    if (temperature == 0.0f) return sampleArgmax(logits.data(), n);
    for (int q = 0; q < n; q++) logits[q] /= temperature;
    softmax(logits.data(), n);
    const float coin = randomF32(state);
    if (topp <= 0 || topp >= 1) return sampleMult(logits.data(), n, coin);
    std::vector<ProbIndex> pi(static_cast<size_t>(n));
    return sampleTopp(logits.data(), n, topp, pi, coin);
}

}  // namespace ref

// logits = log(p), so softmax gives p back.
std::vector<float> logitsOf(std::vector<float> probs) {
    for (float& p : probs) p = std::log(p);
    return probs;
}

SamplerSettings only(float temperature, float topP) {
    SamplerSettings s;
    s.temperature = temperature;
    s.topP = topP;
    return s;
}

const StageReport& stage(const SamplingReport& r, const std::string& name) {
    for (const auto& s : r.stages)
        if (s.stage == name) return s;
    FAIL("no stage " << name);
    return r.stages.front();
}

float sum(const std::vector<float>& v) { return std::accumulate(v.begin(), v.end(), 0.0f); }

// The reference run's logits [64, 512] for "Once upon a time" (llama2.c, stories260K).
std::vector<std::vector<float>> referenceLogits() {
    const std::string path = referencePath("once_upon_a_time.logits.f32");
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    std::vector<std::vector<float>> rows(64, std::vector<float>(512));
    for (auto& row : rows) in.read(reinterpret_cast<char*>(row.data()), 512 * sizeof(float));
    REQUIRE(in.good());
    return rows;
}

// Pearson's chi-square of observed counts against expected probabilities.
double chiSquare(const std::vector<int>& counts, const std::vector<double>& probs, int draws) {
    double chi = 0.0;
    for (size_t i = 0; i < counts.size(); ++i) {
        const double expected = probs[i] * draws;
        chi += (counts[i] - expected) * (counts[i] - expected) / expected;
    }
    return chi;
}

}  // namespace

TEST_CASE("the RNG is llama2.c's xorshift*: seed 42 gives its sequence", "[sampler]") {
    // By hand, seed 42: 42 >> 12 = 0, so the state stays 42; 42 << 25 = 1409286144, xor 42 =
    // 1409286186; >> 27 = 10, xor 10 = 1409286176. 1409286176 * 0x2545F4914F6CDD1D mod 2^64 =
    // 0x56CE4AB7719BA3A0, whose high 32 bits are 0x56CE4AB7 = 1456360119.
    // f32 = (1456360119 >> 8) / 2^24 = 5688906 / 16777216 = 0.33908522...
    Rng rng(42);
    CHECK(rng.nextU32() == 1456360119u);
    Rng rngF(42);
    CHECK(rngF.nextF32() == 5688906.0f / 16777216.0f);

    for (uint64_t seed : {42ull, 1ull, 1234567890123ull}) {
        Rng a(seed);
        Rng b(seed);
        uint64_t state = seed;
        for (int i = 0; i < 1000; ++i) {
            const uint32_t expected = ref::randomU32(&state);
            REQUIRE(a.nextU32() == expected);
            const float f = b.nextF32();
            REQUIRE(f >= 0.0f);
            REQUIRE(f < 1.0f);
        }
    }
}

TEST_CASE("temperature 0 is greedy: the first of the largest logits", "[sampler]") {
    Sampler greedy(only(0.0f, 0.9f));
    const std::vector<float> logits{0.5f, 2.0f, -1.0f, 2.0f, 1.0f};
    SamplingReport report;
    CHECK(greedy.sample(logits, {}, &report) == 1);
    CHECK(report.chosen == 1);
    CHECK(report.coin == 0.0f);
    CHECK(argmax(logits) == 1);

    // On the real model, greedy sampling reproduces llama2.c's greedy continuation.
    const auto rows = referenceLogits();
    std::ifstream greedyFile(referencePath("once_upon_a_time.greedy.txt"));
    std::vector<int> fed;
    std::string line;
    while (std::getline(greedyFile, line))  // "id<TAB>piece"; the piece "\n" splits a line
        if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0])))
            fed.push_back(std::stoi(line));
    REQUIRE(fed.size() == 64);
    for (size_t p = 4; p < 64; ++p)  // positions 0..3 still feed the prompt
        REQUIRE(greedy.sample(rows[p], {}) == fed[p]);
}

TEST_CASE("temperature and top-p alone draw llama2.c's tokens, seed for seed", "[sampler]") {
    const auto rows = referenceLogits();
    // Synthetic logits with many exact ties, so the order of equal probabilities matters.
    std::mt19937 gen(7);
    std::uniform_int_distribution<int> level(-3, 3);
    std::vector<std::vector<float>> tied(100, std::vector<float>(1000));
    const std::vector<std::vector<float>>* datasets[] = {&rows, &tied};
    for (auto& row : tied)
        for (float& v : row) v = float(level(gen));

    const std::vector<std::pair<float, float>> settings{
        {1.0f, 1.0f}, {1.0f, 0.0f}, {0.8f, 0.9f}, {1.0f, 0.5f}, {1.3f, 0.95f}, {0.1f, 0.99f}};
    for (const auto& [temperature, topP] : settings) {
        for (const auto* data : datasets) {
            SamplerSettings s = only(temperature, topP);
            s.seed = 1234;
            Sampler sampler(s);
            uint64_t state = s.seed;
            int mismatches = 0;
            for (int round = 0; round < 3; ++round)
                for (const auto& logits : *data) {
                    SamplingReport report;
                    const int got = sampler.sample(logits, {}, &report);
                    mismatches += got != ref::sample(logits, temperature, topP, &state);
                    // The drawn token is always one the final stage kept.
                    const auto& final = stage(report, "final");
                    REQUIRE(std::find(final.ids.begin(), final.ids.end(), got) != final.ids.end());
                }
            INFO("T " << temperature << " top-p " << topP << " on "
                      << (data == &rows ? "model logits" : "tied logits"));
            CHECK(mismatches == 0);
        }
    }
}

TEST_CASE("the same seed gives the same tokens, another seed does not", "[sampler]") {
    const auto rows = referenceLogits();
    auto run = [&](uint64_t seed) {
        SamplerSettings s = only(1.0f, 0.95f);
        s.topK = 40;
        s.minP = 0.01f;
        s.repetitionPenalty = 1.2f;
        s.seed = seed;
        Sampler sampler(s);
        std::vector<int> tokens;
        for (const auto& logits : rows) tokens.push_back(sampler.sample(logits, tokens));
        return tokens;
    };
    CHECK(run(42) == run(42));
    CHECK(run(42) != run(43));
}

TEST_CASE("top-k 1 always picks the argmax, however hot the temperature", "[sampler]") {
    const auto rows = referenceLogits();
    SamplerSettings s = only(2.0f, 1.0f);
    s.topK = 1;
    Sampler sampler(s);
    for (const auto& logits : rows) REQUIRE(sampler.sample(logits, {}) == argmax(logits));
}

TEST_CASE("top-p 0.5 keeps exactly the nucleus", "[sampler]") {
    // p = {0.1, 0.4, 0.3, 0.15, 0.05}. Sorted: 1 (0.4), 2 (0.3), 3 (0.15), 0 (0.1), 4 (0.05).
    // Cumulative 0.4 is not > 0.5, 0.7 is: the nucleus is {1, 2}, renormalised {4/7, 3/7}.
    const auto logits = logitsOf({0.1f, 0.4f, 0.3f, 0.15f, 0.05f});
    const auto report = Sampler::analyze(logits, {}, only(1.0f, 0.5f));
    const auto& topP = stage(report, "top-p");
    CHECK(topP.active);
    CHECK(topP.ids == std::vector<int>{1, 2});
    REQUIRE(topP.probs.size() == 2);
    CHECK(topP.probs[0] == Approx(4.0 / 7.0).epsilon(1e-5));
    CHECK(topP.probs[1] == Approx(3.0 / 7.0).epsilon(1e-5));
    CHECK(topP.cutoff == Approx(0.3).epsilon(1e-5));
    CHECK(report.chosen == 1);

    // The free function on the same probabilities.
    Candidates c;
    c.ids = {0, 1, 2, 3, 4};
    c.values = {0.1f, 0.4f, 0.3f, 0.15f, 0.05f};
    keepTopP(c, 0.5f);
    CHECK(c.ids == std::vector<int>{1, 2});

    // Draws only ever come from the nucleus, in proportion 4:3 (chi-square, 1 degree of freedom,
    // 10.83 is the 0.1% tail).
    Sampler sampler(only(1.0f, 0.5f));
    const int draws = 20000;
    std::vector<int> counts(2, 0);
    for (int i = 0; i < draws; ++i) {
        const int t = sampler.sample(logits, {});
        REQUIRE((t == 1 || t == 2));
        ++counts[t - 1];
    }
    const double chi = chiSquare(counts, {4.0 / 7.0, 3.0 / 7.0}, draws);
    std::printf("top-p 0.5 draws: %d x id 1, %d x id 2, chi-square %.3f (limit 10.83)\n",
                counts[0], counts[1], chi);
    CHECK(chi < 10.83);
}

TEST_CASE("min-p keeps tokens at least minP times as likely as the best", "[sampler]") {
    // p = {0.06, 0.5, 0.04, 0.3, 0.1}, min-p 0.15: threshold 0.15 * 0.5 = 0.075 keeps
    // 1 (0.5), 3 (0.3), 4 (0.1), renormalised by 0.9: {5/9, 3/9, 1/9}.
    const auto logits = logitsOf({0.06f, 0.5f, 0.04f, 0.3f, 0.1f});
    SamplerSettings s = only(1.0f, 1.0f);
    s.minP = 0.15f;
    const auto report = Sampler::analyze(logits, {}, s);
    const auto& minP = stage(report, "min-p");
    CHECK(minP.active);
    CHECK(minP.ids == std::vector<int>{1, 3, 4});
    REQUIRE(minP.probs.size() == 3);
    CHECK(minP.probs[0] == Approx(5.0 / 9.0).epsilon(1e-5));
    CHECK(minP.probs[1] == Approx(3.0 / 9.0).epsilon(1e-5));
    CHECK(minP.probs[2] == Approx(1.0 / 9.0).epsilon(1e-5));
    CHECK(minP.cutoff == Approx(0.075).epsilon(1e-5));

    Sampler sampler(s);
    std::set<int> seen;
    for (int i = 0; i < 2000; ++i) seen.insert(sampler.sample(logits, {}));
    CHECK(seen == std::set<int>{1, 3, 4});
}

TEST_CASE("repetition penalty divides positive and multiplies negative recent logits",
          "[sampler]") {
    const std::vector<float> logits{2.0f, -1.0f, 0.5f, 3.0f, 1.0f};
    const std::vector<int> history{3, 0, 1, 1};

    // Window 3 sees {0, 1, 1}: x0 = 2 / 2 = 1, x1 = -1 * 2 = -2 (once, though seen twice);
    // token 3 is older than the window and keeps 3.
    std::vector<float> x = logits;
    applyRepetitionPenalty(x, history, 2.0f, 3);
    CHECK(x == std::vector<float>{1.0f, -2.0f, 0.5f, 3.0f, 1.0f});
    x = logits;
    applyRepetitionPenalty(x, history, 2.0f, 4);
    CHECK(x == std::vector<float>{1.0f, -2.0f, 0.5f, 1.5f, 1.0f});

    // The penalty stage reports softmax of the penalised logits; 0 and 4 tie at 1.0 and keep id
    // order.
    SamplerSettings s = only(1.0f, 1.0f);
    s.repetitionPenalty = 2.0f;
    s.repetitionWindow = 3;
    const auto report = Sampler::analyze(logits, history, s);
    const auto& penalty = stage(report, "penalty");
    CHECK(penalty.active);
    CHECK(penalty.ids == std::vector<int>{3, 0, 4, 2, 1});
    const double z = std::exp(1.0) + std::exp(-2.0) + std::exp(0.5) + std::exp(3.0) + std::exp(1.0);
    CHECK(penalty.probs[0] == Approx(std::exp(3.0) / z).epsilon(1e-5));
    CHECK(penalty.probs[4] == Approx(std::exp(-2.0) / z).epsilon(1e-5));

    // Greedy decoding steps away from a token it just produced: 3.0 / 1.1 = 2.73 < 2.9.
    SamplerSettings g = only(0.0f, 1.0f);
    g.repetitionPenalty = 1.1f;
    Sampler greedy(g);
    const std::vector<int> justSaid{0};
    CHECK(greedy.sample(std::vector<float>{3.0f, 2.9f}, justSaid) == 1);
    CHECK(greedy.sample(std::vector<float>{3.0f, 2.9f}, {}) == 0);

    const std::vector<int> outside{7};
    CHECK_THROWS_WITH(greedy.sample(std::vector<float>{3.0f, 2.9f}, outside),
                      Contains("history token 7"));
}

TEST_CASE("lower temperature sharpens, higher flattens", "[sampler]") {
    const auto rows = referenceLogits();
    const auto& logits = rows[10];
    float previous = -1.0f;
    for (float t : {0.0f, 0.2f, 0.35f, 0.5f, 1.0f, 1.5f, 2.0f, 4.0f, 10.0f}) {
        const auto report = Sampler::analyze(logits, {}, only(t, 1.0f));
        const auto& temp = stage(report, "temperature");
        INFO("T " << t << ": entropy " << temp.entropyBits << " bits");
        CHECK(temp.entropyBits > previous);
        CHECK(temp.active == (t != 1.0f));
        CHECK(sum(temp.probs) == Approx(1.0).epsilon(1e-4));
        CHECK(report.chosen == argmax(logits));
        previous = temp.entropyBits;
        if (t == 0.0f) {
            CHECK(temp.ids == std::vector<int>{argmax(logits)});
            CHECK(temp.probs == std::vector<float>{1.0f});
            CHECK(temp.entropyBits == 0.0f);
        }
        if (t == 0.2f) CHECK(temp.probs[0] > 0.99f);
        if (t == 10.0f) CHECK(temp.entropyBits > 8.5f);  // log2(512) = 9 is uniform
    }
}

TEST_CASE("draw frequencies follow the probabilities", "[sampler]") {
    // Chi-square with 4 degrees of freedom: 18.47 is the 0.1% tail.
    const std::vector<double> p{0.1, 0.4, 0.3, 0.15, 0.05};
    const auto logits = logitsOf({0.1f, 0.4f, 0.3f, 0.15f, 0.05f});
    const int draws = 20000;
    SamplerSettings plain = only(1.0f, 1.0f);
    SamplerSettings chain = only(1.0f, 1.0f);  // the general path, with a filter that keeps all
    chain.topK = 5;
    for (const auto& s : {plain, chain}) {
        Sampler sampler(s);
        std::vector<int> counts(5, 0);
        for (int i = 0; i < draws; ++i) ++counts[size_t(sampler.sample(logits, {}))];
        const double chi = chiSquare(counts, p, draws);
        std::printf("draws (top-k %d): %d %d %d %d %d, chi-square %.3f (limit 18.47)\n", s.topK,
                    counts[0], counts[1], counts[2], counts[3], counts[4], chi);
        CHECK(chi < 18.47);
    }
}

TEST_CASE("analyze reports every stage in order with renormalised survivors", "[sampler]") {
    const auto rows = referenceLogits();
    const auto& logits = rows[20];
    SamplerSettings s = only(0.7f, 0.9f);
    s.topK = 20;
    s.minP = 0.05f;
    s.repetitionPenalty = 1.3f;
    const std::vector<int> history{1, 403, 407, 261, 378};
    const auto report = Sampler::analyze(logits, history, s);

    const std::vector<std::string> names{"softmax", "penalty", "temperature", "top-k",
                                         "top-p",   "min-p",   "typical",     "final"};
    REQUIRE(report.stages.size() == names.size());
    for (size_t i = 0; i < names.size(); ++i) {
        const auto& st = report.stages[i];
        INFO("stage " << st.stage);
        CHECK(st.stage == names[i]);
        CHECK(st.active == (st.stage != "typical"));  // typical-p is off by default
        REQUIRE(st.ids.size() == st.probs.size());
        CHECK(sum(st.probs) == Approx(1.0).epsilon(1e-4));
        CHECK(std::is_sorted(st.probs.rbegin(), st.probs.rend()));  // most probable first
        CHECK(std::set<int>(st.ids.begin(), st.ids.end()).size() == st.ids.size());
        CHECK(st.entropyBits == Approx(entropyBits(st.probs)));
        if (i > 0) CHECK(st.ids.size() <= report.stages[i - 1].ids.size());
    }
    CHECK(report.stages[0].ids.size() == 512);
    CHECK(report.stages[2].ids.size() == 512);
    CHECK(report.stages[3].ids.size() == 20);
    // top-k's cutoff is the 20th probability it received.
    CHECK(report.stages[3].cutoff == report.stages[2].probs[19]);
    // top-p keeps the smallest prefix of top-k's renormalised probabilities with mass > 0.9; its
    // cutoff is the last kept one.
    const auto& k = report.stages[3].probs;
    const size_t nTopP = report.stages[4].ids.size();
    CHECK(report.stages[4].cutoff == k[nTopP - 1]);
    CHECK(std::accumulate(k.begin(), k.begin() + long(nTopP), 0.0f) > 0.9f);
    CHECK(std::accumulate(k.begin(), k.begin() + long(nTopP) - 1, 0.0f) <= 0.9f);
    // min-p's cutoff is minP times the best probability it received; survivors are above it.
    CHECK(report.stages[5].cutoff == Approx(0.05f * report.stages[4].probs[0]));
    const auto& pAtMinP = report.stages[4].probs;
    const size_t nMinP = report.stages[5].ids.size();
    for (size_t i = 0; i < pAtMinP.size(); ++i)
        CHECK((pAtMinP[i] >= report.stages[5].cutoff) == (i < nMinP));
    CHECK(report.stages[6].ids == report.stages[5].ids);
    CHECK(report.chosen == report.stages[6].ids[0]);
    CHECK(report.coin == 0.0f);

    // Settings that are off say so, and pass their input on unchanged.
    const auto plain = Sampler::analyze(logits, {}, only(1.0f, 1.0f));
    for (const char* off : {"penalty", "temperature", "top-k", "top-p", "min-p", "typical"}) {
        INFO(off);
        CHECK_FALSE(stage(plain, off).active);
        CHECK(stage(plain, off).ids == plain.stages[0].ids);
        CHECK(stage(plain, off).cutoff == 0.0f);
    }

    // sample() with a report fills the same stages, plus the coin it drew and the token.
    s.seed = 9;
    Sampler sampler(s);
    SamplingReport drawn;
    const int token = sampler.sample(logits, history, &drawn);
    Rng rng(9);
    CHECK(drawn.coin == rng.nextF32());
    CHECK(drawn.chosen == token);
    REQUIRE(drawn.stages.size() == report.stages.size());
    CHECK(drawn.stages[5].ids == report.stages[5].ids);
    const auto& kept = drawn.stages[6].ids;
    CHECK(std::find(kept.begin(), kept.end(), token) != kept.end());
}

TEST_CASE("temperature 0 collapses the chain to the argmax", "[sampler]") {
    SamplerSettings s = only(0.0f, 0.9f);
    s.topK = 3;
    s.minP = 0.1f;
    const std::vector<float> logits{0.1f, 0.3f, 0.2f};
    const auto report = Sampler::analyze(logits, {}, s);
    for (const char* name : {"temperature", "top-k", "top-p", "min-p", "final"}) {
        INFO(name);
        CHECK(stage(report, name).ids == std::vector<int>{1});
        CHECK(stage(report, name).probs == std::vector<float>{1.0f});
    }
    CHECK(stage(report, "top-k").cutoff == 1.0f);
    CHECK(stage(report, "min-p").cutoff == Approx(0.1f));
    CHECK(report.chosen == 1);
}

TEST_CASE("every stage lists its tokens as a stable sort of its probabilities would",
          "[sampler]") {
    // The full-vocabulary stages reuse one sort of the logits; check them against sorting each
    // stage's own probabilities, on model logits and on logits full of exact ties.
    const auto rows = referenceLogits();
    std::mt19937 gen(11);
    std::uniform_int_distribution<int> level(-4, 4);
    std::vector<float> tied(700);
    for (float& v : tied) v = float(level(gen)) * 0.5f;
    const std::vector<int> history{5, 17, 5, 403, 261, 0, 499};
    const std::vector<float>* inputs[] = {&rows[7], &rows[40], &tied};
    for (const auto* logits : inputs) {
        for (float t : {0.02f, 0.3f, 0.7f, 1.0f, 1.3f, 3.0f}) {
            for (float penalty : {1.0f, 1.5f, 0.5f}) {
                SamplerSettings s = only(t, 1.0f);
                s.repetitionPenalty = penalty;
                const auto report = Sampler::analyze(*logits, history, s);
                std::vector<float> x = *logits;
                for (size_t i = 0; i < 3; ++i) {
                    if (i == 1) applyRepetitionPenalty(x, history, penalty, s.repetitionWindow);
                    if (i == 2 && t != 1.0f) applyTemperature(x, t);
                    std::vector<float> p = x;
                    softmaxInPlace(p);
                    std::vector<int> expected(p.size());
                    std::iota(expected.begin(), expected.end(), 0);
                    std::stable_sort(expected.begin(), expected.end(), [&](int a, int b) {
                        return p[size_t(a)] > p[size_t(b)];
                    });
                    INFO("T " << t << ", penalty " << penalty << ", stage "
                              << report.stages[i].stage);
                    REQUIRE(report.stages[i].ids == expected);
                    for (size_t k = 0; k < expected.size(); ++k)
                        REQUIRE(report.stages[i].probs[k] == p[size_t(expected[k])]);
                }
            }
        }
    }
}

TEST_CASE("the filters work on their own", "[sampler]") {
    Candidates c;
    c.ids = {10, 11, 12, 13, 14};
    c.values = {0.1f, 0.4f, 0.1f, 0.3f, 0.1f};
    keepTopK(c, 3);  // the two 0.1 ties beyond 0.4 and 0.3: the first in order (id 10) stays
    CHECK(c.sortedDesc);
    CHECK(c.ids == std::vector<int>{11, 13, 10});
    renormalize(c);
    CHECK(c.values[0] == Approx(0.5));
    CHECK(c.values[2] == Approx(0.125));
    keepMinP(c, 0.5f);  // threshold 0.25
    CHECK(c.ids == std::vector<int>{11, 13});
    keepTopK(c, 0);  // off
    keepTopP(c, 1.0f);  // off
    keepMinP(c, 0.0f);  // off
    CHECK(c.ids == std::vector<int>{11, 13});

    // A nucleus smaller than any token (p below every probability): the most probable stays.
    Candidates flat;
    flat.ids = {0, 1, 2, 3};
    flat.values = {0.25f, 0.25f, 0.25f, 0.25f};
    keepTopP(flat, 0.1f);
    CHECK(flat.ids == std::vector<int>{0});

    CHECK(entropyBits(std::vector<float>{0.25f, 0.25f, 0.25f, 0.25f}) == Approx(2.0));
    CHECK(entropyBits(std::vector<float>{1.0f, 0.0f}) == 0.0f);

    // A one-token vocabulary has one answer under every setting.
    SamplerSettings s = only(0.7f, 0.5f);
    for (int k : {0, 1, 5}) {
        s.topK = k;
        s.minP = k == 5 ? 0.2f : 0.0f;
        Sampler sampler(s);
        CHECK(sampler.sample(std::vector<float>{-3.0f}, {}) == 0);
        CHECK(Sampler::analyze(std::vector<float>{-3.0f}, {}, s).chosen == 0);
    }
}

TEST_CASE("sortDesc is a stable sort, highest first", "[sampler]") {
    std::mt19937 gen(3);
    std::uniform_int_distribution<int> level(-50, 50);
    for (size_t n : {size_t(1), size_t(7), size_t(5000)}) {
        Candidates c;
        for (size_t i = 0; i < n; ++i) {
            c.ids.push_back(int(i));
            // Ties, negatives, both zeros, tiny and huge values.
            const int l = level(gen);
            const float scale = l % 3 ? 1e-30f : 1e30f;
            c.values.push_back(l == 0 ? (i % 2 ? -0.0f : 0.0f) : float(l) * scale);
        }
        std::vector<int> expected = c.ids;
        std::stable_sort(expected.begin(), expected.end(),
                         [&](int a, int b) { return c.values[size_t(a)] > c.values[size_t(b)]; });
        sortDesc(c);
        CHECK(c.sortedDesc);
        CHECK(c.ids == expected);
    }
}

TEST_CASE("analyze handles a 32000-token vocabulary with every stage on", "[sampler]") {
    // Speed is measured by benchmarks, not here; this checks the chain at a real vocab size.
    std::mt19937 gen(5);
    std::normal_distribution<float> normal(0.0f, 3.0f);
    std::vector<float> logits(32000);
    for (float& v : logits) v = normal(gen);
    std::vector<int> history(64);
    for (int& t : history) t = int(gen() % 32000);
    SamplerSettings s = only(0.8f, 0.9f);
    s.topK = 40;
    s.minP = 0.05f;
    s.repetitionPenalty = 1.1f;
    const SamplingReport r = Sampler::analyze(logits, history, s);
    REQUIRE(!r.stages.empty());
    const StageReport& last = r.stages.back();
    CHECK(last.stage == "final");
    CHECK(!last.ids.empty());
    CHECK(last.ids.size() <= 40);  // top-k bounds every later stage
    double sum = 0.0;
    for (size_t i = 0; i < last.probs.size(); ++i) {
        sum += last.probs[i];
        if (i > 0) CHECK(last.probs[i] <= last.probs[i - 1]);
    }
    CHECK(sum == Approx(1.0).epsilon(1e-5));
    CHECK(r.chosen == last.ids.front());
}

TEST_CASE("bad settings and logits are refused with a message naming them", "[sampler]") {
    auto settingsError = [](auto change, const char* name) {
        SamplerSettings s;
        change(s);
        INFO(name);
        CHECK_THROWS_WITH(Sampler(s), Contains(name));
        const std::vector<float> logits{1.0f, 2.0f};
        CHECK_THROWS_AS(Sampler::analyze(logits, {}, s), Error);
    };
    settingsError([](SamplerSettings& s) { s.temperature = -0.5f; }, "temperature");
    settingsError([](SamplerSettings& s) { s.temperature = std::nanf(""); }, "temperature");
    settingsError([](SamplerSettings& s) { s.topK = -1; }, "top-k");
    settingsError([](SamplerSettings& s) { s.topP = 1.5f; }, "top-p");
    settingsError([](SamplerSettings& s) { s.topP = std::nanf(""); }, "top-p");
    settingsError([](SamplerSettings& s) { s.minP = -0.1f; }, "min-p");
    settingsError([](SamplerSettings& s) { s.minP = 1.1f; }, "min-p");
    settingsError([](SamplerSettings& s) { s.repetitionPenalty = 0.0f; }, "repetition penalty");
    settingsError([](SamplerSettings& s) { s.repetitionPenalty = -1.0f; }, "repetition penalty");
    settingsError([](SamplerSettings& s) { s.repetitionWindow = -1; }, "repetition window");

    Sampler sampler;
    CHECK_THROWS_WITH(sampler.sample(std::vector<float>{}, {}), Contains("empty"));
    CHECK_THROWS_WITH(sampler.sample(std::vector<float>{1.0f, std::nanf("")}, {}),
                      Contains("logits[1]"));
    const float inf = std::numeric_limits<float>::infinity();
    CHECK_THROWS_WITH(sampler.sample(std::vector<float>{inf, 1.0f}, {}), Contains("logits[0]"));
    CHECK_THROWS_AS(sampler.sample(std::vector<float>{-inf, -inf}, {}), Error);
    CHECK_THROWS_AS(Sampler::analyze(std::vector<float>{}, {}, SamplerSettings{}), Error);

    // Masked tokens (-inf) are fine and are never drawn.
    const std::vector<float> masked{-inf, 0.0f, -inf, 0.0f};
    for (int i = 0; i < 100; ++i) {
        const int t = sampler.sample(masked, {});
        REQUIRE((t == 1 || t == 3));
    }
    // A temperature so small that logits / T overflows behaves as greedy instead of NaN.
    Sampler tiny(only(1e-38f, 0.9f));
    CHECK(tiny.sample(std::vector<float>{1000.0f, 2000.0f, 1500.0f}, {}) == 1);
}

// ---- the chain's order ----

namespace {

std::vector<std::string> stageNames(const SamplingReport& r) {
    std::vector<std::string> names;
    for (const auto& s : r.stages) names.push_back(s.stage);
    return names;
}

std::set<int> idSet(const StageReport& s) { return {s.ids.begin(), s.ids.end()}; }

}  // namespace

TEST_CASE("sampler orders are read from names and written back", "[sampler][order]") {
    const std::string def = "penalty,temperature,top-k,top-p,min-p,typical";
    CHECK(formatSamplerOrder(kDefaultSamplerOrder) == def);
    CHECK(SamplerSettings{}.order == parseSamplerOrder(def));
    CHECK(formatSamplerOrder(parseSamplerOrder(def)) == def);
    CHECK(parseSamplerOrder(" top-p , temperature") ==
          std::vector<SamplerStageKind>{SamplerStageKind::TopP, SamplerStageKind::Temperature});
    CHECK(formatSamplerOrder(parseSamplerOrder("min-p,top-k,penalty,top-p,temperature")) ==
          "min-p,top-k,penalty,top-p,temperature");

    // Each error names the problem and, for an unknown name, what is allowed.
    CHECK_THROWS_WITH(parseSamplerOrder(""), Contains("empty"));
    CHECK_THROWS_WITH(parseSamplerOrder("  "), Contains("empty"));
    CHECK_THROWS_WITH(parseSamplerOrder("bogus"), Contains("unknown stage 'bogus'") &&
                                                      Contains("allowed: " + def));
    CHECK_THROWS_WITH(parseSamplerOrder("top-k,Top-P"), Contains("unknown stage 'Top-P'"));
    CHECK_THROWS_WITH(parseSamplerOrder("top-k,top-k"), Contains("'top-k' appears twice"));
    CHECK_THROWS_WITH(parseSamplerOrder("temperature,top-p,temperature"),
                      Contains("'temperature' appears twice"));
    CHECK_THROWS_WITH(parseSamplerOrder("top-k,,top-p"), Contains("empty stage name"));
    CHECK_THROWS_WITH(parseSamplerOrder("top-k,"), Contains("empty stage name"));
    CHECK_THROWS_AS(parseSamplerOrder("bogus"), Error);

    // The same checks guard an order set in code.
    SamplerSettings s;
    s.order = {};
    CHECK_THROWS_WITH(Sampler(s), Contains("empty"));
    s.order = {SamplerStageKind::TopK, SamplerStageKind::TopK};
    CHECK_THROWS_WITH(Sampler(s), Contains("'top-k' appears twice"));
    s.order = {static_cast<SamplerStageKind>(9)};
    CHECK_THROWS_WITH(Sampler::analyze(std::vector<float>{1.0f, 2.0f}, {}, s),
                      Contains("not one of"));
}

TEST_CASE("an explicit default order is the default chain: llama2.c's tokens", "[sampler][order]") {
    const auto rows = referenceLogits();
    for (const char* order : {"penalty,temperature,top-k,top-p,min-p", "temperature,top-p"}) {
        for (const auto& [temperature, topP] :
             std::vector<std::pair<float, float>>{{1.0f, 0.9f}, {0.8f, 1.0f}, {1.3f, 0.95f}}) {
            SamplerSettings s = only(temperature, topP);
            s.seed = 77;
            s.order = parseSamplerOrder(order);
            Sampler sampler(s);
            uint64_t state = s.seed;
            int mismatches = 0;
            for (int round = 0; round < 3; ++round)
                for (const auto& logits : rows)
                    mismatches += sampler.sample(logits, {}) !=
                                  ref::sample(logits, temperature, topP, &state);
            INFO(order << ": T " << temperature << " top-p " << topP);
            CHECK(mismatches == 0);
        }
    }
}

TEST_CASE("drawing and analysis are one chain, in every order", "[sampler][order]") {
    const auto rows = referenceLogits();
    const std::vector<std::string> orders{
        "penalty,temperature,top-k,top-p,min-p", "penalty,top-k,top-p,min-p,temperature",
        "min-p,top-p,top-k,temperature,penalty", "top-p,penalty,temperature,min-p,top-k",
        "temperature,top-p",                     "top-k,min-p"};
    struct Knobs {
        float t, topP, minP, penalty;
        int topK;
    };
    const std::vector<Knobs> knobs{{1.0f, 0.9f, 0.0f, 1.0f, 0},  {0.7f, 0.9f, 0.05f, 1.3f, 20},
                                   {1.5f, 1.0f, 0.02f, 1.0f, 0}, {2.0f, 0.5f, 0.0f, 0.8f, 40},
                                   {0.0f, 0.9f, 0.1f, 1.2f, 5},  {1e-38f, 0.9f, 0.0f, 1.0f, 0}};
    for (const std::string& order : orders) {
        for (const Knobs& k : knobs) {
            SamplerSettings s = only(k.t, k.topP);
            s.minP = k.minP;
            s.repetitionPenalty = k.penalty;
            s.topK = k.topK;
            s.order = parseSamplerOrder(order);
            s.seed = 2024;
            Sampler sampler(s);
            Rng coins(s.seed);
            std::vector<int> history{1, 403, 407, 261, 378};
            INFO("order " << order << ", T " << k.t << ", top-k " << k.topK << ", top-p " << k.topP
                          << ", min-p " << k.minP << ", penalty " << k.penalty);
            for (size_t p = 4; p < rows.size(); p += 3) {
                const auto& logits = rows[p];
                const SamplingReport analysed = Sampler::analyze(logits, history, s);
                SamplingReport drawn;
                const int token = sampler.sample(logits, history, &drawn);
                // The report lists softmax, the chain's stages in its order, and final.
                std::vector<std::string> expected{"softmax"};
                for (SamplerStageKind kind : s.order) expected.push_back(samplerStageName(kind));
                expected.push_back("final");
                REQUIRE(stageNames(analysed) == expected);
                // Drawing recorded the very stages analysis shows...
                REQUIRE(drawn.stages == analysed.stages);
                REQUIRE(drawn.chosen == token);
                // ...and the token is what analysis' survivors give for the same coin.
                // Greedy (no coin) needs temperature 0 in the chain; left out, T is 1.
                const bool greedy = k.t == 0.0f && std::find(s.order.begin(), s.order.end(),
                                                             SamplerStageKind::Temperature) !=
                                                       s.order.end();
                const float coin = greedy ? 0.0f : coins.nextF32();
                REQUIRE(drawn.coin == coin);
                REQUIRE(drawToken(analysed.drawn, coin) == token);
                const StageReport& final = analysed.stages.back();
                const auto it = std::find(final.ids.begin(), final.ids.end(), token);
                REQUIRE(it != final.ids.end());
                REQUIRE(final.probs[size_t(it - final.ids.begin())] > 0.0f);
                // The draw's set is the final stage's, with the same probabilities up to the
                // final renormalisation.
                REQUIRE(std::set<int>(analysed.drawn.ids.begin(), analysed.drawn.ids.end()) ==
                        idSet(final));
                if (greedy) REQUIRE(token == analysed.chosen);
                history.push_back(token);
            }
        }
    }
}

TEST_CASE("the order changes the result only where it should", "[sampler][order]") {
    const auto rows = referenceLogits();
    const auto& logits = rows[30];
    auto run = [&](const char* order, SamplerSettings s) {
        s.order = parseSamplerOrder(order);
        return Sampler::analyze(logits, {}, s);
    };
    SamplerSettings hot = only(2.0f, 1.0f);

    // top-k keeps the same k tokens before or after temperature (x / T keeps their order).
    hot.topK = 12;
    const auto kThenT = run("top-k,temperature", hot);
    const auto tThenK = run("temperature,top-k", hot);
    CHECK(idSet(kThenT.stages.back()) == idSet(tThenK.stages.back()));
    CHECK(kThenT.stages.back().ids.size() == 12);
    // Temperature after the filter works on the survivors: p^(1/T), renormalised.
    const StageReport& kept = stage(kThenT, "top-k");
    double z = 0.0;
    for (float p : kept.probs) z += std::pow(double(p), 1.0 / 2.0);
    const StageReport& warmed = stage(kThenT, "temperature");
    REQUIRE(warmed.ids == kept.ids);
    for (size_t i = 0; i < kept.probs.size(); ++i)
        CHECK(warmed.probs[i] == Approx(std::pow(double(kept.probs[i]), 0.5) / z).epsilon(1e-5));
    // Either way the final distribution is softmax(x / T) over those 12.
    for (size_t i = 0; i < 12; ++i)
        CHECK(kThenT.stages.back().probs[i] == Approx(tThenK.stages.back().probs[i]).epsilon(1e-5));

    // top-p before a hot temperature takes the nucleus of the model's own distribution, which is
    // smaller than the nucleus of the flattened one.
    hot.topK = 0;
    hot.topP = 0.5f;
    const auto pThenT = run("top-p,temperature", hot);
    const auto tThenP = run("temperature,top-p", hot);
    const size_t nBefore = pThenT.stages.back().ids.size();
    const size_t nAfter = tThenP.stages.back().ids.size();
    INFO("top-p 0.5 before T 2 keeps " << nBefore << " tokens, after it " << nAfter);
    CHECK(nBefore < nAfter);
    CHECK(stage(pThenT, "top-p").ids.size() == nBefore);  // temperature removes nothing

    // min-p likewise: the same threshold keeps more once the distribution is flatter.
    hot.topP = 1.0f;
    hot.minP = 0.2f;
    CHECK(run("min-p,temperature", hot).stages.back().ids.size() <
          run("temperature,min-p", hot).stages.back().ids.size());

    // The penalty after a filter still acts on logits: x_t / 2 for a positive logit (or x_t * 2),
    // so p_t / p_u changes by exp(x'_t - x_t) against an unpenalised survivor u.
    SamplerSettings pen = only(1.0f, 1.0f);
    pen.topK = 5;
    pen.repetitionPenalty = 2.0f;
    const SamplingReport filtered = run("top-k", pen);
    const StageReport& top5 = stage(filtered, "top-k");
    const int t = top5.ids[1], u = top5.ids[0];
    const std::vector<int> history{t};
    pen.order = parseSamplerOrder("top-k,penalty");
    const auto penalised = Sampler::analyze(logits, history, pen);
    const StageReport& after = stage(penalised, "penalty");
    REQUIRE(idSet(after) == idSet(top5));
    const float xt = logits[size_t(t)];
    const double shift = (xt > 0.0f ? xt / 2.0 : xt * 2.0) - double(xt);
    auto probOf = [](const StageReport& r, int id) {
        return double(r.probs[size_t(std::find(r.ids.begin(), r.ids.end(), id) - r.ids.begin())]);
    };
    CHECK(probOf(after, t) / probOf(after, u) ==
          Approx(probOf(top5, t) / probOf(top5, u) * std::exp(shift)).epsilon(1e-4));

    // Greedy stays greedy wherever temperature sits, and takes no coin.
    SamplerSettings greedy = only(0.0f, 0.9f);
    greedy.topK = 7;
    greedy.order = parseSamplerOrder("top-k,top-p,min-p,penalty,temperature");
    Sampler sampler(greedy);
    SamplingReport r;
    CHECK(sampler.sample(logits, {}, &r) == argmax(logits));
    CHECK(r.coin == 0.0f);
    CHECK(r.stages.back().ids == std::vector<int>{argmax(logits)});
}
