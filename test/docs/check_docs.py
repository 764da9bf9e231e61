#!/usr/bin/env python3
"""Each check's name is in five places that agree: the class (whose header's
first /// sentence is the summary), the registration, the doc page (whose first
sentence is the summary), the lit test, and the row of checks/CheckList.def.
The docs index and the README's check list are generated from the rows.

    check_docs.py SOURCE_ROOT
"""

import pathlib
import re
import subprocess
import sys

root = pathlib.Path(sys.argv[1])
rows = re.findall(
    r'^TRAINLINT_CHECK\("([^"]+)", (\w+), "([^"]+)", (true|false), "((?:[^"\\]|\\.)*)"\)$',
    (root / "checks" / "CheckList.def").read_text(), re.M)
module = (root / "checks" / "TrainlintModule.cpp").read_text()
problems = []

if not rows:
    problems.append("checks/CheckList.def has no rows")
for name, level, family, fixits, summary in rows:
    summary = summary.replace('\\"', '"')
    registration = re.search(
        r'registerCheck<(\w+)::(\w+)>\("' + re.escape(name) + r'"\)', module)
    if not registration:
        problems.append(f"{name}: not registered in checks/TrainlintModule.cpp")
        continue
    folder, cls = registration.groups()
    header = root / "checks" / folder / f"{cls}.h"
    if not header.exists():
        problems.append(f"{name}: no header {header.relative_to(root)}")
    else:
        first = re.search(r"^/// (.*)$", header.read_text(), re.M)
        if not first or first.group(1) != summary:
            problems.append(f"{name}: the first /// line of {header.name} is not the summary")
    if not (root / "checks" / folder / f"{cls}.cpp").exists():
        problems.append(f"{name}: no source for {cls}")
    doc = root / "docs" / "checks" / f"{name}.md"
    if not doc.exists():
        problems.append(f"{name}: no doc page docs/checks/{name}.md")
    else:
        paragraphs = [p.strip() for p in doc.read_text().split("\n\n") if p.strip()]
        if paragraphs[0] != f"# {name}":
            problems.append(f"{name}: the doc page's title is not the check's name")
        elif len(paragraphs) < 2 or paragraphs[1] != summary:
            problems.append(f"{name}: the doc page's first sentence is not the summary")
        text = doc.read_text()
        if "FIXME" in text:
            problems.append(f"{name}: the doc page still has FIXMEs")
        for section in ("## Why it matters", "## What it does not flag", "## Options"):
            if section not in text:
                problems.append(f"{name}: the doc page has no '{section}' section")
    test = root / "test" / "checks" / f"{name}.cpp"
    if not test.exists():
        problems.append(f"{name}: no lit test test/checks/{name}.cpp")
    elif "has no test yet" in test.read_text():
        problems.append(f"{name}: the lit test is still the generated placeholder")

index = subprocess.run([sys.executable, str(root / "scripts" / "add_check.py"), "--check-index"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
if index.returncode != 0:
    problems.append(index.stdout.strip())

for problem in problems:
    print(problem)
print(f"{len(rows)} checks, {len(problems)} problems")
sys.exit(1 if problems else 0)
