#pragma once
// The "routing" view of the simulator's mixture of experts (moe.experts > 0): for the selected
// layer, which experts each token's router chose (token x expert heatmap of the router's
// softmax, chosen cells ringed, capacity-dropped ones crossed), how many tokens each expert
// took (the load histogram), the coefficient of variation of the experts' importance, the
// dropped assignments, and the FFN parameters a token touches against the total. A third panel
// shows perplexity against k = 1..E (moe_curve.h), measured elsewhere and handed in
// (setMoeCurve): the view never measures anything itself.
#include <QString>
#include <QStringList>
#include <vector>

#include "plot/moe_curve.h"
#include "views/trace_view.h"

class QCustomPlot;
class QCPLayoutGrid;

namespace anatomy::widgets {

struct RoutingPlotData {
    bool valid = false;
    QString message;                 // the empty state when !valid
    int layer = 0;
    int nTokens = 0, nExperts = 0, topK = 0;
    QStringList tokens;              // [nTokens] visible token text
    std::vector<double> prob;        // [nTokens * nExperts] softmax of the router logits, row-major
    std::vector<int> chosen;         // [nTokens * topK]
    std::vector<int> dropped;        // [nTokens * topK] 1 = dropped for capacity
    std::vector<int> load;           // [nExperts]
    double importanceCv = 0.0;
    int droppedAssignments = 0;
    qint64 activeParams = 0, totalParams = 0;
};

RoutingPlotData routingPlotData(const anatomy::Trace& trace, const Selection& sel);

class RoutingView : public TraceView {
    Q_OBJECT
public:
    explicit RoutingView(QWidget* parent = nullptr);
    QString viewName() const override { return QStringLiteral("routing"); }
    QString title() const override { return tr("MoE routing"); }
    void setInput(const ViewInput& input) override;
    void setSelection(const Selection& sel) override;
    QString toCsv() const override;
    const RoutingPlotData& plotData() const { return m_data; }

    // Perplexity against k, measured by the controller for the current MoE settings.
    enum class CurveState { NotMeasured, Pending, Ready, Failed };
    // Ends a pending measurement; the curve is drawn while its E matches the trace's.
    void setMoeCurve(MoeCurve curve);
    // A measurement is on its way ("computing…"); the last curve stays until it arrives.
    void setMoeCurvePending(const QString& note);
    void setMoeCurveFailed(const QString& message);
    const MoeCurve& moeCurve() const { return m_curve; }
    CurveState moeCurveState() const { return m_curveState; }
    // The curve is on screen: measured for the trace's number of experts.
    bool showsMoeCurve() const;

protected:
    // Presentation mode enlarges the font: the plot text follows (lecture::fontFor).
    void changeEvent(QEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    void refit() override;

private:
    void rebuild();
    void replot();
    // Returns what did not fit inside a narrow panel (the read-out and caption), for a line under
    // the row; empty when everything is drawn in the panel.
    QString addCurvePanel(QCPLayoutGrid* row, int column);

    ViewInput m_input;
    Selection m_sel;
    RoutingPlotData m_data;
    QCustomPlot* m_plot = nullptr;
    MoeCurve m_curve;
    CurveState m_curveState = CurveState::NotMeasured;
    QString m_curveNote;  // the pending window, or why the measurement failed
};

}  // namespace anatomy::widgets
