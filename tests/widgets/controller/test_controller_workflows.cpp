// The app's entry points run the engine's workflows: a model opened through the TraceController
// has the context the CLI's path gives it, and the perplexity window the app reports is the
// engine's window function, number for number (anatomy-cli perplexity --from/--length calls it).
#include <catch2/catch.hpp>

#include <QFileInfo>
#include <cstdio>

#include "anatomy/corpus.h"
#include "anatomy/open_model.h"
#include "anatomy/perplexity.h"
#include "anatomy/session.h"
#include "anatomy/tokenizer.h"
#include "controller/trace_controller.h"
#include "widgets/widget_test_support.h"

using namespace anatomy;
using namespace anatomy::widgets;

namespace {

// Loads a model through the controller (the Model menu's entry point) and waits.
ModelInfo loadThroughController(TraceController& c, const std::string& file) {
    QStringList failures;
    QObject::connect(&c, &TraceController::loadFailed, [&](const QString& m) { failures << m; });
    c.loadModel(QString::fromStdString(modelPath(file)));
    REQUIRE(c.waitForIdle(60000));
    INFO(failures.join(QStringLiteral("; ")).toStdString());
    REQUIRE(c.hasModel());
    return c.modelInfo();
}

}  // namespace

TEST_CASE("controller: the app opens stories260K.gguf and .bin with the CLI's context", "[workflows]") {
    widgetTestApp();
    for (const char* file : {"stories260K.gguf", "stories260K.bin"}) {
        INFO(file);
        TraceController c;
        c.setPrompt(QStringLiteral("Once upon a time"));
        const ModelInfo info = loadThroughController(c, file);
        // What anatomy-cli gets for the same file (its --model goes through the same workflow).
        const OpenedModel cli = openModelWithTokenizer(modelPath(file));
        CHECK(info.config.seqLen == cli.trainedContext());
        CHECK(info.config.seqLen == 512);
        CHECK(info.fileContext == cli.fileContext);
        CHECK(info.modelPath == QString::fromStdString(cli.path));
        REQUIRE(cli.manifest);
        CHECK(info.manifestName == QString::fromStdString(cli.manifest->name));
        CHECK(info.manifestName.startsWith(QStringLiteral("stories260K")));
        CHECK(info.tokenizerPath.isEmpty() == cli.embeddedTokenizer());
        // The trace the views draw carries the same configuration.
        REQUIRE(c.currentInput().trace);
        CHECK(c.currentInput().trace->config.seqLen == 512);
    }
}

TEST_CASE("controller: the perplexity window report is the engine's window function", "[workflows]") {
    widgetTestApp();
    TraceController c;
    loadStories(c);
    REQUIRE(c.waitForIdle(60000));
    std::vector<PerplexityReport> reports;
    QStringList failures;
    QObject::connect(&c, &TraceController::perplexityReady, [&](const PerplexityReport& r, quint64) { reports.push_back(r); });
    QObject::connect(&c, &TraceController::perplexityFailed, [&](const QString& m, quint64) { failures << m; });
    const PerplexityWindow w = corpusWindow(1024, 256);
    SimSettings noPos;
    applySetting(noPos, "pos=none");
    c.setSimSettings(noPos);
    c.requestPerplexity(w);
    REQUIRE(c.waitForPerplexity(120000));
    INFO(failures.join(QStringLiteral("; ")).toStdString());
    REQUIRE(reports.size() == 1);
    const PerplexityReport& r = reports.front();

    // The same file, window and settings through the engine (what anatomy-cli perplexity
    // --from 0 --length 1024 --context 256 prints).
    const OpenedModel m = openModelWithTokenizer(modelPath("stories260K.bin"), modelPath("tok512.bin"));
    const std::string text = readTextFile(w.textPath.toStdString());
    const PerplexityResult asTrained = windowPerplexity(m.model, *m.tokenizer, text, {0, 1024}, 256, SimSettings{});
    const PerplexityResult withSettings = windowPerplexity(m.model, *m.tokenizer, text, {0, 1024}, 256, noPos);
    std::printf("app window %s: ppl %.6f (as trained %.6f); engine %.6f (as trained %.6f)\n",
                describeWindow(w).toUtf8().constData(), r.result.ppl, r.baseline.ppl, withSettings.ppl, asTrained.ppl);
    CHECK(r.baseline.ppl == asTrained.ppl);
    CHECK(r.baseline.windows == asTrained.windows);
    CHECK(r.baseline.textTokens == asTrained.textTokens);
    CHECK(r.result.ppl == withSettings.ppl);
    CHECK(r.result.pplInContext == withSettings.pplInContext);
    CHECK(r.result.ppl > r.baseline.ppl);  // removing positions hurts
}

TEST_CASE("controller: a perplexity window beyond the text is an error, not a shorter window", "[workflows]") {
    widgetTestApp();
    TraceController c;
    loadStories(c);
    REQUIRE(c.waitForIdle(60000));
    QStringList failures;
    int reports = 0;
    QObject::connect(&c, &TraceController::perplexityReady, [&](const PerplexityReport&, quint64) { ++reports; });
    QObject::connect(&c, &TraceController::perplexityFailed, [&](const QString& m, quint64) { failures << m; });
    PerplexityWindow w = corpusWindow(4096, 256);
    w.start = 10'000'000;
    c.requestPerplexity(w);
    REQUIRE(c.waitForPerplexity(60000));
    CHECK(reports == 0);
    REQUIRE(failures.size() == 1);
    CHECK(failures.front().contains(QStringLiteral("beyond the text")));
}

TEST_CASE("controller: the default corpus is the engine's", "[workflows]") {
    widgetTestApp();
    REQUIRE(!widgets::defaultCorpusPath().isEmpty());
    CHECK(widgets::defaultCorpusPath() == QString::fromStdString(anatomy::defaultCorpusPath()));
    CHECK(QFileInfo(widgets::defaultCorpusPath()).canonicalFilePath() ==
          QFileInfo(QString::fromStdString(sharedFile(kTinyStoriesCorpus))).canonicalFilePath());
    CHECK(widgets::corpusNotFoundMessage().contains(QStringLiteral("ANATOMY_SHARED_DIR")));
}

TEST_CASE("controller: a job's thread limit is its own, not the process's", "[workflows]") {
    widgetTestApp();
    const int all = anatomy::threadCount();
    TraceController c;
    c.setThreadCount(1);
    c.setPrompt(QStringLiteral("Once upon a time"));
    loadStories(c);
    REQUIRE(c.waitForIdle(60000));
    REQUIRE(c.currentInput().trace);
    c.requestPerplexity(corpusWindow(1024, 256));
    REQUIRE(c.waitForPerplexity(120000));
    // The trace and the perplexity ran in arenas of one thread; everyone else keeps every core
    // (the controller used to set the process-wide limit from its trace worker).
    CHECK(anatomy::threadCount() == all);
}
