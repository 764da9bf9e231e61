"""Opens the test project's training step: its findings arrive as
diagnostics with the check as their code, a link to the check's page, the
notes as related information and the document's version; the first analysis
reports its progress."""
import os
import sys

from lsp_client import Client, setup, show, uri_of

root, server = setup(sys.argv)
client = Client(server)
client.initialize(root, {"window": {"workDoneProgress": True}})
step = os.path.join(root, "step.cpp")
client.open(step, version=7)
show(client.diagnostics(uri_of(step)))

progress = client.messages_so_far(
    lambda m: m.get("method") in ("window/workDoneProgress/create",
                                  "$/progress"))
for message in progress:
    value = message["params"].get("value", {})
    print("progress:", message["method"], value.get("kind", ""),
          value.get("message", ""))
print("exit status", client.shutdown_and_exit())
