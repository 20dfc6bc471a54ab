// The training loop: per step, a seeded batch, forward, backward, global-norm clip, the
// scheduled learning rate and one AdamW step; a log line every logEvery steps, a validation
// loss every evalEvery steps, the checkpoint every checkpointEvery steps and at the end.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "anatomy/corpus.h"
#include "anatomy/error.h"
#include "anatomy/nd_array.h"
#include "anatomy/npy.h"
#include "anatomy/output_path.h"
#include "anatomy/tokenizer.h"
#include "anatomy/train.h"
#include "kernels/matmul.h"
#include "train/adamw.h"
#include "train/train_checkpoint.h"
#include "train/train_gguf.h"
#include "train/train_data.h"
#include "train/train_model.h"

namespace anatomy {
namespace fs = std::filesystem;
using namespace training;

namespace {

constexpr const char* kTrainCorpus = "corpus/tinystories/tinystories_train_head_lowercase_4M.txt";
constexpr const char* kTrainTokenizer = "models/stories260K/tok512.bin";

std::string resolveData(const std::string& given, const char* relative, const char* key) {
    if (!given.empty()) {
        std::error_code ec;
        if (!fs::is_regular_file(given, ec))
            throw Error(std::string("config: ") + key + ": " + given + " is not a readable file");
        return given;
    }
    const std::string found = findSharedFile(relative);
    if (found.empty())
        throw Error(std::string("config: ") + key + ": no file given and " + relative +
                    " was not found in any shared folder (set ANATOMY_SHARED_DIR)");
    return found;
}

Tokenizer loadTokenizer(const TrainConfig& c, std::string* pathOut) {
    const std::string path = resolveData(c.data.tokenizer, kTrainTokenizer, "data.tokenizer");
    if (pathOut) *pathOut = path;
    try {
        return Tokenizer::fromLlama2cFile(path, c.shape.vocab);
    } catch (const Error& e) {
        throw Error(std::string("config: shape.vocab / data.tokenizer: ") + e.what());
    }
}

std::vector<uint8_t> decayMask(const TrainShape& s) {
    std::vector<uint8_t> mask(parameterCount(s), 0);
    for (const TensorInfo& t : tensorList(s)) {
        size_t n = 1;
        for (int d : t.shape) n *= size_t(d);
        std::fill_n(mask.begin() + long(t.offset), n, uint8_t(t.decayed));
    }
    return mask;
}

// What each design shows, from the last forward pass and the step's gradients (train.h).
void designStats(const TrainShape& s, const Activations& act, const std::vector<float>& grads, TrainLogLine& line) {
    const int B = act.B, T = act.T, N = B * T;
    line.gradNormPerLayer.assign(size_t(s.nLayers), 0.0);
    for (const TensorInfo& t : tensorList(s)) {
        const auto dot = t.name.find('.');
        if (dot == std::string::npos) continue;
        size_t n = 1;
        for (int d : t.shape) n *= size_t(d);
        double sum = 0;
        for (size_t i = 0; i < n; ++i) sum += double(grads[t.offset + i]) * grads[t.offset + i];
        line.gradNormPerLayer[size_t(std::stoi(t.name.substr(dot + 1)))] += sum;
    }
    for (double& v : line.gradNormPerLayer) v = std::sqrt(v);
    line.firstTokenMass.assign(size_t(s.nLayers), std::vector<double>(size_t(s.nHeads), 0.0));
    double maxAbs = 0;
    for (int l = 0; l < s.nLayers; ++l) {
        const Activations::Layer& a = act.layers[size_t(l)];
        for (int b = 0; b < B; ++b)
            for (int h = 0; h < s.nHeads; ++h) {
                const float* p = a.prob.data() + (size_t(b) * s.nHeads + h) * T * T;
                double m = 0;
                for (int t = 1; t < T; ++t) m += p[size_t(t) * T];
                line.firstTokenMass[size_t(l)][size_t(h)] += T > 1 ? m / (T - 1) / B : 0.0;
            }
        for (float v : a.xIn) maxAbs = std::max(maxAbs, double(std::fabs(v)));
        if (s.experts() > 0) {
            std::vector<double> load(size_t(s.experts()));
            for (int e = 0; e < s.experts(); ++e) load[size_t(e)] = a.moe.assigned[size_t(e)] / (double(N) * s.moe.topK);
            line.expertLoad.push_back(std::move(load));
            line.droppedFraction += double(a.moe.dropped) / (double(N) * s.moe.topK) / s.nLayers;
        }
    }
    for (float v : act.xOut) maxAbs = std::max(maxAbs, double(std::fabs(v)));
    line.maxActivation = maxAbs;
    line.auxLoss = act.auxLoss;
}

double validationLoss(const TrainConfig& c, const Tensors& w, const std::vector<int>& tokens, Activations& act) {
    const int B = c.opt.batch, T = c.opt.sequence, batches = c.data.evalBatches;
    act.routerNoise.clear();  // evaluation routes without noise
    act.normStats = Activations::NormStats::Running;  // and BatchNorm uses its running statistics
    double sum = 0.0;
    for (int i = 0; i < batches; ++i) {
        const Batch b = validationBatch(tokens, B, T, i * B, batches * B);
        sum += forward(c.shape, w, b.inputs.data(), b.targets.data(), B, T, act);
    }
    act.normStats = Activations::NormStats::Train;
    return sum / batches;
}

void copyTokenizerBeside(const std::string& tokenizer, const std::string& model) {
    const fs::path target = fs::path(model).parent_path() / "tokenizer.bin";
    std::error_code ec;
    if (fs::exists(target, ec) && fs::equivalent(target, tokenizer, ec)) return;
    fs::copy_file(tokenizer, target, fs::copy_options::overwrite_existing, ec);
    if (ec) throw Error(target.string() + ": cannot copy the tokenizer beside the model: " + ec.message());
}

}  // namespace

std::string defaultTrainOutputDir() {
    fs::path base;
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) base = x;
    else if (const char* h = std::getenv("HOME"); h && *h) base = fs::path(h) / ".local" / "share";
    else throw Error("train: neither XDG_DATA_HOME nor HOME is set; pass --out");
    const fs::path dir = base / "transformer-anatomy" / "models";
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(dir.string() + ": cannot create the model folder: " + ec.message());
    return dir.string();
}

TrainResult train(const TrainConfig& c, const TrainRunOptions& run,
                  const std::function<void(const TrainLogLine&)>& onLog, std::stop_token stop) {
    if (run.threads > 0) ops::setThreads(run.threads);
    const TrainShape& s = c.shape;
    const std::string corpusPath = resolveData(c.data.corpus, kTrainCorpus, "data.corpus");
    std::string tokenizerPath;
    const Tokenizer tok = loadTokenizer(c, &tokenizerPath);

    TrainResult result;
    // Designs beyond llama2.c's layout (extra or missing tensors) are written as GGUF only.
    const bool bin = s.llama2cLayout();
    result.modelPath = run.out.empty() ? (fs::path(defaultTrainOutputDir()) /
                                          ((bin ? "llama-" : "anatomy-") + std::to_string(s.dim) + "x" +
                                           std::to_string(s.nLayers) + "-seed" + std::to_string(c.opt.seed) +
                                           (bin ? ".bin" : ".gguf")))
                                             .string()
                                       : run.out;
    result.checkpointPath = run.checkpoint.empty() ? result.modelPath + ".ckpt" : run.checkpoint;
    // Before the work: a run must never end in "cannot write".
    requireWritableFile(result.modelPath, "--out");
    const bool gguf = fs::path(result.modelPath).extension() == ".gguf";
    if (!gguf && !bin)
        throw Error("--out " + result.modelPath + ": a llama2.c .bin has no place for this design's tensors (" +
                    ggufDesignName(s) + "): write MODEL.gguf");
    requireWritableFile(result.checkpointPath, "--checkpoint");

    Checkpoint state;
    if (!run.resume.empty()) {
        state = readCheckpoint(run.resume);
        if (state.config != c.canonical)
            throw Error(run.resume + ": the checkpoint was written by another config (resume needs the same one)");
        if (state.params.size() != parameterCount(s))
            throw FormatError(run.resume, "parameter count", std::to_string(parameterCount(s)),
                              std::to_string(state.params.size()));
    } else {
        initialise(s, state.params, c.opt.seed);
        state.config = c.canonical;
    }

    // The model in the chosen format; a .bin gets the llama2.c tokenizer beside it.
    auto saveModel = [&] {
        if (gguf) {
            writeTrainedGguf(result.modelPath, s, state.params, tok, c.canonical);
        } else {
            writeLlama2cV1(result.modelPath, s, state.params);
            copyTokenizerBeside(tokenizerPath, result.modelPath);
        }
    };
    std::vector<int> validation2;
    if (!c.data.validationText.empty())
        validation2 = tok.encode(readTextFile(resolveData(c.data.validationText, "", "data.validation_text")), false);
    const TokenSplit data = splitAndEncode(readTextFile(corpusPath), c.data.trainFraction, tok);
    std::vector<float> grads(state.params.size());
    const Tensors w = bind(s, state.params.data());
    const Tensors g = bind(s, grads.data());
    const std::vector<uint8_t> decay = decayMask(s);
    Activations act;
    const int B = c.opt.batch, T = c.opt.sequence;
    // The validation part must hold a window before training starts, not after the first eval.
    validationBatch(data.validation, B, T, 0, 1);
    if (!c.data.validationText.empty()) validationBatch(validation2, B, T, 0, 1);

    auto last = std::chrono::steady_clock::now();
    int stepsSinceLog = 0;
    for (int step = state.step; step < c.opt.steps; ++step) {
        if (stop.stop_requested()) {
            writeCheckpoint(result.checkpointPath, state);
            throw Cancelled();
        }
        const Batch b = trainingBatch(data.train, B, T, c.opt.seed, step);
        act.routerNoise = routerNoise(s, B * T, step);
        act.auxWeight = c.opt.auxLossWeight;
        const double loss = forward(s, w, b.inputs.data(), b.targets.data(), B, T, act);
        backward(s, w, g, b.inputs.data(), b.targets.data(), act);
        const bool lastStep = step + 1 == c.opt.steps;
        const bool eval = lastStep || (step + 1) % c.data.evalEvery == 0;
        TrainLogLine line;
        const bool logStep = lastStep || step == 0 || eval || (step + 1) % c.data.logEvery == 0;
        if (logStep) designStats(s, act, grads, line);  // before clipping, and before validation reuses act
        const double norm = clipGradients(grads, c.opt.clip);
        const double lr = scheduledLr(c.opt, step);
        adamwStep(state.params, grads, decay, state.adam, c.opt, lr);
        state.step = step + 1;
        ++stepsSinceLog;

        if (logStep) {
            const auto now = std::chrono::steady_clock::now();
            const double seconds = std::chrono::duration<double>(now - last).count();
            line.step = step + 1;
            line.trainLoss = loss;
            line.lr = lr;
            line.gradNorm = norm;
            line.tokensPerS = seconds > 0 ? double(stepsSinceLog) * B * T / seconds : 0.0;
            if (eval) line.valLoss = validationLoss(c, w, data.validation, act);
            if (eval && !validation2.empty()) line.val2Loss = validationLoss(c, w, validation2, act);
            if (eval && s.batchNorm) {
                // The same windows normalised with their own batch's statistics: the train/eval gap.
                act.normStats = Activations::NormStats::BatchOnly;
                const int batches = c.data.evalBatches;
                double sum = 0;
                for (int i = 0; i < batches; ++i) {
                    const Batch vb = validationBatch(data.validation, B, T, i * B, batches * B);
                    sum += forward(s, w, vb.inputs.data(), vb.targets.data(), B, T, act);
                }
                act.normStats = Activations::NormStats::Train;
                line.valLossBatchStats = sum / batches;
            }
            if (lastStep) result.finalValLoss = line.valLoss;
            onLog(line);
            stepsSinceLog = 0;
            last = std::chrono::steady_clock::now();  // validation time is not training time
        }
        // The model file too, so a run stopped from outside (a time limit) leaves a usable model.
        if (run.checkpointEvery > 0 && (step + 1) % run.checkpointEvery == 0 && !lastStep) {
            writeCheckpoint(result.checkpointPath, state);
            saveModel();
        }
    }
    result.steps = state.step;
    saveModel();
    writeCheckpoint(result.checkpointPath, state);
    // Length extrapolation: the same validation windows' count at each length, B T <= batch sequence
    // tokens per forward (so the attention probabilities stay within the training run's memory).
    act.routerNoise.clear();
    act.normStats = Activations::NormStats::Running;
    for (int length : run.evalLengths) {
        TrainResult::LengthLoss ll{length, std::nullopt};
        if (length >= 2 && !(s.absolute == AbsolutePositions::Learned && length > s.context)) {
            const int windows = c.data.evalBatches * B;
            const int perBatch = std::max(1, std::min(windows, B * T / length));
            double sum = 0;
            int done = 0;
            for (int first = 0; first < windows; first += perBatch) {
                const int n = std::min(perBatch, windows - first);
                const Batch vb = validationBatch(data.validation, n, length, first, windows);
                sum += forward(s, w, vb.inputs.data(), vb.targets.data(), n, length, act) * n;
                done += n;
            }
            ll.valLoss = sum / done;
        }
        result.lengthLosses.push_back(ll);
    }
    return result;
}

void writeTrainReference(const TrainConfig& c, const std::string& dir, int steps) {
    const TrainShape& s = c.shape;
    const std::string corpusPath = resolveData(c.data.corpus, kTrainCorpus, "data.corpus");
    const Tokenizer tok = loadTokenizer(c, nullptr);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(dir + ": cannot create: " + ec.message());

    std::vector<float> params;
    initialise(s, params, c.opt.seed);
    const Tensors w = bind(s, params.data());
    std::vector<float> grads(params.size());
    const Tensors g = bind(s, grads.data());
    const int B = c.opt.batch, T = c.opt.sequence;
    // A batch from the head of the text (the whole corpus is not needed for one batch).
    std::string text = readTextFile(corpusPath);
    text.resize(std::min(text.size(), size_t(20) * B * T * 4 + 4096));
    const std::vector<int> tokens = tok.encode(text, false);
    const Batch b = trainingBatch(tokens, B, T, c.opt.seed, 0);

    auto tensorNpy = [&](const std::string& name, const float* p, const std::vector<int>& shape) {
        FloatArray a;
        size_t n = 1;
        for (int d : shape) {
            a.shape.push_back(d);
            n *= size_t(d);
        }
        a.data.assign(p, p + n);
        writeNpy((fs::path(dir) / (name + ".npy")).string(), a);
    };
    for (const TensorInfo& t : tensorList(s)) tensorNpy(t.name, params.data() + t.offset, t.shape);
    IntArray in, tg;
    in.shape = tg.shape = {B, T};
    in.data.assign(b.inputs.begin(), b.inputs.end());
    tg.data.assign(b.targets.begin(), b.targets.end());
    writeNpy((fs::path(dir) / "inputs.npy").string(), in);
    writeNpy((fs::path(dir) / "targets.npy").string(), tg);

    Activations act;
    const std::vector<uint8_t> decay = decayMask(s);
    AdamWState adam;
    std::vector<double> losses, norms;
    act.auxWeight = c.opt.auxLossWeight;
    for (int step = 0; step < steps; ++step) {
        act.routerNoise = routerNoise(s, B * T, step);
        if (!act.routerNoise.empty()) {
            FloatArray noise;
            noise.shape = {s.nLayers, B * T, s.experts()};
            noise.data.assign(act.routerNoise.begin(), act.routerNoise.end());
            writeNpy((fs::path(dir) / ("noise_" + std::to_string(step) + ".npy")).string(), noise);
        }
        const double loss = forward(s, w, b.inputs.data(), b.targets.data(), B, T, act);
        backward(s, w, g, b.inputs.data(), b.targets.data(), act);
        losses.push_back(loss + act.auxLoss);
        if (step == 0) {
            for (const TensorInfo& t : tensorList(s)) tensorNpy("grad_" + t.name, grads.data() + t.offset, t.shape);
        }
        norms.push_back(clipGradients(grads, c.opt.clip));
        adamwStep(params, grads, decay, adam, c.opt, scheduledLr(c.opt, step));
    }
    std::FILE* f = std::fopen((fs::path(dir) / "reference.json").string().c_str(), "w");
    if (!f) throw Error(dir + "/reference.json: cannot write");
    std::fprintf(f, "{\"config\": %s,\n \"losses\": [", c.canonical.c_str());
    for (size_t i = 0; i < losses.size(); ++i) std::fprintf(f, "%s%.17g", i ? ", " : "", losses[i]);
    std::fprintf(f, "],\n \"grad_norms\": [");
    for (size_t i = 0; i < norms.size(); ++i) std::fprintf(f, "%s%.17g", i ? ", " : "", norms[i]);
    std::fprintf(f, "],\n \"tensors\": [");
    bool first = true;
    for (const TensorInfo& t : tensorList(s)) {
        std::fprintf(f, "%s{\"name\": \"%s\", \"decayed\": %s}", first ? "" : ", ", t.name.c_str(),
                     t.decayed ? "true" : "false");
        first = false;
    }
    std::fprintf(f, "]}\n");
    std::fclose(f);
}

}  // namespace anatomy
