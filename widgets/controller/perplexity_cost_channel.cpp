#include "controller/perplexity_cost_channel.h"

#include <QCoreApplication>

namespace anatomy::widgets {

PerplexityCostChannel::PerplexityCostChannel(TraceController* controller, QString channel, QObject* parent)
    : QObject(parent), m_controller(controller), m_channel(std::move(channel)) {
    // The controller delivers only each channel's latest batch; ours is the one that is latest
    // on our channel (batch numbers are unique across channels).
    connect(m_controller, &TraceController::perplexityCostsReady, this, [this](const PerplexityCosts& c, quint64 n) {
        if (m_controller->isLatestPerplexityCostBatch(m_channel, n)) Q_EMIT ready(c);
    });
    connect(m_controller, &TraceController::perplexityCostsFailed, this, [this](const QString& m, quint64 n) {
        if (m_controller->isLatestPerplexityCostBatch(m_channel, n)) Q_EMIT failed(m);
    });
}

bool PerplexityCostChannel::request(const PerplexityWindow& window, const std::map<QString, QStringList>& rows) {
    QStringList parts{m_controller->modelInfo().modelPath, window.textPath, describeWindow(window)};
    for (const auto& [key, lines] : rows) parts << key + QLatin1Char('=') + lines.join(QLatin1Char(' '));
    const QString signature = parts.join(QLatin1Char('|'));
    if (signature == m_signature) return false;  // measured or being measured
    m_signature = signature;
    if (window.textPath.isEmpty()) {
        m_controller->cancelPerplexityCosts(m_channel);  // whatever is running is no longer wanted
        Q_EMIT failed(corpusNotFoundMessage());
        return true;
    }
    Q_EMIT pending(describeWindow(window));
    m_controller->requestPerplexityCosts(window, rows, m_channel);
    return true;
}

void PerplexityCostChannel::cancel() {
    m_signature.clear();
    m_controller->cancelPerplexityCosts(m_channel);
}

bool PerplexityCostChannel::wait(int timeoutMs) {
    const bool settled = processEventsUntil([this] { return !busy(); }, timeoutMs);
    QCoreApplication::processEvents();  // the result's queued delivery
    return settled;
}

}  // namespace anatomy::widgets
