# End-to-end checks of the encoder path as a user runs it: synth --arch bert, info, embed (texts,
# a file, pooling), and the one-line errors for what an encoder or embed cannot do.
#   cmake -DCLI=... -DSHARED=... -P cli_embed.cmake
set(M ${SHARED}/models/stories260K)
set(TMP ${CMAKE_CURRENT_BINARY_DIR}/cli_embed_tmp)
file(REMOVE_RECURSE ${TMP})
file(MAKE_DIRECTORY ${TMP})
set(FAILED 0)

include(${CMAKE_CURRENT_LIST_DIR}/cli_common.cmake)

macro(expect_error what needle)
  run_cli(out err rc ${ARGN})
  string(REGEX MATCHALL "\n" lines "${err}")
  list(LENGTH lines nlines)
  if(rc EQUAL 0 OR NOT rc MATCHES "^[0-9]+$" OR rc GREATER 2)
    fail("${what}: expected exit 1 or 2, got '${rc}' (stderr: ${err})")
  elseif(NOT err MATCHES "anatomy-cli: error: .*${needle}")
    fail("${what}: stderr should name '${needle}', got: ${err}")
  elseif(NOT nlines EQUAL 1)
    fail("${what}: expected a one-line error, got: ${err}")
  else()
    message(STATUS "ok: ${what}: ${err}")
  endif()
endmacro()

run_cli(out err rc synth --arch bert --seed 1 --out ${TMP}/bert.gguf)
if(NOT rc EQUAL 0)
  fail("synth --arch bert: rc=${rc} ${err}")
endif()
run_cli(out err rc info --model ${TMP}/bert.gguf)
if(NOT rc EQUAL 0 OR NOT out MATCHES "\"architecture\": \"bert\"" OR NOT out MATCHES "post-LayerNorm with bias"
   OR NOT out MATCHES "bidirectional attention" OR NOT out MATCHES "encoder \\(no LM head\\), mean pooling")
  fail("info on bert: rc=${rc} ${out} ${err}")
endif()

# Two --text give two JSON lines of 64 values each, L2-normalised, the text echoed.
run_cli(out err rc embed --model ${TMP}/bert.gguf --text "Hello, world!" --text "the \"cat\" sat")
string(REGEX MATCHALL "[^\n]+" lines "${out}")
list(LENGTH lines n)
if(NOT rc EQUAL 0 OR NOT n EQUAL 2)
  fail("embed with two texts: rc=${rc} lines=${n} ${out} ${err}")
else()
  list(GET lines 0 first)
  list(GET lines 1 second)
  string(JSON text0 GET "${first}" text)
  string(JSON text1 GET "${second}" text)
  string(JSON len LENGTH "${first}" embedding)
  set(sum 0)
  math(EXPR last "${len} - 1")
  foreach(i RANGE ${last})
    string(JSON v GET "${first}" embedding ${i})
    # Squares summed in millionths (CMake has integer arithmetic only).
    math(EXPR micro "0")
    string(REGEX REPLACE "^-" "" av "${v}")
    if(av MATCHES "e-")
      set(av 0)
    endif()
    string(REGEX REPLACE "^0\\.([0-9]?)([0-9]?)([0-9]?).*" "\\1\\2\\3" milli "${av}")
    if(milli STREQUAL "")
      set(milli 0)
    endif()
    string(REGEX REPLACE "^0+([0-9])" "\\1" milli "${milli}")
    math(EXPR sum "${sum} + ${milli} * ${milli}")
  endforeach()
  # Truncated to thousandths each value loses a little: |e|^2 lands in [0.9, 1.0].
  if(NOT text0 STREQUAL "Hello, world!" OR NOT text1 STREQUAL "the \"cat\" sat" OR NOT len EQUAL 64
     OR sum LESS 900000 OR sum GREATER 1000000)
    fail("embed output: text '${text0}' / '${text1}', ${len} values, sum of squares ${sum} millionths")
  else()
    message(STATUS "ok: embed prints one JSON line per text, 64 values, norm^2 ~ ${sum}e-6")
  endif()
endif()

# --file: one input per line, the same embeddings as --text.
file(WRITE ${TMP}/lines.txt "Hello, world!\nthe \"cat\" sat\n")
run_cli(out_file err rc embed --model ${TMP}/bert.gguf --file ${TMP}/lines.txt)
if(NOT rc EQUAL 0 OR NOT out_file STREQUAL out)
  fail("embed --file should print what --text printed: rc=${rc} ${err}")
endif()
# --pooling cls differs from the file's mean.
run_cli(out_cls err rc embed --model ${TMP}/bert.gguf --text "Hello, world!" --pooling cls)
if(NOT rc EQUAL 0 OR out_cls STREQUAL first)
  fail("embed --pooling cls: rc=${rc} ${err}")
endif()

expect_error("embed on a decoder" "llama is a decoder .a language model.; embed needs an encoder"
             embed --model ${M}/stories260K.gguf --text "hello")
expect_error("embed an empty text" "--text: expected a text to embed, got an empty string"
             embed --model ${TMP}/bert.gguf --text=)
expect_error("embed without text" "missing required option --text" embed --model ${TMP}/bert.gguf)
expect_error("embed a missing file" "--file: cannot read" embed --model ${TMP}/bert.gguf --file ${TMP}/nope.txt)
file(WRITE ${TMP}/blank.txt "one\n\ntwo\n")
expect_error("embed a file with an empty line" "line 2 of .* is empty" embed --model ${TMP}/bert.gguf --file ${TMP}/blank.txt)
expect_error("embed a bad pooling" "--pooling: expected mean, cls or last" embed --model ${TMP}/bert.gguf --text a --pooling max)
expect_error("generate on an encoder" "bert is an encoder: it has no next-token head"
             generate --model ${TMP}/bert.gguf --prompt "hello")
expect_error("perplexity on an encoder" "perplexity: bert is an encoder"
             perplexity --model ${TMP}/bert.gguf --text ${TMP}/lines.txt --context 4)
expect_error("a decoder knob on an encoder" "attn.mask: does not apply to this model: bert is an encoder"
             trace --model ${TMP}/bert.gguf --prompt "hello" --out ${TMP}/t --set attn.mask=prefix)

# trace works on an encoder: attention arrays, no logits.
run_cli(out err rc trace --model ${TMP}/bert.gguf --prompt "the cat sat on the mat" --out ${TMP}/trace_bert)
if(NOT rc EQUAL 0 OR NOT EXISTS ${TMP}/trace_bert/manifest.json)
  fail("trace on bert: rc=${rc} ${err}")
endif()

if(FAILED)
  message(FATAL_ERROR "anatomy-cli embed checks failed")
endif()
message(STATUS "anatomy-cli embed checks passed")
