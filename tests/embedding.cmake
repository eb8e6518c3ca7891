# Tests of what embedders use (included from tests/CMakeLists.txt): packs and hot reload (tests/unit/pack),
# the C API (tests/unit/capi), the examples under examples/ built and run against a pack of the shipped
# rules, and the installed library (`cmake --install`) used by out-of-tree consumers through
# find_package(sigrun) and pkg-config.

# Building a pack needs the LLVM backend (`sigrun compile`); without it there is nothing to embed.
if(NOT SIGRUN_WITH_LLVM)
  return()
endif()

sigrun_add_test_suite(pack sigrun_compiler)
sigrun_add_test_suite(capi sigrun_compiler)
if(TARGET sigrun_tests_pack)
  add_dependencies(sigrun_tests_pack sigrun)
endif()

set(SIGRUN_EXAMPLE_DIR ${CMAKE_BINARY_DIR}/examples)
file(MAKE_DIRECTORY ${SIGRUN_EXAMPLE_DIR})
set(SIGRUN_EXAMPLE_PACK ${SIGRUN_EXAMPLE_DIR}/aws.pack)
set(SIGRUN_EXAMPLE_EVENTS ${PROJECT_SOURCE_DIR}/examples/cloudtrail/organizations.ndjson)

# The pack the examples and consumers load: the shipped rules, compiled by the CLI.
add_test(NAME examples.pack COMMAND sigrun compile ${PROJECT_SOURCE_DIR}/rules -o ${SIGRUN_EXAMPLE_PACK})
set_tests_properties(examples.pack PROPERTIES FIXTURES_SETUP example_pack LABELS examples)

# What every example prints for the sample CloudTrail log (each regex must match a line): the three
# invitations the shipped rule finds, and the counters.
set(SIGRUN_EXAMPLE_OUTPUT
    "line 7: Invitation sent to account to join AWS organization [(]medium[)]: AWS organization invite by [^ ]+ to ACCOUNT 444455556666 - outcome: success"
    "line 14: .* to EMAIL finance-team@example.com - outcome: success"
    "line 22: .* to EMAIL cloud-ops@example.com - outcome: AccessDeniedException"
    "27 events, 27 evaluated, 0 rejected, 3 matches")

add_executable(sigrun_example_c ${PROJECT_SOURCE_DIR}/examples/c/scan_pack.c)
target_link_libraries(sigrun_example_c PRIVATE sigrun_runtime)
set_target_properties(sigrun_example_c PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
# Each example runs through run_example.cmake, which needs exit status 0 and the expected output.
add_test(NAME examples.c
         COMMAND ${CMAKE_COMMAND} "-DCOMMAND=$<TARGET_FILE:sigrun_example_c>;${SIGRUN_EXAMPLE_PACK};${SIGRUN_EXAMPLE_EVENTS}"
                 "-DEXPECT=${SIGRUN_EXAMPLE_OUTPUT}" -P ${PROJECT_SOURCE_DIR}/tests/embedding/run_example.cmake)
set_tests_properties(examples.c PROPERTIES FIXTURES_REQUIRED example_pack LABELS examples)

find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME examples.python
           COMMAND ${CMAKE_COMMAND}
                   "-DCOMMAND=${Python3_EXECUTABLE};${PROJECT_SOURCE_DIR}/examples/python/scan_pack.py;--library;$<TARGET_FILE:sigrun_runtime>;${SIGRUN_EXAMPLE_PACK};${SIGRUN_EXAMPLE_EVENTS}"
                   "-DEXPECT=${SIGRUN_EXAMPLE_OUTPUT}" -P ${PROJECT_SOURCE_DIR}/tests/embedding/run_example.cmake)
  set_tests_properties(examples.python PROPERTIES FIXTURES_REQUIRED example_pack LABELS examples)
endif()

# Installs into a prefix inside the build tree, builds tests/embedding/consumer against it with CMake and
# with pkg-config, and runs both on the example pack.
add_test(NAME install.consumer
         COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${CMAKE_BINARY_DIR} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
                 -DPACK=${SIGRUN_EXAMPLE_PACK} -DEVENTS=${SIGRUN_EXAMPLE_EVENTS} -DGENERATOR=${CMAKE_GENERATOR}
                 -P ${PROJECT_SOURCE_DIR}/tests/embedding/run_consumers.cmake)
set_tests_properties(install.consumer PROPERTIES FIXTURES_REQUIRED example_pack LABELS install TIMEOUT 600)
