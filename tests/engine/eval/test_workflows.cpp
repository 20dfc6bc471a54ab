// The engine's workflows, the ones both faces call: opening a model with its tokenizer and
// manifest facts, generation, finding the corpus, a perplexity window, and per-job thread limits.
#include <catch2/catch.hpp>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#if defined(__linux__)
#include <sys/resource.h>
#endif
#include <tbb/parallel_for.h>

#include "anatomy/corpus.h"
#include "anatomy/error.h"
#include "anatomy/generate.h"
#include "anatomy/open_model.h"
#include "anatomy/perplexity.h"
#include "anatomy/sampler.h"
#include "anatomy/session.h"
#include "anatomy/thread_limit.h"
#include "test_paths.h"

using namespace anatomy;
using Catch::Matchers::Contains;

namespace {

std::string errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const std::exception& e) {
        return e.what();
    }
    return {};
}

// Sets an environment variable for one scope.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const std::string& value) : m_name(name) {
        if (const char* old = std::getenv(name)) m_old = old;
        setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv() {
        if (m_old) setenv(m_name, m_old->c_str(), 1);
        else unsetenv(m_name);
    }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* m_name;
    std::optional<std::string> m_old;
};

const std::string& corpusText() {
    static const std::string text = readTextFile(sharedFile(kTinyStoriesCorpus));
    return text;
}

}  // namespace

TEST_CASE("open model: the .gguf and the .bin get the same trained context", "[workflows]") {
    const OpenedModel gguf = openModelWithTokenizer(modelPath("stories260K.gguf"));
    const OpenedModel bin = openModelWithTokenizer(modelPath("stories260K.bin"));
    // The .gguf's metadata says 2048; the manifest knows it was trained with 512, as the .bin says.
    CHECK(gguf.fileContext == 2048);
    CHECK(gguf.trainedContext() == 512);
    CHECK(gguf.contextCorrected());
    CHECK(bin.fileContext == 512);
    CHECK(bin.trainedContext() == 512);
    CHECK_FALSE(bin.contextCorrected());
    CHECK(gguf.trainedContext() == bin.trainedContext());
    // Tokenizer choice: embedded in the .gguf, tok512.bin beside the .bin, the explicit one first.
    CHECK(gguf.embeddedTokenizer());
    CHECK(gguf.tokenizerPath == kEmbeddedTokenizer);
    CHECK(std::filesystem::path(bin.tokenizerPath).filename() == "tok512.bin");
    const OpenedModel explicitTok = openModelWithTokenizer(modelPath("stories260K.gguf"), modelPath("tok512.bin"));
    CHECK(std::filesystem::path(explicitTok.tokenizerPath).filename() == "tok512.bin");
    // Both vocabularies split text alike.
    CHECK(gguf.tokenizer->encode("Once upon a time", true) == bin.tokenizer->encode("Once upon a time", true));
    // Manifest facts.
    REQUIRE(gguf.manifest);
    CHECK(gguf.manifest->trainedContext == 512);
    REQUIRE(bin.manifest);
    CHECK(bin.manifest->name == "stories260K");
    CHECK(bin.path == modelPath("stories260K.bin"));
}

TEST_CASE("open model: names, the default model and errors", "[workflows]") {
    // An empty name is the default model; a manifest name resolves on the search path.
    const OpenedModel def = openModelWithTokenizer("");
    CHECK(std::filesystem::path(def.path).filename() == "stories260K.bin");
    CHECK(def.trainedContext() == 512);
    CHECK(std::filesystem::path(openModelWithTokenizer("stories260K.gguf").path).filename() == "stories260K.gguf");
    CHECK_THAT(errorOf([] { openModelWithTokenizer("/nonexistent/model.bin"); }),
               Contains("/nonexistent/model.bin") && Contains("not found"));
    CHECK_THAT(errorOf([] { openModelWithTokenizer(modelPath("tok512.bin")); }), Contains("tok512.bin"));
}

TEST_CASE("generate: greedy from BOS reproduces llama2.c", "[workflows]") {
    const OpenedModel m = openModelWithTokenizer(modelPath("stories260K.bin"));
    Session session(m.model);
    SamplerSettings greedy;
    greedy.temperature = 0.0f;
    Sampler sampler(greedy);
    GenerateOptions o;
    o.maxNewTokens = 256;
    std::string text;
    const GenerateResult r = generateTokens(session, *m.tokenizer, sampler, {m.tokenizer->bosId()}, o,
                                            [&](int, const std::string& piece) {
                                                // llama2.c's safe_printf: a lone control byte is not printed
                                                const unsigned char b = piece.empty() ? 0 : (unsigned char)piece[0];
                                                if (piece.size() != 1 || b >= 0x80 || std::isprint(b) || std::isspace(b))
                                                    text += piece;
                                                return true;
                                            });
    std::ifstream f(referencePath("greedy_empty_256.txt"), std::ios::binary);
    const std::string expected((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    CHECK(text + "\n" == expected);
    CHECK(int(r.tokens.size()) == 1 + r.emitted);
    CHECK(r.drawn >= r.emitted);
}

TEST_CASE("generate: the last token is printed, not fed, stop tokens, callbacks and cancellation", "[workflows]") {
    const OpenedModel m = openModelWithTokenizer(modelPath("stories260K.bin"));
    const std::vector<int> prompt = m.tokenizer->encode("Once upon a time", true);
    SamplerSettings greedy;
    greedy.temperature = 0.0f;
    auto run = [&](int maxNew, const TokenCallback& cb, std::stop_token stop, int* forwards) {
        Session session(m.model);
        Sampler sampler(greedy);
        GenerateOptions o;
        o.maxNewTokens = maxNew;
        o.prefillAllRows = true;
        o.onLogits = [&](std::span<const float> l) { *forwards += int(l.size() / size_t(m.model->config.vocabSize)); };
        return generateTokens(session, *m.tokenizer, sampler, prompt, o, cb, stop);
    };
    // 1. Five new tokens: the prompt's rows, then four one-token passes (the fifth is not fed).
    int rows = 0;
    std::vector<int> ids;
    GenerateResult r = run(5, [&](int id, const std::string&) { ids.push_back(id); return true; }, {}, &rows);
    CHECK(r.stop == GenerateStop::MaxTokens);
    CHECK(r.emitted == 5);
    CHECK(rows == int(prompt.size()) + 4);
    std::vector<int> expected = prompt;
    expected.insert(expected.end(), ids.begin(), ids.end());
    CHECK(r.tokens == expected);
    // 2. The callback stops after its third token.
    int k = 0;
    rows = 0;
    r = run(50, [&](int, const std::string&) { return ++k < 3; }, {}, &rows);
    CHECK(r.stop == GenerateStop::Callback);
    CHECK(r.emitted == 3);
    CHECK(rows == int(prompt.size()) + 2);  // the third token was not fed
    // 3. A stop requested from the callback ends the generation with what was emitted.
    std::stop_source source;
    int n = 0;
    rows = 0;
    r = run(50, [&](int, const std::string&) { if (++n == 3) source.request_stop(); return true; }, source.get_token(), &rows);
    CHECK(r.stop == GenerateStop::Cancelled);
    CHECK(r.emitted == 3);
    // 4. Stopped before the prefill: Cancelled is thrown, nothing is generated.
    std::stop_source early;
    early.request_stop();
    CHECK_THROWS_AS(run(5, {}, early.get_token(), &rows), Cancelled);
    // 5. Zero new tokens: the prefill runs, nothing is drawn.
    rows = 0;
    r = run(0, {}, {}, &rows);
    CHECK(r.drawn == 0);
    CHECK(rows == int(prompt.size()));
    // 6. The greedy story ends with EOS/BOS: the stop token is drawn, not emitted.
    rows = 0;
    r = run(2000, {}, {}, &rows);
    CHECK(r.stop == GenerateStop::StopToken);
    CHECK(r.drawn == r.emitted + 1);
}

TEST_CASE("corpus: found through ANATOMY_SHARED_DIR first, then the build's default", "[workflows]") {
    const std::string found = defaultCorpusPath();
    REQUIRE(!found.empty());
    CHECK(std::filesystem::equivalent(found, sharedFile(kTinyStoriesCorpus)));
    // A shared folder named by the environment wins over the build's default.
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / "anatomy_corpus_test";
    std::filesystem::create_directories(dir / "corpus/tinystories");
    std::ofstream(dir / kTinyStoriesCorpus) << "Once upon a time.";
    {
        ScopedEnv env("ANATOMY_SHARED_DIR", dir.string());
        CHECK(sharedDirs().front() == dir.string());
        CHECK(std::filesystem::equivalent(defaultCorpusPath(), dir / kTinyStoriesCorpus));
    }
    std::filesystem::remove_all(dir);
    CHECK(std::filesystem::equivalent(defaultCorpusPath(), found));
    CHECK_THAT(errorOf([] { readTextFile("/nonexistent/text.txt"); }), Contains("cannot open"));
}

TEST_CASE("perplexity window: [BOS] + encode(text)[from : from + length], encoded once", "[workflows]") {
    const OpenedModel m = openModelWithTokenizer(modelPath("stories260K.bin"));
    const Tokenizer& tok = *m.tokenizer;
    const std::string& text = corpusText();
    const std::vector<int> textTokens = tok.encode(text, false);
    REQUIRE(textTokens.size() > 4096);
    // The whole text is exactly the CLI's whole-file protocol: encode(text) with BOS first.
    CHECK(windowIds(textTokens, tok.bosId(), {0, std::nullopt}, 256) == tok.encode(text, true));
    // A window: BOS, then the text's own tokens from the offset.
    const std::vector<int> ids = windowIds(textTokens, tok.bosId(), {100, 300}, 256);
    REQUIRE(ids.size() == 301);
    CHECK(ids.front() == tok.bosId());
    CHECK(std::equal(ids.begin() + 1, ids.end(), textTokens.begin() + 100));
    // Out of range: a message naming the window and the text's length.
    const long total = long(textTokens.size());
    CHECK_THAT(errorOf([&] { windowIds(textTokens, 1, {total, 10}, 2); }), Contains("beyond the text"));
    CHECK_THAT(errorOf([&] { windowIds(textTokens, 1, {total - 5, 10}, 2); }),
               Contains("beyond the text's " + std::to_string(total) + " tokens"));
    CHECK_THAT(errorOf([&] { windowIds(textTokens, 1, {-1, 10}, 2); }), Contains("from"));
    CHECK_THAT(errorOf([&] { windowIds(textTokens, 1, {0, 0}, 2); }), Contains("length"));
    CHECK_THAT(errorOf([&] { windowIds(textTokens, 1, {0, 100}, 256); }), Contains("fewer than one window"));
    CHECK_THAT(errorOf([&] { windowIds({}, 1, {0, std::nullopt}, 64); }), Contains("fewer than one window"));

    // The window's perplexity is the protocol on those ids, as trained and with settings.
    const PerplexityResult w = windowPerplexity(m.model, tok, text, {0, 1024}, 256, SimSettings{});
    std::vector<int> first = {tok.bosId()};
    first.insert(first.end(), textTokens.begin(), textTokens.begin() + 1024);
    const PerplexityResult ref = computePerplexity(m.model, first, 256);
    CHECK(w.ppl == ref.ppl);
    CHECK(w.windows == 4);
    CHECK(w.textTokens == 1025);
    CHECK(w.ppl > 1.0);
    CHECK(w.ppl < 20.0);
    std::printf("perplexity window tokens 0-1024, context 256: ppl %.6f\n", w.ppl);
}

TEST_CASE("thread limits: a job's arena limits its loops and no one else's", "[workflows]") {
    const int all = threadCount();
    int inside = -1, other = -1;
    runWithThreads(1, [&] {
        inside = threadCount();
        // Another thread's job, meanwhile, keeps its own limit.
        std::thread t([&] { runWithThreads(2, [&] { other = threadCount(); }); });
        t.join();
    });
    CHECK(inside == 1);
    CHECK(other == std::min(2, all));
    CHECK(threadCount() == all);
    runWithThreads(0, [&] { inside = threadCount(); });
    CHECK(inside == all);
    CHECK_THROWS_WITH(runWithThreads(2, [] { throw Error("from the job"); }), "from the job");
    // The model gives the same logits on one thread as on all.
    const OpenedModel m = openModelWithTokenizer(modelPath("stories260K.bin"));
    const std::vector<int> ids = m.tokenizer->encode("Once upon a time, there was a little girl", true);
    std::vector<float> one;
    runWithThreads(1, [&] {
        Session s(m.model);
        one = s.forward(ids, true);
    });
    Session s(m.model);
    const std::vector<float>& many = s.forward(ids, true);
    REQUIRE(one.size() == many.size());
    float diff = 0;
    for (size_t i = 0; i < one.size(); ++i) diff = std::max(diff, std::abs(one[i] - many[i]));
    std::printf("logits on 1 thread vs %d: max |diff| %g\n", all, double(diff));
    CHECK(diff < 1e-4f);
}

TEST_CASE("thread limits: a background job's threads yield to the GUI, the caller's thread keeps its priority", "[workflows]") {
    setBackgroundNice(-3);
    CHECK(backgroundNice() == 0);
    setBackgroundNice(50);
    CHECK(backgroundNice() == 19);
#if defined(__linux__)
    const int before = getpriority(PRIO_PROCESS, 0);  // this thread (Linux: PRIO_PROCESS 0 = the calling thread)
    std::mutex m;
    std::set<int> nices;
    int master = -100;
    // On a thread of its own: the nice value only ever goes up for an unprivileged process.
    std::thread job([&] {
        setBackgroundNice(std::max(before, 0) + 4);
        runWithThreads(2, [&] {
            master = getpriority(PRIO_PROCESS, 0);
            tbb::parallel_for(0, 64, [&](int) {
                const int n = getpriority(PRIO_PROCESS, 0);
                std::lock_guard lock(m);
                nices.insert(n);
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            });
        });
        setBackgroundNice(0);
    });
    job.join();
    CHECK(master == std::max(before, 0) + 4);
    REQUIRE(!nices.empty());
    CHECK(*nices.begin() >= std::max(before, 0) + 4);
    CHECK(getpriority(PRIO_PROCESS, 0) == before);
#endif
    setBackgroundNice(0);
}

TEST_CASE("perplexity: every window starts from the sequence's own BOS, not the constant 1", "[workflows][hardening]") {
    std::shared_ptr<const Model> m = openModel(modelPath("stories260K.bin"));
    const Tokenizer tok = Tokenizer::fromLlama2cFile(modelPath("tok512.bin"), 512);
    std::vector<int> text = tok.encode("Once upon a time, there was a little girl named Lily. She loved to play "
                                       "outside in the park with her friends every day.", false);
    const int C = 12;
    REQUIRE(text.size() >= size_t(2 * C));
    // A tokenizer whose BOS is 7 (a GGUF may say so): ids[0] = 7 and the second window too.
    std::vector<int> ids(text.begin(), text.begin() + 2 * C);
    ids[0] = 7;
    const PerplexityResult r = computePerplexity(m, ids, C);
    std::vector<int> w0(ids.begin(), ids.begin() + C), w1(ids.begin() + C, ids.end());
    w1[0] = 7;
    const double l0 = std::log(computePerplexity(m, w0, C).ppl), l1 = std::log(computePerplexity(m, w1, C).ppl);
    CHECK(r.windows == 2);
    CHECK(r.ppl == Approx(std::exp((l0 + l1) / 2)).epsilon(1e-12));
    w1[0] = Tokenizer::kBos;  // what the constant would have fed: a different number
    CHECK(std::log(computePerplexity(m, w1, C).ppl) != Approx(l1).epsilon(1e-9));
}

TEST_CASE("perplexity: non-finite logits are an error, never a NaN result", "[workflows][hardening]") {
    std::unique_ptr<Model> broken = openModel(modelPath("stories260K.bin"));
    broken->rmsFinal = broken->own(std::vector<float>(size_t(broken->config.dim), std::nanf("")));
    std::shared_ptr<const Model> m = std::move(broken);
    const std::vector<int> ids = {1, 400, 401, 402, 403, 404, 405, 406};
    CHECK_THAT(errorOf([&] { computePerplexity(m, ids, 8); }), Contains("not finite"));
}
