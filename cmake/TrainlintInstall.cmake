# What `cmake --install` puts where, and the Debian package CPack makes of it
# (scripts/package.sh). The layout is the one Debian's LLVM tools use, with
# trainlint's private libraries in a folder of their own:
#
#   bin/trainlint
#   lib/trainlint/TrainlintPlugin.so, TrainlintChecks-N.so   the clang-tidy plugin
#   lib/trainlint/libtrainlint_runtime.so                    the validator's runtime
#   share/doc/trainlint/                                     README, docs/
#   share/man/man1/trainlint.1.gz                            from `trainlint --help`
#
# The executable finds its plugin and runtime from its own location
# (tool/Installation.cpp), so the tree can move. Nothing here builds:
# `cmake --install` and `cpack` (with Ninja) take the binaries as they are.

set(TRAINLINT_INSTALL_LIBDIR lib/trainlint)

# An LLVM outside the loader's folders (-DLLVM_DIR=/opt/llvm/...) stays found
# after installation through a RUNPATH. Debian's LLVM packages put libLLVM and
# libclang-cpp in the multiarch folder as well, and there the executable gets
# none: a RUNPATH to /usr/lib/llvm-N/lib would make dpkg-shlibdeps see
# llvm-N-dev's link instead of libllvmN's library, and miss that dependency.
find_library(TRAINLINT_SYSTEM_LIBLLVM
  NAMES libLLVM.so.${LLVM_VERSION_MAJOR}.${LLVM_VERSION_MINOR} libLLVM.so.${LLVM_VERSION_MAJOR}
  PATHS ${CMAKE_CXX_IMPLICIT_LINK_DIRECTORIES} NO_DEFAULT_PATH)
mark_as_advanced(TRAINLINT_SYSTEM_LIBLLVM)
if(NOT TRAINLINT_SYSTEM_LIBLLVM)
  set_target_properties(trainlint PROPERTIES INSTALL_RPATH "${LLVM_LIBRARY_DIR}")
endif()
install(TARGETS trainlint RUNTIME DESTINATION bin)
install(TARGETS trainlint_plugin trainlint_checks_module
  LIBRARY DESTINATION ${TRAINLINT_INSTALL_LIBDIR})
if(TARGET trainlint_runtime)
  # A libtorch from -DTorch_DIR stays found; the system's needs no RUNPATH.
  set_target_properties(trainlint_runtime PROPERTIES INSTALL_RPATH_USE_LINK_PATH ON)
  install(TARGETS trainlint_runtime LIBRARY DESTINATION ${TRAINLINT_INSTALL_LIBDIR})
endif()

# The README links to docs/..., so the docs keep that shape beside it.
install(FILES README.md DESTINATION share/doc/trainlint)
install(DIRECTORY docs/ DESTINATION share/doc/trainlint/docs)

# The man page is the --help text of the built executable, written at install
# time so that it always describes the binary next to it.
set(_man_page ${CMAKE_BINARY_DIR}/man/trainlint.1.gz)
install(CODE "execute_process(COMMAND \"${CMAKE_COMMAND}\"
    -DTRAINLINT=$<TARGET_FILE:trainlint>
    -DOUTPUT=${_man_page}
    -P \"${PROJECT_SOURCE_DIR}/cmake/TrainlintManPage.cmake\"
  RESULT_VARIABLE _status)
  if(_status)
    message(FATAL_ERROR \"trainlint: writing the man page failed\")
  endif()")
install(FILES ${_man_page} DESTINATION share/man/man1)

# --- The Debian package ---------------------------------------------------
# trainlint_<version>_amd64.deb. dpkg-shlibdeps (dpkg-dev) computes the
# libraries' packages (libclang-cpp, libLLVM, libtorch, fmt); the plugin is
# loaded into clang-tidy of the same LLVM major version, a dependency no
# library link shows.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME trainlint)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "finds what makes C++ training code (libtorch, CUDA) slow")
set(CPACK_PACKAGE_DESCRIPTION
  "trainlint analyzes the translation units of a compile database for code \
that slows training down: host-device synchronizations in the training loop, \
work repeated on every step, per-element tensor loops. It ships a command \
for people and CI (text, JSON, SARIF, code quality reports), a clang-tidy \
plugin over the same checks, and a runtime validator that confirms findings \
by running the program.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "trainlint developers")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/trainlint/trainlint")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "clang-tidy-${TRAINLINT_LLVM_VERSION}")
include(CPack)
