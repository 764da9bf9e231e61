// The data project's dataset and loader type, shared by its files.
#pragma once
#include <torch/torch.h>

#include <fstream>
#include <string>
#include <vector>

struct Frames : torch::data::datasets::Dataset<Frames> {
  std::vector<std::string> files;
  torch::data::Example<> get(size_t index) override {
    std::ifstream in(files[index], std::ios::binary);
    float value = 0;
    in.read(reinterpret_cast<char *>(&value), sizeof value);
    return {torch::full({4}, value), torch::zeros({1})};
  }
  torch::optional<size_t> size() const override { return files.size(); }
};

using FrameLoader = torch::data::StatelessDataLoader<
    torch::data::datasets::MapDataset<Frames, torch::data::transforms::Stack<>>>;

void trainEpoch(torch::nn::Linear &model, torch::optim::SGD &optimizer,
                FrameLoader &loader);
torch::Tensor readMask(const std::string &path);
