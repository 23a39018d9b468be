import CustSyncConnectors
import Foundation
import XCTest

/// `Tests/Fixtures/feed-server.py` running on 127.0.0.1 for one test; stopped by `stop()` or
/// when released.
public final class FeedServer {
    public static let script = PythonFixture.path("feed-server.py")

    public let port: Int
    public let scheme: String
    private let process: Process
    private let caFile: String?

    /// Starts the server with `arguments` (see the script's help) and waits for its port.
    public init(_ arguments: [String] = [], tls: TestCertificateAuthority? = nil) throws {
        var all = ["--port", "0"] + arguments
        if let tls { all += ["--tls-cert", tls.serverCertificate, "--tls-key", tls.serverKey] }
        let verbose = ProcessInfo.processInfo.environment["FEED_SERVER_VERBOSE"] != nil
        if verbose { all.append("--verbose") }
        (process, port) = try PythonFixture.start(FeedServer.script, all, showErrors: verbose)
        self.scheme = tls == nil ? "http" : "https"
        self.caFile = tls?.caCertificate
    }

    deinit { stop() }

    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// The feed's URL, `/orders` unless told otherwise.
    public func url(_ path: String = "/orders") -> String { "\(scheme)://127.0.0.1:\(port)\(path)" }

    /// Calls a `/control/…` endpoint and returns its JSON answer.
    @discardableResult
    public func control(_ pathAndQuery: String) throws -> [String: Any] {
        let transfer = try HTTPTransfer(options: TransferOptions(connectTimeout: 5, timeout: 10, caFile: caFile, userAgent: "feed-test"))
        let response = try transfer.get(url("/control/" + pathAndQuery))
        guard response.status == 200,
              let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw XCTSkip("control \(pathAndQuery) failed: HTTP \(response.status)")
        }
        return object
    }

    /// A counter from `/control/stats`.
    public func stat(_ name: String) throws -> Int {
        try control("stats")[name] as? Int ?? -1
    }
}
