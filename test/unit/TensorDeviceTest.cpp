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
      x.to(x); // wherever x is: not known
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
                "opaque", "none",        "unknown",     "none",
                "none",   "cpu",         "accelerator", "unknown"}));
}

/// Where the object of each call named \p Method provably is: "device",
/// "host", or "?" when neither is provable.
std::vector<std::string> places(Parsed &P, llvm::StringRef Method) {
  std::vector<std::string> Result;
  for (const CXXMemberCallExpr *Call : P.calls(Method)) {
    const Expr *Object = Call->getImplicitObjectArgument();
    const bool OnDevice = isProvablyOnDevice(Object, P.context());
    const bool OnHost = isProvablyOnHost(Object, P.context());
    Result.push_back(OnDevice && OnHost ? "both"
                     : OnDevice         ? "device"
                     : OnHost           ? "host"
                                        : "?");
  }
  return Result;
}

TEST(TensorDeviceTest, MovesThroughOptions) {
  Parsed P(R"cpp(
    void f(torch::Tensor x, torch::Device d) {
      x.to(torch::TensorOptions().device(torch::kCUDA));
      x.to(torch::TensorOptions().device(d).dtype(torch::kHalf));
      x.to(torch::dtype(torch::kHalf).device(torch::kCPU));
      x.to(torch::TensorOptions(torch::kCUDA), /*non_blocking=*/true);
      x.to(torch::TensorOptions().dtype(torch::kHalf));
      x.to(torch::TensorOptions().requires_grad(true));
    }
  )cpp");
  EXPECT_EQ(targets(P, "to"),
            (std::vector<std::string>{"accelerator", "unknown", "cpu",
                                      "accelerator", "none", "none"}));
}

TEST(TensorDeviceTest, MovesToAnotherTensor) {
  Parsed P(R"cpp(
    struct NetImpl : torch::nn::Module { torch::Tensor forward(torch::Tensor x); };
    struct Net : torch::nn::ModuleHolder<NetImpl> { using ModuleHolder::ModuleHolder; };
    void f(Net &model, torch::Tensor x, torch::Tensor y) {
      auto onDevice = x.cuda();
      auto onHost = x.cpu();
      x.to(onDevice);
      x.to(model->forward(y));
      x.to(onHost);
      x.to(torch::zeros({2}));
      x.to(y);
      x.to(onDevice, /*non_blocking=*/true);
    }
  )cpp");
  EXPECT_EQ(targets(P, "to"),
            (std::vector<std::string>{"accelerator", "accelerator", "cpu",
                                      "cpu", "unknown", "accelerator"}));
  auto Calls = P.calls("to");
  auto Move = asDeviceMove(*Calls.back(), P.context());
  ASSERT_TRUE(Move);
  EXPECT_EQ(Move->TargetTensor, Calls.back()->getArg(0));
  // to(const Tensor &other, bool non_blocking, ...)
  EXPECT_EQ(Move->NonBlockingParam, std::optional<unsigned>(1));
  // The result is wherever the other tensor is.
  Parsed Q(R"cpp(
    void f(torch::Tensor x, torch::Tensor y) {
      x.to(x.cuda()).detach();
      x.to(x.cpu()).detach();
      x.to(y).detach();
    }
  )cpp");
  EXPECT_EQ(places(Q, "detach"),
            (std::vector<std::string>{"device", "host", "device"}));
}

TEST(TensorDeviceTest, TheDeviceOfAnotherTensor) {
  Parsed P(R"cpp(
    void f(torch::Tensor x, const at::DeprecatedTypeProperties &type,
           at::Backend backend) {
      auto onDevice = x.cuda();
      auto onHost = x.cpu();
      x.to(onDevice.device());
      x.to(onHost.device());
      x.to(x.device());
      x.to(onDevice.options());
      x.to(onHost.options().dtype(torch::kHalf));
      x.to(x.options());
      x.to(onHost.type());
      x.to(x.type());
      x.to(x.type().cuda());
      x.to(onDevice.type().cpu());
      x.to(onHost.type().toScalarType(torch::kHalf));
      x.to(x.type().toBackend(at::Backend::CUDA));
      x.to(type);
      x.to(type.options());
    }
  )cpp");
  EXPECT_EQ(targets(P, "to"),
            (std::vector<std::string>{"accelerator", "cpu", "unknown",
                                      "accelerator", "cpu", "unknown", "cpu",
                                      "unknown", "accelerator", "cpu", "cpu",
                                      "accelerator", "unknown", "unknown"}));
}

TEST(TensorDeviceTest, MovesWithADtype) {
  Parsed P(R"cpp(
    void f(torch::Tensor x, torch::Device d) {
      x.to(torch::kCUDA, torch::kHalf);
      x.to(d, torch::kHalf, /*non_blocking=*/true);
      x.to(torch::kCPU, torch::kFloat);
      x.to(torch::kHalf, c10::nullopt, torch::Device(torch::kCUDA), c10::nullopt,
           false, false, c10::nullopt);
      x.to(torch::kHalf, c10::nullopt, c10::nullopt, c10::nullopt, false, false,
           c10::nullopt);
    }
  )cpp");
  EXPECT_EQ(targets(P, "to"),
            (std::vector<std::string>{"accelerator", "unknown", "cpu",
                                      "accelerator", "none"}));
}

TEST(TensorDeviceTest, DtypeConversionsAreNoMoves) {
  Parsed P(R"cpp(
    void f(torch::Tensor x, torch::ScalarType dtype, bool flag) {
      x.to(torch::kFloat);
      x.to(torch::kHalf);
      x.to(at::kDouble, /*non_blocking=*/true);
      x.to(dtype, flag);
      x.toType(torch::kHalf);
      x.toType(dtype);
    }
  )cpp");
  EXPECT_EQ(targets(P, "to"),
            (std::vector<std::string>{"none", "none", "none", "none"}));
  EXPECT_EQ(targets(P, "toType"), (std::vector<std::string>{"none", "none"}));
  // The converted tensor stays where it was.
  Parsed Q(R"cpp(
    void f(torch::Tensor x) {
      x.cuda().to(torch::kHalf).detach();
      x.cuda().toType(torch::kHalf).detach();
      x.cuda().to(torch::TensorOptions().dtype(torch::kHalf)).detach();
      x.cpu().to(torch::kHalf, /*non_blocking=*/false).detach();
      x.to(torch::kHalf).detach();
    }
  )cpp");
  EXPECT_EQ(
      places(Q, "detach"),
      (std::vector<std::string>{"device", "device", "device", "host", "?"}));
}

TEST(TensorDeviceTest, BackendsAndOldTypes) {
  Parsed P(R"cpp(
    // libtorch before 1.13 also had toType(const Type &), whose type carries
    // a backend; a class derived from at::Tensor stands in for it.
    struct OldTensor : at::Tensor {
      at::Tensor toType(const at::DeprecatedTypeProperties &t,
                        bool non_blocking = false) const;
    };
    void f(torch::Tensor x, OldTensor old, at::Backend backend) {
      x.toBackend(at::Backend::CUDA);
      x.toBackend(c10::Backend::SparseCPU);
      x.toBackend(c10::Backend::QuantizedCPU);
      x.toBackend(c10::Backend::Meta);
      x.toBackend(backend);
      old.toType(x.type());
      old.toType(x.type().cpu());
    }
  )cpp");
  EXPECT_EQ(targets(P, "toBackend"),
            (std::vector<std::string>{"accelerator", "cpu", "cpu", "other",
                                      "unknown"}));
  EXPECT_EQ(targets(P, "toType"), (std::vector<std::string>{"unknown", "cpu"}));
  auto Move = asDeviceMove(*P.calls("toType")[0], P.context());
  ASSERT_TRUE(Move);
  EXPECT_EQ(Move->NonBlockingParam, std::optional<unsigned>(1));
  auto Backend = asDeviceMove(*P.calls("toBackend")[0], P.context());
  ASSERT_TRUE(Backend);
  EXPECT_FALSE(Backend->NonBlockingParam);
}

TEST(TensorDeviceTest, TypePropertiesMoveNothing) {
  Parsed P(R"cpp(
    void f(torch::Tensor x) {
      x.type().cuda();
      x.type().cpu();
    }
  )cpp");
  // The type's cuda() and cpu() return a type, not a tensor.
  for (const CXXMemberCallExpr *Call : P.calls("cuda"))
    EXPECT_FALSE(asDeviceMove(*Call, P.context()));
  for (const CXXMemberCallExpr *Call : P.calls("cpu"))
    EXPECT_FALSE(asDeviceMove(*Call, P.context()));
}

TEST(TensorDeviceTest, CpuAndCudaOnMembersAndTemporaries) {
  Parsed P(R"cpp(
    struct NetImpl : torch::nn::Module { torch::Tensor forward(torch::Tensor x); };
    struct Net : torch::nn::ModuleHolder<NetImpl> { using ModuleHolder::ModuleHolder; };
    struct Batch { torch::Tensor data; };
    struct Holder {
      torch::Tensor x_;
      torch::Tensor up() { return this->x_.cuda(); }
      torch::Tensor down() { return x_.cpu(); }
    };
    void f(Net &model, Batch &batch, torch::Tensor x, torch::Device d) {
      model->forward(x).cpu();
      torch::ones({2}).cuda();
      batch.data.to(d);
      (x + x).cuda();
    }
  )cpp");
  EXPECT_EQ(
      targets(P, "cuda"),
      (std::vector<std::string>{"accelerator", "accelerator", "accelerator"}));
  EXPECT_EQ(targets(P, "cpu"), (std::vector<std::string>{"cpu", "cpu"}));
  EXPECT_EQ(targets(P, "to"), (std::vector<std::string>{"unknown"}));
}

TEST(TensorDeviceTest, EveryMoveIsNamedForTheMatchers) {
  Parsed P(R"cpp(
    void f(torch::Tensor x, torch::Tensor y, torch::Device d) {
      x.cpu();
      x.cuda();
      x.to(d);
      x.to(y);
      x.toBackend(at::Backend::CUDA);
    }
  )cpp");
  auto Calls = match(cxxMemberCallExpr().bind("c"), P.context());
  unsigned Moves = 0;
  for (const auto &M : Calls) {
    const auto *Call = M.getNodeAs<CXXMemberCallExpr>("c");
    if (!asDeviceMove(*Call, P.context()))
      continue;
    ++Moves;
    EXPECT_TRUE(llvm::is_contained(deviceMoveMethodNames(),
                                   Call->getMethodDecl()->getName()));
  }
  EXPECT_EQ(Moves, 5u);
}

TEST(TensorDeviceTest, FactoriesThatInheritADevice) {
  Parsed P(R"cpp(
    void f(torch::Tensor x) {
      auto onDevice = x.cuda();
      auto onHost = x.cpu();
      torch::zeros_like(onDevice).detach();
      torch::ones_like(onHost).detach();
      torch::empty_like(x).detach();
      at::zeros_like(onDevice).detach();
      at::rand_like(onHost).detach();
      torch::randn_like(onDevice, torch::kHalf).detach();
      torch::full_like(onHost, 1.5).detach();
      torch::randint_like(onHost, 0, 10).detach();
      torch::zeros_like(x, torch::TensorOptions().device(torch::kCUDA)).detach();
      torch::zeros_like(onDevice, torch::kCPU).detach();
      at::zeros_like(onDevice, c10::nullopt, c10::nullopt,
                     torch::Device(torch::kCPU), c10::nullopt, c10::nullopt)
          .detach();
      at::zeros_like(onHost, torch::kHalf, c10::nullopt, c10::nullopt,
                     c10::nullopt, c10::nullopt)
          .detach();
      onDevice.new_zeros({2}).detach();
      onHost.new_ones({2}).detach();
      x.new_full({2}, 1.0).detach();
      x.new_zeros({2}, torch::TensorOptions().device(torch::kCPU)).detach();
      onDevice.new_empty({2}, c10::nullopt, c10::nullopt,
                         torch::Device(torch::kCPU), c10::nullopt)
          .detach();
      onHost.new_empty({2}, torch::TensorOptions().device(torch::kCUDA)).detach();
      auto like = torch::zeros_like(onHost);
      like.detach();
      torch::zeros_like(x).cuda().detach();
    }
  )cpp");
  EXPECT_EQ(places(P, "detach"),
            (std::vector<std::string>{
                "device", "host",   "?",    "device", "host", "device", "host",
                "host",   "device", "host", "host",   "host", "device", "host",
                "?",      "host",   "host", "device", "host", "device"}));
}

TEST(TensorDeviceTest, DeviceInheritingFactoryNames) {
  Parsed P(R"cpp(
    void f(torch::Tensor x) {
      torch::zeros_like(x);
      x.new_zeros({2});
      torch::zeros({2});
    }
  )cpp");
  auto Find = [&](llvm::StringRef Name) -> const FunctionDecl * {
    auto Matches = match(functionDecl(hasName(Name)).bind("f"), P.context());
    return Matches.empty() ? nullptr : Matches[0].getNodeAs<FunctionDecl>("f");
  };
  const FunctionDecl *ZerosLike = Find("::torch::zeros_like");
  const FunctionDecl *AtOnesLike = Find("::at::ones_like");
  const FunctionDecl *RandnLike = Find("::torch::randn_like");
  const FunctionDecl *NewZeros = Find("::at::Tensor::new_zeros");
  const FunctionDecl *Zeros = Find("::torch::zeros");
  ASSERT_TRUE(ZerosLike && AtOnesLike && RandnLike && NewZeros && Zeros);
  EXPECT_TRUE(isDeviceInheritingFactory(ZerosLike));
  EXPECT_TRUE(isDeviceInheritingFactory(AtOnesLike));
  EXPECT_TRUE(isDeviceInheritingFactory(NewZeros));
  EXPECT_FALSE(isDeviceInheritingFactory(Zeros));
  // Not host factories: they create where their source tensor is.
  EXPECT_FALSE(isTensorFactory(ZerosLike));
  EXPECT_FALSE(isTensorFactory(NewZeros));
  EXPECT_TRUE(isRandomTensorFactory(RandnLike));
  EXPECT_FALSE(isRandomTensorFactory(ZerosLike));

  auto Calls = match(callExpr().bind("c"), P.context());
  std::vector<std::string> Sources;
  for (const auto &M : Calls) {
    const auto *Call = M.getNodeAs<CallExpr>("c");
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD ||
        !P.context().getSourceManager().isInMainFile(Call->getBeginLoc()))
      continue;
    const Expr *Source = deviceSourceOf(*Call);
    Sources.push_back(FD->getNameAsString() + ":" + (Source ? "x" : "none"));
    if (Source) {
      const auto *Ref = dyn_cast<DeclRefExpr>(ignoreUnwritten(Source));
      EXPECT_TRUE(Ref && Ref->getDecl()->getName() == "x");
    }
  }
  EXPECT_EQ(Sources, (std::vector<std::string>{"zeros_like:x", "new_zeros:x",
                                               "zeros:none"}));
}

TEST(TensorDeviceTest, ATensorMovedToItselfEnds) {
  // A variable whose initializer names the variable itself: the analysis
  // follows it a bounded number of times. Where it stops, a's place is not
  // known, and a move to a tensor of unknown place counts as a move to the
  // device, as a move to a device chosen at run time does.
  Parsed P(R"cpp(
    void f(torch::Tensor x) {
      torch::Tensor a = x.to(a);
      a.to(a).detach();
    }
  )cpp");
  EXPECT_EQ(targets(P, "to"),
            (std::vector<std::string>{"accelerator", "accelerator"}));
  EXPECT_EQ(places(P, "detach"), (std::vector<std::string>{"device"}));
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
