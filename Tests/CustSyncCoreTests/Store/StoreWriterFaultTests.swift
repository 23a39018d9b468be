import CSQLite
@testable import CustSyncCore
import Foundation
import Glibc
import Synchronization
import XCTest

/// The writer's pause and recovery on a fault of the medium, and how SQLite's failures are
/// classified. The full disk is SQLite's own: `PRAGMA max_page_count` makes the writer's
/// connection answer SQLITE_FULL exactly as a full file system does; the probe's fresh
/// connection has no such limit, as a disk with space again.
final class StoreWriterFaultTests: XCTestCase {
    /// What `observeHealth` reported, in order.
    private final class HealthChanges: Sendable {
        let kinds = Mutex<[StoreFault.Kind?]>([])
    }

    private func batch(_ first: Int, _ count: Int, cursor: String) -> Batch {
        Batch(source: "gen", items: (first..<(first + count)).map {
            record("K\($0)", [.name: "Customer \($0)", .email: "c\($0)@example.com"], at: Double($0))
        }, nextCursor: Cursor(cursor))
    }

    func testAFullStorePausesTheWriterThenAProbeResumesIt() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path, settings: EngineSettings())
        let changes = HealthChanges()
        writer.observeHealth { fault in changes.kinds.withLock { $0.append(fault?.kind) } }
        _ = try writer.apply(batch(0, 10, cursor: "10"))
        try writer.perform { engine in
            let pages = try engine.connection.scalarInt("PRAGMA page_count") ?? 0
            try engine.connection.execute("PRAGMA max_page_count = \(pages)")
        }

        XCTAssertThrowsError(try writer.apply(batch(10, 2000, cursor: "2010"))) { error in
            XCTAssertEqual((error as? StoreFault)?.kind, .full, "\(error)")
        }
        XCTAssertEqual(writer.fault?.kind, .full)
        XCTAssertEqual(writer.health.state, "full")
        XCTAssertTrue(writer.health.message?.hasPrefix("store full: ") ?? false, "\(writer.health)")
        XCTAssertNotNil(writer.health.nextProbe)
        // While faulted, every write is refused at once, without touching the file.
        XCTAssertThrowsError(try writer.perform { _ in XCTFail("ran while faulted") }) { XCTAssertTrue($0 is StoreFault) }
        // The failed batch left nothing behind.
        let reader = try StoreReader(path: store.path)
        XCTAssertEqual(try reader.connection.scalarInt("SELECT count(*) FROM customers"), 10)
        XCTAssertEqual(try reader.connection.scalarInt("SELECT cursor FROM connector_state WHERE name = 'gen'"), 10)

        let end = Date().addingTimeInterval(10)
        while writer.fault != nil && Date() < end { usleep(50_000) }
        XCTAssertNil(writer.fault, "the probe did not recover the writer")
        XCTAssertEqual(writer.health, StoreHealth())
        _ = try writer.apply(batch(10, 2000, cursor: "2010"))
        XCTAssertEqual(try reader.connection.scalarInt("SELECT count(*) FROM customers"), 2010)
        XCTAssertEqual(try reader.connection.scalarInt("SELECT count(*) FROM journal WHERE kind = 'customer.created'"), 2010)
        XCTAssertEqual(changes.kinds.withLock { $0 }, [.full, nil])
    }

    func testSQLiteFailuresAreClassifiedByCodeAndErrno() {
        let store = "/var/lib/custsync/store.db"
        let cases: [(Int32, Int32, StoreFault.Kind?)] = [
            (SQLITE_FULL, 0, .full),
            (SQLITE_IOERR | (3 << 8), ENOSPC, .full),          // SQLITE_IOERR_WRITE
            (SQLITE_IOERR | (3 << 8), EDQUOT, .full),
            (SQLITE_IOERR | (3 << 8), EROFS, .readOnly),
            (SQLITE_CANTOPEN, EACCES, .denied),
            (SQLITE_IOERR | (3 << 8), EIO, .unavailable),
            (SQLITE_CORRUPT, 0, .damaged),
            (SQLITE_NOTADB, 0, .damaged),
            (SQLITE_CONSTRAINT, 0, nil),
            (SQLITE_BUSY, 0, nil),
            (SQLITE_ERROR, 0, nil),
        ]
        for (code, systemErrno, kind) in cases {
            let error = StoreError.sqlite(code: code, message: "test", sql: nil, systemErrno: systemErrno)
            XCTAssertEqual(StoreFault(error, store: store)?.kind, kind, "\(error)")
        }
        XCTAssertNil(StoreFault(.newerSchema(path: store, found: 9, supported: 5), store: store))
    }

    func testEveryFaultSaysWhatToDo() {
        let store = "/var/lib/custsync/store.db"
        let expectations: [(StoreFault.Kind, String)] = [
            (.full, "free at least 4 MiB there"), (.readOnly, "unmount, fsck, mount read-write"),
            (.denied, "give the daemon's user write access"), (.unavailable, "check the disk and the mount"),
            (.damaged, "custsyncd --restore latest"),
        ]
        for (kind, advice) in expectations {
            let fault = StoreFault(kind: kind, store: store, freeBytes: 4096, detail: "detail")
            XCTAssertTrue(fault.description.hasPrefix(fault.summary + ": "), fault.description)
            XCTAssertTrue(fault.description.contains(advice), fault.description)
            XCTAssertEqual(fault.mayPass, kind != .damaged)
        }
        XCTAssertTrue(StoreFault(kind: .full, store: store, freeBytes: 4096, detail: "").description
            .hasPrefix("store full: 4096 bytes free on /var/lib/custsync;"))
    }

    func testAStoreWithADamagedPageIsRefusedBeforeTheWriterOpensIt() throws {
        let store = TemporaryStore()
        let writer = try StoreWriter(path: store.path, settings: EngineSettings())
        _ = try writer.apply(batch(0, 3000, cursor: "3000"))
        try writer.perform { try $0.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
        XCTAssertNoThrow(try StoreFile.checkSound(path: store.path))

        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: store.path)[.size] as? Int)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: store.path))
        try handle.seek(toOffset: UInt64(size / 4096 / 2 * 4096))
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 4096))
        try handle.close()
        XCTAssertThrowsError(try StoreFile.checkSound(path: store.path)) { error in
            guard case .damaged(let path, let problems) = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, store.path)
            XCTAssertFalse(problems.isEmpty)
            XCTAssertTrue("\(error)".contains("docs/RESTORE.md"), "\(error)")
        }
        XCTAssertNoThrow(try StoreFile.checkSound(path: store.directory + "/not-there.db"), "a missing store is created, not refused")
    }
}
