//===--- Server.cpp - the language server of `trainlint lsp` --------------===//

#include "lsp/Server.h"
#include "CheckList.h"
#include "Paths.h"
#include "SourceCache.h"
#include "lsp/Diagnostics.h"
#include "lsp/SourceText.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#ifndef TRAINLINT_VERSION
#define TRAINLINT_VERSION "0.0.0"
#endif

namespace trainlint::lsp {

namespace json = llvm::json;
using Clock = std::chrono::steady_clock;

namespace {

// JSON-RPC's and LSP's error codes.
constexpr int ParseError = -32700;
constexpr int InvalidRequest = -32600;
constexpr int MethodNotFound = -32601;
constexpr int InvalidParams = -32602;
constexpr int ServerNotInitialized = -32002;
constexpr int RequestCancelled = -32800;

/// LSP's TextDocumentSyncKind.Incremental.
constexpr int IncrementalSync = 2;

/// The files whose change changes every document's analysis.
bool isConfigurationFile(llvm::StringRef Path) {
  llvm::StringRef Name = llvm::sys::path::filename(Path);
  return Name == ".clang-tidy" || Name == "compile_commands.json";
}

/// The findings of one analyzed version of a document.
struct AnalyzedVersion {
  int64_t Version = 0;
  std::vector<Finding> Findings;
};

struct Document {
  std::string Path;
  std::string Text;
  int64_t Version = 0;
  /// When the document is to be analyzed; none when it is up to date or
  /// being analyzed.
  std::optional<Clock::time_point> Due;
  /// The cancellation flag of the analysis running on it.
  std::shared_ptr<std::atomic<bool>> Running;
  /// Whether an analysis of it has finished (the first reports progress).
  bool AnalyzedOnce = false;
  std::optional<AnalyzedVersion> Analyzed;
};

/// A code action request waiting for its document's current version to be
/// analyzed.
struct PendingRequest {
  json::Value Id;
  std::string Uri;
  json::Object Params;
};

} // namespace

class Server::Impl {
public:
  Impl(ServerOptions Options, Transport &Client, Log &Logger)
      : Options(std::move(Options)), Client(Client), Logger(Logger),
        Settings(this->Options.Settings),
        Analyzer(std::make_unique<BufferAnalyzer>(this->Options.Settings)) {}

  int run();

private:
  // The main thread.
  /// Handles one message; false when the server is to exit.
  bool handleMessage(llvm::StringRef Body);
  void handleRequest(const json::Value &Id, llvm::StringRef Method,
                     const json::Object &Params);
  void handleNotification(llvm::StringRef Method, const json::Object &Params);
  void initialize(const json::Value &Id, const json::Object &Params);
  void initialized();
  void didOpen(const json::Object &Params);
  void didChange(const json::Object &Params);
  void didSave(const json::Object &Params);
  void didClose(const json::Object &Params);
  void didChangeConfiguration(const json::Object &Params);
  void didChangeWatchedFiles(const json::Object &Params);
  void cancelRequest(const json::Object &Params);
  void codeAction(const json::Value &Id, const json::Object &Params);

  void reply(const json::Value &Id, json::Value Result);
  void replyError(const json::Value &Id, int Code, const llvm::Twine &Message);
  void notify(llvm::StringRef Method, json::Value Params);

  /// Reads level, checks and compilationDatabasePath from \p Object (or its
  /// `trainlint` member) over the command line's settings.
  AnalyzerSettings settingsFrom(const json::Object &Object);
  /// Has the worker apply \p New and analyze every open document again.
  /// Requires Lock.
  void reconfigureLocked(std::optional<AnalyzerSettings> New,
                         llvm::StringRef Why);
  /// Cancels the analysis running on \p Doc. Requires Lock.
  static void cancelLocked(Document &Doc);

  // The worker thread.
  void work();
  void analyzeOne(std::unique_lock<std::mutex> &Guard, const std::string &Uri,
                  Document &Doc);
  void publishLocked(const std::string &Uri, const Document &Doc);
  /// Answers the code action requests waiting on \p Uri. Requires Lock.
  void answerPendingLocked(const std::string &Uri);
  json::Value actionsLocked(const Document &Doc, const json::Object &Params);
  std::optional<llvm::StringRef> otherFileText(llvm::StringRef Path,
                                               SourceCache &Disk);
  void stopWorker();

  ServerOptions Options;
  Transport &Client;
  Log &Logger;

  bool Initialized = false;
  bool ShutdownRequested = false;
  // What the client can do.
  bool ClientWorkDoneProgress = false;
  bool ClientDocumentChanges = false;
  bool ClientRegistersWatchedFiles = false;
  int64_t NextOutgoingId = 0;

  std::mutex Lock;
  std::condition_variable Wake;
  bool Stopping = false;
  std::map<std::string, Document> Documents;
  std::vector<PendingRequest> Pending;
  AnalyzerSettings Settings;
  /// Settings for the worker to hand the analyzer before its next analysis.
  std::optional<AnalyzerSettings> NewSettings;
  std::vector<std::string> Forgotten;
  std::unique_ptr<BufferAnalyzer> Analyzer;
  std::thread Worker;
};

int Server::Impl::run() {
  Worker = std::thread([this] { work(); });
  int Status = 1;
  while (true) {
    std::optional<std::string> Body = Client.read();
    if (!Body) {
      Logger.info(ShutdownRequested
                      ? "the input ended after shutdown"
                      : "the input ended without shutdown; exiting");
      Status = ShutdownRequested ? 0 : 1;
      break;
    }
    if (!handleMessage(*Body)) {
      Status = ShutdownRequested ? 0 : 1;
      break;
    }
    if (Client.closed()) {
      Logger.error("the client closed its input; exiting");
      Status = ShutdownRequested ? 0 : 1;
      break;
    }
  }
  stopWorker();
  return Status;
}

void Server::Impl::stopWorker() {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    Stopping = true;
    for (auto &[Uri, Doc] : Documents)
      cancelLocked(Doc);
  }
  Wake.notify_all();
  if (Worker.joinable())
    Worker.join();
}

void Server::Impl::reply(const json::Value &Id, json::Value Result) {
  Client.send(json::Object{
      {"jsonrpc", "2.0"}, {"id", Id}, {"result", std::move(Result)}});
}

void Server::Impl::replyError(const json::Value &Id, int Code,
                              const llvm::Twine &Message) {
  Logger.error("answering " + llvm::formatv("{0}", Id).str() +
               " with error " + llvm::Twine(Code) + ": " + Message);
  Client.send(json::Object{
      {"jsonrpc", "2.0"},
      {"id", Id},
      {"error", json::Object{{"code", Code}, {"message", Message.str()}}}});
}

void Server::Impl::notify(llvm::StringRef Method, json::Value Params) {
  Client.send(json::Object{
      {"jsonrpc", "2.0"}, {"method", Method.str()}, {"params", std::move(Params)}});
}

bool Server::Impl::handleMessage(llvm::StringRef Body) {
  llvm::Expected<json::Value> Parsed = json::parse(Body);
  if (!Parsed) {
    replyError(nullptr, ParseError,
               "the message is not JSON: " + toString(Parsed.takeError()));
    return true;
  }
  const json::Object *Message = Parsed->getAsObject();
  if (!Message) {
    replyError(nullptr, InvalidRequest, "the message is not a JSON object");
    return true;
  }
  const json::Value *Id = Message->get("id");
  std::optional<llvm::StringRef> Method = Message->getString("method");
  if (!Method) {
    if (Id && (Message->get("result") || Message->get("error"))) {
      // The answer to a request of the server's (progress tokens, watched
      // files): only a refusal is worth a line in the log.
      if (const json::Value *Error = Message->get("error"))
        Logger.error("the client refused request " +
                     llvm::formatv("{0}", *Id).str() + ": " +
                     llvm::formatv("{0}", *Error).str());
      return true;
    }
    replyError(Id ? *Id : json::Value(nullptr), InvalidRequest,
               "the message has no method");
    return true;
  }
  static const json::Object NoParams;
  const json::Object *Params = Message->getObject("params");
  if (!Params)
    Params = &NoParams;

  if (!Id) {
    if (*Method == "exit") {
      Logger.info(ShutdownRequested ? "exit after shutdown"
                                    : "exit without shutdown");
      return false;
    }
    handleNotification(*Method, *Params);
    return true;
  }
  handleRequest(*Id, *Method, *Params);
  return true;
}

void Server::Impl::handleRequest(const json::Value &Id, llvm::StringRef Method,
                                 const json::Object &Params) {
  if (Method == "initialize") {
    if (Initialized)
      return replyError(Id, InvalidRequest, "the server is already initialized");
    return initialize(Id, Params);
  }
  if (!Initialized)
    return replyError(Id, ServerNotInitialized,
                      "'" + Method + "' before 'initialize'");
  if (ShutdownRequested)
    return replyError(Id, InvalidRequest, "'" + Method + "' after 'shutdown'");
  if (Method == "shutdown") {
    Logger.info("shutdown");
    std::lock_guard<std::mutex> Guard(Lock);
    ShutdownRequested = true;
    for (auto &[Uri, Doc] : Documents)
      cancelLocked(Doc);
    for (PendingRequest &Request : Pending)
      reply(Request.Id, json::Array());
    Pending.clear();
    return reply(Id, nullptr);
  }
  if (Method == "textDocument/codeAction")
    return codeAction(Id, Params);
  replyError(Id, MethodNotFound, "unknown method '" + Method + "'");
}

void Server::Impl::handleNotification(llvm::StringRef Method,
                                      const json::Object &Params) {
  if (!Initialized) {
    Logger.error("ignoring '" + Method + "' before 'initialize'");
    return;
  }
  if (Method == "initialized")
    return initialized();
  if (Method == "$/cancelRequest")
    return cancelRequest(Params);
  if (ShutdownRequested) {
    Logger.error("ignoring '" + Method + "' after 'shutdown'");
    return;
  }
  if (Method == "textDocument/didOpen")
    return didOpen(Params);
  if (Method == "textDocument/didChange")
    return didChange(Params);
  if (Method == "textDocument/didSave")
    return didSave(Params);
  if (Method == "textDocument/didClose")
    return didClose(Params);
  if (Method == "workspace/didChangeConfiguration")
    return didChangeConfiguration(Params);
  if (Method == "workspace/didChangeWatchedFiles")
    return didChangeWatchedFiles(Params);
  // `$/` notifications are optional by the protocol's rule.
  if (!Method.starts_with("$/"))
    Logger.info("ignoring the unknown notification '" + Method + "'");
}

AnalyzerSettings Server::Impl::settingsFrom(const json::Object &Object) {
  AnalyzerSettings Result = Options.Settings;
  const json::Object *Ours = Object.getObject("trainlint");
  if (!Ours)
    Ours = &Object;
  auto Text = [&](llvm::StringRef Key) -> std::optional<std::string> {
    for (const json::Object *Where : {Ours, &Object})
      if (const json::Value *Value = Where->get(Key)) {
        if (std::optional<llvm::StringRef> S = Value->getAsString())
          return S->str();
        if (std::optional<int64_t> N = Value->getAsInteger())
          return std::to_string(*N);
        if (Value->kind() != json::Value::Null)
          Logger.error("ignoring the setting '" + Key +
                       "': not a string or a number");
      }
    return std::nullopt;
  };
  if (std::optional<std::string> Level = Text("level")) {
    if (parseLevel(*Level))
      Result.Analysis.Level = *Level;
    else
      Logger.error("ignoring the level '" + *Level +
                   "': expected 0, 1, 2 or manual");
  }
  if (std::optional<std::string> Checks = Text("checks"))
    Result.Analysis.Checks = *Checks;
  if (std::optional<std::string> Database = Text("compilationDatabasePath"))
    Result.CompileCommandsDir = absolutePath(*Database);
  return Result;
}

void Server::Impl::initialize(const json::Value &Id,
                              const json::Object &Params) {
  if (const json::Object *Capabilities = Params.getObject("capabilities")) {
    if (const json::Object *Window = Capabilities->getObject("window"))
      ClientWorkDoneProgress =
          Window->getBoolean("workDoneProgress").value_or(false);
    if (const json::Object *Workspace = Capabilities->getObject("workspace")) {
      if (const json::Object *Edit = Workspace->getObject("workspaceEdit"))
        ClientDocumentChanges =
            Edit->getBoolean("documentChanges").value_or(false);
      if (const json::Object *Watched =
              Workspace->getObject("didChangeWatchedFiles"))
        ClientRegistersWatchedFiles =
            Watched->getBoolean("dynamicRegistration").value_or(false);
    }
  }
  if (const json::Object *Init = Params.getObject("initializationOptions")) {
    std::lock_guard<std::mutex> Guard(Lock);
    reconfigureLocked(settingsFrom(*Init), "initialization options");
  }
  Initialized = true;
  Logger.info("initialized" +
              llvm::Twine(ClientWorkDoneProgress ? " (with progress)" : ""));
  reply(Id,
        json::Object{
            {"capabilities",
             json::Object{
                 {"positionEncoding", "utf-16"},
                 {"textDocumentSync",
                  json::Object{{"openClose", true},
                               {"change", IncrementalSync},
                               {"save", json::Object{{"includeText", false}}}}},
                 {"codeActionProvider",
                  json::Object{
                      {"codeActionKinds", json::Array{"quickfix"}}}}}},
            {"serverInfo", json::Object{{"name", "trainlint"},
                                        {"version", TRAINLINT_VERSION}}}});
}

void Server::Impl::initialized() {
  if (!ClientRegistersWatchedFiles)
    return;
  // Ask to hear of the files that configure every analysis.
  json::Array Watchers;
  for (llvm::StringRef Glob : {"**/.clang-tidy", "**/compile_commands.json"})
    Watchers.push_back(json::Object{{"globPattern", Glob}});
  Client.send(json::Object{
      {"jsonrpc", "2.0"},
      {"id", "trainlint-register-" + std::to_string(NextOutgoingId++)},
      {"method", "client/registerCapability"},
      {"params",
       json::Object{
           {"registrations",
            json::Array{json::Object{
                {"id", "trainlint-configuration-files"},
                {"method", "workspace/didChangeWatchedFiles"},
                {"registerOptions",
                 json::Object{{"watchers", std::move(Watchers)}}}}}}}}});
}

namespace {

std::optional<std::string> documentUri(const json::Object &Params) {
  if (const json::Object *Doc = Params.getObject("textDocument"))
    if (std::optional<llvm::StringRef> Uri = Doc->getString("uri"))
      return Uri->str();
  return std::nullopt;
}

} // namespace

void Server::Impl::cancelLocked(Document &Doc) {
  if (Doc.Running)
    Doc.Running->store(true);
}

void Server::Impl::didOpen(const json::Object &Params) {
  const json::Object *Item = Params.getObject("textDocument");
  std::optional<llvm::StringRef> Uri = Item ? Item->getString("uri") : std::nullopt;
  std::optional<llvm::StringRef> Text = Item ? Item->getString("text") : std::nullopt;
  std::string Path = Uri ? pathFromFileUri(*Uri) : "";
  if (!Uri || !Text || Path.empty()) {
    Logger.error("ignoring a didOpen without a file URI and text");
    return;
  }
  std::lock_guard<std::mutex> Guard(Lock);
  Document &Doc = Documents[Uri->str()];
  cancelLocked(Doc);
  Doc = Document();
  Doc.Path = Path;
  Doc.Text = Text->str();
  Doc.Version = Item->getInteger("version").value_or(0);
  Doc.Due = Clock::now();
  Logger.info("opened " + Path + " version " + llvm::Twine(Doc.Version));
  Wake.notify_all();
}

void Server::Impl::didChange(const json::Object &Params) {
  std::optional<std::string> Uri = documentUri(Params);
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Uri ? Documents.find(*Uri) : Documents.end();
  if (It == Documents.end()) {
    Logger.error("ignoring a change of a document that is not open");
    return;
  }
  Document &Doc = It->second;
  std::string Text = Doc.Text;
  if (const json::Array *Changes = Params.getArray("contentChanges"))
    for (const json::Value &Change : *Changes) {
      const json::Object *Object = Change.getAsObject();
      std::optional<llvm::StringRef> NewText =
          Object ? Object->getString("text") : std::nullopt;
      if (!NewText) {
        Logger.error("ignoring a content change without text");
        continue;
      }
      std::optional<Range> Where;
      if (const json::Value *R = Object->get("range")) {
        Where = rangeFromJson(R);
        if (!Where) {
          Logger.error("ignoring the changes of " + Doc.Path +
                       ": a range that is not one");
          return;
        }
      }
      if (llvm::Error E = applyChange(Text, Where, *NewText)) {
        Logger.error("ignoring the changes of " + Doc.Path + ": " +
                     toString(std::move(E)));
        return;
      }
    }
  const json::Object *Identifier = Params.getObject("textDocument");
  Doc.Text = std::move(Text);
  Doc.Version = Identifier ? Identifier->getInteger("version").value_or(
                                 Doc.Version + 1)
                           : Doc.Version + 1;
  // The running analysis is of an older version: its result would be
  // dropped anyway.
  cancelLocked(Doc);
  Doc.Due = Clock::now() + Options.Debounce;
  Wake.notify_all();
}

void Server::Impl::didSave(const json::Object &Params) {
  std::optional<std::string> Uri = documentUri(Params);
  std::string Path = Uri ? pathFromFileUri(*Uri) : "";
  std::lock_guard<std::mutex> Guard(Lock);
  if (isConfigurationFile(Path)) {
    reconfigureLocked(std::nullopt, Path + " was saved");
    return;
  }
  // The other documents read the saved file from the disk.
  for (auto &[OtherUri, Doc] : Documents)
    if (OtherUri != Uri) {
      cancelLocked(Doc);
      Doc.Due = Clock::now() + Options.Debounce;
    }
  Wake.notify_all();
}

void Server::Impl::didClose(const json::Object &Params) {
  std::optional<std::string> Uri = documentUri(Params);
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Uri ? Documents.find(*Uri) : Documents.end();
  if (It == Documents.end()) {
    Logger.error("ignoring the close of a document that is not open");
    return;
  }
  cancelLocked(It->second);
  Forgotten.push_back(It->second.Path);
  Logger.info("closed " + It->second.Path);
  Documents.erase(It);
  // Its findings leave the editor with it.
  notify("textDocument/publishDiagnostics",
         json::Object{{"uri", *Uri}, {"diagnostics", json::Array()}});
  answerPendingLocked(*Uri);
  Wake.notify_all();
}

void Server::Impl::reconfigureLocked(std::optional<AnalyzerSettings> New,
                                     llvm::StringRef Why) {
  if (New)
    Settings = std::move(*New);
  // Handing the analyzer even unchanged settings drops the configuration it
  // read from `.clang-tidy` files.
  NewSettings = Settings;
  Logger.info("configuration reloaded (" + Why + "): level " +
              Settings.Analysis.Level.value_or("default") + ", checks " +
              Settings.Analysis.Checks.value_or("default") +
              ", compile database " +
              (Settings.CompileCommandsDir.empty()
                   ? std::string("searched upward")
                   : Settings.CompileCommandsDir));
  for (auto &[Uri, Doc] : Documents) {
    cancelLocked(Doc);
    Doc.Due = Clock::now();
  }
  Wake.notify_all();
}

void Server::Impl::didChangeConfiguration(const json::Object &Params) {
  static const json::Object NoSettings;
  const json::Object *New = Params.getObject("settings");
  std::lock_guard<std::mutex> Guard(Lock);
  reconfigureLocked(settingsFrom(New ? *New : NoSettings),
                    "the client's settings changed");
}

void Server::Impl::didChangeWatchedFiles(const json::Object &Params) {
  const json::Array *Changes = Params.getArray("changes");
  if (!Changes)
    return;
  for (const json::Value &Change : *Changes)
    if (const json::Object *Object = Change.getAsObject())
      if (std::optional<llvm::StringRef> Uri = Object->getString("uri")) {
        std::string Path = pathFromFileUri(*Uri);
        if (isConfigurationFile(Path)) {
          std::lock_guard<std::mutex> Guard(Lock);
          reconfigureLocked(std::nullopt, Path + " changed");
          return;
        }
      }
}

void Server::Impl::cancelRequest(const json::Object &Params) {
  const json::Value *Id = Params.get("id");
  if (!Id)
    return;
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = llvm::find_if(Pending, [&](const PendingRequest &Request) {
    return Request.Id == *Id;
  });
  // A request already answered has nothing left to cancel.
  if (It == Pending.end())
    return;
  json::Value CancelledId = It->Id;
  Pending.erase(It);
  replyError(CancelledId, RequestCancelled, "the request was cancelled");
}

void Server::Impl::codeAction(const json::Value &Id,
                              const json::Object &Params) {
  std::optional<std::string> Uri = documentUri(Params);
  if (!Uri)
    return replyError(Id, InvalidParams, "a code action request names no document");
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Documents.find(*Uri);
  if (It == Documents.end()) {
    Logger.error("no code actions for " + *Uri + ": it is not open");
    return reply(Id, json::Array());
  }
  const Document &Doc = It->second;
  if (!Doc.Analyzed || Doc.Analyzed->Version != Doc.Version) {
    // Edits are on their way to an analysis; answer from its findings.
    Pending.push_back({Id, *Uri, Params});
    return;
  }
  reply(Id, actionsLocked(Doc, Params));
}

std::optional<llvm::StringRef>
Server::Impl::otherFileText(llvm::StringRef Path, SourceCache &Disk) {
  for (const auto &[Uri, Doc] : Documents)
    if (Doc.Path == Path)
      return llvm::StringRef(Doc.Text);
  return Disk.contents(Path);
}

json::Value Server::Impl::actionsLocked(const Document &Doc,
                                        const json::Object &Params) {
  const json::Object *Context = Params.getObject("context");
  if (const json::Array *Only = Context ? Context->getArray("only") : nullptr)
    if (llvm::none_of(*Only, [](const json::Value &Kind) {
          std::optional<llvm::StringRef> Name = Kind.getAsString();
          return Name && (*Name == "quickfix" || Name->starts_with("quickfix."));
        }))
      return json::Array();

  // The diagnostics the client shows the user there: trainlint's, matched
  // by range and check. A client that sends none gets the findings whose
  // range meets the requested one.
  std::vector<std::pair<Range, std::string>> Wanted;
  if (const json::Array *Shown =
          Context ? Context->getArray("diagnostics") : nullptr)
    for (const json::Value &Value : *Shown)
      if (const json::Object *Diagnostic = Value.getAsObject())
        if (Diagnostic->getString("source") == std::optional<llvm::StringRef>("trainlint"))
          if (std::optional<Range> R = rangeFromJson(Diagnostic->get("range")))
            Wanted.push_back(
                {*R, Diagnostic->getString("code").value_or("").str()});
  std::optional<Range> Requested = rangeFromJson(Params.get("range"));

  SourceCache Disk;
  auto TextOf = [&](llvm::StringRef Path) { return otherFileText(Path, Disk); };
  EditContext Edits{Doc.Path, ClientDocumentChanges, Doc.Version};
  json::Array Actions;
  for (const Finding &F : Doc.Analyzed->Findings) {
    json::Object Diagnostic = toDiagnostic(F, Doc.Text, TextOf);
    Range Where = locationRange(F.Where, Doc.Text);
    bool Matches =
        Wanted.empty()
            ? Requested && Where.Start <= Requested->End &&
                  Requested->Start <= Where.End
            : llvm::any_of(Wanted, [&](const auto &Shown) {
                return Shown.first == Where && Shown.second == F.Check;
              });
    if (!Matches)
      continue;
    for (json::Value &Action :
         codeActions(F, Diagnostic, Doc.Text, Edits, TextOf))
      Actions.push_back(std::move(Action));
  }
  return Actions;
}

void Server::Impl::answerPendingLocked(const std::string &Uri) {
  auto Doc = Documents.find(Uri);
  for (auto It = Pending.begin(); It != Pending.end();) {
    if (It->Uri != Uri) {
      ++It;
      continue;
    }
    if (Doc == Documents.end())
      reply(It->Id, json::Array());
    else
      reply(It->Id, actionsLocked(Doc->second, It->Params));
    It = Pending.erase(It);
  }
}

void Server::Impl::publishLocked(const std::string &Uri, const Document &Doc) {
  SourceCache Disk;
  auto TextOf = [&](llvm::StringRef Path) { return otherFileText(Path, Disk); };
  json::Array Diagnostics;
  for (const Finding &F : Doc.Analyzed->Findings)
    Diagnostics.push_back(toDiagnostic(F, Doc.Text, TextOf));
  notify("textDocument/publishDiagnostics",
         json::Object{{"uri", Uri},
                      {"version", Doc.Analyzed->Version},
                      {"diagnostics", std::move(Diagnostics)}});
}

void Server::Impl::work() {
  std::unique_lock<std::mutex> Guard(Lock);
  while (!Stopping) {
    if (NewSettings || !Forgotten.empty()) {
      std::optional<AnalyzerSettings> Apply = std::move(NewSettings);
      NewSettings.reset();
      std::vector<std::string> Forget = std::move(Forgotten);
      Forgotten.clear();
      Guard.unlock();
      if (Apply)
        Analyzer->updateSettings(std::move(*Apply));
      for (const std::string &Path : Forget)
        Analyzer->forget(Path);
      Guard.lock();
      continue;
    }
    // The document that has waited longest past its pause.
    auto Next = Documents.end();
    for (auto It = Documents.begin(); It != Documents.end(); ++It)
      if (It->second.Due &&
          (Next == Documents.end() || *It->second.Due < *Next->second.Due))
        Next = It;
    if (Next == Documents.end() || ShutdownRequested) {
      Wake.wait(Guard);
      continue;
    }
    if (*Next->second.Due > Clock::now()) {
      Wake.wait_until(Guard, *Next->second.Due);
      continue;
    }
    std::string Uri = Next->first;
    analyzeOne(Guard, Uri, Next->second);
  }
}

void Server::Impl::analyzeOne(std::unique_lock<std::mutex> &Guard,
                              const std::string &Uri, Document &Doc) {
  Doc.Due.reset();
  auto Cancelled = std::make_shared<std::atomic<bool>>(false);
  Doc.Running = Cancelled;
  std::string Path = Doc.Path;
  std::string Text = Doc.Text;
  int64_t Version = Doc.Version;
  std::optional<std::string> ProgressToken;
  if (!Doc.AnalyzedOnce && ClientWorkDoneProgress)
    ProgressToken = "trainlint-analysis-" + std::to_string(NextOutgoingId++);
  Guard.unlock();

  std::string Name = llvm::sys::path::filename(Path).str();
  if (ProgressToken) {
    // The first analysis of a file parses all its includes: seconds.
    Client.send(json::Object{{"jsonrpc", "2.0"},
                             {"id", *ProgressToken},
                             {"method", "window/workDoneProgress/create"},
                             {"params", json::Object{{"token", *ProgressToken}}}});
    notify("$/progress",
           json::Object{{"token", *ProgressToken},
                        {"value", json::Object{{"kind", "begin"},
                                               {"title", "trainlint"},
                                               {"message", "analyzing " + Name},
                                               {"cancellable", false}}}});
  }
  Logger.info("analyzing " + Path + " version " + llvm::Twine(Version));
  Clock::time_point Start = Clock::now();
  std::optional<BufferResult> Result = Analyzer->analyze(Path, Text, *Cancelled);
  double Seconds =
      std::chrono::duration<double>(Clock::now() - Start).count();
  if (ProgressToken)
    notify("$/progress",
           json::Object{{"token", *ProgressToken},
                        {"value", json::Object{{"kind", "end"},
                                               {"message", Name + " analyzed"}}}});

  Guard.lock();
  auto It = Documents.find(Uri);
  if (It != Documents.end() && It->second.Running == Cancelled)
    It->second.Running.reset();
  if (!Result) {
    Logger.info("the analysis of " + Path + " version " + llvm::Twine(Version) +
                " was cancelled");
    return;
  }
  for (const ToolError &E : Result->Result.Errors)
    Logger.error((E.File.empty() ? Path : E.File) + ": " + E.Message);
  Logger.info(llvm::formatv("analyzed {0} version {1} in {2:f2} s: {3} "
                            "findings ({4}{5})",
                            Path, Version, Seconds,
                            Result->Result.Findings.size(),
                            Result->CommandSource,
                            Result->UsedPreamble ? ", preamble reused" : "")
                  .str());
  if (It == Documents.end()) {
    Logger.info("dropping the result for " + Path + ": it was closed");
    return;
  }
  Document &Current = It->second;
  // A document closed and opened again may come back at the same version.
  if (Current.Version != Version || Current.Text != Text) {
    Logger.info("dropping the stale result for " + Path + " version " +
                llvm::Twine(Version) + " (the document is at version " +
                llvm::Twine(Current.Version) + ")");
    return;
  }
  Current.AnalyzedOnce = true;
  AnalyzedVersion Analyzed;
  Analyzed.Version = Version;
  for (Finding &F : Result->Result.Findings) {
    // The findings are all in the document; its path as the client names it
    // is the one the edits and links must use.
    std::string Reported = F.Where.File;
    auto Rename = [&](Location &Where) {
      if (Where.File == Reported || Where.File.empty())
        Where.File = Path;
    };
    Rename(F.Where);
    for (FixIt &Edit : F.FixIts)
      Rename(Edit.Where);
    for (Note &N : F.Notes) {
      Rename(N.Where);
      for (FixIt &Edit : N.Suggestion)
        Rename(Edit.Where);
    }
    Analyzed.Findings.push_back(std::move(F));
  }
  Current.Analyzed = std::move(Analyzed);
  publishLocked(Uri, Current);
  answerPendingLocked(Uri);
}

Server::Server(ServerOptions Options, Transport &Client, Log &Logger)
    : State(std::make_unique<Impl>(std::move(Options), Client, Logger)) {}
Server::~Server() = default;
int Server::run() { return State->run(); }

} // namespace trainlint::lsp
