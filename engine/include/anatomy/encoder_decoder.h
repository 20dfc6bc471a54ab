#pragma once
// Encoder-decoder models (T5, as llama.cpp c392e5094 runs them): the input text goes once
// through an encoder stack of bidirectional self-attention; the decoder then generates with
// causal self-attention over its own tokens and cross-attention to the encoder output:
//   e = N_enc(Encoder(E[input]))                                  encode, once
//   for each decoder layer:  x = x + SelfAttn(N1 x)               causal, own KV cache
//                            x = x + CrossAttn(N2 x, e)           keys, values from e: a fixed cache
//                            x = x + FFN(N3 x)
//   logits = Wcls N_dec(x)
// Both self-attentions add T5's learned relative-position bias (relative_position.h) and neither
// divides the scores by sqrt(d_k) (T5 folds it into the initialisation); cross-attention has no
// position bias. The decoder starts from decoder_start_token_id (T5: the pad token, 0).
#include <memory>
#include <span>
#include <stop_token>
#include <vector>

#include "anatomy/generate.h"
#include "anatomy/model.h"
#include "anatomy/trace.h"

namespace anatomy {

class Sampler;
class Tokenizer;

// T5's cross-attention of one decoder layer.
struct CrossAttentionWeights {
    const float* norm = nullptr;  // [dim]  gain of the RMS norm before it
    Matrix wq;                    // [nHeads * headSize, dim]  queries from the decoder
    Matrix wk;                    // [nKvHeads * headSize, dim] keys from the encoder output
    Matrix wv;                    // [nKvHeads * headSize, dim]
    Matrix wo;                    // [dim, nHeads * headSize]
};

// What an encoder-decoder file has beyond a decoder-only one; Model::layers are the decoder's
// self-attention and FFN, Model::rmsFinal its final norm, Model::classifier the output.
struct EncoderDecoderWeights {
    std::vector<LayerWeights> encoder;            // [nLayers] self-attention and FFN (rmsAtt, wq..wo, rmsFfn, w1..w3)
    const float* encoderFinalNorm = nullptr;      // [dim]
    std::vector<CrossAttentionWeights> cross;     // [nLayers]
    // Relative-position bias tables [buckets, nHeads] per layer; null = layer 0's (T5 learns one per stack).
    std::vector<const float*> encoderRelativeBias;  // [nLayers]
    std::vector<const float*> decoderRelativeBias;  // [nLayers]
    // The stack's table of a layer: its own, else layer 0's. [buckets, nHeads]
    const float* encoderBias(int layer) const;
    const float* decoderBias(int layer) const;
};

// Whether the model is an encoder-decoder (Model::encoderDecoder set).
bool isEncoderDecoder(const Model& m);
// Throws Error "<what>: <arch> is an encoder-decoder model ...; it runs in generate and trace"
// for a model the decoder-only paths (perplexity, bench, decode, the simulator) cannot run.
void requireDecoderOnly(const Model& m, const std::string& what);

// What an encoder-decoder pass records beside the decoder's Trace (Trace::encoderDecoder):
// the decoder's own self-attention is Trace::layers, its tokens Trace::tokens.
struct EncoderDecoderTrace {
    std::vector<int> encoderTokens;             // [nEnc] the input, as encoded (T5: </s> last)
    std::vector<std::string> encoderTokenText;  // [nEnc]
    int nEnc = 0;
    std::vector<LayerTrace> encoderLayers;      // [nLayers] attnScores/attnProbs [nHeads, nEnc, nEnc]
    std::vector<LayerTrace> crossLayers;        // [nLayers] attnScores/attnProbs [nHeads, nDec, nEnc]
    FloatArray encoderOutput;                   // [nEnc, dim] the normed encoder output the decoder reads
    // The relative-position bias tables the model learned: [buckets, nHeads] each.
    FloatArray encoderBiasTable;
    FloatArray decoderBiasTable;
    int relativeBuckets = 0;
    int relativeMaxDistance = 0;
};

// One encoder-decoder inference state: the encoder output with every decoder layer's
// cross-attention keys and values (fixed once encoded) and the decoder's self-attention KV cache.
class EncoderDecoderSession {
public:
    explicit EncoderDecoderSession(std::shared_ptr<const Model> model);  // throws unless isEncoderDecoder
    ~EncoderDecoderSession();
    EncoderDecoderSession(const EncoderDecoderSession&) = delete;
    EncoderDecoderSession& operator=(const EncoderDecoderSession&) = delete;

    const Model& model() const { return *m_model; }
    int decoderStartToken() const;

    // Runs the encoder over input (non-empty), fills the cross-attention caches and forgets the
    // decoder's cache. With a trace, records the encoder's attention and output into it.
    void encode(std::span<const int> input, EncoderDecoderTrace* trace = nullptr, std::stop_token stop = {});
    // The normed encoder output [nEnc, dim] of the last encode().
    const std::vector<float>& encoderOutput() const;
    int encodedLength() const;

    // Feeds decoder tokens at positions [position(), position() + n) (after encode()) and returns
    // the logits, [n, vocab] when allLogits, else the last row's [vocab]. With traces: the decoder
    // self-attention (trace->layers, and logits per its spec) and the cross-attention (cross->crossLayers).
    const std::vector<float>& decode(std::span<const int> tokens, bool allLogits = false, Trace* trace = nullptr,
                                     EncoderDecoderTrace* cross = nullptr, std::stop_token stop = {});
    int position() const;
    void resetDecoder();

    struct Impl;

private:
    std::shared_ptr<const Model> m_model;
    std::unique_ptr<Impl> m_impl;
};

// Generation for an encoder-decoder model, the loop generateTokens runs for a decoder (generate.h):
// encode(input) once, then from [decoderStartToken] draw with the sampler chain until EOS or
// maxNewTokens. GenerateResult::tokens holds the decoder tokens (start token first).
// decoderPrefix continues an output (start token first, e.g. the app's Step after a Generate):
// it is fed in one pass and sampling goes on after it; empty = [decoderStartToken].
GenerateResult generateEncoderDecoder(EncoderDecoderSession& session, const Tokenizer& tokenizer, Sampler& sampler,
                                      const std::vector<int>& input, const GenerateOptions& options,
                                      const TokenCallback& onToken, std::stop_token stop = {},
                                      std::vector<int> decoderPrefix = {});

// A trace of one encoder-decoder pass: encoder over input, decoder over decoderTokens (empty:
// [start] and up to maxNew greedy tokens, stopping at EOS). The Trace holds the decoder (tokens,
// self-attention, logits), Trace::encoderDecoder the encoder and the cross-attention.
std::shared_ptr<const Trace> traceEncoderDecoder(std::shared_ptr<const Model> model, const std::vector<int>& input,
                                                 std::vector<int> decoderTokens, const CaptureSpec& spec,
                                                 const Tokenizer* tokenizer = nullptr, int maxNew = 16,
                                                 std::stop_token stop = {});

}  // namespace anatomy
