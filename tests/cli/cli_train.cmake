# anatomy-cli train as a user runs it: cmake -DCLI=... -DSHARED=... -P cli_train.cmake
# A tiny model trains in seconds, prints JSON lines, and the saved model opens like any other;
# every bad config ends in one line naming the key.
set(M ${SHARED}/models/stories260K)
set(CORPUS ${SHARED}/corpus/tinystories/tinystories_train_head_197K.txt)
set(TMP ${CMAKE_CURRENT_BINARY_DIR}/cli_train_tmp)
file(REMOVE_RECURSE ${TMP})
file(MAKE_DIRECTORY ${TMP})
set(FAILED 0)
include(${CMAKE_CURRENT_LIST_DIR}/cli_common.cmake)

macro(expect_error what needle)
  run_cli(out err rc ${ARGN})
  string(STRIP "${err}" err_line)
  if(rc EQUAL 0 OR NOT rc MATCHES "^[0-9]+$" OR rc GREATER 2)
    fail("${what}: expected exit 1 or 2, got '${rc}' (stderr: ${err})")
  elseif(NOT err MATCHES "anatomy-cli: error: [^\n]*${needle}")
    fail("${what}: stderr should name '${needle}', got: ${err}")
  elseif(err_line MATCHES "\n")
    fail("${what}: the error should be one line, got: ${err}")
  else()
    message(STATUS "ok: ${what}: ${err_line}")
  endif()
endmacro()

# 1. Train a tiny model: one JSON line per logged step, then the summary with the model's path.
file(WRITE ${TMP}/tiny.json "{\"shape\": {\"dim\": 32, \"layers\": 2, \"heads\": 4, \"kv_heads\": 2, \"hidden\": 64,
  \"vocab\": 512, \"context\": 64}, \"optimisation\": {\"steps\": 20, \"batch\": 4, \"sequence\": 32, \"lr\": 0.005,
  \"warmup\": 2}, \"data\": {\"corpus\": \"${CORPUS}\", \"tokenizer\": \"${M}/tok512.bin\", \"eval_every\": 10,
  \"log_every\": 5}}")
run_cli(out err rc train --config ${TMP}/tiny.json --out ${TMP}/tiny.bin --threads 2)
string(REGEX MATCHALL "\"step\": [0-9]+" steps "${out}")
if(NOT rc EQUAL 0)
  fail("train tiny: rc ${rc}: ${err}")
elseif(NOT steps STREQUAL "\"step\": 1;\"step\": 5;\"step\": 10;\"step\": 15;\"step\": 20")
  fail("train tiny: logged steps ${steps}: ${out}")
elseif(NOT out MATCHES "\"train_loss\": [0-9.]+, \"val_loss\": [0-9.]+, \"lr\": [0-9.e-]+, \"grad_norm\": [0-9.e-]+, \"tokens_per_s\": [0-9.e+]+")
  fail("train tiny: a line lacks a field: ${out}")
elseif(NOT out MATCHES "\"done\": true, \"steps\": 20, \"val_loss\": [0-9.]+, \"model\": \"${TMP}/tiny.bin\"")
  fail("train tiny: no summary line: ${out}")
elseif(NOT EXISTS ${TMP}/tiny.bin OR NOT EXISTS ${TMP}/tiny.bin.ckpt OR NOT EXISTS ${TMP}/tokenizer.bin)
  fail("train tiny: model, checkpoint or tokenizer missing in ${TMP}")
else()
  message(STATUS "ok: train prints JSON lines and writes the model")
endif()

# 2. The trained model opens like any checkpoint: generate, perplexity, info.
run_cli(out err rc generate --model ${TMP}/tiny.bin --prompt "once upon a time" --temperature 0 --max-new-tokens 10)
if(NOT rc EQUAL 0 OR NOT out MATCHES "^once upon a time")
  fail("generate with the trained model: rc ${rc} '${out}' ${err}")
endif()
run_cli(out err rc perplexity --model ${TMP}/tiny.bin --context 32 --from 0 --length 256)
if(NOT rc EQUAL 0 OR NOT out MATCHES "\"ppl\": [0-9.]+")
  fail("perplexity with the trained model: rc ${rc} '${out}' ${err}")
else()
  message(STATUS "ok: the trained model generates and measures perplexity: ${out}")
endif()

# 2b. The same config into a GGUF: architecture llama, vocabulary embedded (no tokenizer.bin needed),
# the same logits as the .bin (same seed, same steps), and the config in its metadata.
file(MAKE_DIRECTORY ${TMP}/gguf)
run_cli(out err rc train --config ${TMP}/tiny.json --out ${TMP}/gguf/tiny.gguf --threads 2)
if(NOT rc EQUAL 0 OR NOT EXISTS ${TMP}/gguf/tiny.gguf OR EXISTS ${TMP}/gguf/tokenizer.bin)
  fail("train into a .gguf: rc ${rc} ${err}")
endif()
run_cli(out_bin err rc perplexity --model ${TMP}/tiny.bin --context 32 --from 0 --length 256)
run_cli(out_gguf err rc perplexity --model ${TMP}/gguf/tiny.gguf --context 32 --from 0 --length 256)
string(REGEX MATCH "\"ppl\": [0-9.]+" ppl_bin "${out_bin}")
string(REGEX MATCH "\"ppl\": [0-9.]+" ppl_gguf "${out_gguf}")
if(NOT rc EQUAL 0 OR ppl_gguf STREQUAL "" OR NOT ppl_gguf STREQUAL ppl_bin)
  fail("the trained .gguf should measure the .bin's perplexity: ${ppl_gguf} vs ${ppl_bin} ${err}")
endif()
run_cli(out err rc info --model ${TMP}/gguf/tiny.gguf)
if(NOT rc EQUAL 0 OR NOT out MATCHES "llama")
  fail("info on the trained .gguf: ${out} ${err}")
else()
  message(STATUS "ok: train --out M.gguf writes a llama GGUF that measures the .bin's perplexity (${ppl_gguf})")
endif()
file(READ ${TMP}/tiny.json tiny_json_text)
string(REPLACE "\"data\":" "\"architecture\": {\"norm.placement\": \"post\"}, \"data\":" post_json "${tiny_json_text}")
file(WRITE ${TMP}/post.json "${post_json}")
# A design beyond plain Llama goes into a GGUF of architecture anatomy-train with its config
# (behaviour changed: it was refused before the designs of issue 13 part 1).
run_cli(out err rc train --config ${TMP}/post.json --out ${TMP}/gguf/post.gguf)
if(NOT rc EQUAL 0 OR NOT EXISTS ${TMP}/gguf/post.gguf)
  fail("a post-norm model into a .gguf: rc ${rc} ${err}")
else()
  file(STRINGS ${TMP}/gguf/post.gguf post_strings LIMIT_INPUT 8192)  # the printable runs of the header
  if(NOT post_strings MATCHES "anatomy-train" OR NOT post_strings MATCHES "\"norm.placement\": \"post\"")
    fail("the post-norm GGUF should be architecture anatomy-train with its config")
  else()
    message(STATUS "ok: a post-norm model is written as an anatomy-train GGUF with its config")
  endif()
endif()
# ... and the inference engine opens it (issue 13: gguf_anatomy_train.cpp): info names the
# architecture and its design, perplexity measures it on a text without any --set option.
string(REPLACE "\"norm.placement\": \"post\"" "\"norm.placement\": \"post\", \"attn.gate\": \"headwise\", \"pos\": \"sinusoidal\", \"ffn.gated\": false, \"ffn.act\": \"relu\"" gate_json "${post_json}")
file(WRITE ${TMP}/gate.json "${gate_json}")
run_cli(out err rc train --config ${TMP}/gate.json --out ${TMP}/gguf/gate.gguf --threads 2)
if(NOT rc EQUAL 0)
  fail("train a gated-attention sinusoidal ReLU model into a .gguf: rc ${rc} ${err}")
endif()
run_cli(out err rc info --model ${TMP}/gguf/gate.gguf)
if(NOT rc EQUAL 0 OR NOT out MATCHES "anatomy-train" OR NOT out MATCHES "head-wise gated attention")
  fail("info on an anatomy-train .gguf: ${out} ${err}")
else()
  message(STATUS "ok: info opens an anatomy-train GGUF")
endif()
run_cli(out err rc perplexity --model ${TMP}/gguf/gate.gguf --text ${CORPUS} --context 32 --from 0 --length 256)
string(REGEX MATCH "\"ppl\": [0-9.]+" ppl_gate "${out}")
if(NOT rc EQUAL 0 OR ppl_gate STREQUAL "")
  fail("perplexity on an anatomy-train .gguf: ${out} ${err}")
else()
  message(STATUS "ok: perplexity measures an anatomy-train GGUF (${ppl_gate})")
endif()

# 2c. MoE with gated attention, a plain FFN and learned positions: trains, logs the expert load,
# the auxiliary loss and the first-token mass, evaluates lengths (learned: none past the context),
# and is refused as a .bin before training.
string(REPLACE "\"data\":" "\"architecture\": {\"moe.experts\": 4, \"moe.k\": 2, \"moe.capacity\": 1.0, \"attn.gate\": \"headwise\", \"ffn.gated\": false, \"ffn.act\": \"gelu-tanh\", \"pos\": \"learned\"}, \"data\":" moe_json "${tiny_json_text}")
string(REPLACE "\"warmup\": 2}" "\"warmup\": 2, \"aux_loss_weight\": 0.01}" moe_json "${moe_json}")
file(WRITE ${TMP}/moe.json "${moe_json}")
run_cli(out err rc train --config ${TMP}/moe.json --out ${TMP}/gguf/moe.gguf --threads 2 --eval-lengths 16,64,128)
if(NOT rc EQUAL 0)
  fail("train MoE: rc ${rc} ${err}")
elseif(NOT out MATCHES "\"aux_loss\": [0-9.e-]+, \"dropped\": [0-9.e-]+, \"expert_load\": \\[\\[[0-9.e-]+, ")
  fail("train MoE: no expert load in the log: ${out}")
elseif(NOT out MATCHES "\"first_token_mass\": \\[\\[0\\.[0-9]+")
  fail("train MoE: no first-token mass in the log: ${out}")
elseif(NOT out MATCHES "\"eval_length\": 16, \"val_loss\": [0-9.]+" OR NOT out MATCHES "\"eval_length\": 128, \"val_loss\": null")
  fail("train MoE: eval lengths (16 measured, 128 past the learned positions): ${out}")
else()
  message(STATUS "ok: MoE + gated attention + plain FFN + learned positions train and log their statistics")
endif()
expect_error("a MoE model into a .bin is refused before training" "MoE with 4 experts"
  train --config ${TMP}/moe.json --out ${TMP}/moe.bin)
# The trained MoE runs in the inference engine with its router (info names it, perplexity measures it).
run_cli(out err rc info --model ${TMP}/gguf/moe.gguf)
run_cli(out_ppl err_ppl rc_ppl perplexity --model ${TMP}/gguf/moe.gguf --text ${CORPUS} --context 32 --from 0 --length 256)
if(NOT rc EQUAL 0 OR NOT out MATCHES "trained MoE \\(4 experts, top-2\\)" OR NOT rc_ppl EQUAL 0 OR NOT out_ppl MATCHES "\"ppl\": [0-9.]+")
  fail("info and perplexity on the trained MoE .gguf: ${out} ${err} ${out_ppl} ${err_ppl}")
else()
  message(STATUS "ok: info and perplexity open the trained MoE GGUF")
endif()
expect_error("bad --eval-lengths" "--eval-lengths" train --config ${TMP}/moe.json --out ${TMP}/gguf/moe.gguf --eval-lengths 16,x)

# A trained GGUF runs end to end: info names its design (info_regex), greedy generate continues
# the prompt, perplexity gives a number, trace writes layer 1's attention.
function(check_trained_runs name file info_regex)
  run_cli(out err rc info --model ${file})
  if(NOT rc EQUAL 0 OR NOT out MATCHES "${info_regex}")
    fail("info on the ${name} .gguf: ${out} ${err}")
  endif()
  run_cli(out err rc generate --model ${file} --prompt "once upon a time" --temperature 0 --max-new-tokens 10)
  run_cli(out_ppl err_ppl rc_ppl perplexity --model ${file} --text ${CORPUS} --context 32 --from 0 --length 256)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "^once upon a time" OR NOT rc_ppl EQUAL 0 OR NOT out_ppl MATCHES "\"ppl\": [0-9.]+")
    fail("generate and perplexity on the ${name} .gguf: ${out} ${err} ${out_ppl} ${err_ppl}")
  endif()
  run_cli(out err rc trace --model ${file} --prompt "once upon a time" --out ${TMP}/trace_${name})
  if(NOT rc EQUAL 0 OR NOT EXISTS ${TMP}/trace_${name}/layer1_attn_probs.npy)
    fail("trace the ${name} .gguf: rc ${rc} ${err}")
  endif()
  message(STATUS "ok: a trained ${name} GGUF runs in info, generate, perplexity and trace (${out_ppl})")
endfunction()

# 2d. BatchNorm logs the validation loss with running and with batch statistics (the gap).
string(REPLACE "\"data\":" "\"architecture\": {\"norm.type\": \"batch\"}, \"data\":" bn_json "${tiny_json_text}")
file(WRITE ${TMP}/bn.json "${bn_json}")
run_cli(out err rc train --config ${TMP}/bn.json --out ${TMP}/gguf/bn.gguf --threads 2)
if(NOT rc EQUAL 0 OR NOT out MATCHES "\"val_loss\": [0-9.]+, \"val_loss_batch_stats\": [0-9.]+")
  fail("train BatchNorm: rc ${rc} ${out} ${err}")
else()
  message(STATUS "ok: BatchNorm trains and logs both validation losses")
endif()
# ... and the inference engine runs it (behaviour changed: it was refused at load before), in eval
# mode with the running statistics the file carries: info names it, generate, perplexity and trace run.
check_trained_runs(BatchNorm ${TMP}/gguf/bn.gguf "BatchNorm \\(running statistics\\)")

# 2e. MLA (latent KV, decoupled RoPE key): trains, and the inference engine runs it from the cached
# latent: info names it, generate, perplexity and trace run, and kvcache reports the latent's bytes
# as the loaded model's own row: 2 layers x (rank 8 + RoPE key 4) x 4 bytes = 96 bytes per token.
string(REPLACE "\"kv_heads\": 2" "\"kv_heads\": 4" mla_json "${tiny_json_text}")
string(REPLACE "\"data\":" "\"architecture\": {\"kv.sharing\": \"latent\", \"kv.rank\": 8, \"mla.rope_dim\": 4}, \"data\":" mla_json "${mla_json}")
file(WRITE ${TMP}/mla.json "${mla_json}")
run_cli(out err rc train --config ${TMP}/mla.json --out ${TMP}/gguf/mla.gguf --threads 2)
if(NOT rc EQUAL 0)
  fail("train MLA: rc ${rc} ${err}")
endif()
check_trained_runs(MLA ${TMP}/gguf/mla.gguf "MLA \\(latent rank 8 \\+ RoPE key 4\\)")
run_cli(out err rc kvcache --model ${TMP}/gguf/mla.gguf --context 64)
if(NOT rc EQUAL 0 OR NOT out MATCHES "\"model\": \"mla.gguf\", \"variant\": \"MLA r=8 \\+ rope 4\", \"bytes_per_token\": 96, \"context\": 64, \"bytes_at_context\": 6144, \"as_shipped\": true")
  fail("kvcache should report the trained MLA's latent bytes as shipped: ${out} ${err}")
else()
  message(STATUS "ok: kvcache counts a trained MLA's latent as its own row (96 bytes per token)")
endif()
expect_error("a KV-sharing knob on a trained MLA model" "kv.sharing: does not apply to this model: anatomy-train is trained with MLA"
  perplexity --model ${TMP}/gguf/mla.gguf --text ${CORPUS} --context 32 --length 64 --set kv.sharing=mqa)

# 3. Resume continues after the checkpoint's steps.
file(WRITE ${TMP}/more.json "{\"shape\": {\"dim\": 32, \"layers\": 2, \"heads\": 4, \"kv_heads\": 2, \"hidden\": 64,
  \"vocab\": 512, \"context\": 64}, \"optimisation\": {\"steps\": 20, \"batch\": 4, \"sequence\": 32, \"lr\": 0.005,
  \"warmup\": 2}, \"data\": {\"corpus\": \"${CORPUS}\", \"tokenizer\": \"${M}/tok512.bin\", \"eval_every\": 10,
  \"log_every\": 5}}")
run_cli(out err rc train --config ${TMP}/more.json --out ${TMP}/again.bin --resume ${TMP}/tiny.bin.ckpt)
if(NOT rc EQUAL 0 OR NOT out MATCHES "\"done\": true, \"steps\": 20")
  fail("resume a finished run: rc ${rc} '${out}' ${err}")
endif()

# 4. --help-config documents every key.
run_cli(out err rc train --help-config)
foreach(key dim layers heads kv_heads hidden vocab context tied_classifier steps batch sequence lr min_lr warmup
        weight_decay clip beta1 beta2 eps seed corpus tokenizer validation_text train_fraction eval_every eval_batches log_every
        aux_loss_weight norm.placement norm.alpha norm.type norm.eps pos ffn.act ffn.gated attn.gate moe.experts moe.k
        moe.gate moe.capacity moe.noise kv.sharing rope.base)
  if(NOT out MATCHES "  ${key} ")
    fail("--help-config does not document ${key}")
  endif()
endforeach()

# 5. Bad configs: one line naming the key.
macro(bad_config what needle json)
  file(WRITE ${TMP}/bad.json "${json}")
  expect_error("${what}" "${needle}" train --config ${TMP}/bad.json --out ${TMP}/bad.bin)
endmacro()
bad_config("unknown key" "config: shape.dimm:" "{\"shape\": {\"dimm\": 8}}")
bad_config("wrong type" "config: optimisation.steps: expected a positive integer, got \"10\"" "{\"optimisation\": {\"steps\": \"10\"}}")
bad_config("non-positive size" "config: shape.layers: expected a positive integer, got 0" "{\"shape\": {\"layers\": 0}}")
bad_config("heads not dividing dim" "config: shape.heads: expected a divisor of shape.dim" "{\"shape\": {\"dim\": 100, \"heads\": 3}}")
bad_config("missing corpus" "config: data.corpus:" "{\"data\": {\"corpus\": \"${TMP}/no-such-corpus.txt\"}}")
bad_config("untrainable choice" "config: architecture.attn.mask: the trainer cannot train bidirectional" "{\"architecture\": {\"attn.mask\": \"bidirectional\"}}")
bad_config("bad attention gate" "config: architecture.attn.gate: expected none, headwise or elementwise" "{\"architecture\": {\"attn.gate\": \"sometimes\"}}")
bad_config("top-k above the experts" "config: architecture.moe.k: expected at most moe.experts" "{\"architecture\": {\"moe.experts\": 2, \"moe.k\": 3}}")
bad_config("BatchNorm in a sandwich" "config: architecture.norm.placement: expected pre, post or deepnorm with norm.type batch" "{\"architecture\": {\"norm.type\": \"batch\", \"norm.placement\": \"sandwich\"}}")
bad_config("MLA with KV heads" "config: shape.kv_heads: expected = shape.heads with kv.sharing latent" "{\"shape\": {\"kv_heads\": 2}, \"architecture\": {\"kv.sharing\": \"latent\", \"kv.rank\": 8}}")
bad_config("aux loss without experts" "config: optimisation.aux_loss_weight:" "{\"optimisation\": {\"aux_loss_weight\": 0.1}}")
bad_config("unknown knob" "config: architecture.warp.drive:" "{\"architecture\": {\"warp.drive\": \"on\"}}")
bad_config("bad JSON" "bad.json: config: JSON line 1" "{\"shape\": ")
expect_error("unwritable output" "--out" train --config ${TMP}/tiny.json --out ${TMP}/no/such/folder/x.bin)
expect_error("missing config file" "cannot open" train --config ${TMP}/none.json)
expect_error("no --config" "--config" train)

if(FAILED)
  message(FATAL_ERROR "anatomy-cli train checks failed")
endif()
message(STATUS "anatomy-cli train checks passed")
