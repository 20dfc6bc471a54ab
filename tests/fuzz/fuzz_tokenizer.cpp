// libFuzzer: a llama2.c tokenizer file, then encoding and decoding with whatever it holds.
#include "anatomy/error.h"
#include "anatomy/tokenizer.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string& path = fuzz::writeScratch(data, size, ".tok");
    try {
        const anatomy::Tokenizer tok = anatomy::Tokenizer::fromLlama2cFile(path, 0);
        const std::vector<int> ids = tok.encode("Once upon a time, \xE2\x96\x81 <0x0A> \xF0\x9F\x98\x80 \xFF", true, true);
        (void)tok.decodeAll(ids);
        for (int id = 0; id < tok.vocabSize() && id < 64; ++id) (void)tok.decode(tok.bosId(), id);
    } catch (const anatomy::Error&) {
    }
    return 0;
}
