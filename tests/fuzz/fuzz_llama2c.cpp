// libFuzzer: the llama2.c loader (legacy, ak42 v1 float, ak42 v2 int8) on arbitrary bytes.
#include "anatomy/error.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string& path = fuzz::writeScratch(data, size, ".bin");
    try {
        std::shared_ptr<const anatomy::Model> m = anatomy::loadModel(path);
        fuzz::runTiny(m);
    } catch (const anatomy::Error&) {
    }
    return 0;
}
