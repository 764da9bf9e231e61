// Parsing test code against the mock libtorch and CUDA runtime headers of
// test/mock, as the unit tests of the shared models do.

#ifndef TRAINLINT_TEST_UNIT_MOCKAST_H
#define TRAINLINT_TEST_UNIT_MOCKAST_H

#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "gtest/gtest.h"
#include <memory>
#include <string>
#include <vector>

namespace trainlint {

/// The AST of \p Includes followed by \p Code, with the mock headers on the
/// include path; \p Cuda parses it as CUDA host code (kernel launches). The
/// code must compile: a test of broken code would test nothing.
inline std::unique_ptr<clang::ASTUnit>
parseWithMocks(const std::string &Includes, const std::string &Code,
               bool Cuda = false) {
  std::vector<std::string> Args = {
      "-std=c++17", "-I" TRAINLINT_MOCK_DIR, "-I" TRAINLINT_MOCK_DIR "/torch",
      "-I" TRAINLINT_MOCK_DIR "/cuda",
      "-resource-dir=" TRAINLINT_CLANG_RESOURCE_DIR};
  std::string File = "input.cpp";
  if (Cuda) {
    Args.insert(Args.end(), {"-xcuda", "--cuda-host-only", "-nocudainc",
                             "-nocudalib", "--no-cuda-version-check"});
    File = "input.cu";
  }
  auto AST = clang::tooling::buildASTFromCodeWithArgs(Includes + Code, Args,
                                                      File);
  EXPECT_FALSE(AST->getDiagnostics().hasErrorOccurred())
      << "the test code compiles";
  return AST;
}

} // namespace trainlint

#endif // TRAINLINT_TEST_UNIT_MOCKAST_H
