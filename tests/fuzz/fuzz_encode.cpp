// libFuzzer: prompt encoding with the real stories260K vocabulary (tok512.bin from the shared
// folder, ANATOMY_SHARED_DIR or the build's default): arbitrary bytes, valid UTF-8 or not.
#include <cstdlib>

#include "anatomy/error.h"
#include "anatomy/tokenizer.h"
#include "fuzz_input.h"

namespace {
const anatomy::Tokenizer& vocabulary() {
    static const anatomy::Tokenizer tok = [] {
        const char* shared = std::getenv("ANATOMY_SHARED_DIR");
        const std::string dir = shared && *shared ? shared : ANATOMY_DEFAULT_SHARED_DIR;
        return anatomy::Tokenizer::fromLlama2cFile(dir + "/models/stories260K/tok512.bin", 512);
    }();
    return tok;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const anatomy::Tokenizer& tok = vocabulary();
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const std::vector<int> ids = tok.encode(text, true, false);
    for (int id : ids)
        if (id < 0 || id >= tok.vocabSize()) std::abort();  // every id names a token
    // Decoding never fails on what encoding produced (byte fallback covers every byte).
    (void)tok.decodeAll(ids);
    return 0;
}
