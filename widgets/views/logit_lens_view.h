#pragma once
// The logit lens (nostalgebraist 2020): the final norm and classifier applied to each layer's
// output residual, as if the network stopped there. A grid of layers (rows, output on top) by
// positions (columns) shows in each cell the token that layer already predicts next, coloured by
// its probability; bold where it is the token that actually came next. Hover: the top-k list.
#include <QString>
#include <QStringList>
#include <vector>

#include "views/trace_view.h"

class QCustomPlot;
class QScrollBar;

namespace anatomy::widgets {

struct LensPlotData {
    bool valid = false;
    QString message;              // why nothing is drawn, when !valid
    int nLayers = 0, nQ = 0, k = 0;
    int firstQueryPos = 0;
    int selLayer = 0, selRow = 0; // the selection, clamped
    std::vector<int> topIds;      // [nLayers, nQ, k] lensTopIds
    std::vector<float> topProbs;  // [nLayers, nQ, k] lensTopProbs
    QStringList topLabels;        // [nLayers, nQ, k] visible text of topIds
    QStringList inputTokens;      // [nQ] the token at each traced position
    std::vector<int> nextIds;     // [nQ] the token that came next, -1 when not in the trace
    QStringList nextTokens;       // [nQ] its text ("" when unknown)

    size_t at(int layer, int row, int rank = 0) const {
        return (size_t(layer) * size_t(nQ) + size_t(row)) * size_t(k) + size_t(rank);
    }
    int top1(int layer, int row) const { return topIds[at(layer, row)]; }
    float top1Prob(int layer, int row) const { return topProbs[at(layer, row)]; }
    const QString& top1Label(int layer, int row) const { return topLabels[qsizetype(at(layer, row))]; }
    // The layer's top-1 is the token that really followed.
    bool hitsNext(int layer, int row) const { return nextIds[size_t(row)] >= 0 && top1(layer, row) == nextIds[size_t(row)]; }
};

// The pure part: reads lensTopIds/lensTopProbs and labels them.
LensPlotData lensPlotData(const ViewInput& in, const Selection& sel);
// Hover text of one cell: layer, position, input and next token, and the top-k list.
QString lensTooltip(const LensPlotData& d, int layer, int row);

class LogitLensView : public TraceView {
    Q_OBJECT
public:
    explicit LogitLensView(QWidget* parent = nullptr);
    QString viewName() const override { return QStringLiteral("lens"); }
    QString title() const override { return tr("Logit lens"); }
    void setInput(const ViewInput& input) override;
    void setSelection(const Selection& sel) override;
    QString toCsv() const override;

    const LensPlotData& plotData() const { return m_data; }
    // First column shown (the grid shows as many columns as stay readable).
    int firstShownColumn() const { return m_first; }
    int shownColumns() const { return m_nShown; }

protected:
    // Presentation mode enlarges the font: the plot text follows (lecture::fontFor).
    void changeEvent(QEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    void refit() override;

private:
    void rebuild();
    void replot();
    int columnsThatFit() const;

    ViewInput m_input;
    Selection m_sel;
    LensPlotData m_data;
    int m_first = 0;
    int m_nShown = 0;
    QCustomPlot* m_plot = nullptr;
    QScrollBar* m_scroll = nullptr;
};

}  // namespace anatomy::widgets
