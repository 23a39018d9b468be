import Foundation
import XCTest

/// The system clock stepping back (an NTP correction, a restored VM snapshot) must not stop
/// the schedule: `Interval=` is measured on the monotonic clock. libfaketime moves the
/// daemon's wall clock (and only that) while it runs.
final class ClockStepTests: XCTestCase {
    private static let libfaketime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"

    func testPollsGoOnAfterTheClockStepsBackTwoHours() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: Self.libfaketime),
                          "libfaketime is not installed (make test installs it)")
        let installation = try TestInstallation()
        let witness = try WitnessConnector(in: installation)
        let offset = installation.root.file("faketime")
        try installation.root.write("faketime", "+0\n")
        try installation.start(environment: ["LD_PRELOAD": Self.libfaketime,
                                             "FAKETIME_TIMESTAMP_FILE": offset,
                                             "FAKETIME_CACHE_DURATION": "1",
                                             "FAKETIME_DONT_FAKE_MONOTONIC": "1"],
                               // Started directly under libfaketime 0.9.10, custsyncd does not see its
                               // arguments; exec'd by env(1) running under the same preload, it does.
                               launcher: ["/usr/bin/env"])
        try witness.add(1)
        XCTAssertTrue(try waitUntil(timeout: 15) { try witness.applied() == 1 }, "the witness never polled")

        try installation.root.write("faketime", "-2h\n")
        // Give the runner a poll or two under the new time before the next record arrives.
        Thread.sleep(forTimeInterval: 2.5)
        try witness.add(2)
        XCTAssertTrue(try waitUntil(timeout: 15) { try witness.applied() == 2 },
                      "no poll after the clock stepped back; log:\n\(installation.daemon?.log.suffix(3000) ?? "")")
    }
}
