#pragma once
// How long the GUI thread goes without returning to its event loop. A heartbeat timer on the
// GUI thread fires every kBeatMs; the gap between two beats minus kBeatMs is a stall (the time
// some event handler, paint or layout held the thread). Each stall also records the CPU time
// the GUI thread itself used in the gap (CLOCK_THREAD_CPUTIME_ID): on a machine shared with
// other work the wall-clock gap includes time the thread waited for a core, the CPU time not. The longest stall is a figure to report,
// never asserted. A helper thread is the watchdog for real hangs: when no beat has come for
// hangSeconds it prints what the GUI thread was doing (the label set by the driver) and aborts,
// so a hang ends the run with a message instead of blocking CI until its timeout.
#include <QObject>
#include <QString>
#include <QTimer>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace anatomy::monkey {

struct Stall {
    double ms = 0;      // beat gap minus the beat interval (wall clock)
    double cpuMs = 0;   // CPU time of the GUI thread in that gap
    QString during;     // the driver's label when the gap ended
    qint64 endNs = 0;   // CLOCK_MONOTONIC at the end of the gap (perf record -k CLOCK_MONOTONIC)
};

class StallWatch {
public:
    static constexpr int kBeatMs = 5;
    // Gaps above this are counted (the budget for a GUI-thread stall).
    static constexpr double kReportMs = 200;

    explicit StallWatch(int hangSeconds);
    ~StallWatch();
    StallWatch(const StallWatch&) = delete;
    StallWatch& operator=(const StallWatch&) = delete;

    // What the GUI thread does now (read by the watchdog and attached to stalls). GUI thread only.
    void setLabel(const QString& label);
    // Beats (and therefore stalls) are measured from start() on.
    void start();
    void stopMeasuring();

    Stall longest() const { return m_longest; }
    Stall longestCpu() const { return m_longestCpu; }
    // CPU time of the calling thread (the GUI thread), milliseconds.
    static double threadCpuMs();
    int countOver(double ms, bool cpu = false) const;  // by wall clock or by CPU time
    // The n longest stalls, longest first.
    std::vector<Stall> worst(size_t n) const;
    // Every stall, in order.
    const std::vector<Stall>& stalls() const { return m_stalls; }
    long long beats() const { return m_beats; }

private:
    void beat();
    void watch(int hangSeconds);

    using Clock = std::chrono::steady_clock;
    static qint64 nowNs();

    QTimer m_timer;
    qint64 m_lastNs = -1;
    double m_lastCpuMs = 0;
    long long m_beats = 0;
    QString m_label;
    Stall m_longest, m_longestCpu;
    std::vector<Stall> m_stalls;  // every gap over kBeatMs + 1 ms, for worst() and countOver()

    std::atomic<qint64> m_lastBeatNs{-1};  // nowNs() of the last beat, for the watchdog; -1: not measuring
    std::mutex m_labelMutex;
    std::string m_labelCopy;  // m_label for the watchdog thread
    std::mutex m_stopMutex;
    std::condition_variable m_stopCv;
    bool m_stop = false;
    std::thread m_watchdog;
};

}  // namespace anatomy::monkey
