#include "controller/job_tracker.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QMetaObject>
#include <QThread>
#include <algorithm>
#include <cstdio>
#include <exception>

#include "anatomy/thread_limit.h"

namespace anatomy::widgets {

struct JobContext::Shared {
    struct Job {
        quint64 number = 0;
        JobTracker::Work work;
        int priority = 0;
        bool detach = false;
    };
    // Worker-side state of a channel.
    struct Slot {
        std::optional<Job> kept;     // runs before `waiting`
        std::optional<Job> waiting;  // the latest ordinary job
        std::stop_source running;    // stops the running job
        quint64 submitted = 0;       // newest number submitted (for superseded())
    };
    std::mutex mutex;
    std::condition_variable_any cv;
    std::map<QString, Slot> slots;  // guarded by mutex
    JobTracker* owner = nullptr;    // guarded by mutex; null once the tracker is being destroyed
    bool runningDetachable = false; // guarded by mutex: the running job was submitted with detach

    // Queues fn to the owner's thread while there is an owner; afterwards it is dropped.
    void toOwner(std::function<void()> fn) {
        std::lock_guard lock(mutex);
        if (owner) QMetaObject::invokeMethod(owner, std::move(fn), Qt::QueuedConnection);
    }
};

namespace {
// Workers of destroyed trackers still finishing a detached job (joinDetachedWorkers).
struct DetachedWorkers {
    std::mutex mutex;
    std::vector<std::jthread> threads;
    ~DetachedWorkers() { join(); }
    void join() {
        std::vector<std::jthread> done;
        {
            std::lock_guard lock(mutex);
            done.swap(threads);
        }
        done.clear();  // each jthread joins as it is destroyed
    }
};
DetachedWorkers& detachedWorkers() {
    static DetachedWorkers w;
    return w;
}
}  // namespace

void joinDetachedWorkers() { detachedWorkers().join(); }

bool JobContext::superseded() const {
    std::lock_guard lock(m_shared->mutex);
    const auto it = m_shared->slots.find(m_channel);
    return it != m_shared->slots.end() && it->second.submitted > m_number;
}

void JobContext::deliver(std::function<void()> fn) const {
    std::lock_guard lock(m_shared->mutex);
    JobTracker* t = m_shared->owner;
    if (!t) return;
    QMetaObject::invokeMethod(
        t,
        [t, channel = m_channel, n = m_number, fn = std::move(fn)] {
            if (t->isLatest(channel, n)) fn();
        },
        Qt::QueuedConnection);
}

void JobContext::post(std::function<void()> fn) const { m_shared->toOwner(std::move(fn)); }

JobTracker::JobTracker(QObject* parent) : QObject(parent), m_shared(std::make_shared<JobContext::Shared>()) {
    m_shared->owner = this;
    m_thread = std::jthread([shared = m_shared](std::stop_token quit) { workerLoop(shared, quit); });
}

JobTracker::~JobTracker() {
    bool handOff = false;
    {
        std::lock_guard lock(m_shared->mutex);
        for (auto& [channel, slot] : m_shared->slots) {
            slot.kept.reset();
            slot.waiting.reset();
            slot.running.request_stop();
        }
        m_shared->owner = nullptr;  // nothing more reaches this object; queued calls die with it
        handOff = m_shared->runningDetachable;
    }
    m_thread.request_stop();  // wakes the condition variable wait
    if (handOff) {
        std::lock_guard lock(detachedWorkers().mutex);
        detachedWorkers().threads.push_back(std::move(m_thread));
    } else {
        m_thread.join();
    }
}

quint64 JobTracker::submit(const QString& channel, Work work, JobOptions options) {
    const quint64 n = ++m_issued;
    m_numbers[channel].latest = n;
    {
        std::lock_guard lock(m_shared->mutex);
        JobContext::Shared::Slot& s = m_shared->slots[channel];
        s.submitted = n;
        JobContext::Shared::Job job{n, std::move(work), options.priority, options.detach};
        // A waiting ordinary job can never deliver now: it is dropped unrun.
        s.waiting.reset();
        if (options.keep) s.kept = std::move(job);
        else s.waiting = std::move(job);
        s.running.request_stop();  // latest wins: the running job stops between layers
    }
    m_shared->cv.notify_one();
    return n;
}

void JobTracker::stopRunning(const QString& channel) {
    std::lock_guard lock(m_shared->mutex);
    if (auto it = m_shared->slots.find(channel); it != m_shared->slots.end()) it->second.running.request_stop();
}

quint64 JobTracker::cancel(const QString& channel) {
    const quint64 n = ++m_issued;
    Numbers& num = m_numbers[channel];
    num.latest = num.settled = n;  // a number no job carries: late results are not the latest
    std::lock_guard lock(m_shared->mutex);
    JobContext::Shared::Slot& s = m_shared->slots[channel];
    s.kept.reset();
    s.waiting.reset();
    s.submitted = n;
    s.running.request_stop();
    return n;
}

quint64 JobTracker::latest(const QString& channel) const {
    const auto it = m_numbers.find(channel);
    return it == m_numbers.end() ? 0 : it->second.latest;
}

bool JobTracker::busy(const QString& channel) const {
    const auto it = m_numbers.find(channel);
    return it != m_numbers.end() && it->second.settled < it->second.latest;
}

bool JobTracker::busy() const {
    return std::any_of(m_numbers.begin(), m_numbers.end(),
                       [](const auto& c) { return c.second.settled < c.second.latest; });
}

void JobTracker::markSettled(const QString& channel, quint64 number) {
    Numbers& num = m_numbers[channel];
    if (number > num.settled) num.settled = number;
    Q_EMIT settled(channel, number);
}

void JobTracker::workerLoop(const std::shared_ptr<JobContext::Shared>& shared, std::stop_token quit) {
    // The worker computes in the background of the GUI thread (thread_limit.h; 0 = as it is).
    anatomy::lowerThisThread(anatomy::backgroundNice());
    using Shared = JobContext::Shared;
    for (;;) {
        QString channel;
        Shared::Job job;
        std::stop_token stop;
        {
            std::unique_lock lock(shared->mutex);
            auto ready = [&] {
                return std::any_of(shared->slots.begin(), shared->slots.end(),
                                   [](const auto& s) { return s.second.kept || s.second.waiting; });
            };
            if (!shared->cv.wait(lock, quit, ready)) return;
            // The channel whose next job has the highest priority, then the lowest number.
            Shared::Slot* best = nullptr;
            const Shared::Job* bestJob = nullptr;
            for (auto& [name, slot] : shared->slots) {
                const Shared::Job* next = slot.kept ? &*slot.kept : slot.waiting ? &*slot.waiting : nullptr;
                if (!next) continue;
                if (!bestJob || next->priority > bestJob->priority ||
                    (next->priority == bestJob->priority && next->number < bestJob->number)) {
                    best = &slot;
                    bestJob = next;
                    channel = name;
                }
            }
            std::optional<Shared::Job>& from = best->kept ? best->kept : best->waiting;
            job = std::move(*from);
            from.reset();
            best->running = std::stop_source();
            stop = best->running.get_token();
            shared->runningDetachable = job.detach;
        }
        const JobContext ctx(shared, channel, job.number, stop);
        try {
            job.work(ctx);
        } catch (const std::exception& e) {
            // Work reports its own failures; one that escapes must not end the worker.
            std::fprintf(stderr, "anatomy: background job %llu failed: %s\n", (unsigned long long)job.number, e.what());
        }
        job.work = nullptr;  // what the work captured goes now, on this thread
        {
            std::lock_guard lock(shared->mutex);
            shared->runningDetachable = false;
            if (JobTracker* t = shared->owner)
                QMetaObject::invokeMethod(
                    t, [t, channel, n = job.number] { t->markSettled(channel, n); }, Qt::QueuedConnection);
        }
    }
}

bool processEventsUntil(const std::function<bool()>& done, int timeoutMs) {
    QElapsedTimer timer;
    timer.start();
    while (!done()) {
        if (timer.elapsed() > timeoutMs) return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
        if (!done()) QThread::msleep(1);
    }
    return true;
}

}  // namespace anatomy::widgets
