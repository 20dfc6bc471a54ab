// The block diagram is drawn from the Architecture the trace ran: one box per layer, the
// opened layer wired as its norm placement says, GQA heads grouped by KV head, MoE experts,
// the changed knobs marked, and a click on a block asks for its view.
#include <QMouseEvent>
#include <QStringList>
#include <catch2/catch.hpp>

#include "export/view_export.h"
#include "plot/architecture_diagram.h"
#include "views/architecture_view.h"
#include "widgets/widget_test_support.h"

using namespace anatomy::widgets;
using Kind = DiagramBox::Kind;
using Section = DiagramBox::Section;

namespace {

ViewInput traceWith(const QStringList& assignments) {
    widgetTestApp();
    TraceController c;
    anatomy::SimSettings sim;
    for (const QString& kv : assignments) anatomy::applySetting(sim, kv.toStdString());
    c.setSimSettings(sim);
    c.setPrompt(QStringLiteral("Once upon a time"));
    loadStories(c);
    REQUIRE(c.waitForIdle(120000));
    REQUIRE(c.currentInput().trace);
    return c.currentInput();
}

std::vector<Kind> kinds(const std::vector<const DiagramBox*>& boxes) {
    std::vector<Kind> k;
    for (const DiagramBox* b : boxes) k.push_back(b->kind);
    return k;
}

// The boxes of the opened layer do not overlap each other and stay inside the canvas.
void checkNoOverlap(const ArchitectureDiagram& d, QSizeF size) {
    for (size_t i = 0; i < d.boxes.size(); ++i) {
        const QRectF a = d.boxes[i].rect;
        INFO("box " << i << " " << d.boxes[i].title.toStdString());
        CHECK(QRectF(QPointF(0, 0), size).contains(a));
        // The opened layer's boxes stay inside its frame.
        if (d.boxes[i].section != Section::None) CHECK(d.detailFrame.contains(a));
        for (size_t j = i + 1; j < d.boxes.size(); ++j) {
            if (d.boxes[i].kind == Kind::Stream || d.boxes[j].kind == Kind::Stream) continue;
            INFO("and box " << j << " " << d.boxes[j].title.toStdString());
            CHECK_FALSE(a.intersects(d.boxes[j].rect));
        }
    }
}

}  // namespace

TEST_CASE("block diagram: one block per layer, shapes from the config", "[architecture-view]") {
    const ViewInput& in = widgetTestInput();
    const anatomy::Trace& t = *in.trace;
    for (const QSizeF size : {QSizeF(1280, 560), QSizeF(1920, 900), QSizeF(640, 440)}) {
        const ArchitectureDiagram d = architectureDiagram(t, 2, size, 50);
        REQUIRE(int(d.layerBoxes().size()) == t.config.nLayers);
        for (int l = 0; l < t.config.nLayers; ++l) {
            CHECK(d.layerBoxes()[size_t(l)]->layer == l);
            CHECK(d.layerBoxes()[size_t(l)]->selected == (l == 2));
        }
        checkNoOverlap(d, size);
    }
    const ArchitectureDiagram d = architectureDiagram(t, 2, QSizeF(1280, 560), 50);
    CHECK(d.title.contains(QStringLiteral("d_model %1").arg(t.config.dim)));
    CHECK(d.knobs.contains(QStringLiteral("as trained")));
    const auto attn = d.section(Section::Attention);
    // Pre-norm as trained: N -> attention -> add.
    CHECK(kinds(attn) == std::vector<Kind>{Kind::Norm, Kind::Attention, Kind::Add});
    CHECK(attn[1]->queryHeads == t.config.nHeads);
    CHECK(attn[1]->kvGroups == t.config.nKvHeads);
    CHECK(attn[1]->title.contains(QStringLiteral("Grouped-query")));
    CHECK(kinds(d.section(Section::Ffn)) == std::vector<Kind>{Kind::Norm, Kind::Ffn, Kind::Add});
}

TEST_CASE("block diagram follows the norm placement, KV sharing and MoE knobs", "[architecture-view]") {
    const QSizeF size(1280, 560);
    SECTION("post-norm: attention -> add -> norm on the stream") {
        const ViewInput in = traceWith({QStringLiteral("norm.placement=post")});
        const ArchitectureDiagram d = architectureDiagram(*in.trace, 0, size, 50);
        CHECK(kinds(d.section(Section::Attention)) == std::vector<Kind>{Kind::Attention, Kind::Add, Kind::Norm});
        CHECK(d.section(Section::Attention)[2]->changed);
        CHECK(d.knobs.contains(QStringLiteral("norm.placement=post")));
        checkNoOverlap(d, size);
    }
    SECTION("sandwich: norm -> attention -> norm -> add") {
        const ViewInput in = traceWith({QStringLiteral("norm.placement=sandwich")});
        const ArchitectureDiagram d = architectureDiagram(*in.trace, 0, size, 50);
        CHECK(kinds(d.section(Section::Ffn)) == std::vector<Kind>{Kind::Norm, Kind::Ffn, Kind::Norm, Kind::Add});
        checkNoOverlap(d, size);
    }
    SECTION("DeepNorm at 1920x1000: the add names alpha, nothing leaves the frame") {
        const ViewInput in = traceWith({QStringLiteral("norm.placement=deepnorm")});
        const ArchitectureDiagram d = architectureDiagram(*in.trace, 0, QSizeF(1920, 1000), 70);
        checkNoOverlap(d, QSizeF(1920, 1000));
        const auto attn = d.section(Section::Attention);
        REQUIRE(kinds(attn) == std::vector<Kind>{Kind::Attention, Kind::Add, Kind::Norm});
        REQUIRE_FALSE(attn[1]->lines.isEmpty());
        CHECK(attn[1]->lines.front().contains(QChar(0x03B1)));
    }
    SECTION("MQA: one KV group, named multi-query") {
        const ViewInput in = traceWith({QStringLiteral("kv.sharing=mqa")});
        const ArchitectureDiagram d = architectureDiagram(*in.trace, 0, size, 50);
        const DiagramBox* a = d.section(Section::Attention)[1];
        CHECK(a->kvGroups == 1);
        CHECK(a->title.contains(QStringLiteral("Multi-query")));
        CHECK(a->changed);
    }
    SECTION("MoE: experts in the FFN box, which opens the routing view") {
        const ViewInput in = traceWith({QStringLiteral("moe.experts=4"), QStringLiteral("moe.k=2")});
        const ArchitectureDiagram d = architectureDiagram(*in.trace, 0, size, 50);
        const DiagramBox* f = d.section(Section::Ffn)[1];
        CHECK(f->experts == 4);
        CHECK(f->view == QStringLiteral("routing"));
        CHECK(f->changed);
    }
}

TEST_CASE("block diagram view: clicks select a layer or open a view, export draws it", "[architecture-view]") {
    const ViewInput& in = widgetTestInput();
    ArchitectureView view;
    view.resize(1280, 600);
    view.setInput(in);
    view.setSelection(Selection{-1, 0, 0});
    std::vector<Selection> selected;
    QStringList opened;
    QObject::connect(&view, &TraceView::selectionRequested, [&](const Selection& s) { selected.push_back(s); });
    QObject::connect(&view, &ArchitectureView::viewRequested, [&](const QString& v) { opened << v; });
    const QPointF layer3 = view.diagram().layerBoxes()[3]->rect.center();
    QMouseEvent click(QEvent::MouseButtonRelease, layer3, view.mapToGlobal(layer3), Qt::LeftButton, Qt::NoButton,
                      Qt::NoModifier);
    QCoreApplication::sendEvent(&view, &click);
    REQUIRE(selected.size() == 1);
    CHECK(selected[0].layer == 3);
    view.setSelection(Selection{-1, 3, 0});
    CHECK(view.diagram().openLayer == 3);
    const QPointF attn = view.diagram().section(Section::Attention)[1]->rect.center();
    QMouseEvent click2(QEvent::MouseButtonRelease, attn, view.mapToGlobal(attn), Qt::LeftButton, Qt::NoButton,
                       Qt::NoModifier);
    QCoreApplication::sendEvent(&view, &click2);
    REQUIRE(opened.size() == 1);
    CHECK(opened[0] == QStringLiteral("attention"));
    // The registry knows it, and a rendered copy shows a picture.
    CHECK(viewNames().contains(QStringLiteral("diagram")));
    const QImage img = renderViewCopy(view, in, Selection{-1, 1, 0}, QSize(1280, 720));
    CHECK(img.size() == QSize(1280, 720));
    CHECK(distinctColors(img) > 10);
    const QStringList csv = view.toCsv().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    CHECK(csv.size() == 1 + int(view.diagram().boxes.size()));
}
