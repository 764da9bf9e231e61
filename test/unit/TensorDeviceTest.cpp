// Where devices point, which calls move tensors, and what is known of a
// tensor's device and memory (checks/model/TensorDevice).

#include "model/TensorDevice.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "MockAST.h"
#include "gtest/gtest.h"
#include <map>

using namespace clang;
using namespace clang::ast_matchers;
using namespace trainlint;

namespace {

/// Parses \p Code after the mock libtorch header and finds the tensor member
/// calls named \p Method, in source order (a template's instantiations after
/// its pattern, at the same place).
class Parsed {
public:
  explicit Parsed(const std::string &Code)
      : AST(parseWithMocks("#include <torch/torch.h>\n", Code)) {}

  ASTContext &context() { return AST->getASTContext(); }

  std::vector<const CXXMemberCallExpr *> calls(llvm::StringRef Method) {
    auto Matches = match(
        cxxMemberCallExpr(callee(cxxMethodDecl(hasName(Method)))).bind("c"),
        context());
    std::multimap<unsigned, const CXXMemberCallExpr *> ByOffset;
    for (const auto &M : Matches) {
      const auto *Call = M.getNodeAs<CXXMemberCallExpr>("c");
      ByOffset.emplace(context().getSourceManager().getFileOffset(
                           context().getSourceManager().getExpansionLoc(
                               Call->getBeginLoc())),
                       Call);
    }
    std::vector<const CXXMemberCallExpr *> Result;
    for (const auto &Entry : ByOffset)
      Result.push_back(Entry.second);
    return Result;
  }

private:
  std::unique_ptr<ASTUnit> AST;
};

/// The target of each move, or "none" for calls that move nothing.
std::vector<std::string> targets(Parsed &P, llvm::StringRef Method) {
  std::vector<std::string> Result;
  for (const CXXMemberCallExpr *Call : P.calls(Method)) {
    auto Move = asDeviceMove(*Call, P.context());
    if (!Move) {
      Result.push_back("none");
      continue;
    }
    switch (Move->Target) {
    case DeviceTarget::None:
      Result.push_back("None");
      break;
    case DeviceTarget::Cpu:
      Result.push_back("cpu");
      break;
    case DeviceTarget::Accelerator:
      Result.push_back("accelerator");
      break;
    case DeviceTarget::Other:
      Result.push_back("other");
      break;
    case DeviceTarget::Unknown:
      Result.push_back("unknown");
      break;
    case DeviceTarget::Opaque:
      Result.push_back("opaque");
      break;
    }
  }
  return Result;
}

TEST(TensorDeviceTest, EverySpellingOfADevice) {
  Parsed P(R"cpp(
    torch::Device pick();
    void f(torch::Tensor x, torch::Device device, torch::TensorOptions opts,
           bool gpu) {
      x.to(torch::kCPU);
      x.to(c10::DeviceType::CPU);
      x.to(torch::Device("cpu"));
      x.to(torch::TensorOptions().dtype(torch::kHalf).device(torch::kCPU));
      x.to(torch::kCPU, torch::kFloat);
      x.to(torch::kCUDA);
      x.to(torch::Device("cuda:1"));
      x.to(torch::Device(torch::kCUDA, 1));
      x.to(c10::kMeta);
      x.to(device);
      x.to(pick());
      x.to(gpu ? torch::kCUDA : torch::kCPU);
      x.to(opts);
      x.to(torch::kFloat);
      x.to(x);
      x.to(torch::TensorOptions().dtype(torch::kFloat));
      x.to();
      const torch::Device host(torch::kCPU);
      x.to(host);
      torch::Device local("cuda");
      x.to(local);
      torch::Device moved(torch::kCPU);
      moved = pick();
      x.to(moved);
    }
  )cpp");
  EXPECT_EQ(targets(P, "to"),
            (std::vector<std::string>{
                "cpu",    "cpu",         "cpu",         "cpu",
                "cpu",    "accelerator", "accelerator", "accelerator",
                "other",  "unknown",     "unknown",     "unknown",
                "opaque", "none",        "none",        "none",
                "none",   "cpu",         "accelerator", "unknown"}));
}

TEST(TensorDeviceTest, DeviceVariablesThatMayChangeAreUnknown) {
  Parsed P(R"cpp(
    void reset(torch::Device &d);
    void look(const torch::Device &d);
    void keep(torch::Device d);
    void f(torch::Tensor x) {
      torch::Device byReference(torch::kCPU);
      reset(byReference);
      x.to(byReference);
      torch::Device addressTaken(torch::kCPU);
      torch::Device *p = &addressTaken;
      x.to(addressTaken);
      torch::Device captured(torch::kCPU);
      auto change = [&] { captured = torch::Device(torch::kCUDA); };
      x.to(captured);
      torch::Device aliased(torch::kCPU);
      torch::Device &alias = aliased;
      x.to(aliased);
      torch::Device onlyRead(torch::kCPU);
      look(onlyRead);
      keep(onlyRead);
      x.to(onlyRead);
    }
  )cpp");
  EXPECT_EQ(targets(P, "to"), (std::vector<std::string>{
                                  "unknown", "unknown", "unknown", "unknown",
                                  "cpu"}));
}

TEST(TensorDeviceTest, CpuAndCudaAreMovesWithoutNonBlocking) {
  Parsed P(R"cpp(
    void f(torch::Tensor x, torch::Device d) {
      x.cpu();
      x.cuda();
      x.to(d, torch::kHalf);
    }
  )cpp");
  EXPECT_EQ(targets(P, "cpu"), (std::vector<std::string>{"cpu"}));
  EXPECT_EQ(targets(P, "cuda"), (std::vector<std::string>{"accelerator"}));
  auto Cuda = asDeviceMove(*P.calls("cuda")[0], P.context());
  ASSERT_TRUE(Cuda);
  EXPECT_FALSE(Cuda->NonBlockingParam);
  auto To = asDeviceMove(*P.calls("to")[0], P.context());
  ASSERT_TRUE(To);
  // to(Device device, ScalarType dtype, bool non_blocking, ...)
  EXPECT_EQ(To->NonBlockingParam, std::optional<unsigned>(2));
}

TEST(TensorDeviceTest, NonBlockingValues) {
  Parsed P(R"cpp(
    void f(torch::Tensor x, torch::Device d, bool flag) {
      x.to(d);
      x.to(d, false);
      x.to(d, true);
      x.to(d, 1 + 1 == 2);
      x.to(d, flag);
    }
  )cpp");
  std::vector<FlagValue> Values;
  for (const CXXMemberCallExpr *Call : P.calls("to"))
    Values.push_back(flagArgument(*Call, 1, P.context()));
  EXPECT_EQ(Values, (std::vector<FlagValue>{
                        FlagValue::Default, FlagValue::False, FlagValue::True,
                        FlagValue::True, FlagValue::Unknown}));
}

TEST(TensorDeviceTest, TensorsProvablyOnTheDevice) {
  Parsed P(R"cpp(
    struct NetImpl : torch::nn::Module { torch::Tensor forward(torch::Tensor x); };
    struct Net : torch::nn::ModuleHolder<NetImpl> { using ModuleHolder::ModuleHolder; };
    void f(Net &model, torch::Tensor host, torch::Device d) {
      auto moved = host.to(d);
      auto out = model(moved);
      auto reassigned = host.to(d);
      reassigned = host;
      moved.to(d);
      out.to(d);
      model->forward(moved).detach().to(d);
      torch::zeros({2}, torch::TensorOptions().device(d)).to(d);
      host.to(d);
      reassigned.to(d);
      moved.cpu().to(d);
      torch::zeros({2}).to(d);
    }
  )cpp");
  std::vector<bool> OnDevice;
  auto Calls = P.calls("to");
  // The first two moves are the variables' initial values.
  for (size_t I = 2; I < Calls.size(); ++I)
    OnDevice.push_back(
        isProvablyOnDevice(Calls[I]->getImplicitObjectArgument(), P.context()));
  EXPECT_EQ(OnDevice, (std::vector<bool>{true, true, true, true, false, false,
                                         false, false}));
}

TEST(TensorDeviceTest, TensorsProvablyOnTheHost) {
  Parsed P(R"cpp(
    void f(torch::Tensor x, torch::Device d) {
      auto copy = x.cpu();
      auto created = torch::zeros({2});
      copy.cpu();
      copy.sum().cpu();
      created.cpu();
      torch::zeros({2}, torch::TensorOptions().device(d)).cpu();
      x.cpu();
      x.to(d).cpu();
    }
  )cpp");
  std::vector<bool> OnHost;
  auto Calls = P.calls("cpu");
  // The first move is the variable's initial value.
  for (size_t I = 1; I < Calls.size(); ++I)
    OnHost.push_back(
        isProvablyOnHost(Calls[I]->getImplicitObjectArgument(), P.context()));
  EXPECT_EQ(OnHost, (std::vector<bool>{true, true, true, false, false, false}));
}

TEST(TensorDeviceTest, PinnedMemory) {
  Parsed P(R"cpp(
    void f(torch::Tensor host, torch::Device d) {
      host.pin_memory().to(d);
      auto pinned = host.pin_memory();
      pinned.to(d);
      auto buffer = torch::empty({4}, torch::TensorOptions().pinned_memory(true));
      buffer.to(d);
      auto shared = torch::empty({4}, torch::TensorOptions().pinned_memory(true));
      shared.fill_(1);
      shared.to(d);
      auto pageable = torch::empty({4}, torch::TensorOptions().pinned_memory(false));
      pageable.to(d);
      host.to(d);
    }
  )cpp");
  std::vector<PinState> States;
  for (const CXXMemberCallExpr *Call : P.calls("to"))
    States.push_back(
        pinStateOf(Call->getImplicitObjectArgument(), P.context()));
  EXPECT_EQ(States, (std::vector<PinState>{
                        PinState::PinnedUnshared, PinState::PinnedUnshared,
                        PinState::PinnedUnshared, PinState::PinnedShared,
                        PinState::Unknown, PinState::Unknown}));
}

TEST(TensorDeviceTest, Templates) {
  Parsed P(R"cpp(
    template <typename T> void inTemplate(torch::Tensor x, torch::Device d) { x.to(d); }
    template <typename T> struct Holder { void m(torch::Tensor x, torch::Device d) { x.to(d); } };
    void plain(torch::Tensor x, torch::Device d) {
      x.to(d);
      inTemplate<int>(x, d);
      Holder<int>().m(x, d);
      auto lambda = [&](auto y) { return y.to(d); };
      lambda(x);
    }
  )cpp");
  std::vector<bool> InTemplate;
  for (const CXXMemberCallExpr *Call : P.calls("to"))
    InTemplate.push_back(isInTemplate(*Call, P.context()));
  // Pattern and instantiation of inTemplate, of Holder::m, then plain's own
  // call, then the generic lambda's instantiation.
  EXPECT_EQ(InTemplate,
            (std::vector<bool>{true, true, true, true, false, true}));
}

TEST(TensorDeviceTest, Factories) {
  Parsed P("");
  auto Find = [&](llvm::StringRef Name) -> const FunctionDecl * {
    auto Matches = match(functionDecl(hasName(Name)).bind("f"), P.context());
    return Matches.empty() ? nullptr : Matches[0].getNodeAs<FunctionDecl>("f");
  };
  const FunctionDecl *TorchZeros = Find("::torch::zeros");
  const FunctionDecl *AtZeros = Find("::at::zeros");
  const FunctionDecl *Randn = Find("::torch::randn");
  const FunctionDecl *FromBlob = Find("::torch::from_blob");
  const FunctionDecl *Nonzero = Find("::at::nonzero");
  ASSERT_TRUE(TorchZeros && AtZeros && Randn && FromBlob && Nonzero);
  EXPECT_TRUE(isTensorFactory(TorchZeros));
  EXPECT_TRUE(isTensorFactory(AtZeros));
  EXPECT_TRUE(isTensorFactory(Randn));
  EXPECT_FALSE(isTensorFactory(FromBlob)); // wraps the caller's memory
  EXPECT_FALSE(isTensorFactory(Nonzero));
  EXPECT_TRUE(isRandomTensorFactory(Randn));
  EXPECT_FALSE(isRandomTensorFactory(TorchZeros));
  EXPECT_EQ(tensorOptionsParam(*TorchZeros), std::optional<unsigned>(1));
  EXPECT_EQ(tensorOptionsParam(*Nonzero), std::nullopt);
}

} // namespace
