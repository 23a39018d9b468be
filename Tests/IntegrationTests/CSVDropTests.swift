import Foundation
import Glibc
import XCTest

/// The csv-drop connector in the real daemon: real files, real inotify, real kill -9.
final class CSVDropTests: XCTestCase {
    private static let mapping = """
        [Mapping]
        通话时间=call.time
        主叫号码=phone
        客户姓名=name
        坐席工号=call.agent
        通话结果=call.disposition
        通话时长=call.duration
        备注=call.notes
        """

    /// A csv-drop connector named `calls` on `<spool>/calls`.
    private func addCalls(_ installation: TestInstallation, csv: String = "") throws {
        try installation.addConnector("calls", """
            [Connector]
            Name=calls
            Kind=csv-drop
            Interval=1s
            Timeout=1min

            [CSV]
            SettleTime=300ms
            RescanInterval=5s
            TimeZone=Asia/Shanghai
            \(csv)

            \(Self.mapping)
            """)
    }

    private func folder(_ installation: TestInstallation, _ area: String) -> String {
        installation.root.file("spool/calls/\(area)")
    }

    /// Waits for the connector to create its folders, then writes `bytes` under a hidden name in
    /// `incoming/` and renames it into place.
    private func drop(_ installation: TestInstallation, _ name: String, _ bytes: [UInt8]) throws {
        XCTAssertTrue(waitUntil(timeout: 20) { FileManager.default.fileExists(atPath: folder(installation, "incoming")) })
        let temporary = folder(installation, "incoming/.\(name).uploading")
        try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        XCTAssertEqual(rename(temporary, folder(installation, "incoming/\(name)")), 0)
    }

    private func drop(_ installation: TestInstallation, _ name: String, _ text: String) throws {
        try drop(installation, name, Array(text.utf8))
    }

    /// Names of the files under `area` (recursively), sorted.
    private func files(_ installation: TestInstallation, _ area: String) -> [String] {
        let base = folder(installation, area)
        var names: [String] = []
        for case let relative as String in FileManager.default.enumerator(atPath: base) ?? NSEnumerator() {
            var st = stat()
            if lstat(base + "/" + relative, &st) == 0, st.st_mode & S_IFMT != S_IFDIR {
                names.append((relative as NSString).lastPathComponent)
            }
        }
        return names.sorted()
    }

    /// The daemon as the shipped unit runs it: without CAP_LEASE, so it cannot take a lease on an
    /// uploader's file to ask the kernel whether it is still open for writing.
    private static let withoutLeases = ["/usr/bin/setpriv", "--bounding-set", "-lease", "--inh-caps", "-lease"]

    /// `incoming/stalled.csv` as an uploader writes it (owned by nobody: not the daemon's file),
    /// stalled after the first half of its calls and still open.
    private struct StalledUpload {
        let fd: Int32
        let content: [UInt8]
        var half: Int { content.count / 2 }

        init(at path: String, content: [UInt8]) {
            self.content = content
            fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o640)
            XCTAssertGreaterThanOrEqual(fd, 0)
            XCTAssertEqual(fchown(fd, 65534, 65534), 0, "an uploader's file: the daemon does not own it")
            XCTAssertEqual(content[..<half].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }, half)
        }

        /// Writes the rest and closes the file.
        func finish() {
            XCTAssertEqual(content[half...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }, content.count - half)
            close(fd)
        }
    }

    private func generate(_ count: Int, first: Int = 1, encoding: String = "utf-8") throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Paths.fixture("generate-calls-csv.sh"))
        process.arguments = [String(count)]
        process.environment = ["FIRST": String(first), "ENCODING": encoding, "PATH": "/usr/bin:/bin"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return [UInt8](data)
    }

    private func header() -> String { "通话时间,主叫号码,客户姓名,坐席工号,通话结果,通话时长,备注\n" }

    func testGB18030AndBOMAndEmptyFilesAreReadAndArchived() throws {
        let installation = try TestInstallation()
        try addCalls(installation)
        try installation.start()
        let gb = try generate(20, first: 1, encoding: "gb18030")
        XCTAssertNil(String(bytes: gb, encoding: .utf8), "really GB18030, not UTF-8")
        try drop(installation, "gb.csv", gb)
        try drop(installation, "bom.csv", [0xEF, 0xBB, 0xBF] + (try generate(5, first: 101)))
        try drop(installation, "empty.csv", [])
        XCTAssertTrue(waitUntil(timeout: 30) { files(installation, "archive") == ["bom.csv", "empty.csv", "gb.csv"] },
                      "\(files(installation, "archive"))\n\(installation.daemon!.log.suffix(3000))")
        XCTAssertEqual(try installation.count("SELECT count(*) FROM customers"), 25)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM customers WHERE name = '客户7' AND phone = '+8613900000007'"), 1)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM customers WHERE name = '客户101'"), 1)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM interactions WHERE kind = 'call' AND summary = '第7通, 备注'"), 1)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM quarantine"), 0)
        let status = try XCTUnwrap(try installation.connectorStatus("calls"))
        XCTAssertEqual(status["applied"] as? Int, 25)
        XCTAssertEqual(status["rejected"] as? Int, 0)
        XCTAssertEqual(status["skipped"] as? Int, 1, "the empty file")
        XCTAssertEqual(status["kind"] as? String, "csv-drop")
        XCTAssertTrue(files(installation, "incoming").isEmpty && files(installation, "processing").isEmpty)
    }

    func testBadRowsAreRejectedWithReasonsAndCountedInStatus() throws {
        let installation = try TestInstallation()
        try addCalls(installation)
        try installation.start()
        let longNote = String(repeating: "长", count: 400_000)  // 1.2 MB in UTF-8
        try drop(installation, "bad.csv", header()
            + "2024-03-01 09:00:00,13800138000,张伟,A01,已接通,60,好\n"            // 2 good
            + "2024-03-01 09:01:00,13800138001,王芳,A01,已接通\n"                 // 3 too few columns
            + "2024-03-01 09:02:00,13800138002,刘洋,A01,已接通,60,多,余\n"         // 4 too many columns
            + "2024-02-30 09:03:00,13800138003,陈静,A01,已接通,60,x\n"           // 5 invalid date
            + "2024-03-01 09:04:00,13800138004,\"杨\"磊,A01,已接通,60,x\n"       // 6 broken quoting
            + "2024-03-01 09:05:00,13800138005,赵敏,A01,已接通,60,\(longNote)\n" // 7 1.2 MB line
            + "2024-03-01 09:06:00,13800138006,周杰,A01,已接通,60,好\n")           // 8 good
        XCTAssertTrue(waitUntil(timeout: 30) { files(installation, "archive") == ["bad.csv"] },
                      installation.daemon!.log.suffix(3000).description)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM interactions"), 2)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM quarantine WHERE origin LIKE 'bad.csv line %'"), 5)
        let status = try XCTUnwrap(try installation.connectorStatus("calls"))
        XCTAssertEqual(status["applied"] as? Int, 2)
        XCTAssertEqual(status["rejected"] as? Int, 5)
        let human = try installation.syncctl(["status"])
        XCTAssertTrue(human.stdout.contains("5 quarantined"), human.stdout)

        XCTAssertEqual(files(installation, "rejected"), ["bad.csv.rejects.csv"])
        let rejects = try String(contentsOfFile: folder(installation, "rejected/bad.csv.rejects.csv"), encoding: .utf8)
        let lines = rejects.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 6)
        XCTAssertEqual(lines[0], "line,reason,record")
        XCTAssertTrue(lines[1].hasPrefix("3,\"wrong column count: 5 fields, the header has 7\",\"2024-03-01 09:01:00,13800138001,王芳"), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("4,\"wrong column count: 8 fields, the header has 7\""), lines[2])
        XCTAssertTrue(lines[3].hasPrefix("5,\"call.time column \"\"通话时间\"\": \"\"2024-02-30 09:03:00\"\" is not a valid date"), lines[3])
        XCTAssertTrue(lines[4].hasPrefix("6,\"unexpected character after closing quote in field 3\""), lines[4])
        XCTAssertTrue(lines[5].hasPrefix("7,\"record longer than MaxLineLength=1048576 bytes"), lines[5])
        XCTAssertLessThan(lines[5].utf8.count, 10_000, "the monster line is not copied whole")
    }

    func testSlowWriterIsNotTakenEarlyAndRenamedFilesAre() throws {
        let installation = try TestInstallation()
        try addCalls(installation, csv: "SettleTime=2s")
        try installation.start()
        XCTAssertTrue(waitUntil(timeout: 20) { FileManager.default.fileExists(atPath: folder(installation, "incoming")) })
        let content = try generate(80, first: 1)
        let path = folder(installation, "incoming/slow.csv")
        let chunks = stride(from: 0, to: content.count, by: content.count / 8 + 1).map {
            Array(content[$0..<min(content.count, $0 + content.count / 8 + 1)])
        }
        // Each chunk appended by a separate open/write/close (an IN_CLOSE_WRITE every time),
        // cutting rows in half, 0.3 s apart: never still for 2 s until the end.
        for chunk in chunks {
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            XCTAssertEqual(chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }, chunk.count)
            close(fd)
            usleep(300_000)
            XCTAssertEqual(files(installation, "incoming"), ["slow.csv"], "taken while still being written")
            XCTAssertEqual(try installation.count("SELECT count(*) FROM interactions"), 0)
        }
        // A second file written slowly under a temporary name and renamed into place.
        let temporary = folder(installation, "incoming/renamed.csv.part")
        let second = try generate(40, first: 1001)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        for start in stride(from: 0, to: second.count, by: 700) {
            let piece = Array(second[start..<min(second.count, start + 700)])
            XCTAssertEqual(piece.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }, piece.count)
            usleep(100_000)
        }
        close(fd)
        XCTAssertEqual(rename(temporary, folder(installation, "incoming/renamed.csv")), 0)

        XCTAssertTrue(waitUntil(timeout: 30) { files(installation, "archive") == ["renamed.csv", "slow.csv"] },
                      "\(files(installation, "archive"))\n\(installation.daemon!.log.suffix(3000))")
        XCTAssertEqual(try installation.count("SELECT count(*) FROM interactions"), 120)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM customers"), 120)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM quarantine"), 0)
    }

    /// The daemon of the shipped unit cannot take a lease on an uploader's file (no CAP_LEASE),
    /// so it cannot ask the kernel whether the file is still open for writing. An upload that
    /// stalls longer than SettleTime= must still not be taken before its writer closes it.
    func testAStalledUploadIsNotTakenBeforeItsWriterClosesItEvenWithoutLeases() throws {
        let installation = try TestInstallation()
        try addCalls(installation)
        try installation.start(launcher: Self.withoutLeases)
        XCTAssertTrue(waitUntil(timeout: 20) { FileManager.default.fileExists(atPath: folder(installation, "incoming")) })
        let upload = StalledUpload(at: folder(installation, "incoming/stalled.csv"), content: try generate(60, first: 1))
        sleep(2)  // the upload stalls: quiet for more than SettleTime=300ms, still open
        XCTAssertEqual(files(installation, "incoming"), ["stalled.csv"], "taken while its writer still held it open")
        XCTAssertEqual(try installation.count("SELECT count(*) FROM interactions"), 0)
        // syncctl status and syncctl connectors say why the file waits.
        let connectors = try XCTUnwrap(try installation.status()["connectors"] as? [[String: Any]])
        let waiting = try XCTUnwrap(connectors.first { $0["name"] as? String == "calls" }?["waiting_files"] as? [[String: Any]])
        XCTAssertEqual(waiting.first?["name"] as? String, "stalled.csv")
        XCTAssertEqual(waiting.first?["reason"] as? String, "writer-open")
        XCTAssertEqual(waiting.first?["size"] as? Int, upload.half)
        let human = try installation.syncctl(["status"]).stdout
        let words = human.split(whereSeparator: \.isWhitespace).joined(separator: " ")  // wrapped at 80 columns
        XCTAssertTrue(words.contains("calls waiting: stalled.csv") && words.contains("its writer has not closed it yet"), human)
        let listed = try installation.syncctl(["connectors"]).stdout
        let listedWords = listed.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(listedWords.contains("calls waiting: stalled.csv") && listedWords.contains("its writer has not closed it yet"), listed)
        upload.finish()
        XCTAssertTrue(waitUntil(timeout: 20) { files(installation, "archive") == ["stalled.csv"] },
                      "\(files(installation, "archive"))\n\(installation.daemon!.log.suffix(3000))")
        XCTAssertEqual(try installation.count("SELECT count(*) FROM interactions"), 60)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM quarantine"), 0)
        let after = try XCTUnwrap(try installation.status()["connectors"] as? [[String: Any]])
        XCTAssertNil(after.first { $0["name"] as? String == "calls" }?["waiting_files"], "nothing waits any more")

        // A file whose close never comes (as one linked into place) is not left waiting for
        // ever: once quiet for UnfinishedWrites.patience (10 minutes; backdated here) it is
        // taken, with a warning.
        let unclosed = open(folder(installation, "incoming/unclosed.csv"), O_WRONLY | O_CREAT | O_EXCL, 0o640)
        defer { close(unclosed) }
        XCTAssertEqual(fchown(unclosed, 65534, 65534), 0)
        let more = try generate(5, first: 101)
        XCTAssertEqual(more.withUnsafeBytes { write(unclosed, $0.baseAddress, $0.count) }, more.count)
        sleep(1)
        XCTAssertEqual(files(installation, "incoming"), ["unclosed.csv"])
        var times = [timespec(tv_sec: time(nil) - 700, tv_nsec: 0), timespec(tv_sec: time(nil) - 700, tv_nsec: 0)]
        XCTAssertEqual(futimens(unclosed, &times), 0)
        XCTAssertTrue(waitUntil(timeout: 20) { files(installation, "archive") == ["stalled.csv", "unclosed.csv"] },
                      "\(files(installation, "archive"))\n\(installation.daemon!.log.suffix(3000))")
        XCTAssertEqual(try installation.count("SELECT count(*) FROM interactions"), 65)
        XCTAssertTrue(installation.daemon!.log.contains("csv.taken-unclosed"), String(installation.daemon!.log.suffix(3000)))
    }

    /// A restart (an upgrade, a crash) while an upload stalls: the new daemon did not see the file
    /// being written, and without leases it cannot ask the kernel. It must not take the half file.
    func testAnUploadStalledAcrossARestartIsNotTakenHalfWithoutLeases() throws {
        let installation = try TestInstallation()
        try addCalls(installation)
        try installation.start(launcher: Self.withoutLeases)
        XCTAssertTrue(waitUntil(timeout: 20) { FileManager.default.fileExists(atPath: folder(installation, "incoming")) })
        let upload = StalledUpload(at: folder(installation, "incoming/stalled.csv"), content: try generate(40, first: 1))
        sleep(1)
        installation.daemon!.signal(SIGTERM)
        XCTAssertEqual(installation.daemon!.waitForExit(timeout: 10), 0)

        try installation.start(launcher: Self.withoutLeases)
        sleep(3)  // several settle times and listings of incoming/
        XCTAssertEqual(files(installation, "incoming"), ["stalled.csv"], "taken half-written after the restart")
        XCTAssertEqual(try installation.count("SELECT count(*) FROM interactions"), 0)
        let waiting = try XCTUnwrap(try installation.connectorStatus("calls")?["waiting_files"] as? [[String: Any]])
        XCTAssertEqual(waiting.first?["name"] as? String, "stalled.csv")

        upload.finish()
        XCTAssertTrue(waitUntil(timeout: 20) { files(installation, "archive") == ["stalled.csv"] },
                      "\(files(installation, "archive"))\n\(installation.daemon!.log.suffix(3000))")
        XCTAssertEqual(try installation.count("SELECT count(*) FROM interactions"), 40)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM quarantine"), 0)

        // What arrived complete before the start and has been quiet for 10 minutes is taken at
        // once, without the warning meant for a file whose close was never seen.
        let old = folder(installation, "incoming/yesterday.csv")
        installation.daemon!.signal(SIGTERM)
        XCTAssertEqual(installation.daemon!.waitForExit(timeout: 10), 0)
        try Data(try generate(5, first: 101)).write(to: URL(fileURLWithPath: old))
        XCTAssertEqual(chown(old, 65534, 65534), 0)
        var times = [timespec(tv_sec: time(nil) - 700, tv_nsec: 0), timespec(tv_sec: time(nil) - 700, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, old, &times, 0), 0)
        try installation.start(launcher: Self.withoutLeases)
        XCTAssertTrue(waitUntil(timeout: 20) { files(installation, "archive") == ["stalled.csv", "yesterday.csv"] },
                      "\(files(installation, "archive"))\n\(installation.daemon!.log.suffix(3000))")
        XCTAssertEqual(try installation.count("SELECT count(*) FROM interactions"), 45)
        XCTAssertFalse(installation.daemon!.log.contains("csv.taken-unclosed"), String(installation.daemon!.log.suffix(3000)))
    }

    func testSameContentTwiceIsSkippedAndASymlinkIsRefused() throws {
        let installation = try TestInstallation()
        try addCalls(installation)
        try installation.start()
        let content = try generate(10)
        try drop(installation, "monday.csv", content)
        XCTAssertTrue(waitUntil(timeout: 30) { files(installation, "archive") == ["monday.csv"] })
        try drop(installation, "monday-copy.csv", content)
        XCTAssertTrue(symlink("/etc/passwd", folder(installation, "incoming/passwd.csv")) == 0)
        XCTAssertTrue(waitUntil(timeout: 30) {
            files(installation, "archive") == ["monday-copy.csv", "monday.csv"]
                && files(installation, "rejected") == ["passwd.csv", "passwd.csv.error"]
        }, installation.daemon!.log.suffix(3000).description)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM interactions"), 10)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM customers"), 10)
        let journal = try installation.syncctl(["journal", "--limit", "50"])
        XCTAssertTrue(journal.stdout.contains("record.skipped"), journal.stdout)
        XCTAssertTrue(journal.stdout.contains("monday-copy.csv"), journal.stdout)
        let error = try String(contentsOfFile: folder(installation, "rejected/passwd.csv.error"), encoding: .utf8)
        XCTAssertTrue(error.contains("symbolic link to /etc/passwd refused"), error)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM quarantine WHERE origin = 'passwd.csv' AND reason LIKE 'symbolic link%'"), 1)
        var st = stat()
        XCTAssertEqual(lstat(folder(installation, "rejected/passwd.csv"), &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFLNK, "the link itself was moved, not what it points to")
        let status = try XCTUnwrap(try installation.connectorStatus("calls"))
        XCTAssertEqual(status["skipped"] as? Int, 1)
        XCTAssertEqual(status["rejected"] as? Int, 1)
    }

    func testKill9MidFileThenRestartAppliesEveryRowExactlyOnce() throws {
        let total = 100_000
        let installation = try TestInstallation()
        try addCalls(installation)
        let first = try installation.start()
        try drop(installation, "big.csv", generate(total))
        XCTAssertTrue(try waitUntil(timeout: 300) { (try installation.connectorStatus("calls")?["applied"] as? Int ?? 0) >= 20_000 },
                      first.log.suffix(2000).description)
        first.crash()
        let appliedAtCrash = try installation.count("SELECT count(*) FROM interactions")
        XCTAssertLessThan(appliedAtCrash, Int64(total), "the crash came too late to prove anything")
        XCTAssertEqual(files(installation, "processing"), ["big.csv"])

        try installation.start()
        XCTAssertTrue(waitUntil(timeout: 600, interval: 0.5) { files(installation, "archive") == ["big.csv"] },
                      installation.daemon!.log.suffix(2000).description)
        installation.daemon!.signal(SIGTERM)
        XCTAssertEqual(installation.daemon!.waitForExit(timeout: 10), 0)

        XCTAssertEqual(try installation.count("SELECT count(*) FROM interactions"), Int64(total))
        XCTAssertEqual(try installation.count("SELECT count(DISTINCT source_key) FROM interactions"), Int64(total))
        XCTAssertEqual(try installation.count("SELECT count(*) FROM customers"), Int64(total))
        XCTAssertEqual(try installation.count("SELECT count(*) FROM journal WHERE kind = 'interaction.recorded'"), Int64(total))
        XCTAssertEqual(try installation.count("SELECT count(*) FROM quarantine"), 0)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM completed_content"), 1)
        let head = try installation.count("SELECT max(seq) FROM journal")
        XCTAssertEqual(try installation.count("SELECT count(*) FROM journal"), head)
        let cursor = try XCTUnwrap(try installation.store().connection
            .statement("SELECT cursor FROM connector_state WHERE name = 'calls'").first()?.string(0))
        XCTAssertTrue(cursor.contains("\"state\":\"done\""), cursor)
    }
}
