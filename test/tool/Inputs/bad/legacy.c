/* A C file in the compile database: trainlint analyzes C++ and CUDA only. */
int legacy(void) { return 0; }
