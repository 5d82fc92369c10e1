import ArgumentParser

@main
struct ThreadTrace: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "threadtrace",
    abstract: "Show what the Linux kernel does when a program makes threads and processes, in plain language.",
    version: ToolVersion.string,
    subcommands: [Explain.self, Trace.self, Diff.self]
  )

  static func main() {
    let arguments = CommandLine.arguments.dropFirst()
    // A command line it does not read, or one that fails validation, goes to ArgumentParser, which says why.
    if arguments.first == "trace", var trace = Trace.parseDirectly(arguments.dropFirst()),
      (try? trace.validate()) != nil
    {
      do {
        try trace.run()
      } catch {
        exit(withError: error)
      }
      exit()
    }
    main(nil)
  }
}

enum ToolVersion {
  static let string = "0.1.0"
}
