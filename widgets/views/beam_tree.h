#pragma once
// The beam search tree as the Decoding view draws it: one column per step, the step's
// extensions top to bottom by rank (kept first, then the best pruned ones), an edge from each
// to its parent in the previous column. Kept ones are blue, finished ones green with a bold
// border, pruned ones grey and dashed. beamTreeLayout is the pure part (result -> boxes),
// BeamTreeWidget paints it.
#include <QColor>
#include <QFont>
#include <QRectF>
#include <QString>
#include <QWidget>
#include <vector>

#include "anatomy/decoding.h"

namespace anatomy {
class Tokenizer;
}

namespace anatomy::widgets {

struct BeamTreeBox {
    int node = -1;        // index into BeamResult::nodes
    int parentBox = -1;   // index into BeamTreeLayout::boxes, -1 = the prompt
    QRectF rect;
    QString token;        // the piece, quoted
    QString numbers;      // "lp -0.12  Σ -1.35"
    anatomy::BeamNodeState state = anatomy::BeamNodeState::Live;
    bool best = false;    // on the path of the rank-1 hypothesis
    int step = 1, row = 0;  // column (1 = the first new token) and rank within it
};

struct BeamTreeLayout {
    std::vector<BeamTreeBox> boxes;
    QRectF promptRect;    // the root: the prompt
    QSizeF size;          // of everything
    int steps = 0;        // columns drawn
};

// Boxes for the steps 1..maxStep (all when maxStep < 0), sized for text in `font` (the numbers
// line at 85% of it): presentation mode's larger font widens and heightens every box, so no
// "lp … Σ …" line is cut at the box's edge.
BeamTreeLayout beamTreeLayout(const anatomy::BeamResult& result, const anatomy::Tokenizer* tokenizer, int maxStep,
                              const QFont& font = QFont());
// Places the boxes (rects, the prompt's rect, the size) for `font`; beamTreeLayout calls it.
void placeBeamTree(BeamTreeLayout& layout, const QFont& font);

class BeamTreeWidget : public QWidget {
    Q_OBJECT
public:
    explicit BeamTreeWidget(QWidget* parent = nullptr);
    void setTree(const anatomy::BeamResult& result, const anatomy::Tokenizer* tokenizer, int maxStep);
    const BeamTreeLayout& layout() const { return m_layout; }
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent*) override;
    void changeEvent(QEvent* e) override;

private:
    BeamTreeLayout m_layout;
};

}  // namespace anatomy::widgets
