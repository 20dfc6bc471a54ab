// The Train view as a user drives it: a tiny config trains for a few steps on the controller's
// worker thread (the GUI thread keeps running its event loop), the curves fill, Stop writes the
// checkpoint and Resume finishes the run, a bad config says why, and "Open in views" hands the
// window a model it can run.
#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QPushButton>
#include <QTemporaryDir>

#include "controller/train_controller.h"
#include "views/train_view.h"
#include "widgets/widget_test_support.h"

using namespace anatomy::widgets;

namespace {

QString writeConfig(const QTemporaryDir& dir, const QString& name, int steps, const QString& architecture) {
    const QString corpus = QString::fromStdString(sharedFile("corpus/tinystories/tinystories_train_head_197K.txt"));
    const QString tok = QString::fromStdString(modelPath("tok512.bin"));
    const QString json =
        QStringLiteral("{\"shape\": {\"dim\": 32, \"layers\": 2, \"heads\": 4, \"kv_heads\": 2, \"hidden\": 48, "
                       "\"vocab\": 512, \"context\": 32}, \"optimisation\": {\"steps\": %1, \"batch\": 2, "
                       "\"sequence\": 32, \"lr\": 0.005, \"warmup\": 2}, \"data\": {\"corpus\": \"%2\", "
                       "\"tokenizer\": \"%3\", \"eval_every\": 4, \"log_every\": 1}, \"architecture\": {%4}}")
            .arg(steps)
            .arg(corpus, tok, architecture);
    const QString path = dir.filePath(name);
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write(json.toUtf8());
    return path;
}

}  // namespace

TEST_CASE("train view: a tiny MoE config trains through the view and every curve fills", "[train-view]") {
    widgetTestApp();
    QTemporaryDir dir;
    const QString config = writeConfig(dir, QStringLiteral("moe.json"), 8,
                                       QStringLiteral("\"moe.experts\": 4, \"moe.k\": 2, \"attn.gate\": \"headwise\""));
    TrainView view;
    view.resize(1280, 720);
    view.startConfig(config, false, dir.filePath(QStringLiteral("moe.gguf")));
    // The run is on the worker: the call returned while it trains.
    CHECK(view.controller()->running());
    REQUIRE(view.controller()->waitForIdle(120000));
    const TrainCurves& c = view.curves();
    INFO(view.statusText().toStdString());
    REQUIRE(c.step.size() == 8);
    CHECK(c.step.back() == 8);
    CHECK(c.valLoss.size() == 2);  // steps 4 and 8
    CHECK(c.layerGradNorm.size() == 2);
    CHECK(c.headMass.size() == 4);
    CHECK(c.expertLoad.size() == 4);
    for (const auto& e : c.expertLoad) CHECK(e.size() == 8);
    CHECK(c.trainLoss.back() < c.trainLoss.front());
    CHECK(view.statusText().startsWith(QStringLiteral("Done: step 8 of 8")));
    CHECK(QFile::exists(dir.filePath(QStringLiteral("moe.gguf"))));
    // A trained MoE saved as .gguf runs in the inference engine (issue 13): it opens in the views.
    CHECK(view.controller()->canOpen());
    CHECK(view.toCsv().count(QLatin1Char('\n')) == 9);
}

TEST_CASE("train view: Stop writes the checkpoint, Resume finishes the run, Open in views names the model",
          "[train-view]") {
    widgetTestApp();
    QTemporaryDir dir;
    const QString config = writeConfig(dir, QStringLiteral("post.json"), 400, QStringLiteral("\"norm.placement\": \"post\""));
    const QString out = dir.filePath(QStringLiteral("post.bin"));
    TrainView view;
    int stopped = 0, finished = 0;
    QObject::connect(view.controller(), &TrainController::stopped, [&] { ++stopped; });
    QObject::connect(view.controller(), &TrainController::finished, [&] { ++finished; });
    view.startConfig(config, false, out);
    // Stop after the first logged step.
    REQUIRE(processEventsUntil([&] { return !view.controller()->history().empty(); }, 60000));
    view.controller()->stop();
    REQUIRE(view.controller()->waitForIdle(60000));
    if (finished == 1) SUCCEED("the run finished before Stop arrived (a very fast machine)");
    else {
        REQUIRE(stopped == 1);
        const int reached = view.controller()->history().back().step;
        CHECK(reached < 400);
        CHECK(QFile::exists(out + QStringLiteral(".ckpt")));
        CHECK(view.statusText().startsWith(QStringLiteral("Stopped")));
        view.startConfig(config, true, out);
        REQUIRE(view.controller()->waitForIdle(120000));
        REQUIRE(finished == 1);
        // The log continues where it stopped: steps rise without a restart at 1.
        const auto& log = view.controller()->history();
        for (size_t i = 1; i < log.size(); ++i) CHECK(log[i].step > log[i - 1].step);
        CHECK(log.back().step == 400);
    }
    REQUIRE(view.controller()->canOpen());
    QString openedPath;
    QStringList openedSettings;
    int opened = 0;
    QObject::connect(&view, &TrainView::openModelRequested, [&](const QString& p, const QStringList& s) {
        ++opened;
        openedPath = p;
        openedSettings = s;
    });
    for (QPushButton* b : view.findChildren<QPushButton*>())
        if (b->text() == QStringLiteral("Open in views")) b->click();
    REQUIRE(opened == 1);
    CHECK(openedPath == out);
    CHECK(openedSettings == QStringList{QStringLiteral("norm.placement=post")});
}

TEST_CASE("train view: a bad config fails with one line naming the key and no run", "[train-view]") {
    widgetTestApp();
    QTemporaryDir dir;
    const QString config = writeConfig(dir, QStringLiteral("bad.json"), 4, QStringLiteral("\"attn.gate\": \"sometimes\""));
    TrainView view;
    view.startConfig(config, false, dir.filePath(QStringLiteral("bad.gguf")));
    CHECK_FALSE(view.controller()->running());
    const QString status = view.statusText();
    CHECK(status.contains(QStringLiteral("architecture.attn.gate")));
    CHECK_FALSE(status.contains(QLatin1Char('\n')));
    CHECK(view.curves().empty());
}

TEST_CASE("train view: a gated-attention model saved as .gguf opens in the views without --set options",
          "[train-view]") {
    widgetTestApp();
    QTemporaryDir dir;
    const QString config = writeConfig(dir, QStringLiteral("gate.json"), 4,
                                       QStringLiteral("\"attn.gate\": \"headwise\", \"pos\": \"learned\""));
    const QString out = dir.filePath(QStringLiteral("gate.gguf"));
    TrainView view;
    view.startConfig(config, false, out);
    REQUIRE(view.controller()->waitForIdle(120000));
    INFO(view.statusText().toStdString());
    // anatomy-train GGUFs run in the inference engine (gguf_anatomy_train.cpp); the file names its design.
    REQUIRE(view.controller()->canOpen());
    CHECK(view.controller()->openSettings().isEmpty());
    CHECK_FALSE(view.statusText().contains(QStringLiteral("trainer only")));
}
