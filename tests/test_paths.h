#pragma once
// Where tests find ../shared: ANATOMY_SHARED_DIR in the environment, else the CMake cache value.
#include <cstdlib>
#include <string>

inline std::string sharedDir() {
    if (const char* e = std::getenv("ANATOMY_SHARED_DIR"); e && *e) return e;
    return ANATOMY_TEST_SHARED_DIR;
}
inline std::string modelPath(const std::string& file) {
    return sharedDir() + "/models/stories260K/" + file;
}
inline std::string referencePath(const std::string& file) {
    return sharedDir() + "/reference/stories260K/" + file;
}
