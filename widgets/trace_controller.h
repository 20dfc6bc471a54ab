#pragma once
// The only object that talks to the engine. It owns the model and tokenizer and one worker
// thread with a one-slot mailbox: a new request replaces the pending one (latest wins) and asks
// the running one to stop between layers (std::stop_token). Every request carries a generation
// number; a result whose generation is no longer the latest is dropped, so the views never
// flash an old picture. Prompt edits and slider moves are coalesced by a short single-shot
// timer; sampler-only changes need no forward pass and are re-delivered with the last trace.
//
// All public functions and signals live on the GUI thread.
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
#include <vector>

#include "trace_view.h"

namespace anatomy {
class Model;
}

namespace anatomy::widgets {

struct ModelInfo {
    QString modelPath;
    QString tokenizerPath;  // empty when the vocabulary came from the model file
    QString format;         // "llama2.c", "GGUF", ...
    anatomy::ModelConfig config;
    QString summary() const;  // "stories260K.bin · 5 layers · 8 heads · d 64 · vocab 512"
};

class TraceController : public QObject {
    Q_OBJECT
public:
    explicit TraceController(QObject* parent = nullptr);
    ~TraceController() override;

    // Loads a model on the worker, then traces the current prompt with it. The tokenizer is
    // tokenizerPath, else the model's embedded vocabulary, else defaultTokenizerPath(model).
    // Emits modelLoaded or loadFailed; the previous model stays in use after a failure.
    void loadModel(const QString& modelPath, const QString& tokenizerPath = {});

    // The prompt text; re-traced after the coalescing delay.
    void setPrompt(const QString& text);
    // Exact tokens (e.g. prompt + generated) and the text they decode to; re-traced at once.
    void setTokens(const std::vector<int>& tokens, const QString& text);
    // Sampler settings change no forward pass: the last trace is re-delivered with them.
    void setSamplerSettings(const anatomy::SamplerSettings& s);
    void setThreadCount(int n);  // 0 = all cores; applies from the next request
    // What traces record (the views on screen decide). Asking for more than the current
    // trace holds re-traces at once; asking for less applies from the next request.
    void setCaptureSpec(const anatomy::CaptureSpec& spec);
    const anatomy::CaptureSpec& captureSpec() const { return m_spec; }
    // Delay that collects bursts of edits into one request (milliseconds).
    void setCoalesceDelay(int ms) { m_coalesce.setInterval(ms); }

    // Traces text now (no coalescing) and returns the request's generation.
    quint64 requestTrace(const QString& text);
    // Samples nNew tokens after the current tokens, streaming tokenGenerated per token and a
    // trace now and then; Step is generate(1).
    quint64 generate(int nNew);
    // Stops a running generation (the text so far is kept and traced) or trace.
    void stop();

    // No request pending, running or coalescing.
    bool isIdle() const;
    bool isGenerating() const { return m_generating; }
    // Spins the event loop until idle or the timeout; true when idle. For headless use and tests.
    bool waitForIdle(int timeoutMs);

    bool hasModel() const { return m_model != nullptr; }
    const ModelInfo& modelInfo() const { return m_modelInfo; }
    std::shared_ptr<const anatomy::Tokenizer> tokenizer() const { return m_tokenizer; }
    const ViewInput& currentInput() const { return m_input; }
    const anatomy::SamplerSettings& samplerSettings() const { return m_sampler; }
    int threadCount() const { return m_threads; }
    QString prompt() const { return m_text; }
    // The tokens of the last delivered trace (BOS first).
    std::vector<int> tokens() const;
    quint64 latestGeneration() const { return m_latest; }
    QString lastError() const { return m_lastError; }

Q_SIGNALS:
    void modelLoaded(const anatomy::widgets::ModelInfo& info);
    void loadFailed(const QString& message);
    void traceReady(const anatomy::widgets::ViewInput& input, quint64 generation);
    void traceFailed(const QString& message);
    // One sampled token: the text it adds and its id.
    void tokenGenerated(const QString& text, int id);
    void generationFinished(int nTokens, double tokensPerSecond);
    // Wall time of the forward pass behind the last delivered trace.
    void traceTimed(double ms);
    void busyChanged(bool busy);

private:
    struct LoadSpec {
        QString modelPath;
        QString tokenizerPath;
    };
    enum class Work { None, Trace, Generate };
    struct Request {
        quint64 generation = 0;
        std::optional<LoadSpec> load;
        Work work = Work::None;
        std::string text;          // encoded when !useTokens
        std::vector<int> tokens;
        bool useTokens = false;
        int nNew = 0;
        anatomy::SamplerSettings sampler;
        anatomy::CaptureSpec spec;
        int threads = 0;
    };
    // What the worker owns; touched only on the worker thread.
    struct WorkerState {
        std::shared_ptr<const anatomy::Model> model;
        std::shared_ptr<const anatomy::Tokenizer> tokenizer;
        ModelInfo info;
        int threads = -1;
    };

    quint64 submit(Request r);
    Request makeRequest(Work w);
    void flushCoalesced();
    void workerLoop(std::stop_token quit);
    void runRequest(Request& r, std::stop_token stop);
    std::vector<int> requestTokens(const Request& r) const;  // worker
    void postTrace(quint64 gen, std::shared_ptr<const anatomy::Trace> trace, double ms);  // worker
    void postSettled(quint64 gen);  // worker
    void deliverTrace(quint64 gen, std::shared_ptr<const anatomy::Trace> trace, double ms);
    void settle(quint64 gen);
    void setBusy(bool b);

    // GUI-thread state.
    QString m_text;
    std::vector<int> m_tokens;   // authoritative tokens when m_useTokens
    bool m_useTokens = false;
    bool m_textDirty = false;
    bool m_samplerDirty = false;
    anatomy::SamplerSettings m_sampler;
    int m_threads = 0;
    anatomy::CaptureSpec m_spec = anatomy::CaptureSpec::everything();
    QTimer m_coalesce;
    ViewInput m_input;
    std::shared_ptr<const anatomy::Model> m_model;
    std::shared_ptr<const anatomy::Tokenizer> m_tokenizer;
    ModelInfo m_modelInfo;
    quint64 m_latest = 0;   // generation of the newest request
    quint64 m_settled = 0;  // newest generation that finished (delivered, failed or cancelled)
    bool m_generating = false;
    bool m_busy = false;
    QString m_lastError;

    // The mailbox, shared with the worker.
    std::mutex m_mutex;
    std::condition_variable_any m_cv;
    std::optional<Request> m_pending;
    std::stop_source m_jobStop;  // stops the running request
    WorkerState m_worker;
    std::jthread m_thread;       // last member: joins before the rest is destroyed
};

}  // namespace anatomy::widgets
