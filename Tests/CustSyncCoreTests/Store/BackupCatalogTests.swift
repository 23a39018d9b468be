@testable import CustSyncCore
import XCTest

final class BackupCatalogTests: XCTestCase {
    func testNamesCarryTimeAndKind() throws {
        let date = Date(timeIntervalSince1970: 1_795_385_106) // 2026-11-22T22:05:06Z
        XCTAssertEqual(BackupCatalog.fileName(at: date, kind: .scheduled), "store-20261122T220506Z.db")
        XCTAssertEqual(BackupCatalog.fileName(at: date, kind: .manual, attempt: 2), "store-20261122T220506Z-manual-2.db")
        for kind in [BackupCatalog.Kind.scheduled, .manual] {
            let parsed = try XCTUnwrap(BackupCatalog.parse(BackupCatalog.fileName(at: date, kind: kind, attempt: 3)))
            XCTAssertEqual(parsed.date, date)
            XCTAssertEqual(parsed.kind, kind)
        }
        for other in ["store.db", "store-2026.db", "store-20261122T220506Z.db-wal", ".store-20261122T220506Z.db.1a.partial",
                      "store-20261122T220506Z-x.db", "notes.txt"] {
            XCTAssertNil(BackupCatalog.parse(other), other)
        }
    }

    func testBackupPruneAndRestoreKeepEverythingChecked() throws {
        let store = TemporaryStore()
        do {
            // Closed at the end of the block: the WAL is checkpointed into the file.
            let engine = try store.engine()
            _ = try engine.apply(Batch(source: "crm", items: [record("C1", [.name: "Ann", .email: "ann@example.com"])], nextCursor: Cursor("1")))
        }
        let folder = store.directory + "/backups"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var made: [String] = []
        for offset in 0..<4 {
            let path = folder + "/" + BackupCatalog.fileName(at: Date(timeIntervalSince1970: 1_795_385_106 + Double(offset)), kind: .scheduled)
            XCTAssertGreaterThan(try StoreBackup.write(store: store.path, to: path), 0)
            made.append(path)
        }
        let manual = folder + "/" + BackupCatalog.fileName(at: Date(timeIntervalSince1970: 1_795_385_000), kind: .manual)
        _ = try StoreBackup.write(store: store.path, to: manual)
        XCTAssertThrowsError(try StoreBackup.write(store: store.path, to: manual), "never overwrites")
        XCTAssertEqual(try BackupCatalog.prune(directory: folder, keep: 2), Array(made.prefix(2)).reversed())
        let left = try BackupCatalog.list(directory: folder, location: "primary")
        XCTAssertEqual(left.map(\.path), [made[3], made[2], manual])
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: folder).contains { $0.contains("partial") })

        // Restore the newest over a damaged store; the damaged one is kept aside.
        try Data(repeating: 0x5A, count: 4096).write(to: URL(fileURLWithPath: store.path))
        let outcome = try StoreRestore.restore(backup: made[3], store: store.path, now: Date(timeIntervalSince1970: 1_800_000_000))
        XCTAssertTrue(outcome.movedAside.contains(store.path + ".before-restore-20270115T080000Z"), "\(outcome.movedAside)")
        let reader = try StoreReader(path: store.path)
        XCTAssertEqual(try reader.counts().customers, 1)
        XCTAssertTrue(try StoreVerifier(connection: reader.connection).run().ok)
        XCTAssertThrowsError(try StoreRestore.restore(backup: store.path + ".before-restore-20270115T080000Z", store: store.path),
                             "a damaged file is never restored")
    }

    /// Two backups of one second: `-2` was made after the unnumbered one, although it sorts
    /// before it as text.
    func testABackupNumberedInItsSecondIsTheNewerOne() throws {
        let store = TemporaryStore()
        let folder = store.directory
        let second = Date(timeIntervalSince1970: 1_795_385_106)
        let first = folder + "/" + BackupCatalog.fileName(at: second, kind: .scheduled)
        let again = folder + "/" + BackupCatalog.fileName(at: second, kind: .scheduled, attempt: 2)
        let third = folder + "/" + BackupCatalog.fileName(at: second, kind: .scheduled, attempt: 10)
        for path in [first, again, third] { try Data("x".utf8).write(to: URL(fileURLWithPath: path)) }
        XCTAssertEqual(BackupCatalog.parse(URL(fileURLWithPath: again).lastPathComponent)?.attempt, 2)
        XCTAssertEqual(try BackupCatalog.list(directory: folder, location: "primary").map(\.path), [third, again, first])
        XCTAssertEqual(try BackupCatalog.prune(directory: folder, keep: 2), [first])
    }

    /// A backup named while the clock was ahead cannot be placed in time: it does not take a
    /// place among the newest `keep`, is never pruned by its wrong date, and `latest` (the
    /// first listed) is the newest backup really made.
    func testABackupDatedInTheFutureDoesNotCrowdOutNewerOnes() throws {
        let store = TemporaryStore()
        let folder = store.directory
        let now = Date(timeIntervalSince1970: 1_795_385_106)
        let future = folder + "/" + BackupCatalog.fileName(at: now.addingTimeInterval(400 * 86_400), kind: .scheduled)
        let made = (1...3).map { folder + "/" + BackupCatalog.fileName(at: now.addingTimeInterval(Double(-$0) * 86_400), kind: .scheduled) }
        for path in [future] + made { try Data("x".utf8).write(to: URL(fileURLWithPath: path)) }
        XCTAssertEqual(try BackupCatalog.list(directory: folder, location: "primary", now: now).map(\.path), made + [future])
        XCTAssertEqual(try BackupCatalog.misdated(in: folder, now: now).map(\.path), [future])
        XCTAssertEqual(try BackupCatalog.prune(directory: folder, keep: 2, now: now), [made[2]])
        XCTAssertTrue(FileManager.default.fileExists(atPath: future))
        XCTAssertTrue(FileManager.default.fileExists(atPath: made[0]))
    }
}
