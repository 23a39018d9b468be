import CustSyncCore
import Foundation

/// The commands syncctl knows, their help, and how each runs.
enum Commands {
    static let usage = """
    usage: syncctl [--socket PATH] [--json] COMMAND [ARGS]

    Commands:
      status                      daemon, connectors, store counts, last journal entries
      journal [--since SEQ] [--limit N] [--follow]
                                  the sync journal, oldest first
      connectors                  list connectors and their state
      sync NAME                   poll connector NAME now
      pause NAME | resume NAME    stop or restart scheduling connector NAME
      reload                      re-read the configuration (like SIGHUP)
      help                        this text

    Options:
      --socket PATH   the daemon's control socket (default /run/custsync/control.sock,
                      or $CUSTSYNC_SOCKET)
      --json          machine-readable output (a stable contract; see syncctl(1))

    Exit status: 0 success, 1 failure, 2 usage error, 3 daemon not running,
                 4 permission denied, 5 not found.
    """

    static func run(_ invocation: Invocation) throws -> Int32 {
        switch invocation.command {
        case "help":
            print(usage)
            return 0
        case "status":
            return try status(invocation)
        case "journal":
            return try journal(invocation)
        case "connectors":
            return try connectors(invocation)
        case "sync", "pause", "resume":
            guard let name = invocation.operands.first else { throw UsageError("\(invocation.command) needs a connector name") }
            return try simple(invocation, ControlRequest(command: invocation.command, arguments: ["name": name]))
        case "reload":
            return try simple(invocation, ControlRequest(command: "reload"))
        default:
            throw UsageError("unknown command \"\(invocation.command)\"")
        }
    }

    private static func simple(_ invocation: Invocation, _ request: ControlRequest) throws -> Int32 {
        let data = try ControlClient(path: invocation.socket).send(request)
        if invocation.json {
            Output.printJSON(data)
        } else if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let message = object["message"] as? String {
            print(message)
        }
        return 0
    }

    private static func status(_ invocation: Invocation) throws -> Int32 {
        let data = try ControlClient(path: invocation.socket).send(ControlRequest(command: "status"))
        if invocation.json { Output.printJSON(data); return 0 }
        let report = try ControlJSON.decoder().decode(StatusReport.self, from: data)
        print(StatusView.render(report))
        return 0
    }

    private static func connectors(_ invocation: Invocation) throws -> Int32 {
        let data = try ControlClient(path: invocation.socket).send(ControlRequest(command: "connectors"))
        if invocation.json { Output.printJSON(data); return 0 }
        let list = try ControlJSON.decoder().decode([ConnectorStatus].self, from: data)
        print(Output.table(["NAME", "KIND", "STATE", "NEXT POLL"],
                           list.map { [$0.name, $0.kind, $0.state, Output.relative($0.nextPoll)] }))
        return 0
    }

    struct JournalPage: Decodable { let entries: [JournalEntry]; let head: Int64 }

    private static func journal(_ invocation: Invocation) throws -> Int32 {
        let client = try ControlClient(path: invocation.socket)
        var arguments: [String: String] = [:]
        if let since = invocation.options["since"] { arguments["since"] = since }
        if let limit = invocation.options["limit"] { arguments["limit"] = limit }
        let follow = invocation.flags.contains("follow")
        var page = try ControlJSON.decoder().decode(JournalPage.self, from: client.send(ControlRequest(command: "journal", arguments: arguments)))
        while true {
            for entry in page.entries {
                if invocation.json {
                    let line = try ControlJSON.encoder().encode(entry)
                    print(String(decoding: line, as: UTF8.self))
                } else {
                    print(JournalView.line(entry))
                }
            }
            guard follow else { return 0 }
            fflush(nil)
            let last = page.entries.last?.seq ?? max(page.head, Int64(arguments["since"] ?? "0") ?? 0)
            arguments["since"] = String(last)
            arguments["limit"] = "1000"
            if page.entries.isEmpty { usleep(500_000) }
            page = try ControlJSON.decoder().decode(JournalPage.self, from: client.send(ControlRequest(command: "journal", arguments: arguments)))
        }
    }
}
