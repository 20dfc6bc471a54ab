// --attention-mode for scripted figures: parsed by name, a bad name is a one-line error, and the
// headless screenshot path draws the attention view in the mode asked for.
#include <catch2/catch.hpp>

#include <QImage>
#include <QTemporaryDir>

#include "views/attention_view.h"
#include "export/gui_args.h"
#include "test_paths.h"
#include "export/view_export.h"
#include "widgets/widget_test_support.h"

using namespace anatomy::widgets;

TEST_CASE("gui args: --attention-mode takes probabilities, scores or log", "[attention-mode]") {
    widgetTestApp();
    const auto parse = [](const QString& mode) {
        return parseGuiArgs({QStringLiteral("anatomy"), QStringLiteral("--screenshot"), QStringLiteral("/tmp/a.png"),
                             QStringLiteral("--attention-mode"), mode});
    };
    CHECK(parse(QStringLiteral("probabilities")).attentionMode == AttentionMode::Probabilities);
    CHECK(parse(QStringLiteral("scores")).attentionMode == AttentionMode::Scores);
    CHECK(parse(QStringLiteral("log")).attentionMode == AttentionMode::LogProbabilities);
    CHECK(parse(QStringLiteral("LOG")).attentionMode == AttentionMode::LogProbabilities);
    CHECK_FALSE(parseGuiArgs({QStringLiteral("anatomy")}).attentionMode.has_value());
    const QString err = parse(QStringLiteral("entropy")).error;
    CHECK(err.contains(QStringLiteral("--attention-mode 'entropy'")));
    CHECK(err.contains(QStringLiteral("probabilities, scores or log")));
    CHECK_FALSE(err.contains(QLatin1Char('\n')));
    CHECK(parseGuiArgs({QStringLiteral("anatomy"), QStringLiteral("--help")}).helpText.contains(QStringLiteral("--attention-mode")));
}

TEST_CASE("screenshot: the attention view is drawn in the requested mode", "[attention-mode]") {
    widgetTestApp();
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    QImage shots[3];
    const AttentionMode modes[3] = {AttentionMode::Probabilities, AttentionMode::Scores, AttentionMode::LogProbabilities};
    for (int i = 0; i < 3; ++i) {
        ScreenshotRequest req;
        req.file = dir.filePath(attentionModeName(modes[i]) + QStringLiteral(".png"));
        req.view = QStringLiteral("attention");
        req.modelPath = QString::fromStdString(modelPath("stories260K.bin"));
        req.tokenizerPath = QString::fromStdString(modelPath("tok512.bin"));
        req.prompt = QString::fromUtf8(kTestPrompt);
        req.size = QSize(900, 600);
        req.attentionMode = modes[i];
        const QString err = renderScreenshot(req);
        INFO(err.toStdString());
        REQUIRE(err.isEmpty());
        shots[i] = QImage(req.file);
        CHECK(shots[i].size() == req.size);
    }
    // Each mode colours the map differently.
    CHECK(shots[0] != shots[1]);
    CHECK(shots[1] != shots[2]);
    CHECK(shots[0] != shots[2]);
}
