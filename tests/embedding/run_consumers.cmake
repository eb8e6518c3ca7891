# The installed library used from outside the source tree:
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DPACK=... -DEVENTS=... -DGENERATOR=... -P run_consumers.cmake
# 1. `cmake --install` the build into BUILD_DIR/install-test/prefix;
# 2. configure, build and run tests/embedding/consumer (C++) with find_package(sigrun) on that prefix only;
# 3. compile examples/c/scan_pack.c with the flags `pkg-config --cflags --libs sigrun` gives, and run it;
# 4. check neither program needs LLVM, yaml-cpp or PEGTL.
set(work ${BUILD_DIR}/install-test)
set(prefix ${work}/prefix)
file(REMOVE_RECURSE ${work})

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE output ERROR_VARIABLE output)
  message("$ ${ARGN}\n${output}")
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed with ${status}")
  endif()
  set(output "${output}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(file include/sigrun/sigrun.h include/sigrun/pack.h include/sigrun/abi/pack_format.h
             include/sigrun/program/program.h lib/cmake/sigrun/sigrunConfig.cmake lib/pkgconfig/sigrun.pc)
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "not installed: ${file}")
  endif()
endforeach()

# CMake: only the installed prefix is searched.
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/embedding/consumer -B ${work}/cmake-consumer -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=Release -Dsigrun_DIR=${prefix}/lib/cmake/sigrun -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
run(${CMAKE_COMMAND} --build ${work}/cmake-consumer)
run(${work}/cmake-consumer/consumer ${PACK} ${EVENTS})
if(NOT output MATCHES "27 events, 3 matches" OR NOT output MATCHES "after reload \\(generation 2\\): 3 matches")
  message(FATAL_ERROR "unexpected output of the CMake consumer")
endif()

# pkg-config.
find_program(PKG_CONFIG pkg-config REQUIRED)
set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig)
run(${PKG_CONFIG} --cflags --libs sigrun)
separate_arguments(flags UNIX_COMMAND "${output}")
run(cc -std=c11 -Wall -Wextra -Wpedantic -Werror ${SOURCE_DIR}/examples/c/scan_pack.c ${flags}
    -Wl,-rpath,${prefix}/lib -o ${work}/scan_pack)
run(${work}/scan_pack ${PACK} ${EVENTS})
if(NOT output MATCHES "27 events, 27 evaluated, 0 rejected, 3 matches")
  message(FATAL_ERROR "unexpected output of the pkg-config consumer")
endif()

foreach(program ${work}/cmake-consumer/consumer ${work}/scan_pack)
  run(ldd ${program})
  if(output MATCHES "LLVM|yaml-cpp|pegtl")
    message(FATAL_ERROR "${program} needs a compiler library")
  endif()
  if(NOT output MATCHES "${prefix}/lib/libsigrun.so.0")
    message(FATAL_ERROR "${program} does not use the installed libsigrun")
  endif()
endforeach()
