// RUN: %check_trainlint %s torch-loop-rebuilt-state %t

#include <torch/torch.h>

#include <memory>
#include <vector>

struct NetImpl : torch::nn::Module {
  // A module builds and registers its parts in its constructor: silent, also
  // when the module is built in a loop (reported where it is built).
  NetImpl() { fc = register_module("fc", torch::nn::Linear(4, 2)); }
  torch::Tensor forward(torch::Tensor x);
  torch::nn::Linear fc{nullptr};
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

//===--- In the training loop -------------------------------------------===//

void rebuiltEveryStep(Net &model, torch::Tensor x, torch::Device device) {
  for (int step = 0; step < 100; ++step) {
    torch::optim::Adam optimizer(model->parameters(),
                                 torch::optim::AdamOptions(1e-3));
    // CHECK-MESSAGES: :[[@LINE-2]]:24: warning: optimizer 'torch::optim::Adam' is constructed on every iteration of the training loop, so its state (Adam's moments, SGD's momentum) starts from zero each time; construct it once before the loop [torch-loop-rebuilt-state]
    // CHECK-MESSAGES: :[[@LINE-3]]:24: note: to change the learning rate, set it in the options of 'param_groups()'
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: training loop starts here
    model->to(device);
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'to()' moves or converts every parameter and buffer of the model on every iteration of the training loop; move the model once, before the loop [torch-loop-rebuilt-state]
    // CHECK-MESSAGES: :[[@LINE-8]]:3: note: training loop starts here
    torch::nn::Linear head(4, 2);
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: module 'torch::nn::Linear' is constructed on every iteration of the training loop, with freshly initialized parameters that no optimizer before the loop holds; construct it once before the loop [torch-loop-rebuilt-state]
    // CHECK-MESSAGES: :[[@LINE-11]]:3: note: training loop starts here
    auto loss = head(model->forward(x)).sum();
    loss.backward();
    optimizer.step();
  }
}

// Other spellings: assignment of a temporary, make_unique, new, make_shared,
// and a parameter list collected into a new optimizer.
void otherSpellings(Net &model, torch::Tensor x) {
  std::unique_ptr<torch::optim::Optimizer> owned;
  torch::optim::SGD sgd(model->parameters(), 0.1);
  for (int step = 0; step < 100; ++step) {
    sgd = torch::optim::SGD(model->parameters(), torch::optim::SGDOptions(0.1).momentum(0.9));
    // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: optimizer 'torch::optim::SGD' is constructed on every iteration of the training loop
    owned = std::make_unique<torch::optim::Adam>(model->parameters(),
                                                 torch::optim::AdamOptions());
    // CHECK-MESSAGES: :[[@LINE-2]]:13: warning: optimizer 'torch::optim::Adam' is constructed on every iteration of the training loop
    std::vector<torch::Tensor> params = model->parameters();
    auto *raw = new torch::optim::Adam(params, torch::optim::AdamOptions());
    // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: optimizer 'torch::optim::Adam' is constructed
    auto impl = std::make_shared<NetImpl>();
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: module 'NetImpl' is constructed on every iteration of the training loop
    Net fresh;
    // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: module 'Net' is constructed
    model->forward(x).sum().backward();
    raw->step();
    owned->step();
    delete raw;
  }
}

// A module built in forward(), which the training loop calls: reported in
// forward(), with the call that makes it hot.
struct LazyImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x) {
    torch::nn::Linear proj(4, 4);
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: module 'torch::nn::Linear' is constructed on every iteration of the training loop
    // CHECK-MESSAGES: :[[@LINE+15]]:14: note: 'forward' is called here, on the training loop path
    // CHECK-MESSAGES: :[[@LINE+13]]:3: note: training loop starts here
    register_parameter("scale", torch::ones({4}));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'register_parameter()' registers a new parameter on every iteration of the training loop; register it once, in the module's constructor [torch-loop-rebuilt-state]
    // CHECK-MESSAGES: :[[@LINE+11]]:14: note: 'forward' is called here
    // CHECK-MESSAGES: :[[@LINE+9]]:3: note: training loop starts here
    register_module("extra", torch::nn::Linear(4, 4));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'register_module()' registers a new module on every iteration of the training loop
    // CHECK-MESSAGES: :[[@LINE+7]]:14: note: 'forward' is called here
    // CHECK-MESSAGES: :[[@LINE+5]]:3: note: training loop starts here
    return proj(x);
  }
};
void trainLazy(LazyImpl &model, torch::optim::SGD &opt, torch::Tensor x) {
  for (int step = 0; step < 10; ++step) {
    auto y = model.forward(x);
    y.sum().backward();
    opt.step();
  }
}

void growsParamGroups(Net &model, Net &head, torch::optim::SGD &opt,
                      torch::Tensor x) {
  for (int step = 0; step < 10; ++step) {
    opt.add_param_group(torch::optim::OptimizerParamGroup(head->parameters()));
    // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'add_param_group()' adds parameters to the optimizer again on every iteration of the training loop, so they are updated once per group; add them once, before the loop [torch-loop-rebuilt-state]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: training loop starts here
    model->forward(x).sum().backward();
    opt.step();
  }
}

//===--- In the epoch loop ----------------------------------------------===//

template <typename Loader>
void rebuiltEveryEpoch(Net &model, Loader &loader, torch::Device device) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    model->to(device);
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: 'to()' moves or converts every parameter and buffer of the model on every iteration of the epoch loop; move the model once, before the loop [torch-loop-rebuilt-state]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: epoch loop starts here; it encloses the training loop
    torch::optim::Adam optimizer(model->parameters(),
                                 torch::optim::AdamOptions(1e-3));
    // CHECK-MESSAGES: :[[@LINE-2]]:24: warning: optimizer 'torch::optim::Adam' is constructed on every iteration of the epoch loop, so its state (Adam's moments, SGD's momentum) starts from zero each time; construct it once before the loop [torch-loop-rebuilt-state]
    // CHECK-MESSAGES: :[[@LINE-3]]:24: note: to change the learning rate
    // CHECK-MESSAGES: :[[@LINE-8]]:3: note: epoch loop starts here; it encloses the training loop
    for (auto &batch : loader) {
      optimizer.zero_grad();
      auto loss = model->forward(batch.data).sum();
      loss.backward();
      optimizer.step();
    }
  }
}

void runEpochs(Net &model, torch::Device device) {
  auto loader = torch::data::make_data_loader(torch::data::datasets::MNIST("data").map(torch::data::transforms::Stack<>()));
  rebuiltEveryEpoch(model, *loader, device);
}

// The epoch's training loop is in a function the epoch loop calls.
void trainEpoch(Net &model, torch::optim::Optimizer &opt, torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    model->forward(x).sum().backward();
    opt.step();
  }
}
void epochsThroughAHelper(Net &model, torch::Tensor x) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    torch::optim::SGD opt(model->parameters(), 0.01);
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: optimizer 'torch::optim::SGD' is constructed on every iteration of the epoch loop
    // CHECK-MESSAGES: :[[@LINE-2]]:23: note: to change the learning rate
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: epoch loop starts here
    trainEpoch(model, opt, x);
  }
}

// A fresh model per fold, with its optimizer rebuilt every epoch inside:
// the model is a new run, the optimizer loses its state.
void foldsWithAnEpochOptimizer(torch::Tensor x) {
  for (int fold = 0; fold < 5; ++fold) {
    Net model;
    for (int epoch = 0; epoch < 10; ++epoch) {
      torch::optim::Adam opt(model->parameters(), torch::optim::AdamOptions());
      // CHECK-MESSAGES: :[[@LINE-1]]:26: warning: optimizer 'torch::optim::Adam' is constructed on every iteration of the epoch loop
      // CHECK-MESSAGES: :[[@LINE-2]]:26: note: to change the learning rate
      // CHECK-MESSAGES: :[[@LINE-4]]:5: note: epoch loop starts here
      trainEpoch(model, opt, x);
    }
  }
}

// A new module each epoch, trained by an optimizer that holds the old one's
// parameters.
void newModelOldOptimizer(torch::optim::SGD &opt, torch::Tensor x) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    Net model;
    // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: module 'Net' is constructed on every iteration of the epoch loop
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: epoch loop starts here
    trainEpoch(model, opt, x);
  }
}

// A module built on every step of the batch loop does not make the epoch
// loop a new run: the epoch's optimizer still loses its state.
void perStepIsNotANewRun(Net &model, torch::Tensor x) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    torch::optim::SGD opt(model->parameters(), 0.1);
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: optimizer 'torch::optim::SGD' is constructed on every iteration of the epoch loop
    // CHECK-MESSAGES: :[[@LINE-2]]:23: note: to change the learning rate
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: epoch loop starts here
    for (int step = 0; step < 10; ++step) {
      Net scratch;
      // CHECK-MESSAGES: :[[@LINE-1]]:11: warning: module 'Net' is constructed on every iteration of the training loop
      // CHECK-MESSAGES: :[[@LINE-3]]:5: note: training loop starts here
      scratch->forward(x);
      model->forward(x).sum().backward();
      opt.step();
    }
  }
}

// In a macro, reported where the macro is used.
#define MAKE_SGD(name, m) torch::optim::SGD name((m)->parameters(), 0.1)
void inMacro(Net &model, torch::Tensor x) {
  for (int step = 0; step < 10; ++step) {
    MAKE_SGD(opt, model);
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: optimizer 'torch::optim::SGD' is constructed on every iteration of the training loop
    // CHECK-MESSAGES: :[[@LINE-2]]:14: note: to change the learning rate
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: training loop starts here
    model->forward(x).sum().backward();
    opt.step();
  }
}

//===--- Silent cases ---------------------------------------------------===//

// Built once, before the loops; moved once; the rate changed through the
// optimizer's param_groups: the idiomatic loop.
void buildOnce(Net &model, torch::Tensor x, torch::Device device) {
  model->to(device);
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
  for (int epoch = 0; epoch < 10; ++epoch) {
    for (auto &group : opt.param_groups())
      group.options().set_lr(0.1 / (epoch + 1));
    model->train();
    for (int step = 0; step < 100; ++step) {
      opt.zero_grad();
      model->forward(x).sum().backward();
      opt.step();
    }
  }
}

// Cross-validation: each fold builds a model and its optimizer and trains
// them in the loop inside. A new run, not a lost state.
void crossValidation(torch::Tensor x, torch::Device device) {
  for (int fold = 0; fold < 5; ++fold) {
    Net model;
    model->to(device);
    torch::optim::Adam opt(model->parameters(), torch::optim::AdamOptions());
    for (int step = 0; step < 100; ++step) {
      model->forward(x).sum().backward();
      opt.step();
    }
  }
}

// A hyper-parameter search whose model comes from a factory: the optimizer
// is over a model declared in the loop, so it belongs to a new run.
Net makeModel(int width);
void search(torch::Tensor x, const std::vector<double> &rates) {
  for (double lr : rates) {
    auto model = makeModel(64);
    model->to(torch::kCUDA);
    auto opt = std::make_shared<torch::optim::SGD>(model->parameters(),
                                                   torch::optim::SGDOptions(lr));
    trainEpoch(model, *opt, x);
  }
}

// Rebuilt on a few steps or epochs only (a warm restart, a new phase), or
// built lazily on the first pass: deliberate, silent.
void restarts(Net &model, torch::Tensor x) {
  torch::optim::SGD opt(model->parameters(), 0.1);
  std::unique_ptr<torch::optim::Adam> lazy;
  for (int epoch = 0; epoch < 90; ++epoch) {
    if (epoch == 30)
      opt = torch::optim::SGD(model->parameters(), 0.01);
    for (int step = 0; step < 100; ++step) {
      if (step % 1000 == 0)
        opt = torch::optim::SGD(model->parameters(), 0.1);
      if (!lazy)
        lazy = std::make_unique<torch::optim::Adam>(model->parameters(),
                                                    torch::optim::AdamOptions());
      model->forward(x).sum().backward();
      opt.step();
      lazy->step();
    }
  }
}

// An evaluation loop trains nothing: a helper module there holds no
// training state worth a warning here.
double evaluate(Net &model, torch::Tensor x) {
  torch::NoGradGuard noGrad;
  double total = 0;
  for (int i = 0; i < 10; ++i) {
    model->to(torch::kCPU);
    total += model->forward(x).sum().item<double>();
  }
  return total;
}

// Moving the model where nothing is on the hot path: setup code.
void setup(Net &model, torch::Device device) {
  model->to(device);
  for (int i = 0; i < 3; ++i)
    model->to(device);
}

// Copies of a module (passing a holder by value) build nothing; an empty
// holder (nullptr) or one wrapping an existing module neither.
void takesCopy(Net model, torch::Tensor x);
void copies(Net &model, torch::optim::SGD &opt, torch::Tensor x) {
  for (int step = 0; step < 10; ++step) {
    takesCopy(model, x);
    torch::nn::Linear empty{nullptr};
    Net shared(model.get() ? std::shared_ptr<NetImpl>() : nullptr);
    model->forward(x).sum().backward();
    opt.step();
  }
}
