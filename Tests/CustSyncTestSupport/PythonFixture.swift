import Foundation
import XCTest

/// Starts one of the Python servers in `Tests/Fixtures/` (which listen on 127.0.0.1 and print
/// their port on the first line of standard output) and waits for that port.
enum PythonFixture {
    /// The path of `Tests/Fixtures/<name>`.
    static func path(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(name)").path
    }

    /// Runs `python3 script arguments…`; its standard error is dropped unless `showErrors`.
    /// Throws `XCTSkip` when it does not come up (no python3).
    static func start(_ script: String, _ arguments: [String], showErrors: Bool = false) throws -> (process: Process, port: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        if !showErrors { process.standardError = FileHandle.nullDevice }
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.terminate()
            throw XCTSkip("\((script as NSString).lastPathComponent) did not start (is python3 installed?)")
        }
        return (process, port)
    }
}
