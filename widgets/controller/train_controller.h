#pragma once
// The Train view's one way to the engine: trains a config (anatomy::train, train.h) on the job
// tracker's worker thread, so the GUI thread never waits for a step. Every log line comes back
// to the GUI thread (lineLogged) and is kept in history(); Stop asks the trainer to stop between
// steps (it writes its checkpoint, so Resume continues bit for bit where it stopped).
#include <QObject>
#include <QString>
#include <QStringList>
#include <vector>

#include "anatomy/train.h"
#include "controller/job_tracker.h"

namespace anatomy::widgets {

class TrainController : public QObject {
    Q_OBJECT
public:
    explicit TrainController(QObject* parent = nullptr);

    // Trains the config file into the user's model folder (defaultTrainOutputDir) as
    // <config name>.bin or .gguf (designs beyond llama2.c's layout), or into out when given.
    // resume: continue from that model's checkpoint when one exists (history is kept), else
    // start afresh (history cleared). An unreadable config fails at once (failed()).
    void start(const QString& configPath, bool resume, const QString& out = {});
    void stop();
    bool running() const { return m_running; }

    const std::vector<anatomy::TrainLogLine>& history() const { return m_history; }
    const anatomy::TrainConfig* config() const { return m_hasConfig ? &m_config : nullptr; }
    QString modelPath() const { return m_modelPath; }
    // Whether the app's views run the trained model (plain Llama or llama2.c's layout, with
    // openSettings() applied), and those simulator settings ("norm.placement=post", ...).
    bool canOpen() const;
    QStringList openSettings() const;
    // Spins the event loop until the run has ended (tests, screenshots); true when it did.
    bool waitForIdle(int timeoutMs);

Q_SIGNALS:
    void started();
    void lineLogged(const anatomy::TrainLogLine& line);
    void finished(const QString& modelPath);  // the model is written
    void stopped();                           // by Stop; the checkpoint is written
    void failed(const QString& message);

private:
    anatomy::TrainConfig m_config;
    bool m_hasConfig = false;
    bool m_running = false;
    QString m_modelPath;
    std::vector<anatomy::TrainLogLine> m_history;
    JobTracker m_jobs;  // last: destroyed first, so the worker stops and joins before the rest goes
};

}  // namespace anatomy::widgets
