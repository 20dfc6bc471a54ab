# NaN and infinity in t5 and bert files as a user meets them: anatomy-cli generate, trace and embed
# refuse a damaged file in one line naming the tensor, the value and the element, across the
# encoder, the cross-attention, the relative-position tables, bert's post-norms and fused QKV,
# and an F16 matrix. Each fixture is a synth file with one element overwritten in place by
# gguf_poke.py (the file is otherwise as synth wrote it).
#   cmake -DCLI=... -DPYTHON=python3 -P cli_encoder_weights.cmake
if(NOT PYTHON)
  message(FATAL_ERROR "-DPYTHON=python3 is needed to write the corrupt fixtures (gguf_poke.py)")
endif()
set(TMP ${CMAKE_CURRENT_BINARY_DIR}/cli_encoder_weights_tmp)
file(REMOVE_RECURSE ${TMP})
file(MAKE_DIRECTORY ${TMP})
set(FAILED 0)
include(${CMAKE_CURRENT_LIST_DIR}/cli_common.cmake)

foreach(arch t5 t5-gated t5-f16 bert bert-fused)
  run_cli(out err rc synth --arch ${arch} --seed 1 --out ${TMP}/${arch}.gguf)
  if(NOT rc EQUAL 0)
    fail("synth --arch ${arch}: rc=${rc} ${err}")
  endif()
endforeach()

# expect_damaged(what arch tensor element value shown command...): a copy of arch's file with
# tensor[element] = value; command (run on it, MODEL standing for the copy) must fail in one line
# "<file>: tensor <tensor>[ (F16)] holds <shown> at element <element>; the weights are damaged".
function(expect_damaged what arch tensor element value shown)
  set(bad ${TMP}/${what}.gguf)
  string(REPLACE " " "_" bad "${bad}")
  file(COPY_FILE ${TMP}/${arch}.gguf ${bad})
  execute_process(COMMAND ${PYTHON} ${CMAKE_CURRENT_LIST_DIR}/gguf_poke.py ${bad} ${tensor} ${element} ${value}
                  RESULT_VARIABLE prc ERROR_VARIABLE perr)
  if(NOT prc EQUAL 0)
    fail("${what}: gguf_poke failed: ${perr}")
    set(FAILED 1 PARENT_SCOPE)
    return()
  endif()
  string(REPLACE "MODEL" "${bad}" args "${ARGN}")
  run_cli(out err rc ${args})
  string(STRIP "${err}" line)
  string(REPLACE "." "\\." tensor_re "${tensor}")
  if(rc EQUAL 0 OR NOT rc MATCHES "^[0-9]+$" OR rc GREATER 2)
    fail("${what}: expected exit 1 or 2, got '${rc}' (stdout: ${out}, stderr: ${err})")
  elseif(NOT line MATCHES "anatomy-cli: error: [^\n]*tensor ${tensor_re}( \\(F16\\))? holds ${shown} at element ${element}; the weights are damaged")
    fail("${what}: stderr should name ${tensor} holding ${shown} at element ${element}, got: ${err}")
  elseif(line MATCHES "\n")
    fail("${what}: the error should be one line, got: ${err}")
  else()
    message(STATUS "ok: ${what}: ${line}")
  endif()
  set(FAILED ${FAILED} PARENT_SCOPE)
endfunction()

set(GEN generate --model MODEL --prompt "the cat sat" --max-new-tokens 4)
set(TRACE trace --model MODEL --prompt "the cat sat" --max-new-tokens 2 --out ${TMP}/trace)
set(EMBED embed --model MODEL --text "the cat sat")

# t5 (dim 64, 4 heads, 32 buckets): the encoder, its bias table and final norm, the cross-attention,
# the decoder's own bias table; the gated FFN's gate; an F16 matrix (its half-precision element).
expect_damaged("t5 encoder query" t5 enc.blk.1.attn_q.weight 77 nan nan ${GEN})
expect_damaged("t5 encoder bias table" t5 enc.blk.0.attn_rel_b.weight 9 inf inf ${TRACE})
expect_damaged("t5 encoder final norm" t5 enc.output_norm.weight 3 -inf -inf ${GEN})
expect_damaged("t5 cross-attention value" t5 dec.blk.1.cross_attn_v.weight 100 nan nan ${GEN})
expect_damaged("t5 cross-attention norm" t5 dec.blk.0.cross_attn_norm.weight 1 inf inf ${TRACE})
expect_damaged("t5 decoder bias table" t5 dec.blk.0.attn_rel_b.weight 0 nan nan ${GEN})
expect_damaged("t5-gated encoder gate" t5-gated enc.blk.1.ffn_gate.weight 42 nan nan ${GEN})
expect_damaged("t5-f16 encoder key" t5-f16 enc.blk.0.attn_k.weight 7 inf inf ${GEN})
expect_damaged("t5-f16 cross-attention output" t5-f16 dec.blk.1.cross_attn_o.weight 11 nan nan ${TRACE})
# bert (dim 64, 64 positions): post-norms, the FFN, the position table, a fused QKV and its bias.
expect_damaged("bert attention post-norm" bert blk.1.attn_output_norm.bias 3 -inf -inf ${EMBED})
expect_damaged("bert ffn up" bert blk.1.ffn_up.weight 130 inf inf ${EMBED})
expect_damaged("bert positions" bert position_embd.weight 577 nan nan ${EMBED})
expect_damaged("bert trace" bert blk.0.attn_k.weight 70 nan nan trace --model MODEL --prompt "the cat" --out ${TMP}/btrace)
expect_damaged("bert-fused qkv" bert-fused blk.1.attn_qkv.weight 8389 nan nan ${EMBED})
expect_damaged("bert-fused qkv bias" bert-fused blk.0.attn_qkv.bias 150 inf inf ${EMBED})

# The undamaged files still run (the fixtures differ from them in one element only).
string(REPLACE "MODEL" "${TMP}/bert-fused.gguf" args "${EMBED}")
run_cli(out err rc ${args})
if(NOT rc EQUAL 0 OR NOT out MATCHES "\"embedding\"")
  fail("embed on the undamaged bert-fused file: rc=${rc} ${err}")
endif()
string(REPLACE "MODEL" "${TMP}/t5-f16.gguf" args "${GEN}")
run_cli(out err rc ${args})
if(NOT rc EQUAL 0)
  fail("generate on the undamaged t5-f16 file: rc=${rc} ${err}")
endif()

if(FAILED)
  message(FATAL_ERROR "anatomy-cli damaged encoder weights checks failed")
endif()
message(STATUS "anatomy-cli damaged encoder weights checks passed")
