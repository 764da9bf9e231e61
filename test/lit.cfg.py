# lit configuration for trainlint's check tests, real-header suite and tool
# tests. Paths come from lit.site.cfg.py, which CMake writes into the build.
import os
import shutil

import lit.formats

config.name = "trainlint"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".cpp", ".cu", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.trainlint_build_dir, "test")
config.excludes = ["mock", "unit", "Inputs", "CMakeLists.txt", "lit.cfg.py",
                   "lit.site.cfg.py.in", "check_trainlint.py"]

mock = os.path.join(config.test_source_root, "mock")
# When the trainlint executable is built, every check test also runs through
# it: the same CHECK-MESSAGES against its text output, the same CHECK-FIXES
# against its --fix.
trainlint = getattr(config, "trainlint", "")
trainlint_route = f" --trainlint={trainlint}" if trainlint else ""
base_flags = f"-I{mock}/torch -I{mock} -I{mock}/cuda"
check = (f"python3 {config.test_source_root}/check_trainlint.py "
         f"--clang-tidy={config.clang_tidy} --plugin={config.plugin} "
         f"--filecheck={config.filecheck} --base-flags='{base_flags}'"
         f"{trainlint_route}")
real_check = (f"python3 {config.test_source_root}/check_trainlint.py "
              f"--clang-tidy={config.clang_tidy} --plugin={config.plugin} "
              f"--filecheck={config.filecheck} --base-flags='{config.torch_flags}'"
              f"{trainlint_route}")

config.substitutions.append(("%check_trainlint_real", real_check))
config.substitutions.append(("%check_trainlint", check))
config.substitutions.append(("%clang_tidy", config.clang_tidy))
config.substitutions.append(("%clangxx", config.clangxx))
# The install and package tests: cmake of this build, and the LLVM major
# version the package's dependencies name.
config.substitutions.append(("%cmake", config.cmake))
config.substitutions.append(("%llvm_major", config.llvm_major))
config.substitutions.append(("%plugin", config.plugin))
config.substitutions.append(("%FileCheck", config.filecheck))
config.substitutions.append(("%mock", mock))
config.substitutions.append(("%torch_flags", config.torch_flags))
config.substitutions.append(("%torch_link", config.torch_link))
config.substitutions.append(("%source_root", config.trainlint_source_dir))
config.substitutions.append(("%build_root", config.trainlint_build_dir))

# The runtime validator: its preloaded library, the programs its tests run
# (test/runtime/Inputs, built by CMake) and the built examples.
if getattr(config, "runtime_lib", ""):
    config.available_features.add("trainlint-runtime")
    config.substitutions.append(("%runtime_lib", config.runtime_lib))
    config.substitutions.append(("%runtime_inputs", config.runtime_inputs))
if getattr(config, "examples_dir", ""):
    config.substitutions.append(("%examples", config.examples_dir))

if trainlint:
    config.available_features.add("trainlint")
    config.substitutions.append(("%trainlint", trainlint))

# Microsoft's SARIF validator, installed by scripts/setup.sh (or named by
# TRAINLINT_SARIF_MULTITOOL).
sarif_multitool = os.environ.get("TRAINLINT_SARIF_MULTITOOL") or os.path.join(
    config.trainlint_source_dir, ".tools", "sarif-multitool", "node_modules",
    "@microsoft", "sarif-multitool-linux", "Sarif.Multitool")
if os.access(sarif_multitool, os.X_OK):
    config.available_features.add("sarif-multitool")
    config.substitutions.append(("%sarif_multitool", sarif_multitool))

if config.torch_flags:
    config.available_features.add("libtorch")
if os.path.exists(os.path.join(config.cuda_include, "cuda_runtime_api.h")):
    config.available_features.add("cuda-headers")
    config.substitutions.append(("%cuda_include", config.cuda_include))
# The genuine fmt and spdlog headers (libfmt-dev, libspdlog-dev), for the
# real-header tests of formatted tensors.
for feature, header in (("fmt-headers", "fmt/ostream.h"),
                        ("spdlog-headers", "spdlog/spdlog.h")):
    if any(os.path.exists(os.path.join(d, header))
           for d in ("/usr/include", "/usr/local/include")):
        config.available_features.add(feature)
if shutil.which("clang-tidy-14"):
    config.available_features.add("clang-tidy-14")

# LLVM's test utilities (not, count, FileCheck) come first on the PATH.
config.environment["PATH"] = os.path.dirname(config.filecheck) + os.pathsep + \
    config.environment.get("PATH", os.environ.get("PATH", ""))

# Tests run with a clean, predictable environment: no colour, C locale.
config.environment["LC_ALL"] = "C"
config.environment["TERM"] = "dumb"
