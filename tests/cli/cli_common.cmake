# Shared by the CLI end-to-end scripts: run anatomy-cli, record a failure.
# CLI_TIMEOUT: seconds before a run counts as a hang (its rc is then not a number: a failure).
if(NOT DEFINED CLI_TIMEOUT)
  set(CLI_TIMEOUT 120)
endif()

function(run_cli out_var err_var rc_var)
  execute_process(COMMAND ${CLI} ${ARGN} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc
                  TIMEOUT ${CLI_TIMEOUT})
  set(${out_var} "${out}" PARENT_SCOPE)
  set(${err_var} "${err}" PARENT_SCOPE)
  set(${rc_var} "${rc}" PARENT_SCOPE)
endfunction()

macro(fail msg)
  message(SEND_ERROR "FAIL: ${msg}")
  set(FAILED 1)
endmacro()
