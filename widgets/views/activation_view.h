#pragma once
// The "activations" view: the FFN nonlinearity the simulator runs (from the trace's settings),
// its curve f(x) and derivative f'(x) against SiLU, the function the checkpoint was trained
// with. FFN(x) = W2 (f(W1 x) * W3 x): where f differs from SiLU the trained W2 and W3 meet
// values they never saw.
#include <QString>
#include <vector>

#include "anatomy/sim_settings.h"
#include "views/trace_view.h"

class QCustomPlot;

namespace anatomy::widgets {

struct ActivationPlotData {
    QString name;                   // "gelu-erf"
    QString formula;                // the engine's formula text for ffn.act
    std::vector<double> x;          // [n] sample points
    std::vector<double> value;      // [n] f(x)
    std::vector<double> derivative; // [n] f'(x)
    std::vector<double> silu;       // [n] SiLU(x), the trained reference
    std::vector<double> siluDerivative;  // [n]
    double maxDifference = 0.0;     // max |f(x) - SiLU(x)| over the range
};

// The pure part: n points over [lo, hi].
ActivationPlotData activationPlotData(const anatomy::SimSettings& s, double lo = -6.0, double hi = 6.0,
                                      int n = 481);

class ActivationView : public TraceView {
    Q_OBJECT
public:
    explicit ActivationView(QWidget* parent = nullptr);
    QString viewName() const override { return QStringLiteral("activations"); }
    QString title() const override { return tr("Activations"); }
    void setInput(const ViewInput& input) override;
    void setSelection(const Selection&) override {}
    QString toCsv() const override;
    const ActivationPlotData& plotData() const { return m_data; }

protected:
    // Presentation mode enlarges the font: the plot text follows (lecture::fontFor).
    void changeEvent(QEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    void refit() override;

private:
    void replot();

    anatomy::SimSettings m_settings;
    ActivationPlotData m_data;
    QCustomPlot* m_plot = nullptr;
};

}  // namespace anatomy::widgets
