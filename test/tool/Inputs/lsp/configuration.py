"""Configuration changes re-analyze the open documents: the level from the
client's settings shows and hides a level-2 finding, and a changed
.clang-tidy (reported as a watched file, or saved in the editor) is read
again."""
import os
import sys

from lsp_client import Client, setup, show, uri_of

root, server = setup(sys.argv)
client = Client(server)
client.initialize(root, {"workspace": {"didChangeWatchedFiles": {
    "dynamicRegistration": True}}}, options={"level": 1})
step = os.path.join(root, "step.cpp")
uri = uri_of(step)
client.open(step)


def codes():
    published = client.diagnostics(uri)
    print("  version %s:" % published["version"],
          sorted("%s(%d)" % (d["code"], d["severity"])
                 for d in published["diagnostics"]))


print("== level 1 from the initialization options")
codes()
print("== level 2")
client.notify("workspace/didChangeConfiguration",
              {"settings": {"trainlint": {"level": 2}}})
codes()
print("== level 1 again")
client.notify("workspace/didChangeConfiguration",
              {"settings": {"trainlint": {"level": "1"}}})
codes()

registration = client.messages_so_far(
    lambda m: m.get("method") == "client/registerCapability")
print("registered:", [w["globPattern"] for w in registration[0]["params"][
    "registrations"][0]["registerOptions"]["watchers"]])

print("== a .clang-tidy appears")
clang_tidy = os.path.join(root, ".clang-tidy")
with open(clang_tidy, "w") as f:
    f.write("Checks: '-*,torch-sync-item'\n")
client.notify("workspace/didChangeWatchedFiles", {"changes": [
    {"uri": uri_of(clang_tidy), "type": 1}]})
codes()
print("== the .clang-tidy is edited and saved in the editor")
with open(clang_tidy, "w") as f:
    f.write("Checks: '-*,torch-optim-*'\n")
client.notify("textDocument/didSave", {"textDocument": {"uri": uri_of(clang_tidy)}})
codes()
print("exit status", client.shutdown_and_exit())
