@testable import CustSyncConnectors
import Foundation
import Glibc
import Synchronization
import XCTest

final class LeaseProbeTests: XCTestCase {
    /// A writer opening the file while the probe holds its read lease makes the kernel send the
    /// lease holder SIGIO, whose default action ends the process: this test would die with it.
    func testAWriterOpeningDuringTheProbeDoesNotKillTheProcess() throws {
        let fixture = try DropFixture()
        try fixture.drop("calls.csv", callRows(["2024-03-01 09:00:00,13800138000,张伟,A01,answered,1,x"]))
        let folder = try DropFolder(path: fixture.folder)
        let path = fixture.path("incoming/calls.csv")
        let stop = Atomic<Bool>(false)
        let opens = Atomic<Int>(0)
        let writer = Thread {
            while !stop.load(ordering: .relaxed) {
                let fd = open(path, O_WRONLY | O_CLOEXEC)
                if fd >= 0 { close(fd) }
                opens.add(1, ordering: .relaxed)
            }
        }
        writer.start()
        defer { stop.store(true, ordering: .relaxed) }
        var answers: [Bool?: Int] = [:]
        let end = Date().addingTimeInterval(2)
        while Date() < end {
            answers[folder.isOpenForWriting(DropFileName("calls.csv")), default: 0] += 1
        }
        stop.store(true, ordering: .relaxed)
        XCTAssertGreaterThan(opens.load(ordering: .relaxed), 1000, "the writer really raced the probe")
        XCTAssertGreaterThan(answers[false] ?? 0, 0, "the probe took leases: \(answers)")
    }
}
