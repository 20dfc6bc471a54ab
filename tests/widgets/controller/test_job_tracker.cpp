// The one latest-wins job primitive: a newer job replaces the waiting one and stops the running
// one, stale results never arrive, kept jobs are not displaced, channels share the worker by
// priority and age, and cancel drops everything of a channel.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "controller/job_tracker.h"
#include "widgets/widget_test_support.h"

using namespace anatomy::widgets;

namespace {

// A gate a job waits at (until opened, or until its stop token fires when cooperative).
class Gate {
public:
    void open() { m_open = true; }
    void waitAt(const JobContext& job, bool cooperative) {
        m_entered = true;
        while (!m_open && !(cooperative && job.stopRequested()))
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    bool entered() const { return m_entered; }

private:
    std::atomic<bool> m_open{false};
    std::atomic<bool> m_entered{false};
};

// Records, in order, which jobs ran (worker side) and which delivered (GUI side).
struct Log {
    std::mutex mutex;
    std::vector<int> ran;
    std::vector<int> delivered;
    void run(int id) {
        std::lock_guard lock(mutex);
        ran.push_back(id);
    }
};

bool waitUntil(const std::function<bool()>& f) { return processEventsUntil(f, 20000); }

}  // namespace

TEST_CASE("job tracker: a burst runs the first and the last, only the last delivers", "[jobs]") {
    widgetTestApp();
    JobTracker jobs;
    Log log;
    Gate gate;
    std::atomic<bool> firstSawStop{false};
    auto job = [&](int id) {
        return [&, id](const JobContext& ctx) {
            log.run(id);
            if (id == 0) {
                // Returns at the stop request (the first newer submit), then holds the worker until
                // the whole burst is in, so the worker cannot pick up 1 before 2..4 arrive.
                gate.waitAt(ctx, true);
                firstSawStop = ctx.stopRequested();
                gate.waitAt(ctx, false);
            }
            ctx.deliver([&, id] { log.delivered.push_back(id); });
        };
    };
    jobs.submit(QStringLiteral("c"), job(0));
    REQUIRE(waitUntil([&] { return gate.entered(); }));
    quint64 last = 0;
    for (int id = 1; id <= 4; ++id) last = jobs.submit(QStringLiteral("c"), job(id));
    CHECK(jobs.busy(QStringLiteral("c")));
    CHECK(jobs.latest(QStringLiteral("c")) == last);
    gate.open();
    REQUIRE(waitUntil([&] { return !jobs.busy(); }));
    CHECK(firstSawStop);  // the running job was asked to stop by the newer one
    CHECK(log.ran == std::vector<int>{0, 4});  // 1..3 were replaced while waiting
    CHECK(log.delivered == std::vector<int>{4});
}

TEST_CASE("job tracker: a superseded job's late result is dropped, post still arrives", "[jobs]") {
    widgetTestApp();
    JobTracker jobs;
    Log log;
    Gate gate;
    std::atomic<bool> superseded{false};
    std::atomic<bool> secondSuperseded{true};  // read on the worker, checked here (Catch is not thread-safe)
    int posted = 0;
    jobs.submit(QStringLiteral("c"), [&](const JobContext& ctx) {
        gate.waitAt(ctx, false);  // ignores the stop request and finishes anyway
        superseded = ctx.superseded();
        ctx.deliver([&] { log.delivered.push_back(0); });
        ctx.post([&] { ++posted; });
    });
    REQUIRE(waitUntil([&] { return gate.entered(); }));
    jobs.submit(QStringLiteral("c"), [&](const JobContext& ctx) {
        secondSuperseded = ctx.superseded();
        ctx.deliver([&] { log.delivered.push_back(1); });
    });
    gate.open();
    REQUIRE(waitUntil([&] { return !jobs.busy(); }));
    CHECK(superseded);
    CHECK_FALSE(secondSuperseded);
    CHECK(log.delivered == std::vector<int>{1});
    CHECK(posted == 1);
}

TEST_CASE("job tracker: a kept job is not displaced and runs before the latest", "[jobs]") {
    widgetTestApp();
    JobTracker jobs;
    Log log;
    Gate gate;
    const QString c = QStringLiteral("c");
    jobs.submit(c, [&](const JobContext& ctx) { log.run(0); gate.waitAt(ctx, false); });
    REQUIRE(waitUntil([&] { return gate.entered(); }));
    jobs.submit(c, [&](const JobContext&) { log.run(1); }, JobOptions{0, true});  // a model load
    jobs.submit(c, [&](const JobContext&) { log.run(2); });
    jobs.submit(c, [&](const JobContext&) { log.run(3); });
    gate.open();
    REQUIRE(waitUntil([&] { return !jobs.busy(); }));
    CHECK(log.ran == std::vector<int>{0, 1, 3});
}

TEST_CASE("job tracker: channels share the worker by priority, then age", "[jobs]") {
    widgetTestApp();
    JobTracker jobs;
    Log log;
    Gate gate;
    std::vector<std::pair<QString, quint64>> settled;
    QObject::connect(&jobs, &JobTracker::settled, [&](const QString& ch, quint64 n) { settled.emplace_back(ch, n); });
    jobs.submit(QStringLiteral("busy"), [&](const JobContext& ctx) { log.run(0); gate.waitAt(ctx, false); });
    REQUIRE(waitUntil([&] { return gate.entered(); }));
    jobs.submit(QStringLiteral("kv"), [&](const JobContext&) { log.run(1); });
    jobs.submit(QStringLiteral("moe"), [&](const JobContext&) { log.run(2); });
    jobs.submit(QStringLiteral("readout"), [&](const JobContext&) { log.run(3); }, JobOptions{1, false});
    gate.open();
    REQUIRE(waitUntil([&] { return !jobs.busy(); }));
    // The read-out first; then the batches, oldest first; no channel displaced another.
    CHECK(log.ran == std::vector<int>{0, 3, 1, 2});
    REQUIRE(settled.size() == 4);
    CHECK(settled[1].first == QStringLiteral("readout"));
}

TEST_CASE("job tracker: cancel drops the waiting job and the running one's result", "[jobs]") {
    widgetTestApp();
    JobTracker jobs;
    Log log;
    Gate gate;
    const QString c = QStringLiteral("c");
    std::atomic<bool> finished{false};
    jobs.submit(c, [&](const JobContext& ctx) {
        log.run(0);
        gate.waitAt(ctx, false);
        ctx.deliver([&] { log.delivered.push_back(0); });
        finished = true;
    });
    REQUIRE(waitUntil([&] { return gate.entered(); }));
    const quint64 waiting = jobs.submit(c, [&](const JobContext& ctx) {
        log.run(1);
        ctx.deliver([&] { log.delivered.push_back(1); });
    });
    const quint64 after = jobs.cancel(c);
    CHECK(after > waiting);
    CHECK_FALSE(jobs.busy(c));  // settled at once: nothing of the channel is awaited
    CHECK_FALSE(jobs.isLatest(c, waiting));
    gate.open();
    REQUIRE(waitUntil([&] { return finished.load(); }));
    processEventsUntil([] { return false; }, 50);  // let any late delivery arrive (none must)
    CHECK(log.ran == std::vector<int>{0});
    CHECK(log.delivered.empty());
}

TEST_CASE("job tracker: stopRunning stops the running job and keeps the waiting one", "[jobs]") {
    widgetTestApp();
    JobTracker jobs;
    Log log;
    Gate gate;
    const QString c = QStringLiteral("c");
    std::atomic<bool> stopped{false};
    jobs.submit(c, [&](const JobContext& ctx) {
        log.run(0);
        gate.waitAt(ctx, true);
        stopped = ctx.stopRequested();
    });
    REQUIRE(waitUntil([&] { return gate.entered(); }));
    jobs.stopRunning(c);
    REQUIRE(waitUntil([&] { return !jobs.busy(); }));
    CHECK(stopped);
    CHECK(log.ran == std::vector<int>{0});
}

TEST_CASE("job tracker: destroyed with a running job, it stops and joins, nothing arrives", "[jobs]") {
    widgetTestApp();
    int delivered = 0;
    std::atomic<bool> started{false};
    {
        JobTracker jobs;
        jobs.submit(QStringLiteral("c"), [&](const JobContext& ctx) {
            started = true;
            while (!ctx.stopRequested()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
            ctx.deliver([&] { ++delivered; });
        });
        REQUIRE(waitUntil([&] { return started.load(); }));
    }
    processEventsUntil([] { return false; }, 50);
    CHECK(delivered == 0);
}

TEST_CASE("job tracker: destroyed while a detached job runs, it returns at once and the job finishes alone",
          "[jobs]") {
    widgetTestApp();
    // A Train pane closed mid-step: the GUI thread must not wait for the step (seconds on a
    // loaded machine, with the worker niced). The gate stays shut until after the destructor has
    // returned, so a destructor that waited would never return.
    int delivered = 0, posted = 0;
    Gate gate;
    std::atomic<bool> finished{false};
    std::atomic<bool> sawStop{false};
    {
        JobTracker jobs;
        jobs.submit(
            QStringLiteral("train"),
            [&](const JobContext& ctx) {
                gate.waitAt(ctx, false);
                sawStop = ctx.stopRequested();
                ctx.deliver([&] { ++delivered; });
                ctx.post([&] { ++posted; });
                finished = true;
            },
            JobOptions{.detach = true});
        REQUIRE(waitUntil([&] { return gate.entered(); }));
    }
    CHECK_FALSE(finished.load());
    gate.open();
    REQUIRE(waitUntil([&] { return finished.load(); }));
    joinDetachedWorkers();
    processEventsUntil([] { return false; }, 50);
    CHECK(sawStop.load());  // the job was asked to stop
    CHECK(delivered == 0);  // and nothing reached the destroyed tracker
    CHECK(posted == 0);
}

TEST_CASE("job tracker: a detached job's tracker still delivers while it lives", "[jobs]") {
    widgetTestApp();
    int delivered = 0;
    JobTracker jobs;
    jobs.submit(QStringLiteral("train"), [&](const JobContext& ctx) { ctx.deliver([&] { ++delivered; }); },
                JobOptions{.detach = true});
    REQUIRE(waitUntil([&] { return delivered == 1 && !jobs.busy(); }));
}
