#pragma once
// The one latest-wins job primitive every background job goes through (KDAB hotspot's
// jobtracker is the pattern). A tracker owns one worker thread and serves named channels; each
// channel is a one-slot mailbox:
//   submit(channel, work)  issues a job number (unique within the tracker), replaces the
//                          channel's waiting job and asks its running job to stop
//                          (std::stop_token, checked by the engine between layers);
//   deliver(fn)            run on the GUI thread only while the job is still its channel's
//                          latest, so a stale result never reaches a view;
//   settled(channel, n)    once job n has returned; busy(channel) until the latest has.
// Channels share the worker: a waiting job of a higher priority goes first, then the oldest, so
// no channel starves another. A job submitted with keep (loading a model) is not displaced by a
// later ordinary job of its channel: it runs first, then the latest of the others.
//
// All public functions are called on the thread that owns the tracker (the GUI thread); the
// work runs on the worker thread and sees only its JobContext.
//
// Destroying a tracker stops and joins its worker, except while a job submitted with `detach`
// runs: then the GUI thread does not wait for it (a training step on a loaded machine can take
// seconds). The worker finishes that job on its own, delivers nothing, and is joined by
// joinDetachedWorkers() (the app calls it as it exits) or at static destruction.
#include <QObject>
#include <memory>
#include <QString>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>

namespace anatomy::widgets {

class JobTracker;

// What a running job sees: its number, its stop token and the way back to the GUI thread.
class JobContext {
public:
    struct Shared;
    quint64 number() const { return m_number; }
    const QString& channel() const { return m_channel; }
    std::stop_token stopToken() const { return m_stop; }
    bool stopRequested() const { return m_stop.stop_requested(); }
    // A newer job has been submitted on this channel (Stop alone stops without superseding).
    bool superseded() const;
    // Runs fn on the GUI thread if, when it gets there, this job is still its channel's latest.
    void deliver(std::function<void()> fn) const;
    // Runs fn on the GUI thread whatever came since: state later jobs rely on (a loaded model).
    void post(std::function<void()> fn) const;

private:
    friend class JobTracker;
    JobContext(std::shared_ptr<Shared> shared, QString channel, quint64 number, std::stop_token stop)
        : m_shared(std::move(shared)), m_channel(std::move(channel)), m_number(number), m_stop(std::move(stop)) {}
    std::shared_ptr<Shared> m_shared;
    QString m_channel;
    quint64 m_number;
    std::stop_token m_stop;
};

struct JobOptions {
    int priority = 0;   // among waiting jobs of different channels: higher first, then the oldest
    bool keep = false;  // displaced only by a later kept job of its channel
    // The work touches nothing of its owner but through its JobContext (deliver, post, the stop
    // token): a tracker destroyed while it runs hands it off instead of waiting for it.
    bool detach = false;
};

// Joins the workers of destroyed trackers that were still finishing a detached job. Call it
// on the GUI thread once no tracker is left to deliver to (after the event loop).
void joinDetachedWorkers();

class JobTracker : public QObject {
    Q_OBJECT
public:
    using Work = std::function<void(const JobContext&)>;

    explicit JobTracker(QObject* parent = nullptr);
    // Drops the waiting jobs, stops the running one and joins the worker: no work runs and
    // nothing is delivered after it.
    ~JobTracker() override;
    JobTracker(const JobTracker&) = delete;
    JobTracker& operator=(const JobTracker&) = delete;

    // Queues work as the channel's latest job; returns its number.
    quint64 submit(const QString& channel, Work work, JobOptions options = {});
    // Asks the channel's running job to stop; the waiting one (if any) still runs.
    void stopRunning(const QString& channel);
    // Drops the channel's waiting jobs and stops its running one; nothing of them is delivered.
    // Returns the number the channel's latest now has (issued for no job).
    quint64 cancel(const QString& channel);

    // The channel's latest job number (0 before any job) and whether it has not returned yet.
    quint64 latest(const QString& channel) const;
    bool busy(const QString& channel) const;
    bool busy() const;  // any channel
    bool isLatest(const QString& channel, quint64 number) const { return number == latest(channel); }
    // The newest number issued on any channel.
    quint64 lastIssued() const { return m_issued; }

Q_SIGNALS:
    // Job `number` of `channel` has returned (delivered, failed or cancelled); emitted after
    // everything it delivered.
    void settled(const QString& channel, quint64 number);

private:
    // GUI-thread state of a channel.
    struct Numbers {
        quint64 latest = 0;
        quint64 settled = 0;
    };
    friend class JobContext;

    static void workerLoop(const std::shared_ptr<JobContext::Shared>& shared, std::stop_token quit);
    void markSettled(const QString& channel, quint64 number);  // GUI thread

    quint64 m_issued = 0;                  // GUI thread
    std::map<QString, Numbers> m_numbers;  // GUI thread
    // The worker's state (jobs, stop sources, the way back here): the worker holds it too, so
    // a handed-off worker outlives the tracker safely.
    std::shared_ptr<JobContext::Shared> m_shared;
    std::jthread m_thread;                 // last member: joins (or is handed off) first
};

// Spins the event loop until done() or the timeout; true when done. For headless use and tests.
bool processEventsUntil(const std::function<bool()>& done, int timeoutMs);

}  // namespace anatomy::widgets
