import CustSyncCore
import XCTest

final class MatchScorerTests: XCTestCase {
    func testScoresAndReasons() {
        let cases: [(String, MatchEvidence, ClosedRange<Double>, String)] = [
            ("same name and phone suffix: same person", MatchEvidence(name: 1, phone: .partial), 0.92...0.92, "name=1.00, phone=partial"),
            ("same name and e-mail local part: review", MatchEvidence(name: 1, email: .partial), 0.75...0.91, "name=1.00, email=partial"),
            ("same name alone: never enough", MatchEvidence(name: 1), 0.6...0.6, "name=1.00"),
            ("namesake with another phone", MatchEvidence(name: 1, phone: .different), 0...0.31, "name=1.00, phone=different"),
            ("family sharing a phone", MatchEvidence(name: 0.44, phone: .exact), 0...0.7, "name=0.44, phone=exact"),
            ("typo plus exact e-mail", MatchEvidence(name: 0.93, email: .exact), 0.95...1, "name=0.93, email=exact"),
            ("no name: no fuzzy match", MatchEvidence(phone: .exact), 0...0, "name=unknown"),
        ]
        for (name, evidence, range, reason) in cases {
            let (score, why) = MatchScorer.score(evidence)
            XCTAssertTrue(range.contains((score * 100).rounded() / 100), "\(name): \(score)")
            XCTAssertEqual(why, reason, name)
        }
    }
}
