//===--- Output.cpp - files written whole or not at all
//--------------------===//

#include "Output.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace trainlint {

namespace fs = llvm::sys::fs;

static llvm::Error fileError(llvm::StringRef Path, std::error_code EC) {
  return llvm::createStringError(EC, "%s: %s", Path.str().c_str(),
                                 EC.message().c_str());
}

void removeTemporary(llvm::StringRef Path) {
  std::error_code EC =
      fs::is_directory(Path) ? fs::remove_directories(Path) : fs::remove(Path);
  (void)EC;
}

llvm::Error
writeFileAtomically(llvm::StringRef Path,
                    llvm::function_ref<void(llvm::raw_ostream &)> Write) {
  if (Path == "-") {
    Write(llvm::outs());
    llvm::outs().flush();
    return llvm::Error::success();
  }
  unsigned Mode = fs::all_read | fs::owner_write | fs::group_write;
  fs::file_status Status;
  if (!fs::status(Path, Status) && fs::exists(Status))
    Mode = Status.permissions();
  llvm::SmallString<256> Model(Path);
  Model += ".tmp-%%%%%%";
  int FD;
  llvm::SmallString<256> TempPath;
  if (std::error_code EC =
          fs::createUniqueFile(Model, FD, TempPath, fs::OF_None, Mode))
    return fileError(Path, EC);
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    Write(OS);
    OS.close();
    if (OS.has_error()) {
      std::error_code EC = OS.error();
      OS.clear_error();
      removeTemporary(TempPath);
      return fileError(Path, EC);
    }
  }
  if (std::error_code EC = fs::rename(TempPath, Path)) {
    removeTemporary(TempPath);
    return fileError(Path, EC);
  }
  return llvm::Error::success();
}

} // namespace trainlint
