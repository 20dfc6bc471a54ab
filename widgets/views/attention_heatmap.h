#pragma once
// One attention matrix as a zoomable heatmap: rows are the queries (the tokens that read), columns
// the keys (the tokens read), both axes labelled "position token" for what is visible, cells
// exactly one colour each (QCPColorMap::setInterpolate(false)), NaN cells (masked) transparent
// over a hatched background. Wheel zooms, drag pans, 0 shows the whole map; the hover and a
// click report the cell. The attention view's map behaves the same way; the cross-attention view
// shows three of these (decoder x encoder, encoder x encoder, decoder x decoder).
#include <QPointF>
#include <QString>
#include <QWidget>
#include <functional>
#include <vector>

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPItemRect;
class QMouseEvent;

namespace anatomy::widgets {

struct HeatmapData {
    int rows = 0;
    int cols = 0;
    std::vector<float> values;          // [rows, cols] row-major; NaN = masked
    std::vector<QString> rowLabels;     // [rows] token of each query row
    std::vector<QString> colLabels;     // [cols] token of each key column
    float minValue = 0.0f, maxValue = 1.0f;
    float at(int r, int c) const { return values[static_cast<size_t>(r) * cols + c]; }
};

class AttentionHeatmap : public QWidget {
    Q_OBJECT
public:
    AttentionHeatmap(const QString& rowAxis, const QString& colAxis, QWidget* parent = nullptr);

    // A new shape shows the whole map; the same shape keeps the zoom.
    void setData(const HeatmapData& d, const QString& valueLabel);
    void setMarkedRow(int row);  // outlined query row; -1 = none
    void zoomToFit();
    const HeatmapData& data() const { return m_data; }
    QCustomPlot* plot() const { return m_plot; }

    // The cell under the pointer (row, col), or (-1, -1) when it leaves the map.
    std::function<void(int row, int col)> onHover;
    std::function<void(int row)> onRowClicked;

protected:
    bool eventFilter(QObject* watched, QEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;

private:
    void updateTicks();
    void onRangeChanged();
    void cellAt(QPointF pixel, int* row, int* col) const;

    HeatmapData m_data;
    QCustomPlot* m_plot = nullptr;
    QCPColorMap* m_map = nullptr;
    QCPColorScale* m_scale = nullptr;
    QCPItemRect* m_rowMark = nullptr;
    int m_markedRow = -1;
    bool m_clamping = false;
};

}  // namespace anatomy::widgets
