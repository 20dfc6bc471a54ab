#pragma once
// Shared by the fuzz targets: the loaders take paths (they map the file), so each input is
// written to one scratch file per process; only anatomy::Error may escape a loader.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "anatomy/model.h"
#include "anatomy/session.h"

namespace fuzz {

// In memory when possible: rewriting a truncated file on ext4 starts its writeback at close
// (auto_da_alloc), which made every input wait for the disk (300 instead of 3000 runs/s).
inline std::string scratchPath(const char* suffix) {
    const char* env = std::getenv("TMPDIR");
    const std::string dir = env && *env ? env : (::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    return dir + "/anatomy_fuzz_" + std::to_string(::getpid()) + suffix;
}

inline const std::string& writeScratch(const uint8_t* data, size_t size, const char* suffix) {
    static const std::string path = scratchPath(suffix);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (size && std::fwrite(data, 1, size, f) != size) std::abort();
    std::fclose(f);
    return path;
}

// A model that loaded also runs: two tokens through the forward pass, when it is small enough
// that this stays cheap (a fuzzer must not spend its time in matmuls of absurd sizes).
inline void runTiny(std::shared_ptr<const anatomy::Model> m) {
    // One thread: waking oneTBB workers for a tiny matmul costs more than the matmul, and a
    // fuzzer runs one process per core anyway.
    static const bool oneThread = (anatomy::setThreadCount(1), true);
    (void)oneThread;
    const anatomy::ModelConfig& c = m->config;
    if (c.parameterCount() > 200'000 || c.dim > 256 || c.hiddenDim > 1024) return;
    anatomy::Session s(m);
    const int ids[2] = {0, c.vocabSize - 1};
    (void)s.forward(ids, true);
}

}  // namespace fuzz
