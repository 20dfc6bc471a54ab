# anatomy-cli against abusive options and odd files (issue 14): every case ends in a one-line
# error naming the problem, before any work starts, never a hang or a crash.
#   cmake -DCLI=... -DSHARED=... -P cli_hardening.cmake
set(M ${SHARED}/models/stories260K)
set(TMP ${CMAKE_CURRENT_BINARY_DIR}/cli_hardening_tmp)
file(REMOVE_RECURSE ${TMP})
file(MAKE_DIRECTORY ${TMP})
set(FAILED 0)

set(CLI_TIMEOUT 60)  # a hang (a FIFO opened for reading) ends here as a failure
include(${CMAKE_CURRENT_LIST_DIR}/cli_common.cmake)

# Exit 1 or 2, "anatomy-cli: error: ...needle...", and nothing on stdout (no work was done).
macro(expect_refused what needle)
  run_cli(out err rc ${ARGN})
  if(rc EQUAL 0 OR NOT rc MATCHES "^[0-9]+$" OR rc GREATER 2)
    fail("${what}: expected exit 1 or 2, got '${rc}' (stderr: ${err})")
  elseif(NOT err MATCHES "anatomy-cli: error: [^\n]*${needle}")
    fail("${what}: stderr should name '${needle}', got: ${err}")
  elseif(NOT out STREQUAL "")
    fail("${what}: refused only after working (stdout: ${out})")
  else()
    message(STATUS "ok: ${what}: ${err}")
  endif()
endmacro()

set(GEN generate --model ${M}/stories260K.bin --max-new-tokens 4)

# Numbers: plain decimals only (stod read 0x10 as 16 and accepted inf and nan).
# (An empty value is written --key= here: CMake drops empty list elements; the CLI reads
# "--key ''" and "--key=" alike.)
foreach(v 0x10 inf nan -nan infinity 1e999 " 1" "1 ")
  expect_refused("--temperature '${v}'" "--temperature: expected a number" ${GEN} --temperature "${v}")
endforeach()
expect_refused("--temperature=" "--temperature: expected a number" ${GEN} --temperature=)
expect_refused("--top-k 0x10" "--top-k: expected an integer" ${GEN} --top-k 0x10)
expect_refused("--seed ' 5'" "--seed: expected an integer" ${GEN} --seed " 5")
expect_refused("--set rope.factor=0x10" "rope.factor" ${GEN} --set rope.scaling=linear --set rope.factor=0x10)
expect_refused("--set without =" "keys: see anatomy-cli settings" ${GEN} --set rope.factor)

# Empty paths are errors, not "the default".
expect_refused("--tokenizer ''" "--tokenizer: expected a path" ${GEN} --tokenizer=)
expect_refused("--model ''" "--model: expected a path" generate --model= --max-new-tokens 4)
expect_refused("perplexity --text ''" "--text: expected a file" perplexity --model ${M}/stories260K.bin --text= --context 8)
expect_refused("perplexity --tokenizer ''" "--tokenizer: expected a path" perplexity --model ${M}/stories260K.bin --tokenizer= --context 8)

# Output paths are refused before the work starts.
file(WRITE ${TMP}/a_file.txt "x")
expect_refused("--dump-logits into a missing folder" "--dump-logits .*does not exist" ${GEN} --dump-logits /bad/path/x.npy)
expect_refused("--dump-logits a directory" "--dump-logits .*is a directory" ${GEN} --dump-logits ${TMP})
expect_refused("--dump-logits under /proc" "system folder /proc" ${GEN} --dump-logits /proc/x.npy)
set(TRACE trace --model ${M}/stories260K.bin --prompt "The cat sat")
expect_refused("trace --out /" "--out /: is the root folder" ${TRACE} --out /)
expect_refused("trace --out /usr/share/trace" "system folder /usr" ${TRACE} --out /usr/share/trace)
expect_refused("trace --out an existing file" "expected a folder" ${TRACE} --out ${TMP}/a_file.txt)
expect_refused("trace --out below a file" "not a folder" ${TRACE} --out ${TMP}/a_file.txt/sub)
expect_refused("synth --out /etc/x.bin" "system folder /etc" synth --shape stories15M --out /etc/x.bin)

# Odd input files: said what they are, at once (a FIFO would block open(), /dev/zero never ends).
execute_process(COMMAND mkfifo ${TMP}/pipe RESULT_VARIABLE mk)
if(NOT mk EQUAL 0)
  fail("mkfifo failed: ${mk}")
endif()
expect_refused("model is a directory" "is a directory" generate --model ${TMP})
expect_refused("model is a FIFO" "is a FIFO" generate --model ${TMP}/pipe)
expect_refused("model is a device" "is a character device" info --model /dev/zero)
expect_refused("tokenizer is a FIFO" "is a FIFO" ${GEN} --tokenizer ${TMP}/pipe)
set(PPL perplexity --model ${M}/stories260K.bin --context 8)
expect_refused("perplexity on a directory" "is a directory" ${PPL} --text ${TMP})
expect_refused("perplexity on a FIFO" "is a FIFO" ${PPL} --text ${TMP}/pipe)
expect_refused("perplexity on /dev/zero" "is a character device" ${PPL} --text /dev/zero)

# NaN weights: refused at load, naming the tensor (llama2.c's name and the layer). wq of layer 1
# starts after the 28-byte header, the embedding [512, 64] and rms_att_weight [5, 64]; the byte
# at +3 is the float's sign/exponent byte: 0xff there with the next 0x7f... makes it a NaN.
file(COPY_FILE ${M}/stories260K.bin ${TMP}/nan.bin)
math(EXPR at "28 + (512 * 64 + 5 * 64 + 64 * 64) * 4")
execute_process(COMMAND sh -c "printf '\\377\\377\\377\\177' | dd of=${TMP}/nan.bin bs=1 seek=${at} conv=notrunc 2>/dev/null"
                RESULT_VARIABLE dd_rc)
expect_refused("NaN weights" "tensor wq of layer 1 holds nan" generate --model ${TMP}/nan.bin --tokenizer ${M}/tok512.bin)

# Budgets: a trace that would not fit is refused with the estimate, before it runs.
string(REPEAT "a b " 10000 long_prompt)  # 20,000 tokens
expect_refused("trace of 20,000 tokens" "this trace needs [0-9.]+ GB.*capture fewer arrays or tokens"
               trace --model ${M}/stories260K.bin --prompt "${long_prompt}" --out ${TMP}/big_trace)
if(EXISTS ${TMP}/big_trace)
  fail("a refused trace should not create its folder")
endif()
expect_refused("bench --trace-tokens 20000" "this trace needs [0-9.]+ GB.*capture fewer arrays or tokens"
               bench --model ${M}/stories260K.bin --runs 1 --prompt-tokens 4 --gen-tokens 0 --trace-tokens 20000)
expect_refused("bench --trace-parts without --trace-tokens" "--trace-parts needs --trace-tokens"
               bench --model ${M}/stories260K.bin --runs 1 --prompt-tokens 4 --gen-tokens 0 --trace-parts)
# Layers kept whole: each must be a layer of the model, the list well formed.
expect_refused("trace --layers past the last layer" "--layers: expected comma-separated integers in \\[0, 4\\], got '5'"
               ${TRACE} --out ${TMP}/layers_trace --layers 1,5)
expect_refused("trace --layers with an empty entry" "--layers: expected comma-separated integers.*got ''"
               ${TRACE} --out ${TMP}/layers_trace --layers 1,,2)
expect_refused("trace --layers negative" "--layers: expected comma-separated integers.*got '-1'"
               ${TRACE} --out ${TMP}/layers_trace --layers -1)
run_cli(out err rc ${TRACE} --out ${TMP}/layers_trace --layers 3,1)
file(READ ${TMP}/layers_trace/manifest.json manifest)
if(NOT rc EQUAL 0 OR NOT manifest MATCHES "\"whole_layers\": \\[1, 3\\]" OR NOT EXISTS ${TMP}/layers_trace/layer1_attn_probs.npy
   OR EXISTS ${TMP}/layers_trace/layer0_attn_probs.npy OR NOT EXISTS ${TMP}/layers_trace/attn_thumb_probs.npy)
  fail("trace --layers 3,1 should keep layers 1 and 3 whole and the rest as thumbnails (rc ${rc}): ${err}")
endif()
expect_refused("duplicate head ablation" "head 0:1 appears twice" ${GEN} --set heads.ablate=0:1,0:1)
expect_refused("more ablations than heads" "at most 40 heads"
               ${GEN} --set heads.ablate=0:0,0:1,0:2,0:3,0:4,0:5,0:6,0:7,1:0,1:1,1:2,1:3,1:4,1:5,1:6,1:7,2:0,2:1,2:2,2:3,2:4,2:5,2:6,2:7,3:0,3:1,3:2,3:3,3:4,3:5,3:6,3:7,4:0,4:1,4:2,4:3,4:4,4:5,4:6,4:7,5:0)

# And the well-formed versions of the same still work.
run_cli(out err rc ${GEN} --temperature 0.0 --dump-logits ${TMP}/ok.npy)
if(NOT rc EQUAL 0 OR NOT EXISTS ${TMP}/ok.npy)
  fail("generate with a plain temperature and a good dump path should work (rc ${rc}): ${err}")
endif()

if(FAILED)
  message(FATAL_ERROR "anatomy-cli hardening checks failed")
endif()
