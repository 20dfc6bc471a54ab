#pragma once
// Where tests find ../shared: ANATOMY_SHARED_DIR in the environment, else the CMake cache value
// (default: ../shared beside the project).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

inline std::string sharedDir() {
    if (const char* e = std::getenv("ANATOMY_SHARED_DIR"); e && *e) return e;
    return ANATOMY_TEST_SHARED_DIR;
}
inline std::string sharedFile(const std::string& rel) {
    const std::string p = sharedDir() + "/" + rel;
    if (!std::filesystem::exists(p))
        std::fprintf(stderr, "missing %s: put shared/ beside the project, set ANATOMY_SHARED_DIR, "
                     "or run .ci/fetch-models\n", p.c_str());
    return p;
}
inline std::string modelPath(const std::string& file) {
    return sharedFile("models/stories260K/" + file);
}
inline std::string referencePath(const std::string& file) {
    return sharedFile("reference/stories260K/" + file);
}
