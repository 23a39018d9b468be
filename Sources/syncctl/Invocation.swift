/// syncctl's parsed command line: global options, the command, its options and operands.
struct Invocation {
    var socket: String
    var json = false
    var command = "help"
    var options: [String: String] = [:]
    var flags: Set<String> = []
    var operands: [String] = []

    /// Options that take a value, and flags; anything else is a usage error.
    static let valued: Set<String> = ["since", "limit", "customer", "kind", "source", "to"]
    static let knownFlags: Set<String> = ["follow"]

    static func parse(_ arguments: [String], environment: [String: String]) throws(UsageError) -> Invocation {
        var invocation = Invocation(socket: environment["CUSTSYNC_SOCKET"] ?? "/run/custsync/control.sock")
        var commandSeen = false
        var rest = arguments.dropFirst()[...]
        while let argument = rest.popFirst() {
            if argument.hasPrefix("--") {
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
                case "help": invocation.command = "help"; return invocation
                case _ where valued.contains(name):
                    guard let v = value ?? rest.popFirst() else { throw UsageError("--\(name) needs a value") }
                    invocation.options[name] = v
                case _ where knownFlags.contains(name): invocation.flags.insert(name)
                default: throw UsageError("unknown option --\(name)")
                }
            } else if !commandSeen {
                invocation.command = argument
                commandSeen = true
            } else {
                invocation.operands.append(argument)
            }
        }
        return invocation
    }
}

struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
