import CustSyncCore
import XCTest

final class CivilDateTests: XCTestCase {
    func testDaysSinceEpochAcrossLeapYearsAndCenturies() {
        // Expected values from Python's datetime.date(...) - date(1970, 1, 1).
        let cases: [(year: Int, month: Int, day: Int, days: Int)] = [
            (1970, 1, 1, 0), (1969, 12, 31, -1), (2000, 2, 29, 11016), (2000, 3, 1, 11017),
            (2024, 2, 29, 19782), (1900, 3, 1, -25508), (1600, 1, 1, -135140), (2400, 12, 31, 157419),
        ]
        for c in cases {
            XCTAssertEqual(CivilDate.daysSinceEpoch(year: c.year, month: c.month, day: c.day), c.days,
                           "\(c.year)-\(c.month)-\(c.day)")
        }
    }
}
