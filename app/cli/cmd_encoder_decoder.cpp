// generate and trace for encoder-decoder models (T5, encoder_decoder.h): the prompt is the
// encoder's input; the decoder writes the output text from its start token.
#include <cstdio>

#include "anatomy/encoder_decoder.h"
#include "anatomy/error.h"
#include "anatomy/trace_export.h"
#include "cli_args.h"
#include "cli_commands.h"

namespace anatomy::cli {

// The encoder's input: the prompt with </s> last (the file's add_eos), never empty.
std::vector<int> encoderInput(const Args& a, const OpenedModel& L) {
    const std::string prompt = a.str("prompt");
    if (prompt.empty())
        throw UsageError("--prompt: " + L.model->architecture.name +
                         " is an encoder-decoder model and needs input text to encode (got an empty prompt)");
    // --set: the simulator's knobs do not apply (knobRefusal names why).
    checkKnobsApply(L.model->architecture, simSettingsFrom(a, L.model->config));
    return L.tokenizer->tokenize(prompt, true, false);
}

int runGenerateEncoderDecoder(const Args& a, const OpenedModel& L, const SamplerSettings& ss, int maxNew) {
    if (a.has("dump-logits")) throw UsageError("--dump-logits is for decoder-only models");
    const std::vector<int> input = encoderInput(a, L);
    EncoderDecoderSession session(L.model);
    Sampler sampler(ss);
    GenerateOptions options;
    options.maxNewTokens = maxNew;
    const GenerateResult r = generateEncoderDecoder(session, *L.tokenizer, sampler, input, options,
                                                    [](int, const std::string& piece) {
                                                        std::fwrite(piece.data(), 1, piece.size(), stdout);
                                                        std::fflush(stdout);
                                                        return true;
                                                    });
    std::printf("\n");
    std::fprintf(stderr, "input %zu tokens encoded in %.1f ms; generated %d tokens, %.1f tok/s\n", input.size(),
                 r.prefillMs, r.drawn, r.decodeMs > 0 ? r.drawn * 1000.0 / r.decodeMs : 0.0);
    return 0;
}

int runTraceEncoderDecoder(const Args& a, const OpenedModel& L, const CaptureSpec& spec, const std::string& out) {
    const std::vector<int> input = encoderInput(a, L);
    const int maxNew = int(a.integer("max-new-tokens", 16, 0, 4096));
    auto trace = traceEncoderDecoder(L.model, input, {}, spec, L.tokenizer.get(), maxNew);
    const int n = writeTraceFolder(*trace, out, L.model->path);
    std::fprintf(stderr, "traced %zu input and %d decoder tokens; wrote %d arrays and manifest.json to %s\n",
                 input.size(), trace->nQ, n, out.c_str());
    return 0;
}

}  // namespace anatomy::cli
