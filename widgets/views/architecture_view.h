#pragma once
// The architecture overview: the loaded model drawn as a block diagram from the Architecture the
// trace ran (plot/architecture_diagram.h), embedding, one box per layer, final norm and
// classifier on the left, the selected layer opened up on the right with its norm placement,
// attention (query heads grouped by the KV head they share) and FFN (or MoE experts). Boxes a
// knob changed are marked. Clicking a layer selects it; clicking a block opens its view.
#include <QString>

#include "plot/architecture_diagram.h"
#include "views/trace_view.h"

namespace anatomy::widgets {

class ArchitectureView : public TraceView {
    Q_OBJECT
public:
    explicit ArchitectureView(QWidget* parent = nullptr);
    QString viewName() const override { return QStringLiteral("diagram"); }
    QString title() const override { return tr("Diagram"); }
    void setInput(const ViewInput& input) override;
    void setSelection(const Selection& sel) override;
    // One row per box: kind,section,layer,title,details,changed,view.
    QString toCsv() const override;

    // The diagram as laid out for the current size.
    const ArchitectureDiagram& diagram() const { return m_diagram; }
    QSize minimumSizeHint() const override { return {480, 320}; }

Q_SIGNALS:
    // A block was clicked whose view explains it ("attention", "norms", ...).
    void viewRequested(const QString& viewName);

protected:
    void paintEvent(QPaintEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    void changeEvent(QEvent* e) override;  // presentation mode's font: a taller title row
    void refit() override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    bool event(QEvent* e) override;

private:
    void relayout();
    double titleHeight() const;

    ViewInput m_input;
    Selection m_sel;
    ArchitectureDiagram m_diagram;
};

}  // namespace anatomy::widgets
