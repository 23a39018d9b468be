import CustSyncCore
import Foundation

/// Answers one control request. Reads use a read-only store connection of their own.
struct ControlHandler {
    let daemon: Daemon

    struct JournalPage: Encodable { let entries: [JournalEntry]; let head: Int64 }
    struct Done: Encodable { let message: String }

    func handle(_ request: ControlRequest, peer: ControlServer.PeerCredentials) -> Data {
        do {
            switch request.command {
            case "status": return ControlResponses.success(try status())
            case "journal": return ControlResponses.success(try journal(request.arguments))
            case "connectors": return ControlResponses.success(try connectors())
            case "sync", "pause", "resume":
                return ControlResponses.success(try steer(request.command, request.arguments))
            case "reload":
                daemon.reload()
                return ControlResponses.success(Done(message: "reload requested; see the log for the outcome"))
            default:
                throw ControlFailure.usage("unknown command \"\(request.command)\"; see syncctl --help")
            }
        } catch let failure as ControlFailure {
            return ControlResponses.failure(failure)
        } catch {
            return ControlResponses.failure(ControlFailure("\(error)"))
        }
    }

    private func reader() throws -> StoreReader {
        try StoreReader(path: daemon.configuration.daemon.store)
    }

    private func connectors(using reader: StoreReader? = nil) throws -> [ConnectorStatus] {
        let reader = try reader ?? self.reader()
        var connectors = daemon.connectorStatuses
        for index in connectors.indices { try reader.fill(&connectors[index]) }
        return connectors
    }

    private func status() throws -> StatusReport {
        let reader = try reader()
        let connectors = try connectors(using: reader)
        let counts = try reader.counts()
        let (verdict, reason) = Self.verdict(connectors, counts)
        let configuration = daemon.configuration
        return StatusReport(
            daemon: .init(version: Version.string, pid: getpid(), startedAt: daemon.startedAt,
                          uptimeSeconds: Date().timeIntervalSince(daemon.startedAt),
                          configuration: daemon.configPath, store: configuration.daemon.store),
            verdict: verdict, verdictReason: reason, connectors: connectors, store: counts,
            recentJournal: try reader.journalTail(limit: 5))
    }

    static func verdict(_ connectors: [ConnectorStatus], _ counts: StoreCounts) -> (String, String) {
        let failing = connectors.filter { $0.state == "failing" }.map(\.name)
        if !failing.isEmpty { return ("failing", "failing: \(failing.joined(separator: ", "))") }
        let struggling = connectors.filter { $0.state == "backing-off" || $0.state == "paused" }.map(\.name)
        if !struggling.isEmpty { return ("degraded", "backing off or paused: \(struggling.joined(separator: ", "))") }
        if counts.quarantined > 0 { return ("degraded", "\(counts.quarantined) quarantined records wait for review") }
        return ("ok", "all connectors healthy")
    }

    private func journal(_ arguments: [String: String]) throws -> JournalPage {
        let reader = try reader()
        let limit = Int(arguments["limit"] ?? "50") ?? 50
        guard (1...10_000).contains(limit) else { throw ControlFailure.usage("--limit must be 1…10000") }
        let entries: [JournalEntry]
        if let since = arguments["since"] {
            guard let seq = Int64(since) else { throw ControlFailure.usage("--since takes a sequence number") }
            entries = try reader.journal(after: seq, limit: limit)
        } else {
            entries = try reader.journalTail(limit: limit)
        }
        return JournalPage(entries: entries, head: try reader.counts().journalHead)
    }

    private func steer(_ command: String, _ arguments: [String: String]) throws -> Done {
        guard let name = arguments["name"] else { throw ControlFailure.usage("\(command) needs a connector name") }
        guard let runner = daemon.runner(named: name) else {
            throw ControlFailure.notFound("no connector named \"\(name)\"; `syncctl connectors` lists them")
        }
        guard runner.configuration.enabled else {
            throw ControlFailure("connector \(name) is disabled (Enabled=no in \(runner.configuration.file)); enable it and reload")
        }
        switch command {
        case "sync": runner.pollNow(); return Done(message: "\(name): poll requested")
        case "pause": runner.pause(); return Done(message: "\(name): paused")
        default: runner.resume(); return Done(message: "\(name): resumed")
        }
    }
}
