// A stand-in for the shared libcudart with only the allocator calls that the
// runtime interposes, on host memory: `loops` links it so that the tests see
// the interposition on a machine without CUDA. Return values are CUDA's:
// 0 is cudaSuccess, 2 cudaErrorMemoryAllocation.

#include <cstddef>
#include <cstdlib>

extern "C" {

int cudaMalloc(void **Ptr, size_t Size) {
  *Ptr = std::malloc(Size);
  return *Ptr ? 0 : 2;
}

int cudaFree(void *Ptr) {
  std::free(Ptr);
  return 0;
}

int cudaMallocHost(void **Ptr, size_t Size) { return cudaMalloc(Ptr, Size); }

int cudaFreeHost(void *Ptr) { return cudaFree(Ptr); }

int cudaHostAlloc(void **Ptr, size_t Size, unsigned int) {
  return cudaMalloc(Ptr, Size);
}

} // extern "C"
