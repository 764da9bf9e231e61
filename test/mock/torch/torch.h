// A small stand-in for libtorch's <torch/torch.h>, for the check tests: the
// real qualified names and signatures the checks match on (as libtorch 1.13
// and 2.x both spell them), no implementation. Real-header tests under
// test/real/ catch drift from the genuine headers.
#pragma once
#pragma clang system_header

#include <cstdint>
#include <initializer_list>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

namespace c10 {
template <typename I> struct integer_range {
  struct iterator {
    I operator*() const;
    iterator &operator++();
    bool operator!=(const iterator &) const;
  };
  iterator begin() const;
  iterator end() const;
};
template <typename I> integer_range<I> irange(I end);
template <typename I1, typename I2> integer_range<I2> irange(I1 begin, I2 end);

enum class DeviceType : int8_t { CPU = 0, CUDA = 1, HIP = 6, MPS = 13, XPU = 12, Meta = 14 };
constexpr DeviceType kCPU = DeviceType::CPU;
constexpr DeviceType kCUDA = DeviceType::CUDA;
constexpr DeviceType kHIP = DeviceType::HIP;
constexpr DeviceType kMPS = DeviceType::MPS;
constexpr DeviceType kXPU = DeviceType::XPU;
constexpr DeviceType kMeta = DeviceType::Meta;

struct Device {
  Device(DeviceType type, int8_t index = -1);
  Device(const std::string &device_string);
  bool is_cuda() const;
  bool is_cpu() const;
};

enum class ScalarType : int8_t { Byte, Char, Short, Int, Long, Half, Float, Double, Bool, BFloat16 };
enum class Layout : int8_t { Strided, Sparse };
enum class MemoryFormat : int8_t { Contiguous, Preserve };

struct nullopt_t {};
constexpr nullopt_t nullopt{};
template <typename T> struct optional {
  optional();
  optional(nullopt_t);
  optional(T);
};

template <typename T> class ArrayRef {
public:
  ArrayRef();
  ArrayRef(const T &);
  ArrayRef(const std::vector<T> &);
  ArrayRef(std::initializer_list<T>);
};
using IntArrayRef = ArrayRef<int64_t>;

class Scalar {
public:
  Scalar(double);
  Scalar(int64_t);
  Scalar(int);
  Scalar(bool);
  double toDouble() const;
  float toFloat() const;
  int64_t toLong() const;
  template <typename T> T to() const;
};

struct TensorOptions {
  TensorOptions();
  TensorOptions(Device);
  TensorOptions(DeviceType);
  TensorOptions(ScalarType);
  TensorOptions(Layout);
  TensorOptions device(optional<Device>) const;
  template <typename... Args> TensorOptions device(Args &&...args) const;
  TensorOptions dtype(optional<ScalarType>) const;
  TensorOptions requires_grad(optional<bool>) const;
  TensorOptions pinned_memory(optional<bool>) const;
};

class Stream {
public:
  void synchronize() const;
  bool query() const;
};
class Event {
public:
  void synchronize() const;
  double elapsedTime(const Event &event) const;
};

struct AutoGradMode {
  AutoGradMode(bool enabled);
  ~AutoGradMode();
};
struct NoGradGuard : public AutoGradMode {
  NoGradGuard();
};
struct InferenceMode {
  InferenceMode(bool enabled = true);
  ~InferenceMode();
};

namespace cuda {
class CUDAStream {
public:
  void synchronize() const;
  bool query() const;
  operator Stream() const;
};
CUDAStream getCurrentCUDAStream(int8_t device_index = -1);
CUDAStream getStreamFromPool(bool isHighPriority = false, int8_t device = -1);
void device_synchronize();
namespace CUDACachingAllocator {
void emptyCache();
} // namespace CUDACachingAllocator
} // namespace cuda
} // namespace c10

// ---------------------------------------------------------------------------
// Moves between devices and factories that inherit a device
// (checks/model/TensorDevice): the deprecated type properties and backends,
// the `*_like` factories of at and torch, and the tensor methods listed in the
// two member macros below (each used by one line in its class).
namespace c10 {
enum class Backend { CPU, CUDA, HIP, XPU, SparseCPU, SparseCUDA, Meta, QuantizedCPU, Undefined, MPS };
} // namespace c10
namespace at {
using c10::Backend;
class Tensor;
class DeprecatedTypeProperties {
public:
  Backend backend() const;
  c10::ScalarType scalarType() const;
  bool is_cuda() const;
  DeprecatedTypeProperties &toBackend(Backend b) const;
  DeprecatedTypeProperties &toScalarType(c10::ScalarType s) const;
  DeprecatedTypeProperties &cpu() const;
  DeprecatedTypeProperties &cuda() const;
  c10::TensorOptions options(int16_t device_index = -1) const;
  operator c10::TensorOptions() const;
};
Tensor empty_like(const Tensor &self, c10::TensorOptions options = {},
                  c10::optional<c10::MemoryFormat> memory_format = c10::nullopt);
Tensor zeros_like(const Tensor &self, c10::TensorOptions options = {},
                  c10::optional<c10::MemoryFormat> memory_format = c10::nullopt);
Tensor zeros_like(const Tensor &self, c10::optional<c10::ScalarType> dtype,
                  c10::optional<c10::Layout> layout, c10::optional<c10::Device> device,
                  c10::optional<bool> pin_memory,
                  c10::optional<c10::MemoryFormat> memory_format);
Tensor ones_like(const Tensor &self, c10::TensorOptions options = {},
                 c10::optional<c10::MemoryFormat> memory_format = c10::nullopt);
Tensor full_like(const Tensor &self, const c10::Scalar &fill_value,
                 c10::TensorOptions options = {},
                 c10::optional<c10::MemoryFormat> memory_format = c10::nullopt);
Tensor rand_like(const Tensor &self, c10::TensorOptions options = {},
                 c10::optional<c10::MemoryFormat> memory_format = c10::nullopt);
Tensor randn_like(const Tensor &self, c10::TensorOptions options = {},
                  c10::optional<c10::MemoryFormat> memory_format = c10::nullopt);
Tensor randint_like(const Tensor &self, int64_t high, c10::TensorOptions options = {},
                    c10::optional<c10::MemoryFormat> memory_format = c10::nullopt);
Tensor randint_like(const Tensor &self, int64_t low, int64_t high,
                    c10::TensorOptions options = {},
                    c10::optional<c10::MemoryFormat> memory_format = c10::nullopt);
} // namespace at
namespace torch {
// torch:: has its own autograd-aware `*_like` factories, as it has its own
// zeros and ones.
at::Tensor empty_like(const at::Tensor &self, c10::TensorOptions options = {},
                      c10::optional<c10::MemoryFormat> memory_format = c10::nullopt);
at::Tensor zeros_like(const at::Tensor &self, c10::TensorOptions options = {},
                      c10::optional<c10::MemoryFormat> memory_format = c10::nullopt);
at::Tensor ones_like(const at::Tensor &self, c10::TensorOptions options = {},
                     c10::optional<c10::MemoryFormat> memory_format = c10::nullopt);
at::Tensor full_like(const at::Tensor &self, const c10::Scalar &fill_value,
                     c10::TensorOptions options = {},
                     c10::optional<c10::MemoryFormat> memory_format = c10::nullopt);
at::Tensor rand_like(const at::Tensor &self, c10::TensorOptions options = {},
                     c10::optional<c10::MemoryFormat> memory_format = c10::nullopt);
at::Tensor randn_like(const at::Tensor &self, c10::TensorOptions options = {},
                      c10::optional<c10::MemoryFormat> memory_format = c10::nullopt);
at::Tensor randint_like(const at::Tensor &self, int64_t high, c10::TensorOptions options = {},
                        c10::optional<c10::MemoryFormat> memory_format = c10::nullopt);
at::Tensor randint_like(const at::Tensor &self, int64_t low, int64_t high,
                        c10::TensorOptions options = {},
                        c10::optional<c10::MemoryFormat> memory_format = c10::nullopt);
} // namespace torch
// Members of at::TensorBase.
#define TRAINLINT_MOCK_TENSOR_BASE_MOVES TensorOptions options() const;
// Members of at::Tensor.
#define TRAINLINT_MOCK_TENSOR_MOVES                                                            \
  DeprecatedTypeProperties &type() const;                                                      \
  Tensor toType(ScalarType t) const;                                                           \
  Tensor toBackend(Backend b) const;                                                           \
  Tensor new_empty(IntArrayRef size, TensorOptions options = {}) const;                        \
  Tensor new_empty(IntArrayRef size, optional<ScalarType> dtype, optional<Layout> layout,      \
                   optional<Device> device, optional<bool> pin_memory) const;                  \
  Tensor new_zeros(IntArrayRef size, TensorOptions options = {}) const;                        \
  Tensor new_zeros(IntArrayRef size, optional<ScalarType> dtype, optional<Layout> layout,      \
                   optional<Device> device, optional<bool> pin_memory) const;                  \
  Tensor new_ones(IntArrayRef size, TensorOptions options = {}) const;                         \
  Tensor new_full(IntArrayRef size, const Scalar &fill_value, TensorOptions options = {}) const;
// ---------------------------------------------------------------------------

namespace at {
using c10::ArrayRef;
using c10::Device;
using c10::DeviceType;
using c10::IntArrayRef;
using c10::kCPU;
using c10::kCUDA;
using c10::Layout;
using c10::MemoryFormat;
using c10::nullopt;
using c10::optional;
using c10::Scalar;
using c10::ScalarType;
using c10::TensorOptions;
constexpr ScalarType kFloat = ScalarType::Float;
constexpr ScalarType kDouble = ScalarType::Double;
constexpr ScalarType kLong = ScalarType::Long;
constexpr ScalarType kInt = ScalarType::Int;
constexpr ScalarType kBool = ScalarType::Bool;
constexpr ScalarType kHalf = ScalarType::Half;
constexpr ScalarType kBFloat16 = ScalarType::BFloat16;

// Gradient modes, autocast and the global context.
class Context {
public:
  bool benchmarkCuDNN() const;
  void setBenchmarkCuDNN(bool);
  bool deterministicCuDNN() const;
  void setDeterministicCuDNN(bool);
};
Context &globalContext();
namespace autocast {
bool is_enabled();
void set_enabled(bool enabled);
} // namespace autocast

class Tensor;
namespace indexing {
struct Slice;
struct TensorIndex {
  TensorIndex(Slice);
  TensorIndex(int64_t);
  TensorIndex(int);
  TensorIndex(const Tensor &);
  TensorIndex(c10::nullopt_t);
};
struct Slice {
  Slice();
  Slice(c10::optional<int64_t> start_index, c10::optional<int64_t> stop_index = c10::nullopt,
        c10::optional<int64_t> step_index = c10::nullopt);
};
constexpr c10::nullopt_t None = c10::nullopt;
} // namespace indexing

template <typename T, size_t N> class TensorAccessor {
public:
  TensorAccessor<T, N - 1> operator[](int64_t i);
  int64_t size(int64_t dim) const;
};
template <typename T> class TensorAccessor<T, 1> {
public:
  T &operator[](int64_t i);
  int64_t size(int64_t dim) const;
};

class TensorBase {
public:
  template <typename T, size_t N> TensorAccessor<T, N> accessor() const;
  IntArrayRef sizes() const;
  template <typename T> T item() const;
  template <typename T> T *data_ptr() const;
  int64_t size(int64_t dim) const;
  int64_t dim() const;
  int64_t numel() const;
  bool defined() const;
  bool is_cuda() const;
  bool is_pinned() const;
  Device device() const;
  const TensorBase &fill_(const Scalar &) const;
  TRAINLINT_MOCK_TENSOR_BASE_MOVES
};

class Tensor : public TensorBase {
public:
  Tensor();
  Tensor(const Tensor &);
  Tensor &operator=(const Tensor &) &;
  Tensor &operator=(const Tensor &) &&;
  Tensor &operator=(const Scalar &) &&;
  using TensorBase::item;
  Scalar item() const;
  bool is_nonzero() const;
  bool equal(const Tensor &other) const;
  bool allclose(const Tensor &other, double rtol = 1e-05, double atol = 1e-08) const;
  Tensor operator[](int64_t index) const;
  Tensor operator[](const Tensor &index) const;
  Tensor cpu() const;
  Tensor cuda() const;
  Tensor to(TensorOptions options = {}, bool non_blocking = false, bool copy = false,
            optional<MemoryFormat> memory_format = nullopt) const;
  Tensor to(optional<ScalarType> dtype, optional<Layout> layout, optional<Device> device,
            optional<bool> pin_memory, bool non_blocking, bool copy,
            optional<MemoryFormat> memory_format) const;
  Tensor to(Device device, ScalarType dtype, bool non_blocking = false, bool copy = false,
            optional<MemoryFormat> memory_format = nullopt) const;
  Tensor to(ScalarType dtype, bool non_blocking = false, bool copy = false,
            optional<MemoryFormat> memory_format = nullopt) const;
  Tensor to(const Tensor &other, bool non_blocking = false, bool copy = false,
            optional<MemoryFormat> memory_format = nullopt) const;
  Tensor pin_memory(optional<Device> device = nullopt) const;
  Tensor detach() const;
  Tensor clone() const;
  Tensor contiguous() const;
  Tensor sum() const;
  Tensor mean() const;
  Tensor max() const;
  Tensor argmax(optional<int64_t> dim = nullopt, bool keepdim = false) const;
  Tensor eq(const Tensor &other) const;
  Tensor gt(const Scalar &other) const;
  Tensor lt(const Scalar &other) const;
  Tensor ne(const Scalar &other) const;
  Tensor logical_and(const Tensor &other) const;
  Tensor logical_not() const;
  Tensor isnan() const;
  Tensor isinf() const;
  Tensor view(IntArrayRef size) const;
  Tensor reshape(IntArrayRef shape) const;
  Tensor nonzero() const;
  std::vector<Tensor> nonzero_numpy() const;
  Tensor argwhere() const;
  Tensor masked_select(const Tensor &mask) const;
  Tensor masked_fill(const Tensor &mask, const Scalar &value) const;
  Tensor select(int64_t dim, int64_t index) const;
  Tensor narrow(int64_t dim, int64_t start, int64_t length) const;
  Tensor index_select(int64_t dim, const Tensor &index) const;
  Tensor unsqueeze(int64_t dim) const;
  Tensor squeeze(int64_t dim) const;
  Tensor t() const;
  Tensor transpose(int64_t dim0, int64_t dim1) const;
  Tensor matmul(const Tensor &other) const;
  Tensor triu(int64_t diagonal = 0) const;
  Tensor tril(int64_t diagonal = 0) const;
  Tensor bincount(const Tensor &weights = {}, int64_t minlength = 0) const;
  Tensor &copy_(const Tensor &src, bool non_blocking = false) const;
  Tensor &index_add_(int64_t dim, const Tensor &index, const Tensor &source) const;
  Tensor &uniform_(double from = 0, double to = 1) const;
  Tensor index(ArrayRef<indexing::TensorIndex> indices) const;
  Tensor index(std::initializer_list<indexing::TensorIndex> indices) const;
  Tensor &index_put_(std::initializer_list<indexing::TensorIndex> indices, const Tensor &rhs);
  Tensor &index_put_(std::initializer_list<indexing::TensorIndex> indices, const Scalar &v);
  Tensor &add_(const Tensor &other, const Scalar &alpha = 1) const;
  Tensor &zero_() const;
  Tensor &mul_(const Scalar &other) const;
  void backward(const Tensor &gradient = {}, optional<bool> retain_graph = nullopt,
                bool create_graph = false) const;
  Tensor &grad();
  Tensor &mutable_grad();
  void reset();
  Tensor half() const;
  Tensor bfloat16() const;
  Tensor &requires_grad_(bool requires_grad = true);
  Tensor set_requires_grad(bool requires_grad);
  Tensor operator+(const Tensor &) const;
  Tensor operator-(const Tensor &) const;
  Tensor operator*(const Tensor &) const;
  Tensor operator/(const Tensor &) const;
  Tensor operator*(const Scalar &) const;
  Tensor operator+(const Scalar &) const;
  Tensor operator>(const Scalar &) const;
  Tensor operator<(const Scalar &) const;
  Tensor operator==(const Scalar &) const;
  Tensor operator!=(const Scalar &) const;
  Tensor operator~() const;
  Tensor operator&(const Tensor &) const;
  Tensor operator|(const Tensor &) const;
  Tensor operator>=(const Scalar &) const;
  Tensor operator<=(const Scalar &) const;
  Tensor &operator+=(const Tensor &);
  Tensor &operator+=(const Scalar &);
  // Element-wise arithmetic with a scalar or a tensor, as preprocessing
  // (scaling, normalization) writes it.
  Tensor add(const Tensor &other) const;
  Tensor sub(const Tensor &other) const;
  Tensor sub(const Scalar &other) const;
  Tensor mul(const Scalar &other) const;
  Tensor div(const Tensor &other) const;
  Tensor div(const Scalar &other) const;
  Tensor &sub_(const Tensor &other);
  Tensor &sub_(const Scalar &other);
  Tensor &div_(const Tensor &other);
  Tensor &div_(const Scalar &other);
  Tensor operator-(const Scalar &) const;
  Tensor operator/(const Scalar &) const;
  Tensor &operator-=(const Tensor &);
  Tensor &operator-=(const Scalar &);
  Tensor &operator/=(const Tensor &);
  Tensor &operator/=(const Scalar &);
  Tensor permute(IntArrayRef dims) const;
  TRAINLINT_MOCK_TENSOR_MOVES
};

std::ostream &operator<<(std::ostream &out, const Tensor &t);
void print(const Tensor &t, int64_t linesize = 80);
void print(std::ostream &stream, const Tensor &t, int64_t linesize = 80);

Tensor zeros(IntArrayRef size, TensorOptions options = {});
Tensor ones(IntArrayRef size, TensorOptions options = {});
Tensor empty(IntArrayRef size, TensorOptions options = {},
             optional<MemoryFormat> memory_format = nullopt);
Tensor full(IntArrayRef size, const Scalar &fill_value, TensorOptions options = {});
Tensor rand(IntArrayRef size, TensorOptions options = {});
Tensor randn(IntArrayRef size, TensorOptions options = {});
Tensor randint(int64_t high, IntArrayRef size, TensorOptions options = {});
Tensor arange(const Scalar &end, TensorOptions options = {});
Tensor arange(const Scalar &start, const Scalar &end, TensorOptions options = {});
Tensor eye(int64_t n, TensorOptions options = {});
Tensor linspace(const Scalar &start, const Scalar &end, int64_t steps,
                TensorOptions options = {});
Tensor from_blob(void *data, IntArrayRef sizes, const TensorOptions &options = {});
Tensor nonzero(const Tensor &self);
Tensor masked_select(const Tensor &self, const Tensor &mask);
std::tuple<Tensor, Tensor> _unique(const Tensor &self, bool sorted = true,
                                   bool return_inverse = false);
std::tuple<Tensor, Tensor, Tensor> unique_consecutive(const Tensor &self,
                                                      bool return_inverse = false,
                                                      bool return_counts = false);
std::tuple<Tensor, Tensor, Tensor> unique_dim(const Tensor &self, int64_t dim,
                                              bool sorted = true);
std::vector<Tensor> where(const Tensor &condition);
Tensor where(const Tensor &condition, const Tensor &self, const Tensor &other);
Tensor argwhere(const Tensor &self);
Tensor logical_or(const Tensor &self, const Tensor &other);
bool equal(const Tensor &self, const Tensor &other);
bool allclose(const Tensor &self, const Tensor &other, double rtol = 1e-05,
              double atol = 1e-08);
Tensor _local_scalar_dense(const Tensor &self);
Tensor nll_loss(const Tensor &self, const Tensor &target);
Tensor mse_loss(const Tensor &self, const Tensor &target);
Tensor cross_entropy_loss(const Tensor &self, const Tensor &target);
Tensor relu(const Tensor &self);
Tensor log_softmax(const Tensor &self, int64_t dim);
Tensor cat(ArrayRef<Tensor> tensors, int64_t dim = 0);
Tensor stack(ArrayRef<Tensor> tensors, int64_t dim = 0);
Tensor concat(ArrayRef<Tensor> tensors, int64_t dim = 0);
Tensor matmul(const Tensor &self, const Tensor &other);
Tensor triu(const Tensor &self, int64_t diagonal = 0);
namespace cuda {
using c10::cuda::CUDAStream;
using c10::cuda::device_synchronize;
c10::cuda::CUDAStream getCurrentCUDAStream(int8_t device_index = -1);
struct CUDAEvent {
  CUDAEvent();
  explicit CUDAEvent(unsigned int flags);
  void record();
  void record(const CUDAStream &stream);
  void block(const CUDAStream &stream);
  bool query() const;
  float elapsed_time(const CUDAEvent &other) const;
  void synchronize() const;
};
} // namespace cuda
} // namespace at

namespace torch {
using at::Device;
using at::DeviceType;
using at::kBool;
using at::kCPU;
using at::kCUDA;
using at::kDouble;
using at::kFloat;
using at::kHalf;
using at::kInt;
using at::kLong;
using at::Scalar;
using at::ScalarType;
using at::Tensor;
using at::TensorOptions;
using c10::kMPS;
using at::allclose;
using at::argwhere;
using at::logical_or;
using at::cat;
using at::equal;
using at::log_softmax;
using at::masked_select;
using at::mse_loss;
using at::nll_loss;
using at::nonzero;
using at::print;
using at::relu;
using at::stack;
using at::concat;
using at::matmul;
using at::triu;
using at::unique_consecutive;
using at::unique_dim;
using at::where;
using at::cross_entropy_loss;
using at::_unique;
using at::operator<<;

// torch:: factories are the autograd-aware ones, with a TensorOptions last.
Tensor zeros(at::IntArrayRef size, const TensorOptions &options = {});
Tensor ones(at::IntArrayRef size, const TensorOptions &options = {});
Tensor empty(at::IntArrayRef size, const TensorOptions &options = {},
             at::optional<at::MemoryFormat> memory_format = at::nullopt);
Tensor full(at::IntArrayRef size, const Scalar &fill_value, const TensorOptions &options = {});
Tensor rand(at::IntArrayRef size, const TensorOptions &options = {});
Tensor randn(at::IntArrayRef size, const TensorOptions &options = {});
Tensor randint(int64_t high, at::IntArrayRef size, const TensorOptions &options = {});
Tensor arange(const Scalar &end, const TensorOptions &options = {});
Tensor arange(const Scalar &start, const Scalar &end, const TensorOptions &options = {});
Tensor eye(int64_t n, const TensorOptions &options = {});
Tensor linspace(const Scalar &start, const Scalar &end, int64_t steps,
                const TensorOptions &options = {});
Tensor tensor(at::ArrayRef<float> values, const TensorOptions &options = {});
Tensor tensor(at::ArrayRef<double> values, const TensorOptions &options = {});
Tensor tensor(at::ArrayRef<int64_t> values, const TensorOptions &options = {});
Tensor from_blob(void *data, at::IntArrayRef sizes, const TensorOptions &options = {});

inline TensorOptions dtype(ScalarType t) { return TensorOptions(t); }
inline TensorOptions device(Device d) { return TensorOptions(d); }
TensorOptions requires_grad(bool requires_grad = true);

namespace indexing = at::indexing;

using c10::AutoGradMode;
using c10::InferenceMode;
using c10::NoGradGuard;

namespace autograd {
struct AnomalyMode {
  static bool is_enabled();
  static void set_enabled(bool enabled, bool check_nan = true);
};
class DetectAnomalyGuard {
public:
  DetectAnomalyGuard(bool check_nan = true);
  ~DetectAnomalyGuard();
};
namespace profiler {
struct RecordProfile {
  RecordProfile(const std::string &filename);
  ~RecordProfile();
};
} // namespace profiler
void backward(const std::vector<Tensor> &tensors, const std::vector<Tensor> &grad_tensors = {},
              at::optional<bool> retain_graph = at::nullopt, bool create_graph = false);
std::vector<Tensor> grad(const std::vector<Tensor> &outputs, const std::vector<Tensor> &inputs);
} // namespace autograd

namespace cuda {
bool is_available();
int64_t device_count();
void synchronize(int64_t device_index = -1);
} // namespace cuda

namespace nn {
template <typename Contained> class ModuleHolder;
class Module {
public:
  virtual ~Module();
  std::vector<Tensor> parameters(bool recurse = true) const;
  void train(bool on = true);
  void eval();
  bool is_training() const;
  void to(Device device, bool non_blocking = false);
  void to(ScalarType dtype, bool non_blocking = false);
  void to(Device device, ScalarType dtype, bool non_blocking = false);
  void zero_grad(bool set_to_none = true);
  template <typename ModuleType>
  std::shared_ptr<ModuleType> register_module(std::string name, std::shared_ptr<ModuleType> module);
  template <typename ModuleType>
  std::shared_ptr<ModuleType> register_module(std::string name, ModuleHolder<ModuleType> module_holder);
  Tensor &register_parameter(std::string name, Tensor tensor, bool requires_grad = true);
  Tensor &register_buffer(std::string name, Tensor tensor);
};
template <typename Contained> class ModuleHolder {
public:
  ModuleHolder();
  ModuleHolder(std::nullptr_t);
  ModuleHolder(std::shared_ptr<Contained> module);
  template <typename... Args> explicit ModuleHolder(Args &&...args);
  explicit operator bool() const noexcept;
  Contained *operator->();
  const Contained *operator->() const;
  template <typename... Args> Tensor operator()(Args &&...args);
  Contained *get();
};
class LinearImpl : public Module {
public:
  LinearImpl(int64_t in, int64_t out);
  Tensor forward(const Tensor &input);
};
class Linear : public ModuleHolder<LinearImpl> {
public:
  using ModuleHolder<LinearImpl>::ModuleHolder;
};
struct Conv2dOptions {
  Conv2dOptions(int64_t in, int64_t out, int64_t kernel);
  Conv2dOptions &stride(int64_t);
  Conv2dOptions &padding(int64_t);
  Conv2dOptions &bias(bool);
};
class Conv2dImpl : public Module {
public:
  Conv2dImpl(int64_t in, int64_t out, int64_t kernel);
  explicit Conv2dImpl(Conv2dOptions options);
  Tensor forward(const Tensor &input);
};
class Conv2d : public ModuleHolder<Conv2dImpl> {
public:
  using ModuleHolder<Conv2dImpl>::ModuleHolder;
};
struct BatchNorm2dOptions {
  BatchNorm2dOptions(int64_t num_features);
  BatchNorm2dOptions &momentum(double);
};
class BatchNorm2dImpl : public Module {
public:
  explicit BatchNorm2dImpl(int64_t num_features);
  explicit BatchNorm2dImpl(BatchNorm2dOptions options);
  Tensor forward(const Tensor &input);
};
class BatchNorm2d : public ModuleHolder<BatchNorm2dImpl> {
public:
  using ModuleHolder<BatchNorm2dImpl>::ModuleHolder;
};
class ReLUImpl : public Module {
public:
  ReLUImpl();
  Tensor forward(Tensor input);
};
class ReLU : public ModuleHolder<ReLUImpl> {
public:
  using ModuleHolder<ReLUImpl>::ModuleHolder;
};
struct LSTMOptions {
  LSTMOptions(int64_t input_size, int64_t hidden_size);
  LSTMOptions &num_layers(int64_t);
  LSTMOptions &batch_first(bool);
};
class LSTMImpl : public Module {
public:
  LSTMImpl(int64_t input_size, int64_t hidden_size);
  explicit LSTMImpl(LSTMOptions options);
  std::tuple<Tensor, std::tuple<Tensor, Tensor>> forward(const Tensor &input);
};
class LSTM : public ModuleHolder<LSTMImpl> {
public:
  using ModuleHolder<LSTMImpl>::ModuleHolder;
};
class GRUImpl : public Module {
public:
  GRUImpl(int64_t input_size, int64_t hidden_size);
  std::tuple<Tensor, Tensor> forward(const Tensor &input);
};
class GRU : public ModuleHolder<GRUImpl> {
public:
  using ModuleHolder<GRUImpl>::ModuleHolder;
};
class TransformerEncoderLayerImpl : public Module {
public:
  TransformerEncoderLayerImpl(int64_t d_model, int64_t nhead);
  Tensor forward(const Tensor &src);
};
class TransformerEncoderLayer : public ModuleHolder<TransformerEncoderLayerImpl> {
public:
  using ModuleHolder<TransformerEncoderLayerImpl>::ModuleHolder;
};
class SequentialImpl : public Module {
public:
  SequentialImpl();
  template <typename... Modules> explicit SequentialImpl(Modules &&...modules);
  template <typename ModuleType> void push_back(ModuleType module);
  Tensor forward(const Tensor &input);
};
class Sequential : public ModuleHolder<SequentialImpl> {
public:
  using ModuleHolder<SequentialImpl>::ModuleHolder;
};
class DropoutImpl : public Module {
public:
  explicit DropoutImpl(double p = 0.5);
  Tensor forward(Tensor input);
};
class Dropout : public ModuleHolder<DropoutImpl> {
public:
  using ModuleHolder<DropoutImpl>::ModuleHolder;
};
namespace functional {
Tensor relu(const Tensor &input);
Tensor dropout(const Tensor &input);
struct InterpolateFuncOptions {
  InterpolateFuncOptions &size(const std::vector<int64_t> &);
  InterpolateFuncOptions &align_corners(bool);
};
Tensor interpolate(const Tensor &input, const InterpolateFuncOptions &options = {});
} // namespace functional
namespace utils {
double clip_grad_norm_(const std::vector<Tensor> &parameters, double max_norm,
                       double norm_type = 2.0);
void clip_grad_value_(const std::vector<Tensor> &parameters, double clip_value);
} // namespace utils
// More convolutions and normalizations, for torch-optim-conv-bias-before-batchnorm
// and torch-optim-cudnn-benchmark.
struct Conv1dOptions {
  Conv1dOptions(int64_t in, int64_t out, int64_t kernel);
  Conv1dOptions &stride(int64_t);
  Conv1dOptions &bias(bool);
};
class Conv1dImpl : public Module {
public:
  Conv1dImpl(int64_t in, int64_t out, int64_t kernel);
  explicit Conv1dImpl(Conv1dOptions options);
  Tensor forward(const Tensor &input);
};
class Conv1d : public ModuleHolder<Conv1dImpl> {
public:
  using ModuleHolder<Conv1dImpl>::ModuleHolder;
};
struct ConvTranspose2dOptions {
  ConvTranspose2dOptions(int64_t in, int64_t out, int64_t kernel);
  ConvTranspose2dOptions &stride(int64_t);
  ConvTranspose2dOptions &padding(int64_t);
  ConvTranspose2dOptions &bias(bool);
};
class ConvTranspose2dImpl : public Module {
public:
  ConvTranspose2dImpl(int64_t in, int64_t out, int64_t kernel);
  explicit ConvTranspose2dImpl(ConvTranspose2dOptions options);
  Tensor forward(const Tensor &input);
};
class ConvTranspose2d : public ModuleHolder<ConvTranspose2dImpl> {
public:
  using ModuleHolder<ConvTranspose2dImpl>::ModuleHolder;
};
class BatchNorm1dImpl : public Module {
public:
  explicit BatchNorm1dImpl(int64_t num_features);
  Tensor forward(const Tensor &input);
};
class BatchNorm1d : public ModuleHolder<BatchNorm1dImpl> {
public:
  using ModuleHolder<BatchNorm1dImpl>::ModuleHolder;
};
} // namespace nn

namespace optim {
class OptimizerOptions {
public:
  virtual double get_lr() const;
  virtual void set_lr(const double lr);
};
class OptimizerParamGroup {
public:
  OptimizerParamGroup(std::vector<Tensor> params);
  OptimizerOptions &options();
  std::vector<Tensor> &params();
};
class Optimizer {
public:
  virtual ~Optimizer();
  virtual Tensor step();
  void zero_grad(bool set_to_none = true);
  void add_param_group(const OptimizerParamGroup &param_group);
  std::vector<OptimizerParamGroup> &param_groups() noexcept;
};
template <typename Derived> class OptimizerCloneableOptions : public OptimizerOptions {};
struct SGDOptions : public OptimizerCloneableOptions<SGDOptions> {
  SGDOptions(double lr);
  SGDOptions &lr(const double &new_lr);
  const double &lr() const;
  SGDOptions &momentum(const double &new_momentum);
  const double &momentum() const;
  SGDOptions &nesterov(const bool &new_nesterov);
  SGDOptions &weight_decay(const double &new_weight_decay);
};
class SGD : public Optimizer {
public:
  SGD(const std::vector<Tensor> &params, SGDOptions defaults);
  Tensor step() override;
};
struct AdamOptions : public OptimizerCloneableOptions<AdamOptions> {
  AdamOptions(double lr = 1e-3);
  AdamOptions &lr(const double &new_lr);
  const double &lr() const;
  AdamOptions &weight_decay(const double &new_weight_decay);
};
class Adam : public Optimizer {
public:
  Adam(const std::vector<Tensor> &params, AdamOptions defaults);
  Tensor step() override;
};
class LRScheduler {
public:
  LRScheduler(Optimizer &optimizer);
  void step();
};
class StepLR : public LRScheduler {
public:
  StepLR(Optimizer &optimizer, unsigned step_size, double gamma = 0.1);
};
class ReduceLROnPlateauScheduler {
public:
  ReduceLROnPlateauScheduler(Optimizer &optimizer);
  void step(float metric);
};
} // namespace optim

using c10::optional;
namespace data {
template <typename Data = Tensor, typename Target = Tensor> struct Example {
  Example();
  Example(Data data, Target target);
  Data data;
  Target target;
};
struct NoTarget {};
template <typename Data> struct Example<Data, NoTarget> {
  Example();
  Example(Data data);
  Data data;
};
using TensorExample = Example<Tensor, NoTarget>;
namespace samplers {
class SequentialSampler {
public:
  explicit SequentialSampler(size_t size);
};
class RandomSampler {
public:
  explicit RandomSampler(int64_t size);
};
} // namespace samplers
// As libtorch's: the batch size defaults to 1 and the workers to 0.
struct DataLoaderOptions {
  DataLoaderOptions();
  DataLoaderOptions(size_t batch_size);
  DataLoaderOptions &batch_size(const size_t &);
  const size_t &batch_size() const noexcept;
  DataLoaderOptions &workers(const size_t &);
  const size_t &workers() const noexcept;
  DataLoaderOptions &max_jobs(const c10::optional<size_t> &);
  DataLoaderOptions &enforce_ordering(const bool &);
  DataLoaderOptions &drop_last(const bool &);
};
template <typename Batch> class Iterator {
public:
  Batch &operator*();
  Batch *operator->();
  Iterator &operator++();
  bool operator==(const Iterator &) const;
  bool operator!=(const Iterator &) const;
};
template <typename Dataset, typename Batch, typename BatchRequest>
class DataLoaderBase {
public:
  using BatchType = Batch;
  virtual ~DataLoaderBase();
  Iterator<Batch> begin();
  Iterator<Batch> end();
  c10::optional<BatchType> next();
  void join();
  const DataLoaderOptions &options() const noexcept;
};
template <typename Dataset, typename Sampler = samplers::RandomSampler>
class StatelessDataLoader
    : public DataLoaderBase<Dataset, typename Dataset::BatchType,
                            std::vector<size_t>> {
public:
  StatelessDataLoader(Dataset dataset, Sampler sampler,
                      DataLoaderOptions options);
};
template <typename Dataset, typename Sampler>
std::unique_ptr<StatelessDataLoader<Dataset, Sampler>>
make_data_loader(Dataset dataset, Sampler sampler, DataLoaderOptions options);
template <typename Sampler = samplers::RandomSampler, typename Dataset>
std::unique_ptr<StatelessDataLoader<Dataset, Sampler>>
make_data_loader(Dataset dataset, DataLoaderOptions options = DataLoaderOptions());
namespace transforms {
template <typename Input, typename Output = Input> class BatchTransform {
public:
  using InputBatchType = Input;
  using OutputBatchType = Output;
  virtual ~BatchTransform();
  virtual Output apply_batch(Input input_batch) = 0;
};
template <typename T = Example<>> struct Collation
    : public BatchTransform<std::vector<T>, T> {};
template <typename T = Example<>> struct Stack : public Collation<T> {
  T apply_batch(std::vector<T> examples) override;
};
template <typename Target = Tensor>
class TensorTransform
    : public BatchTransform<std::vector<Example<Tensor, Target>>,
                            std::vector<Example<Tensor, Target>>> {
public:
  std::vector<Example<Tensor, Target>>
  apply_batch(std::vector<Example<Tensor, Target>> input_batch) override;
  virtual Tensor operator()(Tensor input) = 0;
};
template <typename Target = Tensor>
struct Normalize : public TensorTransform<Target> {
  Normalize(c10::ArrayRef<double> mean, c10::ArrayRef<double> stddev);
  Tensor operator()(Tensor input) override;
};
template <typename Target = Tensor>
class TensorLambda : public TensorTransform<Target> {
public:
  template <typename F> explicit TensorLambda(F function);
  Tensor operator()(Tensor input) override;
};
} // namespace transforms
namespace datasets {
template <typename Self, typename Batch = std::vector<Example<>>,
          typename BatchRequest = c10::ArrayRef<size_t>>
class BatchDataset;
template <typename Source, typename AppliedTransform> class MapDataset;
template <typename Self, typename Batch, typename BatchRequest>
class BatchDataset {
public:
  using SelfType = Self;
  using BatchType = Batch;
  using BatchRequestType = BatchRequest;
  static constexpr bool is_stateful = false;
  virtual ~BatchDataset();
  virtual Batch get_batch(BatchRequest request) = 0;
  virtual c10::optional<size_t> size() const = 0;
  template <typename TransformType>
  MapDataset<Self, TransformType> map(TransformType transform) &;
  template <typename TransformType>
  MapDataset<Self, TransformType> map(TransformType transform) &&;
};
template <typename Self, typename SingleExample = Example<>>
class Dataset : public BatchDataset<Self, std::vector<SingleExample>> {
public:
  using ExampleType = SingleExample;
  virtual ExampleType get(size_t index) = 0;
  std::vector<ExampleType> get_batch(c10::ArrayRef<size_t> indices) override;
};
template <typename Source, typename AppliedTransform>
class MapDataset
    : public BatchDataset<MapDataset<Source, AppliedTransform>,
                          typename AppliedTransform::OutputBatchType,
                          typename Source::BatchRequestType> {
public:
  using DatasetType = Source;
  using TransformType = AppliedTransform;
  MapDataset(Source dataset, AppliedTransform transform);
  typename AppliedTransform::OutputBatchType
  get_batch(typename Source::BatchRequestType indices) override;
  c10::optional<size_t> size() const noexcept override;
  template <typename TransformType>
  MapDataset<MapDataset, TransformType> map(TransformType transform) &&;
};
struct TensorDataset : public Dataset<TensorDataset, TensorExample> {
  explicit TensorDataset(const std::vector<Tensor> &tensors);
  explicit TensorDataset(Tensor tensor);
  TensorExample get(size_t index) override;
  c10::optional<size_t> size() const override;
  Tensor tensor;
};
class MNIST : public Dataset<MNIST> {
public:
  enum class Mode { kTrain, kTest };
  explicit MNIST(const std::string &root, Mode mode = Mode::kTrain);
  Example<> get(size_t index) override;
  c10::optional<size_t> size() const override;
  const Tensor &images() const;
  const Tensor &targets() const;
};
} // namespace datasets
} // namespace data

template <typename T> void load(T &value, const std::string &path);
template <typename T> void load(T &value, std::istream &stream);
class IValue {};
IValue pickle_load(const std::vector<char> &data);

template <typename T> void save(const T &value, const std::string &path);
void manual_seed(uint64_t seed);
} // namespace torch
