// A small CNN trained from a folder of images, decoded one file per sample
// by the dataset's get(): the shape of most image pipelines. The first
// version loads on the training thread (libtorch's default is no workers);
// `--workers N` builds the loader with N worker threads instead.
//
//   train --write-images DIR [COUNT]   write COUNT (default 256) 32x32 PPM
//                                      images into DIR and exit
//   train [--images DIR] [--epochs N] [--workers N]
//
// The images default to the `images` folder next to the program, which the
// build writes.

#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

constexpr int Side = 32;
constexpr int Classes = 4;

std::string imagePath(const std::string &dir, size_t index) {
  char name[32];
  std::snprintf(name, sizeof(name), "/%05zu.ppm", index);
  return dir + name;
}

// Image i shows class i % 4 as a brighter quadrant over noise.
bool writeImages(const std::string &dir, size_t count) {
  std::mt19937 random(7);
  std::uniform_int_distribution<int> noise(0, 191);
  std::vector<unsigned char> pixels(Side * Side * 3);
  for (size_t i = 0; i < count; ++i) {
    int label = static_cast<int>(i % Classes);
    for (int y = 0; y < Side; ++y)
      for (int x = 0; x < Side; ++x) {
        int quadrant = (y >= Side / 2) * 2 + (x >= Side / 2);
        for (int c = 0; c < 3; ++c)
          pixels[(y * Side + x) * 3 + c] =
              static_cast<unsigned char>(noise(random) + (quadrant == label ? 48 : 0));
      }
    std::ofstream out(imagePath(dir, i), std::ios::binary);
    out << "P6\n" << Side << " " << Side << "\n255\n";
    out.write(reinterpret_cast<const char *>(pixels.data()), pixels.size());
    if (!out)
      return false;
  }
  return true;
}

// A binary PPM (P6) decoded into a 3xHxW float tensor in [0, 1].
torch::Tensor readPpm(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::string magic;
  int width = 0, height = 0, maxValue = 0;
  in >> magic >> width >> height >> maxValue;
  in.get();
  if (!in || magic != "P6" || width <= 0 || height <= 0 || maxValue != 255)
    throw std::runtime_error("not a binary PPM: " + path);
  std::vector<unsigned char> bytes(static_cast<size_t>(width) * height * 3);
  in.read(reinterpret_cast<char *>(bytes.data()), bytes.size());
  auto image = torch::empty({3, height, width});
  float *out = image.data_ptr<float>();
  for (int c = 0; c < 3; ++c)
    for (int p = 0; p < width * height; ++p)
      out[c * width * height + p] = bytes[p * 3 + c] / 255.0f;
  return image;
}

// The images of a folder, one file per sample, read when asked for.
class ImageFolder : public torch::data::datasets::Dataset<ImageFolder> {
public:
  ImageFolder(std::string dir, size_t count) : dir_(std::move(dir)), count_(count) {}
  torch::data::Example<> get(size_t index) override {
    return {readPpm(imagePath(dir_, index)),
            torch::tensor(static_cast<int64_t>(index % Classes))};
  }
  torch::optional<size_t> size() const override { return count_; }

private:
  std::string dir_;
  size_t count_;
};

struct NetImpl : torch::nn::Module {
  NetImpl()
      : conv(register_module("conv", torch::nn::Conv2d(
                                         torch::nn::Conv2dOptions(3, 8, 4).stride(4)))),
        out(register_module("out", torch::nn::Linear(8 * 8 * 8, Classes))) {}
  torch::Tensor forward(torch::Tensor x) {
    return out->forward(torch::relu(conv->forward(x)).flatten(1));
  }
  torch::nn::Conv2d conv;
  torch::nn::Linear out;
};
TORCH_MODULE(Net);

std::string besideProgram(const char *name) {
  char self[4096];
  ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);
  std::string path(self, length > 0 ? static_cast<size_t>(length) : 0);
  return path.substr(0, path.rfind('/') + 1) + name;
}

} // namespace

int main(int argc, char **argv) {
  std::string images = besideProgram("images");
  int epochs = 3;
  size_t workers = 0, count = 256;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--write-images" && i + 1 < argc) {
      if (i + 2 < argc)
        count = std::strtoul(argv[i + 2], nullptr, 10);
      return writeImages(argv[i + 1], count) ? 0 : 1;
    }
    if (arg == "--images" && i + 1 < argc)
      images = argv[++i];
    else if (arg == "--epochs" && i + 1 < argc)
      epochs = std::atoi(argv[++i]);
    else if (arg == "--workers" && i + 1 < argc)
      workers = std::strtoul(argv[++i], nullptr, 10);
    else {
      std::fprintf(stderr, "usage: train [--images DIR] [--epochs N] [--workers N]\n"
                           "       train --write-images DIR [COUNT]\n");
      return 2;
    }
  }
  // One compute thread: the example is about the time before the model runs.
  torch::set_num_threads(1);
  torch::manual_seed(0);

  auto dataset = ImageFolder(images, count).map(torch::data::transforms::Stack<>());
  using Loader =
      torch::data::StatelessDataLoader<decltype(dataset), torch::data::samplers::RandomSampler>;
  std::unique_ptr<Loader> loader;
  if (workers == 0)
    loader = torch::data::make_data_loader(std::move(dataset),
                                           torch::data::DataLoaderOptions().batch_size(16));
  else
    loader = torch::data::make_data_loader(
        std::move(dataset), torch::data::DataLoaderOptions().batch_size(16).workers(workers));

  Net model;
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.05).momentum(0.9));
  for (int epoch = 0; epoch < epochs; ++epoch) {
    double total = 0;
    size_t batches = 0;
    for (auto &batch : *loader) {
      optimizer.zero_grad();
      auto loss = torch::cross_entropy_loss(model->forward(batch.data), batch.target);
      loss.backward();
      optimizer.step();
      total += loss.item<double>();
      ++batches;
    }
    std::printf("epoch %d loss %.4f\n", epoch, total / batches);
  }
  return 0;
}
