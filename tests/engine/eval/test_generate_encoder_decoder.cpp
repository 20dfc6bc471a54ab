// generateEncoderDecoder (encoder_decoder.h) runs generate.cpp's sampler loop (eval/token_loop.h)
// after encoding the input once: the tokens are those of the loop written out by hand (draw,
// stop at </s>, feed one token through the decoder's cache), a decoder prefix continues an output
// exactly, and a stop request ends it with what was drawn.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <stop_token>

#include "anatomy/encoder_decoder.h"
#include "anatomy/sampler.h"
#include "anatomy/synth_gguf.h"
#include "anatomy/tokenizer.h"

using namespace anatomy;

namespace {

std::shared_ptr<const Model> synthT5(const std::string& name) {
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("anatomy_t5_gen_" + std::to_string(::getpid()) + "_" + name + ".gguf")).string();
    writeSynthGguf(synthReferenceSpec(name, 1), path);
    std::shared_ptr<const Model> m = loadModel(path);
    std::filesystem::remove(path);
    return m;
}

const std::vector<int> kInput = {3, 29, 31, 32, 3, 33, 40, 41, 42, 1};

// The loop as it stood before it was shared with generate.cpp: encode, [start], draw, feed.
std::vector<int> handLoop(const std::shared_ptr<const Model>& model, const SamplerSettings& s, int maxNew) {
    const Tokenizer& tok = *model->embeddedTokenizer;
    EncoderDecoderSession session(model);
    Sampler sampler(s);
    session.encode(kInput);
    std::vector<int> tokens = {session.decoderStartToken()};
    std::vector<float> logits = session.decode(tokens);
    for (int drawn = 0; drawn < maxNew;) {
        const int next = sampler.sample(logits, tokens);
        ++drawn;
        if (next == tok.eosId() || (tok.bosId() >= 0 && next == tok.bosId())) break;
        tokens.push_back(next);
        if (drawn >= maxNew) break;
        const int one[1] = {next};
        logits = session.decode(one);
    }
    return tokens;
}

}  // namespace

TEST_CASE("t5 generation: the shared sampler loop draws the hand-written loop's tokens", "[t5][generate]") {
    for (const std::string& name : synthEncoderDecoderCases()) {
        auto model = synthT5(name);
        const Tokenizer& tok = *model->embeddedTokenizer;
        for (uint64_t seed : {1u, 7u, 42u}) {
            SamplerSettings s;
            s.temperature = 1.3f;
            s.topK = 50;
            s.topP = 0.95f;
            s.repetitionPenalty = 1.2f;
            s.seed = seed;
            EncoderDecoderSession session(model);
            Sampler sampler(s);
            GenerateOptions options;
            options.maxNewTokens = 24;
            int streamed = 0;
            const GenerateResult r = generateEncoderDecoder(session, tok, sampler, kInput, options,
                                                            [&](int, const std::string&) { return ++streamed, true; });
            INFO(name << " seed " << seed);
            CHECK(r.tokens == handLoop(model, s, 24));
            CHECK(r.emitted == int(r.tokens.size()) - 1);
            CHECK(streamed == r.emitted);
        }
    }
}

TEST_CASE("t5 generation: a decoder prefix continues the output, a stop request ends it", "[t5][generate]") {
    auto model = synthT5("t5");
    const Tokenizer& tok = *model->embeddedTokenizer;
    SamplerSettings greedy;
    greedy.temperature = 0.0f;
    GenerateOptions options;
    options.maxNewTokens = 8;
    EncoderDecoderSession session(model);
    Sampler sampler(greedy);
    const GenerateResult full = generateEncoderDecoder(session, tok, sampler, kInput, options, {});
    REQUIRE(full.tokens.size() >= 5);
    // [start] + 3 drawn, then the rest: the same tokens (greedy has no RNG to differ in).
    const std::vector<int> prefix(full.tokens.begin(), full.tokens.begin() + 4);
    options.maxNewTokens = int(full.tokens.size()) - 4;
    Sampler again(greedy);
    const GenerateResult rest = generateEncoderDecoder(session, tok, again, kInput, options, {}, {}, prefix);
    CHECK(rest.tokens == full.tokens);
    CHECK(rest.emitted == int(full.tokens.size()) - 4);
    // A prefix with an id outside the vocabulary is refused by name.
    CHECK_THROWS_WITH(generateEncoderDecoder(session, tok, again, kInput, options, {}, {}, {0, 99999}),
                      Catch::Contains("outside the vocabulary"));

    // Stop after the third token (the greedy draws are full's): cancelled, with three emitted.
    std::stop_source stop;
    options.maxNewTokens = 100;
    Sampler third(greedy);
    int n = 0;
    const GenerateResult cut = generateEncoderDecoder(
        session, tok, third, kInput, options,
        [&](int, const std::string&) {
            if (++n == 3) stop.request_stop();
            return true;
        },
        stop.get_token());
    CHECK(cut.stop == GenerateStop::Cancelled);  // full drew no </s> in its first 4
    CHECK(cut.emitted == 3);
}
