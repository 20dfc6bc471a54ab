#pragma once
// Attention step by step, as a teacher walks it on the board, for the selected layer, head and
// query, with the trace's own numbers (plot/attention_steps.h):
//   left:  one row per key: q·k_j, ÷√d_k, the score s_j, the mask, exp(s_j − max), p_j, and a
//          sum row (Σ p = 1); under it the vectors q, k and v of the key read most, and the
//          head's output o = Σ_j p_j v_j;
//   right: why ÷√d_k: Var(q·k) against d_k for random unit-variance vectors (≈ d_k) and scaled
//          (≈ 1), with this head's own q·k; and the softmax entropy that leads to, with and
//          without the division, for this query's number of keys and this query's row.
// It follows the selection and every re-trace (a knob, a prompt edit) like the other views.
#include <QString>

#include "plot/attention_steps.h"
#include "views/trace_view.h"

class QCustomPlot;
class QLabel;
class QSplitter;
class QTableView;
class QTableWidget;

namespace anatomy::widgets {

class StepsKeyModel;

class AttentionStepsView : public TraceView {
    Q_OBJECT
public:
    explicit AttentionStepsView(QWidget* parent = nullptr);
    QString viewName() const override { return QStringLiteral("steps"); }
    QString title() const override { return tr("Steps"); }
    void setInput(const ViewInput& input) override;
    void setSelection(const Selection& sel) override;
    void setInputAndSelection(const ViewInput& input, const Selection& sel) override;
    // One row per key: layer,head,query_pos,key_pos,key_token,masked,mask_reason,q_dot_k,
    // scaled,score,exp_shifted,probability,trace_probability.
    QString toCsv() const override;

    const AttentionSteps& steps() const { return m_steps; }
    const ScalingDemo& demo() const { return m_demo; }
    // The tables, for tests: the per-key numbers as shown, and the vectors q, k, v, o.
    const QTableView* keyTable() const { return m_keys; }
    const QTableWidget* vectorTable() const { return m_vectors; }

protected:
    void changeEvent(QEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    void refit() override;

private:
    void rebuild();
    void fillKeys();
    void scrollToTopKey();
    void fillVectors();
    // The key table's text shrinks (down to 60%) until its eight columns fit its width, so the
    // last ones (e^(s−max), p) are not scrolled out of sight on a 720-pixel slide; sets the
    // table's fonts, column widths and row height.
    void fitKeysWidth();
    void plotVariance();
    void plotEntropy();
    void updateText();
    void updateFonts();
    QString keyLabel(int pos) const;

    ViewInput m_input;
    Selection m_sel;
    AttentionSteps m_steps;
    ScalingDemo m_demo;
    QLabel* m_title = nullptr;
    QLabel* m_formula = nullptr;
    QLabel* m_note = nullptr;
    QSplitter* m_split = nullptr;
    QTableView* m_keys = nullptr;
    StepsKeyModel* m_keyModel = nullptr;
    QTableWidget* m_vectors = nullptr;
    QCustomPlot* m_var = nullptr;
    QCustomPlot* m_entropy = nullptr;
    double m_scale = 1.0;  // text size against lecture size, from the view's pixel size
    bool m_compact = false;  // a small pane: the entropy plot and the worked line are left out
    bool m_refill = false;   // a font change waits for refit() to refill the tables
};

}  // namespace anatomy::widgets
