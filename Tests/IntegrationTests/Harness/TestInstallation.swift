import CustSyncCore
import Foundation
import XCTest

/// A throwaway custsync installation: a main configuration, `connectors.d/`, a store, a
/// control socket and a notify socket, all under one temporary directory.
final class TestInstallation {
    let root = TemporaryDirectory()
    let notify: NotifyListener
    private(set) var daemon: DaemonProcess?
    private var starts = 0

    init(mainExtra: String = "") throws {
        notify = NotifyListener(path: root.file("notify.sock"))
        try root.write("etc/custsyncd.conf", """
            [Daemon]
            StateDirectory=\(root.file("lib"))
            RuntimeDirectory=\(root.file("run"))
            SpoolDirectory=\(root.file("spool"))
            LogLevel=debug
            StopTimeoutSec=4s
            BatchSize=500
            \(mainExtra)
            """)
        try FileManager.default.createDirectory(atPath: root.file("etc/connectors.d"), withIntermediateDirectories: true)
    }

    var configPath: String { root.file("etc/custsyncd.conf") }
    var socketPath: String { root.file("run/control.sock") }
    var storePath: String { root.file("lib/store.db") }

    /// Writes `connectors.d/NAME.conf`.
    func addConnector(_ name: String, _ text: String) throws {
        try root.write("etc/connectors.d/\(name).conf", text)
    }

    /// An exec connector running the synthetic record generator.
    func addGenerator(_ name: String, count: Int, stateEvery: Int = 1000, interval: String = "1h",
                      extraEnvironment: [String] = []) throws {
        let env = (["COUNT=\(count)", "STATE_EVERY=\(stateEvery)", "KEY_PREFIX=\(name)-"] + extraEnvironment)
            .map { "Environment=\($0)" }.joined(separator: "\n")
        try addConnector(name, """
            [Connector]
            Name=\(name)
            Kind=exec
            Interval=\(interval)
            Timeout=10min

            [Exec]
            Command=\(Paths.fixture("generate-records.sh"))
            \(env)
            """)
    }

    /// Starts custsyncd (through `launcher`, see `DaemonProcess`) and waits for READY=1.
    @discardableResult
    func start(environment: [String: String] = [:], launcher: [String] = [],
               file: StaticString = #filePath, line: UInt = #line) throws -> DaemonProcess {
        starts += 1
        var env = environment
        env["NOTIFY_SOCKET"] = notify.path
        let readyBefore = notify.count("READY=1")
        let process = try DaemonProcess(config: configPath, logPath: root.file("daemon-\(starts).log"), environment: env,
                                        launcher: launcher)
        daemon = process
        let ready = notify.waitFor("READY=1", count: readyBefore + 1, timeout: 30)
        XCTAssertTrue(ready, "custsyncd did not report READY=1; log:\n\(process.log)", file: file, line: line)
        return process
    }

    /// Runs syncctl against this installation's socket.
    func syncctl(_ arguments: [String]) throws -> CommandResult {
        try CommandResult.run(Paths.syncctl, ["--socket", socketPath] + arguments)
    }

    /// `syncctl status --json`, decoded.
    func status() throws -> [String: Any] {
        let result = try syncctl(["status", "--json"])
        guard result.status == 0, let object = result.json as? [String: Any] else {
            throw Failure("syncctl status failed (\(result.status)): \(result.stderr)")
        }
        return object
    }

    /// `syncctl status` as a person reads it: 80 columns, no colour.
    func humanStatus() throws -> String {
        let result = try CommandResult.run(Paths.syncctl, ["--socket", socketPath, "status"], environment: ["COLUMNS": "80"])
        guard result.status == 0 else { throw Failure("syncctl status failed (\(result.status)): \(result.stderr)") }
        return result.stdout
    }

    func connectorStatus(_ name: String) throws -> [String: Any]? {
        (try status()["connectors"] as? [[String: Any]])?.first { $0["name"] as? String == name }
    }

    /// A read-only view of the store file (usable while the daemon runs or after it stopped).
    func store() throws -> StoreReader { try StoreReader(path: storePath) }

    func count(_ sql: String) throws -> Int64 { try store().connection.scalarInt(sql) ?? -1 }

    struct Failure: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }
}

/// Polls `condition` until it holds or `timeout` passes.
func waitUntil(timeout: TimeInterval, interval: TimeInterval = 0.1, _ condition: () throws -> Bool) rethrows -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
        if try condition() { return true }
        usleep(UInt32(interval * 1_000_000))
    }
    return try condition()
}
