import CustSyncCore
import Foundation

/// Runs a configured program and reads the NDJSON protocol from its stdout (connectors/README.md).
/// The last committed cursor is passed in `CUSTSYNC_CURSOR`; records are committed together with
/// the cursor of the next `state` line, so after a crash the program is asked to resume from
/// exactly what is stored. Records re-sent after a crash are recognised and change nothing.
public final class ExecConnector: Connector {
    public let name: String
    let settings: ExecSettings
    let log: @Sendable (_ level: String, _ message: String) -> Void

    public init(name: String, settings: ExecSettings, log: @escaping @Sendable (_ level: String, _ message: String) -> Void = { _, _ in }) {
        self.name = name
        self.settings = settings
        self.log = log
    }

    public func poll(from cursor: Cursor?, context: PollContext) throws {
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("NOTIFY_SOCKET") || key.hasPrefix("WATCHDOG_") {
            environment[key] = nil
        }
        environment.merge(settings.environment) { _, configured in configured }
        environment["CUSTSYNC_CONNECTOR"] = name
        environment["CUSTSYNC_CURSOR"] = cursor?.value ?? ""
        let child = try ChildProcess(argv: settings.argv, environment: environment,
                                     workingDirectory: settings.workingDirectory)
        let reader = LineReader(fd: child.stdout)
        let parser = ExecLineParser()
        var pending: [Batch.Item] = []
        var lineNumber = 0

        func flush(cursor: Cursor?) throws {
            guard !pending.isEmpty || cursor != nil else { return }
            try context.deliver(Batch(source: name, items: pending, nextCursor: cursor))
            pending.removeAll(keepingCapacity: true)
        }

        while true {
            if context.shouldStop {
                child.terminate()
                if context.stopWasRequested { return }
                throw ConnectorError("timed out: the program ran past Timeout= and was stopped; records up to its last state line are committed")
            }
            let line = try reader.next(timeout: min(0.25, max(0.01, context.deadline.timeIntervalSinceNow)))
            switch line {
            case .timeout:
                continue
            case .end:
                try flush(cursor: nil)
                // A program that closed stdout and lingers is stopped like one still printing.
                let ending = child.waitForExit(until: context.deadline, stopping: { context.stopWasRequested })
                if context.stopWasRequested { return }
                if child.wasTerminated {
                    throw ConnectorError("timed out: the program closed its output but ran past Timeout= and was stopped; records up to its last state line are committed")
                }
                guard child.exitedSuccessfully else {
                    throw ConnectorError("\(settings.argv.first ?? "program") \(ending)")
                }
                return
            case .tooLong(let prefix):
                lineNumber += 1
                pending.append(.rejected(Rejection(origin: "line \(lineNumber)",
                                                   reason: "line longer than 1 MiB", raw: prefix)))
            case .text(let text):
                lineNumber += 1
                if text.allSatisfy(\.isWhitespace) { continue }
                switch Result(catching: { () throws(ExecLineParser.Malformed) in try parser.parse(text, origin: "line \(lineNumber)") }) {
                case .success(.record(let record)): pending.append(.record(record))
                case .success(.state(let cursor)): try flush(cursor: cursor)
                case .success(.log(let level, let message)): log(level, message)
                case .failure(let malformed):
                    pending.append(.rejected(Rejection(origin: "line \(lineNumber)", reason: malformed.reason, raw: text)))
                }
            }
            // Records with no state line yet are committed without moving the cursor: memory
            // stays bounded, and re-reading them after a crash changes nothing.
            if pending.count >= context.batchSize { try flush(cursor: nil) }
        }
    }
}
