#include "controller/decoding_controller.h"

#include <QCoreApplication>

#include "anatomy/error.h"
#include "anatomy/session.h"
#include "anatomy/tokenizer.h"

namespace anatomy::widgets {

namespace {
const QString kBeam = QStringLiteral("beam");
const QString kSamples = QStringLiteral("samples");
const QString kCompare = QStringLiteral("compare");
}  // namespace

DecodingController::DecodingController(QObject* parent) : QObject(parent) {
    connect(&m_jobs, &JobTracker::settled, this, [this](const QString&, quint64) { Q_EMIT busyChanged(m_jobs.busy()); });
}

DecodingController::~DecodingController() = default;

void DecodingController::setSource(std::shared_ptr<const anatomy::Model> model,
                                   std::shared_ptr<const anatomy::Tokenizer> tokenizer, const anatomy::SimSettings& sim) {
    m_model = std::move(model);
    m_tokenizer = std::move(tokenizer);
    m_sim = sim;
}

// One beam search. The settings and the cancel source are set on the GUI thread before any job
// sees them; source and search are touched only by the beam channel's jobs, which run one at a
// time on the tracker's worker.
struct DecodingController::BeamJob {
    std::vector<int> prompt;
    anatomy::BeamOptions options;
    std::stop_source cancel;  // Stop, or a newer search: ends a step midway
    int replayTo = 0;         // steps already on screen: recomputed quietly after a Stop
    std::unique_ptr<anatomy::SessionLogProbs> source;
    std::unique_ptr<anatomy::BeamSearch> search;
};

void DecodingController::startBeam(const std::vector<int>& prompt, int width, double lengthPenalty, int maxNewTokens) {
    if (m_beam) m_beam->cancel.request_stop();
    m_jobs.cancel(kBeam);  // nothing of the old search is delivered any more
    m_beam.reset();
    m_beamShownSteps = 0;
    if (!m_model || !m_tokenizer || prompt.empty()) return;
    auto job = std::make_shared<BeamJob>();
    job->prompt = prompt;
    job->options.width = width;
    job->options.lengthPenalty = lengthPenalty;
    job->options.maxNewTokens = maxNewTokens;
    job->options.stopTokens = anatomy::stopTokensOf(*m_tokenizer);
    job->options.recordPruned = width;  // the best of the rest, drawn as pruned
    m_beam = std::move(job);
}

quint64 DecodingController::advanceBeam(int steps) {
    if (!m_beam || !m_model) return 0;
    const quint64 n = m_jobs.submit(kBeam, [this, model = m_model, sim = m_sim, job = m_beam, steps](const JobContext& ctx) {
        try {
            if (!job->search) {
                job->source = std::make_unique<anatomy::SessionLogProbs>(model, sim, job->prompt);
                job->search = std::make_unique<anatomy::BeamSearch>(*job->source, job->options);
            }
            anatomy::BeamSearch& search = *job->search;
            // A newer request (ctx stopped) takes over between steps; Stop cuts a step short.
            while (!search.done() && search.result().steps < steps && !ctx.stopRequested()) {
                search.step(job->cancel.get_token());
                ++m_beamStepsComputed;
                if (search.result().steps < job->replayTo && search.result().steps < steps && !search.done()) continue;
                BeamRun run{search.result(), job->options.width, job->options.lengthPenalty,
                            job->options.maxNewTokens, job->prompt};
                ctx.deliver([this, run = std::move(run)] {
                    m_beamShownSteps = run.result.steps;
                    Q_EMIT beamStepped(run);
                });
            }
        } catch (const anatomy::Cancelled&) {
            job->search.reset();  // the sessions may be half-fed: start over next time
            job->source.reset();
        } catch (const std::exception& e) {
            job->search.reset();
            job->source.reset();
            const QString m = QString::fromUtf8(e.what());
            ctx.deliver([this, m] { Q_EMIT failed(kBeam, m); });
        }
    });
    Q_EMIT busyChanged(true);
    return n;
}

bool DecodingController::beamBusy() const { return m_jobs.busy(kBeam); }

quint64 DecodingController::runBeam(const std::vector<int>& prompt, int width, double lengthPenalty, int maxNewTokens) {
    startBeam(prompt, width, lengthPenalty, maxNewTokens);
    return advanceBeam(maxNewTokens);
}

SampleRun DecodingController::withAnswers(SampleRun run, const QString& regex) {
    run.regex = regex;
    run.regexError.clear();
    std::optional<anatomy::AnswerPattern> pattern;
    try {
        pattern.emplace(regex.toStdString());
    } catch (const std::exception& e) {
        run.regexError = QString::fromUtf8(e.what());
    }
    std::vector<std::optional<std::string>> answers;
    const std::string prompt = run.promptText.toStdString();
    for (anatomy::DecodedSample& d : run.samples) {
        d.answer = pattern ? pattern->extract(prompt + d.text) : std::nullopt;
        answers.push_back(d.answer);
    }
    run.vote = anatomy::majorityVote(answers);
    run.best = anatomy::bestSample(run.samples, run.scorer);
    return run;
}

quint64 DecodingController::runSamples(const std::vector<int>& prompt, const QString& promptText,
                                       const anatomy::SamplerSettings& sampler, int n, int maxNewTokens,
                                       const QString& regex, anatomy::SampleScorer scorer) {
    if (!m_model || prompt.empty()) return 0;
    const quint64 number = m_jobs.submit(kSamples, [this, model = m_model, tok = m_tokenizer, sim = m_sim, prompt,
                                                    promptText, sampler, n, maxNewTokens, regex,
                                                    scorer](const JobContext& job) {
        try {
            anatomy::Session session(model);
            session.setSettings(sim);
            SampleRun run;
            run.scorer = scorer;
            run.promptText = promptText;
            run.requested = n;
            anatomy::drawSamples(session, *tok, prompt, sampler, n, maxNewTokens,
                                 [&](const anatomy::DecodedSample& d) {
                                     run.samples.push_back(d);
                                     run.done = int(run.samples.size()) == n;
                                     job.deliver([this, r = withAnswers(run, regex)] { Q_EMIT samplesUpdated(r); });
                                     return !job.stopRequested();
                                 }, job.stopToken());
        } catch (const std::exception& e) {
            const QString m = QString::fromUtf8(e.what());
            job.deliver([this, m] { Q_EMIT failed(kSamples, m); });
        }
    });
    Q_EMIT busyChanged(true);
    return number;
}

std::vector<anatomy::DecodeVariant> DecodingController::parseVariants(const QString& list,
                                                                      const anatomy::SamplerSettings& base,
                                                                      QString* error) {
    std::vector<anatomy::DecodeVariant> out;
    for (const QString& part : list.split(QLatin1Char(';'), Qt::SkipEmptyParts)) {
        const QString spec = part.trimmed();
        if (spec.isEmpty()) continue;
        try {
            out.push_back(anatomy::parseDecodeVariant(spec.toStdString(), base));
        } catch (const std::exception& e) {
            if (error) *error = QString::fromUtf8(e.what());
            return {};
        }
    }
    if (out.empty() && error) *error = QObject::tr("no strategy given (e.g. greedy; beam:4; temperature=0.8)");
    return out;
}

quint64 DecodingController::runCompare(const std::vector<int>& prompt,
                                       const std::vector<anatomy::DecodeVariant>& variants, int maxNewTokens) {
    if (!m_model || prompt.empty() || variants.empty()) return 0;
    const quint64 number = m_jobs.submit(kCompare, [this, model = m_model, tok = m_tokenizer, sim = m_sim, prompt,
                                                    variants, maxNewTokens](const JobContext& job) {
        try {
            anatomy::Session session(model);
            session.setSettings(sim);
            CompareRun run;
            for (const anatomy::DecodeVariant& v : variants) {
                run.outputs.push_back(anatomy::runDecodeVariant(session, *tok, prompt, v, maxNewTokens, job.stopToken()));
                run.done = run.outputs.size() == variants.size();
                job.deliver([this, run] { Q_EMIT compareUpdated(run); });
            }
        } catch (const anatomy::Cancelled&) {
        } catch (const std::exception& e) {
            const QString m = QString::fromUtf8(e.what());
            job.deliver([this, m] { Q_EMIT failed(kCompare, m); });
        }
    });
    Q_EMIT busyChanged(true);
    return number;
}

void DecodingController::stop() {
    // cancel, not stopRunning: the labs share one worker, so a lab still waiting behind the
    // running one would otherwise run to its end after Stop.
    for (const QString& c : {kBeam, kSamples, kCompare}) m_jobs.cancel(c);
    if (m_beam) {  // the same search, to be rebuilt by the next request
        m_beam->cancel.request_stop();
        auto fresh = std::make_shared<BeamJob>();
        fresh->prompt = m_beam->prompt;
        fresh->options = m_beam->options;
        fresh->replayTo = m_beamShownSteps;
        m_beam = std::move(fresh);
    }
}

bool DecodingController::waitForIdle(int timeoutMs) {
    const bool idle = processEventsUntil([this] { return !m_jobs.busy(); }, timeoutMs);
    QCoreApplication::processEvents();
    return idle;
}

}  // namespace anatomy::widgets
