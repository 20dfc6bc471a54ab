#include "controller/train_controller.h"

#include <QDir>
#include <QFileInfo>

#include "anatomy/error.h"

namespace anatomy::widgets {

namespace {
const QString kTrainChannel = QStringLiteral("train");
}

TrainController::TrainController(QObject* parent) : QObject(parent) {
    connect(&m_jobs, &JobTracker::settled, this, [this](const QString&, quint64) {
        if (!m_jobs.busy(kTrainChannel)) m_running = false;
    });
}

void TrainController::start(const QString& configPath, bool resume, const QString& out) {
    if (m_running) return;
    try {
        m_config = anatomy::loadTrainConfig(configPath.toStdString());
        m_hasConfig = true;
    } catch (const std::exception& e) {
        Q_EMIT failed(QString::fromUtf8(e.what()));
        return;
    }
    anatomy::TrainRunOptions run;
    if (out.isEmpty()) {
        try {
            const QString name = QFileInfo(configPath).completeBaseName();
            const QString dir = QString::fromStdString(anatomy::defaultTrainOutputDir());
            m_modelPath = QDir(dir).filePath(name + (m_config.shape.llama2cLayout() ? QStringLiteral(".bin")
                                                                                     : QStringLiteral(".gguf")));
        } catch (const std::exception& e) {
            Q_EMIT failed(QString::fromUtf8(e.what()));
            return;
        }
    } else {
        m_modelPath = out;
    }
    run.out = m_modelPath.toStdString();
    const QString checkpoint = m_modelPath + QStringLiteral(".ckpt");
    if (resume && QFileInfo::exists(checkpoint)) {
        run.resume = checkpoint.toStdString();
        // The history shown continues; lines of steps the checkpoint has not reached are dropped.
    } else {
        m_history.clear();
    }
    m_running = true;
    Q_EMIT started();
    const anatomy::TrainConfig config = m_config;
    m_jobs.submit(kTrainChannel, [this, config, run](const JobContext& ctx) {
        try {
            const anatomy::TrainResult r = anatomy::train(
                config, run,
                [&](const anatomy::TrainLogLine& line) {
                    ctx.post([this, line] {
                        while (!m_history.empty() && m_history.back().step >= line.step) m_history.pop_back();
                        m_history.push_back(line);
                        Q_EMIT lineLogged(line);
                    });
                },
                ctx.stopToken());
            const QString path = QString::fromStdString(r.modelPath);
            ctx.post([this, path] {
                m_running = false;
                Q_EMIT finished(path);
            });
        } catch (const anatomy::Cancelled&) {
            ctx.post([this] {
                m_running = false;
                Q_EMIT stopped();
            });
        } catch (const std::exception& e) {
            const QString message = QString::fromUtf8(e.what());
            ctx.post([this, message] {
                m_running = false;
                Q_EMIT failed(message);
            });
        }
    }, JobOptions{.detach = true});  // it reaches the controller only through ctx.post
}

void TrainController::stop() { m_jobs.stopRunning(kTrainChannel); }

bool TrainController::canOpen() const {
    // A .bin holds llama2.c's layout; a .gguf (llama or anatomy-train) every design the inference
    // engine runs (gguf_anatomy_train.cpp): every design the trainer trains.
    const anatomy::TrainShape& s = m_config.shape;
    const bool runs = s.llama2cLayout() || m_modelPath.endsWith(QStringLiteral(".gguf"));
    return m_hasConfig && runs && !m_modelPath.isEmpty() && QFileInfo::exists(m_modelPath);
}

QStringList TrainController::openSettings() const {
    QStringList out;
    // A GGUF states its architecture itself; the --set options are for llama2.c .bin files.
    if (!m_hasConfig || m_modelPath.endsWith(QStringLiteral(".gguf"))) return out;
    for (const std::string& s : anatomy::trainOpenSettings(m_config.shape)) out << QString::fromStdString(s);
    return out;
}

bool TrainController::waitForIdle(int timeoutMs) {
    return processEventsUntil([this] { return !m_running; }, timeoutMs);
}

}  // namespace anatomy::widgets
