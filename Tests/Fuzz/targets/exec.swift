@testable import CustSyncConnectors
@testable import CustSyncCore
import Foundation
import Glibc

// Fuzz target `exec`: the input is what an exec connector's program writes to its stdout (the
// NDJSON protocol of connectors/README.md). As in ExecConnector, LineReader splits it into lines
// read from a pipe (with a 1 KiB line limit instead of 1 MiB, so that short inputs reach the
// too-long path), blank lines are skipped and ExecLineParser turns each line into a record, a
// state cursor or a log line; records go through Downstream.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExec(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size < 60_000 else { return -1 }  // more would block the write into the pipe
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { fatalError("pipe: \(String(cString: strerror(errno)))") }
    defer { close(fds[0]) }
    precondition(write(fds[1], data, size) == size)
    close(fds[1])
    let reader = LineReader(fd: fds[0], maxLength: 1024)
    let parser = ExecLineParser(now: { Date(timeIntervalSince1970: 1_700_000_000) })
    var lineNumber = 0
    while true {
        switch try! reader.next(timeout: 1) {
        case .end:
            return 0
        case .timeout:
            fatalError("the pipe holds the whole input and is closed: reading it cannot time out")
        case .tooLong:
            lineNumber += 1
        case .text(let text):
            lineNumber += 1
            if text.allSatisfy(\.isWhitespace) { continue }
            if case .record(let record) = try? parser.parse(text, origin: "line \(lineNumber)") {
                Downstream.apply(record)
            }
        }
    }
}
