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
void runWithThreads(int n, const std::function<void()>& f);

}  // namespace anatomy
