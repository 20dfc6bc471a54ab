// llama.cpp's logits for every position of a token sequence, one TSV row per position
// (vocabulary-size columns, %.9g), with F32 K and V caches (REFERENCES.md: the F16 default cache
// alone moves logits by ~1e-2). Built and run by make_zoo_reference.sh against a llama.cpp
// checkout (c392e5094); links libllama, includes none of its code.
//   llamacpp_logits MODEL.gguf TOKEN...  > logits.tsv
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "llama.h"

static void quiet(enum ggml_log_level level, const char* text, void*) {
    if (level >= GGML_LOG_LEVEL_ERROR) std::fputs(text, stderr);
}

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s MODEL.gguf TOKEN...\n", argv[0]);
        return 2;
    }
    std::vector<llama_token> tokens;
    for (int i = 2; i < argc; ++i) tokens.push_back(llama_token(std::atoi(argv[i])));
    llama_log_set(quiet, nullptr);
    llama_backend_init();
    llama_model_params mp = llama_model_default_params();
    llama_model* model = llama_model_load_from_file(argv[1], mp);
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
    if (!ctx) {
        std::fprintf(stderr, "llama.cpp could not make a context\n");
        return 1;
    }
    const int n = int(tokens.size());
    llama_batch batch = llama_batch_init(n, 0, 1);
    for (int i = 0; i < n; ++i) {
        batch.token[i] = tokens[size_t(i)];
        batch.pos[i] = i;
        batch.n_seq_id[i] = 1;
        batch.seq_id[i][0] = 0;
        batch.logits[i] = 1;  // every position's logits
    }
    batch.n_tokens = n;
    if (llama_decode(ctx, batch) != 0) {
        std::fprintf(stderr, "llama_decode failed\n");
        return 1;
    }
    const int V = llama_vocab_n_tokens(llama_model_get_vocab(model));
    for (int i = 0; i < n; ++i) {
        const float* row = llama_get_logits_ith(ctx, i);
        for (int j = 0; j < V; ++j) std::printf(j ? "\t%.9g" : "%.9g", double(row[j]));
        std::printf("\n");
    }
    llama_batch_free(batch);
    llama_free(ctx);
    llama_model_free(model);
    return 0;
}
