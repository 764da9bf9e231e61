"""$/cancelRequest: a code action request waits for the analysis of the
document's current version; cancelled, it is answered with RequestCancelled
at once. One not cancelled is answered when the analysis is done."""
import os
import sys

from lsp_client import Client, position, setup, uri_of

root, server = setup(sys.argv)
client = Client(server)
client.initialize(root)
step = os.path.join(root, "step.cpp")
uri = uri_of(step)
text = client.open(step)
diagnostics = client.diagnostics(uri)["diagnostics"]
zero_grad = [d for d in diagnostics
             if d["code"] == "torch-optim-zero-grad-not-none"]

# An edit far from the finding; its analysis starts only after the long
# pause the server was given, so the requests below wait.
start = position(text, "double total = 0;")
client.change(step, 2, [{"range": {"start": start, "end": start},
                         "text": "/* edited */ "}])
params = {"textDocument": {"uri": uri}, "range": zero_grad[0]["range"],
          "context": {"diagnostics": zero_grad}}
cancelled = client.request("textDocument/codeAction", params)
kept = client.request("textDocument/codeAction", params)
client.notify("$/cancelRequest", {"id": cancelled})
answer = client.response(cancelled, timeout=2)
print("cancelled request:", answer.get("error", {}).get("code"))
# Cancelling what was already answered does nothing.
client.notify("$/cancelRequest", {"id": cancelled})

answer = client.response(kept)
print("kept request:", [a["title"] for a in answer["result"]])
print("published:", client.diagnostics(uri)["version"])
print("exit status", client.shutdown_and_exit())
