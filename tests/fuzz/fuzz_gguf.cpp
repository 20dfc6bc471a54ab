// libFuzzer: the GGUF loader (header, metadata, tensor infos, dequantisation, vocabulary).
#include "anatomy/error.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string& path = fuzz::writeScratch(data, size, ".gguf");
    try {
        std::shared_ptr<const anatomy::Model> m = anatomy::loadGguf(path);
        anatomy::checkFiniteWeights(*m);
        if (m->embeddedTokenizer) (void)m->embeddedTokenizer->encode("Once upon a time \xC3\xA9\xFF", true, true);
        fuzz::runTiny(m);
    } catch (const anatomy::Error&) {
    }
    return 0;
}
