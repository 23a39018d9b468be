/// syncctl's parsed command line: global options, the command words, their options and operands.
/// Options may come anywhere; which options a command takes is checked against its
/// `CommandSpec`.
struct Invocation: Sendable {
    var socket: String
    var json = false
    var help = false
    /// The positional words: the command (`quarantine retry`) followed by its operands.
    var words: [String] = []
    var options: [String: String] = [:]
    var flags: Set<String> = []

    /// Options that take a value, and flags; anything else is a usage error.
    static let valued: Set<String> = ["take", "value", "since", "limit", "customer", "kind", "source", "to", "format", "stage", "tier",
                                      "region", "tag", "status", "after", "config"]
    static let knownFlags: Set<String> = ["merge", "separate", "follow", "include-merged"]

    static func parse(_ arguments: [String], environment: [String: String]) throws(UsageError) -> Invocation {
        var invocation = Invocation(socket: environment["CUSTSYNC_SOCKET"] ?? "/run/custsync/control.sock")
        var rest = arguments.dropFirst()[...]
        var onlyOperands = false
        while let argument = rest.popFirst() {
            if !onlyOperands && argument == "--" {
                onlyOperands = true
            } else if !onlyOperands && argument.hasPrefix("--") {
                var name = String(argument.dropFirst(2))
                var value: String?
                if let equals = name.firstIndex(of: "=") {
                    value = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                }
                switch name {
                case "socket":
                    guard let path = value ?? rest.popFirst() else { throw UsageError("--socket needs a path") }
                    invocation.socket = path
                case "json": invocation.json = true
                case "help": invocation.help = true
                case _ where valued.contains(name):
                    guard let v = value ?? rest.popFirst() else { throw UsageError("--\(name) needs a value") }
                    invocation.options[name] = v
                case _ where knownFlags.contains(name):
                    guard value == nil else { throw UsageError("--\(name) takes no value") }
                    invocation.flags.insert(name)
                default: throw UsageError("unknown option --\(name)")
                }
            } else if !onlyOperands && argument == "-h" {
                invocation.help = true
            } else {
                invocation.words.append(argument)
            }
        }
        return invocation
    }
}

struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
