@testable import CustSyncCore
import CSQLite
import XCTest

final class MigrationTests: XCTestCase {
    func testFreshStoreIsMigratedToTheCurrentVersionInWALMode() throws {
        let store = TemporaryStore()
        let connection = try StoreFile.openForWriting(path: store.path)
        XCTAssertEqual(try connection.scalarInt("PRAGMA user_version"), Int64(Schema.currentVersion))
        XCTAssertEqual(try connection.scalarInt("PRAGMA application_id"), Int64(Schema.applicationID))
        XCTAssertEqual(try connection.statement("PRAGMA journal_mode").first()?.string(0), "wal")
        for table in ["customers", "identifiers", "field_values", "interactions", "conflicts", "journal",
                      "connector_state", "quarantine", "tags"] {
            XCTAssertEqual(try connection.scalarInt("SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?", [table]), 1, table)
        }
    }

    func testAnOlderStoreIsMigratedForwardKeepingItsData() throws {
        let store = TemporaryStore()
        do {
            let connection = try SQLiteConnection(path: store.path, mode: .readWrite)
            try connection.execute(Schema.migrations[0].sql)
            try connection.execute("PRAGMA application_id=\(Schema.applicationID); PRAGMA user_version=1")
            try connection.execute("INSERT INTO customers(code, name, created_at, updated_at) VALUES ('KH-1', 'Old', 0, 0)")
        }
        let connection = try StoreFile.openForWriting(path: store.path)
        XCTAssertEqual(try connection.scalarInt("PRAGMA user_version"), Int64(Schema.currentVersion))
        XCTAssertEqual(try connection.scalarInt("SELECT count(*) FROM customers WHERE name = 'Old'"), 1)
        XCTAssertEqual(try connection.scalarInt("SELECT count(*) FROM tags"), 0)
    }

    func testAStoreFromANewerVersionIsRefused() throws {
        let store = TemporaryStore()
        do {
            let connection = try StoreFile.openForWriting(path: store.path)
            try connection.execute("PRAGMA user_version=\(Schema.currentVersion + 1)")
        }
        XCTAssertThrowsError(try StoreFile.openForWriting(path: store.path)) { error in
            XCTAssertEqual(error as? StoreError, .newerSchema(path: store.path, found: Schema.currentVersion + 1, supported: Schema.currentVersion))
        }
    }

    func testAnotherApplicationsDatabaseIsRefused() throws {
        let store = TemporaryStore()
        do {
            let connection = try SQLiteConnection(path: store.path, mode: .readWrite)
            try connection.execute("CREATE TABLE invoices(id INTEGER)")
        }
        XCTAssertThrowsError(try StoreFile.openForWriting(path: store.path)) { error in
            guard case .notACustSyncStore = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("not a custsync store"))
        }
    }

    func testAFileThatIsNotSQLiteIsRefusedAndLeftAlone() throws {
        let store = TemporaryStore()
        let garbage = Data(repeating: 0x41, count: 8192)
        try garbage.write(to: URL(fileURLWithPath: store.path))
        XCTAssertThrowsError(try StoreFile.openForWriting(path: store.path)) { error in
            guard case .notACustSyncStore = error as? StoreError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: store.path)), garbage)
    }

    func testSQLiteFailuresCarryTheCodeAndMessage() throws {
        let store = TemporaryStore()
        let connection = try StoreFile.openForWriting(path: store.path)
        XCTAssertThrowsError(try connection.execute("SELECT * FROM no_such_table")) { error in
            guard case let .sqlite(code, message, sql, _) = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(code, SQLITE_ERROR)
            XCTAssertTrue(message.contains("no such table"), message)
            XCTAssertEqual(sql, "SELECT * FROM no_such_table")
        }
    }

    func testPreparedStatementsAreReused() throws {
        let store = TemporaryStore()
        let connection = try StoreFile.openForWriting(path: store.path)
        let first = try connection.statement("SELECT 1")
        XCTAssertTrue(first === (try connection.statement("SELECT 1")))
    }
}
