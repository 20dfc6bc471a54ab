// Decoding strategies (decoding.h): beam search on hand-built distributions and on the model,
// best-of-N against generate, the vote, the comparison metrics and typical-p.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <numeric>
#include <stop_token>

#include "anatomy/decoding.h"
#include "anatomy/error.h"
#include "anatomy/generate.h"
#include "anatomy/open_model.h"
#include "anatomy/sampler.h"
#include "anatomy/session.h"
#include "test_paths.h"

using namespace anatomy;
using Catch::Matchers::Contains;

namespace {

// log of a hand-written distribution over a small vocabulary.
std::vector<double> logOf(std::vector<double> p) {
    for (double& v : p) v = std::log(v);
    return p;
}

// Tokens: 0 = "a", 1 = "b", 2 = stop.
//   first:     a 0.6, b 0.4
//   after a:   a 0.3, b 0.3, stop 0.4      greedy: a, stop = 0.24
//   after b:   a 0.05, b 0.05, stop 0.9    best:   b, stop = 0.36
FunctionLogProbs greedyTrap() {
    return FunctionLogProbs(3, [](std::span<const int> g) {
        if (g.empty()) return logOf({0.6, 0.4, 1e-12});
        if (g.back() == 0) return logOf({0.3, 0.3, 0.4});
        return logOf({0.05, 0.05, 0.9});
    });
}

const OpenedModel& stories() {
    static const OpenedModel m = openModelWithTokenizer(modelPath("stories260K.bin"), modelPath("tok512.bin"));
    return m;
}

std::vector<int> promptIds(const std::string& text) { return stories().tokenizer->encode(text, true, false); }

// Sum of log-probabilities of ids after prompt, from one fresh prefill over everything.
double scoreFresh(const std::vector<int>& prompt, const std::vector<int>& ids) {
    Session s(stories().model);
    std::vector<int> all = prompt;
    all.insert(all.end(), ids.begin(), ids.end());
    const std::vector<float>& logits = s.forward(all, true);
    const size_t V = size_t(stories().model->config.vocabSize);
    double sum = 0.0;
    for (size_t i = 0; i < ids.size(); ++i) {
        const size_t row = prompt.size() - 1 + i;
        sum += logSoftmax(std::span<const float>(logits.data() + row * V, V))[size_t(ids[i])];
    }
    return sum;
}

}  // namespace

TEST_CASE("log-softmax is the log of the softmax, in double", "[decoding]") {
    const std::vector<float> x{1.0f, 2.0f, 3.0f, -1e30f};
    const std::vector<double> lp = logSoftmax(x);
    const double z = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
    CHECK(lp[0] == Approx(1.0 - std::log(z)).epsilon(1e-12));
    CHECK(lp[2] == Approx(3.0 - std::log(z)).epsilon(1e-12));
    double mass = 0.0;
    for (double v : lp) mass += std::exp(v);
    CHECK(mass == Approx(1.0).epsilon(1e-14));
    CHECK_THROWS_WITH(logSoftmax(std::vector<float>{}), Contains("no logits"));
}

TEST_CASE("beam search finds the sequence greedy misses on a hand-built distribution", "[decoding][beam]") {
    FunctionLogProbs src = greedyTrap();
    BeamOptions o;
    o.stopTokens = {2};
    o.maxNewTokens = 5;
    o.lengthPenalty = 0.0;
    o.width = 1;
    const BeamResult greedy = beamSearch(src, o);
    REQUIRE(greedy.ranked.size() == 1);
    CHECK(greedy.ranked[0].ids == std::vector<int>{0, 2});
    CHECK(greedy.ranked[0].sumLogprob == Approx(std::log(0.24)));

    o.width = 2;
    const BeamResult beam = beamSearch(src, o);
    REQUIRE(beam.ranked.size() == 2);
    CHECK(beam.ranked[0].ids == std::vector<int>{1, 2});  // 0.4 * 0.9 = 0.36 > 0.24
    CHECK(beam.ranked[0].sumLogprob == Approx(std::log(0.36)));
    CHECK(beam.ranked[0].finished);
    CHECK(beam.ranked[1].ids == std::vector<int>{0, 2});
    CHECK(beam.steps == 2);  // two finished at step 2: W reached
    // The tree: step 1 kept a and b; step 2 finished both stop extensions.
    int finished = 0;
    for (const BeamNode& n : beam.nodes) finished += n.state == BeamNodeState::Finished;
    CHECK(finished == 2);
}

TEST_CASE("beam search ties: the lower token id, then the higher-ranked hypothesis", "[decoding][beam]") {
    FunctionLogProbs uniform(4, [](std::span<const int>) { return logOf({0.25, 0.25, 0.25, 0.25}); });
    BeamOptions o;
    o.width = 3;
    o.maxNewTokens = 2;
    o.stopTokens = {};
    const BeamResult r = beamSearch(uniform, o);
    REQUIRE(r.ranked.size() == 3);
    // Step 1 keeps tokens 0, 1, 2; step 2 extends each by token 0, in beam order.
    CHECK(r.ranked[0].ids == std::vector<int>{0, 0});
    CHECK(r.ranked[1].ids == std::vector<int>{1, 0});
    CHECK(r.ranked[2].ids == std::vector<int>{2, 0});
    CHECK_FALSE(r.ranked[0].finished);  // scored at max-new-tokens without a stop token
}

TEST_CASE("the length penalty changes the ranking as score = sum / length^alpha says", "[decoding][beam]") {
    // 0 = x, 1 = y, 2 = stop. Short: [stop] = 0.3 (sum -1.20). Long: [x, stop] = 0.5 * 0.5 = 0.25
    // (sum -1.39, mean -0.69).
    FunctionLogProbs src(3, [](std::span<const int> g) {
        if (g.empty()) return logOf({0.5, 0.2, 0.3});
        return logOf({0.25, 0.25, 0.5});
    });
    BeamOptions o;
    o.width = 2;
    o.maxNewTokens = 4;
    o.stopTokens = {2};
    o.lengthPenalty = 0.0;
    const BeamResult sum = beamSearch(src, o);
    REQUIRE(sum.ranked.size() == 2);
    CHECK(sum.ranked[0].ids == std::vector<int>{2});
    CHECK(sum.ranked[1].ids == std::vector<int>{0, 2});
    o.lengthPenalty = 1.0;
    const BeamResult mean = beamSearch(src, o);
    REQUIRE(mean.ranked.size() == 2);
    CHECK(mean.ranked[0].ids == std::vector<int>{0, 2});
    CHECK(mean.ranked[0].score == Approx(std::log(0.25) / 2.0));
    CHECK(mean.ranked[1].ids == std::vector<int>{2});
    o.lengthPenalty = 0.5;
    const BeamResult half = beamSearch(src, o);
    CHECK(half.ranked[0].score == Approx(std::log(0.25) / std::sqrt(2.0)));  // -0.98 > -1.20
    CHECK(lengthPenalized(-3.0, 4, 0.5) == Approx(-1.5));
    CHECK(lengthPenalized(-3.0, 0, 1.0) == 0.0);
}

TEST_CASE("beam search: a step where some finish leaves fewer than W live, the next has W again", "[decoding][beam]") {
    // 0 = a, 1 = b, 2 = stop. First: a 0.5, stop 0.3, b 0.2: width 2 keeps a (live) and stop
    // (finished). After a: a 0.5, b 0.4, stop 0.1: the one live hypothesis gives two live ones.
    FunctionLogProbs src(3, [](std::span<const int> g) {
        if (g.empty()) return logOf({0.5, 0.2, 0.3});
        return logOf({0.5, 0.4, 0.1});
    });
    BeamOptions o;
    o.width = 2;
    o.maxNewTokens = 3;
    o.stopTokens = {2};
    o.lengthPenalty = 0.0;  // score = the sum
    BeamSearch search(src, o);
    REQUIRE(search.step());
    CHECK(search.result().live.size() == 1);
    REQUIRE(search.step());
    CHECK(search.result().live.size() == 2);
    const BeamResult all = beamSearch(src, o);
    // At max-new-tokens the live ones are scored without a stop token, beside the finished one.
    REQUIRE(all.ranked.size() == 2);
    CHECK(all.ranked[0].ids == std::vector<int>{2});
    CHECK(all.ranked[0].finished);
    CHECK(all.ranked[0].score == Approx(std::log(0.3)));
    CHECK(all.ranked[1].ids == std::vector<int>{0, 0, 0});
    CHECK_FALSE(all.ranked[1].finished);
    CHECK(all.ranked[1].score == Approx(3 * std::log(0.5)));
}

TEST_CASE("beam search stops when none is live, with fewer than W finished", "[decoding][beam]") {
    // 0 = a, 1 = stop. After a only stop is possible (a has probability 0: no hypothesis).
    FunctionLogProbs src(2, [](std::span<const int> g) {
        if (g.empty()) return logOf({0.5, 0.5});
        return std::vector<double>{-std::numeric_limits<double>::infinity(), 0.0};
    });
    BeamOptions o;
    o.width = 3;
    o.maxNewTokens = 10;
    o.stopTokens = {1};
    const BeamResult r = beamSearch(src, o);
    CHECK(r.done);
    CHECK(r.steps == 2);
    REQUIRE(r.ranked.size() == 2);
    CHECK(r.ranked[0].ids == std::vector<int>{0, 1});  // mean log(0.5) / 2 beats log(0.5) / 1
    CHECK(r.ranked[1].ids == std::vector<int>{1});
}

TEST_CASE("beam search step by step is the whole search, a cancelled step changes nothing", "[decoding][beam]") {
    FunctionLogProbs src = greedyTrap();
    BeamOptions o;
    o.width = 2;
    o.maxNewTokens = 6;
    o.stopTokens = {};
    o.recordPruned = 2;
    const BeamResult whole = beamSearch(src, o);
    BeamSearch search(src, o);
    std::stop_source cancel;
    cancel.request_stop();
    CHECK_THROWS_AS(search.step(cancel.get_token()), Cancelled);
    CHECK(search.result().steps == 0);
    int steps = 0;
    while (search.step()) {
        ++steps;
        CHECK(search.result().steps == steps);  // one step a call
        if (steps == 3) CHECK_THROWS_AS(search.step(cancel.get_token()), Cancelled);
    }
    CHECK_FALSE(search.step());  // done: nothing more is computed
    CHECK(steps == whole.steps);
    REQUIRE(search.result().nodes.size() == whole.nodes.size());
    for (size_t i = 0; i < whole.nodes.size(); ++i) {
        CHECK(search.result().nodes[i].token == whole.nodes[i].token);
        CHECK(search.result().nodes[i].cumulative == whole.nodes[i].cumulative);
        CHECK(search.result().nodes[i].state == whole.nodes[i].state);
    }
    REQUIRE(search.result().ranked.size() == whole.ranked.size());
    for (size_t i = 0; i < whole.ranked.size(); ++i) CHECK(search.result().ranked[i].ids == whole.ranked[i].ids);
}

TEST_CASE("beam search refuses a bad width or length", "[decoding][beam]") {
    FunctionLogProbs src = greedyTrap();
    BeamOptions o;
    o.width = 0;
    CHECK_THROWS_WITH(beamSearch(src, o), Contains("width must be >= 1"));
    o.width = 2;
    o.maxNewTokens = 0;
    CHECK_THROWS_WITH(beamSearch(src, o), Contains("max new tokens"));
}

TEST_CASE("beam width 1 on stories260K is greedy generate", "[decoding][beam][model]") {
    const OpenedModel& L = stories();
    for (const char* text : {"Once upon a time", "there was a girl named"}) {
        const std::vector<int> prompt = promptIds(text);
        SessionLogProbs src(L.model, {}, prompt);
        BeamOptions o;
        o.width = 1;
        o.maxNewTokens = 80;
        o.stopTokens = stopTokensOf(*L.tokenizer);
        const BeamResult r = beamSearch(src, o);
        SamplerSettings greedy;
        greedy.temperature = 0.0f;
        Sampler sampler(greedy);
        Session s(L.model);
        GenerateOptions go;
        go.maxNewTokens = 80;
        const GenerateResult g = generateTokens(s, *L.tokenizer, sampler, prompt, go, {});
        std::vector<int> gen(g.tokens.begin() + std::ptrdiff_t(prompt.size()), g.tokens.end());
        if (g.stop == GenerateStop::StopToken) gen.push_back(g.stopToken);
        INFO(text);
        CHECK(r.ranked.at(0).ids == gen);
    }
}

TEST_CASE("beam search on stories260K: forked caches give the scores of a fresh pass", "[decoding][beam][model]") {
    const OpenedModel& L = stories();
    const std::vector<int> prompt = promptIds("Once upon a time");
    SessionLogProbs src(L.model, {}, prompt);
    BeamOptions o;
    o.width = 4;
    o.maxNewTokens = 40;
    o.stopTokens = stopTokensOf(*L.tokenizer);
    const BeamResult r = beamSearch(src, o);
    REQUIRE(r.ranked.size() == 4);
    double largest = 0.0;
    for (const BeamHypothesis& h : r.ranked) {
        const double fresh = scoreFresh(prompt, h.ids);
        largest = std::max(largest, std::abs(fresh - h.sumLogprob));
        CHECK(h.score == Approx(lengthPenalized(h.sumLogprob, int(h.ids.size()), 1.0)));
    }
    INFO("largest |forked - fresh| sum log-prob: " << largest);
    CHECK(largest < 1e-3);
    for (size_t i = 1; i < r.ranked.size(); ++i) CHECK(r.ranked[i - 1].score >= r.ranked[i].score);
    // At most one session per hypothesis, and forks copy only diverged suffixes.
    CHECK(src.stats().sessions <= 4);
    CHECK(src.stats().forwardTokens <= long(prompt.size()) + 4L * r.steps);
    // Beam 4's best is at least as likely (per the score) as greedy's.
    o.width = 1;
    SessionLogProbs g(L.model, {}, prompt);
    CHECK(r.ranked[0].score >= beamSearch(g, o).ranked[0].score);
}

TEST_CASE("session fork: a copied cache continues as the original", "[decoding][model]") {
    const OpenedModel& L = stories();
    const std::vector<int> prompt = promptIds("Once upon a time");
    Session a(L.model), b(L.model);
    a.forward(prompt);
    b.copyCacheFrom(a, 0, a.position());
    CHECK(b.position() == a.position());
    const int one[1] = {400};
    const std::vector<float> la = a.forward(one);
    const std::vector<float> lb = b.forward(one);
    CHECK(la == lb);
    Session c(L.model);
    SimSettings other;
    other.normPlacement = NormPlacement::Post;
    c.setSettings(other);
    CHECK_THROWS_WITH(c.copyCacheFrom(a, 0, 2), Contains("different architecture settings"));
    CHECK_THROWS_WITH(b.copyCacheFrom(a, 0, a.position() + 5), Contains("past the source"));
}

TEST_CASE("batched step: each session's row is its own single-token forward", "[decoding][model]") {
    const OpenedModel& L = stories();
    const std::vector<int> a = promptIds("Once upon a time"), b = promptIds("there was a girl named Lily and");
    Session s1(L.model), s2(L.model), s3(L.model), r1(L.model), r2(L.model), r3(L.model);
    s1.forward(a);
    r1.forward(a);
    s2.forward(b);
    r2.forward(b);
    s3.forward(a);
    r3.forward(a);
    const int more[2] = {400, 401};
    s3.forward(more);  // a third position
    r3.forward(more);
    double largest = 0.0;
    for (int round = 0; round < 3; ++round) {
        const std::vector<int> tokens{300 + round, 310 + round, 320 + round};
        std::vector<Session*> batch{&s1, &s2, &s3};
        const std::vector<float> rows = Session::forwardEach(batch, tokens);
        const size_t V = size_t(L.model->config.vocabSize);
        REQUIRE(rows.size() == 3 * V);
        Session* refs[3] = {&r1, &r2, &r3};
        for (size_t i = 0; i < 3; ++i) {
            const int one[1] = {tokens[i]};
            const std::vector<float> ref = refs[i]->forward(one);
            for (size_t t = 0; t < V; ++t) largest = std::max(largest, double(std::abs(rows[i * V + t] - ref[t])));
            CHECK(batch[i]->position() == refs[i]->position());
        }
    }
    INFO("largest |batched - single| logit: " << largest);
    CHECK(largest < 1e-4);
    Session other(L.model);
    SimSettings post;
    post.normPlacement = NormPlacement::Post;
    other.setSettings(post);
    std::vector<Session*> mixed{&s1, &other};
    CHECK_THROWS_WITH(Session::forwardEach(mixed, std::vector<int>{5, 6}), Contains("different models or settings"));
    CHECK_THROWS_WITH(Session::forwardEach(mixed, std::vector<int>{5}), Contains("2 sessions but 1 tokens"));
}

TEST_CASE("best-of-N: sample i is generate with seed S + i, scored by the model", "[decoding][bestof][model]") {
    const OpenedModel& L = stories();
    const std::vector<int> prompt = promptIds("there was a girl named");
    SamplerSettings ss;
    ss.temperature = 1.0f;
    ss.topP = 0.9f;
    ss.seed = 100;
    Session session(L.model);
    const std::vector<DecodedSample> samples = drawSamples(session, *L.tokenizer, prompt, ss, 4, 40);
    REQUIRE(samples.size() == 4);
    for (int i = 0; i < 4; ++i) {
        SamplerSettings si = ss;
        si.seed = 100 + uint64_t(i);
        Sampler sampler(si);
        Session s(L.model);
        GenerateOptions go;
        go.maxNewTokens = 40;
        std::string text;
        const GenerateResult g = generateTokens(s, *L.tokenizer, sampler, prompt, go, [&](int, const std::string& p) {
            text += p;
            return true;
        });
        std::vector<int> gen(g.tokens.begin() + std::ptrdiff_t(prompt.size()), g.tokens.end());
        if (g.stop == GenerateStop::StopToken) gen.push_back(g.stopToken);
        const DecodedSample& d = samples[size_t(i)];
        INFO("sample " << i);
        CHECK(d.seed == si.seed);
        CHECK(d.ids == gen);
        CHECK(d.text == text);
        CHECK(d.stopped == (g.stop == GenerateStop::StopToken));
        // The mean is over the generated tokens, the stop token included.
        CHECK(d.meanLogprob == Approx(d.sumLogprob / double(d.ids.size())));
        CHECK(d.sumLogprob == Approx(scoreFresh(prompt, d.ids)).margin(1e-3));
    }
    const int best = bestSample(samples, SampleScorer::MeanLogprob);
    for (const DecodedSample& d : samples) CHECK(samples[size_t(best)].meanLogprob >= d.meanLogprob);
    CHECK(parseSampleScorer("sum-logprob") == SampleScorer::SumLogprob);
    CHECK_THROWS_WITH(parseSampleScorer("best"), Contains("mean-logprob, sum-logprob"));
    CHECK_THROWS_WITH(drawSamples(session, *L.tokenizer, prompt, ss, 0, 40), Contains(">= 1"));
}

TEST_CASE("self-consistency: the first group of the first match, and the vote", "[decoding][vote]") {
    const AnswerPattern named("named (\\w+)");
    CHECK(named.extract("there was a girl named Lily. She met a boy named Tom.") == std::string("Lily"));
    CHECK_FALSE(named.extract("there was a girl").has_value());
    CHECK_THROWS_WITH(AnswerPattern("named ("), Contains("invalid answer regex"));
    CHECK_THROWS_WITH(AnswerPattern("named \\w+"), Contains("no capture group"));
    CHECK_THROWS_WITH(AnswerPattern(""), Contains("empty"));

    const std::vector<std::optional<std::string>> answers{"Lily", "Tom", std::nullopt, "Tom", "Lily", "Ben"};
    const VoteResult v = majorityVote(answers);
    REQUIRE(v.winner.has_value());
    CHECK(*v.winner == "Lily");  // 2 : 2 with Tom, Lily seen first
    CHECK(v.answered == 5);
    REQUIRE(v.counts.size() == 3);
    CHECK(v.counts[0].answer == "Lily");
    CHECK(v.counts[0].count == 2);
    CHECK(v.counts[1].answer == "Tom");
    CHECK(v.counts[2].answer == "Ben");
    const std::vector<std::optional<std::string>> more{"Tom", "Lily", "Tom"};
    CHECK(majorityVote(more).winner == std::string("Tom"));
    const std::vector<std::optional<std::string>> none{std::nullopt, std::nullopt};
    CHECK_FALSE(majorityVote(none).winner.has_value());
}

TEST_CASE("compare metrics: distinct-n and repeated 4-grams of token ids", "[decoding][compare]") {
    const std::vector<int> ids{1, 2, 1, 2};
    CHECK(distinctN(ids, 1) == Approx(0.5));
    CHECK(distinctN(ids, 2) == Approx(2.0 / 3.0));
    CHECK(distinctN(std::vector<int>{7}, 2) == 0.0);
    CHECK(repeatedNgrams(std::vector<int>{1, 2, 3, 4, 1, 2, 3, 4, 1}, 4) == 2);
    CHECK(repeatedNgrams(std::vector<int>{1, 2, 3, 4, 5}, 4) == 0);
    const OutputMetrics m = outputMetrics(ids, std::vector<double>{-1.0, -2.0, -3.0, -2.0});
    CHECK(m.meanLogprob == Approx(-2.0));
    CHECK(m.length == 4);
    CHECK_THROWS_WITH(outputMetrics(ids, std::vector<double>{-1.0}), Contains("log-probabilities"));
}

TEST_CASE("compare variants are parsed with clear errors", "[decoding][compare]") {
    const SamplerSettings base;
    CHECK(parseDecodeVariant("greedy", base).kind == DecodeVariant::Kind::Greedy);
    const DecodeVariant b = parseDecodeVariant("beam:3:0.5", base);
    CHECK(b.kind == DecodeVariant::Kind::Beam);
    CHECK(b.width == 3);
    CHECK(b.lengthPenalty == 0.5);
    const DecodeVariant s = parseDecodeVariant("temperature=0.8,top-p=0.95,seed=3,typical-p=0.9", base);
    CHECK(s.kind == DecodeVariant::Kind::Sample);
    CHECK(s.sampler.temperature == 0.8f);
    CHECK(s.sampler.seed == 3);
    CHECK(s.sampler.typicalP == 0.9f);
    CHECK_THROWS_WITH(parseDecodeVariant("beam:0", base), Contains("integer >= 1"));
    CHECK_THROWS_WITH(parseDecodeVariant("beam", base), Contains("beam:W"));
    CHECK_THROWS_WITH(parseDecodeVariant("warmth=3", base), Contains("unknown sampler setting 'warmth'"));
    CHECK_THROWS_WITH(parseDecodeVariant("temperature=-1", base), Contains("temperature"));
    CHECK_THROWS_WITH(parseDecodeVariant("bogus", base), Contains("expected greedy"));
}

TEST_CASE("compare runs each variant from the same prompt", "[decoding][compare][model]") {
    const OpenedModel& L = stories();
    const std::vector<int> prompt = promptIds("Once upon a time");
    Session session(L.model);
    const SamplerSettings base;
    const VariantOutput g = runDecodeVariant(session, *L.tokenizer, prompt, parseDecodeVariant("greedy", base), 30);
    const VariantOutput b1 = runDecodeVariant(session, *L.tokenizer, prompt, parseDecodeVariant("beam:1", base), 30);
    CHECK(g.ids == b1.ids);
    CHECK(g.text == b1.text);
    CHECK(g.metrics.meanLogprob == Approx(b1.metrics.meanLogprob).margin(1e-4));
    const VariantOutput b4 = runDecodeVariant(session, *L.tokenizer, prompt, parseDecodeVariant("beam:4", base), 30);
    CHECK(b4.metrics.length > 0);
    CHECK(b4.metrics.meanLogprob == Approx(scoreFresh(prompt, b4.ids) / double(b4.ids.size())).margin(1e-4));
}

TEST_CASE("typical-p keeps the tokens whose surprise is closest to the entropy", "[decoding][sampler][typical]") {
    // p = (0.5, 0.2, 0.2, 0.1): H = 1.221 nats; |-ln p - H| = 0.53, 0.39, 0.39, 1.08. Taken in
    // that order, 0.2 + 0.2 = 0.4 exceeds 0.3: the most probable token is not typical.
    Candidates c;
    c.ids = {0, 1, 2, 3};
    c.values = {0.5f, 0.2f, 0.2f, 0.1f};
    c.normalized = true;
    Candidates narrow = c;
    keepTypical(narrow, 0.3f);
    CHECK(narrow.ids == std::vector<int>{1, 2});
    Candidates wider = c;
    keepTypical(wider, 0.5f);
    CHECK(wider.ids == std::vector<int>{0, 1, 2});  // most probable first
    Candidates off = c;
    keepTypical(off, 1.0f);
    CHECK(off.ids == c.ids);

    // As a chain stage: named "typical", set by typicalP, never draws the untypical token.
    const std::vector<float> logits{std::log(0.5f), std::log(0.2f), std::log(0.2f), std::log(0.1f)};
    SamplerSettings s;
    s.topP = 1.0f;
    s.typicalP = 0.3f;
    s.order = parseSamplerOrder("temperature,typical");
    const SamplingReport report = Sampler::analyze(logits, {}, s);
    REQUIRE(report.stages.size() == 4);
    CHECK(report.stages[2].stage == "typical");
    CHECK(report.stages[2].ids == std::vector<int>{1, 2});
    Sampler sampler(s);
    for (int i = 0; i < 50; ++i) CHECK(sampler.sample(logits, {}) != 0);
    s.typicalP = 1.5f;
    CHECK_THROWS_WITH(Sampler(s), Contains("typical-p must be <= 1"));
}
