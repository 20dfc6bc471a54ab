// llama.cpp's decoder logits for a t5 file: llama_encode over the input tokens, then one
// llama_decode over the decoder tokens with every position's logits; one TSV row per decoder
// position (vocabulary-size columns, %.9g), F32 K and V caches. Built and run by
// make_t5_reference.sh against a llama.cpp checkout (c392e5094); links libllama, includes none of its code.
//   llamacpp_t5_logits MODEL.gguf ENC_TOKENS DEC_TOKENS   (each a comma-separated id list)
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "llama.h"

static void quiet(enum ggml_log_level level, const char* text, void*) {
    if (level >= GGML_LOG_LEVEL_ERROR) std::fputs(text, stderr);
}

static std::vector<llama_token> ids(const char* s) {
    std::vector<llama_token> v;
    std::stringstream in(s);
    std::string item;
    while (std::getline(in, item, ',')) v.push_back(llama_token(std::atoi(item.c_str())));
    return v;
}

static bool run(llama_context* ctx, const std::vector<llama_token>& t, bool encode) {
    llama_batch batch = llama_batch_init(int(t.size()), 0, 1);
    for (size_t i = 0; i < t.size(); ++i) {
        batch.token[i] = t[i];
        batch.pos[i] = llama_pos(i);
        batch.n_seq_id[i] = 1;
        batch.seq_id[i][0] = 0;
        batch.logits[i] = 1;
    }
    batch.n_tokens = int(t.size());
    const int rc = encode ? llama_encode(ctx, batch) : llama_decode(ctx, batch);
    llama_batch_free(batch);
    return rc == 0;
}

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s MODEL.gguf ENC_IDS DEC_IDS\n", argv[0]);
        return 2;
    }
    const std::vector<llama_token> enc = ids(argv[2]), dec = ids(argv[3]);
    llama_log_set(quiet, nullptr);
    llama_backend_init();
    llama_model* model = llama_model_load_from_file(argv[1], llama_model_default_params());
    if (!model) {
        std::fprintf(stderr, "llama.cpp could not load %s\n", argv[1]);
        return 1;
    }
    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = 64;
    cp.n_batch = 64;
    cp.n_ubatch = 64;
    cp.n_threads = 1;
    cp.n_threads_batch = 1;
    cp.type_k = GGML_TYPE_F32;
    cp.type_v = GGML_TYPE_F32;
    llama_context* ctx = llama_init_from_model(model, cp);
    if (!ctx || !run(ctx, enc, true) || !run(ctx, dec, false)) {
        std::fprintf(stderr, "llama.cpp could not encode or decode\n");
        return 1;
    }
    const int V = llama_vocab_n_tokens(llama_model_get_vocab(model));
    for (size_t i = 0; i < dec.size(); ++i) {
        const float* row = llama_get_logits_ith(ctx, int(i));
        for (int j = 0; j < V; ++j) std::printf(j ? "\t%.9g" : "%.9g", double(row[j]));
        std::printf("\n");
    }
    llama_free(ctx);
    llama_model_free(model);
    return 0;
}
