#pragma once
// The Embedding view, for encoders (BERT, bge, all-MiniLM): what a sentence-embedding model hands
// on. Top: the prompt's pooled, L2-normalised embedding e (pooling.h), one bar per dimension.
// Bottom: several sentences typed one per line and their cosine-similarity matrix
// S[i][j] = cos(e_i, e_j) as a heatmap (1 on the diagonal; near sentences near 1).
// A decoder has neither: the view says so.
#include <QString>
#include <QStringList>
#include <QTimer>
#include <vector>

#include "controller/embedding_controller.h"
#include "views/trace_view.h"

class QCustomPlot;
class QLabel;
class QPlainTextEdit;

namespace anatomy::widgets {

struct EmbeddingPlotData {
    bool valid = false;
    QString message;           // why nothing is drawn, when !valid
    QString pooling;           // "mean", "cls", "last"
    std::vector<double> values;  // [dim] the prompt's embedding
    int tokens = 0;            // how many tokens it pooled
};

struct SimilarityPlotData {
    bool valid = false;
    QString message;
    QStringList labels;        // [n] "1  The cat sat…"
    QStringList lines;         // [n] the sentences
    int n = 0;
    std::vector<double> cells;  // [n, n] row-major cos similarity
    double at(int i, int j) const { return cells[size_t(i) * size_t(n) + size_t(j)]; }
};

// The pure parts: the prompt's embedding from the trace, the matrix from a controller result.
EmbeddingPlotData embeddingPlotData(const anatomy::Trace& trace);
SimilarityPlotData similarityPlotData(const EmbeddingResult& result);

class EmbeddingView : public TraceView {
    Q_OBJECT
public:
    explicit EmbeddingView(QWidget* parent = nullptr);
    QString viewName() const override { return QStringLiteral("embedding"); }
    QString title() const override { return tr("Embedding"); }
    void setInput(const ViewInput& input) override;
    void setSelection(const Selection& sel) override;
    QString toCsv() const override;

    // Where the sentences are embedded; the view asks it for its lines at once and after edits.
    void setController(EmbeddingController* controller);
    void setLines(const QStringList& lines);
    QStringList lines() const;
    const EmbeddingPlotData& plotData() const { return m_data; }
    const SimilarityPlotData& similarityData() const { return m_sim; }
    // The sentences typed when the view opens.
    static QStringList defaultLines();

protected:
    void changeEvent(QEvent* e) override;
    void refit() override;

private:
    void setResult(const EmbeddingResult& r);
    void requestLines();
    void plotEmbedding();
    void plotSimilarity();

    ViewInput m_input;
    EmbeddingPlotData m_data;
    SimilarityPlotData m_sim;
    EmbeddingController* m_controller = nullptr;
    QCustomPlot* m_embPlot = nullptr;
    QCustomPlot* m_simPlot = nullptr;
    QPlainTextEdit* m_edit = nullptr;
    QLabel* m_hint = nullptr;
    QTimer m_typing;  // coalesces keystrokes into one request
};

}  // namespace anatomy::widgets
