//===--- ProgramRun.cpp - running the observed program --------------------===//
//
// fork/exec rather than llvm::sys::ExecuteAndWait: the report needs the
// signal that ended the program, and a time limit that first asks nicely.
// Preloading a library is a Linux (ELF loader) feature, so is this.
//
//===----------------------------------------------------------------------===//

#include "validate/ProgramRun.h"
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace trainlint {
namespace validate {

namespace {

std::vector<std::string> buildEnvironment(const RunRequest &R) {
  std::vector<std::string> Env;
  for (char **E = environ; E && *E; ++E) {
    llvm::StringRef Entry(*E);
    llvm::StringRef Name = Entry.split('=').first;
    bool Replaced = false;
    for (const auto &[Key, Value] : R.Env)
      if (Name == Key)
        Replaced = true;
    if (!Replaced)
      Env.push_back(Entry.str());
  }
  for (const auto &[Key, Value] : R.Env)
    if (Value)
      Env.push_back(Key + "=" + *Value);
  return Env;
}

void sleepMs(unsigned Ms) {
  struct timespec T = {static_cast<time_t>(Ms / 1000),
                       static_cast<long>(Ms % 1000) * 1000000};
  nanosleep(&T, nullptr);
}

double nowSeconds() {
  struct timespec T;
  clock_gettime(CLOCK_MONOTONIC, &T);
  return T.tv_sec + T.tv_nsec / 1e9;
}

ProgramExit fromStatus(int Status) {
  ProgramExit E;
  if (WIFEXITED(Status)) {
    E.How = ProgramExit::Exited;
    E.Code = WEXITSTATUS(Status);
  } else if (WIFSIGNALED(Status)) {
    E.How = ProgramExit::Signaled;
    E.Signal = WTERMSIG(Status);
  }
  return E;
}

} // namespace

ProgramExit runProgram(const RunRequest &Request) {
  ProgramExit Result;
  if (Request.Argv.empty()) {
    Result.Error = "no program";
    return Result;
  }
  // Everything the child needs is built before fork.
  std::vector<std::string> EnvStrings = buildEnvironment(Request);
  std::vector<char *> Env, Argv;
  for (std::string &S : EnvStrings)
    Env.push_back(S.data());
  Env.push_back(nullptr);
  std::vector<std::string> ArgStrings = Request.Argv;
  for (std::string &S : ArgStrings)
    Argv.push_back(S.data());
  Argv.push_back(nullptr);

  // exec's errno comes back through a close-on-exec pipe.
  int Pipe[2];
  if (pipe2(Pipe, O_CLOEXEC) != 0) {
    Result.Error = std::strerror(errno);
    return Result;
  }
  pid_t Pid = fork();
  if (Pid < 0) {
    Result.Error = std::strerror(errno);
    close(Pipe[0]);
    close(Pipe[1]);
    return Result;
  }
  if (Pid == 0) {
    close(Pipe[0]);
    execvpe(Argv[0], Argv.data(), Env.data());
    int Error = errno;
    ssize_t Ignored = write(Pipe[1], &Error, sizeof(Error));
    (void)Ignored;
    _exit(127);
  }
  close(Pipe[1]);
  int ExecError = 0;
  ssize_t Got = read(Pipe[0], &ExecError, sizeof(ExecError));
  close(Pipe[0]);
  if (Got == static_cast<ssize_t>(sizeof(ExecError))) {
    int Status;
    waitpid(Pid, &Status, 0);
    Result.Error = Request.Argv.front() + ": " + std::strerror(ExecError);
    return Result;
  }

  struct sigaction Ignore, OldInt, OldQuit;
  std::memset(&Ignore, 0, sizeof(Ignore));
  Ignore.sa_handler = SIG_IGN;
  sigaction(SIGINT, &Ignore, &OldInt);
  sigaction(SIGQUIT, &Ignore, &OldQuit);

  double Deadline =
      Request.TimeoutSeconds ? nowSeconds() + Request.TimeoutSeconds : 0;
  bool Terminated = false;
  double KillAt = 0;
  int Status = 0;
  for (;;) {
    pid_t Done = waitpid(Pid, &Status, WNOHANG);
    if (Done == Pid)
      break;
    if (Done < 0 && errno != EINTR) {
      Result.Error = std::strerror(errno);
      break;
    }
    double Now = nowSeconds();
    if (Deadline && !Terminated && Now > Deadline) {
      kill(Pid, SIGTERM);
      Terminated = true;
      KillAt = Now + 5;
    } else if (Terminated && Now > KillAt) {
      kill(Pid, SIGKILL);
      KillAt = Now + 3600;
    }
    sleepMs(20);
  }
  sigaction(SIGINT, &OldInt, nullptr);
  sigaction(SIGQUIT, &OldQuit, nullptr);
  if (!Result.Error.empty())
    return Result;
  Result = fromStatus(Status);
  if (Terminated)
    Result.How = ProgramExit::TimedOut;
  return Result;
}

} // namespace validate
} // namespace trainlint
