// A stand-in for stb_image's decoding functions (declarations only, as the
// header is without STB_IMAGE_IMPLEMENTATION).
#ifndef TRAINLINT_TEST_MOCK_STB_IMAGE_H
#define TRAINLINT_TEST_MOCK_STB_IMAGE_H

#include <cstdio>

typedef unsigned char stbi_uc;
extern "C" {
stbi_uc *stbi_load(char const *filename, int *x, int *y, int *channels_in_file,
                   int desired_channels);
stbi_uc *stbi_load_from_memory(stbi_uc const *buffer, int len, int *x, int *y,
                               int *channels_in_file, int desired_channels);
stbi_uc *stbi_load_from_file(FILE *f, int *x, int *y, int *channels_in_file,
                             int desired_channels);
float *stbi_loadf(char const *filename, int *x, int *y, int *channels_in_file,
                  int desired_channels);
void stbi_image_free(void *retval_from_stbi_load);
}

#endif // TRAINLINT_TEST_MOCK_STB_IMAGE_H
