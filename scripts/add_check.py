#!/usr/bin/env python3
"""Adds a trainlint check: header, source, lit test, doc page, registration
and check-list row, all under one name.

    scripts/add_check.py torch-sync-item --level 1 \
        --summary "Finds 'item()' calls ... inside a hot loop."

    scripts/add_check.py --update-index   # regenerate the docs index only
    scripts/add_check.py --check-index    # exit 1 if the index is stale

The name is <module>-<family>-<what>: the module ('torch' or 'cuda') picks the
folder and namespace, '<module>-<family>' is the family, and the rest, in
UpperCamel with 'Check' appended, is the class: torch-sync-item is
checks/torch/SyncItemCheck.{h,cpp}.
"""

import argparse
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHECK_LIST = ROOT / "checks" / "CheckList.def"
MODULE = ROOT / "checks" / "TrainlintModule.cpp"
DOCS_INDEX = ROOT / "docs" / "checks" / "README.md"
README = ROOT / "README.md"
LEVELS = {"0": "Level0", "1": "Level1", "2": "Level2", "manual": "Manual"}
ROW = re.compile(
    r'^TRAINLINT_CHECK\("(?P<name>[^"]+)", (?P<level>\w+), "(?P<family>[^"]+)", '
    r'(?P<fixits>true|false), "(?P<summary>(?:[^"\\]|\\.)*)"\)$', re.M)


def parts(name):
    match = re.fullmatch(r"(torch|cuda)-([a-z0-9]+)-([a-z0-9-]+)", name)
    if not match:
        sys.exit(f"add_check: '{name}' is not <torch|cuda>-<family>-<what>")
    module, family, rest = match.groups()
    words = [family] + rest.split("-")
    cls = "".join(w[:1].upper() + w[1:] for w in words) + "Check"
    return module, f"{module}-{family}", cls


def read_rows():
    return [m.groupdict() for m in ROW.finditer(CHECK_LIST.read_text())]


def insert_sorted(path, begin, end, line):
    """Adds line between the begin and end marker lines of path, keeping the
    lines there sorted by the check name they mention (or their text)."""
    text = path.read_text()
    head, rest = text.split(begin + "\n", 1)
    body, tail = rest.split(end, 1)
    lines = [l for l in body.splitlines() if l.strip()]
    if line.strip() not in (l.strip() for l in lines):
        lines.append(line)

    def key(l):
        quoted = re.search(r'"([^"]+)"', l)
        return quoted.group(1) if quoted else l.strip().lower()

    lines.sort(key=key)
    path.write_text(head + begin + "\n" + "\n".join(lines) + "\n" + end + tail)


def add_row(name, level, family, fixits, summary):
    text = CHECK_LIST.read_text()
    rows = [r for r in read_rows() if r["name"] != name]
    rows.append({"name": name, "level": LEVELS[level], "family": family,
                 "fixits": "true" if fixits else "false",
                 "summary": summary.replace('"', '\\"')})
    rows.sort(key=lambda r: r["name"])
    block = "\n".join(
        f'TRAINLINT_CHECK("{r["name"]}", {r["level"]}, "{r["family"]}", '
        f'{r["fixits"]}, "{r["summary"]}")' for r in rows)
    begin = "// clang-format off\n"
    end = "// clang-format on\n"
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    CHECK_LIST.write_text(head + begin + block + "\n" + end + tail)


def write_new(path, text):
    if path.exists():
        print(f"add_check: keeping existing {path.relative_to(ROOT)}")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    print(f"add_check: wrote {path.relative_to(ROOT)}")


def header_text(name, module, cls, summary):
    guard = f"TRAINLINT_CHECKS_{module.upper()}_{cls.upper()}_H"
    return f"""//===--- {cls}.h - {name} ---*- C++ -*-===//

#ifndef {guard}
#define {guard}

#include "TrainlintCheck.h"

namespace trainlint::{module} {{

/// {summary}
///
/// For the user-facing documentation see:
/// docs/checks/{name}.md
class {cls} : public TrainlintCheck {{
public:
  {cls}(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
}};

}} // namespace trainlint::{module}

#endif // {guard}
"""


def source_text(name, module, cls):
    return f"""//===--- {cls}.cpp - {name} ---===//

#include "{cls}.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang;
using namespace clang::ast_matchers;

namespace trainlint::{module} {{

{cls}::{cls}(llvm::StringRef Name, tidy::ClangTidyContext *Context)
    : TrainlintCheck(Name, Context) {{}}

void {cls}::registerMatchers(MatchFinder *Finder) {{
  // FIXME: match the candidates of {name}.
}}

void {cls}::check(const MatchFinder::MatchResult &Result) {{}}

}} // namespace trainlint::{module}
"""


def test_text(name, module):
    mock = "torch/torch.h" if module == "torch" else "cuda_runtime.h"
    return f"""// RUN: %check_trainlint %s {name} %t

#include <{mock}>

// FIXME: positive cases with CHECK-MESSAGES, negative cases each saying why
// they stay silent, and CHECK-FIXES for every fix-it.
void placeholder();
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: {name} has no test yet
"""


def doc_text(name, summary, level, fixits):
    return f"""# {name}

{summary}

**Level:** {level} · **Fix-its:** {"yes" if fixits else "no"}

## Why it matters

FIXME

## What it flags

```cpp
```

## The fix

```cpp
```

## What it does not flag

## Options

None.
"""


def level_words(level):
    return {"Level0": "0", "Level1": "1", "Level2": "2", "Manual": "manual"}[level]


def index_text():
    rows = read_rows()
    lines = ["| check | level | family | fix-its | what it finds |",
             "|---|---|---|---|---|"]
    for r in rows:
        summary = r["summary"].replace('\\"', '"')
        lines.append(f'| [{r["name"]}]({r["name"]}.md) | {level_words(r["level"])} | '
                     f'`{r["family"]}-*` | {"yes" if r["fixits"] == "true" else "no"} | '
                     f'{summary} |')
    return "\n".join(lines) + "\n"


BEGIN_INDEX = "<!-- BEGIN CHECK INDEX (scripts/add_check.py --update-index) -->"
END_INDEX = "<!-- END CHECK INDEX -->"


def replace_index(path, table):
    text = path.read_text()
    if BEGIN_INDEX not in text:
        return text
    head, rest = text.split(BEGIN_INDEX, 1)
    _, tail = rest.split(END_INDEX, 1)
    return head + BEGIN_INDEX + "\n" + table + END_INDEX + tail


def update_index(check_only):
    table = index_text()
    stale = []
    for path in (DOCS_INDEX, README):
        if not path.exists():
            continue
        new = replace_index(path, table)
        if new != path.read_text():
            if check_only:
                stale.append(str(path.relative_to(ROOT)))
            else:
                path.write_text(new)
    if stale:
        print("add_check: stale check index in " + ", ".join(stale) +
              "; run scripts/add_check.py --update-index", file=sys.stderr)
        return 1
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", nargs="?")
    parser.add_argument("--level", choices=sorted(LEVELS), default="1")
    parser.add_argument("--fixits", action="store_true",
                        help="the check offers fix-its")
    parser.add_argument("--summary", help="one sentence, ending in a period")
    parser.add_argument("--update-index", action="store_true")
    parser.add_argument("--check-index", action="store_true")
    args = parser.parse_args()
    if args.update_index or args.check_index:
        return update_index(args.check_index)
    if not args.name or not args.summary:
        parser.error("a name and --summary are required")
    if not args.summary.endswith("."):
        parser.error("the summary is one sentence ending in a period")
    module, family, cls = parts(args.name)
    write_new(ROOT / "checks" / module / f"{cls}.h",
              header_text(args.name, module, cls, args.summary))
    write_new(ROOT / "checks" / module / f"{cls}.cpp", source_text(args.name, module, cls))
    write_new(ROOT / "test" / "checks" / f"{args.name}.cpp", test_text(args.name, module))
    write_new(ROOT / "docs" / "checks" / f"{args.name}.md",
              doc_text(args.name, args.summary, args.level, args.fixits))
    insert_sorted(MODULE, "// BEGIN CHECK INCLUDES", "// END CHECK INCLUDES",
                  f'#include "{module}/{cls}.h"')
    insert_sorted(MODULE, "    // BEGIN CHECK REGISTRATIONS", "    // END CHECK REGISTRATIONS",
                  f'    CheckFactories.registerCheck<{module}::{cls}>("{args.name}");')
    add_row(args.name, args.level, family, args.fixits, args.summary)
    return update_index(False)


if __name__ == "__main__":
    sys.exit(main())
