// train: trains a Llama-shaped model from a JSON config (engine/include/anatomy/train.h) and
// prints one JSON line per logged step, then a summary line with the model's path.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "anatomy/error.h"
#include "anatomy/trace_export.h"
#include "anatomy/train.h"
#include "cli_args.h"
#include "cli_commands.h"

namespace anatomy::cli {

namespace {

std::string num(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

std::string list(const std::vector<double>& v) {
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + num(v[i]);
    return out + "]";
}

std::string list(const std::vector<std::vector<double>>& v) {
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + list(v[i]);
    return out + "]";
}

}  // namespace

int runTrain(const std::vector<std::string>& args) {
    Args a(args, {"config", "out", "threads", "checkpoint", "resume", "checkpoint-every", "dump-reference",
                  "reference-steps", "eval-lengths"},
           {"help-config"});
    if (a.has("help-config")) {
        std::fputs(trainConfigHelp().c_str(), stdout);
        return 0;
    }
    const TrainConfig config = loadTrainConfig(a.required("config"));
    if (a.has("dump-reference")) {
        writeTrainReference(config, a.str("dump-reference"), int(a.integer("reference-steps", 20, 1, 10000)));
        return 0;
    }
    TrainRunOptions run;
    run.out = a.str("out");
    run.checkpoint = a.str("checkpoint");
    run.resume = a.str("resume");
    run.checkpointEvery = int(a.integer("checkpoint-every", 0, 0, 1 << 30));
    run.threads = int(a.integer("threads", 0, 0, 1024));
    if (a.has("eval-lengths")) {
        // "64,128,256": the validation loss at each length after training
        const std::string text = a.str("eval-lengths");
        size_t pos = 0;
        while (pos <= text.size()) {
            const size_t comma = std::min(text.find(',', pos), text.size());
            const std::string part = text.substr(pos, comma - pos);
            char* end = nullptr;
            const long v = std::strtol(part.c_str(), &end, 10);
            if (part.empty() || *end != '\0' || v < 2 || v > 65536)
                throw Error("--eval-lengths: expected comma-separated lengths in 2..65536, got '" + part + "'");
            run.evalLengths.push_back(int(v));
            pos = comma + 1;
        }
    }
    bool first = true;
    const TrainResult r = train(config, run, [&](const TrainLogLine& l) {
        if (first)  // after the data and the output are known to be good, so errors stay one line
            std::fprintf(stderr, "training %lld parameters for %d steps of %d x %d tokens\n",
                         static_cast<long long>(trainParameterCount(config.shape)), config.opt.steps,
                         config.opt.batch, config.opt.sequence);
        first = false;
        std::string val2 = l.val2Loss ? ", \"val2_loss\": " + num(*l.val2Loss) : "";
        if (l.valLossBatchStats) val2 += ", \"val_loss_batch_stats\": " + num(*l.valLossBatchStats);
        // MoE lines add the auxiliary loss, the dropped fraction and each layer's expert load.
        const std::string moe = l.expertLoad.empty() ? ""
                                                     : ", \"aux_loss\": " + num(l.auxLoss) + ", \"dropped\": " +
                                                           num(l.droppedFraction) +
                                                           ", \"expert_load\": " + list(l.expertLoad);
        std::printf("{\"step\": %d, \"train_loss\": %s, \"val_loss\": %s%s, \"lr\": %s, \"grad_norm\": %s, "
                    "\"tokens_per_s\": %s, \"grad_norm_layers\": %s, \"first_token_mass\": %s, "
                    "\"max_activation\": %s%s}\n",
                    l.step, num(l.trainLoss).c_str(), l.valLoss ? num(*l.valLoss).c_str() : "null", val2.c_str(),
                    num(l.lr).c_str(), num(l.gradNorm).c_str(), num(l.tokensPerS).c_str(),
                    list(l.gradNormPerLayer).c_str(), list(l.firstTokenMass).c_str(), num(l.maxActivation).c_str(),
                    moe.c_str());
        std::fflush(stdout);
    });
    for (const TrainResult::LengthLoss& l : r.lengthLosses)
        std::printf("{\"eval_length\": %d, \"val_loss\": %s}\n", l.length, l.valLoss ? num(*l.valLoss).c_str() : "null");
    // "set": what generate / perplexity / the app need to run the model as trained (--set each).
    std::string sets = "[";
    for (const std::string& a : trainOpenSettings(config.shape)) sets += (sets.size() > 1 ? ", " : "") + jsonString(a);
    sets += "]";
    std::printf("{\"done\": true, \"steps\": %d, \"val_loss\": %s, \"model\": %s, \"checkpoint\": %s, \"set\": %s}\n",
                r.steps, r.finalValLoss ? num(*r.finalValLoss).c_str() : "null", jsonString(r.modelPath).c_str(),
                jsonString(r.checkpointPath).c_str(), sets.c_str());
    return 0;
}

}  // namespace anatomy::cli
