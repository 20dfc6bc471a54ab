// The trainer's designs beyond llama2.c's layout, saved as GGUF architecture anatomy-train, opened
// by the inference loader as any checkpoint: the perplexity protocol's window (what anatomy-cli
// perplexity runs) equals the trainer's own validation loss on the same text (BatchNorm: with its
// running statistics; MLA: keys and values from the cached latent), and a damaged file (running
// statistics missing or negative, latent weights of the wrong shape) is refused with one line.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <vector>

#include "anatomy/corpus.h"
#include "anatomy/error.h"
#include "anatomy/model.h"
#include "anatomy/open_model.h"
#include "anatomy/perplexity.h"
#include "anatomy/session.h"
#include "anatomy/train.h"
#include "test_paths.h"
#include "train/train_checkpoint.h"
#include "train/train_gguf.h"
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

// MLA's keys come from the latent: as many KV heads as heads.
std::string allKvHeads(std::string json) {
    json.replace(json.find("\"kv_heads\": 2"), 13, "\"kv_heads\": 4");
    return json;
}

std::vector<char> readBytes(const fs::path& p) {
    std::ifstream f(p, std::ios::binary);
    return std::vector<char>(std::istreambuf_iterator<char>(f), {});
}

void writeBytes(const fs::path& p, const std::vector<char>& b) {
    std::ofstream f(p, std::ios::binary);
    f.write(b.data(), std::streamsize(b.size()));
}

// Where a GGUF header names a tensor: the offset just past its name's bytes (exactly one occurrence).
size_t afterName(const std::vector<char>& b, const std::string& name) {
    const std::string with = std::string(1, char(name.size())) + std::string(7, '\0') + name;  // u64 length, then the name
    auto it = std::search(b.begin(), b.end(), with.begin(), with.end());
    REQUIRE(it != b.end());
    REQUIRE(std::search(it + 1, b.end(), with.begin(), with.end()) == b.end());
    return size_t(it - b.begin()) + with.size();
}

std::string openError(const fs::path& p) {
    try {
        openModelWithTokenizer(p.string());
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
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
        bool mla = false;
        int steps = 6;
    } designs[] = {
        // Trained longer, so its running statistics and logits are far from their initial values.
        {"BatchNorm, pre-norm, 80 steps", R"("norm.type": "batch")", "", "pre-BatchNorm (running statistics)", false, 80},
        {"BatchNorm, post-norm, ALiBi, untied", R"("norm.type": "batch", "norm.placement": "post", "pos": "alibi")",
         R"(, "tied_classifier": false)", "post-BatchNorm"},
        {"MLA rank 8, RoPE key, 80 steps", R"("kv.sharing": "latent", "kv.rank": 8)", "", "MLA (latent rank 8 + RoPE key 2)",
         true, 80},
        {"MLA rank 6, RoPE key 4, head-wise gate, BatchNorm",
         R"("kv.sharing": "latent", "kv.rank": 6, "mla.rope_dim": 4, "attn.gate": "headwise", "norm.type": "batch")", "",
         "MLA (latent rank 6 + RoPE key 4)", true},
        {"MLA rank 8, ALiBi (no RoPE key)", R"("kv.sharing": "latent", "kv.rank": 8, "pos": "alibi")", "",
         "MLA (latent rank 8 + RoPE key 0)", true},
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
        std::string json = designConfig(d.arch, d.shape, dir / "val.txt");
        json.replace(json.find("\"steps\": 6"), 10, "\"steps\": " + std::to_string(d.steps));
        const TrainConfig c = parseTrainConfig(d.mla ? allKvHeads(json) : json);
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
        act.normStats = training::Activations::NormStats::Running;  // BatchNorm: eval mode, as deployed
        training::forward(c.shape, training::bind(c.shape, params.data()), ids.data(), nullptr, 1, int(ids.size()), act);
        REQUIRE(inference.size() == act.logits.size());
        double worst = 0;
        for (size_t i = 0; i < inference.size(); ++i)
            worst = std::max(worst, double(std::fabs(inference[i] - act.logits[i])));
        double largest = 0;
        for (float z : act.logits) largest = std::max(largest, double(std::fabs(z)));
        std::printf("%s: logits vs the trainer's: largest difference %.3g (largest |logit| %.3g)\n", d.name, worst,
                    largest);
        CHECK(worst <= 1e-4 * largest);  // 1e-4 relative to the largest logit
        // Decoding token by token reads the KV cache (MLA: the cached latents and RoPE keys) and
        // gives the last row of the prompt's forward pass.
        Session decode(opened.model);
        std::vector<float> last;
        for (int id : ids) last = decode.forward(std::span<const int>(&id, 1), false);
        const size_t V = last.size();
        double stepWorst = 0;
        for (size_t i = 0; i < V; ++i)
            stepWorst = std::max(stepWorst, double(std::fabs(last[i] - inference[inference.size() - V + i])));
        std::printf("%s: token-by-token decode vs the prompt's last row: largest difference %.3g\n", d.name, stepWorst);
        CHECK(stepWorst < 1e-4);
        if (c.shape.batchNorm) {
            // The running statistics matter: the prompt's own batch statistics give other logits.
            training::Activations batchAct;
            batchAct.normStats = training::Activations::NormStats::BatchOnly;
            training::forward(c.shape, training::bind(c.shape, params.data()), ids.data(), nullptr, 1, int(ids.size()),
                              batchAct);
            double gap = 0;
            for (size_t i = 0; i < inference.size(); ++i)
                gap = std::max(gap, double(std::fabs(inference[i] - batchAct.logits[i])));
            std::printf("%s: with the prompt's batch statistics instead: largest difference %.3g\n", d.name, gap);
            CHECK(gap > 1e-3);
        }
    }
}

TEST_CASE("a damaged BatchNorm or MLA anatomy-train file is refused at load with one line naming the tensor",
          "[train][anatomy-train]") {
    const fs::path dir = tempDir("damaged");
    {
        std::ofstream f(dir / "val.txt", std::ios::binary);
        f << readTextFile(sharedFile("corpus/tinystories/tinystories_train_head_197K.txt")).substr(0, 3000);
    }
    auto trainOne = [&](const std::string& arch, bool mla, const std::string& name) {
        std::string json = designConfig(arch, "", dir / "val.txt");
        json.replace(json.find("\"steps\": 6"), 10, "\"steps\": 1");
        TrainRunOptions run;
        run.out = (dir / name).string();
        return train(parseTrainConfig(mla ? allKvHeads(json) : json), run, [](const TrainLogLine&) {});
    };
    const TrainResult bn = trainOne(R"("norm.type": "batch")", false, "bn.gguf");
    const TrainResult mla = trainOne(R"("kv.sharing": "latent", "kv.rank": 8)", true, "mla.gguf");
    REQUIRE(openError(bn.modelPath) == "(no error)");
    REQUIRE(openError(mla.modelPath) == "(no error)");
    struct Case {
        const char* what;
        fs::path file;
        std::vector<std::string> says;
    };
    std::vector<Case> cases;
    {   // a running statistic renamed away: missing
        std::vector<char> b = readBytes(bn.modelPath);
        b[afterName(b, "bn_att_var.1") - 3] = 'x';  // bn_att_vax.1
        writeBytes(dir / "bn-missing.gguf", b);
        cases.push_back({"running variance missing", dir / "bn-missing.gguf", {"bn_att_var.1", "missing", "BatchNorm"}});
    }
    {   // the latent's down-projection with its two dimensions swapped ([r, dim] as [dim, r])
        std::vector<char> b = readBytes(mla.modelPath);
        const size_t at = afterName(b, "wdkv.0") + 4;  // past n_dims (u32): ne[0], ne[1] (u64 each)
        std::swap_ranges(b.begin() + long(at), b.begin() + long(at) + 8, b.begin() + long(at) + 8);
        writeBytes(dir / "mla-shape.gguf", b);
        cases.push_back({"latent shape", dir / "mla-shape.gguf", {"wdkv.0 shape", "expected [16, 8]", "got [8, 16]"}});
    }
    {   // an up-projection missing
        std::vector<char> b = readBytes(mla.modelPath);
        b[afterName(b, "wuv.1") - 3] = 'x';  // wux.1
        writeBytes(dir / "mla-missing.gguf", b);
        cases.push_back({"up-projection missing", dir / "mla-missing.gguf", {"wuv.1", "missing", "MLA rank 8"}});
    }
    {   // a negative running variance (written by the trainer's own writer from edited parameters)
        const TrainConfig c = parseTrainConfig(designConfig(R"("norm.type": "batch")", "", dir / "val.txt"));
        std::vector<float> params = training::readCheckpoint(bn.checkpointPath).params;
        const training::Tensors t = training::bind(c.shape, params.data());
        t.layers[0].bnFfnVar[3] = -0.5f;
        const OpenedModel good = openModelWithTokenizer(bn.modelPath);
        training::writeTrainedGguf((dir / "bn-negative.gguf").string(), c.shape, params, *good.tokenizer,
                                   c.canonical);
        cases.push_back({"negative running variance", dir / "bn-negative.gguf", {"bn_ffn_var.0[3]", "running variance >= 0", "-0.5"}});
    }
    for (const Case& k : cases) {
        INFO(k.what);
        const std::string msg = openError(k.file);
        std::printf("%s: %s\n", k.what, msg.c_str());
        for (const std::string& part : k.says) CHECK_THAT(msg, Catch::Contains(part));
        CHECK(msg.find('\n') == std::string::npos);
    }
}
