#include "controller/embedding_controller.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <exception>

#include "anatomy/embed.h"
#include "anatomy/error.h"
#include "anatomy/model.h"
#include "anatomy/tokenizer.h"

namespace anatomy::widgets {

namespace {
const QString kChannel = QStringLiteral("embed");
}  // namespace

EmbeddingResult embedLines(const std::shared_ptr<const anatomy::Model>& model, const anatomy::Tokenizer& tokenizer,
                           const QStringList& lines, std::stop_token stop) {
    EmbeddingResult r;
    for (const QString& line : lines)
        if (!line.trimmed().isEmpty()) r.lines << line.trimmed();
    try {
        for (const QString& line : r.lines)
            r.embeddings.push_back(anatomy::embedText(model, tokenizer, line.toStdString(), std::nullopt, stop));
        r.similarity = anatomy::similarityMatrix(r.embeddings);
    } catch (const anatomy::Cancelled&) {
        throw;
    } catch (const std::exception& e) {
        r.embeddings.clear();
        r.similarity.clear();
        r.error = QString::fromUtf8(e.what());
    }
    return r;
}

EmbeddingController::EmbeddingController(QObject* parent) : QObject(parent) {}

EmbeddingController::~EmbeddingController() = default;

void EmbeddingController::setSource(std::shared_ptr<const anatomy::Model> model,
                                    std::shared_ptr<const anatomy::Tokenizer> tokenizer) {
    if (model == m_model && tokenizer == m_tokenizer) return;
    m_model = std::move(model);
    m_tokenizer = std::move(tokenizer);
    m_asked = false;
    if (!m_lines.isEmpty()) request(m_lines);
}

void EmbeddingController::request(const QStringList& lines) {
    if (m_asked && lines == m_lines) return;
    m_lines = lines;
    if (!m_model || !m_tokenizer) return;
    m_asked = true;
    auto model = m_model;
    auto tokenizer = m_tokenizer;
    m_jobs.submit(kChannel, [this, model, tokenizer, lines](const JobContext& job) {
        try {
            EmbeddingResult r = embedLines(model, *tokenizer, lines, job.stopToken());
            job.deliver([this, r = std::move(r)] { Q_EMIT ready(r); });
        } catch (const anatomy::Cancelled&) {
        }
    });
}

bool EmbeddingController::waitForIdle(int timeoutMs) {
    QElapsedTimer t;
    t.start();
    while (m_jobs.busy() && t.elapsed() < timeoutMs) QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QCoreApplication::processEvents();
    return !m_jobs.busy();
}

}  // namespace anatomy::widgets
