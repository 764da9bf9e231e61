//===--- Fixes.cpp - applying fix-its, or showing them as a diff
//-----------===//

#include "Fixes.h"
#include "Output.h"
#include "Paths.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/Path.h"
#include <algorithm>

namespace trainlint {

using clang::tooling::Replacement;
using clang::tooling::Replacements;

namespace {

bool overlaps(const Replacement &A, const Replacement &B) {
  unsigned AEnd = A.getOffset() + A.getLength();
  unsigned BEnd = B.getOffset() + B.getLength();
  // Two insertions at one offset conflict too: their order would matter.
  if (A.getOffset() == B.getOffset())
    return true;
  return A.getOffset() < BEnd && B.getOffset() < AEnd;
}

bool sameEdit(const Replacement &A, const Replacement &B) {
  return A.getOffset() == B.getOffset() && A.getLength() == B.getLength() &&
         A.getReplacementText() == B.getReplacementText();
}

/// Whether every edit of \p Edits can join \p Taken: each is either already
/// there (the same finding seen from two translation units) or overlaps
/// nothing.
bool compatible(const std::map<std::string, Replacements> &Taken,
                llvm::ArrayRef<Replacement> Edits) {
  for (const Replacement &Edit : Edits) {
    auto It = Taken.find(Edit.getFilePath().str());
    if (It == Taken.end())
      continue;
    for (const Replacement &Existing : It->second)
      if (overlaps(Edit, Existing) && !sameEdit(Edit, Existing))
        return false;
  }
  return true;
}

// --- Unified diff ----------------------------------------------------------

constexpr unsigned ContextLines = 3;

/// Lines with their line breaks.
std::vector<llvm::StringRef> splitLines(llvm::StringRef Text) {
  std::vector<llvm::StringRef> Lines;
  while (!Text.empty()) {
    size_t End = Text.find('\n');
    End = End == llvm::StringRef::npos ? Text.size() : End + 1;
    Lines.push_back(Text.take_front(End));
    Text = Text.drop_front(End);
  }
  return Lines;
}

/// Consecutive lines [First, Last] that edits change, and their new text.
struct Block {
  unsigned First, Last;
  std::string NewText;
};

class DiffBuilder {
public:
  DiffBuilder(llvm::StringRef Code, const Replacements &Replaces)
      : Code(Code), Lines(splitLines(Code)) {
    size_t Offset = 0;
    for (llvm::StringRef Line : Lines) {
      Starts.push_back(Offset);
      Offset += Line.size();
    }
    Starts.push_back(Offset);
    // FIXME: an empty file has no line to anchor a diff to.
    if (!Lines.empty())
      buildBlocks(Replaces);
  }

  std::string hunks() {
    std::string Out;
    int Delta = 0;
    for (size_t I = 0; I < Blocks.size();) {
      size_t J = I + 1;
      while (J < Blocks.size() &&
             Blocks[J].First <= Blocks[J - 1].Last + 2 * ContextLines + 1)
        ++J;
      Out += hunk(I, J, Delta);
      I = J;
    }
    return Out;
  }

private:
  unsigned lineOf(unsigned Offset) const {
    auto It = std::upper_bound(Starts.begin(), Starts.end() - 1, Offset);
    return It - Starts.begin() - 1;
  }

  size_t endOf(unsigned Line) const {
    return Line + 1 < Starts.size() ? Starts[Line + 1] : Code.size();
  }

  void buildBlocks(const Replacements &Replaces) {
    std::vector<Replacement> Edits(Replaces.begin(), Replaces.end());
    for (size_t I = 0; I < Edits.size();) {
      unsigned First = lineOf(Edits[I].getOffset());
      unsigned Last = First;
      size_t J = I;
      std::string NewText;
      // Grow the block while the next edit starts on it, or while its new
      // text does not end a line (it then runs into the next line).
      while (true) {
        for (; J < Edits.size() && lineOf(Edits[J].getOffset()) <= Last; ++J) {
          unsigned End = Edits[J].getOffset() + Edits[J].getLength();
          if (Edits[J].getLength())
            Last = std::max(Last, lineOf(End - 1));
        }
        NewText = apply(First, Last, llvm::ArrayRef(Edits).slice(I, J - I));
        if (llvm::StringRef(NewText).ends_with("\n") ||
            endOf(Last) >= Code.size())
          break;
        ++Last;
      }
      Blocks.push_back({First, Last, std::move(NewText)});
      I = J;
    }
  }

  std::string apply(unsigned First, unsigned Last,
                    llvm::ArrayRef<Replacement> Edits) const {
    std::string Result;
    size_t Cursor = Starts[First];
    for (const Replacement &Edit : Edits) {
      Result += Code.slice(Cursor, Edit.getOffset());
      Result += Edit.getReplacementText();
      Cursor = Edit.getOffset() + Edit.getLength();
    }
    Result += Code.slice(Cursor, endOf(Last));
    return Result;
  }

  static void line(std::string &Out, char Prefix, llvm::StringRef Text) {
    Out += Prefix;
    Out += Text;
    if (!Text.ends_with("\n"))
      Out += "\n\\ No newline at end of file\n";
  }

  void context(std::string &Out, unsigned From, unsigned To, unsigned &Old,
               unsigned &New) const {
    for (unsigned L = From; L < To && L < Lines.size(); ++L) {
      line(Out, ' ', Lines[L]);
      ++Old;
      ++New;
    }
  }

  std::string hunk(size_t Begin, size_t End, int &Delta) const {
    unsigned Start = Blocks[Begin].First >= ContextLines
                         ? Blocks[Begin].First - ContextLines
                         : 0;
    std::string Body;
    unsigned Old = 0, New = 0;
    context(Body, Start, Blocks[Begin].First, Old, New);
    for (size_t B = Begin; B < End; ++B) {
      const Block &Blk = Blocks[B];
      for (unsigned L = Blk.First; L <= Blk.Last && L < Lines.size();
           ++L, ++Old)
        line(Body, '-', Lines[L]);
      for (llvm::StringRef NewLine : splitLines(Blk.NewText)) {
        line(Body, '+', NewLine);
        ++New;
      }
      unsigned Next =
          B + 1 < End ? Blocks[B + 1].First : Blk.Last + 1 + ContextLines;
      context(Body, Blk.Last + 1, Next, Old, New);
    }
    unsigned OldStart = Old ? Start + 1 : Start;
    unsigned NewStart = New ? Start + 1 + Delta : Start + Delta;
    Delta += static_cast<int>(New) - static_cast<int>(Old);
    return "@@ -" + std::to_string(OldStart) + "," + std::to_string(Old) +
           " +" + std::to_string(NewStart) + "," + std::to_string(New) +
           " @@\n" + Body;
  }

  llvm::StringRef Code;
  std::vector<llvm::StringRef> Lines;
  std::vector<size_t> Starts;
  std::vector<Block> Blocks;
};

} // namespace

FixSet collectFixes(llvm::ArrayRef<Finding> Findings) {
  FixSet Fixes;
  for (const Finding &F : Findings) {
    // The analysis drops the fix-its of a file that does not compile; a
    // report written by hand or by another tool may still have them.
    if (F.FixIts.empty() || F.FromFileWithErrors)
      continue;
    std::vector<Replacement> Edits;
    Edits.reserve(F.FixIts.size());
    for (const FixIt &Fix : F.FixIts)
      Edits.emplace_back(Fix.Where.File, Fix.Offset, Fix.Length,
                         Fix.Replacement);
    if (!compatible(Fixes.ByFile, Edits)) {
      Fixes.Conflicts.push_back(&F);
      continue;
    }
    for (const Replacement &Edit : Edits) {
      Replacements &File = Fixes.ByFile[Edit.getFilePath().str()];
      if (llvm::any_of(File,
                       [&](const Replacement &R) { return sameEdit(R, Edit); }))
        continue;
      // compatible() has ruled out every overlap, so this cannot fail.
      llvm::cantFail(File.add(Edit));
    }
    ++Fixes.Taken;
  }
  return Fixes;
}

std::vector<ToolError> applyFixes(const FixSet &Fixes, SourceCache &Sources) {
  std::vector<ToolError> Errors;
  for (const auto &[File, Replaces] : Fixes.ByFile) {
    auto Code = Sources.contents(File);
    if (!Code) {
      Errors.push_back({File, "cannot read the file to fix it"});
      continue;
    }
    auto Fixed = clang::tooling::applyAllReplacements(*Code, Replaces);
    if (!Fixed) {
      Errors.push_back({File, "cannot apply the fix-its: " +
                                  llvm::toString(Fixed.takeError())});
      continue;
    }
    if (llvm::Error Err = writeFileAtomically(
            File, [&](llvm::raw_ostream &OS) { OS << *Fixed; }))
      Errors.push_back({File, llvm::toString(std::move(Err))});
  }
  return Errors;
}

std::string unifiedDiffHunks(llvm::StringRef Code,
                             const Replacements &Replaces) {
  return DiffBuilder(Code, Replaces).hunks();
}

void writeFixDiff(const FixSet &Fixes, SourceCache &Sources,
                  llvm::StringRef Root, llvm::raw_ostream &OS) {
  for (const auto &[File, Replaces] : Fixes.ByFile) {
    auto Code = Sources.contents(File);
    if (!Code)
      continue;
    std::string Name = relativeToRoot(File, Root);
    bool Relative = llvm::sys::path::is_relative(Name);
    OS << "--- " << (Relative ? "a/" : "") << Name << "\n";
    OS << "+++ " << (Relative ? "b/" : "") << Name << "\n";
    OS << unifiedDiffHunks(*Code, Replaces);
  }
}

} // namespace trainlint
