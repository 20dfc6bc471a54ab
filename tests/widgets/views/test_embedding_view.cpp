// An encoder (a random-weight bert GGUF, synth_gguf.h) in the views: the Embedding view shows the
// prompt's pooled embedding and the cosine similarity of typed sentences (a sentence with itself
// is 1), the attention map hides no cell (bidirectional: no hatched triangle), and the block
// diagram ends in pooling instead of a final norm and a classifier. A decoder gets a message.
#include <QFileInfo>
#include <QTemporaryDir>
#include <catch2/catch.hpp>
#include <cmath>

#include "anatomy/model.h"
#include "anatomy/synth_gguf.h"
#include "export/view_export.h"
#include "plot/architecture_diagram.h"
#include "views/attention_view.h"
#include "views/embedding_view.h"
#include "widgets/widget_test_support.h"

using namespace anatomy::widgets;
using Kind = DiagramBox::Kind;

namespace {

struct BertTrace {
    QTemporaryDir dir;
    TraceController controller;
    ViewInput input;
    BertTrace() {
        widgetTestApp();
        const QString path = dir.filePath(QStringLiteral("bert.gguf"));
        anatomy::writeSynthGguf(anatomy::synthReferenceSpec("bert", 1), path.toStdString());
        controller.setPrompt(QStringLiteral("the cat sat on the mat"));
        controller.loadModel(path);
        REQUIRE(controller.waitForIdle(120000));
        REQUIRE(controller.currentInput().trace);
        input = controller.currentInput();
    }
};

}  // namespace

TEST_CASE("embedding view: the prompt's pooled embedding and a similarity matrix of typed lines", "[embedding]") {
    BertTrace b;
    const EmbeddingPlotData d = embeddingPlotData(*b.input.trace);
    REQUIRE(d.valid);
    CHECK(d.pooling == QStringLiteral("mean"));
    REQUIRE(d.values.size() == 64);
    double norm = 0;
    for (double v : d.values) norm += v * v;
    CHECK(std::sqrt(norm) == Approx(1.0).epsilon(1e-5));

    EmbeddingController embedding;
    embedding.setSource(b.controller.model(), b.controller.tokenizer());
    EmbeddingView v;
    v.setController(&embedding);
    v.setInput(b.input);
    v.setLines({QStringLiteral("the cat sat on the mat"), QStringLiteral(""), QStringLiteral("the cat sat on the mat"),
                QStringLiteral("stock markets fell on monday")});
    REQUIRE(embedding.waitForIdle(60000));
    const SimilarityPlotData& s = v.similarityData();
    INFO(s.message.toStdString());
    REQUIRE(s.valid);
    REQUIRE(s.n == 3);  // the empty line is not a sentence
    for (int i = 0; i < 3; ++i) CHECK(s.at(i, i) == Approx(1.0).epsilon(1e-5));
    CHECK(s.lines[1] == s.lines[0]);
    CHECK(s.at(0, 1) == Approx(1.0).epsilon(1e-5));  // the same sentence twice
    CHECK(s.at(0, 2) < 0.9999);
    CHECK(s.at(0, 2) == s.at(2, 0));
    const QImage img = renderWidget(&v, QSize(1100, 700));
    CHECK(distinctColors(img) > 8);
    const QString csv = v.toCsv();
    CHECK(csv.startsWith(QStringLiteral("kind,row,column,text_row,text_column,value\n")));
    CHECK(csv.count(QStringLiteral("\nsimilarity,")) == 9);
    CHECK(csv.count(QStringLiteral("\nembedding,")) == 64);
}

TEST_CASE("embedding view: a decoder has no sentence embedding and says so", "[embedding]") {
    widgetTestApp();
    const ViewInput& in = widgetTestInput();  // stories260K
    const EmbeddingPlotData d = embeddingPlotData(*in.trace);
    CHECK_FALSE(d.valid);
    CHECK(d.message.contains(QStringLiteral("is a decoder")));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("llama.gguf"));
    anatomy::writeSynthGguf(anatomy::synthReferenceSpec("llama", 1), path.toStdString());
    std::shared_ptr<const anatomy::Model> llama = anatomy::loadModel(path.toStdString());
    const EmbeddingResult r = embedLines(llama, *llama->embeddedTokenizer, {QStringLiteral("x")});
    const SimilarityPlotData s = similarityPlotData(r);
    CHECK_FALSE(s.valid);
    CHECK(s.message.contains(QStringLiteral("llama is a decoder")));
}

TEST_CASE("bert in the attention view and the diagram: bidirectional, pooling, no LM head", "[embedding][attention]") {
    BertTrace b;
    const anatomy::Trace& t = *b.input.trace;
    const AttentionMapData m = attentionMapData(t, Selection{0, 1, 2}, AttentionMode::Probabilities);
    REQUIRE(m.nQ == m.nKv);
    int hidden = 0;
    for (int q = 0; q < m.nQ; ++q)
        for (int k = 0; k < m.nKv; ++k) hidden += m.masked(q, k);
    CHECK(hidden == 0);                 // no causal triangle
    CHECK(std::isfinite(m.at(0, m.nKv - 1)));  // the first query read the last key

    const ArchitectureDiagram d = architectureDiagram(t, 0, QSizeF(1200, 700), 40);
    int pooling = 0, classifier = 0, finalNorm = 0;
    for (const DiagramBox& box : d.boxes) {
        pooling += box.kind == Kind::Pooling;
        classifier += box.kind == Kind::Classifier;
        finalNorm += box.kind == Kind::FinalNorm;
        if (box.kind == Kind::Attention) CHECK(box.lines.join(QLatin1Char(' ')).contains(QStringLiteral("bidirectional")));
    }
    CHECK(pooling == 1);
    CHECK(classifier == 0);
    CHECK(finalNorm == 0);
    CHECK(d.title.startsWith(QStringLiteral("encoder")));
}
