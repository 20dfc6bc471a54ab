// The training loop as a user meets it: configs that are wrong say which key, the schedule and
// the optimiser follow their formulas, a resumed run equals an uninterrupted one, and the saved
// model, opened like any checkpoint, gives the trainer's own logits.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>

#include "anatomy/error.h"
#include "anatomy/model.h"
#include "anatomy/open_model.h"
#include "anatomy/perplexity.h"
#include "anatomy/corpus.h"
#include "anatomy/session.h"
#include "anatomy/train.h"
#include "kernels/matmul.h"
#include "test_paths.h"
#include "train/adamw.h"
#include "train/train_checkpoint.h"
#include "train/train_data.h"
#include "train/train_model.h"

using namespace anatomy;
using namespace anatomy::training;
namespace fs = std::filesystem;

namespace {

std::string errorOf(const std::string& json) {
    try {
        parseTrainConfig(json);
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

std::string tinyConfig(int steps) {
    return R"({"shape": {"dim": 16, "layers": 2, "heads": 4, "kv_heads": 2, "hidden": 32, "vocab": 512, "context": 32},
               "optimisation": {"steps": )" +
           std::to_string(steps) + R"(, "batch": 2, "sequence": 16, "lr": 0.01, "warmup": 2},
               "data": {"corpus": ")" +
           sharedFile("corpus/tinystories/tinystories_train_head_197K.txt") + R"(", "tokenizer": ")" +
           modelPath("tok512.bin") + R"(", "eval_every": 3, "log_every": 1, "eval_batches": 1}})";
}

fs::path tempDir(const char* name) {
    const fs::path d = fs::temp_directory_path() / ("anatomy-train-test-" + std::string(name));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

std::vector<char> bytesOf(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("a bad training config is one line naming the key", "[train]") {
    const struct {
        const char* json;
        const char* key;
    } cases[] = {
        {R"({"shape": {"dimm": 8}})", "shape.dimm"},
        {R"({"shapes": {}})", "shapes"},
        {R"({"shape": {"dim": "128"}})", "shape.dim"},
        {R"({"shape": {"dim": 0}})", "shape.dim"},
        {R"({"shape": {"layers": -2}})", "shape.layers"},
        {R"({"shape": {"hidden": 3.5}})", "shape.hidden"},
        {R"({"shape": {"dim": 100, "heads": 3}})", "shape.heads"},
        {R"({"shape": {"heads": 4, "kv_heads": 3}})", "shape.kv_heads"},
        {R"({"shape": {"tied_classifier": 1}})", "shape.tied_classifier"},
        {R"({"optimisation": {"batch": 0}})", "optimisation.batch"},
        {R"({"optimisation": {"lr": -1}})", "optimisation.lr"},
        {R"({"optimisation": {"sequence": 512}})", "optimisation.sequence"},
        {R"({"optimisation": {"beta2": 1}})", "optimisation.beta2"},
        {R"({"data": {"corpus": 5}})", "data.corpus"},
        {R"({"data": {"train_fraction": 1.5}})", "data.train_fraction"},
        {R"({"architecture": {"norm.placement": "nowhere"}})", "architecture.norm.placement"},
        {R"({"architecture": {"norm.alpha": -1}})", "architecture.norm.alpha"},
        {R"({"architecture": {"pos": "spiral"}})", "architecture.pos"},
        {R"({"architecture": {"rope.scaling": "yarn"}})", "architecture.rope.scaling"},
        {R"({"architecture": {"ffn.act": "tanhh"}})", "architecture.ffn.act"},
        {R"({"architecture": {"moe.experts": 1}})", "architecture.moe.experts"},
        {R"({"architecture": {"moe.experts": 4, "moe.k": 5}})", "architecture.moe.k"},
        {R"({"architecture": {"moe.gate": "loud"}})", "architecture.moe.gate"},
        {R"({"optimisation": {"aux_loss_weight": 0.01}})", "optimisation.aux_loss_weight"},
        {R"({"architecture": {"attn.gate": "per-token"}})", "architecture.attn.gate"},
        {R"({"architecture": {"kv.sharing": "mqa"}})", "architecture.kv.sharing"},
        {R"({"shape": {"kv_heads": 2}, "architecture": {"kv.sharing": "latent", "kv.rank": 8}})", "shape.kv_heads"},
        {R"({"shape": {"kv_heads": 4}, "architecture": {"kv.sharing": "latent", "kv.rank": 8, "mla.rope_dim": 3}})",
         "architecture.mla.rope_dim"},
        {R"({"architecture": {"mla.rope_dim": 4}})", "architecture.mla.rope_dim"},
        {R"({"architecture": {"ffn.gated": "maybe"}})", "architecture.ffn.gated"},
        {R"({"architecture": {"norm.placement": "sideways"}})", "architecture.norm.placement"},
        {R"({"architecture": {"no.such.knob": "x"}})", "architecture.no.such.knob"},
        {R"({"architecture": {"norm.eps": true}})", "architecture.norm.eps"},
    };
    for (const auto& c : cases) {
        const std::string msg = errorOf(c.json);
        INFO(c.json << " -> " << msg);
        CHECK(msg.rfind("config: " + std::string(c.key) + ":", 0) == 0);
        CHECK(msg.find('\n') == std::string::npos);
    }
    CHECK(errorOf("{\"shape\": {\"dim\": 8,}}").find("config: JSON line 1") == 0);
    CHECK(errorOf("[1, 2]").find("config: (top level)") == 0);
}

TEST_CASE("a good config reads every section, defaults are the issue's 857K shape", "[train]") {
    const TrainConfig d = parseTrainConfig("{}");
    CHECK(size_t(trainParameterCount(d.shape)) == training::parameterCount(d.shape));
    CHECK(trainParameterCount(d.shape) > 850000);
    CHECK(trainParameterCount(d.shape) < 860000);
    const TrainConfig c = parseTrainConfig(
        R"({"shape": {"dim": 64, "kv_heads": 1, "tied_classifier": false},
            "optimisation": {"steps": 7, "seed": 12, "warmup": 0},
            "architecture": {"norm.placement": "pre", "norm.eps": 1e-6, "rope.base": "500000"}})");
    CHECK(c.shape.dim == 64);
    CHECK(c.shape.nKvHeads == 1);
    CHECK_FALSE(c.shape.tiedClassifier);
    CHECK(c.opt.steps == 7);
    CHECK(c.opt.seed == 12);
    CHECK(c.shape.normEps == 1e-6f);
    CHECK(c.shape.ropeTheta == 500000.0f);
    // The canonical line reads back to the same config.
    CHECK(parseTrainConfig(c.canonical).canonical == c.canonical);
    CHECK(trainConfigHelp().find("kv_heads") != std::string::npos);
}

TEST_CASE("warmup + cosine schedule and global-norm clipping follow their formulas", "[train]") {
    TrainOptimisation o;
    o.steps = 110;
    o.warmup = 10;
    o.lr = 1.0;
    o.minLr = 0.1;
    CHECK(scheduledLr(o, 0) == Approx(0.1));
    CHECK(scheduledLr(o, 9) == Approx(1.0));
    CHECK(scheduledLr(o, 10) == Approx(1.0));
    CHECK(scheduledLr(o, 60) == Approx(0.55));
    CHECK(scheduledLr(o, 109) == Approx(0.1 + 0.9 * 0.5 * (1 + std::cos(std::numbers::pi * 0.99))));
    std::vector<float> g = {3.0f, 4.0f};
    CHECK(clipGradients(g, 1.0) == Approx(5.0));
    CHECK(g[0] == Approx(0.6f).epsilon(1e-5));
    CHECK(g[1] == Approx(0.8f).epsilon(1e-5));
    std::vector<float> small = {0.3f, 0.4f};
    clipGradients(small, 1.0);
    CHECK(small[0] == 0.3f);
}

TEST_CASE("AdamW's first step moves each parameter by lr against its gradient's sign, plus decay", "[train]") {
    TrainOptimisation o;
    o.weightDecay = 0.5;
    o.eps = 0;
    std::vector<float> p = {1.0f, 1.0f, -2.0f};
    const std::vector<float> g = {0.5f, -3.0f, 1e-3f};
    const std::vector<uint8_t> decay = {1, 0, 1};
    AdamWState st;
    adamwStep(p, g, decay, st, o, 0.1);
    // Step 1: m/(1-β1) = g, sqrt(v/(1-β2)) = |g|, so the update is lr · sign(g).
    CHECK(p[0] == Approx(1.0 * (1 - 0.05) - 0.1).epsilon(1e-6));
    CHECK(p[1] == Approx(1.0 + 0.1).epsilon(1e-6));
    CHECK(p[2] == Approx(-2.0 * (1 - 0.05) - 0.1).epsilon(1e-5));
}

TEST_CASE("the data split keeps the first part for training and the batches are seeded", "[train]") {
    const Tokenizer tok = Tokenizer::fromLlama2cFile(modelPath("tok512.bin"), 512);
    const std::string text = "one day a cat sat on a mat and a dog ran to the sun and they had fun all day long";
    const TokenSplit s = splitAndEncode(text, 0.5, tok);
    CHECK(s.trainBytes + s.validationBytes == text.size());
    CHECK(text[s.trainBytes] == ' ');
    CHECK(s.train == tok.encode(text.substr(0, s.trainBytes), false));
    const Batch a = trainingBatch(s.train, 2, 4, 9, 3), b = trainingBatch(s.train, 2, 4, 9, 3),
                c = trainingBatch(s.train, 2, 4, 9, 4);
    CHECK(a.inputs == b.inputs);
    CHECK(a.inputs != c.inputs);
    CHECK(a.inputs[0] == Tokenizer::kBos);
    CHECK(a.inputs[1] == a.targets[0]);
    CHECK_THROWS_WITH(trainingBatch(s.train, 1, 1000, 1, 0), Catch::Contains("fewer than one sequence"));
}

TEST_CASE("training lowers the loss, the saved model opens like any checkpoint and gives the trainer's logits",
          "[train]") {
    const fs::path dir = tempDir("export");
    const TrainConfig c = parseTrainConfig(tinyConfig(12));
    TrainRunOptions run;
    run.out = (dir / "tiny.bin").string();
    std::vector<TrainLogLine> log;
    const TrainResult r = train(c, run, [&](const TrainLogLine& l) { log.push_back(l); });
    REQUIRE(log.size() == 12);
    CHECK(log.back().trainLoss < log.front().trainLoss - 0.1);
    CHECK(log.front().trainLoss == Approx(std::log(512.0)).margin(0.1));
    REQUIRE(r.finalValLoss.has_value());
    CHECK_FALSE(log.back().val2Loss.has_value());
    CHECK(std::isfinite(*r.finalValLoss));

    // The app's way of opening a model: the tokenizer is found beside it.
    const OpenedModel opened = openModelWithTokenizer(r.modelPath);
    CHECK(opened.model->config.dim == 16);
    CHECK(opened.model->config.nKvHeads == 2);
    CHECK(opened.model->config.seqLen == 32);
    const std::vector<int> ids = opened.tokenizer->encode("once upon a time there was a cat", true);
    Session session(opened.model);
    const std::vector<float> inference = session.forward(ids, true);

    const Checkpoint ck = readCheckpoint(r.checkpointPath);
    std::vector<float> params = ck.params;
    Activations act;
    forward(c.shape, bind(c.shape, params.data()), ids.data(), nullptr, 1, int(ids.size()), act);
    REQUIRE(inference.size() == act.logits.size());
    double worst = 0;
    for (size_t i = 0; i < inference.size(); ++i) worst = std::max(worst, double(std::fabs(inference[i] - act.logits[i])));
    std::printf("saved model vs trainer logits: largest difference %.3g\n", worst);
    CHECK(worst < 1e-4);
}

TEST_CASE("a post-norm LayerNorm ALiBi GELU model, opened with the --set options the trainer names, gives its logits",
          "[train]") {
    const fs::path dir = tempDir("post-layer");
    std::string json = tinyConfig(4);
    json.insert(json.rfind('}'), R"(, "architecture": {"norm.placement": "post", "norm.type": "layer", "pos": "alibi", "ffn.act": "gelu-tanh"})");
    const TrainConfig c = parseTrainConfig(json);
    REQUIRE(c.shape.placement == NormPlacement::Post);
    REQUIRE(c.shape.normType == NormType::Layer);
    CHECK(trainOpenSettings(c.shape) == std::vector<std::string>{"norm.placement=post", "norm.type=layer", "pos=alibi",
                                                                 "ffn.act=gelu-tanh"});
    CHECK(trainOpenSettings(parseTrainConfig("{}").shape).empty());
    TrainRunOptions run;
    run.out = (dir / "post.bin").string();
    const TrainResult r = train(c, run, [](const TrainLogLine&) {});

    const OpenedModel opened = openModelWithTokenizer(r.modelPath);
    Session session(opened.model);
    SimSettings settings;
    for (const std::string& a : trainOpenSettings(c.shape)) applySetting(settings, a);
    session.setSettings(settings);
    const std::vector<int> ids = opened.tokenizer->encode("the dog ran to the park", true);
    const std::vector<float> inference = session.forward(ids, true);
    std::vector<float> params = readCheckpoint(r.checkpointPath).params;
    Activations act;
    forward(c.shape, bind(c.shape, params.data()), ids.data(), nullptr, 1, int(ids.size()), act);
    REQUIRE(inference.size() == act.logits.size());
    double worst = 0;
    for (size_t i = 0; i < inference.size(); ++i) worst = std::max(worst, double(std::fabs(inference[i] - act.logits[i])));
    std::printf("post-norm LayerNorm ALiBi: saved model (with --set) vs trainer logits: largest difference %.3g\n", worst);
    CHECK(worst < 1e-4);
}

TEST_CASE("sandwich and DeepNorm models, opened with the --set options, give the trainer's logits", "[train]") {
    for (const char* arch : {R"("norm.placement": "sandwich")", R"("norm.placement": "deepnorm")",
                             R"("norm.placement": "deepnorm", "norm.alpha": 1.5)"}) {
        const fs::path dir = tempDir("sandwich-deepnorm");
        std::string json = tinyConfig(3);
        json.insert(json.rfind('}'), std::string(R"(, "architecture": {)") + arch + "}");
        const TrainConfig c = parseTrainConfig(json);
        TrainRunOptions run;
        run.out = (dir / "m.bin").string();
        const TrainResult r = train(c, run, [](const TrainLogLine&) {});
        const OpenedModel opened = openModelWithTokenizer(r.modelPath);
        Session session(opened.model);
        SimSettings settings;
        for (const std::string& a : trainOpenSettings(c.shape)) applySetting(settings, a);
        session.setSettings(settings);
        const std::vector<int> ids = opened.tokenizer->encode("a little bird sang", true);
        const std::vector<float> inference = session.forward(ids, true);
        std::vector<float> params = readCheckpoint(r.checkpointPath).params;
        Activations act;
        forward(c.shape, bind(c.shape, params.data()), ids.data(), nullptr, 1, int(ids.size()), act);
        double worst = 0;
        for (size_t i = 0; i < inference.size(); ++i)
            worst = std::max(worst, double(std::fabs(inference[i] - act.logits[i])));
        std::printf("%s: saved model (with --set) vs trainer logits: largest difference %.3g\n", arch, worst);
        CHECK(worst < 1e-4);
    }
    // DeepNet's initialisation: β = (8 L)^(-1/4) on the value projection, not on the query's.
    TrainShape deep;
    deep.placement = NormPlacement::DeepNorm;
    TrainShape pre;
    std::vector<float> a, b;
    initialise(deep, a, 3);
    initialise(pre, b, 3);
    const auto list = tensorList(pre);
    auto at = [&](const std::vector<float>& v, const char* name) {
        for (const TensorInfo& t : list)
            if (t.name == name) return v[t.offset + 5];
        return 0.0f;
    };
    CHECK(at(a, "wq.0") == at(b, "wq.0"));
    CHECK(at(a, "wv.0") == Approx(at(b, "wv.0") * std::pow(8.0 * 4, -0.25)).epsilon(1e-5));
}

TEST_CASE("a resumed run ends with the same model as an uninterrupted one", "[train]") {
    const fs::path dir = tempDir("resume");
    auto quiet = [](const TrainLogLine&) {};
    TrainRunOptions straight;
    straight.out = (dir / "straight.bin").string();
    train(parseTrainConfig(tinyConfig(6)), straight, quiet);

    // Stop after 3 steps: the checkpoint written when the stop fires is resumed for the rest.
    TrainRunOptions first;
    first.out = (dir / "resumed.bin").string();
    std::stop_source stop;
    int seen = 0;
    CHECK_THROWS_AS(train(parseTrainConfig(tinyConfig(6)), first,
                          [&](const TrainLogLine&) {
                              if (++seen == 3) stop.request_stop();
                          },
                          stop.get_token()),
                    Cancelled);
    TrainRunOptions second = first;
    second.resume = first.out + ".ckpt";
    std::vector<int> steps;
    train(parseTrainConfig(tinyConfig(6)), second, [&](const TrainLogLine& l) { steps.push_back(l.step); });
    CHECK(steps == std::vector<int>{4, 5, 6});
    CHECK(bytesOf(dir / "straight.bin") == bytesOf(dir / "resumed.bin"));

    // Another config cannot resume this checkpoint; a file that is no checkpoint says so.
    CHECK_THROWS_WITH(train(parseTrainConfig(tinyConfig(7)), second, quiet), Catch::Contains("another config"));
    TrainRunOptions bad = first;
    bad.resume = (dir / "straight.bin").string();
    CHECK_THROWS_WITH(train(parseTrainConfig(tinyConfig(6)), bad, quiet), Catch::Contains("magic"));
    // A checkpoint cut short is refused before anything is read into the model.
    std::vector<char> cut = bytesOf(second.resume);
    cut.resize(cut.size() - 100);
    bad.resume = (dir / "cut.ckpt").string();
    std::ofstream(bad.resume, std::ios::binary).write(cut.data(), std::streamsize(cut.size()));
    CHECK_THROWS_WITH(train(parseTrainConfig(tinyConfig(6)), bad, quiet), Catch::Contains("file size"));
}

TEST_CASE("training gives the same model at 1 and 2 threads", "[train]") {
    const fs::path dir = tempDir("threads");
    for (int threads : {1, 2}) {
        TrainRunOptions run;
        run.out = (dir / ("t" + std::to_string(threads) + ".bin")).string();
        run.threads = threads;
        // Large enough that every product and loop is split across workers.
        std::string json = tinyConfig(3);
        for (auto [from, to] : {std::pair<std::string, std::string>{"\"dim\": 16", "\"dim\": 64"},
                                {"\"batch\": 2", "\"batch\": 4"}})
            json.replace(json.find(from), from.size(), to);
        train(parseTrainConfig(json), run, [](const TrainLogLine&) {});
    }
    CHECK(bytesOf(dir / "t1.bin") == bytesOf(dir / "t2.bin"));
    ops::setThreads(0);
}

TEST_CASE("a second validation text is reported beside the first", "[train]") {
    const fs::path dir = tempDir("val2");
    std::string json = tinyConfig(3);
    json.insert(json.rfind('}') - 1, R"(, "validation_text": ")" + sharedFile("corpus/tinystories/tinystories_train_head_197K.txt") + "\"");
    TrainRunOptions run;
    run.out = (dir / "m.bin").string();
    std::vector<TrainLogLine> log;
    train(parseTrainConfig(json), run, [&](const TrainLogLine& l) { log.push_back(l); });
    REQUIRE(log.back().val2Loss.has_value());
    CHECK(std::isfinite(*log.back().val2Loss));
    CHECK(*log.back().val2Loss != *log.back().valLoss);
    TrainConfig bad = parseTrainConfig(json);
    bad.data.validationText = (dir / "none.txt").string();
    CHECK_THROWS_WITH(train(bad, run, [](const TrainLogLine&) {}), Catch::StartsWith("config: data.validation_text:"));
}

TEST_CASE("a missing corpus or a tokenizer of another vocabulary names the key", "[train]") {
    std::string json = tinyConfig(2);
    TrainConfig c = parseTrainConfig(json);
    c.data.corpus = "/nonexistent/corpus.txt";
    CHECK_THROWS_WITH(train(c, {}, [](const TrainLogLine&) {}), Catch::StartsWith("config: data.corpus:"));
    c = parseTrainConfig(json);
    c.shape.vocab = 600;
    CHECK_THROWS_WITH(train(c, {}, [](const TrainLogLine&) {}), Catch::Contains("shape.vocab"));
}

TEST_CASE("anatomy-cli perplexity's window on the saved model equals the trainer's validation loss on that text",
          "[train]") {
    // One validation window (batch 1, eval_batches 1) of T tokens at offset 0 of the text is
    // [BOS, s_0 .. s_{T-2}] -> [s_0 .. s_{T-1}]: the perplexity protocol's window of context T + 1
    // over [BOS] + text[0 : T] (its last position predicts nothing).
    const fs::path dir = tempDir("ppl-equals-val");
    const std::string text = readTextFile(sharedFile("corpus/tinystories/tinystories_train_head_197K.txt")).substr(0, 3000);
    {
        std::ofstream f(dir / "val.txt", std::ios::binary);
        f << text;
    }
    for (const char* arch : {"", R"(, "architecture": {"norm.placement": "post", "norm.type": "layer", "pos": "alibi"})"}) {
        std::string json = tinyConfig(6);
        json.replace(json.find("\"batch\": 2"), 10, "\"batch\": 1");
        json.insert(json.rfind('}') - 1, R"(, "validation_text": ")" + (dir / "val.txt").string() + "\"");
        json.insert(json.rfind('}'), arch);
        const TrainConfig c = parseTrainConfig(json);
        TrainRunOptions run;
        run.out = (dir / (std::string(*arch ? "post" : "pre") + ".bin")).string();
        std::vector<TrainLogLine> log;
        const TrainResult r = train(c, run, [&](const TrainLogLine& l) { log.push_back(l); });
        REQUIRE(log.back().val2Loss.has_value());
        const OpenedModel opened = openModelWithTokenizer(r.modelPath);
        SimSettings settings;
        for (const std::string& a : trainOpenSettings(c.shape)) applySetting(settings, a);
        const int T = c.opt.sequence;
        const PerplexityResult p = windowPerplexity(opened.model, *opened.tokenizer, text, TokenWindow{0, T}, T + 1,
                                                    settings);
        CHECK(p.predictions == T);
        const double cli = std::log(p.ppl), trainer = *log.back().val2Loss;
        std::printf("%s: perplexity window log(ppl) %.9f, trainer validation loss %.9f, relative difference %.3g\n",
                    *arch ? "post-norm LayerNorm ALiBi" : "pre-norm RMSNorm RoPE", cli, trainer,
                    std::fabs(cli - trainer) / trainer);
        CHECK(std::fabs(cli - trainer) / trainer < 1e-4);
    }
}
