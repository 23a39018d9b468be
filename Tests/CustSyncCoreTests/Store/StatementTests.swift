@testable import CustSyncCore
import XCTest

final class StatementTests: XCTestCase {
    /// Texts are copied into a buffer the statement owns. When a binding outgrows it, the
    /// buffer grows and binding starts over: no parameter may point into the freed one.
    func testTextsLargerThanTheBindingBufferSurviveItsGrowth() throws {
        let store = TemporaryStore()
        let connection = try SQLiteConnection(path: store.path, mode: .readWrite)
        try connection.execute("CREATE TABLE t(a TEXT, b INTEGER, c TEXT, d TEXT)")
        let insert = try connection.statement("INSERT INTO t VALUES (?,?,?,?)")
        let short = (1, "x", "张伟")
        let long = (2, String(repeating: "a", count: 200), String(repeating: "伟", count: 300)) // 200 + 900 bytes
        for row in [short, long, short] {
            try insert.run([row.1, row.0, row.2, nil as String?])
        }
        let rows = try connection.statement("SELECT a, b, c, d FROM t ORDER BY rowid").rows()
        XCTAssertEqual(rows.map { $0.string(0) }, ["x", long.1, "x"])
        XCTAssertEqual(rows.map { $0.int(1) }, [1, 2, 1])
        XCTAssertEqual(rows.map { $0.string(2) }, ["张伟", long.2, "张伟"])
        XCTAssertEqual(rows.map { $0.string(3) }, [nil, nil, nil])
    }
}
