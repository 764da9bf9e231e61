"""What a client may get wrong, and a client that goes away. Prints one line
per answer; every byte the server writes must be a framed message, or the
client's reader fails."""
import os
import sys
import time

from lsp_client import Client, ServerError, setup, show, uri_of

root, server = setup(sys.argv)
work = sys.argv[1]


def answer(client, id_):
    message = client.response(id_)
    if "error" in message:
        return "id=%s error %d" % (message["id"], message["error"]["code"])
    return "id=%s result %s" % (message["id"], message["result"])


print("== session 1")
client = Client(server)
step = os.path.join(root, "step.cpp")
# Before initialize: requests are refused, notifications ignored.
print("before initialize:", answer(client, client.request(
    "textDocument/codeAction", {"textDocument": {"uri": uri_of(step)}})))
client.open(step)
# The compile database named is not there: every file gets the fallback.
client.initialize(root, options={"compilationDatabasePath":
                                 os.path.join(work, "no-database")})
client.send_raw("{this is not json")
print("malformed:", answer(client, None))
client.send_raw("[1, 2]")
print("not an object:", answer(client, None))
# A header block without a Content-Length is skipped; the next message is
# read as usual.
client.proc.stdin.write(b"Content-Type: nothing\r\n\r\n")
print("unknown method:", answer(client, client.request("trainlint/frobnicate")))
client.notify("custom/notification", {})
client.notify("$/setTrace", {"value": "off"})
print("second initialize:", answer(client, client.request(
    "initialize", {"capabilities": {}})))
print("code actions of a document never opened:", answer(client, client.request(
    "textDocument/codeAction", {"textDocument": {"uri": uri_of(step)},
                                "range": {"start": {"line": 0, "character": 0},
                                          "end": {"line": 0, "character": 0}},
                                "context": {"diagnostics": []}})))
# The fallback command analyzes a file no compile database has a command
# for, and the log says why.
loose = os.path.join(work, "loose.cpp")
with open(loose, "w") as f:
    f.write("int main() { return 0; }\n")
client.open(loose)
show(client.diagnostics(uri_of(loose)))
# The didOpen sent before initialize was ignored: no diagnostics for it.
print("diagnostics of the early didOpen:", len(client.messages_so_far(
    lambda m: m.get("method") == "textDocument/publishDiagnostics"
    and m["params"]["uri"] == uri_of(step))))
client.notify("exit")
print("exit without shutdown:", client.wait())

print("== session 2")
client = Client(server)
client.initialize(root)
client.call("shutdown")
print("after shutdown:", answer(client, client.request(
    "textDocument/codeAction", {"textDocument": {"uri": uri_of(step)}})))
client.proc.stdin.close()
print("end of input after shutdown:", client.wait())

print("== session 3")
client = Client(server)
client.initialize(root)
client.open(step)
client.proc.stdin.close()
start = time.monotonic()
status = client.wait()
print("end of input without shutdown:", status,
      "in time" if time.monotonic() - start < 30 else "too late")

print("== session 4")
# A client that stops reading: the server's writes fail (a broken pipe),
# and it leaves instead of writing into the void.
import json
import subprocess
proc = subprocess.Popen(server, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
proc.stdout.close()
for message in ({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                 "params": {"capabilities": {}}},
                {"jsonrpc": "2.0", "method": "initialized", "params": {}}):
    body = json.dumps(message).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()
start = time.monotonic()
status = proc.wait(60)
print("client gone:", status,
      "in time" if time.monotonic() - start < 30 else "too late")
