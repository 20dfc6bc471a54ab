#include "anatomy/thread_limit.h"

#include <oneapi/tbb/task_arena.h>

namespace anatomy {

void runWithThreads(int n, const std::function<void()>& f) {
    if (n <= 0) {
        f();
        return;
    }
    // Reserve no master slot: the caller joins the arena as one of its n threads.
    tbb::task_arena arena(n, 1);
    arena.execute(f);
}

}  // namespace anatomy
