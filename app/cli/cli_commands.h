#pragma once
#include <string>
#include <vector>

namespace anatomy::cli {
int runGenerate(const std::vector<std::string>& args);
int runTokenize(const std::vector<std::string>& args);
int runPerplexity(const std::vector<std::string>& args);
int runTrace(const std::vector<std::string>& args);
int runBench(const std::vector<std::string>& args);
int runSynth(const std::vector<std::string>& args);
int runInfo(const std::vector<std::string>& args);
}  // namespace anatomy::cli
