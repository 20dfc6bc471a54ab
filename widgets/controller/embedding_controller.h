#pragma once
// The Embedding view's way to the engine: the pooled, L2-normalised embedding of each input line
// and their cosine-similarity matrix (anatomy/embed.h, what anatomy-cli embed calls), on one
// channel of a JobTracker (latest wins: typing replaces the waiting request, never on the GUI
// thread). All public functions and signals live on the GUI thread.
#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>
#include <stop_token>
#include <vector>

#include "controller/job_tracker.h"

namespace anatomy {
class Model;
class Tokenizer;
}  // namespace anatomy

namespace anatomy::widgets {

struct EmbeddingResult {
    QStringList lines;                            // the non-empty input lines, in order
    std::vector<std::vector<float>> embeddings;   // [lines][dim]
    std::vector<std::vector<float>> similarity;   // [lines][lines] cos(e_i, e_j)
    QString error;                                // why nothing was embedded (a decoder, a line too long)
};

// The pure part (runs on the worker): lines trimmed, empty ones dropped. Errors go to .error.
EmbeddingResult embedLines(const std::shared_ptr<const anatomy::Model>& model, const anatomy::Tokenizer& tokenizer,
                           const QStringList& lines, std::stop_token stop = {});

class EmbeddingController : public QObject {
    Q_OBJECT
public:
    explicit EmbeddingController(QObject* parent = nullptr);
    ~EmbeddingController() override;
    // The model and tokenizer the traces use; a new model embeds the last lines again.
    void setSource(std::shared_ptr<const anatomy::Model> model, std::shared_ptr<const anatomy::Tokenizer> tokenizer);
    bool hasModel() const { return m_model != nullptr; }
    // Embeds lines unless the same lines were asked last for the same model.
    void request(const QStringList& lines);
    bool busy() const { return m_jobs.busy(); }
    bool waitForIdle(int timeoutMs);

Q_SIGNALS:
    void ready(const anatomy::widgets::EmbeddingResult& result);

private:
    std::shared_ptr<const anatomy::Model> m_model;
    std::shared_ptr<const anatomy::Tokenizer> m_tokenizer;
    QStringList m_lines;          // the last lines asked for
    bool m_asked = false;         // m_lines were asked for with the current model
    JobTracker m_jobs;
};

}  // namespace anatomy::widgets
