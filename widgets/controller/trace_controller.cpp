#include "controller/trace_controller.h"
#include "plot/head_scores.h"
#include "controller/window_logic.h"

#include <QFileInfo>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>

#include "anatomy/corpus.h"
#include "anatomy/embed.h"
#include "anatomy/encoder_decoder.h"
#include "anatomy/error.h"
#include "anatomy/generate.h"
#include "anatomy/model.h"
#include "anatomy/model_registry.h"
#include "anatomy/open_model.h"
#include "anatomy/sampler.h"
#include "anatomy/session.h"
#include "anatomy/thread_limit.h"
#include "panels/knob_help.h"

namespace anatomy::widgets {

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Longest sequence a trace covers: attention capture grows with n^2 per head, so the limit
// is what the capture spec's attention maps need within kTraceBudgetBytes, at most
// kMaxTraceTokens.
constexpr int kMaxTraceTokens = 4096;
// The same 1 GB below which the window keeps every layer's maps (captureSpecFor): past it, the
// selected layer's maps alone may take it.
constexpr double kTraceBudgetBytes = double(kWholeAttentionBytes);

// The layers whose maps a trace with this spec may keep whole: all, or the ones it names.
int wholeLayerCount(const anatomy::ModelConfig& c, const anatomy::CaptureSpec& spec) {
    return spec.wholeLayers.empty() ? c.nLayers : std::min(c.nLayers, static_cast<int>(spec.wholeLayers.size()));
}

// Tokens a trace of this model can cover: scores and probabilities (2 floats) per whole layer,
// head and (query, key) pair when attention is captured: 8 W H n^2 bytes <= budget, W the
// layers kept whole when every layer's maps would not fit (captureSpecFor).
int traceTokenLimit(const anatomy::ModelConfig& c, const anatomy::CaptureSpec& spec) {
    if (!spec.attention) return kMaxTraceTokens;
    const double perPair = 8.0 * std::max(1, wholeLayerCount(c, spec)) * std::max(1, c.nHeads);
    return std::clamp(static_cast<int>(std::sqrt(kTraceBudgetBytes / perPair)), 64, kMaxTraceTokens);
}

}  // namespace

QString defaultCorpusPath() { return QString::fromStdString(anatomy::defaultCorpusPath()); }

QString corpusNotFoundMessage() { return QString::fromStdString(anatomy::corpusNotFoundMessage()); }

QString PerplexityReport::summary() const {
    const double base = baseline.ppl;
    if (!(base > 0)) return QStringLiteral("ppl %1").arg(result.ppl, 0, 'f', 2);
    if (settings == QLatin1String("as trained"))
        return QStringLiteral("ppl %1 (as trained)").arg(result.ppl, 0, 'f', 2);
    const double change = 100.0 * (result.ppl / base - 1.0);
    const QString pct = std::abs(change) >= 1000 ? QStringLiteral("\u00D7%1").arg(result.ppl / base, 0, 'f', 0)
                                                 : QStringLiteral("%1%2%").arg(change >= 0 ? "+" : "").arg(change, 0, 'f', 0);
    return TraceController::tr("ppl %1 (as trained %2, %3)")
        .arg(result.ppl, 0, 'f', result.ppl < 1000 ? 2 : 0)
        .arg(base, 0, 'f', 2)
        .arg(pct);
}

QString ModelInfo::summary() const {
    return TraceController::tr("%1 · %2 layers · %3 heads (%4 kv) · d %5 · vocab %6")
        .arg(QFileInfo(modelPath).fileName())
        .arg(config.nLayers)
        .arg(config.nHeads)
        .arg(config.nKvHeads)
        .arg(config.dim)
        .arg(config.vocabSize);
}

TraceController::TraceController(QObject* parent) : QObject(parent) {
    m_spec = captureSpecFor({QStringLiteral("attention"), QStringLiteral("steps"), QStringLiteral("lens")});
    // Two throttles: a sampler move re-delivers the trace it has (no forward pass), so its
    // interval must not hold back a prompt edit right after it, nor the reverse.
    for (QTimer* t : {&m_coalesce, &m_samplerCoalesce}) {
        t->setSingleShot(true);
        t->setInterval(15);
    }
    connect(&m_coalesce, &QTimer::timeout, this, &TraceController::flushCoalesced);
    connect(&m_samplerCoalesce, &QTimer::timeout, this, &TraceController::flushSampler);
    connect(&m_traceJobs, &JobTracker::settled, this, [this](const QString&, quint64 gen) { onTraceSettled(gen); });
}

// The trackers (the last members) drop their waiting jobs, stop the running ones and join.
TraceController::~TraceController() = default;

// ---- GUI thread: requests ----

void TraceController::loadModel(const QString& modelPath, const QString& tokenizerPath) {
    m_coalesce.stop();
    m_textDirty = m_samplerDirty = false;
    // Kept: a trace submitted before the load has run replaces only the trace behind it.
    m_traceJobs.submit(
        kTraceChannel, [this, modelPath, tokenizerPath](const JobContext& job) { runLoad(modelPath, tokenizerPath, job); },
        JobOptions{0, true});
    // A new vocabulary may split the text differently: re-encode the text.
    m_useTokens = false;
    submit(makeRequest(Work::Trace));
}

void TraceController::setPrompt(const QString& text) {
    if (text == m_text && !m_useTokens) return;
    m_text = text;
    m_useTokens = false;
    m_textDirty = true;
    coalesce();
}

void TraceController::setTokens(const std::vector<int>& tokens, const QString& text) {
    m_coalesce.stop();
    m_textDirty = false;
    m_text = text;
    m_tokens = tokens;
    m_useTokens = true;
    submit(makeRequest(Work::Trace));
}

void TraceController::setSamplerSettings(const anatomy::SamplerSettings& s) {
    m_sampler = s;
    m_samplerDirty = true;
    // A continuous drag delivers its first move at once, then at most once per interval.
    if (m_samplerCoalesce.isActive()) return;
    flushSampler();
    m_samplerCoalesce.start();
}

void TraceController::setThreadCount(int n) { m_threads = n; }

void TraceController::setSimSettings(const anatomy::SimSettings& s) {
    if (s == m_sim) return;
    m_sim = s;
    if (m_generating) return;  // applies to the next request; a running generation keeps its own
    if (!m_useTokens && m_text.isEmpty() && !m_input.trace) return;
    // Re-trace exactly what is shown, coalesced with the slider's other moves; a typed prompt
    // still waiting for its trace (for the interval's end, or already on the worker) is what
    // will be shown, so it stays the request.
    const bool promptPending = !m_useTokens && (m_textDirty || m_traceJobs.busy(kTraceChannel));
    if (m_input.trace && !promptPending) {
        m_tokens = m_input.trace->tokens;
        m_useTokens = true;
    }
    m_textDirty = true;
    coalesce();
}

void TraceController::setCaptureSpec(const anatomy::CaptureSpec& spec) {
    m_spec = spec;
    const anatomy::Trace* t = m_input.trace.get();
    if (!t || m_generating) return;
    const bool lacks = (spec.attention && !t->spec.attention) || (spec.qk && !t->spec.qk) ||
                       (spec.residual && !t->spec.residual) || (spec.ffn && !t->spec.ffn) ||
                       (spec.logitLens && !t->spec.logitLens) ||
                       (spec.logits != anatomy::CaptureSpec::Logits::None &&
                        t->spec.logits == anatomy::CaptureSpec::Logits::None) ||
                       // a layer asked for whole that the trace kept as summaries (a new selection)
                       ((spec.attention || spec.qk) &&
                        std::any_of(spec.wholeLayers.begin(), spec.wholeLayers.end(), [&](int l) {
                            return l < static_cast<int>(t->layers.size()) && !t->spec.keepsWhole(l);
                        }));
    if (!lacks) return;
    // Re-trace exactly what is shown now.
    m_tokens = t->tokens;
    m_useTokens = true;
    m_coalesce.stop();
    m_textDirty = false;
    submit(makeRequest(Work::Trace));
}

quint64 TraceController::requestTrace(const QString& text) {
    m_coalesce.stop();
    m_textDirty = false;
    m_text = text;
    m_useTokens = false;
    return submit(makeRequest(Work::Trace));
}

quint64 TraceController::generate(int nNew) {
    m_coalesce.stop();
    m_textDirty = false;
    Request r = makeRequest(Work::Generate);
    r.nNew = std::max(1, nNew);
    m_generating = true;
    return submit(std::move(r));
}

void TraceController::stop() { m_traceJobs.stopRunning(kTraceChannel); }

void TraceController::coalesce() {
    // Leading edge: an edit after a quiet spell goes out now (15 ms sooner than a delay would
    // send it); the burst after it waits for the interval's end, so at most one request per
    // interval (a slider drag, a paste that edits twice) still reaches the worker.
    if (m_coalesce.isActive()) return;
    flushCoalesced();
    m_coalesce.start();
}

void TraceController::flushCoalesced() {
    if (!m_textDirty) return;
    m_textDirty = false;
    submit(makeRequest(Work::Trace));  // the result carries the current sampler settings
}

void TraceController::flushSampler() {
    if (!m_samplerDirty) return;
    m_samplerDirty = false;
    if (!m_input.trace) return;
    m_input.sampler = m_sampler;
    Q_EMIT traceReady(m_input, m_settled);
}

TraceController::Request TraceController::makeRequest(Work w) {
    Request r;
    r.work = w;
    r.text = m_text.toStdString();
    r.useTokens = m_useTokens;
    if (m_useTokens) r.tokens = m_tokens;
    r.sampler = m_sampler;
    r.spec = m_spec;
    r.sim = m_sim;
    r.threads = m_threads;
    return r;
}

quint64 TraceController::submit(Request r) {
    const quint64 gen = m_traceJobs.submit(kTraceChannel, [this, r = std::move(r)](const JobContext& job) {
        // The job's own thread limit: a perplexity job running beside it keeps its own.
        anatomy::runWithThreads(r.threads, [&] { runRequest(r, job); });
    });
    setBusy(true);
    return gen;
}

bool TraceController::isIdle() const {
    // A running interval with nothing waiting for its end holds no work.
    return !m_traceJobs.busy(kTraceChannel) && !(m_coalesce.isActive() && m_textDirty) &&
           !(m_samplerCoalesce.isActive() && m_samplerDirty);
}

bool TraceController::waitForIdle(int timeoutMs) {
    return processEventsUntil([this] { return isIdle(); }, timeoutMs);
}

std::vector<int> TraceController::tokens() const {
    if (m_input.trace) return m_input.trace->tokens;
    return m_useTokens ? m_tokens : std::vector<int>{};
}

void TraceController::setBusy(bool b) {
    if (b == m_busy) return;
    m_busy = b;
    Q_EMIT busyChanged(b);
}

// ---- GUI thread: results ----

void TraceController::deliverTrace(quint64 gen, std::shared_ptr<const anatomy::Trace> trace,
                                   double ms, const anatomy::SimSettings& sim) {
    m_input.trace = std::move(trace);
    m_input.tokenizer = m_tokenizer;
    m_input.model = m_model;
    m_input.sampler = m_sampler;  // sampling is applied to the trace's logits now: the current one
    // The settings the trace was computed under, not m_sim: a slider moved since this request
    // was made has its own request coming, and the views must not draw this trace with it.
    m_input.sim = sim;
    m_lastError.clear();
    Q_EMIT traceTimed(ms);
    Q_EMIT traceReady(m_input, gen);
}

void TraceController::onTraceSettled(quint64 gen) {
    if (gen > m_settled) m_settled = gen;
    if (gen == m_traceJobs.latest(kTraceChannel)) m_generating = false;
    if (isIdle()) setBusy(false);
}

// ---- trace worker ----

void TraceController::runLoad(const QString& modelPath, const QString& tokenizerPath, const JobContext& job) {
    // The worker's model changes only when the new one is complete.
    try {
        const anatomy::OpenedModel opened =
            anatomy::openModelWithTokenizer(modelPath.toStdString(), tokenizerPath.toStdString());
        ModelInfo info;
        info.modelPath = QString::fromStdString(opened.path);
        info.tokenizerPath = opened.embeddedTokenizer() ? QString() : QString::fromStdString(opened.tokenizerPath);
        info.format = QString::fromUtf8(anatomy::formatName(opened.model->format));
        info.config = opened.model->config;
        info.architecture = opened.model->architecture;
        info.fileContext = opened.fileContext;
        if (opened.manifest) info.manifestName = QString::fromStdString(opened.manifest->name);
        m_worker.model = opened.model;
        m_worker.tokenizer = opened.tokenizer;
        // Posted, not delivered: the trace queued behind the load needs the model too.
        job.post([this, model = opened.model, tok = opened.tokenizer, info] {
            m_model = model;
            m_tokenizer = tok;
            m_modelInfo = info;
            m_input = ViewInput{};
            readModelSha256(info.modelPath);
            Q_EMIT modelLoaded(info);
        });
    } catch (const std::exception& e) {
        const QString msg = QString::fromUtf8(e.what());
        job.post([this, msg] {
            m_lastError = msg;
            Q_EMIT loadFailed(msg);
        });
    }
}

std::vector<int> TraceController::requestTokens(const Request& r, QString* cut) const {
    // An encoder-decoder's tokens are its decoder's: the encoder reads the text.
    const bool encoderDecoder = anatomy::isEncoderDecoder(*m_worker.model);
    std::vector<int> ids = r.useTokens && !encoderDecoder
                               ? r.tokens
                               : anatomy::promptIds(m_worker.model->architecture, *m_worker.tokenizer, r.text);
    if (ids.empty()) ids.push_back(encoderDecoder ? m_worker.tokenizer->eosId() : m_worker.tokenizer->bosId());
    const anatomy::ModelConfig& c = m_worker.model->config;
    const int limit = traceTokenLimit(c, r.spec);
    const int whole = wholeLayerCount(c, r.spec);  // the layers whose maps the limit counts
    if (cut) cut->clear();
    if (static_cast<int>(ids.size()) > limit) {
        if (cut)
            *cut = tr("traced the first %1 of %2 tokens: the attention maps of %3 layers × %4 heads at %2 "
                      "tokens would need %5 MB (limit %6 MB)")
                       .arg(limit)
                       .arg(ids.size())
                       .arg(whole)
                       .arg(c.nHeads)
                       .arg(8.0 * whole * c.nHeads * double(ids.size()) * double(ids.size()) / 1e6, 0, 'f', 0)
                       .arg(kTraceBudgetBytes / 1e6, 0, 'f', 0);
        ids.resize(static_cast<size_t>(limit));
    } else if (cut && c.seqLen > 0 && static_cast<int>(ids.size()) > c.seqLen) {
        *cut = tr("the whole text is traced (%1 tokens), beyond the %2 the model was trained on: "
                  "positions past %2 are extrapolated").arg(ids.size()).arg(c.seqLen);
    }
    return ids;
}

std::vector<int> TraceController::decoderTokens(const Request& r) const {
    if (r.useTokens && !r.tokens.empty()) return r.tokens;
    return {m_worker.model->architecture.encoderDecoder.decoderStartToken};
}

std::shared_ptr<const anatomy::Trace> TraceController::traceShown(const Request& r, const std::vector<int>& ids,
                                                                  const std::vector<int>& decoder,
                                                                  std::stop_token stop) const {
    const anatomy::Tokenizer* tok = m_worker.tokenizer.get();
    // The selection may still name a layer of the previous model (22 layers, now 5): the
    // nearest layer this one has, as the selection will be clamped to.
    anatomy::CaptureSpec spec = r.spec;
    for (int& l : spec.wholeLayers) l = std::clamp(l, 0, std::max(0, m_worker.model->config.nLayers - 1));
    if (!anatomy::isEncoderDecoder(*m_worker.model))
        return anatomy::traceTokens(m_worker.model, ids, spec, r.sim, tok, stop);
    anatomy::checkKnobsApply(m_worker.model->architecture, r.sim);  // the simulator's knobs are decoder-only
    return anatomy::traceEncoderDecoder(m_worker.model, ids, decoder, spec, tok, 0, stop);
}

void TraceController::postTrace(const JobContext& job, std::shared_ptr<const anatomy::Trace> trace,
                                double ms, const anatomy::SimSettings& sim) {
    job.deliver([this, gen = job.number(), trace = std::move(trace), ms, sim]() mutable {
        deliverTrace(gen, std::move(trace), ms, sim);
    });
}

void TraceController::runRequest(const Request& r, const JobContext& job) {
    if (!m_worker.model) return;  // no model loaded (or the first load failed): nothing to trace with
    try {
        QString cut;
        std::vector<int> ids = requestTokens(r, &cut);
        job.deliver([this, cut] { Q_EMIT textCut(cut); });
        if (r.work == Work::Trace) {
            // One traced forward pass over the whole text.
            const auto t0 = Clock::now();
            const std::vector<int> decoder =
                anatomy::isEncoderDecoder(*m_worker.model) ? decoderTokens(r) : std::vector<int>{};
            // The trace first, then its time (arguments are evaluated in no set order: as one
            // call's arguments, the time could be taken before the trace ran).
            auto trace = traceShown(r, ids, decoder, job.stopToken());
            const double ms = msSince(t0);
            postTrace(job, std::move(trace), ms, r.sim);
        } else {
            runGeneration(r, std::move(ids), job);
        }
    } catch (const anatomy::Cancelled&) {
        // Superseded or stopped: a newer request (or none) decides what is shown.
    } catch (const std::bad_alloc&) {
        // The budget (trace_budget.h) is an estimate; the allocator has the last word.
        const QString msg = tr("out of memory while tracing; capture fewer arrays or tokens");
        job.deliver([this, msg] {
            m_lastError = msg;
            Q_EMIT traceFailed(msg);
        });
    } catch (const std::exception& e) {
        const QString msg = QString::fromUtf8(e.what());
        job.deliver([this, msg] {
            m_lastError = msg;
            Q_EMIT traceFailed(msg);
        });
    }
}

void TraceController::runGeneration(const Request& r, std::vector<int> ids, const JobContext& job) {
    // The engine's generation loop (generate.h), as anatomy-cli generate runs it; each token is
    // streamed, and a trace of the whole text now and then keeps the views live. An
    // encoder-decoder encodes ids once and continues its output (decoderTokens) from there.
    const anatomy::Tokenizer& tok = *m_worker.tokenizer;
    const bool encoderDecoder = anatomy::isEncoderDecoder(*m_worker.model);
    if (encoderDecoder) anatomy::checkKnobsApply(m_worker.model->architecture, r.sim);
    const std::vector<int> prefix = encoderDecoder ? decoderTokens(r) : std::vector<int>{};
    anatomy::Sampler sampler(r.sampler);
    std::vector<int> shown = encoderDecoder ? prefix : ids;
    const int traceLimit = traceTokenLimit(m_worker.model->config, r.spec);
    auto lastTrace = Clock::now();
    double traceCost = 0.0;
    auto onToken = [&](int id, const std::string& piece) {
        shown.push_back(id);
        job.deliver([this, piece = QString::fromStdString(piece), id] { Q_EMIT tokenGenerated(piece, id); });
        if (static_cast<int>(shown.size()) >= traceLimit) return false;
        // Trace when that costs at most a fifth of the time (and at most ~20 Hz).
        if (msSince(lastTrace) > std::max(50.0, 4.0 * traceCost)) {
            try {
                const auto t0 = Clock::now();
                auto trace = encoderDecoder ? traceShown(r, ids, shown, job.stopToken())
                                            : traceShown(r, shown, {}, job.stopToken());
                traceCost = msSince(t0);
                postTrace(job, std::move(trace), traceCost, r.sim);
                lastTrace = Clock::now();
            } catch (const anatomy::Cancelled&) {
                return false;  // Stop (or a newer request): keep what was generated so far
            }
        }
        return true;
    };
    anatomy::GenerateOptions options;
    options.maxNewTokens = r.nNew;
    // A stop during the prompt's prefill (or the encoder) throws Cancelled (nothing was generated).
    anatomy::GenerateResult g;
    if (encoderDecoder) {
        anatomy::EncoderDecoderSession session(m_worker.model);
        g = anatomy::generateEncoderDecoder(session, tok, sampler, ids, options, onToken, job.stopToken(), prefix);
    } else {
        anatomy::Session session(m_worker.model);
        session.setSettings(r.sim);
        g = anatomy::generateTokens(session, tok, sampler, std::move(ids), options, onToken, job.stopToken());
    }
    // The final picture covers everything generated, also after Stop (but not when superseded).
    if (!job.superseded()) {
        const auto t0 = Clock::now();
        auto trace = encoderDecoder ? traceShown(r, ids, g.tokens, {}) : traceShown(r, g.tokens, {}, {});
        postTrace(job, std::move(trace), msSince(t0), r.sim);
    }
    const int produced = g.emitted;
    const double tps = produced > 0 && g.decodeMs > 0 ? produced * 1000.0 / g.decodeMs : 0.0;
    QString reason;
    switch (g.stop) {
        case anatomy::GenerateStop::MaxTokens:
            reason = tr("stopped: drew the %n token(s) asked for", nullptr, r.nNew);
            break;
        case anatomy::GenerateStop::StopToken:
            reason = tr("stopped: the model drew end-of-text after %n token(s) (a story ends)", nullptr, produced);
            break;
        case anatomy::GenerateStop::Callback:
            reason = static_cast<int>(shown.size()) >= traceLimit
                         ? tr("stopped: the text reached %1 tokens, the most a trace of this model holds").arg(traceLimit)
                         : tr("stopped by Stop after %n token(s)", nullptr, produced);
            break;
        case anatomy::GenerateStop::Cancelled: reason = tr("stopped by Stop after %n token(s)", nullptr, produced); break;
    }
    if (encoderDecoder)  // the output is not in the prompt box (the encoder's input): say it here
        reason += tr(" · output: “%1”")
                      .arg(QString::fromStdString(tok.decodeAll(std::vector<int>(g.tokens.begin() + 1, g.tokens.end()))));
    job.deliver([this, reason] { Q_EMIT generationStopped(reason); });
    job.deliver([this, produced, tps, tokens = g.tokens, encoderDecoder] {
        m_tokens = tokens;
        m_useTokens = true;
        if (m_tokenizer && !encoderDecoder) {
            const bool bos = !tokens.empty() && tokens.front() == m_tokenizer->bosId();
            m_text = QString::fromStdString(
                m_tokenizer->decodeAll(std::vector<int>(tokens.begin() + (bos ? 1 : 0), tokens.end())));
        }
        Q_EMIT generationFinished(produced, tps);
    });
}

// ---- perplexity ----

QString describeWindow(const PerplexityWindow& w) {
    const QString name = w.textPath.contains(QLatin1String("tinystories"), Qt::CaseInsensitive)
                             ? QStringLiteral("TinyStories")
                             : QFileInfo(w.textPath).fileName();
    const QString unit = w.unit == PerplexityWindow::Unit::Tokens ? QObject::tr("tokens") : QObject::tr("characters");
    return QObject::tr("%1 %2 %3–%4, context %5")
        .arg(name, unit)
        .arg(w.start)
        .arg(w.start + w.length)
        .arg(w.context);
}

quint64 TraceController::requestPerplexity(const PerplexityWindow& window) {
    PerplexityRequest r{window, m_sim, m_model, m_tokenizer, m_threads};
    // First in line: the read-out follows the knobs the user is moving.
    return m_pplJobs.submit(
        kReadoutChannel,
        [this, r = std::move(r)](const JobContext& job) {
            anatomy::runWithThreads(r.threads, [&] { runPerplexity(r, job); });
        },
        JobOptions{1, false});
}

quint64 TraceController::requestInductionScores() {
    auto model = m_model;
    auto tok = m_tokenizer;
    if (!model || !tok) return 0;
    const anatomy::SimSettings sim = m_sim;
    const int threads = m_threads;
    return m_pplJobs.submit(QStringLiteral("induction"), [this, model, tok, sim, threads](const JobContext& job) {
        anatomy::runWithThreads(threads, [&] {
            try {
                const std::vector<int> ids =
                    inductionTokens(tok->bosId(), model->config.vocabSize, kInductionLength, 1);
                anatomy::CaptureSpec spec = anatomy::CaptureSpec::nothing();
                spec.attention = true;
                const auto trace = anatomy::traceTokens(model, ids, spec, sim, tok.get(), job.stopToken());
                job.deliver([this, scores = inductionScores(*trace, kInductionLength), sim] {
                    Q_EMIT inductionScoresReady(scores, sim);
                });
            } catch (const std::exception&) {
                // Superseded, or knobs this model rejects: the trace reports those; no scores.
            }
        });
    });
}

quint64 TraceController::requestPerplexityCosts(const PerplexityWindow& window,
                                                const std::map<QString, QStringList>& rows, const QString& channel) {
    CostRequest r;
    r.channel = channel;
    r.window = window;
    r.model = m_model;
    r.tokenizer = m_tokenizer;
    r.threads = m_threads;
    for (const auto& [key, lines] : rows) {
        // As trained + the row: the assignments start from the defaults, not from m_sim.
        QString err;
        if (auto sim = settingsFromAssignments(lines, &err)) r.rows.emplace_back(key, std::move(*sim));
        else r.errors[key] = err;
    }
    m_costChannels.insert(channel);
    m_costLatest = m_pplJobs.submit(costChannel(channel), [this, r = std::move(r)](const JobContext& job) {
        anatomy::runWithThreads(r.threads, [&] { runCosts(r, job); });
    });
    return m_costLatest;
}

void TraceController::cancelPerplexityCosts(const QString& channel) {
    m_costChannels.insert(channel);
    m_costLatest = m_pplJobs.cancel(costChannel(channel));
}

bool TraceController::perplexityCostsBusy() const {
    return std::any_of(m_costChannels.begin(), m_costChannels.end(),
                       [this](const QString& c) { return perplexityCostsBusy(c); });
}

bool TraceController::perplexityCostsBusy(const QString& channel) const {
    return m_pplJobs.busy(costChannel(channel));
}

bool TraceController::isLatestPerplexityCostBatch(const QString& channel, quint64 batch) const {
    return batch != 0 && m_pplJobs.isLatest(costChannel(channel), batch);
}

void TraceController::readModelSha256(const QString& path) {
    m_modelSha256.clear();
    m_modelSha256Error.clear();
    // Below the perplexity jobs: a read-out waiting beside it goes first.
    m_pplJobs.submit(kSha256Channel, [this, path](const JobContext& job) {
        QString sha, error;
        try {
            sha = QString::fromStdString(anatomy::sha256File(path.toStdString()));
        } catch (const std::exception& e) {
            error = QString::fromUtf8(e.what());
        }
        job.deliver([this, path, sha, error] {
            m_modelSha256 = sha;
            m_modelSha256Error = error;
            Q_EMIT modelSha256Ready(path, sha, error);
        });
    }, JobOptions{-1, false});
}

bool TraceController::waitForModelSha256(int timeoutMs) {
    return processEventsUntil([this] { return !modelSha256Busy(); }, timeoutMs);
}

bool TraceController::waitForPerplexity(int timeoutMs) {
    return processEventsUntil([this] { return !perplexityBusy(); }, timeoutMs);
}

bool TraceController::waitForPerplexityCosts(int timeoutMs) {
    return processEventsUntil([this] { return !perplexityCostsBusy(); }, timeoutMs);
}

std::vector<int> TraceController::windowIds(const PerplexityWindow& w,
                                            const std::shared_ptr<const anatomy::Model>& model,
                                            const anatomy::Tokenizer& tok) {
    PerplexityCache& c = m_pplCache;
    // 1. The text: the file is read once and kept (the corpus is a few hundred kB).
    if (c.textPath != w.textPath || c.text.empty()) {
        c = PerplexityCache{};
        c.text = anatomy::readTextFile(w.textPath.toStdString());
        c.textPath = w.textPath;
        if (c.text.empty()) throw anatomy::Error(w.textPath.toStdString() + ": the file is empty");
    }
    if (c.model != model.get()) {
        c.model = model.get();
        c.textTokens.clear();
        c.baseline.reset();
    }
    // 2. The window's ids, BOS first: the engine cuts them (perplexity.h), as for the CLI.
    if (w.unit == PerplexityWindow::Unit::Tokens) {
        if (c.textTokens.empty()) c.textTokens = tok.encode(c.text, false);  // encoded once
        return anatomy::windowIds(c.textTokens, tok.bosId(), anatomy::TokenWindow{long(w.start), long(w.length)},
                                  w.context);
    }
    // Characters of the UTF-8 file (the app only): decode the slice through QString.
    const QString all = QString::fromUtf8(c.text.data(), qsizetype(c.text.size()));
    const QString slice = all.mid(std::max<qint64>(w.start, 0), std::max<qint64>(w.length, 0));
    std::vector<int> ids = tok.encode(slice.toStdString(), true);
    if (int(ids.size()) < w.context)
        throw anatomy::Error("the window holds " + std::to_string(ids.size()) +
                             " tokens, fewer than the context " + std::to_string(w.context) +
                             ": make the window longer or the context shorter");
    return ids;
}

const anatomy::PerplexityResult& TraceController::baselineFor(const PerplexityWindow& w, const std::vector<int>& ids,
                                                              const std::shared_ptr<const anatomy::Model>& model,
                                                              std::stop_token stop) {
    PerplexityCache& c = m_pplCache;  // windowIds() has tied the cache to this model
    // As trained, once per window.
    if (!c.baseline || !(c.baselineWindow == w)) {
        c.baseline.reset();
        c.baseline = anatomy::computePerplexity(model, ids, w.context, anatomy::SimSettings{}, stop);
        c.baselineWindow = w;
    }
    return *c.baseline;
}

void TraceController::runPerplexity(const PerplexityRequest& r, const JobContext& job) {
    const quint64 n = job.number();
    try {
        if (!r.model || !r.tokenizer) throw anatomy::Error("no model loaded");
        const PerplexityWindow& w = r.window;
        const std::vector<int> ids = windowIds(w, r.model, *r.tokenizer);
        // As trained (cached per window); then with the settings.
        PerplexityReport report;
        report.window = w;
        report.settings = QString::fromStdString(anatomy::describe(r.sim));
        report.baseline = baselineFor(w, ids, r.model, job.stopToken());
        report.result = r.sim == anatomy::SimSettings{}
                            ? report.baseline
                            : anatomy::computePerplexity(r.model, ids, w.context, r.sim, job.stopToken());
        job.deliver([this, n, report] { Q_EMIT perplexityReady(report, n); });
    } catch (const anatomy::Cancelled&) {
        // A newer request follows.
    } catch (const std::exception& e) {
        job.deliver([this, n, msg = QString::fromUtf8(e.what())] { Q_EMIT perplexityFailed(msg, n); });
    }
}

void TraceController::runCosts(const CostRequest& r, const JobContext& job) {
    const quint64 n = job.number();
    const std::stop_token stop = job.stopToken();
    try {
        if (!r.model || !r.tokenizer) throw anatomy::Error("no model loaded");
        const PerplexityWindow& w = r.window;
        const std::vector<int> ids = windowIds(w, r.model, *r.tokenizer);
        PerplexityCosts out;
        out.channel = r.channel;
        out.window = w;
        out.errors = r.errors;
        out.baselinePpl = baselineFor(w, ids, r.model, stop).ppl;
        // cost(row) = ppl(as trained + row) − ppl(as trained), on the same ids and protocol.
        for (const auto& [key, sim] : r.rows) {
            if (stop.stop_requested()) throw anatomy::Cancelled();
            try {
                anatomy::validateSettings(sim, r.model->config);
                const double ppl = sim == anatomy::SimSettings{}
                                       ? out.baselinePpl
                                       : anatomy::computePerplexity(r.model, ids, w.context, sim, stop).ppl;
                out.ppl[key] = ppl;
                out.costs[key] = ppl - out.baselinePpl;
            } catch (const anatomy::Cancelled&) {
                throw;
            } catch (const std::exception& e) {
                out.errors[key] = QString::fromUtf8(e.what());  // this row only; the others still count
            }
        }
        job.deliver([this, n, out] { Q_EMIT perplexityCostsReady(out, n); });
    } catch (const anatomy::Cancelled&) {
        // A newer batch follows, or the channel was cancelled.
    } catch (const std::exception& e) {
        job.deliver([this, n, msg = QString::fromUtf8(e.what())] { Q_EMIT perplexityCostsFailed(msg, n); });
    }
}

}  // namespace anatomy::widgets
