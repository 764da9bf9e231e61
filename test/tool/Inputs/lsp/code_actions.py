"""Applies the quick fixes the server offers, as an editor does: the fix-it
of one finding, the NOLINT comment of another, then an edit that clears the
last. Each edit goes back to the server as an incremental change, and each
new version's diagnostics say which findings are left. The final buffer is
written to WORK/fixed.cpp."""
import os
import sys

from lsp_client import (Client, apply_edits, position, setup, show, uri_of)

root, server = setup(sys.argv)
client = Client(server)
client.initialize(root, {"workspace": {"workspaceEdit": {
    "documentChanges": True}}})
step = os.path.join(root, "step.cpp")
uri = uri_of(step)
text = client.open(step)
version = 1
diagnostics = client.diagnostics(uri)["diagnostics"]


def by_code(diagnostics, code):
    return [d for d in diagnostics if d["code"] == code]


def apply(action):
    """Applies action's edit to the buffer and tells the server."""
    global text, version, diagnostics
    change = action["edit"]["documentChanges"][0]
    assert change["textDocument"]["uri"] == uri
    print("  edits version", change["textDocument"]["version"])
    edits = change["edits"]
    text = apply_edits(text, edits)
    version += 1
    # Sent last edit first, so that each range holds against the text as
    # the earlier changes left it.
    client.change(step, version, [
        {"range": e["range"], "text": e["newText"]}
        for e in sorted(edits, key=lambda e: (e["range"]["start"]["line"],
                                              e["range"]["start"]["character"]),
                        reverse=True)])
    published = client.diagnostics(uri)
    show(published)
    diagnostics = published["diagnostics"]


for code, pick in (("torch-optim-zero-grad-not-none", "Apply the fix-it"),
                   ("torch-sync-item", "Suppress")):
    print("actions for", code)
    actions = client.code_actions(step, by_code(diagnostics, code))
    for action in actions:
        print("  %s (%s, preferred=%s)" % (action["title"], action["kind"],
                                          action["isPreferred"]))
    apply(next(a for a in actions if a["title"].startswith(pick)))

# An edit of the user's that removes the copy to the device clears the last
# finding: the diagnostics become empty.
start = position(text, ".to(device)")
end = position(text, ".to(device)", after=True)
print("clearing edit")
version += 1
client.change(step, version, [{"range": {"start": start, "end": end},
                               "text": ""}])
text = text.replace("x.to(device)", "x")
show(client.diagnostics(uri))

with open(os.path.join(sys.argv[1], "fixed.cpp"), "w", encoding="utf-8") as f:
    f.write(text)
print("exit status", client.shutdown_and_exit())
