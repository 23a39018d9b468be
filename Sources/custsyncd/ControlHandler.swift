import CustSyncCore
import Foundation

/// Answers one control request: identifies the caller, checks the role table, runs the command
/// and journals every operator and admin command as `admin.action`.
///
/// Reads use a read-only store connection of their own; writes (journal entries, quarantine
/// status) go through the one store writer.
struct ControlHandler {
    let daemon: Daemon

    /// What a command runs with.
    private struct Context {
        let caller: Caller
        let configuration: Configuration
        let arguments: [String: String]
        let stream: ResponseStream
        /// Personal data is masked for everyone below admin.
        var masked: Bool { caller.role.seesMaskedData }
    }

    func handle(_ request: ControlRequest, peer: ControlServer.PeerCredentials, stream: ResponseStream) -> Data? {
        let configuration = daemon.currentConfiguration
        let caller = Caller.identify(peer, access: configuration.access)
        let logger = daemon.currentLogger
        guard let needed = CommandRoles.required(for: request.command) else {
            return ControlResponses.failure(.usage("unknown command \"\(request.command)\"; see syncctl help"))
        }
        guard caller.role >= needed else {
            logger.warning("control.refused", [("command", request.command), ("uid", caller.uid), ("user", caller.user),
                                               ("role", caller.role.rawValue), ("needs", needed.rawValue)])
            return ControlResponses.failure(.forbidden(CommandRoles.refusal(
                command: request.command, needs: needed, caller: caller.label, has: caller.role, access: configuration.access)))
        }
        let context = Context(caller: caller, configuration: configuration, arguments: request.arguments, stream: stream)
        let response: Data?
        var outcome = "ok"
        var usageError = false
        do {
            response = try run(request.command, context)
        } catch let failure as ControlFailure {
            outcome = failure.error
            usageError = failure.exit == 2
            response = ControlResponses.failure(failure)
        } catch let failure as StreamFailure {
            outcome = failure.message
            response = nil
        } catch {
            outcome = "\(error)"
            response = ControlResponses.failure(ControlFailure("\(error)"))
        }
        if CommandRoles.isJournaled(request.command) && !usageError {
            let action = AdminAction(uid: caller.uid, user: caller.user, role: caller.role,
                                     command: request.command.replacingOccurrences(of: ".", with: " "),
                                     arguments: request.arguments, outcome: outcome)
            do {
                _ = try daemon.writer.perform { try AdminWriter(connection: $0.connection).journal(action) }
            } catch {
                logger.error("admin-action.unjournaled", [("command", request.command), ("uid", caller.uid), ("error", "\(error)")])
            }
            logger.notice("admin.action", [("command", request.command), ("uid", caller.uid), ("user", caller.user),
                                           ("outcome", outcome)])
        }
        return response
    }

    /// A streamed answer that failed after its header: the client has been told (or is gone).
    private struct StreamFailure: Error { let message: String }

    private func run(_ command: String, _ context: Context) throws -> Data? {
        switch command {
        case "whoami": return ControlResponses.success(whoami(context))
        case "status": return ControlResponses.success(try status(context))
        case "connectors": return ControlResponses.success(try connectors(context))
        case "journal": return ControlResponses.success(try journal(context))
        case "customer.show": return ControlResponses.success(try customer(context))
        case "customers": return ControlResponses.success(try customers(context))
        case "conflicts.list": return ControlResponses.success(try conflicts(context))
        case "conflicts.show": return ControlResponses.success(try conflict(context))
        case "quarantine.list": return ControlResponses.success(try quarantine(context))
        case "quarantine.show": return ControlResponses.success(try quarantineEntry(context))
        case "quarantine.retry": return ControlResponses.success(try retry(context))
        case "quarantine.dismiss": return ControlResponses.success(try dismiss(context))
        case "sync", "pause", "resume": return ControlResponses.success(try steer(command, context))
        case "reload":
            daemon.reload()
            return ControlResponses.success(ActionResult(message: "reload requested; see the log for the outcome"))
        case "verify": return ControlResponses.success(try verify(context))
        case "config.check": return ControlResponses.success(configCheck())
        case "backup": return ControlResponses.success(try backup(context))
        case "backups": return ControlResponses.success(BackupCatalog.list(context.configuration))
        case "export": try export(context); return nil
        // Identity surgery and tags run in the writer; the admin.action entry is written above.
        case "conflicts.resolve", "merge", "split", "tag":
            let name = command == "conflicts.resolve" ? "resolve" : command
            return try IdentityCommands.handle(name, context.arguments, writer: daemon.writer, actor: "admin:\(context.caller.user)")
        default:
            throw ControlFailure.usage("unknown command \"\(command)\"; see syncctl help")
        }
    }

    // MARK: arguments

    private func reader() throws -> StoreReader {
        try StoreReader(path: daemon.currentConfiguration.daemon.store)
    }

    private func limit(_ context: Context, default value: Int = 50, maximum: Int = 10_000) throws -> Int {
        guard let text = context.arguments["limit"] else { return value }
        guard let limit = Int(text), (1...maximum).contains(limit) else {
            throw ControlFailure.usage("--limit must be a whole number from 1 to \(maximum)")
        }
        return limit
    }

    private func id(_ context: Context, _ what: String) throws -> Int64 {
        guard let text = context.arguments["id"] else { throw ControlFailure.usage("\(what) needs an ID") }
        guard let id = Int64(text), id > 0 else { throw ControlFailure.usage("\"\(text)\" is not an ID (a whole number, as listed)") }
        return id
    }

    private func number(_ context: Context, _ key: String) throws -> Int64? {
        guard let text = context.arguments[key] else { return nil }
        guard let value = Int64(text) else { throw ControlFailure.usage("--\(key) takes a whole number") }
        return value
    }

    // MARK: reader commands

    private func whoami(_ context: Context) -> CallerInfo {
        let names = context.caller.groups.sorted().map { Caller.groupName(gid: $0) ?? String($0) }
        return CallerInfo(uid: context.caller.uid, user: context.caller.user, groups: names, role: context.caller.role)
    }

    private func connectors(_ context: Context, using reader: StoreReader? = nil) throws -> [ConnectorStatus] {
        let reader = try reader ?? self.reader()
        var connectors = daemon.connectorStatuses
        for index in connectors.indices {
            try reader.fill(&connectors[index])
            if context.masked { connectors[index].lastError = connectors[index].lastError.map(PersonalDataMask.freeText) }
        }
        return connectors
    }

    private func status(_ context: Context) throws -> StatusReport {
        var connectors = daemon.connectorStatuses
        var counts: StoreCounts?
        var journal: [JournalEntry] = []
        do {
            let reader = try reader()
            connectors = try self.connectors(context, using: reader)
            counts = try reader.counts()
            journal = try reader.journalTail(limit: 5).map { $0.masked(context.masked) }
        } catch where !daemon.writer.health.isOK {
            // The store is faulted and cannot even be read (unmounted for repair, say): report
            // what the daemon knows, so status still says what is wrong.
        }
        let health = daemon.writer.health
        let backup = daemon.backups.status(context.configuration)
        let (verdict, reason) = Self.verdict(connectors, counts, storeFault: daemon.writer.fault, backup: backup)
        var report = StatusReport(
            daemon: .init(version: Version.string, pid: getpid(), startedAt: daemon.startedAt,
                          uptimeSeconds: Date().timeIntervalSince(daemon.startedAt),
                          configuration: daemon.configPath, store: context.configuration.daemon.store),
            verdict: verdict, verdictReason: reason, connectors: connectors, storeHealth: health, store: counts,
            recentJournal: journal)
        report.backup = backup
        return report
    }

    /// ok, degraded or failing, and why. A store that takes no writes fails everything. Open
    /// conflicts are a normal review queue and do not degrade; quarantined records, a paused or
    /// struggling connector (also while it retries) and a failing scheduled backup do.
    static func verdict(_ connectors: [ConnectorStatus], _ counts: StoreCounts?, storeFault: StoreFault?,
                        backup: BackupStatus?) -> (String, String) {
        if let storeFault { return ("failing", "ingestion paused: \(storeFault.summary)") }
        let retrying = { (c: ConnectorStatus) in c.state == "polling" && c.consecutiveFailures > 0 }
        let failing = connectors.filter {
            $0.state == "failing" || (retrying($0) && $0.consecutiveFailures >= ConnectorRunner.failingAfter)
        }.map(\.name)
        if !failing.isEmpty { return ("failing", "failing: \(failing.joined(separator: ", "))") }
        let struggling = connectors.filter { $0.state == "backing-off" || $0.state == "paused" || retrying($0) }.map(\.name)
        if !struggling.isEmpty { return ("degraded", "backing off or paused: \(struggling.joined(separator: ", "))") }
        if let counts, counts.quarantined > 0 { return ("degraded", "\(counts.quarantined) quarantined records wait for review") }
        if let error = backup?.lastError { return ("degraded", "scheduled backup failed: \(error)") }
        return ("ok", "all connectors healthy")
    }

    private func journal(_ context: Context) throws -> JournalPage {
        let arguments = context.arguments
        var filter = JournalFilter(customer: arguments["customer"], kind: arguments["kind"], source: arguments["source"])
        if let since = arguments["since"] {
            guard let seq = Int64(since), seq >= 0 else { throw ControlFailure.usage("--since takes a sequence number or a time") }
            filter.afterSeq = seq
        } else if let time = arguments["since_time"] {
            guard let date = ISO8601.date(time) else { throw ControlFailure.usage("since_time must be an ISO 8601 time") }
            filter.since = date
        }
        let page = try JournalQueries(connection: reader().connection).page(filter, limit: limit(context))
        return JournalPage(entries: page.entries.map { $0.masked(context.masked) }, head: page.head, next: page.next)
    }

    private func customer(_ context: Context) throws -> CustomerView {
        guard let text = context.arguments["customer"], !text.isEmpty else {
            throw ControlFailure.usage("customer show needs a customer code, e-mail address or phone number")
        }
        let queries = CustomerQueries(connection: try reader().connection)
        let (code, mergedFrom) = try queries.resolve(text, identity: context.configuration.identity,
                                                     codeRule: CustomerCodeRule(context.configuration.codes))
        guard var view = try queries.view(code: code, interactionLimit: limit(context, default: 10, maximum: 1000)) else {
            throw ControlFailure.notFound("no customer \"\(text)\"")
        }
        view.mergedFrom = mergedFrom
        return view.masked(context.masked)
    }

    private func customers(_ context: Context) throws -> CustomerList {
        let arguments = context.arguments
        var filter = CustomerFilter()
        filter.text = arguments["text"]
        filter.stage = arguments["stage"]
        filter.tier = arguments["tier"]
        filter.region = arguments["region"]
        filter.tag = arguments["tag"]
        filter.source = arguments["source"]
        filter.after = arguments["after"]
        filter.includeMerged = arguments["include_merged"] == "true"
        filter.limit = try limit(context)
        let found = try CustomerQueries(connection: reader().connection)
            .search(filter, identity: context.configuration.identity, substringOnPersonalData: !context.masked)
        return CustomerList(customers: found.customers.map { $0.masked(context.masked) }, more: found.more, masked: context.masked)
    }

    private func conflicts(_ context: Context) throws -> ConflictList {
        let status = context.arguments["status"] ?? "open"
        guard ["open", "resolved", "all"].contains(status) else { throw ControlFailure.usage("--status is open, resolved or all") }
        let found = try ConflictQueries(connection: reader().connection).list(
            status: status, customer: context.arguments["customer"], kind: context.arguments["kind"],
            after: number(context, "after"), limit: limit(context))
        return ConflictList(conflicts: found.conflicts.map { $0.masked(context.masked) }, more: found.more)
    }

    private func conflict(_ context: Context) throws -> ConflictView {
        let id = try id(context, "conflicts show")
        guard let conflict = try ConflictQueries(connection: reader().connection).conflict(id: id) else {
            throw ControlFailure.notFound("no conflict \(id); `syncctl conflicts` lists the open ones")
        }
        return conflict.masked(context.masked)
    }

    private func quarantine(_ context: Context) throws -> QuarantineList {
        let status = context.arguments["status"] ?? "open"
        guard status == "all" || QuarantineEntry.statuses.contains(status) else {
            throw ControlFailure.usage("--status is one of \(QuarantineEntry.statuses.joined(separator: ", ")) or all")
        }
        let found = try QuarantineQueries(connection: reader().connection).list(
            status: status, source: context.arguments["source"], after: number(context, "after"), limit: limit(context))
        return QuarantineList(entries: found.entries.map { $0.masked(context.masked) }, more: found.more)
    }

    private func quarantineEntry(_ context: Context) throws -> QuarantineEntry {
        let id = try id(context, "quarantine show")
        guard let entry = try QuarantineQueries(connection: reader().connection).entry(id: id) else {
            throw ControlFailure.notFound("no quarantine entry \(id); `syncctl quarantine` lists the open ones")
        }
        // A connector no longer configured may have been a csv-drop one: its rows count as CSV.
        let kind = context.configuration.connector(named: entry.source)?.kind
        return entry.masked(context.masked, fromCSV: kind == nil || kind == .csvDrop)
    }

    // MARK: operator commands

    private func steer(_ command: String, _ context: Context) throws -> ActionResult {
        guard let name = context.arguments["name"] else { throw ControlFailure.usage("\(command) needs a connector name") }
        let runner = try enabledRunner(name)
        switch command {
        case "sync": runner.pollNow(); return ActionResult(message: "\(name): poll requested")
        case "pause": runner.pause(); return ActionResult(message: "\(name): paused")
        default: runner.resume(); return ActionResult(message: "\(name): resumed")
        }
    }

    private func enabledRunner(_ name: String) throws -> ConnectorRunner {
        guard let runner = daemon.runner(named: name) else {
            throw ControlFailure.notFound("no connector named \"\(name)\"; `syncctl connectors` lists them")
        }
        guard runner.configuration.enabled else {
            throw ControlFailure("connector \(name) is disabled (Enabled=no in \(runner.configuration.file)); enable it and reload")
        }
        return runner
    }

    /// Quarantined input cannot be re-parsed by the engine (only its connector knows the raw
    /// format), so a retry means: the upstream is fixed, read again. The entry becomes
    /// `retrying` and its connector polls now; the poll settles it (see `ConnectorRunner`).
    private func retry(_ context: Context) throws -> ActionResult {
        let id = try id(context, "quarantine retry")
        guard let entry = try QuarantineQueries(connection: reader().connection).entry(id: id) else {
            throw ControlFailure.notFound("no quarantine entry \(id); `syncctl quarantine` lists the open ones")
        }
        guard entry.status == "open" else {
            throw ControlFailure("quarantine entry \(id) is \(entry.status), not open; only open entries can be retried")
        }
        let runner: ConnectorRunner
        do {
            runner = try enabledRunner(entry.source)
        } catch let failure as ControlFailure {
            throw ControlFailure("cannot retry entry \(id): \(failure.error). `syncctl quarantine dismiss \(id)` takes it off the list")
        }
        guard try daemon.writer.perform({ try AdminWriter(connection: $0.connection).markRetrying(id: id) }) else {
            throw ControlFailure("quarantine entry \(id) changed meanwhile; see `syncctl quarantine show \(id)`")
        }
        runner.requestRetry([id])
        var message = "quarantine entry \(id): \(entry.source) polls again now; the entry closes after that poll unless it rejects \(entry.origin) again"
        if runner.configuration.kind == .csvDrop {
            // What was read from a file is not read again: the fix arrives as a new file.
            message += ". A csv-drop connector does not read an archived file again: drop a file of the header and the corrected rows alone into incoming/ (without a call.id column, rows of a whole file dropped again count as new calls)"
        }
        return ActionResult(message: message, id: id, source: entry.source, status: "retrying")
    }

    private func dismiss(_ context: Context) throws -> ActionResult {
        let id = try id(context, "quarantine dismiss")
        guard let entry = try QuarantineQueries(connection: reader().connection).entry(id: id) else {
            throw ControlFailure.notFound("no quarantine entry \(id); `syncctl quarantine` lists the open ones")
        }
        guard try daemon.writer.perform({ try AdminWriter(connection: $0.connection).dismiss(id: id) }) else {
            throw ControlFailure("quarantine entry \(id) is \(entry.status); only open or retrying entries can be dismissed")
        }
        return ActionResult(message: "quarantine entry \(id) dismissed", id: id, source: entry.source, status: "dismissed")
    }

    private func verify(_ context: Context) throws -> VerifyReport {
        try StoreVerifier(connection: reader().connection).run().masked(context.masked)
    }

    private func configCheck() -> ConfigCheckReport {
        do throws(ConfigurationErrors) {
            let configuration = try Configuration.load(path: daemon.configPath)
            return ConfigCheckReport(path: daemon.configPath, connectors: configuration.connectors.count, problems: [])
        } catch {
            return ConfigCheckReport(path: daemon.configPath, connectors: 0, problems: error.errors)
        }
    }

    // MARK: admin commands

    private func backup(_ context: Context) throws -> BackupResult {
        var target: String?
        if let path = context.arguments["to"] {
            guard path.hasPrefix("/") else { throw ControlFailure.usage("--to needs an absolute path") }
            target = ConfigValueParser.normalize(path)
        }
        do {
            return try daemon.backups.backup(kind: .manual, to: target, configuration: context.configuration)
        } catch {
            throw ControlFailure("backup failed: \(error)")
        }
    }

    /// Streams the canonical store: a header line `{"ok":true,"stream":"export"}`, one
    /// `{"row":{…}}` line per customer, and `{"end":{"count":N}}`.
    private func export(_ context: Context) throws {
        let reader = try reader()
        let encoder = ControlJSON.encoder()
        guard context.stream.send(Data(#"{"ok":true,"stream":"export"}"#.utf8)) else { return }
        struct Row: Encodable { let row: ExportRecord }
        struct End: Encodable { let end: Count }
        struct Count: Encodable { let count: Int }
        struct ClientGone: Error {}
        var count = 0
        do {
            try CustomerQueries(connection: reader.connection).export(includeMerged: context.arguments["include_merged"] == "true") { record in
                guard context.stream.send(try encoder.encode(Row(row: record))) else { throw ClientGone() }
                count += 1
            }
        } catch is ClientGone {
            guard context.stream.stalled else { throw StreamFailure(message: "the client went away after \(count) customers") }
            let message = "the client read nothing for \(Int(ControlServer.clientTimeout)) s; the export was abandoned after \(count) customers"
            daemon.currentLogger.warning("control.client-stalled", [("command", "export"), ("uid", context.caller.uid),
                                                                    ("user", context.caller.user), ("error", message)])
            throw StreamFailure(message: message)
        } catch {
            let message = "export failed after \(count) customers: \(error)"
            context.stream.send(ControlResponses.failure(ControlFailure(message)))
            throw StreamFailure(message: message)
        }
        context.stream.send(try encoder.encode(End(end: Count(count: count))))
    }
}
