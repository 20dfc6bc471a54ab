#include "stall_watch.h"

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace anatomy::monkey {

qint64 StallWatch::nowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

double StallWatch::threadCpuMs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

StallWatch::StallWatch(int hangSeconds) {
    m_timer.setInterval(kBeatMs);
    m_timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&m_timer, &QTimer::timeout, [this] { beat(); });
    m_watchdog = std::thread([this, hangSeconds] { watch(hangSeconds); });
}

StallWatch::~StallWatch() {
    {
        const std::lock_guard lock(m_stopMutex);
        m_stop = true;
    }
    m_stopCv.notify_all();
    m_watchdog.join();
}

void StallWatch::setLabel(const QString& label) {
    m_label = label;
    const std::lock_guard lock(m_labelMutex);
    m_labelCopy = label.toStdString();
}

void StallWatch::start() {
    m_lastNs = nowNs();
    m_lastCpuMs = threadCpuMs();
    m_lastBeatNs = m_lastNs;
    m_timer.start();
}

void StallWatch::stopMeasuring() {
    m_timer.stop();
    m_lastBeatNs = -1;
}

void StallWatch::beat() {
    const qint64 now = nowNs();
    ++m_beats;
    const double cpu = threadCpuMs();
    const double gapMs = (now - m_lastNs) / 1e6 - kBeatMs;
    const Stall s{gapMs, cpu - m_lastCpuMs, m_label, now};
    m_lastNs = now;
    m_lastCpuMs = cpu;
    m_lastBeatNs = now;
    if (gapMs <= 1.0) return;
    if (s.ms > m_longest.ms) m_longest = s;
    if (s.cpuMs > m_longestCpu.cpuMs) m_longestCpu = s;
    m_stalls.push_back(s);
}

int StallWatch::countOver(double ms, bool cpu) const {
    return int(std::count_if(m_stalls.begin(), m_stalls.end(),
                             [ms, cpu](const Stall& s) { return (cpu ? s.cpuMs : s.ms) > ms; }));
}

std::vector<Stall> StallWatch::worst(size_t n) const {
    std::vector<Stall> v = m_stalls;
    std::sort(v.begin(), v.end(), [](const Stall& a, const Stall& b) { return a.ms > b.ms; });
    if (v.size() > n) v.resize(n);
    return v;
}

void StallWatch::watch(int hangSeconds) {
    std::unique_lock lock(m_stopMutex);
    while (!m_stopCv.wait_for(lock, std::chrono::milliseconds(250), [this] { return m_stop; })) {
        const qint64 last = m_lastBeatNs;
        if (last < 0 || (nowNs() - last) / 1'000'000'000 < hangSeconds) continue;
        std::string label;
        {
            const std::lock_guard l(m_labelMutex);
            label = m_labelCopy;
        }
        std::fprintf(stderr, "gui monkey: HANG: the GUI thread has not returned to its event loop for %d s; "
                             "last event: %s\n", hangSeconds, label.c_str());
        std::fflush(stderr);
        std::abort();
    }
}

}  // namespace anatomy::monkey
