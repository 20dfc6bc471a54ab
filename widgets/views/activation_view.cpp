#include "views/activation_view.h"

#include <QEvent>
#include <QVBoxLayout>
#include "plot/qcustomplot_include.h"

#include <algorithm>
#include <cmath>

#include "anatomy/activation.h"
#include "anatomy/knob_table.h"
#include "views/sampling_view.h"  // lecture styling

namespace anatomy::widgets {

namespace {
const QColor kChosen(200, 60, 40);
const QColor kSilu(110, 110, 110);
}  // namespace

ActivationPlotData activationPlotData(const anatomy::SimSettings& s, double lo, double hi, int n) {
    ActivationPlotData d;
    if (const anatomy::Knob* k = anatomy::findKnob("ffn.act")) {
        d.name = QString::fromStdString(k->format(s));
        d.formula = QString::fromStdString(k->formula);
    }
    n = std::max(n, 2);
    for (int i = 0; i < n; ++i) {
        const double x = lo + (hi - lo) * i / (n - 1);
        const auto f = anatomy::evaluateActivation(s.activation, s.activationParams, float(x));
        const auto g = anatomy::evaluateActivation(anatomy::Activation::Silu, s.activationParams, float(x));
        d.x.push_back(x);
        d.value.push_back(f.value);
        d.derivative.push_back(f.derivative);
        d.silu.push_back(g.value);
        d.siluDerivative.push_back(g.derivative);
        d.maxDifference = std::max(d.maxDifference, std::abs(double(f.value) - double(g.value)));
    }
    return d;
}

ActivationView::ActivationView(QWidget* parent) : TraceView(parent) {
    auto* layout = new QVBoxLayout(this);
    m_plot = new QCustomPlot(this);
    m_plot->setMinimumSize(300, 200);
    m_plot->setAutoAddPlottableToLegend(false);
    layout->addWidget(m_plot);
    m_data = activationPlotData(m_settings);
    replot();
}

void ActivationView::setInput(const ViewInput& input) {
    const anatomy::SimSettings s = input.trace ? input.trace->settings : anatomy::SimSettings{};
    if (s == m_settings && !m_data.x.empty()) return;
    m_settings = s;
    m_data = activationPlotData(m_settings);
    replot();
}

void ActivationView::resizeEvent(QResizeEvent* e) {
    TraceView::resizeEvent(e);
    refitLater();  // titles are fitted to the width
}

void ActivationView::refit() { replot(); }

void ActivationView::replot() {
    QCustomPlot* p = m_plot;
    p->clearPlottables();
    p->clearItems();
    p->plotLayout()->clear();
    const ActivationPlotData& d = m_data;
    const bool isSilu = d.name == QLatin1String("silu");
    p->plotLayout()->addElement(0, 0, lecture::fittedText(
        p, isSilu ? tr("FFN activation: silu (as trained)")
                  : tr("FFN activation: %1 against silu (as trained)").arg(d.name),
        lecture::kTitlePt, true));
    p->plotLayout()->addElement(1, 0, lecture::fittedText(
        p, tr("FFN(x) = W₂ (f(W₁x) ⊙ W₃x)   ·   max |f − silu| on [−6, 6]: %1")
               .arg(d.maxDifference, 0, 'f', 3),
        lecture::kLabelPt, false));
    auto* row = new QCPLayoutGrid;
    p->plotLayout()->addElement(2, 0, row);
    p->plotLayout()->setRowStretchFactor(0, 0.01);
    p->plotLayout()->setRowStretchFactor(1, 0.01);

    auto pane = [&](int col, const QString& title, const std::vector<double>& mine, const std::vector<double>& ref,
                    const QString& yLabel) {
        auto* rect = new QCPAxisRect(p);
        row->addElement(0, col, rect);
        lecture::styleAxisRect(rect);
        QCPAxis* xa = rect->axis(QCPAxis::atBottom);
        QCPAxis* ya = rect->axis(QCPAxis::atLeft);
        auto* silu = new QCPGraph(xa, ya);
        silu->setName(tr("silu (trained)"));
        silu->setPen(QPen(kSilu, 3, Qt::DashLine));
        auto* chosen = new QCPGraph(xa, ya);
        chosen->setName(d.name);
        chosen->setPen(QPen(kChosen, 4));
        QVector<double> xs(d.x.begin(), d.x.end()), a(mine.begin(), mine.end()), b(ref.begin(), ref.end());
        silu->setData(xs, b, true);
        chosen->setData(xs, a, true);
        double lo = 0, hi = 0;
        for (double v : mine) lo = std::min(lo, v), hi = std::max(hi, v);
        for (double v : ref) lo = std::min(lo, v), hi = std::max(hi, v);
        const double pad = 0.08 * std::max(hi - lo, 1e-3);
        ya->setRange(lo - pad, hi + pad);
        xa->setRange(d.x.front(), d.x.back());
        xa->setLabel(QStringLiteral("x"));
        ya->setLabel(yLabel);
        auto* legend = new QCPLegend;
        rect->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignLeft);
        legend->setLayer(QStringLiteral("legend"));
        QFont f = font();
        f.setPointSizeF(lecture::kLabelPt);
        legend->setFont(f);
        legend->addItem(new QCPPlottableLegendItem(legend, chosen));
        if (!isSilu) legend->addItem(new QCPPlottableLegendItem(legend, silu));
        auto* t = new QCPItemText(p);
        t->setClipAxisRect(rect);
        t->position->setAxisRect(rect);
        t->position->setType(QCPItemPosition::ptAxisRectRatio);
        t->position->setCoords(0.98, 0.97);
        t->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
        QFont tf = font();
        tf.setPointSizeF(lecture::kPaneTitlePt);
        tf.setBold(true);
        t->setFont(tf);
        t->setText(title);
    };
    pane(0, tr("value f(x)"), d.value, d.silu, tr("f(x)"));
    pane(1, tr("derivative f′(x)"), d.derivative, d.siluDerivative, tr("f′(x)"));
    p->replot();
}

QString ActivationView::toCsv() const {
    QString csv = QStringLiteral("x,f,f_prime,silu,silu_prime\n");
    for (size_t i = 0; i < m_data.x.size(); ++i)
        csv += QStringLiteral("%1,%2,%3,%4,%5\n")
                   .arg(m_data.x[i], 0, 'g', 7)
                   .arg(m_data.value[i], 0, 'g', 7)
                   .arg(m_data.derivative[i], 0, 'g', 7)
                   .arg(m_data.silu[i], 0, 'g', 7)
                   .arg(m_data.siluDerivative[i], 0, 'g', 7);
    return csv;
}

void ActivationView::changeEvent(QEvent* e) {
    TraceView::changeEvent(e);
    if (restyleOnFontChange(e)) refitLater();
}

}  // namespace anatomy::widgets
