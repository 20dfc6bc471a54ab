// The trainer's designs beyond llama2.c's layout, saved as GGUF architecture anatomy-train, opened
// by the inference loader as any checkpoint: the perplexity protocol's window (what anatomy-cli
// perplexity runs) equals the trainer's own validation loss on the same text, and a design the
// forward pass does not run yet is refused at load with one line naming it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "anatomy/corpus.h"
#include "anatomy/error.h"
#include "anatomy/model.h"
#include "anatomy/open_model.h"
#include "anatomy/perplexity.h"
#include "anatomy/session.h"
#include "anatomy/train.h"
#include "test_paths.h"
#include "train/train_checkpoint.h"
#include "train/train_model.h"

using namespace anatomy;
namespace fs = std::filesystem;

namespace {

fs::path tempDir(const char* name) {
    const fs::path d = fs::temp_directory_path() / ("anatomy-train-open-" + std::string(name));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

// A tiny model trained for a few steps; one validation window (batch 1, one eval batch) of the
// given text. archJson: the config's "architecture" section, without braces.
std::string designConfig(const std::string& archJson, const std::string& shapeExtra, const fs::path& valText) {
    return R"({"shape": {"dim": 16, "layers": 2, "heads": 4, "kv_heads": 2, "hidden": 32, "vocab": 512, "context": 32)" +
           shapeExtra + R"(},
               "optimisation": {"steps": 6, "batch": 1, "sequence": 16, "lr": 0.01, "warmup": 2},
               "data": {"corpus": ")" +
           sharedFile("corpus/tinystories/tinystories_train_head_197K.txt") + R"(", "tokenizer": ")" +
           modelPath("tok512.bin") + R"(", "eval_every": 3, "log_every": 1, "eval_batches": 1, "validation_text": ")" +
           valText.string() + R"("},
               "architecture": {)" + archJson + "}}";
}

}  // namespace

TEST_CASE("anatomy-train GGUFs open in the inference engine and measure the trainer's validation loss",
          "[train][anatomy-train]") {
    // One validation window of T tokens at offset 0 is [BOS, s_0 .. s_{T-2}] -> [s_0 .. s_{T-1}]:
    // the perplexity protocol's window of context T + 1 over [BOS] + text[0 : T].
    const fs::path dir = tempDir("ppl");
    const std::string text = readTextFile(sharedFile("corpus/tinystories/tinystories_train_head_197K.txt")).substr(0, 3000);
    {
        std::ofstream f(dir / "val.txt", std::ios::binary);
        f << text;
    }
    const struct {
        const char* name;
        const char* arch;
        const char* shape;
        const char* features;  // what `info` says of it (architectureFeatures)
    } designs[] = {
        {"head-wise gate, learned positions", R"("attn.gate": "headwise", "pos": "learned")", "",
         "head-wise gated attention"},
        {"element-wise gate, sinusoidal positions, plain GELU FFN",
         R"("attn.gate": "elementwise", "pos": "sinusoidal", "ffn.gated": false, "ffn.act": "gelu-tanh")", "",
         "sinusoidal absolute positions"},
        {"plain ReLU FFN, RoPE, untied", R"("ffn.gated": false, "ffn.act": "relu")", R"(, "tied_classifier": false)",
         "other FFN"},
        {"post-norm LayerNorm ALiBi", R"("norm.placement": "post", "norm.type": "layer", "pos": "alibi")", "",
         "LayerNorm"},
        {"DeepNorm, head-wise gate, no positions", R"("norm.placement": "deepnorm", "attn.gate": "headwise", "pos": "none")",
         "", "head-wise gated attention"},
        {"MoE: 4 SwiGLU experts, top-2 softmax gates (Mixtral), noisy top-k in training",
         R"("moe.experts": 4, "moe.k": 2, "moe.gate": "softmax", "moe.noise": 1.0)", "", "trained MoE (4 experts, top-2)"},
        {"MoE: 3 plain ReLU experts, top-1 prob gates (Switch), head-wise gate",
         R"("moe.experts": 3, "moe.k": 1, "moe.gate": "prob", "ffn.gated": false, "ffn.act": "relu", "attn.gate": "headwise")",
         "", "head-wise gated attention"},
        {"sandwich norm, GELU gate (GEGLU), learned positions",
         R"("norm.placement": "sandwich", "ffn.act": "gelu-erf", "pos": "learned")", "", "learned absolute positions"},
    };
    int n = 0;
    for (const auto& d : designs) {
        INFO(d.name);
        const TrainConfig c = parseTrainConfig(designConfig(d.arch, d.shape, dir / "val.txt"));
        TrainRunOptions run;
        run.out = (dir / ("design" + std::to_string(n++) + ".gguf")).string();
        std::vector<TrainLogLine> log;
        const TrainResult r = train(c, run, [&](const TrainLogLine& l) { log.push_back(l); });
        REQUIRE(log.back().val2Loss.has_value());
        const OpenedModel opened = openModelWithTokenizer(r.modelPath);
        CHECK(opened.model->architecture.name == "anatomy-train");
        CHECK_THAT(architectureFeatures(opened.model->architecture), Catch::Contains(d.features));
        const int T = c.opt.sequence;
        const PerplexityResult p = windowPerplexity(opened.model, *opened.tokenizer, text, TokenWindow{0, T}, T + 1,
                                                    SimSettings{});
        CHECK(p.predictions == T);
        const double cli = std::log(p.ppl), trainer = *log.back().val2Loss;
        std::printf("%s: perplexity window log(ppl) %.9f, trainer validation loss %.9f, relative difference %.3g\n",
                    d.name, cli, trainer, std::fabs(cli - trainer) / trainer);
        CHECK(std::fabs(cli - trainer) / trainer < 1e-4);
        // And every logit of a prompt, against the trainer's forward pass on the saved parameters.
        Session session(opened.model);
        const std::vector<int> ids = opened.tokenizer->encode("a little bird sang to the cat", true);
        const std::vector<float> inference = session.forward(ids, true);
        std::vector<float> params = training::readCheckpoint(r.checkpointPath).params;
        training::Activations act;
        training::forward(c.shape, training::bind(c.shape, params.data()), ids.data(), nullptr, 1, int(ids.size()), act);
        REQUIRE(inference.size() == act.logits.size());
        double worst = 0;
        for (size_t i = 0; i < inference.size(); ++i)
            worst = std::max(worst, double(std::fabs(inference[i] - act.logits[i])));
        std::printf("%s: logits vs the trainer's: largest difference %.3g\n", d.name, worst);
        CHECK(worst < 1e-4);
    }
}

TEST_CASE("an anatomy-train design the forward pass does not run yet is refused at load with one line naming it",
          "[train][anatomy-train]") {
    const fs::path dir = tempDir("refused");
    {
        std::ofstream f(dir / "val.txt", std::ios::binary);
        f << readTextFile(sharedFile("corpus/tinystories/tinystories_train_head_197K.txt")).substr(0, 3000);
    }
    const struct {
        const char* arch;
        const char* design;
    } cases[] = {
        {R"("norm.type": "batch")", "BatchNorm"},
        {R"("kv.sharing": "latent", "kv.rank": 8)", "MLA"},
    };
    int n = 0;
    for (const auto& k : cases) {
        INFO(k.design);
        std::string json = designConfig(k.arch, "", dir / "val.txt");
        json.replace(json.find("\"steps\": 6"), 10, "\"steps\": 1");
        // MLA's keys come from the latent: as many KV heads as heads.
        if (std::string(k.design) == "MLA") json.replace(json.find("\"kv_heads\": 2"), 13, "\"kv_heads\": 4");
        TrainRunOptions run;
        run.out = (dir / ("refused" + std::to_string(n++) + ".gguf")).string();
        const TrainResult r = train(parseTrainConfig(json), run, [](const TrainLogLine&) {});
        std::string msg = "(no error)";
        try {
            openModelWithTokenizer(r.modelPath);
        } catch (const Error& e) {
            msg = e.what();
        }
        CHECK_THAT(msg, Catch::Contains(k.design) && Catch::Contains("anatomy-train"));
        CHECK(msg.find('\n') == std::string::npos);
    }
}
