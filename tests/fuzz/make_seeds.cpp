// Writes the fuzzers' seed corpora at run time (nothing large is committed): tiny valid model
// files in each format, a tiny tokenizer, and pieces of the real files from the shared folder.
//   make_seeds OUT_DIR SHARED_DIR    ->  OUT_DIR/{llama2c,gguf,tokenizer,encode,settings}/...
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

namespace {

template <class T>
void put(Bytes& b, T v) {
    uint8_t raw[sizeof(T)];
    std::memcpy(raw, &v, sizeof(T));
    b.insert(b.end(), raw, raw + sizeof(T));
}
void putString(Bytes& b, const std::string& s) {
    put<uint64_t>(b, s.size());
    b.insert(b.end(), s.begin(), s.end());
}
void putFloats(Bytes& b, size_t n, float scale) {
    for (size_t i = 0; i < n; ++i) put<float>(b, scale * float(int(i % 17) - 8) / 8.0f);
}
void write(const fs::path& p, const Bytes& b) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
}
Bytes readHead(const fs::path& p, size_t limit) {
    std::ifstream in(p, std::ios::binary);
    Bytes b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (b.size() > limit) b.resize(limit);
    return b;
}

constexpr int32_t kDim = 8, kHidden = 16, kLayers = 1, kHeads = 2, kKvHeads = 1, kVocab = 8, kSeq = 4;
constexpr int32_t kKvDim = kDim / kHeads * kKvHeads;

// Legacy llama2.c: 7 int32, then run.c's tensors in order (freq_cis included), shared classifier.
Bytes llama2cLegacy() {
    Bytes b;
    for (int32_t v : {kDim, kHidden, kLayers, kHeads, kKvHeads, kVocab, kSeq}) put(b, v);
    const size_t d = kDim, L = kLayers;
    putFloats(b, size_t(kVocab) * d, 1.0f);
    putFloats(b, L * d, 1.0f);                                  // rms_att
    putFloats(b, L * d * d + 2 * L * d * kKvDim + L * d * d, 0.3f);  // wq wk wv wo
    putFloats(b, L * d, 1.0f);                                  // rms_ffn
    putFloats(b, 3 * L * d * kHidden, 0.3f);                    // w1 w2 w3
    putFloats(b, d, 1.0f);                                      // rms_final
    putFloats(b, size_t(kSeq) * (d / kHeads), 1.0f);            // freq_cis real + imag
    return b;
}

// ak42 version 1: 256-byte header, float32 payload without freq_cis.
Bytes llama2cAk42v1() {
    Bytes b;
    put<uint32_t>(b, 0x616b3432);
    put<int32_t>(b, 1);
    for (int32_t v : {kDim, kHidden, kLayers, kHeads, kKvHeads, kVocab, kSeq}) put(b, v);
    put<uint8_t>(b, 1);
    b.resize(256, 0);
    const size_t d = kDim, L = kLayers;
    putFloats(b, size_t(kVocab) * d + L * (2 * d + 2 * d * d + 2 * d * kKvDim + 3 * d * kHidden) + d, 0.3f);
    return b;
}

// A tiny llama GGUF (v3, all F32, tied classifier, embedded vocabulary).
Bytes tinyGguf() {
    struct Tensor {
        std::string name;
        std::vector<uint64_t> ne;
    };
    std::vector<Tensor> tensors = {{"token_embd.weight", {kDim, kVocab}}, {"output_norm.weight", {kDim}},
                                   {"blk.0.attn_norm.weight", {kDim}},    {"blk.0.attn_q.weight", {kDim, kDim}},
                                   {"blk.0.attn_k.weight", {kDim, kKvDim}}, {"blk.0.attn_v.weight", {kDim, kKvDim}},
                                   {"blk.0.attn_output.weight", {kDim, kDim}}, {"blk.0.ffn_norm.weight", {kDim}},
                                   {"blk.0.ffn_gate.weight", {kDim, kHidden}}, {"blk.0.ffn_up.weight", {kDim, kHidden}},
                                   {"blk.0.ffn_down.weight", {kHidden, kDim}}};
    Bytes kv;
    int kvCount = 0;
    auto key = [&](const std::string& k, uint32_t type) {
        putString(kv, k);
        put(kv, type);
        ++kvCount;
    };
    key("general.architecture", 8), putString(kv, "llama");
    for (auto [k, v] : {std::pair{"llama.embedding_length", kDim}, {"llama.feed_forward_length", kHidden},
                        {"llama.block_count", kLayers}, {"llama.attention.head_count", kHeads},
                        {"llama.attention.head_count_kv", kKvHeads}, {"llama.context_length", 16},
                        {"tokenizer.ggml.bos_token_id", 1}, {"tokenizer.ggml.eos_token_id", 2}})
        key(k, 4), put<uint32_t>(kv, uint32_t(v));
    key("llama.attention.layer_norm_rms_epsilon", 6), put<float>(kv, 1e-5f);
    key("llama.rope.freq_base", 6), put<float>(kv, 10000.0f);
    key("tokenizer.ggml.model", 8), putString(kv, "llama");
    const std::vector<std::string> pieces = {"<unk>", "<s>", "</s>", "<0x00>", "\xE2\x96\x81" "a", "b", "ab", "\xE2\x96\x81" "ab"};
    key("tokenizer.ggml.tokens", 9), put<uint32_t>(kv, 8), put<uint64_t>(kv, pieces.size());
    for (const auto& p : pieces) putString(kv, p);
    key("tokenizer.ggml.scores", 9), put<uint32_t>(kv, 6), put<uint64_t>(kv, pieces.size());
    for (size_t i = 0; i < pieces.size(); ++i) put<float>(kv, -float(i));

    Bytes b = {'G', 'G', 'U', 'F'};
    put<uint32_t>(b, 3);
    put<uint64_t>(b, tensors.size());
    put<uint64_t>(b, uint64_t(kvCount));
    b.insert(b.end(), kv.begin(), kv.end());
    uint64_t offset = 0;
    std::vector<uint64_t> sizes;
    for (const Tensor& t : tensors) {
        putString(b, t.name);
        put<uint32_t>(b, uint32_t(t.ne.size()));
        uint64_t n = 1;
        for (uint64_t d : t.ne) put(b, d), n *= d;
        put<uint32_t>(b, 0);  // F32
        put<uint64_t>(b, offset);
        sizes.push_back(n);
        offset += (n * 4 + 31) / 32 * 32;
    }
    b.resize((b.size() + 31) / 32 * 32, 0);
    for (uint64_t n : sizes) {
        putFloats(b, n, 0.5f);
        b.resize((b.size() + 31) / 32 * 32, 0);
    }
    return b;
}

// A llama2.c tokenizer: max_token_length, then (score, length, bytes) per token.
Bytes tinyTokenizer() {
    Bytes b;
    put<int32_t>(b, 8);
    const std::vector<std::string> pieces = {"<unk>", "\n<s>\n", "\n</s>\n", "<0x00>", " ", "a", "b", " ab"};
    for (size_t i = 0; i < pieces.size(); ++i) {
        put<float>(b, -float(i));
        put<int32_t>(b, int32_t(pieces[i].size()));
        b.insert(b.end(), pieces[i].begin(), pieces[i].end());
    }
    return b;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) return 2;
    const fs::path out = argv[1], shared = argv[2];
    const fs::path models = shared / "models/stories260K";
    write(out / "llama2c/tiny_legacy.bin", llama2cLegacy());
    write(out / "llama2c/tiny_ak42_v1.bin", llama2cAk42v1());
    write(out / "llama2c/stories260K_head.bin", readHead(models / "stories260K.bin", 4096));
    write(out / "llama2c/stories260K_q8_head.bin", readHead(models / "stories260K_q8.bin", 4096));
    write(out / "gguf/tiny.gguf", tinyGguf());
    write(out / "gguf/stories260K_head.gguf", readHead(models / "stories260K.gguf", 16384));
    write(out / "tokenizer/tiny.tok", tinyTokenizer());
    write(out / "tokenizer/tok512.bin", readHead(models / "tok512.bin", 65536));
    const Bytes corpus = readHead(shared / "corpus/tinystories/tinystories_train_head_197K.txt", 8192);
    for (size_t i = 0; i + 512 <= corpus.size(); i += 2048)
        write(out / ("encode/corpus_" + std::to_string(i)), Bytes(corpus.begin() + long(i), corpus.begin() + long(i + 512)));
    return 0;
}
