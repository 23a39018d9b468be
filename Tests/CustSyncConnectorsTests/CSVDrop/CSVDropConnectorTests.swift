@testable import CustSyncConnectors
import CustSyncCore
import Foundation
import Glibc
import Synchronization
import XCTest

final class CSVDropConnectorTests: XCTestCase {
    func testRowsBecomeCallsAndTheFileIsArchived() throws {
        let fixture = try DropFixture()
        try fixture.drop("calls.csv", callRows([
            "2024-03-01 09:00:00,13800138000,张伟,A01,answered,120,first call",
            "2024-03-01 10:30:00,13800138000,张伟,A02,callback,35,\"said \"\"call later\"\"\"",
            "2024/3/2 8:05,+86 139 0013 9000,李娜,A01,answered,60,\"two\nlines\"",
        ]))
        XCTAssertNil(fixture.session())
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM customers"), 2)
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM interactions WHERE kind = 'call'"), 3)
        XCTAssertEqual(try fixture.string("SELECT name FROM customers WHERE phone = '+8613800138000'"), "张伟")
        XCTAssertEqual(try fixture.string("SELECT summary FROM interactions WHERE status = 'callback'"), "said \"call later\"")
        XCTAssertEqual(try fixture.string("SELECT summary FROM interactions WHERE details LIKE '%\"line\":\"4\"%'"), "two\nlines")
        // 2024-03-01 09:00 in Asia/Shanghai.
        XCTAssertEqual(try fixture.count("SELECT min(occurred_at) FROM interactions"), 1_709_254_800)
        XCTAssertEqual(fixture.files("archive"), ["calls.csv"])
        XCTAssertEqual(fixture.files("incoming"), [])
        XCTAssertEqual(fixture.files("processing"), [])
        XCTAssertEqual(fixture.files("rejected"), [])
        let cursor = try XCTUnwrap(fixture.cursor)
        XCTAssertEqual(cursor.state, .done)
        XCTAssertEqual(cursor.file, "calls.csv")
        XCTAssertEqual(cursor.encoding, "utf8")
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM completed_content WHERE hash = '\(cursor.sha256)'"), 1)
        var st = stat()
        XCTAssertEqual(stat(fixture.path("processing"), &st), 0)
        XCTAssertEqual(st.st_mode & 0o7777, 0o750)
    }

    func testIncomingIsCreatedSharedWithTheUploadersGroup() throws {
        let fixture = try DropFixture()
        XCTAssertNil(fixture.session(seconds: 0.2))
        var st = stat()
        XCTAssertEqual(stat(fixture.path("incoming"), &st), 0)
        XCTAssertEqual(st.st_mode & 0o7777, 0o2770, "setgid and group-writable whatever the umask")
    }

    func testBadRowsAreRejectedWithReasonsAndGoodRowsGoIn() throws {
        let fixture = try DropFixture { $0.maxLineLength = 200 }
        let long = String(repeating: "x", count: 500)
        try fixture.drop("bad.csv", callRows([
            "2024-03-01 09:00:00,13800138000,张伟,A01,answered,120,ok",           // line 2
            "2024-03-01 09:01:00,13800138001,王芳,A01,answered",                   // line 3: too few
            "2024-02-30 09:02:00,13800138002,刘洋,A01,answered,10,x",              // line 4: bad date
            "2024-03-01 09:03:00,13800138003,陈静,A\"01,answered,10,x",            // line 5: bad quote
            "2024-03-01 09:04:00,13800138004,杨磊,A01,answered,10,\(long)",        // line 6: too long
            "2024-03-01 09:05:00,13800138005,赵敏,A01,answered,10,ok",             // line 7
            "2024-03-01 09:06:00,not-a-phone,周杰,A01,answered,10,x",              // line 8: engine rejects
        ]))
        XCTAssertNil(fixture.session())
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM interactions"), 2)
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM quarantine"), 5)
        XCTAssertEqual(try fixture.count("SELECT rejected FROM connector_state"), 5)
        XCTAssertEqual(try fixture.count("SELECT applied FROM connector_state"), 2)
        let reasons = try StoreReader(path: fixture.root + "/store.db").connection
            .statement("SELECT origin, reason FROM quarantine ORDER BY id").rows().map { "\($0.string(0)!): \($0.string(1)!)" }
        XCTAssertEqual(reasons.count, 5)
        XCTAssertTrue(reasons[0].hasPrefix("bad.csv line 3: wrong column count: 5 fields, the header has 7"), reasons[0])
        XCTAssertTrue(reasons[1].hasPrefix("bad.csv line 4: call.time column \"时间\": \"2024-02-30 09:02:00\" is not a valid date"), reasons[1])
        XCTAssertTrue(reasons[2].hasPrefix("bad.csv line 5: unexpected quote in unquoted field 4"), reasons[2])
        XCTAssertTrue(reasons[3].hasPrefix("bad.csv line 6: record longer than MaxLineLength=200 bytes"), reasons[3])
        XCTAssertTrue(reasons[4].hasPrefix("bad.csv line 8: "), reasons[4])
        XCTAssertEqual(fixture.files("archive"), ["bad.csv"])
        XCTAssertEqual(fixture.files("rejected"), ["bad.csv.rejects.csv"])
        let rejects = fixture.read("rejected/bad.csv.rejects.csv").split(separator: "\n").map(String.init)
        XCTAssertEqual(rejects.count, 5)
        XCTAssertEqual(rejects[0], "line,reason,record")
        XCTAssertEqual(rejects[1], "3,\"wrong column count: 5 fields, the header has 7\",\"2024-03-01 09:01:00,13800138001,王芳,A01,answered\"")
        XCTAssertTrue(rejects[3].hasPrefix("5,\"unexpected quote in unquoted field 4\",\"2024-03-01 09:03:00,13800138003,陈静,A\"\"01"), rejects[3])
        XCTAssertTrue(rejects[4].hasPrefix("6,\"record longer than MaxLineLength=200 bytes"), rejects[4])
    }

    func testResumesAfterACrashWithoutApplyingOrRejectingAnythingTwice() throws {
        let fixture = try DropFixture()
        var rows: [String] = []
        for i in 1...9 {
            rows.append(i == 5 ? "garbage" : "2024-03-01 09:0\(i):00,1380013800\(i),客户\(i),A01,answered,\(i),row \(i)")
        }
        try fixture.drop("calls.csv", callRows(rows))
        // Batches of 2 rows after the start batch: the third (lines 6–7, with the bad line 6) fails
        // as if the daemon died after writing the rejects file but before COMMIT.
        fixture.failAfter.set(3)
        XCTAssertNotNil(fixture.session(batchSize: 2))
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM interactions"), 4)
        XCTAssertEqual(fixture.files("processing"), ["calls.csv"])
        XCTAssertEqual(fixture.cursor?.state, .reading)
        XCTAssertEqual(fixture.cursor?.line, 6)
        XCTAssertEqual(fixture.read("rejected/calls.csv.rejects.csv").split(separator: "\n").count, 2, "written, not committed")

        fixture.failAfter.set(nil)
        fixture.restart()
        XCTAssertNil(fixture.session(batchSize: 2))
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM interactions"), 8)
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM journal WHERE kind = 'interaction.recorded'"), 8)
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM quarantine"), 1)
        XCTAssertEqual(fixture.read("rejected/calls.csv.rejects.csv").split(separator: "\n").count, 2)
        XCTAssertEqual(fixture.files("rejected"), ["calls.csv.rejects.csv"])
        XCTAssertEqual(fixture.files("archive"), ["calls.csv"])
        XCTAssertEqual(fixture.cursor?.state, .done)
    }

    /// Encoding= changed by a reload (or a restart with another configuration) while a file is
    /// half read: the rest is read as the part before was, in the encoding its cursor names.
    func testAFileHalfReadWhenEncodingChangesIsFinishedInItsOwnEncoding() throws {
        let fixture = try DropFixture()
        var rows: [String] = []
        for i in 1...6 { rows.append("2024-03-01 09:0\(i):00,1380013800\(i),客户\(i),A01,接通,\(i),第\(i)行") }
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in callRows(rows).utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try fixture.drop("calls.csv", utf16)
        fixture.failAfter.set(2)  // the start and rows 1–2 commit, then the daemon "dies"
        XCTAssertNotNil(fixture.session(batchSize: 2))
        XCTAssertEqual(fixture.cursor?.encoding, "utf16")
        XCTAssertEqual(fixture.cursor?.line, 4)

        fixture.failAfter.set(nil)
        fixture.settings.encoding = .gb18030
        fixture.restart()
        XCTAssertNil(fixture.session(batchSize: 2))
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM quarantine"), 0)
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM interactions"), 6)
        XCTAssertEqual(try fixture.string("SELECT name FROM customers WHERE phone = '+8613800138006'"), "客户6")
        XCTAssertEqual(fixture.files("archive"), ["calls.csv"])
    }

    func testAFileChangedAfterRowsOfItWereCommittedIsRejectedNotReadAgain() throws {
        let fixture = try DropFixture()
        let rows = (1...6).map { "2024-03-01 09:0\($0):00,1380013800\($0),客户\($0),A01,answered,\($0),x" }
        try fixture.drop("calls.csv", callRows(rows))
        // The start batch and two batches of 2 rows commit, then the daemon "dies".
        fixture.failAfter.set(3)
        XCTAssertNotNil(fixture.session(batchSize: 2))
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM interactions"), 4)
        XCTAssertEqual(fixture.cursor?.line, 6)
        // Its uploader was not done: it writes more to the claimed file.
        append("2024-03-01 09:07:00,13800138007,客户7,A01,answered,7,x\n", to: fixture.path("processing/calls.csv"))

        fixture.failAfter.set(nil)
        fixture.restart()
        XCTAssertNil(fixture.session(batchSize: 2))
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM interactions"), 4, "the committed rows are not applied twice")
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM journal WHERE kind = 'interaction.recorded'"), 4)
        XCTAssertEqual(fixture.files("rejected"), ["calls.csv", "calls.csv.error"])
        let error = fixture.read("rejected/calls.csv.error")
        XCTAssertTrue(error.contains("changed after it was claimed and partly read: its rows before line 6 are committed"), error)
        XCTAssertTrue(error.contains("the header and the lines from 6 on"), error)
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM quarantine WHERE origin = 'calls.csv'"), 1)
        XCTAssertEqual(fixture.cursor?.state, .rejected)
    }

    func testAFileWrittenToWhileItIsReadKeepsItsRowsAndGoesToRejected() throws {
        let fixture = try DropFixture()
        let rows = (1...6).map { "2024-03-01 09:0\($0):00,1380013800\($0),客户\($0),A01,answered,\($0),x" }
        try fixture.drop("calls.csv", callRows(rows))
        // After the start batch and the first 2 rows commit, the uploader appends a row.
        let processing = fixture.path("processing/calls.csv")
        fixture.afterDelivery.set(after: 2) {
            append("2024-03-01 09:07:00,13800138007,客户7,A01,answered,7,x\n", to: processing)
        }
        XCTAssertNil(fixture.session(batchSize: 2))
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM interactions"), 6, "the rows it had when claimed, and no more")
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM customers WHERE phone = '+8613800138007'"), 0)
        XCTAssertEqual(fixture.files("archive"), [])
        XCTAssertEqual(fixture.files("rejected"), ["calls.csv", "calls.csv.error"])
        let error = fixture.read("rejected/calls.csv.error")
        XCTAssertTrue(error.contains("was written to while it was read"), error)
        XCTAssertTrue(error.contains("its rows before line 8 are committed"), error)
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM quarantine WHERE origin = 'calls.csv'"), 1)
        // What it had when claimed was read whole: the same content dropped again is a copy.
        try fixture.drop("again.csv", callRows(rows))
        XCTAssertNil(fixture.session(batchSize: 2))
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM interactions"), 6)
        XCTAssertEqual(fixture.cursor?.state, .duplicate)
    }

    func testCrashAfterTheLastCommitOnlyArchives() throws {
        let fixture = try DropFixture()
        try fixture.drop("calls.csv", callRows(["2024-03-01 09:00:00,13800138000,张伟,A01,answered,1,x"]))
        XCTAssertNil(fixture.session())
        let journal = try fixture.count("SELECT max(seq) FROM journal")
        // Put the archived file back into processing/ as if the move had not happened.
        let archived = try XCTUnwrap(FileManager.default.enumerator(atPath: fixture.path("archive"))?
            .compactMap { $0 as? String }.first { $0.hasSuffix("calls.csv") })
        XCTAssertEqual(rename(fixture.path("archive/\(archived)"), fixture.path("processing/calls.csv")), 0)
        fixture.restart()
        XCTAssertNil(fixture.session())
        XCTAssertEqual(try fixture.count("SELECT max(seq) FROM journal"), journal)
        XCTAssertEqual(fixture.files("archive"), ["calls.csv"])
        XCTAssertEqual(fixture.files("processing"), [])
    }

    func testSameContentUnderAnotherNameIsSkippedAndJournaled() throws {
        let fixture = try DropFixture()
        let content = callRows(["2024-03-01 09:00:00,13800138000,张伟,A01,answered,1,x"])
        try fixture.drop("monday.csv", content)
        XCTAssertNil(fixture.session())
        try fixture.drop("monday-again.csv", content)
        XCTAssertNil(fixture.session())
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM interactions"), 1)
        XCTAssertEqual(try fixture.count("SELECT skipped FROM connector_state"), 1)
        let skipped = try XCTUnwrap(try fixture.string("SELECT after FROM journal WHERE kind = 'record.skipped'"))
        XCTAssertTrue(skipped.contains("monday-again.csv") && skipped.contains("already read"), skipped)
        XCTAssertEqual(fixture.files("archive"), ["monday-again.csv", "monday.csv"])
        XCTAssertEqual(fixture.cursor?.state, .duplicate)
    }

    func testEncodings() throws {
        let fixture = try DropFixture { $0.delimiter = UInt8(ascii: "|") }
        let header = "时间|电话|姓名|坐席|结果|时长|备注\n"
        // GB18030, pipe-delimited, with 亅 (81 7C: a trail byte equal to "|").
        let gbText = header + "2024-03-01 09:00:00|13800138000|亅张伟|A01|接通|60|满意\n"
        let gb = try gb18030(gbText)
        XCTAssertTrue(gb.contains(0x81) && gb.contains(0x7C))
        try fixture.drop("gb.csv", gb)
        // UTF-8 with BOM.
        try fixture.drop("bom.csv", [0xEF, 0xBB, 0xBF] + Array((header + "2024-03-01 10:00:00|13900139000|李娜|A02|接通|30|好\n").utf8))
        // UTF-16 LE with BOM.
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in (header + "2024-03-01 11:00:00|13700137000|王芳|A03|未接|0|\n").utf16 {
            utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        try fixture.drop("u16.csv", utf16)
        XCTAssertNil(fixture.session())
        XCTAssertEqual(try fixture.string("SELECT name FROM customers WHERE phone = '+8613800138000'"), "亅张伟")
        XCTAssertEqual(try fixture.string("SELECT name FROM customers WHERE phone = '+8613900139000'"), "李娜")
        XCTAssertEqual(try fixture.string("SELECT name FROM customers WHERE phone = '+8613700137000'"), "王芳")
        XCTAssertEqual(try fixture.string("SELECT status FROM interactions WHERE details LIKE '%gb.csv%'"), "接通")
        XCTAssertEqual(fixture.files("archive"), ["bom.csv", "gb.csv", "u16.csv"])
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM quarantine"), 0)
    }

    /// An export switched to UTF-8 with a byte order mark while Encoding=gb18030 is configured:
    /// the mark wins, and the names are stored as written, not as GB18030 mojibake.
    func testAByteOrderMarkWinsOverTheConfiguredEncoding() throws {
        let fixture = try DropFixture { $0.encoding = .gb18030 }
        try fixture.drop("bom.csv", [0xEF, 0xBB, 0xBF] + Array(callRows(["2024-03-01 09:00:00,13800138000,张伟,A01,已接通,60,好"]).utf8))
        XCTAssertNil(fixture.session())
        XCTAssertEqual(fixture.files("archive"), ["bom.csv"])
        XCTAssertEqual(try fixture.string("SELECT name FROM customers WHERE phone = '+8613800138000'"), "张伟")
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM quarantine"), 0)
    }

    /// Encoding=auto on a UTF-8 export with one damaged byte (a Latin-1 "é" in one note): not
    /// valid UTF-8, yet far from GB18030. Read as UTF-8, only the damaged row is quarantined;
    /// read as GB18030, the header no longer matched and every name would be mojibake.
    func testAutoReadsAUTF8FileWithOneDamagedByteAsUTF8() throws {
        let fixture = try DropFixture()
        var bytes = Array(callRows([
            "2024-03-01 09:00:00,13800138000,张伟,A01,已接通,60,咨询会员积分",
            "2024-03-01 09:10:00,13900139000,王芳,A02,已接通,30,修改收货地址",
            "2024-03-01 09:20:00,13700137000,陈静,A03,未接通,0,稍后回电",
        ]).utf8)
        bytes.insert(contentsOf: [0x20, 0x63, 0x61, 0x66, 0xE9], at: bytes.count - 1)  // " caf\xE9" ends the last row
        try fixture.drop("damaged.csv", bytes)
        XCTAssertNil(fixture.session())
        XCTAssertEqual(fixture.files("archive"), ["damaged.csv"])
        XCTAssertEqual(try fixture.string("SELECT name FROM customers WHERE phone = '+8613800138000'"), "张伟")
        XCTAssertEqual(try fixture.string("SELECT name FROM customers WHERE phone = '+8613900139000'"), "王芳")
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM interactions"), 2)
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM quarantine"), 1)
        XCTAssertEqual(try fixture.string("SELECT origin FROM quarantine"), "damaged.csv line 4")
        XCTAssertEqual(fixture.cursor?.encoding, "utf8")

        // A GB18030 export with one damaged byte stays GB18030.
        var gb = try gb18030(callRows([
            "2024-03-02 09:00:00,13600136000,李娜,A01,已接通,60,咨询会员积分",
            "2024-03-02 09:10:00,13500135000,刘洋,A02,已接通,30,修改收货地址",
        ]))
        gb.insert(0xFF, at: gb.count - 1)
        try fixture.drop("gb.csv", gb)
        XCTAssertNil(fixture.session())
        XCTAssertEqual(fixture.cursor?.encoding, "gb18030")
        XCTAssertEqual(try fixture.string("SELECT name FROM customers WHERE phone = '+8613600136000'"), "李娜")
    }

    func testWholeFileFates() throws {
        let fixture = try DropFixture { $0.maxFileSize = 4096 }
        try fixture.drop("empty.csv", [])
        try fixture.drop("blob.csv", [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x41])
        try fixture.drop("other.csv", "a,b,c\n1,2,3\n")
        try fixture.drop("huge.csv", String(repeating: "y", count: 5000))
        try fixture.drop("notes.tmp", "ignored\n")
        XCTAssertNil(fixture.session())
        XCTAssertEqual(fixture.files("archive"), ["empty.csv"])
        XCTAssertEqual(fixture.files("incoming"), ["notes.tmp"])
        XCTAssertEqual(fixture.files("rejected"), ["blob.csv", "blob.csv.error", "huge.csv", "huge.csv.error", "other.csv", "other.csv.error"])
        XCTAssertTrue(fixture.read("rejected/blob.csv.error").contains("binary content: NUL byte at offset 4"))
        XCTAssertTrue(fixture.read("rejected/huge.csv.error").contains("more than MaxFileSize=4096"))
        XCTAssertTrue(fixture.read("rejected/other.csv.error").contains("missing column(s) \"时间\""))
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM quarantine"), 3)
        XCTAssertTrue(try fixture.string("SELECT after FROM journal WHERE kind = 'record.skipped'")?.contains("empty file") ?? false)
    }

    func testAStrayErrorFileIsTakenOverNotPairedWithAnotherName() throws {
        let fixture = try DropFixture()
        _ = fixture.session(seconds: 0.2)  // creates the folders
        // Left by a stop between writing the reason and moving its file beside it.
        try "file: blob.csv\nreason: earlier\n".write(toFile: fixture.path("rejected/blob.csv.error"), atomically: false, encoding: .utf8)
        try fixture.drop("blob.csv", [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x41])
        XCTAssertNil(fixture.session())
        XCTAssertEqual(fixture.files("rejected"), ["blob.csv", "blob.csv.error"])
        let error = fixture.read("rejected/blob.csv.error")
        XCTAssertTrue(error.contains("binary content") && !error.contains("earlier"), error)
        // A second file of that name finds both taken and goes beside them.
        try fixture.drop("blob.csv", [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x42])
        XCTAssertNil(fixture.session())
        XCTAssertEqual(fixture.files("rejected"), ["blob-2.csv", "blob-2.csv.error", "blob.csv", "blob.csv.error"])
    }

    func testLinksFIFOsAndPathTricksAreRefused() throws {
        let fixture = try DropFixture()
        _ = fixture.session(seconds: 0.2)  // creates the folders
        XCTAssertEqual(symlink("/etc/passwd", fixture.path("incoming/passwd.csv")), 0)
        XCTAssertEqual(mkfifo(fixture.path("incoming/pipe.csv"), 0o600), 0)
        let outside = fixture.root + "/outside.csv"
        try callRows(["2024-03-01 09:00:00,13800138000,张伟,A01,answered,1,x"]).write(toFile: outside, atomically: false, encoding: .utf8)
        XCTAssertEqual(link(outside, fixture.path("incoming/linked.csv")), 0)
        // A name with a newline and invalid UTF-8 is read under a safe name.
        try fixture.drop("a\nb\u{1}.csv", callRows(["2024-03-01 09:00:00,13900139000,李娜,A01,answered,1,x"]))
        XCTAssertNil(fixture.session())
        XCTAssertEqual(fixture.files("rejected"), ["linked.csv", "linked.csv.error", "passwd.csv", "passwd.csv.error", "pipe.csv", "pipe.csv.error"])
        XCTAssertTrue(fixture.read("rejected/passwd.csv.error").contains("symbolic link to /etc/passwd refused"))
        XCTAssertTrue(fixture.read("rejected/pipe.csv.error").contains("FIFO refused"))
        XCTAssertTrue(fixture.read("rejected/linked.csv.error").contains("2 hard links"))
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM quarantine"), 3)
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM customers"), 1)
        XCTAssertEqual(fixture.files("archive"), ["a%0Ab%01.csv"])
        var st = stat()
        XCTAssertEqual(lstat("/etc/passwd", &st), 0, "the link's target is untouched")
    }

    func testARefusalWhoseMoveKeepsFailingIsReportedOnce() throws {
        let fixture = try DropFixture()
        _ = fixture.session(seconds: 0.2)  // creates the folders
        // 250 bytes: the link itself is fine, but "<name>.error" is longer than a name may be,
        // so the move to rejected/ fails on every poll.
        let name = String(repeating: "x", count: 246) + ".csv"
        XCTAssertEqual(symlink("/etc/passwd", fixture.path("incoming/\(name)")), 0)
        for _ in 1...3 {
            let error = fixture.session(seconds: 0.3)
            XCTAssertTrue("\(error.map { "\($0)" } ?? "")".contains("File name too long"), "\(String(describing: error))")
        }
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM quarantine"), 1)
        XCTAssertEqual(try fixture.count("SELECT rejected FROM connector_state"), 1)
        XCTAssertEqual(fixture.files("incoming"), [name], "still there, the move still tried")
    }

    func testMarkerModeWaitsForTheMarker() throws {
        let fixture = try DropFixture { $0.markerSuffix = ".done" }
        try fixture.drop("data.csv", callRows(["2024-03-01 09:00:00,13800138000,张伟,A01,answered,1,x"]))
        XCTAssertNil(fixture.session(seconds: 0.4))
        XCTAssertEqual(fixture.files("incoming"), ["data.csv"])
        XCTAssertEqual(fixture.connector.waitingFiles.map { "\($0.name) \($0.reason)" }, ["data.csv awaitingMarker"])
        try fixture.drop("data.csv.done", "")
        XCTAssertNil(fixture.session(seconds: 0.4))
        XCTAssertEqual(fixture.files("archive"), ["data.csv", "data.csv.done"])
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM interactions"), 1)
    }

    func testMarkerModeFinishesAFileResumedInALaterSession() throws {
        let fixture = try DropFixture { $0.markerSuffix = ".done" }
        let rows = (1...6).map { "2024-03-01 09:0\($0):00,1380013800\($0),客户\($0),A01,answered,\($0),x" }
        try fixture.drop("data.csv", callRows(rows))
        try fixture.drop("data.csv.done", "")
        // The session ends part-way through the file (here: a failed commit after two batches).
        fixture.failAfter.set(2)
        XCTAssertNotNil(fixture.session(batchSize: 2))
        XCTAssertEqual(fixture.files("processing"), ["data.csv", "data.csv.done"])
        fixture.failAfter.set(nil)
        // The next session resumes it, archives it with its marker, and does not trip over the
        // marker it listed before the import moved it.
        XCTAssertNil(fixture.session(batchSize: 2))
        XCTAssertEqual(fixture.files("archive"), ["data.csv", "data.csv.done"])
        XCTAssertEqual(fixture.files("processing"), [])
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM interactions"), 6)
    }

    func testAMarkerLeftInIncomingByACrashGoesWithItsClaimedFile() throws {
        let fixture = try DropFixture { $0.markerSuffix = ".done" }
        _ = fixture.session(seconds: 0.2)  // creates the folders
        // The daemon died after claiming data.csv and before moving its marker.
        try callRows(["2024-03-01 09:00:00,13800138000,张伟,A01,answered,1,monday"])
            .write(toFile: fixture.path("processing/data.csv"), atomically: false, encoding: .utf8)
        try fixture.drop("data.csv.done", "")
        fixture.restart()
        XCTAssertNil(fixture.session(seconds: 0.4))
        XCTAssertEqual(fixture.files("archive"), ["data.csv", "data.csv.done"])
        XCTAssertEqual(fixture.files("incoming"), [])
        // So the next day's data.csv waits for a marker of its own.
        try fixture.drop("data.csv", callRows(["2024-03-02 09:00:00,13900139000,李娜,A01,answered,1,tuesday"]))
        XCTAssertNil(fixture.session(seconds: 0.4))
        XCTAssertEqual(fixture.files("incoming"), ["data.csv"])
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM interactions"), 1)
    }

    func testAFilePutBackKeepsItsMarker() throws {
        let fixture = try DropFixture { $0.markerSuffix = ".done" }
        _ = fixture.session(seconds: 0.2)  // creates the folders
        let row = "2024-03-01 09:00:00,13800138000,张伟,A01,answered,1,x\n"
        // Claimed with its marker (the daemon then stopped), but its writer still appends to it.
        try callRows([]).appending(String(repeating: row, count: 5_000))
            .write(toFile: fixture.path("processing/data.csv"), atomically: false, encoding: .utf8)
        try "".write(toFile: fixture.path("processing/data.csv.done"), atomically: false, encoding: .utf8)
        let writer = open(fixture.path("processing/data.csv"), O_WRONLY | O_APPEND)
        XCTAssertGreaterThanOrEqual(writer, 0)
        let stop = Atomic<Bool>(false)
        let appender = Thread {
            while !stop.load(ordering: .relaxed) {
                _ = row.withCString { write(writer, $0, strlen($0)) }
                usleep(200)
            }
        }
        appender.start()
        fixture.restart()
        XCTAssertNil(fixture.session(seconds: 0.4))
        stop.store(true, ordering: .relaxed)
        usleep(10_000)
        XCTAssertEqual(fixture.files("incoming"), ["data.csv", "data.csv.done"], "put back with its marker")
        XCTAssertEqual(fixture.files("processing"), [])
        XCTAssertEqual(fixture.files("archive"), [])
        close(writer)
        for _ in 1...20 where fixture.files("archive").isEmpty {
            XCTAssertNil(fixture.session(seconds: 1, batchSize: 1000))
        }
        XCTAssertEqual(fixture.files("archive"), ["data.csv", "data.csv.done"])
    }

    func testAFileStillBeingWrittenIsNotTaken() throws {
        let fixture = try DropFixture { $0.settleTime = 30 }
        try fixture.drop("slow.csv", callRows(["2024-03-01 09:00:00,13800138000,张伟,A01,answered,1,x"]))
        XCTAssertNil(fixture.session(seconds: 0.4))
        XCTAssertEqual(fixture.files("incoming"), ["slow.csv"], "modified just now: not settled")
        XCTAssertEqual(fixture.connector.waitingFiles.map { "\($0.name) \($0.reason)" }, ["slow.csv settling"])
        // Backdate it: settled.
        var times = [timespec(tv_sec: time(nil) - 60, tv_nsec: 0), timespec(tv_sec: time(nil) - 60, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, fixture.path("incoming/slow.csv"), &times, 0), 0)
        XCTAssertNil(fixture.session(seconds: 0.4))
        XCTAssertEqual(fixture.files("archive"), ["slow.csv"])
    }

    func testAFileItsWriterStillHoldsOpenIsNotTaken() throws {
        let fixture = try DropFixture()
        try fixture.drop("open.csv", callRows(["2024-03-01 09:00:00,13800138000,张伟,A01,answered,1,x"]))
        let writer = open(fixture.path("incoming/open.csv"), O_WRONLY | O_APPEND)
        XCTAssertGreaterThanOrEqual(writer, 0)
        var times = [timespec(tv_sec: time(nil) - 60, tv_nsec: 0), timespec(tv_sec: time(nil) - 60, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, fixture.path("incoming/open.csv"), &times, 0), 0)
        XCTAssertNil(fixture.session(seconds: 0.4))
        XCTAssertEqual(fixture.files("incoming"), ["open.csv"], "quiet, but still open for writing")
        XCTAssertEqual(fixture.connector.waitingFiles.map { "\($0.name) \($0.reason)" }, ["open.csv writerOpen"])
        close(writer)  // IN_CLOSE_WRITE
        XCTAssertNil(fixture.session(seconds: 0.4))
        XCTAssertEqual(fixture.files("archive"), ["open.csv"])
        XCTAssertEqual(fixture.connector.waitingFiles, [])
    }

    func testGeneratedKeysAreStableAndMappedKeysAreUsed() throws {
        let fixture = try DropFixture(columns: [("id", .key), ("call", .call(.id)), ("phone", .customer(.phone))])
        try fixture.drop("a.csv", "id,call,phone\nC1,X1,13800138000\n,,13900139000\n")
        XCTAssertNil(fixture.session())
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM applied_records WHERE source = 'calls' AND source_key = 'C1'"), 1)
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM interactions WHERE source_key = 'X1'"), 1)
        let hash = try XCTUnwrap(fixture.cursor?.sha256)
        XCTAssertEqual(try fixture.count("SELECT count(*) FROM interactions WHERE source_key = '\(hash.prefix(16)):3'"), 1)
    }

    private func gb18030(_ text: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        process.arguments = ["-f", "UTF-8", "-t", "GB18030"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](data)
    }
}
