#pragma once
// The only object that talks to the engine. It owns the model and tokenizer and runs every
// background job through two JobTrackers (job_tracker.h: one-slot latest-wins mailboxes with
// generation numbers; a stale result is dropped, so the views never flash an old picture):
//   - traces, generation and model loads on one worker: a new request replaces the pending one
//     and asks the running one to stop between layers (std::stop_token); a model load is kept
//     in the mailbox until it has run, so a later trace never drops it;
//   - perplexity on another, so a long evaluation never holds up the traces that follow a
//     slider: the read-out (first in line) and one channel per requester of cost batches
//     (the KV cache view's rows, the MoE view's curve); a batch never displaces a read-out, nor
//     one channel's batch another's; and, after each model load, the sha256 of its file.
// Each job runs with its own thread limit (anatomy/thread_limit.h), never a process-wide one.
// Models are opened, generation runs, the corpus is found and perplexity windows are cut by
// the engine's workflows (open_model.h, generate.h, corpus.h, perplexity.h), exactly as in
// anatomy-cli. Prompt edits and slider moves are coalesced by a short single-shot timer;
// sampler-only changes need no forward pass and are re-delivered with the last trace. Every
// request carries the architecture simulator's settings (sim_settings.h), so the views always
// show the architecture the user has dialled in.
//
// An encoder-decoder model (T5, encoder_decoder.h): the text is the encoder's input, encoded
// once per request; the tokens (setTokens, tokens(), a trace's tokens) are the decoder's, start
// token first. A new text starts the output over at [start]; Generate and Step continue it with
// the engine's generateEncoderDecoder (self-attention KV cache, fixed cross-attention cache),
// exactly as anatomy-cli generate runs it.
//
// All public functions and signals live on the GUI thread.
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

#include "anatomy/architecture.h"
#include "anatomy/perplexity.h"
#include "anatomy/sim_settings.h"
#include "controller/job_tracker.h"
#include "views/trace_view.h"

namespace anatomy {
class Model;
}

namespace anatomy::widgets {

// What anatomy::openModelWithTokenizer (open_model.h) found: the same facts the CLI works with.
struct ModelInfo {
    QString modelPath;      // the resolved file
    QString tokenizerPath;  // empty when the vocabulary came from the model file
    QString format;         // "llama2.c", "GGUF", ...
    anatomy::ModelConfig config;  // config.seqLen: the trained context (the manifest's, if it corrects the file)
    anatomy::Architecture architecture;  // what the network computes as trained (GGUF general.architecture)
    int fileContext = 0;    // the context the file's own metadata states
    QString manifestName;   // its samples/models.tsv name, empty when not listed
    QString summary() const;  // "stories260K.bin · 5 layers · 8 heads · d 64 · vocab 512"
};

// Which part of a text file perplexity is measured on, and with what context. In tokens, the
// ids are anatomy::windowIds's  [BOS] + encode(text)[start : start + length]  (perplexity.h),
// what `anatomy-cli perplexity --from start --length length` measures; a window reaching
// beyond the text is an error, not clamped.
struct PerplexityWindow {
    enum class Unit { Tokens, Characters };
    QString textPath;             // a UTF-8 text file (the corpus)
    Unit unit = Unit::Tokens;
    qint64 start = 0;             // offset into the file's tokens (BOS excluded) or characters
    qint64 length = 4096;         // tokens or characters
    int context = 512;            // window length C of the perplexity protocol (perplexity.h)
    bool operator==(const PerplexityWindow&) const = default;
};

// One perplexity read-out: the simulated architecture against the model as trained, on the
// same tokens with the same protocol.
struct PerplexityReport {
    PerplexityWindow window;
    QString settings;                 // describe(settings)
    anatomy::PerplexityResult result;    // with the settings
    anatomy::PerplexityResult baseline;  // as trained
    // "ppl 3.21 (as trained 2.95, +9%)"
    QString summary() const;
};

// "TinyStories tokens 0–4096, context 512" (characters for a character window).
QString describeWindow(const PerplexityWindow& w);

// What a batch of alternative settings costs in perplexity. Each row's assignments are applied
// to the model as trained (not on top of the current simulator settings), so a row's cost is
// the cost of that one change:  cost(row) = ppl(as trained + row) − ppl(as trained).
struct PerplexityCosts {
    QString channel;                    // the requester's channel
    PerplexityWindow window;
    double baselinePpl = 0;             // as trained
    std::map<QString, double> ppl;      // row key -> perplexity with the row's settings
    std::map<QString, double> costs;    // row key -> ppl(row) − ppl(as trained)
    std::map<QString, QString> errors;  // row key -> why the row could not be measured
};

// The TinyStories corpus file perplexity defaults to (anatomy::defaultCorpusPath, corpus.h:
// the folders the CLI searches too); empty if none.
QString defaultCorpusPath();
// What to tell a person when defaultCorpusPath() is empty.
QString corpusNotFoundMessage();

class TraceController : public QObject {
    Q_OBJECT
public:
    explicit TraceController(QObject* parent = nullptr);
    ~TraceController() override;

    // Opens a model on the worker (anatomy::openModelWithTokenizer: a path or a manifest name,
    // empty = the default model; sha256 verified; the manifest's trained context), then traces
    // the current prompt with it. The tokenizer is tokenizerPath, else the model's embedded
    // vocabulary, else the one beside the model. Emits modelLoaded or loadFailed; the previous
    // model stays in use after a failure.
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
    // The simulated architecture for every following trace and generation; re-traces the
    // current text after the coalescing delay. Settings the loaded model rejects
    // (validateSettings) give traceFailed with the engine's message; the last picture stays.
    void setSimSettings(const anatomy::SimSettings& s);
    const anatomy::SimSettings& simSettings() const { return m_sim; }
    const anatomy::CaptureSpec& captureSpec() const { return m_spec; }
    // Edits are throttled, not delayed: the first of a burst is traced at once, the ones within
    // this many milliseconds after it become one more request when the interval ends.
    void setCoalesceDelay(int ms) {
        m_coalesce.setInterval(ms);
        m_samplerCoalesce.setInterval(ms);
    }

    // Traces text now (no coalescing) and returns the request's generation.
    quint64 requestTrace(const QString& text);
    // Samples nNew tokens after the current tokens (an encoder-decoder: after the output so far),
    // streaming tokenGenerated per token and a trace now and then; Step is generate(1).
    quint64 generate(int nNew);
    // Stops a running generation (the text so far is kept and traced) or trace.
    void stop();

    // Induction scores of every head under the current knobs (head_scores.h): the model traced
    // on BOS + r + r, r the kInductionLength random tokens of seed 1, off the GUI thread; the
    // latest request's scores arrive as inductionScoresReady. Returns the request's number.
    static constexpr int kInductionLength = 32;
    quint64 requestInductionScores();

    // Measures perplexity on a window of a text file with the current simulator settings (and,
    // once per window, as trained) off the GUI thread. A newer request replaces a pending one
    // and stops a running one; only the latest request's report arrives. Returns its number.
    quint64 requestPerplexity(const PerplexityWindow& window);
    bool perplexityBusy() const { return m_pplJobs.busy(kReadoutChannel); }
    // Any read-out off the trace's worker (perplexity, costs, induction scores, the file's hash).
    bool backgroundBusy() const { return m_pplJobs.busy(); }
    // Spins the event loop until the perplexity worker is idle (tests and headless use).
    bool waitForPerplexity(int timeoutMs);
    // Measures the perplexity cost of each row (key -> "key=value" assignments applied to the
    // model as trained) on one window, off the GUI thread, as one batch. Each channel (one per
    // requester: the KV cache view's costs, the MoE view's curve) has its own slot: a newer batch
    // on a channel replaces that channel's pending one and stops its running one, and leaves the
    // other channels' batches alone; only a channel's latest batch's result arrives
    // (perplexityCostsReady). Returns the batch's number, unique across channels.
    quint64 requestPerplexityCosts(const PerplexityWindow& window, const std::map<QString, QStringList>& rows,
                                   const QString& channel = {});
    // Drops the channel's waiting batch and stops its running one; nothing of them arrives.
    void cancelPerplexityCosts(const QString& channel);
    // Some channel's (or the named channel's) latest batch has not settled yet.
    bool perplexityCostsBusy() const;
    bool perplexityCostsBusy(const QString& channel) const;
    quint64 latestPerplexityCostBatch() const { return m_costLatest; }
    // Whether batch is the channel's latest (its result will arrive or has arrived).
    bool isLatestPerplexityCostBatch(const QString& channel, quint64 batch) const;
    // Spins the event loop until every channel's latest batch has settled (tests and headless use).
    bool waitForPerplexityCosts(int timeoutMs);
    // No request pending, running or coalescing.
    bool isIdle() const;
    bool isGenerating() const { return m_generating; }
    // Spins the event loop until idle or the timeout; true when idle. For headless use and tests.
    bool waitForIdle(int timeoutMs);

    bool hasModel() const { return m_model != nullptr; }
    // The loaded model, for work that runs beside the traces (the Decoding view's controller).
    std::shared_ptr<const anatomy::Model> model() const { return m_model; }
    const ModelInfo& modelInfo() const { return m_modelInfo; }
    std::shared_ptr<const anatomy::Tokenizer> tokenizer() const { return m_tokenizer; }
    const ViewInput& currentInput() const { return m_input; }
    const anatomy::SamplerSettings& samplerSettings() const { return m_sampler; }
    int threadCount() const { return m_threads; }
    QString prompt() const { return m_text; }
    // The tokens of the last delivered trace (BOS first).
    std::vector<int> tokens() const;
    quint64 latestGeneration() const { return m_traceJobs.latest(kTraceChannel); }
    QString lastError() const { return m_lastError; }
    // The sha256 of the loaded model's file, read on the perplexity worker after each load (a
    // session records it; 440 MB of stories110M take a second or two, too long for the GUI
    // thread). Empty while it is being read or when the file could not be read
    // (modelSha256Error says why); modelSha256Ready announces it.
    QString modelSha256() const { return m_modelSha256; }
    QString modelSha256Error() const { return m_modelSha256Error; }
    bool modelSha256Busy() const { return m_pplJobs.busy(kSha256Channel); }
    // Spins the event loop until the loaded model's sha256 is known (or known unreadable).
    bool waitForModelSha256(int timeoutMs);

Q_SIGNALS:
    void modelLoaded(const anatomy::widgets::ModelInfo& info);
    void loadFailed(const QString& message);
    void traceReady(const anatomy::widgets::ViewInput& input, quint64 generation);
    void traceFailed(const QString& message);
    // One sampled token: the text it adds and its id.
    void tokenGenerated(const QString& text, int id);
    void generationFinished(int nTokens, double tokensPerSecond);
    // Why the last generation stopped, in words ("drew the 32 tokens asked for", "the model
    // drew end-of-text", ...); arrives just before generationFinished.
    void generationStopped(const QString& reason);
    // [nLayers * nHeads] induction scores for the settings they were measured with.
    void inductionScoresReady(const std::vector<float>& scores, const anatomy::SimSettings& sim);
    // What the last traced text left out, in words ("traced the first 1549 of 2000 tokens: ...");
    // empty when the whole text was traced. Arrives with each trace request.
    void textCut(const QString& message);
    // Wall time of the forward pass behind the last delivered trace.
    void traceTimed(double ms);
    void busyChanged(bool busy);
    // The latest perplexity request's result, or why it failed.
    void perplexityReady(const anatomy::widgets::PerplexityReport& report, quint64 request);
    void perplexityFailed(const QString& message, quint64 request);
    // The latest cost batch's result, or why the whole batch failed (e.g. no corpus).
    void perplexityCostsReady(const anatomy::widgets::PerplexityCosts& costs, quint64 batch);
    void perplexityCostsFailed(const QString& message, quint64 batch);
    // The sha256 of modelPath, the loaded model's file (empty and an error when unreadable).
    void modelSha256Ready(const QString& modelPath, const QString& sha256, const QString& error);

private:
    inline static const QString kTraceChannel = QStringLiteral("trace");
    inline static const QString kReadoutChannel = QStringLiteral("perplexity");
    inline static const QString kSha256Channel = QStringLiteral("sha256");
    static QString costChannel(const QString& channel) { return QStringLiteral("costs/") + channel; }

    enum class Work { Trace, Generate };
    struct Request {
        Work work = Work::Trace;
        std::string text;          // encoded when !useTokens
        std::vector<int> tokens;
        bool useTokens = false;
        int nNew = 0;
        anatomy::SamplerSettings sampler;
        anatomy::CaptureSpec spec;
        anatomy::SimSettings sim;
        int threads = 0;
    };
    struct PerplexityRequest {
        PerplexityWindow window;
        anatomy::SimSettings sim;
        std::shared_ptr<const anatomy::Model> model;
        std::shared_ptr<const anatomy::Tokenizer> tokenizer;
        int threads = 0;
    };
    struct CostRequest {
        QString channel;
        PerplexityWindow window;
        std::vector<std::pair<QString, anatomy::SimSettings>> rows;  // key, as trained + row
        std::map<QString, QString> errors;  // rows whose assignments did not parse
        std::shared_ptr<const anatomy::Model> model;
        std::shared_ptr<const anatomy::Tokenizer> tokenizer;
        int threads = 0;
    };
    // What the perplexity worker keeps between requests; touched only on that thread.
    struct PerplexityCache {
        const anatomy::Model* model = nullptr;
        QString textPath;
        std::string text;                  // the whole file
        std::vector<int> textTokens;       // encode(text) without BOS, filled on first use
        PerplexityWindow baselineWindow;   // what `baseline` was measured on
        std::optional<anatomy::PerplexityResult> baseline;
    };
    // What the trace worker owns; touched only on that thread.
    struct WorkerState {
        std::shared_ptr<const anatomy::Model> model;
        std::shared_ptr<const anatomy::Tokenizer> tokenizer;
    };

    quint64 submit(Request r);
    Request makeRequest(Work w);
    void flushCoalesced();
    // An edit arrived: flush now unless an interval is running (then its end flushes), and
    // start one.
    void coalesce();
    void flushSampler();  // re-delivers the trace with the sampler settings, when they changed
    // Trace worker jobs.
    void runLoad(const QString& modelPath, const QString& tokenizerPath, const JobContext& job);
    void runRequest(const Request& r, const JobContext& job);
    void runGeneration(const Request& r, std::vector<int> ids, const JobContext& job);
    // An encoder-decoder's decoder tokens for the request: its tokens, else [start].
    std::vector<int> decoderTokens(const Request& r) const;
    // The trace of ids (a decoder-only model's whole text) or of input encoded and decoder
    // decoded (an encoder-decoder's), with the request's capture spec and settings.
    std::shared_ptr<const anatomy::Trace> traceShown(const Request& r, const std::vector<int>& ids,
                                                     const std::vector<int>& decoder, std::stop_token stop) const;
    // The request's tokens, cut to what a trace can hold; *cut says what was left out and why.
    std::vector<int> requestTokens(const Request& r, QString* cut = nullptr) const;
    void readModelSha256(const QString& path);  // GUI thread: a job on the perplexity worker
    void postTrace(const JobContext& job, std::shared_ptr<const anatomy::Trace> trace, double ms,
                   const anatomy::SimSettings& sim);
    // GUI thread: results.
    void deliverTrace(quint64 gen, std::shared_ptr<const anatomy::Trace> trace, double ms,
                      const anatomy::SimSettings& sim);
    void onTraceSettled(quint64 gen);
    void setBusy(bool b);
    // Perplexity worker jobs.
    void runPerplexity(const PerplexityRequest& r, const JobContext& job);
    void runCosts(const CostRequest& r, const JobContext& job);
    // Perplexity worker: the window's ids (BOS first) and the as-trained result on them, cached.
    std::vector<int> windowIds(const PerplexityWindow& w, const std::shared_ptr<const anatomy::Model>& model,
                               const anatomy::Tokenizer& tok);
    const anatomy::PerplexityResult& baselineFor(const PerplexityWindow& w, const std::vector<int>& ids,
                                                 const std::shared_ptr<const anatomy::Model>& model,
                                                 std::stop_token stop);

    // GUI-thread state.
    QString m_text;
    std::vector<int> m_tokens;   // authoritative tokens when m_useTokens
    bool m_useTokens = false;
    bool m_textDirty = false;
    bool m_samplerDirty = false;
    anatomy::SamplerSettings m_sampler;
    int m_threads = 0;
    // Until the window says what it shows: everything, every layer whole while the maps fit
    // (captureSpecFor's rule; set in the constructor).
    anatomy::CaptureSpec m_spec;
    anatomy::SimSettings m_sim;
    QTimer m_coalesce;         // prompt, tokens and simulator edits
    QTimer m_samplerCoalesce;  // sampler moves
    ViewInput m_input;
    std::shared_ptr<const anatomy::Model> m_model;
    std::shared_ptr<const anatomy::Tokenizer> m_tokenizer;
    ModelInfo m_modelInfo;
    quint64 m_settled = 0;  // newest trace generation that finished (delivered, failed or cancelled)
    bool m_generating = false;
    bool m_busy = false;
    QString m_lastError;
    QString m_modelSha256, m_modelSha256Error;  // of m_modelInfo.modelPath
    quint64 m_costLatest = 0;          // the newest batch number issued (or cancelled to)
    std::set<QString> m_costChannels;  // every channel a batch was requested on

    WorkerState m_worker;        // trace worker only
    PerplexityCache m_pplCache;  // perplexity worker only
    // Last members: destroyed first, they stop and join their workers while the state above lives.
    JobTracker m_pplJobs;
    JobTracker m_traceJobs;
};

}  // namespace anatomy::widgets
