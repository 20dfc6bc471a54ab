#pragma once
// The "kvcache" view: a calculator of KV-cache memory for each way of sharing keys and values
// (MHA, GQA, MQA, MLA) for the loaded model and for published ones (Llama-2-7B/70B,
// Mistral-7B, DeepSeek-V2): bytes per token and at a chosen context, as a table and as bars.
// The formulas are in kv_cache_calculator.h (engine).
#include <QString>
#include <vector>

#include "trace_view.h"

class QCustomPlot;
class QSpinBox;
class QTableWidget;

namespace anatomy::widgets {

struct KvCacheEntry {
    QString model;
    QString variant;
    qint64 bytesPerToken = 0;
    qint64 bytesAtContext = 0;
    bool published = false;  // what the model ships with
};

// The pure part: rows for the loaded model (config, fp32) and the published models (fp16).
std::vector<KvCacheEntry> kvCacheEntries(const anatomy::ModelConfig* loaded, const QString& loadedName,
                                         qint64 context, int latentRank);
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

protected:
    void resizeEvent(QResizeEvent* e) override;

private:
    void rebuild();
    void replot();

    ViewInput m_input;
    std::vector<KvCacheEntry> m_entries;
    QSpinBox* m_context = nullptr;
    QSpinBox* m_rank = nullptr;
    QTableWidget* m_table = nullptr;
    QCustomPlot* m_plot = nullptr;
};

}  // namespace anatomy::widgets
