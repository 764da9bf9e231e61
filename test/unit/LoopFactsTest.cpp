// Loop counters, invariance and mutation (checks/model/LoopFacts,
// checks/model/Mutation), as the inefficient-loop checks use them.

#include "model/HotPath.h"
#include "model/LoopFacts.h"
#include "model/Mutation.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "MockAST.h"
#include "gtest/gtest.h"

using namespace clang;
using namespace clang::ast_matchers;
using namespace trainlint;

namespace {

class Parsed {
public:
  explicit Parsed(const std::string &Code)
      : AST(parseWithMocks("#include <torch/torch.h>\n", Code)) {}

  ASTContext &context() { return AST->getASTContext(); }

  /// The first loop of the code (outermost, in source order).
  const Stmt &loop() {
    auto Matches = match(
        stmt(anyOf(forStmt(), cxxForRangeStmt(), whileStmt()),
             unless(hasAncestor(stmt(anyOf(forStmt(), cxxForRangeStmt(),
                                           whileStmt())))),
             isExpansionInMainFile())
            .bind("loop"),
        context());
    EXPECT_FALSE(Matches.empty());
    return *Matches.front().getNodeAs<Stmt>("loop");
  }

  /// The initializer of the variable named \p Name.
  const Expr &initOf(llvm::StringRef Name) {
    auto Matches = match(varDecl(hasName(Name)).bind("v"), context());
    EXPECT_EQ(Matches.size(), 1u);
    return *Matches.front().getNodeAs<VarDecl>("v")->getInit();
  }

  const ValueDecl &decl(llvm::StringRef Name) {
    auto Matches =
        match(valueDecl(hasName(Name), isExpansionInMainFile()).bind("d"),
              context());
    EXPECT_EQ(Matches.size(), 1u);
    return *Matches.front().getNodeAs<ValueDecl>("d");
  }

private:
  std::unique_ptr<ASTUnit> AST;
};

std::optional<uint64_t> tripCountOf(const std::string &Loop) {
  Parsed P("void f(int n) { " + Loop + " {} }");
  auto Counter = loopCounterOf(P.loop(), P.context());
  EXPECT_TRUE(Counter.has_value()) << Loop;
  return Counter ? Counter->TripCount : std::nullopt;
}

TEST(LoopCounter, CountsConstantTripsUpAndDown) {
  EXPECT_EQ(tripCountOf("for (int i = 0; i < 4; ++i)"), 4u);
  EXPECT_EQ(tripCountOf("for (int i = 1; i <= 4; i++)"), 4u);
  EXPECT_EQ(tripCountOf("for (int i = 0; i < 10; i += 3)"), 4u);
  EXPECT_EQ(tripCountOf("for (int i = 7; i >= 0; --i)"), 8u);
  EXPECT_EQ(tripCountOf("for (int i = 0; 5 > i; ++i)"), 5u);
  EXPECT_EQ(tripCountOf("for (auto i : c10::irange(6))"), 6u);
  EXPECT_EQ(tripCountOf("for (auto i : c10::irange(2, 6))"), 4u);
  EXPECT_EQ(tripCountOf("for (int i = 0; i < 0; ++i)"), 0u);
}

TEST(LoopCounter, NamesTheBoundOfARunTimeCount) {
  Parsed P("void f(at::Tensor t) { for (int64_t i = 0; i < t.size(0); ++i) {} }");
  auto Counter = loopCounterOf(P.loop(), P.context());
  ASSERT_TRUE(Counter);
  EXPECT_EQ(Counter->Var->getName(), "i");
  EXPECT_FALSE(Counter->TripCount);
  ASSERT_NE(Counter->Bound, nullptr);
  EXPECT_TRUE(isa<CXXMemberCallExpr>(Counter->Bound->IgnoreImpCasts()));
}

TEST(LoopCounter, IgnoresLoopsThatCountNothing) {
  Parsed P("void f(std::vector<int> v) { for (int x : v) {} "
           "for (int i = 0, j = 0; i < 3; ++i) {} int k = 0; while (k < 3) ++k; }");
  auto Loops = match(stmt(anyOf(cxxForRangeStmt(), forStmt(), whileStmt()),
                          isExpansionInMainFile())
                         .bind("l"),
                     P.context());
  ASSERT_EQ(Loops.size(), 3u);
  for (const auto &L : Loops)
    EXPECT_FALSE(loopCounterOf(*L.getNodeAs<Stmt>("l"), P.context()));
}

/// Whether the initializer of `x` in \p Body (a loop body inside f) is
/// invariant in the loop.
bool invariantInLoop(const std::string &Before, const std::string &Body,
                     InvariancePolicy Policy = {}) {
  Parsed P("struct Net : torch::nn::Module { at::Tensor forward(at::Tensor); };\n"
           "void use(at::Tensor);\n"
           "void f(at::Tensor in, int n, torch::nn::Linear lin) { " +
           Before + " for (int i = 0; i < n; ++i) { " + Body + " use(x); } }");
  return isInvariantIn(P.initOf("x"), P.loop(), P.context(), Policy);
}

TEST(Invariance, ConstantFactoriesAndTheirOptions) {
  EXPECT_TRUE(invariantInLoop("", "auto x = torch::zeros({4, 4});"));
  EXPECT_TRUE(invariantInLoop("", "auto x = torch::eye(3).to(in.device());"));
  EXPECT_TRUE(invariantInLoop(
      "", "auto x = torch::ones({n}, torch::TensorOptions().dtype(torch::kFloat));"));
  EXPECT_TRUE(invariantInLoop(
      "", "auto o = in.options(); auto x = torch::arange(n, o);"));
  EXPECT_TRUE(invariantInLoop("const int64_t k = 8;",
                              "auto x = torch::full({k}, 0.5);"));
}

TEST(Invariance, WhatChangesInTheLoopIsNot) {
  // The counter, a variable the loop assigns, a tensor written in place.
  EXPECT_FALSE(invariantInLoop("", "auto x = torch::full({4}, i);"));
  EXPECT_FALSE(invariantInLoop("int m = 1;", "m *= 2; auto x = torch::zeros({m});"));
  EXPECT_FALSE(
      invariantInLoop("", "auto x = torch::ones_like(in); in.add_(x);"));
  EXPECT_FALSE(invariantInLoop("", "in[0] = 1; auto x = in * 2;"));
  // Random factories differ on every call.
  EXPECT_FALSE(invariantInLoop("", "auto x = torch::rand({4});"));
  EXPECT_FALSE(invariantInLoop("", "auto x = torch::randn({4}).to(in.device());"));
  // A local declared in the loop from a varying value.
  EXPECT_FALSE(invariantInLoop("", "int m = i * 2; auto x = torch::zeros({m});"));
  // A module constructed draws its weights at random.
  EXPECT_FALSE(invariantInLoop("", "torch::nn::Linear l(2, 2); auto x = l(in);"));
}

TEST(Invariance, ModuleCallsOnlyWhenThePolicyAllows) {
  EXPECT_FALSE(invariantInLoop("", "auto x = lin->forward(in);"));
  InvariancePolicy Modules;
  Modules.AllowModuleCalls = true;
  EXPECT_TRUE(invariantInLoop("", "auto x = lin->forward(in);", Modules));
  EXPECT_TRUE(invariantInLoop("", "auto x = lin(in);", Modules));
  EXPECT_FALSE(invariantInLoop("", "auto x = lin(in[i]);", Modules));
}

TEST(Invariance, ParametersVaryFromCallToCall) {
  Parsed P("at::Tensor g(int64_t n) { auto x = torch::zeros({n}); "
           "auto y = torch::zeros({3}); return x + y; }");
  auto Bodies = match(functionDecl(hasName("g")).bind("g"), P.context());
  const Stmt &Body = *Bodies.front().getNodeAs<FunctionDecl>("g")->getBody();
  EXPECT_FALSE(isInvariantIn(P.initOf("x"), Body, P.context()));
  EXPECT_TRUE(isInvariantIn(P.initOf("y"), Body, P.context()));
}

/// The element access that initializes `x` in \p Body, inside
/// `void f(at::Tensor t, at::Tensor m, int64_t i, int64_t j)`.
std::optional<ElementAccess> accessIn(const std::string &Body,
                                      std::string *TensorText = nullptr) {
  Parsed P("using namespace torch::indexing;\n"
           "void f(at::Tensor t, at::Tensor m, int64_t i, int64_t j) { " +
           Body + " }");
  auto Access = asElementAccess(P.initOf("x"), P.context());
  if (Access && TensorText)
    *TensorText = Access->Tensor->IgnoreImplicit()->getStmtClassName();
  return Access;
}

TEST(ElementAccess, IntegerIndexesOfATensor) {
  auto A = accessIn("auto x = t[i];");
  ASSERT_TRUE(A);
  EXPECT_EQ(A->Indices.size(), 1u);
  EXPECT_EQ(A->FirstDim, 0);
  EXPECT_FALSE(A->Writes);
  std::string Tensor;
  A = accessIn("auto x = t[i][j];", &Tensor);
  ASSERT_TRUE(A);
  // The outer access indexes the row that the inner one reads.
  EXPECT_EQ(Tensor, "CXXOperatorCallExpr");
  A = accessIn("auto x = t.select(1, i);");
  ASSERT_TRUE(A);
  EXPECT_EQ(A->FirstDim, 1);
  A = accessIn("auto x = t.index({i, Slice(), j});");
  ASSERT_TRUE(A);
  EXPECT_EQ(A->Indices.size(), 2u);
  EXPECT_EQ(A->FirstDim, 0);
  A = accessIn("auto x = t.index({Slice(), j});");
  ASSERT_TRUE(A);
  EXPECT_FALSE(A->FirstDim);
  A = accessIn("auto x = t.index_put_({i}, 1.0);");
  ASSERT_TRUE(A);
  EXPECT_TRUE(A->Writes);
  A = accessIn("auto x = t.narrow(0, i, 1);");
  ASSERT_TRUE(A);
  EXPECT_EQ(A->FirstDim, 0);
}

TEST(ElementAccess, NotTensorOrSliceIndexes) {
  EXPECT_FALSE(accessIn("auto x = t[m];"));
  EXPECT_FALSE(accessIn("auto x = t.index({Slice(), m});"));
  EXPECT_FALSE(accessIn("auto x = t.narrow(0, i, 4);"));
  EXPECT_FALSE(accessIn("auto x = t.sum();"));
  EXPECT_FALSE(accessIn("std::vector<at::Tensor> v; auto x = v[i];"));
  EXPECT_FALSE(accessIn("auto a = t.accessor<float, 1>(); auto x = a[i];"));
}

TEST(Mutation, TensorWritesCountOnlyWhenAsked) {
  Parsed P("void f(at::Tensor t, at::Tensor u, at::Tensor w) { t.add_(w); "
           "u.select(0, 1).copy_(t); w.sum(); }");
  auto Fs = match(functionDecl(hasName("f")).bind("f"), P.context());
  const Stmt &Body = *Fs.front().getNodeAs<FunctionDecl>("f")->getBody();
  EXPECT_TRUE(isModifiedIn(P.decl("t"), Body));
  EXPECT_TRUE(isModifiedIn(P.decl("u"), Body));
  EXPECT_FALSE(isModifiedIn(P.decl("w"), Body));
  ModifyingReferences Plain;
  collectModifyingReferences(&Body, P.decl("t"), Plain, TensorWrites::Ignore);
  EXPECT_FALSE(Plain.any());
}

TEST(Mutation, MembersAndHolders) {
  Parsed P("struct S { int k; torch::nn::Linear lin; void f(at::Tensor x) { "
           "k = 2; lin->forward(x); } };");
  auto Fs = match(cxxMethodDecl(hasName("f")).bind("f"), P.context());
  const Stmt &Body = *Fs.front().getNodeAs<FunctionDecl>("f")->getBody();
  EXPECT_TRUE(isModifiedIn(P.decl("k"), Body));
  // Calling through the holder's operator-> does not replace the module.
  EXPECT_FALSE(isModifiedIn(P.decl("lin"), Body));
}

TEST(Mutation, LibtorchBuildersTakeForwardingReferencesToCopy) {
  // `TensorOptions::device(Args&&...)` binds the device to a non-const
  // reference only to build the options from it.
  Parsed P("void f(torch::Device d, at::Tensor t) { "
           "auto o = torch::TensorOptions().device(d); auto m = std::move(t); }");
  auto Fs = match(functionDecl(hasName("f")).bind("f"), P.context());
  const Stmt &Body = *Fs.front().getNodeAs<FunctionDecl>("f")->getBody();
  EXPECT_FALSE(isModifiedIn(P.decl("d"), Body));
  // std::move is a forwarding reference too, and it does move.
  EXPECT_TRUE(isModifiedIn(P.decl("t"), Body));
}

/// What happens to the value of the initializer of `x` in \p Body, the
/// body of a function f.
TensorValueUses usesOfX(const std::string &Body) {
  Parsed P("void fill(at::Tensor &);\n"
           "void halve(at::Tensor t) { t.mul_(0.5); }\n"
           "at::Tensor twice(const at::Tensor &t) { auto u = t; u = u * 2; return u; }\n"
           "struct S { at::Tensor kept; std::vector<at::Tensor> all; "
           "at::Tensor f(at::Tensor in) { " + Body + " } };");
  const HotPathModel &Model = HotPathModel::get(P.context());
  auto Fs = match(cxxMethodDecl(hasName("f")).bind("f"), P.context());
  const Stmt &Scope = *Fs.front().getNodeAs<FunctionDecl>("f")->getBody();
  return tensorValueUses(P.initOf("x"), Scope,
                         [&](const Stmt &S) { return Model.parentOf(S); });
}

TEST(TensorValueUses, ReadsNeitherWriteNorEscape) {
  auto Uses = usesOfX("auto x = torch::ones({4}); auto y = in * x + x.sum(); "
                      "x = in; return y;");
  EXPECT_FALSE(Uses.WrittenInPlace);
  EXPECT_FALSE(Uses.Escapes);
}

TEST(TensorValueUses, InPlaceWritesThroughViewsAndCopies) {
  EXPECT_TRUE(usesOfX("auto x = torch::zeros({4}); x += in; return in;")
                  .WrittenInPlace);
  EXPECT_TRUE(usesOfX("auto x = torch::zeros({4}); x.select(0, 1).copy_(in); "
                      "return in;")
                  .WrittenInPlace);
  EXPECT_TRUE(
      usesOfX("auto x = torch::zeros({4}); x[0] = 1; return in;").WrittenInPlace);
  EXPECT_TRUE(usesOfX("auto x = torch::zeros({4}); auto y = x; y.fill_(1); "
                      "return in;")
                  .WrittenInPlace);
  // A function of the file that writes into its parameter, by value.
  EXPECT_TRUE(
      usesOfX("auto x = torch::zeros({4}); halve(x); return in;").WrittenInPlace);
  auto Read = usesOfX("auto x = torch::zeros({4}); return twice(x) + in;");
  EXPECT_FALSE(Read.WrittenInPlace);
  EXPECT_FALSE(Read.Escapes);
}

TEST(TensorValueUses, EscapesWhenKept) {
  EXPECT_TRUE(usesOfX("auto x = torch::ones({4}); return x;").Escapes);
  EXPECT_TRUE(usesOfX("auto x = torch::ones({4}); kept = x; return in;").Escapes);
  EXPECT_TRUE(
      usesOfX("auto x = torch::ones({4}); all.push_back(x); return in;").Escapes);
  EXPECT_TRUE(usesOfX("auto x = torch::ones({4}); auto y = std::move(x); "
                      "return in;")
                  .Escapes);
  EXPECT_TRUE(usesOfX("auto x = torch::ones({4}); fill(x); return in;").Escapes);
  EXPECT_TRUE(usesOfX("auto x = torch::ones({4}); auto l = [x] { return x; }; "
                      "return in;")
                  .Escapes);
}

TEST(Factories, BareFactoriesAndTheirMoves) {
  Parsed P("void f(at::Tensor in, torch::Device d) { "
           "auto fOnes = torch::ones({4}); auto fMoved = torch::arange(4).to(d); "
           "auto fMasked = torch::ones({4}).triu(1); "
           "auto fNoise = torch::rand({4}); auto fInput = in.to(d); }");
  EXPECT_NE(bareTensorFactory(P.initOf("fOnes")), nullptr);
  EXPECT_NE(bareTensorFactory(P.initOf("fMoved")), nullptr);
  EXPECT_EQ(bareTensorFactory(P.initOf("fMasked")), nullptr);
  EXPECT_EQ(bareTensorFactory(P.initOf("fNoise")), nullptr);
  EXPECT_EQ(bareTensorFactory(P.initOf("fInput")), nullptr);
}

TEST(Invariance, RandomModulesNever) {
  InvariancePolicy Modules;
  Modules.AllowModuleCalls = true;
  EXPECT_FALSE(invariantInLoop("torch::nn::Dropout drop;", "auto x = drop(in);",
                               Modules));
  EXPECT_FALSE(invariantInLoop(
      "struct Noisy : torch::nn::Module { torch::Tensor forward(torch::Tensor "
      "t) { return t + torch::randn({1}); } } noisy;",
      "auto x = noisy.forward(in);", Modules));
  EXPECT_TRUE(invariantInLoop("", "auto x = lin(in);", Modules));
}

TEST(Invariance, OutermostInvariantLoop) {
  Parsed P("void f(int n) { for (int e = 0; e < n; ++e) { "
           "for (int i = 0; i < n; ++i) { auto x = torch::zeros({n}); "
           "auto yy = torch::zeros({e}); } } }");
  auto Loops =
      match(forStmt(isExpansionInMainFile()).bind("l"), P.context());
  ASSERT_EQ(Loops.size(), 2u);
  const Stmt *Outer = Loops[0].getNodeAs<Stmt>("l");
  const Stmt *Inner = Loops[1].getNodeAs<Stmt>("l");
  if (Outer->getBeginLoc() > Inner->getBeginLoc())
    std::swap(Outer, Inner);
  const Stmt *InnermostFirst[] = {Inner, Outer};
  EXPECT_EQ(outermostInvariantLoop(P.initOf("x"), InnermostFirst, P.context()),
            Outer);
  EXPECT_EQ(outermostInvariantLoop(P.initOf("yy"), InnermostFirst, P.context()),
            Inner);
}

} // namespace
