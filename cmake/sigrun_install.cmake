# Installation of the runtime for embedders (included from runtime/CMakeLists.txt). `cmake --install` puts
#   lib/libsigrun.so.0 (+ links)            the runtime, the only library an embedder links
#   include/sigrun/*.h                      the public API (engine.h, pack.h, live_engine.h, sigrun.h, ...)
#   include/sigrun/abi/, .../program/       the ABI and program types the public headers use
#   lib/cmake/sigrun/                       find_package(sigrun) -> sigrun::runtime
#   lib/pkgconfig/sigrun.pc                 pkg-config --cflags --libs sigrun
# Headers keep their source-tree include paths ("abi/program.h", "sigrun/engine.h"), so consumers get both
# include/ and include/sigrun/ on their include path.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(SIGRUN_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/sigrun)
set(SIGRUN_RUNTIME_SOURCE_DIR ${PROJECT_SOURCE_DIR}/runtime)

set_target_properties(sigrun_runtime PROPERTIES EXPORT_NAME runtime)
set_target_properties(sigrun_abi PROPERTIES EXPORT_NAME abi)
add_library(sigrun::runtime ALIAS sigrun_runtime)
target_include_directories(sigrun_runtime INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
                                                    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/sigrun>)
target_compile_features(sigrun_runtime INTERFACE cxx_std_17)

install(TARGETS sigrun_runtime sigrun_abi EXPORT sigrunTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT runtime NAMELINK_COMPONENT development)

file(GLOB SIGRUN_PUBLIC_HEADERS CONFIGURE_DEPENDS ${SIGRUN_RUNTIME_SOURCE_DIR}/include/sigrun/*.h)
file(GLOB SIGRUN_ABI_HEADERS CONFIGURE_DEPENDS ${SIGRUN_RUNTIME_SOURCE_DIR}/abi/*.h)
install(FILES ${SIGRUN_PUBLIC_HEADERS} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/sigrun COMPONENT development)
install(FILES ${SIGRUN_ABI_HEADERS} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/sigrun/abi COMPONENT development)
install(FILES ${SIGRUN_RUNTIME_SOURCE_DIR}/program/program.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/sigrun/program COMPONENT development)

install(EXPORT sigrunTargets NAMESPACE sigrun:: DESTINATION ${SIGRUN_INSTALL_CMAKEDIR} COMPONENT development)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/sigrunConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/cmake/sigrunConfig.cmake
                              INSTALL_DESTINATION ${SIGRUN_INSTALL_CMAKEDIR})
# 0.x: a minor version may break the API, so only the same minor version satisfies a request.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/sigrunConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cmake/sigrunConfig.cmake ${PROJECT_BINARY_DIR}/cmake/sigrunConfigVersion.cmake
        DESTINATION ${SIGRUN_INSTALL_CMAKEDIR} COMPONENT development)

# Relocatable: the prefix is found from where the .pc file is, so `cmake --install --prefix X` works.
file(RELATIVE_PATH SIGRUN_PC_TO_PREFIX /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
configure_file(${PROJECT_SOURCE_DIR}/cmake/sigrun.pc.in ${PROJECT_BINARY_DIR}/sigrun.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/sigrun.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig
        COMPONENT development)
