#include "trace_controller.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QThread>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <fstream>
#include <sstream>

#include "anatomy/error.h"
#include "anatomy/model.h"
#include "anatomy/model_registry.h"
#include "anatomy/sampler.h"
#include "anatomy/session.h"
#include "knob_help.h"

namespace anatomy::widgets {

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Longest sequence a trace covers: attention capture grows with n^2 per head.
constexpr int kMaxTraceTokens = 1024;

constexpr const char* kCorpusFile = "corpus/tinystories/tinystories_train_head_197K.txt";

}  // namespace

QString defaultCorpusPath() {
    QStringList roots;
    if (const QByteArray env = qgetenv("ANATOMY_SHARED_DIR"); !env.isEmpty()) roots << QString::fromLocal8Bit(env);
    // ../shared beside the working tree, from the working directory or the executable upwards.
    for (QString start : {QDir::currentPath(), QCoreApplication::applicationDirPath()}) {
        QDir d(start);
        for (int up = 0; up < 6; ++up) {
            roots << d.filePath(QStringLiteral("shared")) << d.filePath(QStringLiteral("../shared"));
            if (!d.cdUp()) break;
        }
    }
    for (const QString& r : roots) {
        const QString f = QDir(r).filePath(QString::fromLatin1(kCorpusFile));
        if (QFileInfo::exists(f)) return QFileInfo(f).canonicalFilePath();
    }
    return {};
}

QString PerplexityReport::summary() const {
    const double base = baseline.ppl;
    if (!(base > 0)) return QStringLiteral("ppl %1").arg(result.ppl, 0, 'f', 2);
    if (settings == QLatin1String("as trained"))
        return QStringLiteral("ppl %1 (as trained)").arg(result.ppl, 0, 'f', 2);
    const double change = 100.0 * (result.ppl / base - 1.0);
    const QString pct = std::abs(change) >= 1000 ? QStringLiteral("\u00D7%1").arg(result.ppl / base, 0, 'f', 0)
                                                 : QStringLiteral("%1%2%").arg(change >= 0 ? "+" : "").arg(change, 0, 'f', 0);
    return QStringLiteral("ppl %1 (as trained %2, %3)")
        .arg(result.ppl, 0, 'f', result.ppl < 1000 ? 2 : 0)
        .arg(base, 0, 'f', 2)
        .arg(pct);
}

QString ModelInfo::summary() const {
    return QStringLiteral("%1 · %2 layers · %3 heads (%4 kv) · d %5 · vocab %6")
        .arg(QFileInfo(modelPath).fileName())
        .arg(config.nLayers)
        .arg(config.nHeads)
        .arg(config.nKvHeads)
        .arg(config.dim)
        .arg(config.vocabSize);
}

TraceController::TraceController(QObject* parent) : QObject(parent) {
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(15);
    connect(&m_coalesce, &QTimer::timeout, this, &TraceController::flushCoalesced);
    m_pplThread = std::jthread([this](std::stop_token quit) { perplexityLoop(quit); });
    m_thread = std::jthread([this](std::stop_token quit) { workerLoop(quit); });
}

TraceController::~TraceController() {
    {
        std::lock_guard lock(m_mutex);
        m_pending.reset();
        m_jobStop.request_stop();
    }
    {
        std::lock_guard lock(m_pplMutex);
        m_pplPending.reset();
        m_pplStop.request_stop();
        m_costPending.clear();
        for (auto& [channel, source] : m_costStop) source.request_stop();
    }
    m_thread.request_stop();  // wakes the condition variable wait
    m_thread.join();
    m_pplThread.request_stop();
    m_pplThread.join();
}

// ---- GUI thread: requests ----

void TraceController::loadModel(const QString& modelPath, const QString& tokenizerPath) {
    m_coalesce.stop();
    m_textDirty = m_samplerDirty = false;
    Request r = makeRequest(Work::Trace);
    r.load = LoadSpec{modelPath, tokenizerPath};
    // A new vocabulary may split the text differently: re-encode the text.
    r.useTokens = false;
    m_useTokens = false;
    submit(std::move(r));
}

void TraceController::setPrompt(const QString& text) {
    if (text == m_text && !m_useTokens) return;
    m_text = text;
    m_useTokens = false;
    m_textDirty = true;
    if (!m_coalesce.isActive()) m_coalesce.start();
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
    // Not restarted while running: a continuous drag fires at most once per interval.
    if (!m_coalesce.isActive()) m_coalesce.start();
}

void TraceController::setThreadCount(int n) { m_threads = n; }

void TraceController::setSimSettings(const anatomy::SimSettings& s) {
    if (s == m_sim) return;
    m_sim = s;
    if (m_generating) return;  // applies to the next request; a running generation keeps its own
    if (!m_useTokens && m_text.isEmpty() && !m_input.trace) return;
    // Re-trace exactly what is shown, coalesced with the slider's other moves.
    if (m_input.trace) {
        m_tokens = m_input.trace->tokens;
        m_useTokens = true;
    }
    m_textDirty = true;
    if (!m_coalesce.isActive()) m_coalesce.start();
}

void TraceController::setCaptureSpec(const anatomy::CaptureSpec& spec) {
    m_spec = spec;
    const anatomy::Trace* t = m_input.trace.get();
    if (!t || m_generating) return;
    const bool lacks = (spec.attention && !t->spec.attention) || (spec.qk && !t->spec.qk) ||
                       (spec.residual && !t->spec.residual) || (spec.ffn && !t->spec.ffn) ||
                       (spec.logitLens && !t->spec.logitLens) ||
                       (spec.logits != anatomy::CaptureSpec::Logits::None &&
                        t->spec.logits == anatomy::CaptureSpec::Logits::None);
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

void TraceController::stop() {
    std::lock_guard lock(m_mutex);
    m_jobStop.request_stop();
}

void TraceController::flushCoalesced() {
    if (m_textDirty) {
        m_textDirty = m_samplerDirty = false;
        submit(makeRequest(Work::Trace));  // the result carries the current sampler settings
    } else if (m_samplerDirty) {
        m_samplerDirty = false;
        if (!m_input.trace) return;
        m_input.sampler = m_sampler;
        Q_EMIT traceReady(m_input, m_settled);
    }
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
    r.generation = ++m_latest;
    {
        std::lock_guard lock(m_mutex);
        // A pending load is never lost to a later trace: the model must change first.
        if (m_pending && m_pending->load && !r.load) r.load = m_pending->load;
        m_pending = std::move(r);
        m_jobStop.request_stop();  // latest wins: the running request stops between layers
    }
    m_cv.notify_one();
    setBusy(true);
    return m_latest;
}

bool TraceController::isIdle() const {
    return m_settled >= m_latest && !m_coalesce.isActive();
}

bool TraceController::waitForIdle(int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (!isIdle()) {
        if (timer.elapsed() > timeoutMs) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        if (!isIdle()) QThread::msleep(1);
    }
    return true;
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
    if (gen != m_latest) return;  // stale: a newer request has been made since
    m_input.trace = std::move(trace);
    m_input.tokenizer = m_tokenizer;
    m_input.sampler = m_sampler;  // sampling is applied to the trace's logits now: the current one
    // The settings the trace was computed under, not m_sim: a slider moved since this request
    // was made has its own request coming, and the views must not draw this trace with it.
    m_input.sim = sim;
    m_lastError.clear();
    Q_EMIT traceTimed(ms);
    Q_EMIT traceReady(m_input, gen);
}

void TraceController::settle(quint64 gen) {
    if (gen > m_settled) m_settled = gen;
    if (gen == m_latest) m_generating = false;
    if (isIdle()) setBusy(false);
}

// ---- worker thread ----

void TraceController::workerLoop(std::stop_token quit) {
    for (;;) {
        Request r;
        std::stop_token jobStop;
        {
            std::unique_lock lock(m_mutex);
            if (!m_cv.wait(lock, quit, [this] { return m_pending.has_value(); })) return;
            r = std::move(*m_pending);
            m_pending.reset();
            m_jobStop = std::stop_source();
            jobStop = m_jobStop.get_token();
        }
        runRequest(r, jobStop);
    }
}

std::vector<int> TraceController::requestTokens(const Request& r) const {
    std::vector<int> ids = r.useTokens ? r.tokens : m_worker.tokenizer->encode(r.text, true);
    if (ids.empty()) ids.push_back(m_worker.tokenizer->bosId());
    const int limit = std::min(kMaxTraceTokens, std::max(1, m_worker.model->config.seqLen) * 2);
    if (static_cast<int>(ids.size()) > limit) ids.resize(static_cast<size_t>(limit));
    return ids;
}

void TraceController::postTrace(quint64 gen, std::shared_ptr<const anatomy::Trace> trace,
                                double ms, const anatomy::SimSettings& sim) {
    QMetaObject::invokeMethod(
        this,
        [this, gen, trace = std::move(trace), ms, sim]() mutable { deliverTrace(gen, std::move(trace), ms, sim); },
        Qt::QueuedConnection);
}

void TraceController::postSettled(quint64 gen) {
    QMetaObject::invokeMethod(this, [this, gen] { settle(gen); }, Qt::QueuedConnection);
}

void TraceController::runRequest(Request& r, std::stop_token stop) {
    const quint64 gen = r.generation;
    // 1. Load, if asked. The worker's model changes only when the new one is complete.
    if (r.load) {
        try {
            const std::string path = r.load->modelPath.toStdString();
            anatomy::verifyKnownModel(path);
            std::shared_ptr<const anatomy::Model> model = anatomy::loadModel(path);
            std::shared_ptr<const anatomy::Tokenizer> tok;
            QString tokPath = r.load->tokenizerPath;
            if (tokPath.isEmpty() && model->embeddedTokenizer) {
                tok = std::make_shared<const anatomy::Tokenizer>(*model->embeddedTokenizer);
            } else {
                if (tokPath.isEmpty())
                    tokPath = QString::fromStdString(anatomy::defaultTokenizerPath(path));
                if (tokPath.isEmpty())
                    throw anatomy::Error(path + ": no tokenizer found (the file has no embedded "
                                                "vocabulary and no tok*.bin lies beside it)");
                tok = std::make_shared<const anatomy::Tokenizer>(anatomy::Tokenizer::fromLlama2cFile(
                    tokPath.toStdString(), model->config.vocabSize));
            }
            ModelInfo info;
            info.modelPath = r.load->modelPath;
            info.tokenizerPath = model->embeddedTokenizer && r.load->tokenizerPath.isEmpty()
                                     ? QString()
                                     : tokPath;
            info.format = QString::fromUtf8(anatomy::formatName(model->format));
            info.config = model->config;
            m_worker.model = model;
            m_worker.tokenizer = tok;
            m_worker.info = info;
            QMetaObject::invokeMethod(
                this,
                [this, model, tok, info] {
                    m_model = model;
                    m_tokenizer = tok;
                    m_modelInfo = info;
                    m_input = ViewInput{};
                    Q_EMIT modelLoaded(info);
                },
                Qt::QueuedConnection);
        } catch (const std::exception& e) {
            const QString msg = QString::fromUtf8(e.what());
            QMetaObject::invokeMethod(
                this,
                [this, msg] {
                    m_lastError = msg;
                    Q_EMIT loadFailed(msg);
                },
                Qt::QueuedConnection);
            if (!m_worker.model) {  // nothing to trace with
                postSettled(gen);
                return;
            }
        }
    }
    if (r.work == Work::None || !m_worker.model) {
        postSettled(gen);
        return;
    }
    if (r.threads != m_worker.threads) {
        anatomy::setThreadCount(r.threads);
        m_worker.threads = r.threads;
    }

    const anatomy::CaptureSpec& spec = r.spec;
    try {
        std::vector<int> ids = requestTokens(r);
        if (r.work == Work::Trace) {
            // 2a. One traced forward pass over the whole text.
            const auto t0 = Clock::now();
            auto trace = anatomy::traceTokens(m_worker.model, ids, spec, r.sim, m_worker.tokenizer.get(), stop);
            postTrace(gen, std::move(trace), msSince(t0), r.sim);
        } else {
            // 2b. Generation: prefill once, then decode token by token from the KV cache,
            // streaming each token; a trace of the whole text now and then keeps the views live.
            anatomy::Session session(m_worker.model);
            session.setSettings(r.sim);
            anatomy::Sampler sampler(r.sampler);
            std::vector<float> logits(session.forward(ids, false, nullptr, stop));
            auto lastTrace = Clock::now();
            double traceCost = 0.0;
            int produced = 0;
            const auto tDecode = Clock::now();
            for (int i = 0; i < r.nNew && !stop.stop_requested(); ++i) {
                const int next = sampler.sample(logits, ids);
                if (next == m_worker.tokenizer->bosId() || next == m_worker.tokenizer->eosId()) break;
                const QString piece =
                    QString::fromStdString(m_worker.tokenizer->decode(ids.back(), next));
                ids.push_back(next);
                ++produced;
                QMetaObject::invokeMethod(
                    this,
                    [this, gen, piece, next] {
                        if (gen == m_latest) Q_EMIT tokenGenerated(piece, next);
                    },
                    Qt::QueuedConnection);
                if (static_cast<int>(ids.size()) >= kMaxTraceTokens) break;
                try {
                    if (i + 1 < r.nNew) {
                        const int one[1] = {next};
                        logits = session.forward(one, false, nullptr, stop);
                    }
                    // Trace when that costs at most a fifth of the time (and at most ~20 Hz).
                    if (msSince(lastTrace) > std::max(50.0, 4.0 * traceCost)) {
                        const auto t0 = Clock::now();
                        auto trace = anatomy::traceTokens(m_worker.model, ids, spec, r.sim,
                                                          m_worker.tokenizer.get(), stop);
                        traceCost = msSince(t0);
                        postTrace(gen, std::move(trace), traceCost, r.sim);
                        lastTrace = Clock::now();
                    }
                } catch (const anatomy::Cancelled&) {
                    break;  // Stop (or a newer request): keep what was generated so far
                }
            }
            const double decodeMs = msSince(tDecode);
            // The final picture covers everything generated, also after Stop.
            bool superseded = false;
            {
                std::lock_guard lock(m_mutex);
                superseded = m_pending.has_value();
            }
            if (!superseded) {
                const auto t0 = Clock::now();
                auto trace = anatomy::traceTokens(m_worker.model, ids, spec, r.sim, m_worker.tokenizer.get());
                postTrace(gen, std::move(trace), msSince(t0), r.sim);
            }
            const double tps = produced > 0 && decodeMs > 0 ? produced * 1000.0 / decodeMs : 0.0;
            QMetaObject::invokeMethod(
                this,
                [this, gen, produced, tps, ids] {
                    if (gen != m_latest) return;
                    m_tokens = ids;
                    m_useTokens = true;
                    if (m_tokenizer) {
                        const bool bos = !ids.empty() && ids.front() == m_tokenizer->bosId();
                        m_text = QString::fromStdString(m_tokenizer->decodeAll(
                            std::vector<int>(ids.begin() + (bos ? 1 : 0), ids.end())));
                    }
                    Q_EMIT generationFinished(produced, tps);
                },
                Qt::QueuedConnection);
        }
    } catch (const anatomy::Cancelled&) {
        // Superseded or stopped: a newer request (or none) decides what is shown.
    } catch (const std::exception& e) {
        const QString msg = QString::fromUtf8(e.what());
        QMetaObject::invokeMethod(
            this,
            [this, gen, msg] {
                if (gen != m_latest) return;
                m_lastError = msg;
                Q_EMIT traceFailed(msg);
            },
            Qt::QueuedConnection);
    }
    postSettled(gen);
}

// ---- perplexity ----

QString describeWindow(const PerplexityWindow& w) {
    const QString name = w.textPath.contains(QLatin1String("tinystories"), Qt::CaseInsensitive)
                             ? QStringLiteral("TinyStories")
                             : QFileInfo(w.textPath).fileName();
    const QString unit = w.unit == PerplexityWindow::Unit::Tokens ? QStringLiteral("tokens") : QStringLiteral("characters");
    return QStringLiteral("%1 %2 %3\u2013%4, context %5")
        .arg(name, unit)
        .arg(w.start)
        .arg(w.start + w.length)
        .arg(w.context);
}

quint64 TraceController::requestPerplexity(const PerplexityWindow& window) {
    PerplexityRequest r;
    r.number = ++m_pplLatest;
    r.window = window;
    r.sim = m_sim;
    r.model = m_model;
    r.tokenizer = m_tokenizer;
    {
        std::lock_guard lock(m_pplMutex);
        m_pplPending = std::move(r);
        m_pplStop.request_stop();  // latest wins
    }
    m_pplCv.notify_one();
    return m_pplLatest;
}

quint64 TraceController::requestPerplexityCosts(const PerplexityWindow& window,
                                                const std::map<QString, QStringList>& rows, const QString& channel) {
    CostRequest r;
    r.number = ++m_costLatest;
    r.channel = channel;
    m_costChannels[channel].latest = r.number;
    r.window = window;
    r.model = m_model;
    r.tokenizer = m_tokenizer;
    for (const auto& [key, lines] : rows) {
        // As trained + the row: the assignments start from the defaults, not from m_sim.
        QString err;
        if (auto sim = settingsFromAssignments(lines, &err)) r.rows.emplace_back(key, std::move(*sim));
        else r.errors[key] = err;
    }
    {
        std::lock_guard lock(m_pplMutex);
        m_costPending[channel] = std::move(r);
        m_costStop[channel].request_stop();  // latest wins, within the channel
    }
    m_pplCv.notify_one();
    return m_costLatest;
}

void TraceController::cancelPerplexityCosts(const QString& channel) {
    {
        std::lock_guard lock(m_pplMutex);
        m_costPending.erase(channel);
        if (auto it = m_costStop.find(channel); it != m_costStop.end()) it->second.request_stop();
    }
    // A new number no batch carries: the cancelled batch's late result is not the latest.
    CostChannel& c = m_costChannels[channel];
    c.latest = c.settled = ++m_costLatest;
}

bool TraceController::perplexityCostsBusy() const {
    return std::any_of(m_costChannels.begin(), m_costChannels.end(),
                       [](const auto& c) { return c.second.settled < c.second.latest; });
}

bool TraceController::perplexityCostsBusy(const QString& channel) const {
    const auto it = m_costChannels.find(channel);
    return it != m_costChannels.end() && it->second.settled < it->second.latest;
}

bool TraceController::waitForPerplexity(int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (perplexityBusy()) {
        if (timer.elapsed() > timeoutMs) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        if (perplexityBusy()) QThread::msleep(1);
    }
    return true;
}

bool TraceController::waitForPerplexityCosts(int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (perplexityCostsBusy()) {
        if (timer.elapsed() > timeoutMs) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        if (perplexityCostsBusy()) QThread::msleep(1);
    }
    return true;
}

void TraceController::perplexityLoop(std::stop_token quit) {
    for (;;) {
        std::optional<PerplexityRequest> read;
        std::optional<CostRequest> batch;
        std::stop_token stop;
        {
            std::unique_lock lock(m_pplMutex);
            if (!m_pplCv.wait(lock, quit, [this] { return m_pplPending.has_value() || !m_costPending.empty(); }))
                return;
            // The read-out follows the knobs the user is moving: it goes first.
            if (m_pplPending) {
                read = std::move(m_pplPending);
                m_pplPending.reset();
                m_pplStop = std::stop_source();
                stop = m_pplStop.get_token();
            } else {
                // The oldest waiting batch first, so no channel starves another.
                auto oldest = std::min_element(m_costPending.begin(), m_costPending.end(), [](const auto& a, const auto& b) {
                    return a.second.number < b.second.number;
                });
                batch = std::move(oldest->second);
                m_costPending.erase(oldest);
                std::stop_source& source = m_costStop[batch->channel];
                source = std::stop_source();
                stop = source.get_token();
            }
        }
        if (read) runPerplexity(*read, stop);
        else runCosts(*batch, stop);
    }
}

std::vector<int> TraceController::windowIds(const PerplexityWindow& w,
                                            const std::shared_ptr<const anatomy::Model>& model,
                                            const anatomy::Tokenizer& tok) {
    PerplexityCache& c = m_pplCache;
    // 1. The text: the file is read once and kept (the corpus is a few hundred kB).
    if (c.textPath != w.textPath || c.text.empty()) {
        std::ifstream in(w.textPath.toStdString(), std::ios::binary);
        if (!in) throw anatomy::Error(w.textPath.toStdString() + ": cannot open the text file");
        std::stringstream buf;
        buf << in.rdbuf();
        c = PerplexityCache{};
        c.textPath = w.textPath;
        c.text = buf.str();
        if (c.text.empty()) throw anatomy::Error(w.textPath.toStdString() + ": the file is empty");
    }
    if (c.model != model.get()) {
        c.model = model.get();
        c.fileTokens.clear();
        c.baseline.reset();
    }
    // 2. The window's ids, BOS first (perplexity.h's protocol).
    std::vector<int> ids;
    if (w.unit == PerplexityWindow::Unit::Tokens) {
        if (c.fileTokens.empty()) c.fileTokens = tok.encode(c.text, false);
        const qint64 total = qint64(c.fileTokens.size());
        const qint64 b = std::clamp<qint64>(w.start, 0, total);
        const qint64 e = std::clamp<qint64>(b + std::max<qint64>(w.length, 0), b, total);
        ids.reserve(size_t(e - b + 1));
        ids.push_back(tok.bosId());
        ids.insert(ids.end(), c.fileTokens.begin() + b, c.fileTokens.begin() + e);
    } else {
        // Characters of the UTF-8 file: decode the slice through QString.
        const QString all = QString::fromUtf8(c.text.data(), qsizetype(c.text.size()));
        const QString slice = all.mid(std::max<qint64>(w.start, 0), std::max<qint64>(w.length, 0));
        ids = tok.encode(slice.toStdString(), true);
    }
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

void TraceController::runPerplexity(PerplexityRequest& r, std::stop_token stop) {
    const quint64 n = r.number;
    auto settle = [this, n] {
        if (n > m_pplSettled) m_pplSettled = n;
    };
    try {
        if (!r.model || !r.tokenizer) throw anatomy::Error("no model loaded");
        const PerplexityWindow& w = r.window;
        const std::vector<int> ids = windowIds(w, r.model, *r.tokenizer);
        // 3. As trained (cached per window); then with the settings.
        PerplexityReport report;
        report.window = w;
        report.settings = QString::fromStdString(anatomy::describe(r.sim));
        report.baseline = baselineFor(w, ids, r.model, stop);
        report.result = r.sim == anatomy::SimSettings{}
                            ? report.baseline
                            : anatomy::computePerplexity(r.model, ids, w.context, r.sim, stop);
        QMetaObject::invokeMethod(
            this,
            [this, n, report, settle] {
                settle();
                if (n == m_pplLatest) Q_EMIT perplexityReady(report, n);
            },
            Qt::QueuedConnection);
    } catch (const anatomy::Cancelled&) {
        QMetaObject::invokeMethod(this, settle, Qt::QueuedConnection);  // a newer request follows
    } catch (const std::exception& e) {
        const QString msg = QString::fromUtf8(e.what());
        QMetaObject::invokeMethod(
            this,
            [this, n, msg, settle] {
                settle();
                if (n == m_pplLatest) Q_EMIT perplexityFailed(msg, n);
            },
            Qt::QueuedConnection);
    }
}

void TraceController::runCosts(CostRequest& r, std::stop_token stop) {
    const quint64 n = r.number;
    const QString channel = r.channel;
    auto settle = [this, n, channel] {
        CostChannel& c = m_costChannels[channel];
        if (n > c.settled) c.settled = n;
    };
    auto latest = [this, channel] { return m_costChannels[channel].latest; };
    try {
        if (!r.model || !r.tokenizer) throw anatomy::Error("no model loaded");
        const PerplexityWindow& w = r.window;
        const std::vector<int> ids = windowIds(w, r.model, *r.tokenizer);
        PerplexityCosts out;
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
        QMetaObject::invokeMethod(
            this,
            [this, n, out, settle, latest] {
                settle();
                if (n == latest()) Q_EMIT perplexityCostsReady(out, n);
            },
            Qt::QueuedConnection);
    } catch (const anatomy::Cancelled&) {
        QMetaObject::invokeMethod(this, settle, Qt::QueuedConnection);  // a newer batch follows
    } catch (const std::exception& e) {
        const QString msg = QString::fromUtf8(e.what());
        QMetaObject::invokeMethod(
            this,
            [this, n, msg, settle, latest] {
                settle();
                if (n == latest()) Q_EMIT perplexityCostsFailed(msg, n);
            },
            Qt::QueuedConnection);
    }
}

}  // namespace anatomy::widgets
