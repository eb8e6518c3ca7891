# Runs an example: cmake -DCOMMAND=<program;args...> -DEXPECT=<regex;...> -P run_example.cmake
# Passes when the command exits with status 0 and every regex of EXPECT matches its output (stdout and
# stderr). The output is printed either way.
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
message("${output}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the example exited with ${status}")
endif()
foreach(expected IN LISTS EXPECT)
  if(NOT output MATCHES "${expected}")
    message(FATAL_ERROR "the example's output does not match: ${expected}")
  endif()
endforeach()
