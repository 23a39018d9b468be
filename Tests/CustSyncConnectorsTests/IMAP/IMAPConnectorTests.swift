@testable import CustSyncConnectors
import CustSyncCore
import CustSyncTestSupport
import Foundation
import XCTest

/// The `imap` connector against a real dovecot on 127.0.0.1, applied through a real store.
final class IMAPConnectorTests: XCTestCase {
    private static func message(_ lines: [String]) -> [UInt8] { Array(lines.joined(separator: "\r\n").utf8) }

    private let customerUTF8 = message([
        "From: \"=?UTF-8?B?5byg5Lyf?=\" <zw@example.com>", "To: sales@shop.example",
        "Subject: =?UTF-8?B?6K6i5Y2V6Zeu6aKY?=", "Date: Sun, 22 Nov 2026 18:30:00 +0800",
        "Message-ID: <m1@example.com>", "Content-Type: text/plain; charset=utf-8", "", "hello", ""])
    private let customerGBK = message([
        "From: =?GBK?B?1cXOsA==?= <li@example.cn>", "To: sales@shop.example",
        "Subject: =?GB2312?B?v827p9fJ0a8=?=", "Date: 22 Nov 26 10:30 GMT", "Message-ID: <m2@example.cn>",
        "MIME-Version: 1.0", "Content-Type: multipart/alternative; boundary=b", "",
        "--b", "Content-Type: text/plain; charset=GB18030", "Content-Transfer-Encoding: base64", "",
        "xPq6w6OsztLP67Lp0a+2qbWlIDEyMzQ1ILXEzu/B96Gj", "--b--", ""])
    private let broken = message(["From: x@example.com", "this is not a header", "", "body", ""])
    private let autoReply = message(["From: ooo@example.com", "Auto-Submitted: auto-replied", "Message-ID: <m3@x>", "", "away", ""])
    private let bounce = message(["From: MAILER-DAEMON@mx.example.com", "Message-ID: <m4@x>", "", "failed", ""])
    private let later = message(["From: wang@example.com", "Subject: later", "Message-ID: <m5@example.com>", "", "new", ""])

    private static let credential = "\(DovecotServer.user):\(DovecotServer.password)\n"

    private func connector(_ server: DovecotServer, credential: String = IMAPConnectorTests.credential,
                           trustingTestCA: Bool = true, allowPlaintext: Bool = false,
                           acknowledge: IMAPAcknowledgement = .none) throws -> IMAPConnector {
        let file = server.directory + "/credential-\(UUID().uuidString)"
        try credential.write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        let settings = IMAPSettings(server: server.url, credential: .file(file),
                                    caFile: trustingTestCA ? server.certificates.caCertificate : nil,
                                    allowPlaintext: allowPlaintext, internalDomains: ["shop.example"], timeout: 20,
                                    acknowledge: acknowledge)
        return IMAPConnector(name: "mail", settings: settings)
    }

    /// One poll as the daemon runs it. With `diesAfterCommits`, the daemon dies right after
    /// that many batches committed: the batch is in the store, nothing after it happens.
    /// `afterCommit` runs after each batch committed, with the number of batches so far.
    private func poll(_ connector: IMAPConnector, _ store: FeedTestStore, batchSize: Int = 2,
                      timeout: TimeInterval = 60, diesAfterCommits: Int? = nil,
                      afterCommit: @escaping @Sendable (Int) -> Void = { _ in }) throws {
        let cursor = try store.writer.perform { try $0.cursor(for: connector.name) }
        let commits = FeedTestStore.Counter()
        let context = PollContext(connector: connector.name, deadline: Date().addingTimeInterval(timeout),
                                  batchSize: batchSize) { [writer = store.writer] batch in
            let outcome = try writer.apply(batch)
            let committed = commits.increment()
            if let diesAfterCommits, committed >= diesAfterCommits { throw FeedTestStore.SimulatedCrash() }
            afterCommit(committed)
            return outcome
        }
        try connector.poll(from: cursor, context: context)
    }

    private func recordedOnce(_ store: FeedTestStore) throws -> Bool {
        try store.count("SELECT count(*) FROM journal WHERE kind = 'interaction.recorded'")
            == store.count("SELECT count(*) FROM interactions")
    }

    func testMailboxIsReadIncrementallyAndSurvivesUIDValidityReset() throws {
        let server = try DovecotServer()
        for m in [customerUTF8, customerGBK, broken, autoReply, bounce] { try server.deliver(m) }
        try server.start()
        let store = try FeedTestStore()
        let imap = try connector(server)

        try poll(imap, store)
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions WHERE kind = 'email'"), 2)
        XCTAssertEqual(try store.strings("SELECT summary FROM interactions ORDER BY source_key"), ["订单问题", "客户咨询"])
        XCTAssertEqual(try store.strings("SELECT source_key FROM interactions ORDER BY source_key"), ["m1@example.com", "m2@example.cn"])
        let quarantined = try store.strings("SELECT origin || ': ' || reason FROM quarantine")
        XCTAssertEqual(quarantined.count, 1, "\(quarantined)")
        XCTAssertTrue(try store.strings("SELECT reason FROM quarantine").first?.contains("broken header") == true)
        let names = try store.strings("SELECT value FROM field_values WHERE field = 'name' ORDER BY value")
        XCTAssertEqual(Set(names), ["张伟"])
        XCTAssertTrue(try store.strings("SELECT details FROM interactions WHERE source_key = 'm2@example.cn'")
            .first?.contains("您好，我想查询订单 12345 的物流。") == true)

        // Nothing new: nothing changes. New mail between polls: only it is read.
        try poll(imap, store)
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 2)
        try server.deliver(later)
        try poll(imap, store)
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 3)
        XCTAssertEqual(try store.count("SELECT count(*) FROM quarantine"), 1)

        // A new UIDVALIDITY: everything is read again, nothing is recorded twice.
        let journalBefore = try store.count("SELECT count(*) FROM journal WHERE kind = 'interaction.recorded'")
        let journalAllBefore = try store.count("SELECT count(*) FROM journal WHERE kind LIKE 'interaction.%' OR kind LIKE 'field.%' OR kind LIKE 'customer.%'")
        try server.resetUIDValidity()
        try poll(imap, store)
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 3)
        XCTAssertEqual(try store.count("SELECT count(*) FROM journal WHERE kind = 'interaction.recorded'"), journalBefore)
        XCTAssertEqual(try store.count("SELECT count(*) FROM journal WHERE kind LIKE 'interaction.%' OR kind LIKE 'field.%' OR kind LIKE 'customer.%'"),
                       journalAllBefore)
        XCTAssertEqual(try store.count("SELECT count(*) FROM customers"), 3)
        // Read-only (EXAMINE): no message was flagged.
        XCTAssertFalse(server.messageFiles().contains { $0.contains(":2,") && $0.hasSuffix("S") }, "\(server.messageFiles())")
    }

    func testTwentyMegabyteMessageIsRecordedFromItsHeadersWithoutFetchingIt() throws {
        let server = try DovecotServer()
        // About 20 MB: a base64 attachment in 76-character lines, as mail clients send it.
        let line = String(repeating: "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo", count: 2) + "MDEy"
        let attachment = String(repeating: line + "\r\n", count: 20 << 20 / 78)
        let big = Self.message(["From: =?UTF-8?B?5byg5Lyf?= <big@example.com>", "Subject: attachment",
                                "Message-ID: <big@example.com>", "MIME-Version: 1.0",
                                "Content-Type: multipart/mixed; boundary=b", "", "--b", "Content-Type: text/plain", "",
                                "see attached", "--b", "Content-Type: application/octet-stream",
                                "Content-Transfer-Encoding: base64", "", attachment + "--b--", ""])
        XCTAssertGreaterThan(big.count, 20_000_000)
        try server.deliver(big)
        try server.deliver(later)
        try server.start()
        let store = try FeedTestStore()
        try poll(try connector(server), store)

        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 2)
        let details = try store.strings("SELECT details FROM interactions WHERE source_key = 'big@example.com'").first ?? ""
        XCTAssertTrue(details.contains("recorded from its headers only"), details)
        XCTAssertFalse(details.contains("see attached"), details)
        XCTAssertEqual(try store.strings("SELECT value FROM field_values WHERE field = 'name'"), ["张伟"])
        // The server sent the header and the small message, never the 20 MB body.
        let sent = server.bytesSentPerSession(waitingFor: 1)
        XCTAssertEqual(sent.count, 1)
        XCTAssertLessThan(sent.reduce(0, +), 100_000, "bytes dovecot sent")
    }

    func testABatchOfLargeMessagesIsReadWithoutHoldingThemAllAtOnce() throws {
        let server = try DovecotServer()
        // 30 messages of 4 MB (an invoice PDF each), each under the default MaxMessageSize of
        // 10 MB, so each is fetched whole; one batch takes them all.
        let line = String(repeating: "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo", count: 2) + "MDEy"
        let body = Self.message(["", "--b", "Content-Type: text/plain", "", "invoice attached", "--b",
                                 "Content-Type: application/pdf", "Content-Transfer-Encoding: base64", "",
                                 String(repeating: line + "\r\n", count: 4_000_000 / 78) + "--b--", ""])
        for n in 1...30 {
            try server.deliver(Self.message(["From: buyer\(n)@example.com", "Subject: invoice \(n)",
                                             "Message-ID: <invoice\(n)@example.com>", "MIME-Version: 1.0",
                                             "Content-Type: multipart/mixed; boundary=b", ""]) + body)
        }
        try server.start()
        let store = try FeedTestStore()
        let imap = try connector(server)
        /// `VmRSS` or `VmHWM` (the peak since the last reset) of this process, in MB.
        func megabytes(_ key: String) throws -> Int {
            let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
            let line = status.split(separator: "\n").first { $0.hasPrefix(key + ":") } ?? ""
            return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
        }
        // Writing 5 to clear_refs resets the peak (VmHWM) to the present size.
        guard (try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)) != nil else {
            throw XCTSkip("cannot reset the peak memory size (/proc/self/clear_refs)")
        }
        let before = try megabytes("VmRSS")
        try poll(imap, store, batchSize: 30)
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 30)
        // The 120 MB of the batch pass through a fetch of at most 4 MiB at a time.
        let peak = try megabytes("VmHWM")
        XCTAssertLessThan(peak - before, 60, "MB more at the peak (\(peak) MB) than before the poll (\(before) MB)")
    }

    func testMessagesWithBulletLinesAndAVeryLongLineAreReadWhole() throws {
        let server = try DovecotServer()
        try server.deliver(customerUTF8)
        // Lines that start like untagged responses, and a 3 MB line: libcurl's own IMAP requests
        // (Debian's 7.88.1) refuse such responses as "Too large response headers".
        let bullets = (1...400).map { "* item \($0) of the order, please check the size and the colour" }
        try server.deliver(Self.message(["From: bullets@example.com", "Message-ID: <bullets@example.com>", ""] + bullets + [""]))
        try server.deliver(Self.message(["From: long@example.com", "Message-ID: <long@example.com>", "MIME-Version: 1.0",
                                         "Content-Type: multipart/mixed; boundary=b", "", "--b",
                                         "Content-Type: application/octet-stream", "",
                                         String(repeating: "x", count: 3_000_000), "--b", "Content-Type: text/plain", "",
                                         "the text after the long line", "--b--", ""]))
        try server.deliver(later)
        try server.start()
        let store = try FeedTestStore()
        try poll(try connector(server), store, batchSize: 10)
        XCTAssertEqual(try store.strings("SELECT source_key FROM interactions ORDER BY source_key"),
                       ["bullets@example.com", "long@example.com", "m1@example.com", "m5@example.com"])
        let long = try store.strings("SELECT details FROM interactions WHERE source_key = 'long@example.com'").first ?? ""
        XCTAssertTrue(long.contains("the text after the long line"), long)
        let list = try store.strings("SELECT details FROM interactions WHERE source_key = 'bullets@example.com'").first ?? ""
        XCTAssertTrue(list.contains("* item 1 of the order"), list)
        XCTAssertEqual(try store.count("SELECT count(*) FROM quarantine"), 0)
    }

    func testAcknowledgeSeenFlagsOnlyCommittedMessagesAndCatchesUpAfterACrash() throws {
        let server = try DovecotServer()
        for m in [customerUTF8, customerGBK, autoReply] { try server.deliver(m) }
        try server.start()
        let store = try FeedTestStore()
        let imap = try connector(server, acknowledge: .seen)

        // The daemon dies right after the first batch committed, before it could flag it.
        XCTAssertThrowsError(try poll(imap, store, diesAfterCommits: 1))
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 2)
        XCTAssertEqual(server.messageFiles().filter { $0.hasSuffix(":2,S") }.count, 0, "\(server.messageFiles())")

        // The next poll flags the two committed messages, then reads, commits and flags the third.
        try server.deliver(later)
        try poll(imap, store)
        let files = server.messageFiles()
        XCTAssertEqual(files.count, 4)
        XCTAssertTrue(files.allSatisfy { $0.hasSuffix(":2,S") }, "\(files)")
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 3)
        XCTAssertTrue(try recordedOnce(store))
        let cursor = try XCTUnwrap(try store.writer.perform { try $0.cursor(for: imap.name) }.flatMap(IMAPCursor.init))
        XCTAssertEqual(cursor.lastUID, 4)
        XCTAssertNil(cursor.pendingAcknowledgement)
    }

    func testAcknowledgeMoveMovesCommittedMessagesAndWaitsForAMissingFolder() throws {
        let server = try DovecotServer()
        for m in [customerUTF8, customerGBK, bounce] { try server.deliver(m) }
        try server.start()
        let store = try FeedTestStore()
        let imap = try connector(server, acknowledge: .move(to: "已处理"))

        // The folder does not exist: the batch commits, the move fails with what to do, the mail stays.
        XCTAssertThrowsError(try poll(imap, store)) { error in
            XCTAssertTrue("\(error)".contains("create the folder 已处理, or fix MoveTo="), "\(error)")
        }
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 2)
        XCTAssertEqual(server.messageFiles().count, 3)

        try server.createFolder("&XfJZBHQG-")
        try server.deliver(later)
        try poll(imap, store)
        XCTAssertEqual(server.messageFiles(), [])
        XCTAssertEqual(server.messageFiles(in: "&XfJZBHQG-").count, 4)
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 3)
        XCTAssertTrue(try recordedOnce(store))

        // The UIDs of what is left are unchanged, so the cursor still finds only new mail.
        try server.deliver(Self.message(["From: new@example.com", "Message-ID: <m6@example.com>", "", "hi", ""]))
        try poll(imap, store)
        XCTAssertEqual(server.messageFiles(in: "&XfJZBHQG-").count, 5)
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 4)
        XCTAssertTrue(try recordedOnce(store))
    }

    func testMoveWithoutMOVECapabilityCopiesAndExpungesOnlyTheseMessages() throws {
        let server = try DovecotServer(capabilities: "IMAP4rev1 LITERAL+ UIDPLUS")
        try server.createFolder("Done")
        for m in [customerUTF8, customerGBK, later] { try server.deliver(m) }
        try server.start()
        let store = try FeedTestStore()
        try poll(try connector(server, acknowledge: .move(to: "Done")), store)
        XCTAssertEqual(server.messageFiles(), [])
        XCTAssertEqual(server.messageFiles(in: "Done").count, 3)
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 3)

        let bare = try DovecotServer(capabilities: "IMAP4rev1 LITERAL+")
        try bare.createFolder("Done")
        try bare.start()
        XCTAssertThrowsError(try poll(try connector(bare, acknowledge: .move(to: "Done")), try FeedTestStore())) { error in
            XCTAssertEqual((error as? ConnectorError)?.isPermanent, true)
            XCTAssertTrue("\(error)".contains("supports neither MOVE nor UIDPLUS"), "\(error)")
        }
    }

    func testServerThatStopsAnsweringEndsThePollAtItsTimeoutNotAtTheCommandTimeout() throws {
        let server = try DovecotServer()
        for m in [customerUTF8, customerGBK, later] { try server.deliver(m) }
        try server.start()
        defer { server.signalSessions(SIGCONT) }
        let store = try FeedTestStore()
        // One IMAP command may take 20 s (Timeout= of [IMAP]); the poll may take 3 s (Timeout=
        // of [Connector]), and the daemon's watchdog counts on that.
        let imap = try connector(server)
        let master = try XCTUnwrap(server.masterPID)
        let started = Date()
        try poll(imap, store, batchSize: 1, timeout: 3) { committed in
            if committed == 1 { DovecotServer.signalSessions(SIGSTOP, master: master) }
        }
        let took = Date().timeIntervalSince(started)
        XCTAssertLessThan(took, 8, "the poll ran past its Timeout= of 3 s")
        // What committed stays committed; the cursor points past it, not past what was not read.
        XCTAssertEqual(try store.strings("SELECT source_key FROM interactions"), ["m1@example.com"])
        let cursor = try XCTUnwrap(try store.writer.perform { try $0.cursor(for: imap.name) }.flatMap(IMAPCursor.init))
        XCTAssertEqual(cursor.lastUID, 1)

        server.signalSessions(SIGCONT)
        try poll(imap, store)
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 3)
        XCTAssertTrue(try recordedOnce(store))
    }

    func testHostileListingIsRefusedWithoutTrapping() throws {
        let listings: [(String, [UInt8])] = [
            // Sizes that overflow when the fetch plan adds them up.
            ("negative sizes", Array(("* 1 FETCH (UID 1 RFC822.SIZE -9223372036854775808)\r\n"
                                      + "* 2 FETCH (UID 2 RFC822.SIZE -9223372036854775808)\r\n").utf8)),
            // Lists nested deeper than any real answer, deep enough to exhaust a thread's stack.
            ("nested lists", Array(("* 1 FETCH (UID 1 RFC822.SIZE 10 X " + String(repeating: "(", count: 32_000)
                                    + String(repeating: ")", count: 32_000) + ")\r\n").utf8)),
        ]
        for (what, listing) in listings {
            let server = try ScriptedIMAPServer(listing: listing)
            let file = server.directory + "/credential"
            try Self.credential.write(toFile: file, atomically: true, encoding: .utf8)
            chmod(file, 0o600)
            let imap = IMAPConnector(name: "mail", settings: IMAPSettings(server: server.url, credential: .file(file),
                                                                        allowPlaintext: true, timeout: 10))
            let store = try FeedTestStore()
            XCTAssertThrowsError(try poll(imap, store), what) { error in
                XCTAssertTrue("\(error)".contains("could not be read"), "\(what): \(error)")
            }
            XCTAssertNil(try store.writer.perform { try $0.cursor(for: imap.name) }, what)
        }
    }

    func testMailboxRestoredFromABackupIsReadAgainWhenItsUIDsGoBack() throws {
        let server = try DovecotServer()
        try server.deliver(customerUTF8)
        try server.start()
        let store = try FeedTestStore()
        let imap = try connector(server)
        try poll(imap, store)

        // The mail server is backed up here: its UID list says UIDVALIDITY V, next UID 2.
        server.stop()
        let uidList = server.maildir + "/dovecot-uidlist"
        let backup = try Data(contentsOf: URL(fileURLWithPath: uidList))
        try server.start()
        try server.deliver(customerGBK)
        try server.deliver(bounce)
        try poll(imap, store)
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 2)

        // Its disk fails and the backup is restored: the messages since are gone, the UID list
        // is the old one. Mail that arrives now gets UIDs 2, 3… again, under the same UIDVALIDITY.
        server.stop()
        for name in try FileManager.default.contentsOfDirectory(atPath: server.maildir) where name.hasPrefix("dovecot") {
            try FileManager.default.removeItem(atPath: server.maildir + "/" + name)
        }
        for folder in ["cur", "new"] {
            for name in try FileManager.default.contentsOfDirectory(atPath: server.maildir + "/" + folder)
            where name.contains("M2P1") || name.contains("M3P1") {
                try FileManager.default.removeItem(atPath: server.maildir + "/" + folder + "/" + name)
            }
        }
        try backup.write(to: URL(fileURLWithPath: uidList))
        try server.deliver(later)
        try server.start()
        try poll(imap, store)
        XCTAssertEqual(try store.strings("SELECT source_key FROM interactions ORDER BY source_key"),
                       ["m1@example.com", "m2@example.cn", "m5@example.com"])
        XCTAssertTrue(try recordedOnce(store))
    }

    func testImplicitTLSNeedsTheServersCA() throws {
        let server = try DovecotServer(transport: .implicitTLS)
        try server.deliver(customerUTF8)
        try server.start()
        XCTAssertTrue(server.url.hasPrefix("imaps://"))
        let store = try FeedTestStore()
        XCTAssertThrowsError(try poll(try connector(server, trustingTestCA: false), store)) { error in
            XCTAssertEqual((error as? ConnectorError)?.isPermanent, true)
            XCTAssertTrue("\(error)".contains("TLS certificate not accepted"), "\(error)")
            XCTAssertTrue("\(error)".contains("set CAFile="), "\(error)")
        }
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 0)
        try poll(try connector(server), store)
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 1)
    }

    func testServerWithoutSTARTTLSIsRefusedUnlessPlaintextIsAllowed() throws {
        let server = try DovecotServer(transport: .plaintext)
        try server.deliver(customerUTF8)
        try server.start()
        let store = try FeedTestStore()
        XCTAssertThrowsError(try poll(try connector(server), store)) { error in
            XCTAssertEqual((error as? ConnectorError)?.isPermanent, true)
            XCTAssertTrue("\(error)".contains("does not offer STARTTLS"), "\(error)")
            XCTAssertFalse("\(error)".contains(DovecotServer.password))
        }
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 0)
        try poll(try connector(server, allowPlaintext: true), store)
        XCTAssertEqual(try store.count("SELECT count(*) FROM interactions"), 1)
    }

    func testWrongPasswordIsAClearPermanentError() throws {
        let server = try DovecotServer()
        try server.start()
        let store = try FeedTestStore()
        let imap = try connector(server, credential: "\(DovecotServer.user):wrong\n")
        XCTAssertThrowsError(try poll(imap, store)) { error in
            let failure = error as? ConnectorError
            XCTAssertEqual(failure?.isPermanent, true)
            XCTAssertTrue(failure?.message.contains("refused the login of user shop") == true, "\(error)")
            // The server's own answer, as libcurl passed it on, tells a refusal from an outage.
            XCTAssertTrue(failure?.message.contains("NO [AUTHENTICATIONFAILED]") == true, "\(error)")
            XCTAssertFalse("\(error)".contains("wrong"))
        }
    }
}
