# Finds the LLVM and Clang that trainlint builds against and describes how to
# link with them. This file and checks/compat.h are the only places that know
# about LLVM versions: another LLVM (18 or later) is -DTRAINLINT_LLVM_VERSION=N,
# or -DLLVM_DIR=... -DClang_DIR=... for one outside the Debian layout.

set(_trainlint_llvm_prefix /usr/lib/llvm-${TRAINLINT_LLVM_VERSION})

# Clang's version file wants an exact match (22 rejects 22.1.8), so ask without
# a version and check the major ourselves.
find_package(LLVM REQUIRED CONFIG HINTS ${_trainlint_llvm_prefix}/lib/cmake/llvm)
if(NOT LLVM_VERSION_MAJOR EQUAL TRAINLINT_LLVM_VERSION)
  message(FATAL_ERROR "trainlint: found LLVM ${LLVM_PACKAGE_VERSION} in ${LLVM_DIR}, "
                      "but TRAINLINT_LLVM_VERSION is ${TRAINLINT_LLVM_VERSION}")
endif()
if(LLVM_VERSION_MAJOR LESS 18)
  message(FATAL_ERROR "trainlint needs LLVM 18 or later, found ${LLVM_PACKAGE_VERSION}")
endif()
find_package(Clang REQUIRED CONFIG HINTS ${LLVM_DIR}/../clang ${_trainlint_llvm_prefix}/lib/cmake/clang)
message(STATUS "trainlint: LLVM ${LLVM_PACKAGE_VERSION} from ${LLVM_DIR}")

set(TRAINLINT_LLVM_BINDIR ${LLVM_TOOLS_BINARY_DIR})
find_program(TRAINLINT_CLANG_TIDY NAMES clang-tidy-${LLVM_VERSION_MAJOR} clang-tidy
             HINTS ${LLVM_TOOLS_BINARY_DIR} NO_DEFAULT_PATH)
find_program(TRAINLINT_CLANGXX NAMES clang++-${LLVM_VERSION_MAJOR} clang++
             HINTS ${LLVM_TOOLS_BINARY_DIR} NO_DEFAULT_PATH)
find_program(TRAINLINT_FILECHECK FileCheck HINTS ${LLVM_TOOLS_BINARY_DIR} NO_DEFAULT_PATH)
find_program(TRAINLINT_LIT NAMES lit llvm-lit HINTS ${LLVM_TOOLS_BINARY_DIR})

# The checks follow LLVM's own RTTI and exception settings: a mismatch breaks
# typeinfo lookups against the clang-tidy executable.
set(TRAINLINT_LLVM_CXX_FLAGS "")
if(NOT LLVM_ENABLE_RTTI)
  list(APPEND TRAINLINT_LLVM_CXX_FLAGS -fno-rtti)
endif()
if(NOT LLVM_ENABLE_EH)
  list(APPEND TRAINLINT_LLVM_CXX_FLAGS -fno-exceptions)
endif()

# Headers and definitions every target that includes clang needs.
add_library(trainlint_llvm_headers INTERFACE)
target_include_directories(trainlint_llvm_headers SYSTEM INTERFACE
  ${LLVM_INCLUDE_DIRS} ${CLANG_INCLUDE_DIRS})
target_compile_definitions(trainlint_llvm_headers INTERFACE ${LLVM_DEFINITIONS})
target_compile_options(trainlint_llvm_headers INTERFACE ${TRAINLINT_LLVM_CXX_FLAGS})

# What an executable links to run clang-tidy in-process: the static clang-tidy
# archives by file (their CMake targets would drag in the static clang
# libraries next to libclang-cpp, registering every option twice), then the
# shared clang and LLVM.
function(trainlint_clang_tidy_archive out name)
  find_library(_lib_${name} NAMES ${name} PATHS ${LLVM_LIBRARY_DIR} NO_DEFAULT_PATH)
  if(NOT _lib_${name})
    message(FATAL_ERROR "trainlint: lib${name}.a not found in ${LLVM_LIBRARY_DIR}")
  endif()
  set(${out} ${_lib_${name}} PARENT_SCOPE)
endfunction()
trainlint_clang_tidy_archive(_tidy_main clangTidyMain)
trainlint_clang_tidy_archive(_tidy clangTidy)
trainlint_clang_tidy_archive(_tidy_utils clangTidyUtils)
add_library(trainlint_clang_tidy_runtime INTERFACE)
target_link_libraries(trainlint_clang_tidy_runtime INTERFACE
  trainlint_llvm_headers ${_tidy_main} ${_tidy} ${_tidy_utils} clang-cpp LLVM)
