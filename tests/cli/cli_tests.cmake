# End-to-end checks of anatomy-cli as a user runs it: cmake -DCLI=... -DSHARED=... -P cli_tests.cmake
set(M ${SHARED}/models/stories260K)
set(R ${SHARED}/reference/stories260K)
set(TMP ${CMAKE_CURRENT_BINARY_DIR}/cli_test_tmp)
file(REMOVE_RECURSE ${TMP})
file(MAKE_DIRECTORY ${TMP})
set(FAILED 0)

function(run_cli out_var err_var rc_var)
  execute_process(COMMAND ${CLI} ${ARGN} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc
                  TIMEOUT 120)
  set(${out_var} "${out}" PARENT_SCOPE)
  set(${err_var} "${err}" PARENT_SCOPE)
  set(${rc_var} "${rc}" PARENT_SCOPE)
endfunction()

macro(fail msg)
  message(SEND_ERROR "FAIL: ${msg}")
  set(FAILED 1)
endmacro()

# Every bad input ends in a one-line error on stderr and a non-zero exit, never a crash.
macro(expect_error what needle)
  run_cli(out err rc ${ARGN})
  if(rc EQUAL 0 OR NOT rc MATCHES "^[0-9]+$" OR rc GREATER 2)
    fail("${what}: expected exit 1 or 2, got '${rc}' (stderr: ${err})")
  elseif(NOT err MATCHES "anatomy-cli: error: .*${needle}")
    fail("${what}: stderr should name '${needle}', got: ${err}")
  else()
    message(STATUS "ok: ${what}: ${err}")
  endif()
endmacro()

# 1. Greedy generation from an empty prompt reproduces llama2.c, for the .bin and the .gguf.
file(READ ${R}/greedy_empty_256.txt expected)
foreach(model stories260K.bin stories260K.gguf)
  run_cli(out err rc generate --model ${M}/${model} --temperature 0 --max-new-tokens 256)
  if(NOT rc EQUAL 0 OR NOT out STREQUAL "${expected}")
    fail("generate greedy ${model} differs from greedy_empty_256.txt (rc ${rc}): ${err}")
  else()
    message(STATUS "ok: greedy generate ${model} matches llama2.c")
  endif()
endforeach()
file(READ ${R}/greedy_q8_empty_256.txt expected_q8)
run_cli(out err rc generate --model ${M}/stories260K_q8.bin --temperature 0 --max-new-tokens 256)
if(NOT out STREQUAL "${expected_q8}")
  fail("q8 greedy generate differs from greedy_q8_empty_256.txt: ${err}")
endif()

# 2. The prompt is echoed, then continued; logits dump has one row per forward position.
run_cli(out err rc generate --model ${M}/stories260K.bin --prompt "Once upon a time" --temperature 0
        --max-new-tokens 60 --dump-logits ${TMP}/logits.npy)
if(NOT out MATCHES "^Once upon a time, there was")
  fail("generate with prompt: got '${out}'")
endif()
file(READ ${TMP}/logits.npy npy_head OFFSET 10 LIMIT 100)
if(NOT npy_head MATCHES "'shape': \\(64, 512\\)")
  fail("dump-logits shape: ${npy_head}")
endif()

# 2b. The sampler's order: the default and the default spelled out give the same seeded text;
# another order (temperature last) is taken and changes the text; bad orders are refused.
set(sampled generate --model ${M}/stories260K.bin --prompt "Once upon a time" --seed 7
    --temperature 1.5 --top-k 20 --top-p 0.9 --max-new-tokens 60)
run_cli(out_default err rc ${sampled})
run_cli(out_explicit err rc_explicit ${sampled} --samplers penalty,temperature,top-k,top-p,min-p)
if(NOT rc EQUAL 0 OR NOT rc_explicit EQUAL 0 OR NOT out_default MATCHES "^Once upon a time"
   OR NOT out_default STREQUAL out_explicit)
  fail("generate with the default order spelled out should equal the default: '${out_default}' vs '${out_explicit}' ${err}")
else()
  message(STATUS "ok: --samplers with the default order gives the default's text")
endif()
run_cli(out_last err rc ${sampled} --samplers penalty,top-k,top-p,min-p,temperature)
if(NOT rc EQUAL 0 OR NOT out_last MATCHES "^Once upon a time" OR out_last STREQUAL out_default)
  fail("generate with temperature last should run and differ from the default order (rc ${rc}): '${out_last}' ${err}")
endif()
expect_error("unknown sampler stage" "unknown stage 'bogus'.*allowed: penalty,temperature,top-k,top-p,min-p"
             generate --model ${M}/stories260K.bin --samplers bogus)
expect_error("repeated sampler stage" "'top-k' appears twice" generate --model ${M}/stories260K.bin --samplers top-k,top-k)
expect_error("empty sampler order" "sampler order is empty" generate --model ${M}/stories260K.bin --samplers=)

# 3. tokenize.
run_cli(out err rc tokenize --model ${M}/stories260K.bin --text "Once upon a time")
if(NOT out STREQUAL "1 403 407 261 378\n")
  fail("tokenize: got '${out}'")
endif()
run_cli(out err rc tokenize --model ${M}/stories260K.gguf --text=)
if(NOT out STREQUAL "1\n")
  fail("tokenize of empty text should be BOS alone, got '${out}'")
endif()

# 4. perplexity prints one JSON line with the protocol's keys.
file(READ ${SHARED}/corpus/tinystories/tinystories_train_head_197K.txt corpus LIMIT 6000)
file(WRITE ${TMP}/text.txt "${corpus}")
run_cli(out err rc perplexity --model ${M}/stories260K.bin --text ${TMP}/text.txt --context 256)
if(NOT out MATCHES "^{\"ppl\": [0-9.]+, \"ppl_in_context\": [0-9.]+, \"ppl_beyond_context\": null, \"tokens\": [0-9]+")
  fail("perplexity: ${out} ${err}")
endif()
run_cli(out err rc perplexity --model ${M}/stories260K.bin --text ${TMP}/text.txt --context 1024)
if(NOT out MATCHES "\"ppl_beyond_context\": [0-9.]+")
  fail("perplexity beyond the trained context: ${out} ${err}")
endif()

# 4b. The architecture simulator's knobs from the command line: RoPE scaling with factor 1 is
# the model as trained; post-norm on a pre-norm checkpoint is much worse; unknown keys are refused.
run_cli(base err rc perplexity --model ${M}/stories260K.bin --text ${TMP}/text.txt --context 256)
string(REGEX MATCH "\"ppl\": [0-9.]+" base_ppl "${base}")
run_cli(out err rc perplexity --model ${M}/stories260K.bin --text ${TMP}/text.txt --context 256
        --set rope.scaling=linear --set rope.factor=1)
string(REGEX MATCH "\"ppl\": [0-9.]+" scaled_ppl "${out}")
if(NOT base_ppl OR NOT base_ppl STREQUAL scaled_ppl)
  fail("RoPE scaling factor 1 should equal no scaling: '${base_ppl}' vs '${scaled_ppl}' ${err}")
endif()
run_cli(out err rc perplexity --model ${M}/stories260K.bin --text ${TMP}/text.txt --context 256
        --set norm.placement=post)
string(REGEX MATCH "\"ppl\": ([0-9.]+)" _ "${out}")
if(NOT CMAKE_MATCH_1 OR CMAKE_MATCH_1 LESS 10)
  fail("post-norm on the pre-norm checkpoint should raise perplexity far above 10: ${out} ${err}")
endif()

# 4c. `anatomy-cli settings` lists every knob of the engine's table with its default. The keys are
# not typed here: they come from the error for an unknown key, which names every row of the table.
run_cli(out err rc perplexity --model ${M}/stories260K.bin --text ${TMP}/text.txt --context 64 --set warp.drive=on)
string(REGEX MATCH "known keys: ([^\n]*)" _ "${err}")
string(REPLACE ", " ";" knob_keys "${CMAKE_MATCH_1}")
list(LENGTH knob_keys n_knobs)
run_cli(settings_out err rc settings)
if(n_knobs LESS 30 OR NOT rc EQUAL 0)
  fail("settings: expected the unknown-key error to list 30 or more knobs, got ${n_knobs} (rc ${rc}): ${err}")
endif()
foreach(key IN LISTS knob_keys)
  string(FIND "${settings_out}" "--set ${key}=" at)
  if(at EQUAL -1)
    fail("anatomy-cli settings does not list ${key}")
  else()
    string(SUBSTRING "${settings_out}" ${at} 400 line)
    if(NOT line MATCHES "^--set ${key}=[^\n]+\\(default [^)\n]+\\)\n    [^\n]+")
      fail("anatomy-cli settings: ${key} has no default or help: ${line}")
    endif()
  endif()
endforeach()
message(STATUS "ok: anatomy-cli settings lists all ${n_knobs} knobs of the table")

# 5. trace writes .npy arrays and a manifest.
run_cli(out err rc trace --model ${M}/stories260K.bin --prompt "The cat sat" --out ${TMP}/trace)
if(NOT EXISTS ${TMP}/trace/manifest.json OR NOT EXISTS ${TMP}/trace/layer2_attn_probs.npy)
  fail("trace folder incomplete: ${err}")
endif()
file(READ ${TMP}/trace/manifest.json manifest)
if(NOT manifest MATCHES "\"settings\": \"as trained\"")
  fail("trace manifest should record the settings as trained")
endif()
run_cli(out err rc trace --model ${M}/stories260K.bin --prompt "The cat sat" --out ${TMP}/trace_sim
        --set attn.sparse=window --set attn.window=2 --set rope.scaling=yarn --set rope.beta=16)
file(READ ${TMP}/trace_sim/manifest.json manifest)
if(NOT manifest MATCHES "\"settings\": \"rope.scaling=yarn, rope.beta=16, attn.sparse=window, attn.window=2\"")
  fail("trace manifest should record every changed knob: ${err}")
endif()

# 6. bench and synth.
run_cli(out err rc bench --model ${M}/stories260K.bin --threads 1 --prompt-tokens 16 --gen-tokens 16 --runs 1)
if(NOT out MATCHES "\"prefill_tok_s\": [0-9.]+.*\"decode_tok_s\": [0-9.]+")
  fail("bench: ${out} ${err}")
endif()

# 6b. The KV-cache calculator: Llama-2-7B MHA is 2 * 32 layers * 32 heads * 128 dims * 2 bytes.
run_cli(out err rc kvcache --model ${M}/stories260K.bin --context 4096)
if(NOT out MATCHES "\"model\": \"Llama-2-7B\", \"variant\": \"MHA \\(32 kv heads\\)\", \"bytes_per_token\": 524288"
   OR NOT out MATCHES "\"model\": \"stories260K.bin\", \"variant\": \"GQA \\(4 kv heads\\)\", \"bytes_per_token\": 1280,")
  fail("kvcache: ${out} ${err}")
endif()

# 7. Bad arguments and bad files.
execute_process(COMMAND head -c 5000 ${M}/stories260K.bin OUTPUT_FILE ${TMP}/truncated.bin)
file(WRITE ${TMP}/empty.txt "")
file(WRITE ${TMP}/garbage.bin "this is not a model file at all, just some text that is long enough")
expect_error("missing model" "not found" generate --model ${TMP}/nope.bin)
expect_error("truncated model" "file size" generate --model ${TMP}/truncated.bin --tokenizer ${M}/tok512.bin)
expect_error("garbage model" "expected" generate --model ${TMP}/garbage.bin)
expect_error("unknown option" "unknown option --bogus" generate --model ${M}/stories260K.bin --bogus 1)
expect_error("bad number" "--temperature" generate --model ${M}/stories260K.bin --temperature abc)
expect_error("negative temperature" "--temperature" generate --model ${M}/stories260K.bin --temperature -1)
expect_error("missing value" "needs a value" generate --model)
expect_error("unknown command" "unknown command" frobnicate)
expect_error("garbage tokenizer" "max_token_length" generate --model ${M}/stories260K.bin --tokenizer ${TMP}/garbage.bin)
execute_process(COMMAND head -c 3000 ${M}/tok512.bin OUTPUT_FILE ${TMP}/tok_truncated.bin)
expect_error("truncated tokenizer" "token" generate --model ${M}/stories260K.bin --tokenizer ${TMP}/tok_truncated.bin)
expect_error("empty prompt file for perplexity" "fewer than one window" perplexity --model ${M}/stories260K.bin --text ${TMP}/empty.txt --context 64)
expect_error("missing text" "--text" tokenize --model ${M}/stories260K.bin)
expect_error("text file missing" "cannot open" perplexity --model ${M}/stories260K.bin --text ${TMP}/none.txt --context 64)
expect_error("context too small" "--context" perplexity --model ${M}/stories260K.bin --text ${TMP}/text.txt --context 1)
expect_error("unknown setting" "unknown setting" perplexity --model ${M}/stories260K.bin --text ${TMP}/text.txt --context 64 --set warp.drive=on)
expect_error("bad setting value" "norm.placement" generate --model ${M}/stories260K.bin --set norm.placement=sideways)
expect_error("infinite setting" "rope.factor: expected a number >= 1 and <= 1024, got 'inf'"
             perplexity --model ${M}/stories260K.bin --text ${TMP}/text.txt --context 64 --set rope.scaling=linear --set rope.factor=inf)
expect_error("bad synth shape" "--shape" synth --shape stories7B --out ${TMP}/x.bin)

if(FAILED)
  message(FATAL_ERROR "anatomy-cli end-to-end checks failed")
endif()
message(STATUS "anatomy-cli end-to-end checks passed")
