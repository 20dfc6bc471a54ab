// anatomy-cli: the command-line face of the engine. stdout carries results; diagnostics go to
// stderr; every bad argument or file ends in one line "anatomy-cli: error: ..." and exit code 1
// (2 for usage errors), never a crash.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <numeric>
#include <random>
#include <sstream>

#include "anatomy/error.h"
#include "anatomy/kernels.h"
#include "anatomy/model.h"
#include "anatomy/model_registry.h"
#include "anatomy/nd_array.h"
#include "anatomy/npy.h"
#include "anatomy/sampler.h"
#include "anatomy/session.h"
#include "anatomy/trace_export.h"
#include "cli_args.h"
#include "cli_commands.h"

using namespace anatomy;
using cli::Args;
using cli::UsageError;

namespace {

const char* kUsage = R"(Transformer Anatomy command line.

usage: anatomy-cli COMMAND [options]

commands:
  generate    --model PATH [--tokenizer PATH] [--prompt TEXT] [--max-new-tokens N]
              [--temperature T] [--top-k K] [--top-p P] [--min-p P] [--repetition-penalty R]
              [--seed S] [--threads N] [--dump-logits FILE.npy] [--set KEY=VALUE ...]
              [--typical-p P] [--samplers penalty,temperature,top-k,top-p,min-p,typical]
              Prints the prompt followed by the generated text (as llama2.c prints it).
              Defaults: temperature 1, top-p 0.9, seed 42 (llama2.c's sampler and RNG);
              --temperature 0 is greedy. Stops at BOS/EOS or after N new tokens (default 256).
              --samplers sets the stages' order (the default shown is llama2.c's); stages
              left out are not run.
  decode      --model PATH [--tokenizer PATH] --prompt TEXT --strategy beam|best-of|vote|compare
              [--beams W] [--length-penalty A] [--n N] [--scorer mean-logprob|sum-logprob]
              [--answer REGEX] [--variant SPEC ...] [--max-new-tokens N] [--typical-p P]
              [sampler options and --seed as generate] [--set KEY=VALUE ...]
              One JSON line per hypothesis/sample/variant, then {"summary": true, ...}.
              beam: the W best by sum logprob / length^A (default W 4, A 1); best-of: samples
              with seeds S..S+N-1, the best score wins; vote: --answer's first group from prompt
              + text, the most frequent wins; compare: each --variant (greedy, beam:W[:A],
              temperature=0.8,top-p=0.9,seed=3) with mean logprob, distinct-1/2, repeated 4-grams.
  tokenize    --model PATH [--tokenizer PATH] --text TEXT
              Prints the token ids, space-separated, BOS first.
  perplexity  --model PATH [--tokenizer PATH] [--text FILE] --context N [--from N] [--length N]
              [--threads N] [--set KEY=VALUE ...]
              One JSON line: ppl, ppl_in_context, ppl_beyond_context, tokens. --text defaults to
              the TinyStories corpus in the shared folder. --from/--length (tokens of the text,
              BOS not counted) measure the window [BOS] + encode(text)[from : from + length],
              the app's perplexity window; without them the whole text.
  trace       --model PATH [--tokenizer PATH] --prompt TEXT --out DIR [--logits all|topk|none]
              [--top-k K] [--no-attention] [--no-qk] [--no-lens] [--threads N] [--set KEY=VALUE ...]
              [--layers L1,L2,...]
              Writes every captured internal as .npy arrays plus manifest.json. --layers keeps
              the attention maps and q/k/v of those layers (from 0) whole and the others as
              summaries: per-row entropy, first-key and previous-key mass, and each head's
              map max-pooled to 64x64 (attn_thumb_probs, attn_thumb_scores).
  bench       --model PATH [--threads N] [--prompt-tokens P] [--gen-tokens G] [--runs R]
              [--trace-tokens T [--trace-parts]] [--beams W] [--kernels] [--types]
              One JSON line with prefill_tok_s and decode_tok_s (needs no tokenizer).
              --beams W adds beam search of width W over G new tokens against greedy over
              the same G, interleaved (greedy_ms, beam_ms, beam_greedy_ratio); --trace-tokens
              T times a full-capture trace of T tokens against a plain prefill of them;
              --trace-parts adds what each captured part costs alone, as a fraction of that
              prefill (trace_parts: attention, qk, residual, ffn, logits, lens).
              --types: each GGUF weight type's matvec and matmul against float32.
  synth       --shape stories15M|stories42M|stories110M --out FILE [--seed S]
              Writes a RANDOM-WEIGHT llama2.c checkpoint of that published shape. It produces
              gibberish: use it for speed and memory measurements only.
              --arch llama|qwen2|qwen3|gpt2|gptneox|phi3|gemma2|llama-linear [--format gguf]
              --out FILE [--seed S]
              Writes a RANDOM-WEIGHT GGUF of that architecture's llama.cpp layout (dim 64,
              vocabulary 512), as the reference tests use.
  train       --config FILE.json [--out MODEL.bin] [--threads N] [--checkpoint FILE]
              [--checkpoint-every N] [--resume FILE] [--eval-lengths L1,L2,...] [--help-config]
              Trains a Llama-shaped model on the CPU; one JSON line per logged step (step,
              train_loss, val_loss, lr, grad_norm, tokens_per_s), then {"done": true, ...}.
              The model (llama2.c v1 .bin, tokenizer.bin beside it; or, for --out M.gguf, a
              GGUF of architecture llama with the vocabulary and the config embedded) goes to
              --out or ~/.local/share/transformer-anatomy/models. --help-config lists every key.
              --dump-reference DIR [--reference-steps N] writes the PyTorch check's input
              (initial weights, one batch, its gradients, N AdamW losses) instead.
  embed       --model PATH [--tokenizer PATH] (--text TEXT ... | --file FILE) [--pooling mean|cls|last]
              [--threads N]
              One JSON line per input, {"text": ..., "embedding": [...]}: an encoder's (bert)
              [CLS] text [SEP] pooled as the file's bert.pooling_type says (or --pooling) and
              L2-normalised, as llama.cpp's llama-embedding. --file: one input per line.
  info        --model PATH    Prints the model's format and configuration.
  kvcache     [--model PATH] [--context N] [--rank R]
              KV-cache bytes per token and at a context for MHA / GQA / MQA / MLA, for the
              model and for published configurations (Llama-2-7B/70B, Mistral-7B, DeepSeek-V2).
  settings    Lists the architecture simulator's --set keys with their values, defaults,
              explanations and formulas (e.g. --set norm=post --set rope_scaling=yarn).

Models are found by path, by manifest name (samples/models.tsv), in $ANATOMY_MODELS,
in $ANATOMY_SHARED_DIR/models, or in ../shared/models.
)";

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::fputs(kUsage, args.empty() ? stderr : stdout);
        return args.empty() ? 2 : 0;
    }
    const std::string cmd = args[0];
    anatomy::keepLargeBuffersForReuse();
    std::vector<std::string> rest(args.begin() + 1, args.end());
    try {
        if (std::find(rest.begin(), rest.end(), "--help") != rest.end()) {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (cmd == "generate") return cli::runGenerate(rest);
        if (cmd == "tokenize") return cli::runTokenize(rest);
        if (cmd == "perplexity") return cli::runPerplexity(rest);
        if (cmd == "trace") return cli::runTrace(rest);
        if (cmd == "bench") return cli::runBench(rest);
        if (cmd == "synth") return cli::runSynth(rest);
        if (cmd == "info") return cli::runInfo(rest);
        if (cmd == "settings") return cli::runSettings(rest);
        if (cmd == "kvcache") return cli::runKvCache(rest);
        if (cmd == "decode") return cli::runDecode(rest);
        if (cmd == "train") return cli::runTrain(rest);
        if (cmd == "embed") return cli::runEmbed(rest);
        throw UsageError("unknown command '" + cmd + "' (try anatomy-cli --help)");
    } catch (const UsageError& e) {
        std::fprintf(stderr, "anatomy-cli: error: %s\n", e.what());
        return 2;
    } catch (const Cancelled&) {
        std::fprintf(stderr, "anatomy-cli: cancelled\n");
        return 130;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "anatomy-cli: error: out of memory\n");
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "anatomy-cli: error: %s\n", e.what());
        return 1;
    }
}
