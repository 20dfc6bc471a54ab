#pragma once
// One requester's channel of perplexity cost batches on the TraceController (the KV cache
// view's "Δ ppl" column, the MoE view's curve against k). It asks again only when what is
// measured changes (model, window, rows), and passes on only its own channel's latest batch:
// the controller's JobTracker drops the stale ones, this object the other channels'.
#include <QObject>
#include <QString>
#include <QStringList>
#include <map>

#include "controller/trace_controller.h"

namespace anatomy::widgets {

class PerplexityCostChannel : public QObject {
    Q_OBJECT
public:
    PerplexityCostChannel(TraceController* controller, QString channel, QObject* parent = nullptr);

    // Measures rows (key -> assignments, see requestPerplexityCosts) on window for the loaded
    // model, unless the same were asked last (measured or being measured). Without a corpus
    // file it reports failed at once. Returns whether it asked (or failed).
    bool request(const PerplexityWindow& window, const std::map<QString, QStringList>& rows);
    // Drops the waiting batch and stops the running one; nothing of them arrives, and the next
    // request asks again.
    void cancel();
    // The next request asks again (a new model, perhaps under the same path).
    void forget() { m_signature.clear(); }
    const QString& channel() const { return m_channel; }
    bool busy() const { return m_controller->perplexityCostsBusy(m_channel); }
    // Spins the event loop until this channel's latest batch has settled and been passed on.
    bool wait(int timeoutMs);

Q_SIGNALS:
    void pending(const QString& windowDescription);  // a batch was asked for
    void ready(const anatomy::widgets::PerplexityCosts& costs);
    void failed(const QString& message);

private:
    TraceController* m_controller;
    QString m_channel;
    QString m_signature;  // model, window and rows of the last batch asked for
};

}  // namespace anatomy::widgets
