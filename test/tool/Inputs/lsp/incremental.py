"""Incremental changes after text that is not ASCII: the server converts the
UTF-16 positions of the changes to bytes, and the byte columns of its
findings back to UTF-16. A burst of changes within the pause is analyzed
once; a result for a version that is no longer the document's is dropped."""
import os
import sys
import time

from lsp_client import Client, position, setup, show, uri_of

root, server = setup(sys.argv)
log = os.path.join(sys.argv[1], "log")
client = Client(server)
client.initialize(root)
step = os.path.join(root, "step.cpp")
uri = uri_of(step)
text = client.open(step)
show(client.diagnostics(uri))


def edit(version, old, new, occurrence=1):
    """Replaces old (found in the buffer) with new, as a ranged change."""
    global text
    start = position(text, old, occurrence)
    end = position(text, old, occurrence, after=True)
    client.change(step, version, [{"range": {"start": start, "end": end},
                                   "text": new}])
    index = -1
    for _ in range(occurrence):
        index = text.index(old, index + 1)
    text = text[:index] + new + text[index + len(old):]


# 'false' sits after '𝔼', which is two UTF-16 code units and four bytes.
print("== false to true after the non-ASCII comment")
edit(2, "false", "true")
show(client.diagnostics(uri))

# A line of non-ASCII text inserted above the loop moves the findings down a
# line; on the line of 'item()', text inserted before the call moves its
# UTF-16 column by the inserted units (an emoji counts two).
print("== lines and columns move")
edit(3, "  double total = 0;\n", "  double total = 0; // Σ über alles\n  // 🚀\n")
edit(4, "total += loss", "total += 0 * /*😀*/ loss")
show(client.diagnostics(uri))

# Several changes in one notification apply in order, and a change without a
# range replaces the whole text.
print("== several changes in one notification, then the whole text")
client.change(step, 5, [
    {"range": {"start": position(text, "(true)"),
               "end": position(text, "(true)", after=True)}, "text": "(0 != 0)"},
    {"text": text.replace("zero_grad(true)", "zero_grad(false)")},
])
text = text.replace("zero_grad(true)", "zero_grad(false)")
show(client.diagnostics(uri))

# Within the pause, three versions: one analysis, of the last.
print("== a burst of changes")
edit(6, "scaled, y)", "scaled , y)")
edit(7, "scaled , y)", "scaled  , y)")
edit(8, "zero_grad(false)", "zero_grad()")
show(client.diagnostics(uri))

# A change after version 9 is analyzed but before its result is published
# (the server holds results back for this test): the stale result is
# dropped, never published; version 10's is.
print("== a change before a result is published")
edit(9, "zero_grad()", "zero_grad(false)")
deadline = time.monotonic() + 60
while "analyzed %s version 9" % step not in open(log).read():
    if time.monotonic() > deadline:
        sys.exit("version 9 was never analyzed")
    time.sleep(0.01)
edit(10, "zero_grad(false)", "zero_grad(true)")
show(client.diagnostics(uri))
published = client.messages_so_far(
    lambda m: m.get("method") == "textDocument/publishDiagnostics", settle=1)
print("later publications:", [m["params"].get("version") for m in published])

with open(os.path.join(sys.argv[1], "buffer.cpp"), "w", encoding="utf-8") as f:
    f.write(text)
print("exit status", client.shutdown_and_exit())
