// RUN: %check_trainlint %s torch-data-io-in-loop %t

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <opencv2/opencv.hpp>
#include <stb_image.h>
#include <torch/torch.h>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x) { return x * 2; }
};
struct Net : torch::nn::ModuleHolder<NetImpl> {
  using ModuleHolder::ModuleHolder;
};

torch::Tensor toTensor(const cv::Mat &image);
torch::Tensor parseRow(const std::string &line);

//===--- Positives: in the training loop itself -------------------------===//

// An image decoded from disk on every step, as a hand-written loader over a
// list of files does it.
void decodeEachStep(Net &model, torch::optim::SGD &optimizer,
                    const std::vector<std::string> &files) {
  for (size_t step = 0; step < files.size(); ++step) {
    cv::Mat image = cv::imread(files[step]);
    // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: 'cv::imread' decodes an image on the training thread on every iteration of the training loop, and the step waits for it; do it once before the loop, or in the get() of a dataset whose loader has workers [torch-data-io-in-loop]
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: training loop starts here
    cv::resize(image, image, cv::Size(224, 224));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cv::resize' resizes an image on the training thread on every iteration of the training loop
    // CHECK-MESSAGES: :[[@LINE-6]]:3: note: training loop starts here
    optimizer.zero_grad();
    model->forward(toTensor(image)).sum().backward();
    optimizer.step();
  }
}

// A CSV file opened and read on every step: the open is the finding, the
// reads of the same stream are part of it.
void csvEachStep(Net &model, torch::optim::SGD &optimizer,
                 const std::string &path) {
  for (int step = 0; step < 100; ++step) {
    std::ifstream in(path);
    // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'std::ifstream' opens a file on the training thread on every iteration of the training loop
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: training loop starts here
    std::string line;
    std::getline(in, line);
    optimizer.zero_grad();
    model->forward(parseRow(line)).sum().backward();
    optimizer.step();
  }
}

// A file opened once before the loop and read line by line on every step:
// the open is setup, each read is the finding.
void readOpenStream(Net &model, torch::optim::SGD &optimizer,
                    const std::string &path) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'std::getline' reads a file on the training thread on every iteration of the training loop
    // CHECK-MESSAGES: :[[@LINE-2]]:3: note: training loop starts here
    optimizer.zero_grad();
    model->forward(parseRow(line)).sum().backward();
    optimizer.step();
  }
}

// C stdio: the open in the loop is the finding; the read of that FILE is
// part of it.
void stdioEachStep(Net &model, torch::optim::SGD &optimizer,
                   const char *path) {
  std::vector<float> buffer(784);
  for (int step = 0; step < 100; ++step) {
    FILE *f = fopen(path, "rb");
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: 'fopen' opens a file on the training thread on every iteration of the training loop
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: training loop starts here
    fread(buffer.data(), sizeof(float), buffer.size(), f);
    fclose(f);
    optimizer.zero_grad();
    model->forward(torch::from_blob(buffer.data(), {784})).sum().backward();
    optimizer.step();
  }
}

// A binary shard read from a FILE opened before the loop, a record per step.
void freadEachStep(Net &model, torch::optim::SGD &optimizer, FILE *shard) {
  std::vector<float> record(784);
  for (int step = 0; step < 100; ++step) {
    fread(record.data(), sizeof(float), record.size(), shard);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'fread' reads a file on the training thread on every iteration of the training loop
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: training loop starts here
    optimizer.zero_grad();
    model->forward(torch::from_blob(record.data(), {784})).sum().backward();
    optimizer.step();
  }
}

// A default-constructed stream opened in the loop, and a stream member read
// with >> each step.
struct Trainer {
  std::ifstream labels;
  void run(Net &model, torch::optim::SGD &optimizer,
           const std::vector<std::string> &shards) {
    for (const std::string &shard : shards) {
      std::ifstream in;
      in.open(shard, std::ios::binary);
      // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: 'open()' opens a file on the training thread on every iteration of the training loop
      // CHECK-MESSAGES: :[[@LINE-4]]:5: note: training loop starts here
      std::vector<char> bytes(1024);
      in.read(bytes.data(), bytes.size());
      int label = 0;
      labels >> label;
      // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: 'operator>>' reads a file on the training thread on every iteration of the training loop
      // CHECK-MESSAGES: :[[@LINE-10]]:5: note: training loop starts here
      optimizer.zero_grad();
      auto x = torch::pickle_load(bytes);
      // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: 'torch::pickle_load' reads and deserializes a file on the training thread on every iteration of the training loop
      // CHECK-MESSAGES: :[[@LINE-14]]:5: note: training loop starts here
      model->forward(torch::ones({1}) * label).sum().backward();
      optimizer.step();
    }
  }
};

// Pre-computed features saved as tensors, one file per step; stb_image
// decoding a PNG per step.
void loadEachStep(Net &model, torch::optim::SGD &optimizer,
                  const std::vector<std::string> &files) {
  for (const std::string &file : files) {
    torch::Tensor features;
    torch::load(features, file);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'torch::load' reads and deserializes a file on the training thread on every iteration of the training loop
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: training loop starts here
    int w = 0, h = 0, c = 0;
    stbi_uc *pixels = stbi_load(file.c_str(), &w, &h, &c, 3);
    // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: 'stbi_load' decodes an image on the training thread on every iteration of the training loop
    // CHECK-MESSAGES: :[[@LINE-8]]:3: note: training loop starts here
    optimizer.zero_grad();
    model->forward(features + torch::from_blob(pixels, {h, w, 3})).sum().backward();
    optimizer.step();
  }
}

//===--- Positives: in a function the loop calls ------------------------===//

torch::Tensor readImage(const std::string &path) {
  cv::Mat image = cv::imread(path, cv::IMREAD_GRAYSCALE);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: 'cv::imread' decodes an image on the training thread on every iteration of the training loop
  // CHECK-MESSAGES: :[[@LINE+8]]:22: note: 'readImage' is called here, on the training loop path
  // CHECK-MESSAGES: :[[@LINE+13]]:14: note: 'readBatch' is called here, on the training loop path
  // CHECK-MESSAGES: :[[@LINE+11]]:3: note: training loop starts here
  return toTensor(image);
}
torch::Tensor readBatch(const std::vector<std::string> &paths) {
  std::vector<torch::Tensor> images;
  for (const std::string &path : paths)
    images.push_back(readImage(path));
  return torch::stack(images);
}
void trainFromPaths(Net &model, torch::optim::SGD &optimizer,
                    const std::vector<std::vector<std::string>> &batches) {
  for (const auto &paths : batches) {
    auto x = readBatch(paths);
    optimizer.zero_grad();
    model->forward(x).sum().backward();
    optimizer.step();
  }
}

//===--- Negatives ------------------------------------------------------===//

// Setup before the loop: the list of files and the images are read once.
void preloaded(Net &model, torch::optim::SGD &optimizer,
               const std::string &list) {
  std::ifstream in(list);
  std::vector<torch::Tensor> images;
  std::string path;
  while (in >> path)
    images.push_back(toTensor(cv::imread(path)));
  for (int epoch = 0; epoch < 10; ++epoch)
    for (const torch::Tensor &image : images) {
      optimizer.zero_grad();
      model->forward(image).sum().backward();
      optimizer.step();
    }
}

// A checkpoint every 1000 steps, and a resume at the first step: rare,
// amortized over the steps between.
void checkpointed(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  for (int step = 0; step < 100000; ++step) {
    if (step == 0)
      torch::load(model, "resume.pt");
    optimizer.zero_grad();
    model->forward(x).sum().backward();
    optimizer.step();
    if (step % 1000 == 0) {
      torch::save(model, "ckpt.pt");
      torch::load(model, "ckpt.pt");
    }
  }
}

// Once per epoch, in the loop around the training loop: a file a epoch
// costs nothing per step.
void perEpochFile(Net &model, torch::optim::SGD &optimizer,
                  const std::vector<torch::Tensor> &batches) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    std::ifstream schedule("schedule.txt");
    double lr = 0;
    schedule >> lr;
    for (const torch::Tensor &x : batches) {
      optimizer.zero_grad();
      model->forward(x * lr).sum().backward();
      optimizer.step();
    }
  }
}

// A loop that reads a file but trains nothing is not a step loop.
std::vector<torch::Tensor> readAll(const std::vector<std::string> &files) {
  std::vector<torch::Tensor> out;
  for (const std::string &file : files) {
    torch::Tensor t;
    torch::load(t, file);
    out.push_back(t);
  }
  return out;
}

// Writing a log each step is not data loading (and not matched).
void logEachStep(Net &model, torch::optim::SGD &optimizer, torch::Tensor x) {
  std::ofstream log("loss.txt");
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    auto loss = model->forward(x).sum();
    loss.backward();
    optimizer.step();
    log << step << "\n";
  }
}

//===--- The get() of a dataset whose loader has no workers -------------===//

// As custom-dataset programs write it: decode and resize in get(), and a
// loader with a bare batch size (no workers).
struct ImageFolder : torch::data::datasets::Dataset<ImageFolder> {
  std::vector<std::string> files;
  torch::data::Example<> get(size_t index) override {
    cv::Mat image = cv::imread(files[index]);
    // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: 'cv::imread' decodes an image in the dataset's get(), which its loader runs on the training thread because it has no workers; give the loader workers ('DataLoaderOptions(batch_size).workers(N)') so that they load batches ahead of the step [torch-data-io-in-loop]
    cv::resize(image, image, cv::Size(224, 224));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'cv::resize' resizes an image in the dataset's get(), which its loader runs on the training thread because it has no workers
    return {toTensor(image), torch::zeros({1})};
  }
  torch::optional<size_t> size() const override { return files.size(); }
};
void trainImageFolder(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(
      ImageFolder().map(torch::data::transforms::Stack<>()), 16);
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch.data).sum().backward();
    optimizer.step();
  }
}

// The same dataset shape with a loader that has workers: get() runs on
// them, ahead of the step, so it stays silent.
struct CsvRows : torch::data::datasets::Dataset<CsvRows> {
  std::string path;
  torch::data::Example<> get(size_t index) override {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return {parseRow(line), torch::zeros({1})};
  }
  torch::optional<size_t> size() const override { return 100; }
};
void trainCsv(Net &model, torch::optim::SGD &optimizer) {
  auto loader = torch::data::make_data_loader(
      CsvRows().map(torch::data::transforms::Stack<>()),
      torch::data::DataLoaderOptions(16).workers(4));
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch.data).sum().backward();
    optimizer.step();
  }
}

// The file is read by a decoder of the program's own that get() calls: it
// runs on the training thread as much as get() itself. The read of the
// stream that the same function opened is part of the finding on its open.
torch::Tensor readPpm(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: 'std::ifstream' opens a file in the dataset's get(), which its loader runs on the training thread because it has no workers; give the loader workers ('DataLoaderOptions(batch_size).workers(N)') so that they load batches ahead of the step [torch-data-io-in-loop]
  std::string magic;
  in >> magic;
  return torch::zeros({3, 8, 8});
}
struct PpmFolder : torch::data::datasets::Dataset<PpmFolder> {
  std::vector<std::string> files;
  torch::data::Example<> get(size_t index) override {
    // CHECK-MESSAGES: :[[@LINE-1]]:26: note: 'readPpm' runs in the dataset's get() here
    return {readPpm(files[index]), torch::zeros({1})};
  }
  torch::optional<size_t> size() const override { return files.size(); }
};
// One loader variable, given one of two loaders at run time: the one without
// workers may be the one the loop iterates.
void trainPpm(Net &model, torch::optim::SGD &optimizer, size_t workers) {
  using Loader = torch::data::StatelessDataLoader<
      torch::data::datasets::MapDataset<PpmFolder,
                                        torch::data::transforms::Stack<>>>;
  std::unique_ptr<Loader> loader;
  if (workers == 0)
    loader = torch::data::make_data_loader(
        PpmFolder().map(torch::data::transforms::Stack<>()), 16);
  else
    loader = torch::data::make_data_loader(
        PpmFolder().map(torch::data::transforms::Stack<>()),
        torch::data::DataLoaderOptions(16).workers(workers));
  for (auto &batch : *loader) {
    optimizer.zero_grad();
    model->forward(batch.data).sum().backward();
    optimizer.step();
  }
}
