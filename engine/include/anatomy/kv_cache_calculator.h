#pragma once
// KV-cache size per token and at a context length, for each way of sharing keys and values:
//   MHA / GQA / MQA:  bytes/token = 2 (K and V) · layers · kvHeads · headDim · bytesPerValue
//   MLA:              bytes/token = layers · (latentRank + ropeDim) · bytesPerValue
//                     (one joint latent per token and layer plus DeepSeek's decoupled RoPE key)
// Published configurations are counted in fp16 (2 bytes), the loaded model in fp32 (4 bytes).
#include <cstdint>
#include <string>
#include <vector>

#include "anatomy/model_config.h"

namespace anatomy {

struct KvCacheConfig {
    std::string name;
    int layers = 0;
    int qHeads = 0;
    int kvHeads = 0;     // as published
    int headDim = 0;
    int bytesPerValue = 2;
    int mlaLatent = 0;   // > 0: the published model uses MLA with this kv_lora_rank
    int mlaRopeDim = 0;
};

struct KvCacheRow {
    std::string model;
    std::string variant;      // "MHA (32 kv heads)", "GQA (8 kv heads)", "MQA", "MLA r=512 + rope 64"
    int64_t bytesPerToken = 0;
    int64_t bytesAtContext = 0;
    bool published = false;   // the variant the model actually ships with
};

int64_t kvBytesPerToken(int layers, int kvHeads, int headDim, int bytesPerValue);
int64_t mlaBytesPerToken(int layers, int latentRank, int ropeDim, int bytesPerValue);

// Llama-2-7B, Llama-2-70B, Mistral-7B, DeepSeek-V2.
const std::vector<KvCacheConfig>& publishedKvConfigs();
// The loaded model as a calculator entry (fp32).
KvCacheConfig kvConfigOf(const ModelConfig& c, const std::string& name);

// Rows for every model and variant: MHA, GQA at the published KV heads (when not MHA/MQA), MQA,
// and MLA at latentRank (and the published MLA config, when there is one).
std::vector<KvCacheRow> kvCacheTable(const std::vector<KvCacheConfig>& models, int64_t context,
                                     int latentRank);

}  // namespace anatomy
