// A small training program whose modes each show one pattern the runtime
// records for checks to come; `clean` shows none of them.
//
//   signals MODE [STEPS]    MODE: clean, cat, eval, noclear, manual-sgd
//
// The runtime's tests name lines of this file: keep the marked lines where
// they are or update the tests.

#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

int main(int argc, char **argv) {
  const char *Mode = argc > 1 ? argv[1] : "clean";
  const int Steps = argc > 2 ? std::atoi(argv[2]) : 12;
  const bool Cat = !std::strcmp(Mode, "cat");
  const bool Eval = !std::strcmp(Mode, "eval");
  const bool NoClear = !std::strcmp(Mode, "noclear");
  const bool Manual = !std::strcmp(Mode, "manual-sgd");
  torch::manual_seed(0);
  torch::nn::Linear Model(4, 1);
  torch::optim::SGD Optimizer(Model->parameters(), 0.01);
  auto X = torch::randn({16, 4});
  auto Y = torch::randn({16, 1});
  auto History = torch::zeros({0, 1});

  for (int Step = 0; Step < Steps; ++Step) {
    if (!NoClear)
      Optimizer.zero_grad();
    auto Out = Model->forward(X);
    auto Loss = torch::mse_loss(Out, Y);
    Loss.backward(); // the backward pass
    if (Manual) {
      // An optimizer written by hand, with grad mode on.
      for (auto &P : Model->parameters())
        P.data().sub_(P.grad() * 0.01);
    } else {
      Optimizer.step();
    }
    if (Cat)
      History = torch::cat({History, Out.detach()}); // grows
    else
      History = torch::cat({Out.detach(), Out.detach()}); // fixed
    if (Eval) {
      auto Score = Model->forward(X).sum(); // graph never used
      (void)Score;
    } else if (!Manual) {
      torch::NoGradGuard NoGrad;
      auto Score = Model->forward(X).sum(); // under no-grad
      (void)Score;
    }
    if (Step == 0 || Step + 1 == Steps)
      std::printf("step %d loss %.4f rows %lld\n", Step, Loss.item<float>(),
                  static_cast<long long>(History.size(0)));
  }
  return 0;
}
