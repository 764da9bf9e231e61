// Where a CUDA copy's host memory comes from: the proof that it is pageable,
// shared by the cuda-memcpy-* checks.

#include "model/CudaMemory.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "MockAST.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace trainlint;

namespace {

/// Parses \p Code after the mock CUDA runtime and the standard containers.
class Parsed {
public:
  explicit Parsed(const std::string &Code)
      : AST(parseWithMocks("#include <cuda_runtime.h>\n#include <cstdlib>\n"
                           "#include <memory>\n#include <string>\n"
                           "#include <vector>\n",
                           Code)) {}

  ASTContext &context() { return AST->getASTContext(); }

  /// The one call to \p Callee in function \p Function.
  const CallExpr *callIn(llvm::StringRef Function, llvm::StringRef Callee) {
    auto Matches = match(callExpr(callee(functionDecl(hasName(Callee))),
                                  hasAncestor(functionDecl(hasName(Function))))
                             .bind("call"),
                         context());
    EXPECT_EQ(Matches.size(), 1u)
        << "one call to " << Callee.str() << " in " << Function.str();
    return Matches.empty() ? nullptr : Matches[0].getNodeAs<CallExpr>("call");
  }

  /// What findPageableBuffer() says of the source of the one cudaMemcpyAsync
  /// in \p Function: the variable's name and the origin, or "" when it is
  /// not proven pageable.
  std::string pageableSource(llvm::StringRef Function) {
    const CallExpr *Call = callIn(Function, "cudaMemcpyAsync");
    if (!Call)
      return "no call";
    auto Buffer = findPageableBuffer(*Call->getArg(1), context());
    if (!Buffer)
      return "";
    return Buffer->Var->getNameAsString() + " " + Buffer->Origin +
           (Buffer->VarPointsToIt ? " (points)" : "");
  }

private:
  std::unique_ptr<ASTUnit> AST;
};

TEST(CudaMemoryTest, ReadsTheCopyKind) {
  Parsed P(R"cpp(
void constant(void *d, void *h) { cudaMemcpy(d, h, 4, cudaMemcpyDeviceToHost); }
void byDefault(const void *h) { cudaMemcpyToSymbol(h, h, 4); }
void variable(void *d, void *h, cudaMemcpyKind k) { cudaMemcpy(d, h, 4, k); }
)cpp");
  auto KindOf = [&](llvm::StringRef Function, llvm::StringRef Callee,
                    unsigned Arg) {
    const CallExpr *Call = P.callIn(Function, Callee);
    return Call ? memcpyKindOf(*Call->getArg(Arg), P.context()) : std::nullopt;
  };
  EXPECT_EQ(KindOf("constant", "cudaMemcpy", 3), MemcpyKind::DeviceToHost);
  EXPECT_EQ(KindOf("byDefault", "cudaMemcpyToSymbol", 4),
            MemcpyKind::HostToDevice);
  EXPECT_EQ(KindOf("variable", "cudaMemcpy", 3), std::nullopt);
}

TEST(CudaMemoryTest, ProvesContainersArraysAndAllocations) {
  Parsed P(R"cpp(
float Global[64];
void vector(float *d, cudaStream_t s) {
  std::vector<float> v(16);
  cudaMemcpyAsync(d, v.data(), 64, cudaMemcpyHostToDevice, s);
}
void element(float *d, cudaStream_t s) {
  std::vector<float> v(16);
  cudaMemcpyAsync(d, &v[4], 16, cudaMemcpyHostToDevice, s);
}
void array(float *d, cudaStream_t s) {
  cudaMemcpyAsync(d, (char *)Global + 8, 16, cudaMemcpyHostToDevice, s);
}
void malloced(float *d, cudaStream_t s) {
  float *p = nullptr;
  p = (float *)malloc(64);
  cudaMemcpyAsync(d, p, 64, cudaMemcpyHostToDevice, s);
}
void chained(float *d, cudaStream_t s) {
  float *a = new float[16];
  float *b = a + 4;
  cudaMemcpyAsync(d, b, 16, cudaMemcpyHostToDevice, s);
}
void unique(float *d, cudaStream_t s) {
  auto u = std::make_unique<float[]>(16);
  cudaMemcpyAsync(d, u.get(), 64, cudaMemcpyHostToDevice, s);
}
)cpp");
  EXPECT_EQ(P.pageableSource("vector"), "v allocated by a 'std::vector'");
  EXPECT_EQ(P.pageableSource("element"), "v allocated by a 'std::vector'");
  EXPECT_EQ(P.pageableSource("array"), "Global in static storage");
  EXPECT_EQ(P.pageableSource("malloced"), "p allocated by 'malloc' (points)");
  EXPECT_EQ(P.pageableSource("chained"), "b allocated by 'new[]' (points)");
  EXPECT_EQ(P.pageableSource("unique"),
            "u allocated by 'std::make_unique<T[]>' (points)");
}

TEST(CudaMemoryTest, NeverProvesWhatMayBePinned) {
  Parsed P(R"cpp(
void parameter(float *d, float *h, cudaStream_t s) {
  cudaMemcpyAsync(d, h, 64, cudaMemcpyHostToDevice, s);
}
void addressTaken(float *d, cudaStream_t s) {
  float *p = new float[16];
  cudaMallocHost((void **)&p, 64);
  cudaMemcpyAsync(d, p, 64, cudaMemcpyHostToDevice, s);
}
void registered(float *d, cudaStream_t s) {
  std::vector<float> v(16);
  float *alias = v.data();
  cudaHostRegister(alias, 64, 0);
  cudaMemcpyAsync(d, v.data(), 64, cudaMemcpyHostToDevice, s);
}
void pin(void *p) { cudaHostRegister(p, 64, 0); }
void registeredByHelper(float *d, cudaStream_t s) {
  float local[16];
  pin(local);
  cudaMemcpyAsync(d, local, 64, cudaMemcpyHostToDevice, s);
}
void elsewhere(float *);
void handedOut(float *d, cudaStream_t s) {
  std::vector<float> v(16);
  elsewhere(v.data());
  cudaMemcpyAsync(d, v.data(), 64, cudaMemcpyHostToDevice, s);
}
template <typename T> struct Pinned {
  using value_type = T;
  T *allocate(size_t);
  void deallocate(T *, size_t);
};
void ownAllocator(float *d, cudaStream_t s) {
  std::vector<float, Pinned<float>> v(16);
  cudaMemcpyAsync(d, v.data(), 64, cudaMemcpyHostToDevice, s);
}
void reset(float *d, float *h, cudaStream_t s) {
  auto u = std::make_unique<float[]>(16);
  u.reset(h);
  cudaMemcpyAsync(d, u.get(), 64, cudaMemcpyHostToDevice, s);
  u.release();
}
)cpp");
  for (const char *Function :
       {"parameter", "addressTaken", "registered", "registeredByHelper",
        "handedOut", "ownAllocator", "reset"})
    EXPECT_EQ(P.pageableSource(Function), "") << Function;
}

} // namespace
