// The main window's decisions, tested without the window (widgets/window_logic.h): selection
// clamping and arrow-key moves, the status bar's selection line, what the visible views need
// recorded, which traces a view can draw, and finding a session's moved model.
#include <catch2/catch.hpp>

#include <QDir>
#include <QTemporaryDir>

#include "views/token_strip.h"
#include "widgets/widget_test_support.h"
#include "controller/window_logic.h"

using namespace anatomy;
using namespace anatomy::widgets;

TEST_CASE("window logic: selections stay inside the trace and move with the keys", "[window]") {
    const ViewInput& in = widgetTestInput();
    REQUIRE(in.trace);
    const Trace& t = *in.trace;
    const int nQ = t.nQ, nL = int(t.layers.size()), nH = t.config.nHeads;
    REQUIRE(nQ > 3);
    // Out of range: clamped to the last row, layer and head; -1 (follow the last token) stays.
    CHECK(clampSelection({nQ + 5, nL + 2, nH + 7}, t) == Selection{nQ - 1, nL - 1, nH - 1});
    CHECK(clampSelection({-1, -3, -2}, t) == Selection{-1, 0, 0});
    // Left from "the last" goes to the row before it; right stops at the end.
    CHECK(moveSelection({-1, 0, 0}, t, -1, 0, 0).position == nQ - 2);
    CHECK(moveSelection({nQ - 1, 0, 0}, t, +1, 0, 0).position == nQ - 1);
    CHECK(moveSelection({0, 0, 0}, t, -1, 0, 0).position == 0);
    CHECK(moveSelection({2, 1, 1}, t, 0, +1, -1) == Selection{2, 2, 0});
    CHECK(moveSelection({2, 0, 0}, t, 0, -1, -1) == Selection{2, 0, 0});
    CHECK(moveSelection({2, nL - 1, nH - 1}, t, 0, +1, +1) == Selection{2, nL - 1, nH - 1});
}

TEST_CASE("window logic: the status line names the selected token", "[window]") {
    const ViewInput& in = widgetTestInput();
    const Trace& t = *in.trace;
    const QString line = selectionSummary(in, {1, 2, 3});
    const QString piece = displayPiece(in.tokenizer->piece(t.tokens[size_t(t.firstQueryPos + 1)]));
    CHECK(line == QStringLiteral("position %1 “%2” · layer 2 · head 3 · %3 tokens")
                      .arg(t.firstQueryPos + 1)
                      .arg(piece)
                      .arg(t.tokens.size()));
    CHECK(selectionSummary(in, {-1, 0, 0}).startsWith(QStringLiteral("position %1 ").arg(t.firstQueryPos + t.nQ - 1)));
    CHECK(selectionSummary(ViewInput{}, {}).isEmpty());
}

TEST_CASE("window logic: only visible views decide what is recorded and drawn", "[window]") {
    const CaptureSpec none = captureSpecFor({QStringLiteral("norms")});
    CHECK_FALSE(none.logitLens);
    CHECK_FALSE(none.qk);
    CHECK_FALSE(none.attention);
    const CaptureSpec rope = captureSpecFor({QStringLiteral("rope")});
    CHECK(rope.qk);
    CHECK(rope.attention);  // the RoPE view draws attention too
    CHECK_FALSE(rope.logitLens);
    CHECK(captureSpecFor({QStringLiteral("lens"), QStringLiteral("attention")}).logitLens);
    CHECK(captureSpecFor({QStringLiteral("attention")}).attention);
    // The cross-attention view draws the decoder's self-attention beside the cross maps.
    CHECK(captureSpecFor({QStringLiteral("cross")}).attention);
    // Attention step by step reads q, k, v and the scores.
    const CaptureSpec steps = captureSpecFor({QStringLiteral("steps")});
    CHECK(steps.qk);
    CHECK(steps.attention);

    Trace t;
    t.spec = captureSpecFor({QStringLiteral("norms")});
    CHECK_FALSE(traceServes(t, QStringLiteral("attention")));
    CHECK_FALSE(traceServes(t, QStringLiteral("lens")));
    CHECK(traceServes(t, QStringLiteral("norms")));
    CHECK_FALSE(traceServes(t, QStringLiteral("steps")));
    CHECK_FALSE(traceServes(t, QStringLiteral("cross")));
    t.spec = captureSpecFor({QStringLiteral("rope")});
    CHECK(traceServes(t, QStringLiteral("rope")));
    CHECK(traceServes(t, QStringLiteral("attention")));
}

TEST_CASE("window logic: a session's moved model is found by its file name", "[window]") {
    const QString real = QString::fromStdString(modelPath("stories260K.bin"));
    QString err;
    CHECK(locateSessionModel(real, &err) == real);
    // Saved under a folder that no longer exists: the same file on the search path.
    const QString moved = locateSessionModel(QStringLiteral("/gone/elsewhere/stories260K.bin"), &err);
    CHECK(QFileInfo(moved).fileName() == QStringLiteral("stories260K.bin"));
    CHECK(QFileInfo::exists(moved));
    CHECK(locateSessionModel(QStringLiteral("/gone/nothing-like-it.bin"), &err).isEmpty());
    CHECK(err.contains(QStringLiteral("nothing-like-it.bin")));
}
