#include "anatomy/thread_limit.h"

#include <atomic>

#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_scheduler_observer.h>
#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace anatomy {

namespace {

std::atomic<int> g_backgroundNice{0};

// Lowers the priority of each thread that enters the observed arena, once per thread: an
// unprivileged process may raise a thread's nice value but not lower it again, so a worker
// stays at the background level (every thread of the engine's pool then yields to the GUI).
class BackgroundObserver : public tbb::task_scheduler_observer {
public:
    BackgroundObserver(tbb::task_arena& arena, int nice) : tbb::task_scheduler_observer(arena), m_nice(nice) {
        observe(true);
    }
    ~BackgroundObserver() override { observe(false); }
    void on_scheduler_entry(bool) override { lowerThisThread(m_nice); }

private:
    int m_nice;
};

}  // namespace

void lowerThisThread(int nice) {
#if defined(__linux__)
    thread_local int applied = 0;
    if (nice <= applied) return;
    const pid_t tid = pid_t(::syscall(SYS_gettid));
    if (::setpriority(PRIO_PROCESS, id_t(tid), nice) == 0) applied = nice;
#else
    (void)nice;
#endif
}

void setBackgroundNice(int nice) { g_backgroundNice.store(nice < 0 ? 0 : (nice > 19 ? 19 : nice)); }

int backgroundNice() { return g_backgroundNice.load(); }

void runWithThreads(int n, const std::function<void()>& f) {
    const int nice = g_backgroundNice.load();
    if (n <= 0 && nice == 0) {
        f();
        return;
    }
    // Reserve no master slot: the caller joins the arena as one of its n threads.
    tbb::task_arena arena(n > 0 ? n : tbb::task_arena::automatic, 1);
    if (nice == 0) {
        arena.execute(f);
        return;
    }
    arena.initialize();
    BackgroundObserver observer(arena, nice);
    lowerThisThread(nice);
    arena.execute(f);
}

}  // namespace anatomy
