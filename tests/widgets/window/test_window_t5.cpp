// The real window on a t5 file, offscreen: its Generate and Step buttons run the encoder-decoder
// generation (the prompt box keeps the input; the output goes to the token strip and the line
// beside the buttons), and the Cross-attention tab shows decoder rows for every output token.
// ANATOMY_TEST_SHOTS=DIR saves the window after Generate at 1280x720 and 1920x1080 for a look.
#include <unistd.h>

#include <QPlainTextEdit>
#include <QPushButton>
#include <catch2/catch.hpp>
#include <filesystem>

#include "anatomy/synth_gguf.h"
#include "export/view_export.h"
#include "main_window.h"
#include "views/cross_attention_view.h"
#include "widgets/widget_test_support.h"

using anatomy::gui::MainWindow;
using namespace anatomy::widgets;

namespace {

QPushButton* button(QWidget* root, const QString& text) {
    for (QPushButton* b : root->findChildren<QPushButton*>())
        if (b->text() == text) return b;
    return nullptr;
}

}  // namespace

TEST_CASE("main window on t5: Generate and Step continue the output, the prompt box keeps the input", "[window][t5]") {
    widgetTestApp();
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("anatomy_window_t5_" + std::to_string(::getpid()) + ".gguf")).string();
    anatomy::writeSynthGguf(anatomy::synthReferenceSpec("t5", 1), path);
    const QString input = QStringLiteral("translate English to German: the cat sat on the mat");
    for (const QSize size : {QSize(1280, 720), QSize(1920, 1080)}) {
        MainWindow w;
        w.setAttribute(Qt::WA_DontShowOnScreen);
        w.resize(size);
        w.show();
        w.start(QString::fromStdString(path), input);
        REQUIRE(w.controller().waitForIdle(120000));
        REQUIRE(w.controller().currentInput().trace);
        CHECK(w.controller().tokens() == std::vector<int>{0});
        QPushButton* generate = button(&w, QStringLiteral("Generate"));
        QPushButton* step = button(&w, QStringLiteral("Step"));
        REQUIRE(generate);
        REQUIRE(step);
        REQUIRE(generate->isEnabled());
        generate->click();
        REQUIRE(w.controller().waitForIdle(120000));
        for (int i = 0; i < 5; ++i) QCoreApplication::processEvents();
        const size_t generated = w.controller().tokens().size();
        CHECK(generated > 1);
        CHECK(w.promptEditor()->toPlainText() == input);  // the input, not input + output
        CHECK(w.generationStatus().contains(QStringLiteral("output:")));
        step->click();
        REQUIRE(w.controller().waitForIdle(120000));
        for (int i = 0; i < 5; ++i) QCoreApplication::processEvents();
        const size_t stepped = w.controller().tokens().size();
        CHECK((stepped == generated + 1 || w.generationStatus().contains(QStringLiteral("end-of-text"))));
        CHECK(w.promptEditor()->toPlainText() == input);
        auto* cross = qobject_cast<CrossAttentionView*>(w.view(QStringLiteral("cross")));
        REQUIRE(cross);
        w.showView(cross);
        for (int i = 0; i < 5; ++i) QCoreApplication::processEvents();
        CHECK(cross->crossMap().data().rows == int(stepped));
        if (const char* dir = std::getenv("ANATOMY_TEST_SHOTS"))
            CHECK(saveWidget(&w, size, QStringLiteral("%1/window_t5_%2x%3.png").arg(QString::fromUtf8(dir))
                                           .arg(size.width()).arg(size.height())).isEmpty());
    }
    std::filesystem::remove(path);
}
