#!/usr/bin/env python3
"""Runs one trainlint check over a test file and compares what it reports and
rewrites with the CHECK lines in the file.

    check_trainlint.py FILE CHECK TMP [options] [-- COMPILER FLAGS]

- CHECK-MESSAGES lines are matched, in order, against the diagnostics; any
  warning or error they do not name fails the test.
- CHECK-FIXES lines are matched against the file after --fix. A file without
  CHECK-FIXES must come out of --fix unchanged: a check offers no fix-it that
  its test does not show.
- Notes are never applied (clang-tidy applies them only with --fix-notes).
  With --fix-notes, the clang-tidy run applies the fix-its that notes carry
  and CHECK-FIXES hold for that result, while `trainlint check --fix` must
  leave the file unchanged: a suggestion on a note is never applied by --fix.
- --check-prefix=PREFIX reads the messages from PREFIX lines instead, so that
  one file can hold several runs (other --checks or --config); a run whose
  prefix has no lines in the file must report nothing.

The CHECK lines are blanked in the copy that is analyzed, so that the fixed
file cannot match its own expectations.
"""

import argparse
import os
import re
import shlex
import subprocess
import sys


def run(cmd, **kwargs):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, **kwargs)


def filecheck(args, prefix, check_file, text, extra=()):
    cmd = [args.filecheck, check_file, f"--check-prefix={prefix}",
           "--dump-input=fail"] + list(extra)
    result = subprocess.run(cmd, input=text, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        sys.stdout.write(f"FileCheck {prefix} failed:\n{result.stdout}\n")
        sys.exit(1)


def main():
    argv = sys.argv[1:]
    compile_flags = []
    if "--" in argv:
        at = argv.index("--")
        argv, compile_flags = argv[:at], argv[at + 1:]
    parser = argparse.ArgumentParser()
    parser.add_argument("input")
    parser.add_argument("check")
    parser.add_argument("tmp")
    parser.add_argument("--clang-tidy", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--filecheck", required=True)
    parser.add_argument("--checks", help="the --checks globs (default: -*,CHECK)")
    parser.add_argument("--config", help="a --config string for clang-tidy")
    parser.add_argument("--check-prefix", default="CHECK-MESSAGES",
                        help="the FileCheck prefix of the expected messages "
                             "(must start with CHECK-; default: CHECK-MESSAGES)")
    parser.add_argument("--cuda", action="store_true",
                        help="parse as CUDA host code (kernel launches)")
    parser.add_argument("--base-flags", default="",
                        help="flags every test gets (the mock include paths)")
    parser.add_argument("--fix-notes", action="store_true",
                        help="apply the notes' fix-its in the clang-tidy run "
                             "and hold CHECK-FIXES to that result")
    parser.add_argument("--trainlint",
                        help="the trainlint executable: when given, the test "
                             "also runs through it, held to the same CHECK lines")
    args = parser.parse_args(argv)
    if not args.check_prefix.startswith("CHECK-"):
        sys.stdout.write("--check-prefix must start with CHECK- so that its "
                         "lines are blanked in the analyzed copy\n")
        sys.exit(1)

    with open(args.input) as f:
        original = f.read()
    cleaned = re.sub(r"// *CHECK-[A-Z0-9\-]*:[^\r\n]*", "//", original)
    ext = os.path.splitext(args.input)[1] or ".cpp"
    tmp_file = args.tmp + ext
    os.makedirs(os.path.dirname(os.path.abspath(tmp_file)), exist_ok=True)
    with open(tmp_file, "w") as f:
        f.write(cleaned)

    flags = shlex.split(args.base_flags) + ["-std=c++17"]
    if args.cuda:
        flags += ["-x", "cuda", "--cuda-host-only", "-nocudainc", "-nocudalib",
                  "--no-cuda-version-check"]
    flags += compile_flags
    checks = args.checks or f"-*,{args.check}"
    cmd = [args.clang_tidy, f"--load={args.plugin}", f"--checks={checks}",
           "--fix", "--quiet", tmp_file]
    if args.fix_notes:
        cmd.append("--fix-notes")
    if args.config:
        cmd.append(f"--config={args.config}")
    cmd += ["--"] + flags
    result = run(cmd)
    output = result.stdout
    if "error:" in output and "clang-diagnostic-error" in output:
        sys.stdout.write("the test file does not compile:\n" + output)
        sys.exit(1)

    sys.stdout.write("------------------------ clang-tidy output -----------------------\n")
    sys.stdout.write(output)
    sys.stdout.write("\n------------------------------------------------------------------\n")

    has_messages = re.search(re.escape(args.check_prefix) + r"(-[A-Z]+)?:",
                             original) is not None
    has_fixes = "CHECK-FIXES" in original
    if has_messages:
        filecheck(args, args.check_prefix, args.input, output,
                  ["--implicit-check-not={{warning|error}}:"])
    elif re.search(r"(warning|error):", output):
        sys.stdout.write("unexpected diagnostics in a test without CHECK-MESSAGES\n")
        sys.exit(1)

    with open(tmp_file) as f:
        fixed = f.read()
    if has_fixes:
        filecheck(args, "CHECK-FIXES", args.input, fixed, ["--strict-whitespace"])
    elif fixed != cleaned:
        diff = run(["diff", "-u", "--label", "expected", "--label", "fixed", "-",
                    tmp_file], input=cleaned)
        sys.stdout.write("--fix changed a file that has no CHECK-FIXES:\n" + diff.stdout)
        sys.exit(1)

    if args.trainlint:
        check_trainlint_front_end(args, original, cleaned, checks, flags, ext)


def check_trainlint_front_end(args, original, cleaned, checks, flags, ext):
    """Runs `trainlint check --fix` over a fresh copy of the test file and
    holds its text output and fixed file to the same CHECK lines."""
    tmp_file = args.tmp + ".trainlint" + ext
    with open(tmp_file, "w") as f:
        f.write(cleaned)
    cmd = [args.trainlint, "check", f"--checks={checks}", "--fix",
           "--no-progress", "--color=never"]
    if args.config:
        cmd.append(f"--config={args.config}")
    cmd += [tmp_file, "--"] + flags
    result = run(cmd)
    output = result.stdout
    sys.stdout.write("------------------------ trainlint output ------------------------\n")
    sys.stdout.write(output)
    sys.stdout.write("\n------------------------------------------------------------------\n")
    # 0: no findings, 1: findings; 2 is an error (the file does not compile).
    if result.returncode not in (0, 1):
        sys.stdout.write(f"trainlint failed (exit status {result.returncode})\n")
        sys.exit(1)

    if re.search(re.escape(args.check_prefix) + r"(-[A-Z]+)?:", original):
        filecheck(args, args.check_prefix, args.input, output,
                  ["--implicit-check-not={{warning|error}}:"])
    elif re.search(r"(warning|error):", output):
        sys.stdout.write("trainlint reports diagnostics in a test without "
                         "CHECK-MESSAGES\n")
        sys.exit(1)

    with open(tmp_file) as f:
        fixed = f.read()
    if "CHECK-FIXES" in original and not args.fix_notes:
        filecheck(args, "CHECK-FIXES", args.input, fixed, ["--strict-whitespace"])
    elif fixed != cleaned:
        diff = run(["diff", "-u", "--label", "expected", "--label", "fixed", "-",
                    tmp_file], input=cleaned)
        what = ("applied a note's fix-it" if args.fix_notes
                else "changed a file that has no CHECK-FIXES")
        sys.stdout.write(f"trainlint --fix {what}:\n" + diff.stdout)
        sys.exit(1)


if __name__ == "__main__":
    main()
