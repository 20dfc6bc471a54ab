#pragma once
#include <string>
#include <vector>

#include "anatomy/model_config.h"
#include "anatomy/open_model.h"
#include "anatomy/sampler.h"
#include "anatomy/sim_settings.h"
#include "anatomy/trace.h"

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
// Encoder-decoder models (cmd_encoder_decoder.cpp), called by generate and trace.
int runGenerateEncoderDecoder(const Args& a, const OpenedModel& L, const SamplerSettings& ss, int maxNew);
int runTraceEncoderDecoder(const Args& a, const OpenedModel& L, const CaptureSpec& spec, const std::string& out);
int runEmbed(const std::vector<std::string>& args);
}  // namespace anatomy::cli
