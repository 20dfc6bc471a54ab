#pragma once
// The "kvcache" view: a calculator of KV-cache memory for each way of sharing keys and values
// (MHA, GQA, MQA, MLA) for the loaded model and for published ones (Llama-2-7B/70B,
// Mistral-7B, DeepSeek-V2): bytes per token and at a chosen context, as a table and as bars.
// The formulas are in kv_cache_calculator.h (engine). The MLA rank r is clamped per model to the
// largest rank that means anything there (maxLatentRank). For the loaded model's rows the view
// can also show what the sharing costs in perplexity, measured elsewhere (setPerplexityCosts):
// each row's sharing applied to the model as trained, minus the model as trained.
#include <QString>
#include <QStringList>
#include <map>
#include <vector>

#include "views/trace_view.h"

class QCustomPlot;
class QLabel;
class QSpinBox;
class QSplitter;
class QTableWidget;

namespace anatomy::widgets {

struct KvCacheEntry {
    QString model;
    QString variant;         // "GQA (4 kv heads)", "MLA r = min(512, 64) = 64"
    QString kind;            // "MHA", "GQA", "MQA" or "MLA"
    qint64 bytesPerToken = 0;
    qint64 bytesAtContext = 0;
    bool published = false;  // what the model ships with
    int latentRank = 0;      // MLA rows: the rank counted (after the clamp)
    bool rankClamped = false;
    // The loaded model's rows: the simulator settings (anatomy-cli --set) that run the model with
    // this sharing, e.g. {"kv.sharing=latent", "kv.rank=64"}; empty for the published models.
    QStringList simAssignments;
    // The key of this row in setPerplexityCosts(): simAssignments joined by ' '; empty if none.
    QString costKey() const { return simAssignments.join(QLatin1Char(' ')); }
};

// The largest latent rank that means anything for a model: the latent replaces the K and V rows
// (2 kvHeads headDim of them) and is computed from the d_model-wide hidden state, so
//   r_max = min(2 · kvHeads · headDim, d_model)      (64 for stories260K: K and V have 32 rows each)
int maxLatentRank(int kvHeads, int headDim, int dModel);

// The pure part: rows for the loaded model (config, fp32) and the published models (fp16).
// latentRank (0 = no MLA row) is clamped per model to maxLatentRank.
std::vector<KvCacheEntry> kvCacheEntries(const anatomy::ModelConfig* loaded, const QString& loadedName,
                                         qint64 context, int latentRank);
// The rows whose perplexity cost can be measured (the loaded model's): costKey() -> simAssignments.
std::map<QString, QStringList> perplexityCostRows(const std::vector<KvCacheEntry>& entries);
// The controller channel these rows' batches travel on (the MoE curve uses another).
inline const QString kKvCostChannel = QStringLiteral("kv");
// "1.5 GiB", "512 KiB", "96 B"
QString formatBytes(double bytes);

class KvCacheView : public TraceView {
    Q_OBJECT
public:
    explicit KvCacheView(QWidget* parent = nullptr);
    QString viewName() const override { return QStringLiteral("kvcache"); }
    QString title() const override { return tr("KV cache"); }
    void setInput(const ViewInput& input) override;
    void setSelection(const Selection&) override {}
    QString toCsv() const override;
    const std::vector<KvCacheEntry>& entries() const { return m_entries; }
    void setContext(int tokens);
    void setLatentRank(int r);
    // Perplexity cost of each of the loaded model's sharings, keyed by KvCacheEntry::costKey()
    // ("kv.sharing=mqa", "kv.sharing=latent kv.rank=64"): perplexity with those settings minus
    // perplexity as trained, on the same text and window. Rows without a value say "not measured".
    // Ends a pending measurement (setPerplexityCostsPending).
    void setPerplexityCosts(std::map<QString, double> costs);
    // A measurement is running: the loaded model's cells say "computing…" until
    // setPerplexityCosts or setPerplexityCostsFailed. note says what is measured and on which
    // window ("TinyStories tokens 0–4096, context 512"); it is shown above the table.
    void setPerplexityCostsPending(const QString& note);
    void setPerplexityCostsFailed(const QString& message);
    bool perplexityCostsPending() const { return m_pplPending; }
    QString perplexityCostNote() const { return m_pplNote; }
    // The text of the "ppl cost" cell of a row: "+0.42", "computing…", "not measured", or ""
    // (published models).
    QString perplexityCostText(const KvCacheEntry& e) const;

Q_SIGNALS:
    // The rows were rebuilt (model, context or rank changed): costKey()s may be new.
    void rowsChanged();

protected:
    // Presentation mode enlarges the font: the plot text follows (lecture::fontFor).
    void changeEvent(QEvent* e) override;
    void resizeEvent(QResizeEvent* e) override;
    void refit() override;

private:
    void rebuild();
    void fillTable();     // the table's cells from m_entries and the costs
    void showCostNote();  // the line above the table
    void replot();
    void fitTableWidth();  // widen the table to its columns until the user moves the splitter
    void fitValueAxis();   // the bytes axis reaches far enough for every bar's label

    ViewInput m_input;
    std::vector<KvCacheEntry> m_entries;
    QSpinBox* m_context = nullptr;
    QSpinBox* m_rank = nullptr;
    QTableWidget* m_table = nullptr;
    QCustomPlot* m_plot = nullptr;
    QSplitter* m_split = nullptr;
    bool m_userSized = false;  // the user moved the splitter: keep their sizes
    std::map<QString, double> m_pplCosts;  // costKey -> delta perplexity
    bool m_pplPending = false;             // a measurement is running
    QString m_pplNote;                     // what was / is being measured, on which window
    QString m_pplError;                    // why the last measurement failed
    QLabel* m_costNote = nullptr;
    int m_tickEvery = 0;         // fitValueAxis's last tick step (units per tick)
    double m_fittedLnHi = 0.0;   // and the log of the range's top it set
    // Which rows the chart names, as the bars' height allows: every row, the shipped rows only
    // (one per model; the table beside names the rest) or none (-1: not fitted since replot).
    enum class RowLabels { All, Shipped, None };
    int m_rowLabels = -1;
    static QString rowName(const KvCacheEntry& e);  // "Llama-2-7B · GQA", a bar's name
    static RowLabels rowLabelsFor(const std::vector<KvCacheEntry>& entries, double rowPx, double lineH);
};

}  // namespace anatomy::widgets
