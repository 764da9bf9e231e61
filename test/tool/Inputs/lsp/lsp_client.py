"""A scripted LSP client for the protocol tests of `trainlint lsp`.

It starts the server, frames JSON-RPC messages with Content-Length headers,
answers the server's own requests (progress tokens, registrations) with null,
and keeps every message it receives so that a test can wait for the one it
expects. Positions are UTF-16, as the server announces.
"""

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time

TIMEOUT = 60


class ServerError(Exception):
    def __init__(self, error):
        super().__init__(f"{error.get('code')}: {error.get('message')}")
        self.code = error.get("code")


class Client:
    def __init__(self, argv, cwd=None, stderr=None):
        self.proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=stderr)
        self.incoming = queue.Queue()
        self.backlog = []
        self.next_id = 1
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    # --- framing ---------------------------------------------------------
    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    self.incoming.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            body = out.read(length)
            self.incoming.put(json.loads(body))

    def send_raw(self, body):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def send(self, message):
        self.send_raw(json.dumps(dict(jsonrpc="2.0", **message)))

    # --- messages --------------------------------------------------------
    def _next(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no message from the server in time")
        try:
            message = self.incoming.get(timeout=remaining)
        except queue.Empty:
            raise TimeoutError("no message from the server in time")
        if message is None:
            raise EOFError("the server closed its output")
        if "method" in message and "id" in message:
            # A request of the server's: accept it.
            self.send({"id": message["id"], "result": None})
        return message

    def wait_for(self, predicate, timeout=TIMEOUT):
        """The first message (kept or new) that satisfies predicate."""
        for i, message in enumerate(self.backlog):
            if predicate(message):
                return self.backlog.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            message = self._next(deadline)
            if predicate(message):
                return message
            self.backlog.append(message)

    def messages_so_far(self, predicate, settle=0.0):
        """Every message received (and kept) that satisfies predicate, after
        waiting settle seconds for more."""
        deadline = time.monotonic() + settle
        while True:
            try:
                self.backlog.append(self._next(deadline))
            except TimeoutError:
                break
        return [m for m in self.backlog if predicate(m)]

    def request(self, method, params=None):
        """Sends a request and returns its id."""
        id_ = self.next_id
        self.next_id += 1
        self.send({"id": id_, "method": method, "params": params or {}})
        return id_

    def response(self, id_, timeout=TIMEOUT):
        return self.wait_for(
            lambda m: m.get("id") == id_ and "method" not in m, timeout)

    def call(self, method, params=None, timeout=TIMEOUT):
        message = self.response(self.request(method, params), timeout)
        if "error" in message:
            raise ServerError(message["error"])
        return message["result"]

    def notify(self, method, params=None):
        self.send({"method": method, "params": params or {}})

    def diagnostics(self, uri, timeout=TIMEOUT):
        """The next diagnostics published for uri."""
        message = self.wait_for(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri, timeout)
        return message["params"]

    # --- the session -----------------------------------------------------
    def initialize(self, root, capabilities=None, options=None):
        params = {"processId": os.getpid(), "rootUri": uri_of(root),
                  "capabilities": capabilities or {}}
        if options is not None:
            params["initializationOptions"] = options
        result = self.call("initialize", params)
        self.notify("initialized")
        return result

    def open(self, path, version=1):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri_of(path), "languageId": "cpp", "version": version,
            "text": text}})
        return text

    def change(self, path, version, changes):
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri_of(path), "version": version},
            "contentChanges": changes})

    def code_actions(self, path, diagnostics, range_=None):
        return self.call("textDocument/codeAction", {
            "textDocument": {"uri": uri_of(path)},
            "range": range_ or diagnostics[0]["range"],
            "context": {"diagnostics": diagnostics}})

    def shutdown_and_exit(self):
        self.call("shutdown")
        self.notify("exit")
        return self.wait()

    def wait(self, timeout=TIMEOUT):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise


# --- text and positions --------------------------------------------------
def uri_of(path):
    from urllib.parse import quote
    return "file://" + quote(os.path.abspath(path))


def offset_of(text, position):
    """The index in text of an LSP position (UTF-16 character)."""
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[:position["line"]])
    line = lines[position["line"]] if position["line"] < len(lines) else ""
    units = 0
    for i, char in enumerate(line):
        if units >= position["character"]:
            return start + i
        units += 2 if ord(char) > 0xFFFF else 1
    return start + len(line)


def apply_edits(text, edits):
    """Applies TextEdits given against the same text."""
    spans = sorted(((offset_of(text, e["range"]["start"]),
                     offset_of(text, e["range"]["end"]), e["newText"])
                    for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def apply_workspace_edit(text, path, edit):
    """The text of path after the WorkspaceEdit edit."""
    uri = uri_of(path)
    edits = list(edit.get("changes", {}).get(uri, []))
    for change in edit.get("documentChanges", []):
        if change["textDocument"]["uri"] == uri:
            edits.extend(change["edits"])
    return apply_edits(text, edits)


def position(text, needle, occurrence=1, after=False):
    """The LSP position where the occurrence-th needle starts (or ends)."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    if after:
        index += len(needle)
    line = text.count("\n", 0, index)
    column = text[text.rfind("\n", 0, index) + 1:index]
    return {"line": line,
            "character": sum(2 if ord(c) > 0xFFFF else 1 for c in column)}


def describe(diagnostic):
    """One line per diagnostic, and one per related note, for FileCheck."""
    r = diagnostic["range"]
    lines = ["%d:%d-%d:%d severity=%d source=%s code=%s href=%s: %s" % (
        r["start"]["line"] + 1, r["start"]["character"] + 1,
        r["end"]["line"] + 1, r["end"]["character"] + 1,
        diagnostic["severity"], diagnostic["source"], diagnostic["code"],
        diagnostic["codeDescription"]["href"], diagnostic["message"])]
    for note in diagnostic.get("relatedInformation", []):
        start = note["location"]["range"]["start"]
        lines.append("  note %s:%d:%d: %s" % (
            os.path.basename(note["location"]["uri"]), start["line"] + 1,
            start["character"] + 1, note["message"]))
    return "\n".join(lines)


def make_project(source, root, mock):
    """Copies the folder source to root and writes a compile database there
    that compiles each .cpp file with the mock headers."""
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(source, root)
    commands = []
    for name in sorted(os.listdir(root)):
        if name.endswith(".cpp"):
            path = os.path.join(root, name)
            commands.append({"directory": root, "file": path, "arguments": [
                "clang++", "-std=c++17", "-I" + os.path.join(mock, "torch"),
                "-I" + mock, "-c", path, "-o", name + ".o"]})
    with open(os.path.join(root, "compile_commands.json"), "w") as f:
        json.dump(commands, f, indent=1)


PROJECT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "project")


def setup(argv):
    """Reads a scenario's arguments, `WORK MOCK -- SERVER...`: makes a copy
    of the test project in WORK/project with a compile database for the mock
    headers, and returns (its folder, the server's command line)."""
    work, mock = argv[1], argv[2]
    root = os.path.join(work, "project")
    os.makedirs(work, exist_ok=True)
    make_project(PROJECT, root, mock)
    return root, argv[argv.index("--") + 1:]


def show(diagnostics):
    """Prints the diagnostics of a publishDiagnostics, one per line."""
    print("version %s: %d diagnostics" % (diagnostics.get("version"),
                                          len(diagnostics["diagnostics"])))
    for diagnostic in diagnostics["diagnostics"]:
        print(describe(diagnostic))
    sys.stdout.flush()
