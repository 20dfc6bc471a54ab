#include "anatomy/kv_cache_calculator.h"

namespace anatomy {

int64_t kvBytesPerToken(int layers, int kvHeads, int headDim, int bytesPerValue) {
    return 2LL * layers * kvHeads * headDim * bytesPerValue;
}

int64_t mlaBytesPerToken(int layers, int latentRank, int ropeDim, int bytesPerValue) {
    return int64_t(layers) * (latentRank + ropeDim) * bytesPerValue;
}

const std::vector<KvCacheConfig>& publishedKvConfigs() {
    static const std::vector<KvCacheConfig> configs = {
        {"Llama-2-7B", 32, 32, 32, 128, 2, 0, 0},
        {"Llama-2-70B", 80, 64, 8, 128, 2, 0, 0},
        {"Mistral-7B", 32, 32, 8, 128, 2, 0, 0},
        {"DeepSeek-V2", 60, 128, 128, 128, 2, 512, 64},
    };
    return configs;
}

KvCacheConfig kvConfigOf(const ModelConfig& c, const std::string& name) {
    return {name, c.nLayers, c.nHeads, c.nKvHeads, c.headSize(), 4, c.mlaRank, c.mlaRopeDim};
}

std::vector<KvCacheRow> kvCacheTable(const std::vector<KvCacheConfig>& models, int64_t context,
                                     int latentRank) {
    std::vector<KvCacheRow> rows;
    for (const auto& m : models) {
        auto add = [&](std::string variant, int64_t perToken, bool published) {
            rows.push_back({m.name, std::move(variant), perToken, perToken * context, published});
        };
        const bool mla = m.mlaLatent > 0;
        add("MHA (" + std::to_string(m.qHeads) + " kv heads)",
            kvBytesPerToken(m.layers, m.qHeads, m.headDim, m.bytesPerValue), !mla && m.kvHeads == m.qHeads);
        if (m.kvHeads != m.qHeads && m.kvHeads != 1)
            add("GQA (" + std::to_string(m.kvHeads) + " kv heads)",
                kvBytesPerToken(m.layers, m.kvHeads, m.headDim, m.bytesPerValue), !mla);
        add("MQA (1 kv head)", kvBytesPerToken(m.layers, 1, m.headDim, m.bytesPerValue), !mla && m.kvHeads == 1);
        if (mla)
            add("MLA r=" + std::to_string(m.mlaLatent) + " + rope " + std::to_string(m.mlaRopeDim),
                mlaBytesPerToken(m.layers, m.mlaLatent, m.mlaRopeDim, m.bytesPerValue), true);
        if (latentRank > 0 && !(mla && latentRank == m.mlaLatent))
            add("MLA r=" + std::to_string(latentRank) + (mla ? " + rope " + std::to_string(m.mlaRopeDim) : ""),
                mlaBytesPerToken(m.layers, latentRank, mla ? m.mlaRopeDim : 0, m.bytesPerValue), false);
    }
    return rows;
}

}  // namespace anatomy
