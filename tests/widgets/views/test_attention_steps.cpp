// Attention step by step: the numbers the view shows are the trace's (q·k from the trace's q
// and k, divided by √d_k, equal the trace's scores; the softmax of those scores equals the
// trace's probabilities; o = Σ p v from the trace's v), the mask is the one the trace ran,
// rows sum to 1, and the √d_k demonstration shows Var(q·k) ≈ d_k for random unit-variance
// vectors and ≈ 1 after the division, with the softmax saturating without it.
#include <QAbstractItemModel>
#include <QStringList>
#include <QTableView>
#include <QTableWidget>
#include <catch2/catch.hpp>
#include <cmath>

#include "plot/attention_steps.h"
#include "views/attention_steps_view.h"
#include "widgets/widget_test_support.h"

using namespace anatomy::widgets;

namespace {

ViewInput traceWith(const QStringList& assignments, const QString& prompt = QString::fromUtf8(kTestPrompt)) {
    widgetTestApp();
    TraceController c;
    anatomy::SimSettings sim;
    for (const QString& kv : assignments) anatomy::applySetting(sim, kv.toStdString());
    c.setSimSettings(sim);
    c.setPrompt(prompt);
    loadStories(c);
    REQUIRE(c.waitForIdle(120000));
    REQUIRE(c.currentInput().trace);
    return c.currentInput();
}

// A key-table cell's text as shown.
QString keyCell(const QTableView* table, int row, int col) {
    return table->model()->index(row, col).data().toString();
}

}  // namespace

TEST_CASE("attention steps: every number is the trace's", "[attention-steps]") {
    const ViewInput& in = widgetTestInput();
    const anatomy::Trace& t = *in.trace;
    const int hs = t.config.headSize();
    for (const Selection sel : {Selection{-1, 2, 3}, Selection{5, 0, 0}, Selection{0, 4, 7}}) {
        const AttentionSteps s = attentionSteps(t, sel);
        REQUIRE(s.valid);
        CHECK(s.headSize == hs);
        CHECK(s.kvHead == sel.head / t.config.kvGroup());
        const int row = sel.position < 0 ? t.nQ - 1 : sel.position;
        CHECK(s.queryPos == t.firstQueryPos + row);
        const auto& lt = t.layers[size_t(sel.layer)];
        const size_t off = (size_t(sel.head) * t.nQ + size_t(row)) * t.nKv;
        double scoreGap = 0.0, probGap = 0.0, sum = 0.0;
        int visible = 0;
        for (int j = 0; j < t.nKv; ++j) {
            const AttentionStepKey& k = s.keys[size_t(j)];
            // Causal as trained: exactly the keys up to the query are seen.
            CHECK(k.visible == (j <= s.queryPos));
            if (!k.visible) {
                CHECK(k.traceProb == 0.0);
                continue;
            }
            ++visible;
            // q·k from the trace's own vectors, independently summed here.
            double dot = 0.0;
            for (int x = 0; x < hs; ++x)
                dot += double(lt.q.data[(size_t(sel.head) * t.nQ + row) * hs + x]) *
                       lt.k.data[(size_t(s.kvHead) * t.nKv + j) * hs + x];
            CHECK(k.dot == Approx(dot).margin(1e-9));
            CHECK(k.scaled == Approx(dot / std::sqrt(double(hs))).margin(1e-9));
            scoreGap = std::max(scoreGap, std::abs(k.scaled - double(lt.attnScores.data[off + j])));
            probGap = std::max(probGap, std::abs(k.prob - double(lt.attnProbs.data[off + j])));
            CHECK(k.traceProb == double(lt.attnProbs.data[off + j]));
            sum += k.prob;
        }
        INFO("layer " << sel.layer << " head " << sel.head << ": largest |q·k/√d_k - trace score| " << scoreGap
                      << ", largest |softmax - trace p| " << probGap);
        CHECK(scoreGap < 1e-4);
        CHECK(probGap < 1e-5);
        CHECK(std::abs(sum - 1.0) < 1e-6);
        CHECK(visible == s.nVisible);
        // o = Σ_j p_j v_j from the trace's values.
        double outGap = 0.0;
        for (int x = 0; x < hs; ++x) {
            double o = 0.0;
            for (int j = 0; j < t.nKv; ++j)
                o += double(lt.attnProbs.data[off + j]) * lt.v.data[(size_t(s.kvHead) * t.nKv + j) * hs + x];
            outGap = std::max(outGap, std::abs(o - double(s.out[size_t(x)])));
        }
        INFO("largest |o - sum p v| " << outGap);
        CHECK(outGap < 1e-5);
        // Without the division the row is sharper: lower entropy, a larger top probability.
        CHECK(s.entropyUnscaledBits <= s.entropyBits + 1e-9);
        CHECK(s.topProbUnscaled >= s.topProb - 1e-9);
        CHECK(s.headVarDot == Approx(s.headVarScaled * hs).epsilon(1e-6));
    }
}

TEST_CASE("attention steps: the view's table shows the trace's probabilities and sums to 1", "[attention-steps]") {
    const ViewInput& in = widgetTestInput();
    AttentionStepsView view;
    view.resize(1280, 720);
    view.setInput(in);
    view.setSelection(Selection{-1, 2, 3});
    const AttentionSteps& s = view.steps();
    REQUIRE(s.valid);
    const QTableView* table = view.keyTable();
    REQUIRE(table->model()->rowCount() == in.trace->nKv + 1);  // one row per key and the Σ row
    double sum = 0.0;
    for (int j = 0; j < in.trace->nKv; ++j) {
        CHECK(keyCell(table, j, 0).toInt() == j);
        sum += keyCell(table, j, 7).toDouble();
    }
    CHECK(std::abs(sum - 1.0) < 0.01);  // the cells are rounded to 3 digits
    CHECK(keyCell(table, in.trace->nKv, 7).toDouble() == Approx(1.0).margin(1e-4));
    // The vectors: q, k, v of the key read most, and o.
    REQUIRE(view.vectorTable()->rowCount() == 4);
    CHECK(view.vectorTable()->item(0, 1)->text().replace(QChar(0x2212), QLatin1Char('-')).toDouble() ==
          Approx(s.q[0]).margin(0.006));
    // The CSV: one row per key, the trace's probabilities.
    const QStringList lines = view.toCsv().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    REQUIRE(lines.size() == 1 + in.trace->nKv);
    CHECK(lines[0].startsWith(QStringLiteral("layer,head,query_pos,key_pos")));
}

TEST_CASE("attention steps follow the mask and the scale the trace ran with", "[attention-steps]") {
    SECTION("bidirectional: every key is seen and the row still sums to 1") {
        const ViewInput in = traceWith({QStringLiteral("attn.mask=bidirectional")});
        const AttentionSteps s = attentionSteps(*in.trace, Selection{0, 1, 2});
        REQUIRE(s.valid);
        CHECK(s.nVisible == in.trace->nKv);
        double sum = 0.0;
        for (const AttentionStepKey& k : s.keys) sum += k.traceProb;
        CHECK(std::abs(sum - 1.0) < 1e-5);
        CHECK(s.maxProbGap < 1e-5);
    }
    SECTION("sliding window: the hidden keys carry the window as their reason") {
        const ViewInput in = traceWith({QStringLiteral("attn.sparse=window"), QStringLiteral("attn.window=4")});
        const AttentionSteps s = attentionSteps(*in.trace, Selection{-1, 1, 0});
        REQUIRE(s.valid);
        CHECK(s.nVisible == 4);
        CHECK(s.keys.front().reason == anatomy::MaskReason::Window);
        CHECK(s.maxProbGap < 1e-5);
    }
    SECTION("attn.scale multiplies the scores; the steps name the multiplier") {
        const ViewInput in = traceWith({QStringLiteral("attn.scale=0.5")});
        const AttentionSteps s = attentionSteps(*in.trace, Selection{-1, 2, 3});
        REQUIRE(s.valid);
        CHECK(s.multiplier == Approx(0.5));
        INFO("largest |s - m q·k/√d_k| " << s.maxScoreGap);
        CHECK(s.maxScoreGap < 1e-4);
        CHECK(s.maxProbGap < 1e-5);
    }
}

TEST_CASE("attention steps: the view re-draws when the trace changes", "[attention-steps]") {
    const ViewInput& as = widgetTestInput();
    const ViewInput bi = traceWith({QStringLiteral("attn.mask=bidirectional")});
    AttentionStepsView view;
    view.setSelection(Selection{0, 1, 2});
    view.setInput(as);
    CHECK(view.steps().nVisible == 1);  // query 0 sees only itself under the causal mask
    view.setInput(bi);
    CHECK(view.steps().nVisible == bi.trace->nKv);
    CHECK(keyCell(view.keyTable(), bi.trace->nKv - 1, 5) == QStringLiteral("seen"));
}

TEST_CASE("why divide by sqrt(d_k): variance of q·k grows with d_k, scaled it stays 1", "[attention-steps]") {
    const ScalingDemo d = scalingDemo(16);
    REQUIRE(d.dk.size() == 9);
    for (size_t i = 0; i < d.dk.size(); ++i) {
        INFO("d_k " << d.dk[i] << ": Var(q·k) " << d.varDot[i] << ", scaled " << d.varScaled[i]);
        CHECK(d.varDot[i] == Approx(double(d.dk[i])).epsilon(0.15));
        CHECK(d.varScaled[i] == Approx(1.0).epsilon(0.15));
    }
    // Unscaled, the softmax saturates as d_k grows; scaled, the entropy stays put.
    CHECK(d.entropyUnscaledBits.back() < 0.5);
    CHECK(d.entropyBits.back() > 2.0);
    CHECK(d.entropyBits.back() == Approx(d.entropyBits.front()).margin(0.4));
    CHECK(d.maxEntropyBits == Approx(4.0));
    // Seeded: the same numbers every time.
    CHECK(scalingDemo(16).varDot == d.varDot);
}

TEST_CASE("attention steps on a 720-pixel slide: the key table's eight columns fit its width", "[window-defects]") {
    // A prompt of about 1,100 tokens: four-digit key numbers, tiny probabilities in e-notation.
    QString text;
    for (int i = 0; i < 50; ++i) text += QString::fromUtf8(kTestPrompt) + QLatin1Char(' ');
    const ViewInput in = traceWith({}, text);
    REQUIRE(in.trace->nKv > 1000);
    AttentionStepsView view;
    view.setAttribute(Qt::WA_DontShowOnScreen);
    QFont f = view.font();
    f.setPointSizeF(f.pointSizeF() * 1.6);  // presentation mode's larger font
    view.setFont(f);
    view.resize(900, 460);
    view.show();
    view.setInput(in);
    view.setSelection(Selection{-1, 2, 3});
    for (int i = 0; i < 5; ++i) QCoreApplication::processEvents();
    const QTableView* table = view.keyTable();
    const QAbstractItemModel* m = table->model();
    REQUIRE(m->columnCount() == 8);
    int total = 0;
    for (int c = 0; c < m->columnCount(); ++c) total += table->columnWidth(c);
    INFO("columns " << total << " px in " << table->viewport()->width() << " px");
    CHECK(total <= table->viewport()->width());
    // The Σ row's label spans the first six columns instead of widening the token column.
    CHECK(table->columnSpan(m->rowCount() - 1, 0) == 6);
    // The widths come from each column's longest strings: every cell's text fits its column
    // (the Σ label, spanning six, fits their sum), and every row is tall enough for its font.
    int spanned = 0;
    for (int c = 0; c < 6; ++c) spanned += table->columnWidth(c);
    for (int r = 0; r < m->rowCount(); ++r)
        for (int c = 0; c < m->columnCount(); ++c) {
            const QModelIndex i = m->index(r, c);
            const QFontMetrics fm(i.data(Qt::FontRole).value<QFont>());
            const int room = r == m->rowCount() - 1 && c == 0 ? spanned : table->columnWidth(c);
            INFO("row " << r << ", column " << c << ": " << i.data().toString().toStdString());
            CHECK(fm.horizontalAdvance(i.data().toString()) + 6 <= room);
            CHECK(fm.height() <= table->rowHeight(r));
        }
}

TEST_CASE("attention steps: the key read most is in sight, with the sum row when both fit", "[attention-steps]") {
    const ViewInput& in = widgetTestInput();
    int sumRowChecked = 0;
    for (int head = 0; head < in.trace->config.nHeads; ++head) {
        AttentionStepsView view;
        view.setAttribute(Qt::WA_DontShowOnScreen);
        view.resize(1000, 470);  // a short table: a few rows in sight
        view.show();
        view.setInput(in);
        view.setSelection(Selection{-1, 2, head});
        for (int i = 0; i < 5; ++i) QCoreApplication::processEvents();
        const QTableView* table = view.keyTable();
        const int rows = table->model()->rowCount(), top = view.steps().topKey;
        REQUIRE(top >= 0);
        const QRect room = table->viewport()->rect();
        INFO("head " << head << ": key " << top << " read most, " << rows << " rows, " << room.height() << " px");
        CHECK(room.contains(table->visualRect(table->model()->index(top, 0))));
        const int span = table->rowViewportPosition(rows - 1) + table->rowHeight(rows - 1) - table->rowViewportPosition(top);
        if (span <= room.height()) {
            CHECK(room.contains(table->visualRect(table->model()->index(rows - 1, 0))));
            ++sumRowChecked;
        }
    }
    CHECK(sumRowChecked > 0);  // some head reads a recent key most: the sum row's case is met
}
