#include "views/attention_heatmap.h"

#include <QKeyEvent>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "plot/qcustomplot_include.h"
#include "views/attention_view.h"

namespace anatomy::widgets {

AttentionHeatmap::AttentionHeatmap(const QString& rowAxis, const QString& colAxis, QWidget* parent) : QWidget(parent) {
    m_plot = new QCustomPlot(this);
    m_plot->setMinimumSize(160, 140);
    m_map = new QCPColorMap(m_plot->xAxis, m_plot->yAxis);
    m_map->setInterpolate(false);  // one colour per cell
    m_map->setTightBoundary(false);
    m_scale = new QCPColorScale(m_plot);
    m_plot->plotLayout()->addElement(0, 1, m_scale);
    m_scale->setType(QCPAxis::atRight);
    m_scale->setBarWidth(10);
    m_map->setColorScale(m_scale);
    m_scale->setGradient(attentionGradient());
    auto* margins = new QCPMarginGroup(m_plot);
    m_plot->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_scale->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_plot->axisRect()->setBackground(QBrush(QColor(0x9a, 0x9a, 0x9a), Qt::BDiagPattern));
    for (QCPAxis* a : {m_plot->xAxis, m_plot->yAxis}) {
        a->grid()->setVisible(false);
        a->setSubTicks(false);
        a->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
    }
    m_plot->yAxis->setRangeReversed(true);  // query 0 at the top
    m_plot->xAxis->setTickLabelRotation(90);
    m_plot->xAxis->setLabel(colAxis);
    m_plot->yAxis->setLabel(rowAxis);
    m_rowMark = new QCPItemRect(m_plot);
    m_rowMark->setPen(QPen(QColor(0xe0, 0x30, 0x30), 2));
    m_rowMark->setBrush(Qt::NoBrush);
    m_rowMark->setClipToAxisRect(true);
    m_rowMark->setVisible(false);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal | Qt::Vertical);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal | Qt::Vertical);
    m_plot->axisRect()->setRangeZoomFactor(0.8);
    m_plot->setFocusPolicy(Qt::ClickFocus);
    m_plot->installEventFilter(this);
    connect(m_plot->xAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] { onRangeChanged(); });
    connect(m_plot->yAxis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] { onRangeChanged(); });
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        int r, c;
        cellAt(e->position(), &r, &c);
        if (onHover) onHover(r, c);
    });
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        int r, c;
        cellAt(e->position(), &r, &c);
        if (r >= 0 && onRowClicked) onRowClicked(r);
    });
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
}

void AttentionHeatmap::setData(const HeatmapData& d, const QString& valueLabel) {
    const bool reshaped = d.rows != m_data.rows || d.cols != m_data.cols;
    m_data = d;
    QCPColorMapData* cells = m_map->data();
    cells->setSize(d.cols, d.rows);
    // Cell centres at 0 … n − 1. One cell has no neighbour to size it by: QCustomPlot draws it
    // over its whole range, so the range is the cell (a single decoder row filled only half
    // its row, the rest left as the masked hatch).
    const auto centres = [](int n) { return n > 1 ? QCPRange(0, n - 1) : QCPRange(-0.5, 0.5); };
    cells->setRange(centres(d.cols), centres(d.rows));
    for (int r = 0; r < d.rows; ++r)
        for (int c = 0; c < d.cols; ++c) cells->setCell(c, r, d.at(r, c));
    m_map->setDataRange(QCPRange(d.minValue, d.maxValue > d.minValue ? d.maxValue : d.minValue + 1e-6));
    m_scale->axis()->setLabel(valueLabel);
    if (reshaped) zoomToFit();
    setMarkedRow(m_markedRow);
    updateTicks();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void AttentionHeatmap::setMarkedRow(int row) {
    m_markedRow = row;
    const bool on = row >= 0 && row < m_data.rows;
    m_rowMark->setVisible(on);
    if (on) {
        m_rowMark->topLeft->setCoords(-0.5, row - 0.5);
        m_rowMark->bottomRight->setCoords(m_data.cols - 0.5, row + 0.5);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void AttentionHeatmap::zoomToFit() {
    m_plot->xAxis->setRange(-0.5, std::max(1, m_data.cols) - 0.5);
    m_plot->yAxis->setRange(-0.5, std::max(1, m_data.rows) - 0.5);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void AttentionHeatmap::cellAt(QPointF pixel, int* row, int* col) const {
    const int c = int(std::lround(m_plot->xAxis->pixelToCoord(pixel.x())));
    const int r = int(std::lround(m_plot->yAxis->pixelToCoord(pixel.y())));
    const bool in = m_plot->axisRect()->rect().contains(pixel.toPoint()) && r >= 0 && r < m_data.rows && c >= 0 &&
                    c < m_data.cols;
    *row = in ? r : -1;
    *col = in ? c : -1;
}

void AttentionHeatmap::onRangeChanged() {
    if (m_clamping) return;
    m_clamping = true;
    // Keep the range on the map, at least 4 cells (or the whole map) wide.
    auto clamp = [](QCPAxis* a, int n) {
        const double lo = -0.5, hi = std::max(1, n) - 0.5;
        const QCPRange r = a->range();
        const double span = std::clamp(r.size(), std::min(4.0, hi - lo), hi - lo);
        const double start = std::clamp(r.center() - span / 2, lo, hi - span);
        a->setRange(start, start + span);
    };
    clamp(m_plot->xAxis, m_data.cols);
    clamp(m_plot->yAxis, m_data.rows);
    m_clamping = false;
    updateTicks();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void AttentionHeatmap::updateTicks() {
    const QFontMetrics fm(m_plot->xAxis->tickLabelFont());
    const int w = m_plot->axisRect()->width() > 10 ? m_plot->axisRect()->width() : m_plot->width() - 120;
    const int h = m_plot->axisRect()->height() > 10 ? m_plot->axisRect()->height() : m_plot->height() - 120;
    // One label per line of text, every 1, 2, 5, 10, ... visible cells.
    auto stepFor = [&](int px, double cells) {
        const double perCell = std::max(1, px) / std::max(1.0, cells);
        const int raw = std::max(1, int(std::ceil(fm.height() * 1.1 / perCell)));
        for (int decade = 1;; decade *= 10)
            for (int m : {1, 2, 5})
                if (m * decade >= raw) return m * decade;
    };
    auto fill = [&](QCPAxis* axis, const std::vector<QString>& labels, int n, int step) {
        auto ticker = axis->ticker().dynamicCast<QCPAxisTickerText>();
        ticker->clear();
        const QCPRange r = axis->range();
        const int lo = std::max(0, int(std::ceil(r.lower))), hi = std::min(n - 1, int(std::floor(r.upper)));
        for (int i = (lo + step - 1) / step * step; i <= hi; i += step)
            ticker->addTick(i, QStringLiteral("%1 %2").arg(i).arg(i < int(labels.size()) ? labels[size_t(i)] : QString()));
    };
    fill(m_plot->xAxis, m_data.colLabels, m_data.cols, stepFor(w, m_plot->xAxis->range().size()));
    fill(m_plot->yAxis, m_data.rowLabels, m_data.rows, stepFor(h, m_plot->yAxis->range().size()));
}

bool AttentionHeatmap::eventFilter(QObject* watched, QEvent* e) {
    if (watched == m_plot && e->type() == QEvent::Leave && onHover) onHover(-1, -1);
    if (watched == m_plot && e->type() == QEvent::KeyPress && static_cast<QKeyEvent*>(e)->key() == Qt::Key_0) {
        zoomToFit();
        return true;
    }
    return QWidget::eventFilter(watched, e);
}

void AttentionHeatmap::resizeEvent(QResizeEvent* e) {
    QWidget::resizeEvent(e);
    updateTicks();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace anatomy::widgets
