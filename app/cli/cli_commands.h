#pragma once
#include <string>
#include <vector>

#include "anatomy/model_config.h"
#include "anatomy/sampler.h"
#include "anatomy/sim_settings.h"

namespace anatomy::cli {
class Args;
SimSettings simSettingsFrom(const Args& a, const ModelConfig& c);
SamplerSettings samplerFrom(const Args& a);  // --temperature --top-k --top-p --min-p --typical-p ...
int runGenerate(const std::vector<std::string>& args);
int runTokenize(const std::vector<std::string>& args);
int runPerplexity(const std::vector<std::string>& args);
int runTrace(const std::vector<std::string>& args);
int runBench(const std::vector<std::string>& args);
int runSynth(const std::vector<std::string>& args);
int runInfo(const std::vector<std::string>& args);
int runSettings(const std::vector<std::string>& args);
int runKvCache(const std::vector<std::string>& args);
int runDecode(const std::vector<std::string>& args);
int runTrain(const std::vector<std::string>& args);
int runEmbed(const std::vector<std::string>& args);
}  // namespace anatomy::cli
