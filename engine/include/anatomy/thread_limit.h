#pragma once
// Thread limits per job. setThreadCount (session.h) limits the whole process; a GUI runs
// several jobs at once (a trace, a perplexity batch), and one job's limit must not change
// another's. runWithThreads gives a job its own oneTBB task_arena: the engine's parallel loops
// inside f run on at most n threads, and loops elsewhere keep theirs. The header names no TBB
// type, so Qt code can call it.
#include <functional>

namespace anatomy {

// Runs f with at most n worker threads (the calling thread included); n <= 0 runs f as it is
// (every core, or the process-wide setThreadCount limit). Exceptions from f propagate.
// With a background level set (setBackgroundNice), f's threads, the caller included, run at
// that nice value (Linux; elsewhere unchanged), so a GUI thread at 0 is served first when the
// cores are busy.
void runWithThreads(int n, const std::function<void()>& f);

// The nice value (0..19, 0 = off) runWithThreads gives its threads; the GUI sets it, the CLI not.
void setBackgroundNice(int nice);
int backgroundNice();
// Raises the calling thread's nice value to nice (never lowers it: an unprivileged process
// cannot); Linux only.
void lowerThisThread(int nice);

}  // namespace anatomy
