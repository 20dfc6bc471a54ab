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

bool JobContext::superseded() const {
    std::lock_guard lock(m_tracker->m_mutex);
    const auto it = m_tracker->m_slots.find(m_channel);
    return it != m_tracker->m_slots.end() && it->second.submitted > m_number;
}

void JobContext::deliver(std::function<void()> fn) const {
    JobTracker* t = m_tracker;
    QMetaObject::invokeMethod(
        t,
        [t, channel = m_channel, n = m_number, fn = std::move(fn)] {
            if (t->isLatest(channel, n)) fn();
        },
        Qt::QueuedConnection);
}

void JobContext::post(std::function<void()> fn) const {
    QMetaObject::invokeMethod(m_tracker, std::move(fn), Qt::QueuedConnection);
}

JobTracker::JobTracker(QObject* parent) : QObject(parent) {
    m_thread = std::jthread([this](std::stop_token quit) { workerLoop(quit); });
}

JobTracker::~JobTracker() {
    {
        std::lock_guard lock(m_mutex);
        for (auto& [channel, slot] : m_slots) {
            slot.kept.reset();
            slot.waiting.reset();
            slot.running.request_stop();
        }
    }
    m_thread.request_stop();  // wakes the condition variable wait
    m_thread.join();
}

quint64 JobTracker::submit(const QString& channel, Work work, JobOptions options) {
    const quint64 n = ++m_issued;
    m_numbers[channel].latest = n;
    {
        std::lock_guard lock(m_mutex);
        Slot& s = m_slots[channel];
        s.submitted = n;
        Job job{n, std::move(work), options.priority};
        // A waiting ordinary job can never deliver now: it is dropped unrun.
        s.waiting.reset();
        if (options.keep) s.kept = std::move(job);
        else s.waiting = std::move(job);
        s.running.request_stop();  // latest wins: the running job stops between layers
    }
    m_cv.notify_one();
    return n;
}

void JobTracker::stopRunning(const QString& channel) {
    std::lock_guard lock(m_mutex);
    if (auto it = m_slots.find(channel); it != m_slots.end()) it->second.running.request_stop();
}

quint64 JobTracker::cancel(const QString& channel) {
    const quint64 n = ++m_issued;
    Numbers& num = m_numbers[channel];
    num.latest = num.settled = n;  // a number no job carries: late results are not the latest
    std::lock_guard lock(m_mutex);
    Slot& s = m_slots[channel];
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

void JobTracker::workerLoop(std::stop_token quit) {
    // The worker computes in the background of the GUI thread (thread_limit.h; 0 = as it is).
    anatomy::lowerThisThread(anatomy::backgroundNice());
    for (;;) {
        QString channel;
        Job job;
        std::stop_token stop;
        {
            std::unique_lock lock(m_mutex);
            auto ready = [this] {
                return std::any_of(m_slots.begin(), m_slots.end(),
                                   [](const auto& s) { return s.second.kept || s.second.waiting; });
            };
            if (!m_cv.wait(lock, quit, ready)) return;
            // The channel whose next job has the highest priority, then the lowest number.
            Slot* best = nullptr;
            const Job* bestJob = nullptr;
            for (auto& [name, slot] : m_slots) {
                const Job* next = slot.kept ? &*slot.kept : slot.waiting ? &*slot.waiting : nullptr;
                if (!next) continue;
                if (!bestJob || next->priority > bestJob->priority ||
                    (next->priority == bestJob->priority && next->number < bestJob->number)) {
                    best = &slot;
                    bestJob = next;
                    channel = name;
                }
            }
            std::optional<Job>& from = best->kept ? best->kept : best->waiting;
            job = std::move(*from);
            from.reset();
            best->running = std::stop_source();
            stop = best->running.get_token();
        }
        const JobContext ctx(this, channel, job.number, stop);
        try {
            job.work(ctx);
        } catch (const std::exception& e) {
            // Work reports its own failures; one that escapes must not end the worker.
            std::fprintf(stderr, "anatomy: background job %llu failed: %s\n", (unsigned long long)job.number, e.what());
        }
        QMetaObject::invokeMethod(
            this, [this, channel, n = job.number] { markSettled(channel, n); }, Qt::QueuedConnection);
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
