#!/usr/bin/env python3
"""A minimal scripted LSP client that times a language server's diagnostics.

Opens FILE, waits for its first textDocument/publishDiagnostics, then makes
EDITS edits below the includes (a new function at the end of the file, as
typing one would leave it) and times each from didChange to the diagnostics
of that version. Prints one line per analysis: "first SECONDS" or
"edit SECONDS". Used by benchmarks/lsp-latency.sh for clangd and for
`trainlint lsp`.

    lsp-client.py FILE EDITS -- SERVER [ARGS...]
"""
import json
import os
import subprocess
import sys
import time


def send(proc, message):
    body = json.dumps(message).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def receive(proc):
    length = None
    while True:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("lsp-client: the server closed its output")
        line = line.strip()
        if not line:
            break
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return json.loads(proc.stdout.read(length))


def wait_for_diagnostics(proc, uri, version, deadline_s=600):
    start = time.monotonic()
    while time.monotonic() - start < deadline_s:
        message = receive(proc)
        if "id" in message and "method" in message:
            # A request from the server (workDoneProgress/create,
            # workspace/configuration): answer it empty.
            send(proc, {"jsonrpc": "2.0", "id": message["id"], "result": None})
            continue
        if message.get("method") != "textDocument/publishDiagnostics":
            continue
        params = message["params"]
        if params["uri"] != uri:
            continue
        # A server that names versions: only the edit's own counts.
        if "version" in params and params["version"] is not None \
                and params["version"] != version:
            continue
        return len(params["diagnostics"])
    raise SystemExit("lsp-client: no diagnostics within %d s" % deadline_s)


def main():
    at = sys.argv.index("--")
    path, edits = os.path.abspath(sys.argv[1]), int(sys.argv[2])
    server = sys.argv[at + 1:]
    text = open(path).read()
    uri = "file://" + path
    proc = subprocess.Popen(server, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    send(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"processId": os.getpid(),
                           "rootUri": "file://" + os.path.dirname(path),
                           "capabilities": {"textDocument": {
                               "publishDiagnostics": {"versionSupport": True}}}}})
    while receive(proc).get("id") != 1:
        pass
    send(proc, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
    start = time.monotonic()
    send(proc, {"jsonrpc": "2.0", "method": "textDocument/didOpen",
                "params": {"textDocument": {"uri": uri, "languageId": "cpp",
                                            "version": 0, "text": text}}})
    count = wait_for_diagnostics(proc, uri, 0)
    print("first %.3f %d" % (time.monotonic() - start, count), flush=True)
    for version in range(1, edits + 1):
        text += "\nstatic int editedFunction%d() { return %d; }\n" % (
            version, version)
        start = time.monotonic()
        send(proc, {"jsonrpc": "2.0", "method": "textDocument/didChange",
                    "params": {"textDocument": {"uri": uri,
                                                "version": version},
                               "contentChanges": [{"text": text}]}})
        count = wait_for_diagnostics(proc, uri, version)
        print("edit %.3f %d" % (time.monotonic() - start, count), flush=True)
    send(proc, {"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    try:
        while receive(proc).get("id") != 2:
            pass
    except SystemExit:
        pass
    send(proc, {"jsonrpc": "2.0", "method": "exit"})
    proc.stdin.close()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


if __name__ == "__main__":
    main()
