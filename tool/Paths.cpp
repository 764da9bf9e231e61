//===--- Paths.cpp - file paths as the tool reports them
//-------------------===//

#include "Paths.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace trainlint {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

std::string absolutePath(llvm::StringRef Path, llvm::StringRef Base) {
  llvm::SmallString<256> Result(Path);
  if (path::is_relative(Result)) {
    llvm::SmallString<256> Dir(Base);
    if (Dir.empty() && fs::current_path(Dir))
      Dir = ".";
    path::append(Dir, Result);
    Result = Dir;
  }
  path::remove_dots(Result, /*remove_dot_dot=*/true);
  path::native(Result);
  return std::string(Result);
}

std::string detectProjectRoot() {
  llvm::SmallString<256> Current;
  if (fs::current_path(Current))
    return ".";
  for (llvm::StringRef Dir = Current; !Dir.empty();
       Dir = path::parent_path(Dir)) {
    llvm::SmallString<256> Git(Dir);
    path::append(Git, ".git");
    if (fs::exists(Git))
      return std::string(Dir);
  }
  return std::string(Current);
}

static bool underRoot(llvm::StringRef Path, llvm::StringRef Root,
                      std::string &Relative) {
  llvm::StringRef Trimmed = Root.rtrim('/');
  if (!Path.starts_with(Trimmed))
    return false;
  llvm::StringRef Rest = Path.drop_front(Trimmed.size());
  if (!Rest.starts_with("/") || Rest.size() < 2)
    return false;
  Relative = Rest.drop_front().str();
  return true;
}

std::string relativeToRoot(llvm::StringRef Path, llvm::StringRef Root) {
  std::string Relative;
  if (underRoot(Path, Root, Relative))
    return Relative;
  llvm::SmallString<256> RealPath, RealRoot;
  if (!fs::real_path(Path, RealPath) && !fs::real_path(Root, RealRoot) &&
      underRoot(RealPath, RealRoot, Relative))
    return Relative;
  return Path.str();
}

static bool isUnreserved(char C) {
  return llvm::isAlnum(C) || C == '-' || C == '.' || C == '_' || C == '~' ||
         C == '/';
}

std::string uriEncodePath(llvm::StringRef Path) {
  std::string Result;
  for (char C : Path) {
    if (isUnreserved(C)) {
      Result += C;
      continue;
    }
    Result += '%';
    Result += llvm::hexdigit((static_cast<unsigned char>(C) >> 4) & 0xF);
    Result += llvm::hexdigit(static_cast<unsigned char>(C) & 0xF);
  }
  return Result;
}

std::string uriDecode(llvm::StringRef Text) {
  std::string Result;
  for (size_t I = 0; I < Text.size(); ++I) {
    if (Text[I] == '%' && I + 2 < Text.size() &&
        llvm::isHexDigit(Text[I + 1]) && llvm::isHexDigit(Text[I + 2])) {
      Result +=
          static_cast<char>(llvm::hexFromNibbles(Text[I + 1], Text[I + 2]));
      I += 2;
      continue;
    }
    Result += Text[I];
  }
  return Result;
}

std::string fileUri(llvm::StringRef AbsolutePath) {
  return "file://" + uriEncodePath(AbsolutePath);
}

std::string pathFromFileUri(llvm::StringRef Uri) {
  if (!Uri.consume_front("file://"))
    return "";
  // `file:///path` and `file://localhost/path` both name /path.
  Uri.consume_front("localhost");
  return uriDecode(Uri);
}

} // namespace trainlint
