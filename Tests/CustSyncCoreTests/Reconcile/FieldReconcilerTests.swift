import CustSyncCore
import XCTest

final class FieldReconcilerTests: XCTestCase {
    func a(_ value: String, _ source: String, _ t: Double) -> FieldAssertion {
        FieldAssertion(value: value, source: source, observedAt: Date(timeIntervalSince1970: t))
    }

    func testPolicies() {
        let newest = FieldRule(policy: .newest, guarded: false)
        let priority = FieldRule(policy: .sourcePriority(["crm", "shop"]), guarded: false)
        let complete = FieldRule(policy: .mostComplete, guarded: false)
        let cases: [(String, FieldAssertion?, FieldAssertion, FieldRule, ReconcileDecision)] = [
            ("nothing yet", nil, a("x", "shop", 1), newest, .take(rule: "first-value")),
            ("same value", a("x", "crm", 1), a("x", "shop", 9), newest, .keep),
            ("newer wins", a("x", "crm", 1), a("y", "shop", 2), newest, .take(rule: "newest")),
            ("older loses", a("x", "crm", 2), a("y", "shop", 1), newest, .keep),
            ("same time, other source", a("x", "crm", 1), a("y", "shop", 1), newest,
             .conflict(reason: "crm and shop observed different values at the same time")),
            ("same time, same source corrects itself", a("x", "crm", 1), a("y", "crm", 1), newest, .take(rule: "newest")),
            ("higher priority wins even if older", a("x", "shop", 9), a("y", "crm", 1), priority, .take(rule: "source-priority")),
            ("lower priority loses even if newer", a("x", "crm", 1), a("y", "shop", 9), priority, .keep),
            ("unlisted source ranks last", a("x", "shop", 1), a("y", "mail", 9), priority, .keep),
            ("equal priority falls back to time", a("x", "crm", 1), a("y", "crm", 2), priority, .take(rule: "source-priority,newest")),
            ("more complete wins", a("北京", "crm", 9), a("北京市朝阳区", "shop", 1), complete, .take(rule: "most-complete")),
            ("less complete loses", a("北京市朝阳区", "crm", 1), a("北京", "shop", 9), complete, .keep),
            ("keep-first keeps", a("x", "crm", 1), a("y", "shop", 9), FieldRule(policy: .keepFirst, guarded: false), .keep),
            ("manual asks a person", a("x", "crm", 1), a("y", "shop", 9), FieldRule(policy: .manual, guarded: false),
             .conflict(reason: "policy is manual")),
        ]
        for (name, current, incoming, rule, expected) in cases {
            XCTAssertEqual(FieldReconciler.decide(current: current, incoming: incoming, rule: rule), expected, name)
        }
    }

    func testASurnameWithAFormOfAddressNeverReplacesTheFullName() {
        let newest = FieldRule(policy: .newest, guarded: false)
        // Newer, but says less: kept as provenance only.
        XCTAssertEqual(FieldReconciler.decide(current: a("胡林杰", "orders", 1), incoming: a("胡女士", "callcenter", 9),
                                              rule: newest, field: .name), .keep)
        // Older, but says more: it replaces the title.
        XCTAssertEqual(FieldReconciler.decide(current: a("胡女士", "callcenter", 9), incoming: a("胡林杰", "orders", 1),
                                              rule: newest, field: .name), .take(rule: "full-name"))
        // Another surname, another field, or a guarded field: the policy decides as usual.
        XCTAssertEqual(FieldReconciler.decide(current: a("胡林杰", "orders", 1), incoming: a("王女士", "callcenter", 9),
                                              rule: newest, field: .name), .take(rule: "newest"))
        XCTAssertEqual(FieldReconciler.decide(current: a("胡林杰", "orders", 1), incoming: a("胡女士", "callcenter", 9),
                                              rule: newest, field: .company), .take(rule: "newest"))
        guard case .conflict = FieldReconciler.decide(current: a("胡女士", "callcenter", 9), incoming: a("胡林杰", "orders", 1),
                                                      rule: FieldRule(policy: .newest, guarded: true), field: .name)
        else { return XCTFail("a guarded name must ask a person") }
    }

    func testGuardedFieldOpensAConflictWhateverThePolicy() {
        let decision = FieldReconciler.decide(current: a("x", "crm", 1), incoming: a("y", "shop", 2),
                                              rule: FieldRule(policy: .newest, guarded: true))
        guard case .conflict(let reason) = decision else { return XCTFail("\(decision)") }
        XCTAssertTrue(reason.contains("guarded"))
    }
}
