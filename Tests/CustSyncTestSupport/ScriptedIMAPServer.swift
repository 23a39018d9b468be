import Foundation
import XCTest

/// `Tests/Fixtures/imap-script-server.py` on 127.0.0.1 for one test: an IMAP server that answers
/// a poll's listing with the given bytes, for answers no real server sends. Plaintext only.
public final class ScriptedIMAPServer {
    public static let script = PythonFixture.path("imap-script-server.py")

    public let port: Int
    public let directory: String
    private let process: Process

    public var url: String { "imap://127.0.0.1:\(port)" }

    /// Starts the server; `listing` is sent (before the tagged OK) in answer to the listing
    /// `UID FETCH`.
    public init(listing: [UInt8]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("custsync-imap-script-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(listing).write(to: URL(fileURLWithPath: directory + "/listing"))
        (process, port) = try PythonFixture.start(Self.script, ["--port", "0", "--listing", directory + "/listing"])
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
