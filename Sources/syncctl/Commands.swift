import CustSyncCore
import Foundation
import Glibc

/// The commands syncctl knows, and how each runs. `help` is generated from `all`.
enum Commands {
    static let exitCodes = """
    Exit status: 0 success, 1 failure, 2 usage error, 3 daemon not running,
                 4 permission denied, 5 not found,
                 6 problems found (verify, config check).
    """

    private static let page = [("--limit N", "at most N rows (1 to 10000, default 50)"),
                               ("--after X", "the rows after X (the last code or ID of the previous page)")]

    static let all: [CommandSpec] = [
        CommandSpec(words: ["whoami"], wire: "whoami", operands: "", operandCount: 0...0,
                    abstract: "your user, groups and role as the daemon sees them", options: [],
                    json: "uid, user, groups, role, masked, commands", run: { i, _ in try simple(i, "whoami", [:], render: whoami) }),
        CommandSpec(words: ["status"], wire: "status", operands: "", operandCount: 0...0,
                    abstract: "verdict, connectors, store, backups, journal tail", options: [],
                    json: "daemon, verdict, verdict_reason, connectors, store_health, store, backup, recent_journal",
                    run: { i, _ in try simple(i, "status", [:]) { StatusView.render(try decode(StatusReport.self, $0)) } }),
        CommandSpec(words: ["connectors"], wire: "connectors", operands: "", operandCount: 0...0,
                    abstract: "connectors with state, last success and lag", options: [],
                    json: "[connector] as in status", run: { i, _ in try simple(i, "connectors", [:], render: connectors) }),
        CommandSpec(words: ["journal"], wire: "journal", operands: "", operandCount: 0...0,
                    abstract: "the sync journal, oldest first",
                    options: [("--since SEQ|TIME", "entries after sequence number SEQ, or from TIME (2026-11-22, 2026-11-22 10:00, ISO 8601, or 2h/30min ago)"),
                              ("--limit N", "at most N entries (1 to 10000, default 50)"),
                              ("--follow", "then print new entries as they are committed, until interrupted"),
                              ("--customer CODE", "only entries about customer CODE"),
                              ("--kind KIND", "only entries of KIND (field.changed), or a family (customer.*)"),
                              ("--source NAME", "only entries from connector NAME (admin actions: syncctl)")],
                    json: "one object per line: seq, at, source, kind, customer, before, after", run: journal),
        CommandSpec(words: ["customer", "show"], wire: "customer.show", operands: "CODE|EMAIL|PHONE", operandCount: 1...1,
                    abstract: "one customer, with the source of each value",
                    options: [("--limit N", "the N newest interactions (default 10)")],
                    json: "code, merged_from, stage, tier, rfm, aliases, created_at, updated_at, version, fields, identifiers, tags, interactions, interaction_count, open_conflicts, masked",
                    run: { i, operands in
                        try simple(i, "customer.show", ["customer": operands[0]].merging(pass(i, "limit")) { a, _ in a }) {
                            CustomerText.render(try decode(CustomerView.self, $0))
                        }
                    }),
        CommandSpec(words: ["customers"], wire: "customers", operands: "[TEXT]", operandCount: 0...1,
                    abstract: "search and filter customers",
                    options: [("--stage STAGE", "only customers in lifecycle stage STAGE"),
                              ("--tier TIER", "only customers of tier TIER"),
                              ("--region REGION", "only customers in REGION"),
                              ("--tag TAG", "only customers tagged TAG"),
                              ("--source NAME", "only customers connector NAME has sent values for"),
                              ("--include-merged", "list merged customers too")] + page,
                    json: "customers (code, name, email, phone, company, region, customer_type, stage, tier, updated_at, merged_into), more, masked",
                    run: customers),
        CommandSpec(words: ["export"], wire: "export", operands: "", operandCount: 0...0,
                    abstract: "the canonical store as JSON lines or CSV, streamed",
                    options: [("--format jsonl|csv", "JSON lines (default) or CSV with a header row"),
                              ("--include-merged", "export merged customers too")],
                    json: "one object per line: code, name, email, phone, address, company, region, customer_type, stage, tier, created_at, updated_at, version, merged_into, identifiers, tags",
                    run: export),
        CommandSpec(words: ["conflicts", "list"], wire: "conflicts.list", operands: "", operandCount: 0...0,
                    abstract: "conflicts no rule could decide (default: open ones)",
                    options: [("--status open|resolved|all", "which conflicts (default open)"),
                              ("--customer CODE", "only conflicts about customer CODE"),
                              ("--kind field|merge-candidate", "only conflicts of this kind")] + page,
                    json: "conflicts (id, kind, customer, field, current_value, other, candidates, reason, opened_at, status, resolved_at, resolution), more",
                    run: conflicts),
        CommandSpec(words: ["conflicts", "show"], wire: "conflicts.show", operands: "ID", operandCount: 1...1,
                    abstract: "one conflict with its candidates", options: [],
                    json: "a conflict as in conflicts list",
                    run: { i, operands in
                        try simple(i, "conflicts.show", ["id": operands[0]]) { ConflictText.render(try decode(ConflictView.self, $0)) }
                    }),
        CommandSpec(words: ["conflicts", "resolve"], wire: "conflicts.resolve", operands: "ID", operandCount: 1...1,
                    abstract: "settle a conflict: a field's value, or whether two customers are one",
                    options: [("--take SOURCE", "field conflict: take the value SOURCE asserted"),
                              ("--value V", "field conflict: set this value"),
                              ("--merge", "merge candidate: they are the same person"),
                              ("--separate", "merge candidate: they are different people")],
                    json: "message",
                    run: { i, operands in
                        var arguments = ["id": operands[0]]
                        if let take = i.options["take"] { arguments["take"] = take }
                        if let value = i.options["value"] { arguments["value"] = value }
                        if i.flags.contains("merge") { arguments["merge"] = "true" }
                        if i.flags.contains("separate") { arguments["separate"] = "true" }
                        return try simple(i, "conflicts.resolve", arguments)
                    }),
        CommandSpec(words: ["merge"], wire: "merge", operands: "CODE INTO-CODE", operandCount: 2...2,
                    abstract: "merge customer CODE into INTO-CODE (CODE stays as an alias)", options: [], json: "message",
                    run: { i, operands in try simple(i, "merge", ["code": operands[0], "into": operands[1]]) }),
        CommandSpec(words: ["split"], wire: "split", operands: "CODE", operandCount: 1...1,
                    abstract: "undo the merge that absorbed CODE, from the journal", options: [], json: "message",
                    run: { i, operands in try simple(i, "split", ["code": operands[0]]) }),
        CommandSpec(words: ["tag"], wire: "tag", operands: "CODE +NAME|-NAME ...", operandCount: 2...32,
                    abstract: "add (+name) or remove (-name) manual tags", options: [], json: "code, tags",
                    run: { i, operands in
                        let changes = operands.dropFirst()
                        guard changes.allSatisfy({ $0.hasPrefix("+") || $0.hasPrefix("-") }) else {
                            throw UsageError("tags are +name to add or -name to remove")
                        }
                        let add = changes.filter { $0.hasPrefix("+") }.map { String($0.dropFirst()) }
                        let remove = changes.filter { $0.hasPrefix("-") }.map { String($0.dropFirst()) }
                        return try simple(i, "tag", ["code": operands[0], "add": add.joined(separator: ","),
                                                     "remove": remove.joined(separator: ",")]) { data in
                            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
                            return "\(operands[0]): \((object?["tags"] as? [String] ?? []).joined(separator: " "))"
                        }
                    }),
        CommandSpec(words: ["quarantine", "list"], wire: "quarantine.list", operands: "", operandCount: 0...0,
                    abstract: "rejected input (default: open entries)",
                    options: [("--status STATUS", "open (default), retrying, closed, superseded, dismissed or all"),
                              ("--source NAME", "only entries from connector NAME")] + page,
                    json: "entries (id, source, origin, reason, at, status), more", run: quarantine),
        CommandSpec(words: ["quarantine", "show"], wire: "quarantine.show", operands: "ID", operandCount: 1...1,
                    abstract: "one quarantine entry with its raw input", options: [],
                    json: "id, source, origin, reason, raw, at, status",
                    run: { i, operands in
                        try simple(i, "quarantine.show", ["id": operands[0]]) { QuarantineText.render(try decode(QuarantineEntry.self, $0)) }
                    }),
        CommandSpec(words: ["quarantine", "retry"], wire: "quarantine.retry", operands: "ID", operandCount: 1...1,
                    abstract: "after an upstream fix: read its connector again", options: [],
                    json: "message, id, source, status", run: { i, operands in try simple(i, "quarantine.retry", ["id": operands[0]]) }),
        CommandSpec(words: ["quarantine", "dismiss"], wire: "quarantine.dismiss", operands: "ID", operandCount: 1...1,
                    abstract: "take an entry off the list without a retry", options: [],
                    json: "message, id, source, status", run: { i, operands in try simple(i, "quarantine.dismiss", ["id": operands[0]]) }),
        CommandSpec(words: ["sync"], wire: "sync", operands: "NAME", operandCount: 1...1,
                    abstract: "poll connector NAME now (also when paused)", options: [],
                    json: "message", run: { i, operands in try simple(i, "sync", ["name": operands[0]]) }),
        CommandSpec(words: ["pause"], wire: "pause", operands: "NAME", operandCount: 1...1,
                    abstract: "stop scheduling connector NAME", options: [],
                    json: "message", run: { i, operands in try simple(i, "pause", ["name": operands[0]]) }),
        CommandSpec(words: ["resume"], wire: "resume", operands: "NAME", operandCount: 1...1,
                    abstract: "schedule connector NAME again", options: [],
                    json: "message", run: { i, operands in try simple(i, "resume", ["name": operands[0]]) }),
        CommandSpec(words: ["reload"], wire: "reload", operands: "", operandCount: 0...0,
                    abstract: "re-read the configuration (like SIGHUP)", options: [],
                    json: "message", run: { i, _ in try simple(i, "reload", [:]) }),
        CommandSpec(words: ["config", "check"], wire: "config.check", operands: "", operandCount: 0...0,
                    abstract: "would the configuration on disk be accepted?", options: [],
                    json: "ok, path, connectors, problems (file, line, key, message)", run: configCheck),
        CommandSpec(words: ["verify"], wire: "verify", operands: "", operandCount: 0...0,
                    abstract: "integrity check and custsync's invariants", options: [],
                    json: "ok, store, checked_at, checks (name, description, ok, problem_count, problems)", run: verify),
        CommandSpec(words: ["backups"], wire: "backups", operands: "", operandCount: 0...0,
                    abstract: "list backups (also while the daemon is stopped)",
                    options: [("--config PATH", "the main configuration, for when custsyncd is not running (default /etc/custsync/custsyncd.conf)")],
                    json: "directory, secondary_directory, backups (path, name, location, kind, bytes, created_at), problems",
                    run: backups),
        CommandSpec(words: ["backup"], wire: "backup", operands: "", operandCount: 0...0,
                    abstract: "online backup now, integrity-checked",
                    options: [("--to PATH", "write it to PATH (a new file, or a folder) instead of the backup folder")],
                    json: "path, bytes, started_at, seconds, integrity, secondary_path, secondary_error", run: backup),
    ]

    /// Commands named by one word that default to a subcommand.
    static let defaults = ["conflicts": "list", "quarantine": "list", "config": "check"]

    // MARK: dispatch

    static func run(_ invocation: Invocation) throws -> Int32 {
        var words = invocation.words
        if words.isEmpty || words == ["help"] {
            print(usage())
            return 0
        }
        if words[0] == "help" {
            let (spec, _) = try find(Array(words.dropFirst()))
            print(help(spec))
            return 0
        }
        if words.count == 1, let sub = defaults[words[0]] { words.append(sub) }
        let (spec, operands) = try find(words)
        if invocation.help {
            print(help(spec))
            return 0
        }
        let unknown = Set(invocation.options.keys).union(invocation.flags).subtracting(spec.optionNames)
        if let option = unknown.sorted().first {
            throw UsageError("\(spec.name) does not take --\(option); see `syncctl help \(spec.name)`")
        }
        guard spec.operandCount.contains(operands.count) else {
            throw UsageError("usage: syncctl \(spec.synopsis)")
        }
        return try spec.run(invocation, operands)
    }

    /// The command `words` start with (the longest match), and the operands after it.
    static func find(_ words: [String]) throws -> (CommandSpec, [String]) {
        var words = words
        if words.count == 1, let sub = defaults[words[0]] { words.append(sub) }
        let matches = all.filter { spec in spec.words.count <= words.count && Array(words.prefix(spec.words.count)) == spec.words }
        guard let spec = matches.max(by: { $0.words.count < $1.words.count }) else {
            let name = words.first ?? ""
            let family = all.filter { !$0.hidden && $0.words.count > 1 && $0.words[0] == name }.map { $0.words[1] }
            if !family.isEmpty {
                throw UsageError("\(name) needs one of: \(family.joined(separator: ", ")) (e.g. syncctl \(name) \(family[0]) …)")
            }
            let names = Set(all.filter { !$0.hidden }.map { $0.words[0] }).sorted()
            var message = "unknown command \"\(words.joined(separator: " "))\""
            if let close = ConfigValueParser.closest(to: name, among: names) { message += "; did you mean \(close)?" }
            throw UsageError(message)
        }
        return (spec, Array(words.dropFirst(spec.words.count)))
    }

    // MARK: help

    static func usage() -> String {
        var lines = ["usage: syncctl [--socket PATH] [--json] COMMAND [ARGS]", "       syncctl help COMMAND", ""]
        let width = 28
        for (role, title) in [(Role.none, "Anyone"), (.reader, "Readers (personal data masked)"),
                              (.operator, "Operators (and everything readers may)"), (.admin, "Admins (personal data unmasked)")] {
            let specs = all.filter { !$0.hidden && $0.role == role }
            guard !specs.isEmpty else { continue }
            lines.append("\(title):")
            for spec in specs {
                let synopsis = "  " + spec.synopsis
                let pad = synopsis.count < width ? String(repeating: " ", count: width - synopsis.count) : "\n" + String(repeating: " ", count: width)
                lines.append(synopsis + pad + Output.wrap(spec.abstract, width: min(Output.width, 80), indent: width))
            }
            lines.append("")
        }
        lines += [
            "Options:",
            "  --socket PATH   the daemon's control socket",
            "                  (default $CUSTSYNC_SOCKET, else /run/custsync/control.sock)",
            "  --json          machine-readable output (a stable contract; see syncctl(1))",
            "  --help          help for a command: syncctl COMMAND --help",
            "",
            "Roles come from the Unix groups in [Access] of custsyncd.conf; root is admin.",
            exitCodes,
        ]
        return lines.joined(separator: "\n")
    }

    static func help(_ spec: CommandSpec) -> String {
        var lines = ["usage: syncctl \(spec.synopsis)\(spec.options.isEmpty ? "" : " [OPTIONS]") [--json]", "",
                     // An abstract may end in a question mark ("… accepted?"); no full stop after it.
                     Output.wrap(spec.abstract.hasSuffix("?") ? spec.abstract : spec.abstract + ".",
                                 width: min(Output.width, 80), indent: 0),
                     "Needs the \(spec.role.rawValue) role."]
        if !spec.options.isEmpty {
            lines += ["", "Options:"]
            for (name, text) in spec.options {
                lines.append("  \(name)")
                lines.append("      " + Output.wrap(text, width: min(Output.width, 80), indent: 6))
            }
        }
        if !spec.json.isEmpty { lines += ["", "--json: " + Output.wrap(spec.json, width: min(Output.width, 80), indent: 8)] }
        lines += ["", exitCodes]
        return lines.joined(separator: "\n")
    }

    // MARK: plumbing

    static func decode<T: Decodable>(_ type: T.Type, _ data: Data) throws -> T {
        try ControlJSON.decoder().decode(type, from: data)
    }

    /// The options named, passed on to the daemon as they are (dashes become underscores).
    static func pass(_ invocation: Invocation, _ names: String...) -> [String: String] {
        var arguments: [String: String] = [:]
        for name in names {
            if let value = invocation.options[name] { arguments[name.replacingOccurrences(of: "-", with: "_")] = value }
            if invocation.flags.contains(name) { arguments[name.replacingOccurrences(of: "-", with: "_")] = "true" }
        }
        return arguments
    }

    /// Sends one request; prints its JSON with `--json`, else `render`'s text (or the
    /// `message` member when there is no renderer).
    static func simple(_ invocation: Invocation, _ command: String, _ arguments: [String: String],
                       render: ((Data) throws -> String)? = nil) throws -> Int32 {
        let data = try ControlClient(path: invocation.socket).send(ControlRequest(command: command, arguments: arguments))
        if invocation.json {
            Output.printJSON(data)
        } else if let render {
            print(try render(data))
        } else if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let message = object["message"] as? String {
            print(message)
        }
        return 0
    }

    // MARK: commands

    private static func whoami(_ data: Data) throws -> String {
        let info = try decode(CallerInfo.self, data)
        var text = "uid \(info.uid) (\(info.user)), groups \(info.groups.joined(separator: ", ")): role \(Output.bold(info.role.rawValue))"
        if info.role == .none {
            text += "\nYou may not run any command: ask an administrator to add you to one of the groups in [Access]."
        } else {
            text += info.masked ? " (personal data masked)" : " (personal data unmasked)"
        }
        return text
    }

    private static func connectors(_ data: Data) throws -> String {
        let list = try decode([ConnectorStatus].self, data)
        let now = Date()
        let table = Output.table(["NAME", "KIND", "STATE", "IN/APPLIED/REJ", "LAST OK", "NEWEST", "NEXT"],
                                 list.map { [$0.name, $0.kind, $0.state, "\($0.recordsIn)/\($0.applied)/\($0.rejected)",
                                             Output.relative($0.lastSuccess, now: now), Output.relative($0.newestRecord, now: now),
                                             Output.relative($0.nextPoll, now: now)] },
                                 flexible: [0], colour: [2: Output.state])
        return ([table] + list.flatMap { WaitingFileText.lines($0, now: now) }).joined(separator: "\n")
    }

    private static func journal(_ invocation: Invocation, _ operands: [String]) throws -> Int32 {
        var client = try ControlClient(path: invocation.socket)
        var arguments = pass(invocation, "limit", "customer", "kind", "source")
        if let since = invocation.options["since"] {
            if let seq = Int64(since), seq >= 0 {
                arguments["since"] = String(seq)
            } else if let date = TimeArgument.date(since) {
                arguments["since_time"] = ISO8601.string(date)
            } else {
                throw UsageError("--since takes a sequence number or a time (2026-11-22, 2026-11-22 10:00, ISO 8601, or 2h for two hours ago)")
            }
        }
        let follow = invocation.flags.contains("follow")
        // A --since past the newest entry (a typo, or a store restored from an older backup)
        // would otherwise just print nothing: say so once.
        var sincePastHead = arguments["since"].flatMap { Int64($0) }
        while true {
            let request = ControlRequest(command: "journal", arguments: arguments)
            let page: JournalPage
            do {
                page = try decode(JournalPage.self, try client.send(request))
            } catch let failure as ControlFailure where follow && failure.exit == 3 {
                // The daemon closes a connection that sent no request for 30 s (a follower
                // stopped with Ctrl-Z, or blocked on a reader that stopped reading). The page
                // asked for starts after the last one printed, so asking again on a new
                // connection loses and repeats nothing; when no daemon answers, this fails too.
                client = try ControlClient(path: invocation.socket)
                page = try decode(JournalPage.self, try client.send(request))
            }
            if let since = sincePastHead {
                if since > page.head {
                    let waiting = follow ? "; waiting for entries after \(since)" : ""
                    FileHandle.standardError.write(Data("syncctl: --since \(since) is past the journal's newest entry (\(page.head))\(waiting)\n".utf8))
                }
                sincePastHead = nil
            }
            for entry in page.entries {
                if invocation.json {
                    print(String(decoding: try ControlJSON.encoder().encode(entry), as: UTF8.self))
                } else {
                    print(JournalView.line(entry))
                }
            }
            guard follow else {
                // As `quarantine` and `conflicts` say so: an empty answer is not a silent one.
                if page.entries.isEmpty && !invocation.json { print("no entries") }
                return 0
            }
            // SIGPIPE is ignored, so a reader that went away (`journal --follow | head`) is
            // seen here; stop then instead of polling the daemon for ever.
            if fflush(nil) == EOF || Output.isClosed { return 0 }
            arguments["since"] = String(page.next)
            arguments["since_time"] = nil
            arguments["limit"] = "1000"
            if page.entries.count < 1000 { usleep(500_000) }
        }
    }

    private static func customers(_ invocation: Invocation, _ operands: [String]) throws -> Int32 {
        var arguments = pass(invocation, "stage", "tier", "region", "tag", "source", "include-merged", "after", "limit")
        if let text = operands.first { arguments["text"] = text }
        return try simple(invocation, "customers", arguments) { CustomerText.list(try decode(CustomerList.self, $0)) }
    }

    private static func export(_ invocation: Invocation, _ operands: [String]) throws -> Int32 {
        let format = invocation.options["format"] ?? "jsonl"
        guard format == "jsonl" || format == "csv" else { throw UsageError("--format is jsonl or csv") }
        if invocation.json && format == "csv" { throw UsageError("--json and --format csv exclude each other") }
        let writer = ExportWriter(format: format)
        let count = try ControlClient(path: invocation.socket).stream(
            ControlRequest(command: "export", arguments: pass(invocation, "include-merged"))) { try writer.write($0) }
        try writer.finish()
        if isatty(1) == 0 {
            FileHandle.standardError.write(Data("syncctl: exported \(count) customers\n".utf8))
        }
        return 0
    }

    private static func conflicts(_ invocation: Invocation, _ operands: [String]) throws -> Int32 {
        try simple(invocation, "conflicts.list", pass(invocation, "status", "customer", "kind", "after", "limit")) {
            ConflictText.list(try decode(ConflictList.self, $0))
        }
    }

    private static func quarantine(_ invocation: Invocation, _ operands: [String]) throws -> Int32 {
        try simple(invocation, "quarantine.list", pass(invocation, "status", "source", "after", "limit")) {
            QuarantineText.list(try decode(QuarantineList.self, $0))
        }
    }

    private static func configCheck(_ invocation: Invocation, _ operands: [String]) throws -> Int32 {
        let data = try ControlClient(path: invocation.socket).send(ControlRequest(command: "config.check"))
        let report = try decode(ConfigCheckReport.self, data)
        if invocation.json {
            Output.printJSON(data)
        } else if report.ok {
            print("\(report.path): configuration OK (\(report.connectors) connectors)")
            print("`syncctl reload` applies it.")
        } else {
            for problem in report.problems {
                var place = problem.file
                if let line = problem.line { place += ":\(line)" }
                print("\(place): \(problem.key.map { "\($0): " } ?? "")\(problem.message)")
            }
            print("\(report.problems.count) problem(s); a reload would keep the running configuration")
        }
        return report.ok ? 0 : 6
    }

    private static func verify(_ invocation: Invocation, _ operands: [String]) throws -> Int32 {
        let data = try ControlClient(path: invocation.socket).send(ControlRequest(command: "verify"))
        let report = try decode(VerifyReport.self, data)
        if invocation.json { Output.printJSON(data) } else { print(VerifyText.render(report)) }
        return report.ok ? 0 : 6
    }

    private static func backup(_ invocation: Invocation, _ operands: [String]) throws -> Int32 {
        var arguments: [String: String] = [:]
        if let to = invocation.options["to"] {
            arguments["to"] = ConfigValueParser.resolve(to, relativeTo: FileManager.default.currentDirectoryPath)
        }
        return try simple(invocation, "backup", arguments) { BackupText.result(try decode(BackupResult.self, $0)) }
    }

    /// Lists backups through the daemon; when it is not running, reads the configuration and
    /// the folders itself, so the list is there when it is needed most (before a restore).
    private static func backups(_ invocation: Invocation, _ operands: [String]) throws -> Int32 {
        let data: Data
        var offline: String?
        do throws(ControlFailure) {
            data = try ControlClient(path: invocation.socket).send(ControlRequest(command: "backups"))
        } catch {
            guard error.exit == 3 else { throw error }
            let path = invocation.options["config"] ?? ProcessInfo.processInfo.environment["CUSTSYNC_CONFIG"] ?? "/etc/custsync/custsyncd.conf"
            let configuration: Configuration
            do throws(ConfigurationErrors) {
                configuration = try Configuration.load(path: path)
            } catch {
                throw ControlFailure("custsyncd is not running, and its configuration \(path) cannot be read to find the backups: "
                                     + "\(error.errors.first.map { "\($0)" } ?? "invalid"). Give it with --config PATH.", exit: 3)
            }
            data = try ControlJSON.encoder().encode(BackupCatalog.list(configuration))
            offline = path
        }
        if invocation.json {
            Output.printJSON(data)
        } else {
            if let offline { print("(custsyncd is not running: listed from \(offline))") }
            print(BackupText.list(try decode(BackupList.self, data)))
        }
        return 0
    }
}
