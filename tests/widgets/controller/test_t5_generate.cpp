// Generate and Step on an encoder-decoder (t5) model, through the controller as the app runs
// them: the text is encoded once, the output starts at the decoder's start token, Generate
// draws the tokens `anatomy-cli generate` draws with the same sampler settings (the binary is run
// beside it), Step adds exactly one, and the trace (cross-attention, decoder self-attention,
// logits for the sampling view) follows the output. The work happens on the worker: generate()
// returns before any token exists.
#include <unistd.h>

#include <QProcess>
#include <QSignalSpy>
#include <catch2/catch.hpp>
#include <filesystem>

#include "anatomy/encoder_decoder.h"
#include "anatomy/sampler.h"
#include "anatomy/synth_gguf.h"
#include "anatomy/tokenizer.h"
#include "views/cross_attention_view.h"
#include "widgets/widget_test_support.h"

using namespace anatomy::widgets;

namespace {

const QString kInput = QStringLiteral("translate English to German: the cat sat on the mat");

struct T5File {
    std::string path = (std::filesystem::temp_directory_path() /
                        ("anatomy_t5_generate_" + std::to_string(::getpid()) + ".gguf")).string();
    T5File() { anatomy::writeSynthGguf(anatomy::synthReferenceSpec("t5", 1), path); }
    ~T5File() { std::filesystem::remove(path); }
};

// What `anatomy-cli generate` prints for the file and settings (the output text, a newline).
QString cliGenerate(const std::string& model, const anatomy::SamplerSettings& s, int maxNew) {
    QProcess p;
    p.start(QStringLiteral(ANATOMY_TEST_CLI),
            {QStringLiteral("generate"), QStringLiteral("--model"), QString::fromStdString(model), QStringLiteral("--prompt"),
             kInput, QStringLiteral("--temperature"), QString::number(s.temperature), QStringLiteral("--top-k"),
             QString::number(s.topK), QStringLiteral("--top-p"), QString::number(s.topP), QStringLiteral("--seed"),
             QString::number(s.seed), QStringLiteral("--max-new-tokens"), QString::number(maxNew)});
    REQUIRE(p.waitForFinished(120000));
    INFO(p.readAllStandardError().toStdString());
    REQUIRE(p.exitCode() == 0);
    QString out = QString::fromUtf8(p.readAllStandardOutput());
    if (out.endsWith(QLatin1Char('\n'))) out.chop(1);
    return out;
}

}  // namespace

TEST_CASE("t5 generate: the app's Generate draws anatomy-cli generate's tokens, Step adds one, the views follow",
          "[t5][generate][controller]") {
    widgetTestApp();
    T5File file;
    TraceController c;
    c.setPrompt(kInput);
    c.loadModel(QString::fromStdString(file.path), QString());
    REQUIRE(c.waitForIdle(120000));
    REQUIRE(c.hasModel());
    REQUIRE(c.currentInput().trace);
    // A new text: the encoder's input (</s> last), the output at its start token only.
    // Held: the controller drops its own reference when the next trace arrives (part 4 reads it).
    const std::shared_ptr<const anatomy::Trace> firstTrace = c.currentInput().trace;
    const anatomy::Trace& first = *firstTrace;
    REQUIRE(first.encoderDecoder);
    CHECK(first.encoderDecoder->encoderTokens.back() == c.tokenizer()->eosId());
    CHECK(first.tokens == std::vector<int>{0});

    anatomy::SamplerSettings s;
    s.temperature = 1.5f;
    s.topK = 40;
    s.topP = 0.95f;
    s.seed = 7;
    c.setSamplerSettings(s);
    QSignalSpy tokens(&c, &TraceController::tokenGenerated);
    QSignalSpy stopped(&c, &TraceController::generationStopped);
    const int maxNew = 12;
    c.generate(maxNew);
    // Off the GUI thread: nothing was drawn yet when generate() returns.
    CHECK(c.isGenerating());
    CHECK(tokens.count() == 0);
    REQUIRE(c.waitForIdle(120000));
    REQUIRE(c.lastError().isEmpty());
    std::vector<int> ids;
    QString text;
    for (const QList<QVariant>& args : tokens) {
        text += args.at(0).toString();
        ids.push_back(args.at(1).toInt());
    }
    REQUIRE(!ids.empty());
    INFO("app output: " << text.toStdString());

    // 1. The same text as anatomy-cli generate with the same settings, and the same ids as the
    //    engine's loop the CLI runs (generateEncoderDecoder from [start]).
    CHECK(text == cliGenerate(file.path, s, maxNew));
    anatomy::EncoderDecoderSession session(c.model());
    anatomy::Sampler sampler(s);
    anatomy::GenerateOptions options;
    options.maxNewTokens = maxNew;
    const anatomy::GenerateResult g = anatomy::generateEncoderDecoder(
        session, *c.tokenizer(), sampler, c.tokenizer()->tokenize(kInput.toStdString(), true, false), options, {});
    CHECK(std::vector<int>(g.tokens.begin() + 1, g.tokens.end()) == ids);
    std::vector<int> output = {0};
    output.insert(output.end(), ids.begin(), ids.end());
    CHECK(c.tokens() == output);
    REQUIRE(!stopped.isEmpty());
    CHECK(stopped.last().at(0).toString().contains(QStringLiteral("output:")));

    // 2. The trace follows: decoder tokens, cross-attention [heads, nDec, nEnc], logits per position.
    const anatomy::Trace& t = *c.currentInput().trace;
    CHECK(t.tokens == output);
    REQUIRE(t.encoderDecoder);
    const int nEnc = t.encoderDecoder->nEnc;
    CHECK(t.encoderDecoder->crossLayers[1].attnProbs.shape ==
          std::vector<int64_t>{t.config.nHeads, int64_t(output.size()), nEnc});
    CHECK(t.logits.shape.front() == int64_t(output.size()));
    CrossAttentionView view;
    view.setInput(c.currentInput());
    CHECK(view.crossMap().data().rows == int(output.size()));
    CHECK(view.decoderMap().data().rows == int(output.size()));

    // 3. Step: one more token, drawn after the output so far (the engine's loop from that prefix).
    tokens.clear();
    c.generate(1);
    REQUIRE(c.waitForIdle(120000));
    REQUIRE(c.lastError().isEmpty());
    const std::vector<int> stepped = c.tokens();
    REQUIRE(tokens.count() <= 1);
    if (tokens.count() == 1) {  // unless the model drew </s> (then nothing is added)
        REQUIRE(stepped.size() == output.size() + 1);
        CHECK(std::vector<int>(stepped.begin(), stepped.end() - 1) == output);
        CHECK(stepped.back() == tokens.first().at(1).toInt());
        anatomy::EncoderDecoderSession s2(c.model());
        anatomy::Sampler sampler2(s);
        options.maxNewTokens = 1;
        const anatomy::GenerateResult one = anatomy::generateEncoderDecoder(
            s2, *c.tokenizer(), sampler2, c.tokenizer()->tokenize(kInput.toStdString(), true, false), options, {}, {},
            output);
        CHECK(one.tokens == stepped);
        CHECK(c.currentInput().trace->tokens == stepped);
        CHECK(c.currentInput().trace->encoderDecoder->crossLayers[0].attnProbs.shape[1] == int64_t(stepped.size()));
    } else {
        CHECK(stepped == output);
    }

    // 4. Editing the text starts the output over: the input changes, the decoder is at [start].
    c.setPrompt(QStringLiteral("the dog ran"));
    REQUIRE(c.waitForIdle(120000));
    CHECK(c.currentInput().trace->tokens == std::vector<int>{0});
    CHECK(c.currentInput().trace->encoderDecoder->encoderTokenText.front() != first.encoderDecoder->encoderTokenText.front());

    // 5. Greedy Step, Step, Step equals a greedy Generate of 3 (each Step continues the output).
    anatomy::SamplerSettings greedy = s;
    greedy.temperature = 0.0f;
    c.setSamplerSettings(greedy);
    for (int i = 0; i < 3; ++i) {
        c.generate(1);
        REQUIRE(c.waitForIdle(120000));
    }
    const std::vector<int> steps = c.tokens();
    c.setPrompt(QStringLiteral("the dog ran"));  // the same text again: the output starts over
    REQUIRE(c.waitForIdle(120000));
    c.generate(3);
    REQUIRE(c.waitForIdle(120000));
    CHECK(c.tokens() == steps);
}

TEST_CASE("t5 generate: the simulator's knobs are refused with the reason, nothing is generated", "[t5][generate][controller]") {
    widgetTestApp();
    T5File file;
    TraceController c;
    c.setPrompt(kInput);
    c.loadModel(QString::fromStdString(file.path), QString());
    REQUIRE(c.waitForIdle(120000));
    anatomy::SimSettings sim;
    sim.attnScale = 2.0f;
    c.setSimSettings(sim);
    REQUIRE(c.waitForIdle(120000));
    QSignalSpy tokens(&c, &TraceController::tokenGenerated);
    c.generate(4);
    REQUIRE(c.waitForIdle(120000));
    CHECK(tokens.count() == 0);
    CHECK_THAT(c.lastError().toStdString(), Catch::Contains("t5"));
}
