#pragma once
// The Decoding view's way to the engine: beam search, best-of-N / self-consistency and strategies
// side by side (anatomy/decoding.h, the functions anatomy-cli decode calls), each on its own
// channel of one JobTracker (latest wins, cancellable between layers, never on the GUI thread).
// Beam search streams the tree after every step; samples arrive one by one.
//
// All public functions and signals live on the GUI thread.
#include <QObject>
#include <QString>
#include <atomic>
#include <memory>
#include <vector>

#include "anatomy/decoding.h"
#include "anatomy/sim_settings.h"
#include "controller/job_tracker.h"

namespace anatomy {
class Model;
class Tokenizer;
}  // namespace anatomy

namespace anatomy::widgets {

struct BeamRun {
    anatomy::BeamResult result;  // the tree so far; ranked when result.done
    int width = 4;
    double lengthPenalty = 1.0;
    int maxNewTokens = 32;
    std::vector<int> prompt;
};

struct SampleRun {
    std::vector<anatomy::DecodedSample> samples;  // answers filled from regex
    anatomy::SampleScorer scorer = anatomy::SampleScorer::MeanLogprob;
    int best = -1;                // by scorer
    anatomy::VoteResult vote;
    QString regex;
    QString regexError;           // why regex could not be used (then no answers)
    QString promptText;           // searched before each sample's text
    int requested = 0;            // N
    bool done = false;
};

struct CompareRun {
    std::vector<anatomy::VariantOutput> outputs;
    bool done = false;
};

class DecodingController : public QObject {
    Q_OBJECT
public:
    explicit DecodingController(QObject* parent = nullptr);
    ~DecodingController() override;

    // What to decode with: the loaded model, its tokenizer and the simulator's settings.
    void setSource(std::shared_ptr<const anatomy::Model> model, std::shared_ptr<const anatomy::Tokenizer> tokenizer,
                   const anatomy::SimSettings& sim);
    bool hasModel() const { return m_model != nullptr; }
    const std::shared_ptr<const anatomy::Tokenizer>& tokenizer() const { return m_tokenizer; }

    // Beam search one step per request (the Step button computes exactly one step): startBeam
    // sets up a search and computes nothing; advanceBeam(k) computes steps until the tree has k
    // (or the search is done), each delivered as beamStepped when computed. A newer request
    // takes over between steps; Stop and a new search cancel within a step (the search is then
    // rebuilt on the next request and its steps so far recomputed without being shown: the same
    // tree, the search is deterministic). runBeam = startBeam + advanceBeam(maxNewTokens).
    void startBeam(const std::vector<int>& prompt, int width, double lengthPenalty, int maxNewTokens);
    quint64 advanceBeam(int steps);
    quint64 runBeam(const std::vector<int>& prompt, int width, double lengthPenalty, int maxNewTokens);
    bool beamBusy() const;
    // Steps computed by the engine since the controller was made (each press of Step adds one).
    long long beamStepsComputed() const { return m_beamStepsComputed; }
    quint64 runSamples(const std::vector<int>& prompt, const QString& promptText,
                       const anatomy::SamplerSettings& sampler, int n, int maxNewTokens, const QString& regex,
                       anatomy::SampleScorer scorer);
    quint64 runCompare(const std::vector<int>& prompt, const std::vector<anatomy::DecodeVariant>& variants,
                       int maxNewTokens);
    // Stops every running job and drops the waiting ones; what they produced so far stays on screen.
    void stop();
    bool busy() const { return m_jobs.busy(); }
    bool waitForIdle(int timeoutMs);

    // Answers and the vote for another regex over the same samples (no resampling).
    static SampleRun withAnswers(SampleRun run, const QString& regex);
    // "greedy; beam:4; temperature=0.8,seed=3" -> variants over base; error names the bad one.
    static std::vector<anatomy::DecodeVariant> parseVariants(const QString& list,
                                                             const anatomy::SamplerSettings& base,
                                                             QString* error);

Q_SIGNALS:
    void beamStepped(const anatomy::widgets::BeamRun& run);  // after every step, the last one done
    void samplesUpdated(const anatomy::widgets::SampleRun& run);
    void compareUpdated(const anatomy::widgets::CompareRun& run);
    void failed(const QString& what, const QString& message);
    void busyChanged(bool busy);

private:
    struct BeamJob;  // one search: its settings, its cancel source and (worker side) its state
    std::shared_ptr<BeamJob> m_beam;
    std::atomic<long long> m_beamStepsComputed{0};
    int m_beamShownSteps = 0;  // steps of the last tree delivered (GUI thread)
    std::shared_ptr<const anatomy::Model> m_model;
    std::shared_ptr<const anatomy::Tokenizer> m_tokenizer;
    anatomy::SimSettings m_sim;
    JobTracker m_jobs;
};

}  // namespace anatomy::widgets
