// llamacpp_dump_logits MODEL OUT.npy ID... : llama.cpp's logits at every position of the ids (one batch,
// F32 KV cache, 2 threads), as a float32 [n, vocab] .npy. Built by check_quant_llamacpp.sh.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>
#include "llama.h"
int main(int argc, char** argv) {
    llama_backend_init();
    llama_model_params mp = llama_model_default_params();
    llama_model* model = llama_model_load_from_file(argv[1], mp);
    if (!model) return 1;
    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = 256; cp.n_batch = 256; cp.n_ubatch = 256;
    cp.n_threads = 2; cp.n_threads_batch = 2;
    cp.type_k = GGML_TYPE_F32; cp.type_v = GGML_TYPE_F32;
    llama_context* ctx = llama_init_from_model(model, cp);
    std::vector<llama_token> ids;
    for (int i = 3; i < argc; ++i) ids.push_back(std::atoi(argv[i]));
    llama_batch b = llama_batch_init(int(ids.size()), 0, 1);
    for (size_t i = 0; i < ids.size(); ++i) {
        b.token[i] = ids[i]; b.pos[i] = int(i); b.n_seq_id[i] = 1; b.seq_id[i][0] = 0; b.logits[i] = 1;
    }
    b.n_tokens = int(ids.size());
    if (llama_decode(ctx, b) != 0) return 2;
    const int V = llama_vocab_n_tokens(llama_model_get_vocab(model));
    FILE* f = std::fopen(argv[2], "wb");
    char header[128];
    int n = std::snprintf(header, sizeof header, "{'descr': '<f4', 'fortran_order': False, 'shape': (%zu, %d), }", ids.size(), V);
    std::string h(header, size_t(n));
    while ((10 + h.size() + 1) % 64) h += ' ';
    h += '\n';
    std::fwrite("\x93NUMPY\x01\x00", 1, 8, f);
    unsigned short len = (unsigned short)h.size();
    std::fwrite(&len, 2, 1, f);
    std::fwrite(h.data(), 1, h.size(), f);
    for (size_t i = 0; i < ids.size(); ++i) std::fwrite(llama_get_logits_ith(ctx, int(i)), 4, size_t(V), f);
    std::fclose(f);
    return 0;
}
