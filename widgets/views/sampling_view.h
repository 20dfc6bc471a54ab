#pragma once
// The sampling view: the next-token distribution at the selected position as it passes through
// the sampler chain, one stage at a time in the chain's order (softmax, the model's own
// distribution, then the stages as SamplerSettings::order runs them, default penalty ->
// temperature -> top-k -> top-p -> min-p, then final), with what each stage cut away, and a
// "Draw" button that samples with the current settings and seed through the same chain.
//
// This header also holds the few helpers the sampling, norms, rope and lens views share: token
// labels made visible on a projector, CSV quoting and lecture-size plot styling.
#include <QString>
#include <QFont>
#include <QStringList>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "views/trace_view.h"

class QCustomPlot;
class QCPAxis;
class QCPAxisRect;
class QCPColorScale;
class QCPTextElement;
class QLabel;
class QPushButton;
class QButtonGroup;
class QHBoxLayout;

namespace anatomy::widgets {

// ---- helpers shared by the views of this set ----

// A piece as a projector can show it: ' ' -> U+2423, '\n' -> U+21B5, '\t' -> U+21E5, other
// control bytes as \xNN; invalid UTF-8 bytes as \xNN too. Empty -> U+2205.
QString visibleToken(std::string_view piece);
// Label of a token id: the tokenizer's piece, else the trace's text when the id appears there,
// else "#id".
QString tokenLabel(const ViewInput& in, int id);
// One CSV field, quoted when it holds a comma, quote or line break.
QString csvField(const QString& s);
// Lecture-size fonts (points) and styling: big tick labels and axis labels, light grid.
namespace lecture {
constexpr double kTitlePt = 19;
constexpr double kPaneTitlePt = 17;  // titles of panes sharing the view with others
constexpr double kLabelPt = 15;
constexpr double kTickPt = 13;
constexpr double kNotePt = 12;
// A font of pt points for a widget, scaled as the widget's font is against the application's:
// presentation mode (F5) enlarges the window's font, and with it every plot's text.
QFont fontFor(const QWidget* w, double pt, bool bold = false);
// Also makes the rect's axes fit its size after every layout (fitAxes).
void styleAxisRect(QCPAxisRect* rect);
// A short or narrow axis rect (a slide at 1280x720 with the lesson beside, four plots in a grid)
// drops its axis titles, shrinks its tick labels and asks for fewer ticks, so labels never pile
// up; given room again it gets them back. Decided on the rect's outer size, which the axes'
// own labels do not change, so the fit does not flip between two layouts. Returns whether it
// changed anything (the plot then replots once more).
bool fitAxes(QCPAxisRect* rect);
// An annotation (a QCPItemText clipped to its axis rect) that runs out of its rect or over an
// earlier one shrinks, down to 60% of its size, and is hidden when it still does not fit (a
// 2x2 grid on a 720-pixel slide); given room again it grows back. Returns whether it changed
// anything.
bool fitItemTexts(QCustomPlot* plot);
// A text ticker's labels (QCPAxisTickerText, unrotated) that would touch their neighbours keep
// their first line only, then every k-th of them; the view's labels come back when there is
// room. fitAxes calls it for every axis. Returns whether it changed anything.
bool fitTextTicks(QCPAxis* axis);
// A legend wider than its row (or than its rect, inside one) shrinks its font down to 70%, then
// drops columns, so no entry is cut; given room again it grows back. Returns whether it changed
// anything.
bool fitLegends(QCustomPlot* plot);
// Fits every axis rect (fitAxes), the legends (fitLegends), the annotations (fitItemTexts) and colour scale (fitColorScale) of the plot after each of its
// layouts; styleAxisRect calls it, a view with its own axis styling may call it alone.
void fitOnLayout(QCustomPlot* plot);
// A colour scale's bar drops its title when the title is longer than the bar and asks for about
// one tick per 2.2 lines of its length. Returns whether it changed anything.
bool fitColorScale(QCPColorScale* scale);
// A text element whose font shrinks (down to 10 pt) until every line fits the plot's width.
QCPTextElement* fittedText(QCustomPlot* plot, const QString& text, double pointSize, bool bold);
// Adds a title row above the plot's main layout cell and returns it.
QCPTextElement* addTitle(QCustomPlot* plot, const QString& text, double pointSize = kTitlePt);
}  // namespace lecture

// ---- plot data ----

// One stage of the chain over the bars shown (the most probable tokens of the model's own
// distribution, in its order, so a token keeps its column from stage to stage).
struct SamplingStageBars {
    QString name;                    // "softmax", "penalty", "temperature", "top-k", ...
    QString setting;                 // e.g. "T = 0.8", "p = 0.90", "off"
    bool active = false;
    float entropyBits = 0.0f;        // of the whole distribution the stage passes on
    int survivors = 0;               // tokens with p > 0 after the stage
    float cutoff = 0.0f;             // the threshold applied, as a probability of the input; 0 = none
    std::vector<double> prob;        // [nBars] after the stage (renormalised); 0 = removed
    std::vector<double> inputProb;   // [nBars] what the stage received (= prob for the first)
    std::vector<bool> removed;       // [nBars] in the input but cut by this stage
    double shownMass = 0.0;          // sum of prob over the bars
};

struct SamplingPlotData {
    bool valid = false;
    QString message;                 // why nothing is drawn, when !valid
    int row = -1;                    // query row of the trace
    int position = -1;               // absolute position of the context's last token
    QString contextToken;            // that token, visible
    std::vector<int> ids;            // [nBars] token ids of the columns
    QStringList labels;              // [nBars] their visible text
    std::vector<SamplingStageBars> stages;
    int greedyId = -1;               // the chain's most probable survivor

    int column(int id) const;        // column of id, or -1
    int stageIndex(const QString& name) const;  // or -1
};

// The pure part: the logits row of the selected position through Sampler::analyze with the
// input's settings; the stages come in the report's order, which is the chain's. nBars most
// probable tokens of the first stage; mustShow is appended as an extra column when it is not
// among them (e.g. a drawn token from the tail).
SamplingPlotData samplingPlotData(const ViewInput& in, const Selection& sel, int nBars = 20,
                                  int mustShow = -1);

// "1 candidate", "3 candidates".
QString countOf(int n, const QString& singular, const QString& plural);
// A stage button's lines: name, setting, entropy, survivors. compact abbreviates them for narrow
// buttons: "temp.", "T=0.8", "2.31 b", "512 tok".
QStringList stageButtonLines(const SamplingStageBars& s, bool compact);
struct StageButtonText {
    QStringList lines;
    double pointSize = 0.0;
    bool compact = false;
    bool elided = false;  // even compact lines at the smallest size needed eliding
};
// The largest font at which a button's lines fit `room` pixels: the full lines from base's size
// down to 10 pt, then the compact ones down to 8 pt, then compact lines elided at 8 pt.
StageButtonText fitStageButtonText(const SamplingStageBars& s, const QFont& base, int room);

// ---- the widget ----

class SamplingView : public TraceView {
    Q_OBJECT
public:
    explicit SamplingView(QWidget* parent = nullptr);
    QString viewName() const override { return QStringLiteral("sampling"); }
    QString title() const override { return tr("Sampling"); }
    void setInput(const ViewInput& input) override;
    void setSelection(const Selection& sel) override;
    QString toCsv() const override;

    const SamplingPlotData& plotData() const { return m_data; }
    // Stage shown in the big plot; default "final".
    QString shownStage() const { return m_stage; }
    void showStage(const QString& name);
    // Samples one token with the current settings (the seed's sequence continues with every
    // draw until settings, trace or position change). Returns the id, or -1.
    int draw();
    int lastDrawn() const { return m_drawn; }

protected:
    // Presentation mode enlarges the font: the plot text follows (lecture::fontFor).
    void changeEvent(QEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    void refit() override;

private:
    void rebuild();
    void rebuildStageButtons();
    void fitStageButtons();  // the stage buttons' text to their width
    void replot();
    void resetDraws();

    ViewInput m_input;
    Selection m_sel;
    SamplingPlotData m_data;
    QString m_stage = QStringLiteral("final");
    std::optional<anatomy::Sampler> m_sampler;
    int m_drawn = -1;
    float m_coin = 0.0f;
    std::map<int, int> m_drawCounts;  // id -> times drawn since the last reset
    int m_nDraws = 0;

    QCustomPlot* m_plot = nullptr;
    QHBoxLayout* m_stageRow = nullptr;
    QButtonGroup* m_stageGroup = nullptr;
    QPushButton* m_drawButton = nullptr;
    QPushButton* m_draw100Button = nullptr;
    QLabel* m_drawLabel = nullptr;
};

}  // namespace anatomy::widgets
