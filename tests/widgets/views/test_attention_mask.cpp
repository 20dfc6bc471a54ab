// The attention view draws the mask the trace ran with (Trace::settings), not a hard-coded
// causal one: under a bidirectional mask every key is seen and every row sums to 1; under a
// sliding window the hidden cells are the window's, with the window named as the reason; the
// CSV holds every value.
#include <QStringList>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "anatomy/attention_visibility.h"
#include "anatomy/synth_gguf.h"
#include "views/attention_view.h"
#include "widgets/widget_test_support.h"

using namespace anatomy::widgets;

namespace {

ViewInput traceWith(const QStringList& assignments) {
    widgetTestApp();
    TraceController c;
    anatomy::SimSettings sim;
    for (const QString& kv : assignments) anatomy::applySetting(sim, kv.toStdString());
    c.setSimSettings(sim);
    c.setPrompt(QString::fromUtf8(kTestPrompt));
    loadStories(c);
    REQUIRE(c.waitForIdle(120000));
    REQUIRE(c.currentInput().trace);
    return c.currentInput();
}

}  // namespace

TEST_CASE("attention mask: bidirectional rows sum to 1 and no cell is masked", "[attention-mask]") {
    const ViewInput in = traceWith({QStringLiteral("attn.mask=bidirectional")});
    const anatomy::Trace& t = *in.trace;
    REQUIRE(t.settings.mask == anatomy::AttentionMask::Bidirectional);
    double worst = 0.0;
    int masked = 0, futureMass = 0;
    for (int layer = 0; layer < static_cast<int>(t.layers.size()); ++layer)
        for (int head = 0; head < t.config.nHeads; ++head) {
            const AttentionMapData d = attentionMapData(t, Selection{0, layer, head}, AttentionMode::Probabilities);
            for (int q = 0; q < d.nQ; ++q) {
                double sum = 0.0;
                for (int k = 0; k < d.nKv; ++k) {
                    if (d.masked(q, k)) ++masked;
                    else sum += d.at(q, k);
                    if (k > d.firstQueryPos + q && d.at(q, k) > 1e-3f) ++futureMass;
                }
                worst = std::max(worst, std::abs(sum - 1.0));
            }
        }
    INFO("largest |row sum - 1| = " << worst);
    CHECK(worst < 1e-5);
    CHECK(masked == 0);
    CHECK(futureMass > 0);  // the model does read later tokens: they must be drawn

    AttentionView view;
    view.setInput(in);
    view.setSelection(Selection{0, 1, 2});
    const QStringList lines = view.toCsv().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    REQUIRE(lines.size() == 1 + t.nQ * t.nKv);
    CHECK(lines.front() == QStringLiteral("layer,head,query_pos,key_pos,query_token,key_token,probability,score,masked"));
    for (int i = 1; i < lines.size(); ++i) {
        CHECK(lines[i].endsWith(QStringLiteral(",0")));
        CHECK_FALSE(lines[i].contains(QStringLiteral(",,")));  // no empty probability or score
    }
}

TEST_CASE("attention mask: a sliding window hides exactly the window's cells", "[attention-mask]") {
    const ViewInput in = traceWith({QStringLiteral("attn.sparse=window"), QStringLiteral("attn.window=4")});
    const anatomy::Trace& t = *in.trace;
    const AttentionMapData d = attentionMapData(t, Selection{0, 2, 1}, AttentionMode::Probabilities);
    int hidden = 0, wrong = 0;
    for (int q = 0; q < d.nQ; ++q)
        for (int k = 0; k < d.nKv; ++k) {
            const int i = d.firstQueryPos + q;
            const bool expectHidden = k > i || i - k >= 4;
            if (d.masked(q, k) != expectHidden) ++wrong;
            if (expectHidden) {
                ++hidden;
                CHECK(std::isnan(d.at(q, k)));
                CHECK(t.layers[2].attnProbs.at({1, q, k}) == 0.0f);
            }
        }
    CHECK(wrong == 0);
    CHECK(hidden > 0);
    // The reason a cell is empty: the window, not the causal mask.
    CHECK(anatomy::attentionMaskReason(t.settings, t.config.nHeads, 1, 10, 2, t.nKv) == anatomy::MaskReason::Window);
    CHECK(anatomy::attentionMaskReason(t.settings, t.config.nHeads, 1, 2, 10, t.nKv) == anatomy::MaskReason::Future);
    CHECK(anatomy::maskReasonText(anatomy::MaskReason::Window, t.settings).find("window of 4") != std::string::npos);

    AttentionView view;
    view.setInput(in);
    view.setSelection(Selection{0, 2, 1});
    const QStringList lines = view.toCsv().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    REQUIRE(lines.size() == 1 + t.nQ * t.nKv);
    int maskedRows = 0;
    for (int i = 1; i < lines.size(); ++i)
        if (lines[i].endsWith(QStringLiteral(",,1"))) ++maskedRows;  // empty probability and score
    CHECK(maskedRows == hidden);
}

TEST_CASE("attention mask: prefix-LM lets the prefix see itself", "[attention-mask]") {
    const ViewInput in = traceWith({QStringLiteral("attn.mask=prefix"), QStringLiteral("attn.prefix=6")});
    const anatomy::Trace& t = *in.trace;
    const AttentionMapData d = attentionMapData(t, Selection{0, 0, 0}, AttentionMode::Probabilities);
    CHECK_FALSE(d.masked(0, 5));  // query 0 reads key 5 inside the prefix
    CHECK(d.masked(0, 6));        // but not the first key after it
    CHECK(d.masked(7, 9));
    CHECK(anatomy::attentionMaskReason(t.settings, t.config.nHeads, 0, 0, 6, t.nKv) == anatomy::MaskReason::OutsidePrefix);
}

// Gemma 2 alternates sliding-window and global layers as trained (no knob set): each layer's map
// hides what that layer's own mask hid, the window named as the reason on the sliding ones.
TEST_CASE("attention mask: Gemma 2's sliding-window layers are drawn masked, its global ones not", "[attention-mask]") {
    widgetTestApp();
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("anatomy_gemma2_mask_" + std::to_string(::getpid()) + ".gguf")).string();
    const anatomy::SynthGgufSpec spec = anatomy::synthReferenceSpec("gemma2", 1);
    anatomy::writeSynthGguf(spec, path);
    TraceController c;
    c.setPrompt(QString::fromUtf8(kTestPrompt));
    c.loadModel(QString::fromStdString(path), QString());
    REQUIRE(c.waitForIdle(120000));
    std::filesystem::remove(path);
    const ViewInput in = c.currentInput();
    REQUIRE(in.trace);
    const anatomy::Trace& t = *in.trace;
    REQUIRE(t.settings.sparse == anatomy::SparsePattern::None);  // as trained
    int slidingLayers = 0, globalLayers = 0;
    for (int layer = 0; layer < int(t.layers.size()); ++layer) {
        const anatomy::AttentionSpec& ran = t.architecture.layers[size_t(layer)].attention;
        const bool sliding = ran.sparse == anatomy::SparsePattern::SlidingWindow;
        (sliding ? slidingLayers : globalLayers) += 1;
        const AttentionMapData d = attentionMapData(t, Selection{0, layer, 0}, AttentionMode::Probabilities);
        if (sliding) REQUIRE(d.nQ > ran.window + 2);  // the window hides something
        int wrong = 0;
        for (int q = 0; q < d.nQ; ++q)
            for (int k = 0; k < d.nKv; ++k) {
                const int i = d.firstQueryPos + q;
                const bool hidden = k > i || (sliding && i - k >= ran.window);
                if (d.masked(q, k) != hidden) ++wrong;
                // What the forward pass gave those keys: nothing.
                if (hidden) CHECK(t.layers[size_t(layer)].attnProbs.at({0, q, k}) == 0.0f);
            }
        INFO("layer " << layer << (sliding ? " (sliding window " + std::to_string(ran.window) + ")" : " (global)"));
        CHECK(wrong == 0);
        if (sliding) {
            const anatomy::SimSettings s = anatomy::visibilitySettings(t, layer);
            const int i = d.firstQueryPos + d.nQ - 1;
            CHECK(anatomy::attentionMaskReason(s, t.config.nHeads, 0, i, 0 + 1, t.nKv) == anatomy::MaskReason::Window);
            CHECK(anatomy::maskReasonText(anatomy::MaskReason::Window, s).find("window of " + std::to_string(ran.window)) !=
                  std::string::npos);
        }
    }
    CHECK(slidingLayers > 0);
    CHECK(globalLayers > 0);
}
