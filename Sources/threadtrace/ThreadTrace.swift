import ArgumentParser

@main
struct ThreadTrace: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "threadtrace",
    abstract: "Show what the Linux kernel does when a program makes threads and processes, in plain language.",
    version: ToolVersion.string,
    subcommands: [Explain.self, Trace.self, Diff.self]
  )
}

enum ToolVersion {
  static let string = "0.1.0"
}
