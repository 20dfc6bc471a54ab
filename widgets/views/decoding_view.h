#pragma once
// The "decoding" view, a lab for decoding strategies on the current prompt (decoding.h):
//   Beam search   the tree growing step by step (play, step, pause): each node its token,
//                 log-probability and cumulative score; kept, pruned and finished drawn
//                 differently; the final ranking beside it; width and length penalty live.
//   Best-of-N     N samples (seeds S..S+N-1) with their scores, the winner highlighted, and
//                 self-consistency: each sample's answer by an editable regex, the histogram and
//                 the vote.
//   Side by side  the same prompt and seed under several strategies in columns, metrics above,
//                 tokens coloured by their probability under the model.
// The work runs on a DecodingController (its own JobTracker: cancellable, off the GUI thread).
#include <QString>
#include <QTimer>
#include <vector>

#include "controller/decoding_controller.h"
#include "views/trace_view.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QScrollArea;
class QSpinBox;
class QTableWidget;
class QTabWidget;
class QHBoxLayout;

namespace anatomy::widgets {

class BeamTreeWidget;
class VoteHistogram;

class DecodingView : public TraceView {
    Q_OBJECT
public:
    explicit DecodingView(QWidget* parent = nullptr);
    QString viewName() const override { return QStringLiteral("decoding"); }
    QString title() const override { return tr("Decoding"); }
    void setInput(const ViewInput& input) override;
    void setSelection(const Selection&) override {}
    QString toCsv() const override;

    // The controller that runs the work (not owned); the view asks it when its input changes.
    void setController(DecodingController* controller);
    // Runs all three labs now, the beam search to its end (screenshots, tests).
    void runAll();
    // Stops the player; the tree shows every step computed, scrolled to the prompt.
    void revealAll();
    enum class Tab { Beam, Samples, Compare };
    void showTab(Tab tab);
    // Shows what other shows (an export's off-screen copy has no controller).
    void copyResultsFrom(const DecodingView& other);

    const BeamRun& beamRun() const { return m_beam; }
    const SampleRun& sampleRun() const { return m_samples; }
    const CompareRun& compareRun() const { return m_compare; }
    int revealedSteps() const { return m_beam.result.steps; }

public Q_SLOTS:
    // Play computes one step per tick (from the start again once done), Pause stops it, and
    // each Step computes exactly one more step of the search on the controller.
    void play();
    void pause();
    void step();

protected:
    void showEvent(QShowEvent* e) override;

private:
    QWidget* buildBeamTab();
    QWidget* buildSamplesTab();
    QWidget* buildCompareTab();
    void runBeam();
    void resetBeam();
    void runSamples();
    void runCompare();
    void runCurrent();
    void showBeam();
    void showSamples();
    void showCompare();
    std::vector<int> promptIds() const;
    QString promptText() const;

    DecodingController* m_controller = nullptr;
    ViewInput m_input;
    bool m_stale[3] = {true, true, true};

    QTabWidget* m_tabs = nullptr;
    QSpinBox* m_maxNew = nullptr;
    QLabel* m_status = nullptr;
    // beam
    QSpinBox* m_width = nullptr;
    QDoubleSpinBox* m_alpha = nullptr;
    QPushButton* m_play = nullptr;
    QPushButton* m_pause = nullptr;
    QPushButton* m_step = nullptr;
    QLabel* m_stepLabel = nullptr;
    QScrollArea* m_treeScroll = nullptr;
    BeamTreeWidget* m_tree = nullptr;
    QTableWidget* m_ranking = nullptr;
    QTimer m_player;
    QTimer m_coalesce;
    int m_requested = 0;  // steps asked of the controller for this search
    bool m_followEdge = false;  // scroll to the newest column as steps arrive
    BeamRun m_beam;
    // samples
    QSpinBox* m_n = nullptr;
    QComboBox* m_scorer = nullptr;
    QLineEdit* m_regex = nullptr;
    QLabel* m_regexError = nullptr;
    QLabel* m_voteLabel = nullptr;
    QTableWidget* m_sampleTable = nullptr;
    VoteHistogram* m_histogram = nullptr;
    SampleRun m_samples;
    // compare
    QLineEdit* m_variants = nullptr;
    QLabel* m_variantError = nullptr;
    QHBoxLayout* m_columns = nullptr;
    QWidget* m_columnsHost = nullptr;
    CompareRun m_compare;
};

// The HTML of an output with each token's background by its probability p = exp(lp) under the
// model: white for p = 1, deeper orange as p falls.
QString probabilityHtml(const anatomy::Tokenizer* tokenizer, int lastPromptToken, const std::vector<int>& ids,
                        const std::vector<double>& logprobs);

}  // namespace anatomy::widgets
