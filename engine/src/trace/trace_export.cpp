#include "anatomy/trace_export.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "anatomy/encoder_decoder.h"
#include "anatomy/error.h"
#include "anatomy/npy.h"
#include "anatomy/printable.h"

namespace anatomy {

std::string jsonString(const std::string& text) {
    // JSON must be valid UTF-8: invalid bytes (a file name in another encoding) become U+FFFD.
    const std::string s = validUtf8(text);
    std::string o = "\"";
    for (unsigned char ch : s) {
        switch (ch) {
            case '"': o += "\\\""; break;
            case '\\': o += "\\\\"; break;
            case '\n': o += "\\n"; break;
            case '\t': o += "\\t"; break;
            case '\r': o += "\\r"; break;
            default:
                if (ch < 0x20) {
                    char b[8];
                    std::snprintf(b, sizeof b, "\\u%04x", ch);
                    o += b;
                } else {
                    o.push_back(char(ch));
                }
        }
    }
    return o + "\"";
}

namespace {

std::string shapeJson(const std::vector<int64_t>& s) {
    std::string o = "[";
    for (size_t i = 0; i < s.size(); ++i) o += (i ? ", " : "") + std::to_string(s[i]);
    return o + "]";
}

}  // namespace

int writeTraceFolder(const Trace& tr, const std::string& folder, const std::string& modelPath) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) throw Error(folder + ": cannot create folder: " + ec.message());

    std::vector<std::pair<std::string, std::vector<int64_t>>> written;
    auto put = [&](const std::string& name, const auto& arr, const char* what) {
        if (arr.empty()) return;
        writeNpy((fs::path(folder) / (name + ".npy")).string(), arr);
        written.emplace_back(name + "\t" + what, arr.shape);
    };
    for (size_t l = 0; l < tr.layers.size(); ++l) {
        const auto& lt = tr.layers[l];
        const std::string p = "layer" + std::to_string(l) + "_";
        put(p + "attn_scores", lt.attnScores, "[n_heads, n_q, n_kv] q.k/sqrt(d_k) before softmax, -inf where masked");
        put(p + "attn_probs", lt.attnProbs, "[n_heads, n_q, n_kv] softmax of the scores");
        put(p + "q", lt.q, "[n_heads, n_q, head_size] queries after RoPE");
        put(p + "k", lt.k, "[n_kv_heads, n_kv, head_size] keys after RoPE");
    }
    put("resid_rms_in", tr.residRmsIn, "[n_layers, n_q] RMS of the residual entering each layer");
    put("resid_rms_mid", tr.residRmsMid, "[n_layers, n_q] RMS after the attention residual add");
    put("resid_mean_in", tr.residMeanIn, "[n_layers, n_q] mean over channels of the residual entering each layer");
    put("resid_mean_mid", tr.residMeanMid, "[n_layers, n_q] mean over channels after the attention residual add");
    put("resid_rms_out", tr.residRmsOut, "[n_layers, n_q] RMS after the FFN residual add");
    put("attn_norm_out_rms", tr.attnNormOutRms, "[n_layers, n_q] RMS of the attention norm output");
    put("ffn_norm_out_rms", tr.ffnNormOutRms, "[n_layers, n_q] RMS of the FFN norm output");
    put("attn_out_rms", tr.attnOutRms, "[n_layers, n_q] RMS of the attention sublayer output");
    put("ffn_out_rms", tr.ffnOutRms, "[n_layers, n_q] RMS of the FFN sublayer output");
    put("resid_max_abs", tr.residMaxAbs, "[n_layers, n_q] max |x| of the layer's output residual");
    put("resid_max_channel", tr.residMaxChannel, "[n_layers, n_q] channel of that max");
    put("ffn_act_max_abs", tr.ffnActMaxAbs, "[n_layers, n_q] max |silu(W1 x) * W3 x|");
    put("ffn_act_max_channel", tr.ffnActMaxChannel, "[n_layers, n_q] hidden unit of that max");
    put("logits", tr.logits, "[n_q, vocab] logits per position");
    put("logits_top_ids", tr.logitsTopIds, "[n_q, k] top-k token ids per position");
    put("logits_top_values", tr.logitsTopValues, "[n_q, k] their logits");
    put("lens_top_ids", tr.lensTopIds, "[n_layers, n_q, k] logit lens: top ids per layer");
    put("lens_top_probs", tr.lensTopProbs, "[n_layers, n_q, k] logit lens: their probabilities");
    put("attn_entropy", tr.attnEntropy, "[n_layers, n_heads, n_q] attention entropy -sum p ln p (nats) of each query row");
    put("attn_first_key", tr.attnFirstKey, "[n_layers, n_heads, n_q] p(query -> key 0), the attention sink");
    put("attn_prev_key", tr.attnPrevKey, "[n_layers, n_heads, n_q] p(query -> the key before it), 0 at position 0");
    put("attn_thumb_probs", tr.attnThumbProbs,
        "[n_layers, n_heads, th, tw] layers not kept whole: largest probability of each block's visible cells, -inf where none");
    put("attn_thumb_scores", tr.attnThumbScores, "[n_layers, n_heads, th, tw] the same blocks' largest score");
    if (const EncoderDecoderTrace* ed = tr.encoderDecoder.get()) {  // T5: layerN_* above are the decoder's
        for (size_t l = 0; l < ed->encoderLayers.size(); ++l) {
            const std::string p = "encoder_layer" + std::to_string(l) + "_";
            put(p + "attn_scores", ed->encoderLayers[l].attnScores, "[n_heads, n_enc, n_enc] encoder self-attention q.k + relative bias");
            put(p + "attn_probs", ed->encoderLayers[l].attnProbs, "[n_heads, n_enc, n_enc] its softmax (bidirectional)");
        }
        for (size_t l = 0; l < ed->crossLayers.size(); ++l) {
            const std::string p = "cross_layer" + std::to_string(l) + "_";
            put(p + "attn_scores", ed->crossLayers[l].attnScores, "[n_heads, n_q, n_enc] cross-attention q.k, decoder queries x encoder keys");
            put(p + "attn_probs", ed->crossLayers[l].attnProbs, "[n_heads, n_q, n_enc] its softmax");
        }
        put("encoder_output", ed->encoderOutput, "[n_enc, dim] the normed encoder output the cross-attention reads");
        put("encoder_relative_bias", ed->encoderBiasTable, "[buckets, n_heads] the encoder's learned relative-position bias");
        put("decoder_relative_bias", ed->decoderBiasTable, "[buckets, n_heads] the decoder's learned relative-position bias");
    }

    const ModelConfig& c = tr.config;
    std::ostringstream j;
    j << "{\n  \"model\": " << jsonString(modelPath) << ",\n  \"config\": {\"dim\": " << c.dim
      << ", \"hidden_dim\": " << c.hiddenDim << ", \"n_layers\": " << c.nLayers
      << ", \"n_heads\": " << c.nHeads << ", \"n_kv_heads\": " << c.nKvHeads
      << ", \"head_size\": " << c.headSize() << ", \"vocab_size\": " << c.vocabSize
      << ", \"seq_len\": " << c.seqLen << ", \"norm_eps\": " << c.normEps
      << ", \"rope_theta\": " << c.ropeTheta
      << ", \"shared_classifier\": " << (c.sharedClassifier ? "true" : "false") << "},\n";
    // The simulator's settings the trace ran with, as `--set` lines joined by ", " ("as trained").
    j << "  \"settings\": " << jsonString(describe(tr.settings)) << ",\n";
    // Layers whose attention maps and q, k, v are here whole ("all", or their numbers).
    j << "  \"whole_layers\": ";
    if (tr.spec.wholeLayers.empty()) j << "\"all\"";
    else {
        j << "[";
        for (size_t i = 0; i < tr.spec.wholeLayers.size(); ++i) j << (i ? ", " : "") << tr.spec.wholeLayers[i];
        j << "]";
    }
    j << ",\n";
    j << "  \"first_query_pos\": " << tr.firstQueryPos << ",\n  \"n_q\": " << tr.nQ
      << ",\n  \"n_kv\": " << tr.nKv << ",\n  \"elapsed_ms\": " << tr.elapsedMs << ",\n";
    j << "  \"token_ids\": [";
    for (size_t i = 0; i < tr.tokens.size(); ++i) j << (i ? ", " : "") << tr.tokens[i];
    j << "],\n  \"token_strings\": [";
    for (size_t i = 0; i < tr.tokenText.size(); ++i) j << (i ? ", " : "") << jsonString(tr.tokenText[i]);
    if (const EncoderDecoderTrace* ed = tr.encoderDecoder.get()) {
        j << "],\n  \"encoder_decoder\": true,\n  \"encoder_token_ids\": [";
        for (size_t i = 0; i < ed->encoderTokens.size(); ++i) j << (i ? ", " : "") << ed->encoderTokens[i];
        j << "],\n  \"encoder_token_strings\": [";
        for (size_t i = 0; i < ed->encoderTokenText.size(); ++i) j << (i ? ", " : "") << jsonString(ed->encoderTokenText[i]);
    }
    j << "],\n  \"arrays\": [\n";
    for (size_t i = 0; i < written.size(); ++i) {
        const auto tab = written[i].first.find('\t');
        const std::string name = written[i].first.substr(0, tab);
        const std::string what = written[i].first.substr(tab + 1);
        j << "    {\"name\": " << jsonString(name) << ", \"file\": " << jsonString(name + ".npy")
          << ", \"dtype\": \"" << (name.find("ids") != std::string::npos || name.find("channel") != std::string::npos ? "int32" : "float32")
          << "\", \"shape\": " << shapeJson(written[i].second) << ", \"description\": " << jsonString(what)
          << "}" << (i + 1 < written.size() ? "," : "") << "\n";
    }
    j << "  ]\n}\n";
    std::ofstream f(fs::path(folder) / "manifest.json");
    if (!f) throw Error(folder + "/manifest.json: cannot write");
    f << j.str();
    return int(written.size());
}

}  // namespace anatomy
