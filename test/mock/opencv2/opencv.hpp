// A stand-in for OpenCV's umbrella header with the names the checks look at:
// image decoding and resizing. The real functions take InputArray and
// OutputArray proxies; a Mat converts to both.
#ifndef TRAINLINT_TEST_MOCK_OPENCV2_OPENCV_HPP
#define TRAINLINT_TEST_MOCK_OPENCV2_OPENCV_HPP

#include <string>
#include <vector>

namespace cv {
class Mat {
public:
  Mat();
  int rows = 0, cols = 0;
  unsigned char *data = nullptr;
  bool empty() const;
  Mat clone() const;
  void convertTo(Mat &m, int rtype, double alpha = 1, double beta = 0) const;
};
struct Size {
  Size(int width, int height);
};
class _InputArray {
public:
  _InputArray(const Mat &m);
  _InputArray(const std::vector<unsigned char> &v);
};
class _OutputArray {
public:
  _OutputArray(Mat &m);
};
using InputArray = const _InputArray &;
using OutputArray = const _OutputArray &;
enum ImreadModes { IMREAD_UNCHANGED = -1, IMREAD_GRAYSCALE = 0, IMREAD_COLOR = 1 };
enum InterpolationFlags { INTER_NEAREST = 0, INTER_LINEAR = 1 };
enum ColorConversionCodes { COLOR_BGR2RGB = 4 };
constexpr int CV_32FC3 = 21;
Mat imread(const std::string &filename, int flags = IMREAD_COLOR);
Mat imdecode(InputArray buf, int flags);
void resize(InputArray src, OutputArray dst, Size dsize, double fx = 0,
            double fy = 0, int interpolation = INTER_LINEAR);
void cvtColor(InputArray src, OutputArray dst, int code, int dstCn = 0);
} // namespace cv

#endif // TRAINLINT_TEST_MOCK_OPENCV2_OPENCV_HPP
