// Clicking the token strip selects the clicked token's position: scanning clicks from left to
// right along the first line of chips selects positions in increasing order, one chip at a time.
#include <catch2/catch.hpp>

#include <QMouseEvent>

#include "views/token_strip.h"
#include "widgets/widget_test_support.h"

using namespace anatomy::widgets;

TEST_CASE("clicks on the token strip select positions in reading order", "[widgets]") {
    widgetTestApp();
    const ViewInput& in = widgetTestInput();
    REQUIRE(in.trace);
    TokenStrip strip;
    strip.resize(3000, 200);  // wide enough for the whole prompt on one line
    strip.setInput(in);
    strip.show();
    std::vector<int> picked;
    QObject::connect(&strip, &TraceView::selectionRequested,
                     [&](const Selection& s) { picked.push_back(s.position); });
    // Find the first line's vertical centre: the first y at which a click selects something.
    int y = -1;
    for (int yy = 1; yy < 100 && y < 0; ++yy) {
        for (int x = 1; x < 400; x += 7) {
            QMouseEvent press(QEvent::MouseButtonPress, QPointF(x, yy), QPointF(x, yy), Qt::LeftButton,
                              Qt::LeftButton, Qt::NoModifier);
            QCoreApplication::sendEvent(&strip, &press);
            if (!picked.empty()) {
                y = yy + 6;
                break;
            }
        }
    }
    REQUIRE(y > 0);
    picked.clear();
    for (int x = 1; x < strip.width(); x += 3) {
        QMouseEvent press(QEvent::MouseButtonPress, QPointF(x, y), QPointF(x, y), Qt::LeftButton,
                          Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&strip, &press);
    }
    REQUIRE(picked.size() > 10);
    // Positions never go backwards, and each step moves to the next token.
    int distinct = 1;
    for (size_t i = 1; i < picked.size(); ++i) {
        REQUIRE(picked[i] >= picked[i - 1]);
        REQUIRE(picked[i] - picked[i - 1] <= 1);
        distinct += picked[i] != picked[i - 1];
    }
    CHECK(picked.front() == 0);
    CHECK(picked.back() == in.trace->nQ - 1);
    CHECK(distinct == in.trace->nQ);
}
