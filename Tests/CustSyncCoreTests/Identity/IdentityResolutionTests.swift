@testable import CustSyncCore
import XCTest

/// The example of issue 6 and its traps, through the real engine and store.
final class IdentityResolutionTests: XCTestCase {
    func apply(_ engine: Engine, _ source: String, _ key: String, _ fields: [CanonicalField: String], at seconds: Double = 1_000) throws {
        _ = try engine.apply(Batch(source: source, items: [record(key, fields, at: seconds)], nextCursor: nil))
    }

    func liveCustomers(_ engine: Engine) throws -> Int64 {
        try engine.count("SELECT count(*) FROM customers WHERE merged_into IS NULL")
    }

    func testTheSamePersonFromThreeSourcesBecomesOneCustomer() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "callcenter", "r1", [.name: "张伟", .phone: "138 0013 8000"])
        try apply(engine, "orders", "o1", [.name: "张 伟", .phone: "+86-138-0013-8000", .email: "zhangwei@example.com"])
        try apply(engine, "mail", "m1", [.name: "Zhang Wei", .email: "ZhangWei@Example.com"])
        XCTAssertEqual(try liveCustomers(engine), 1)
        XCTAssertEqual(try engine.count("SELECT count(DISTINCT customer_code) FROM applied_records"), 1)
    }

    func testTwoDifferentPeopleCalled张伟StayApart() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "callcenter", "r1", [.name: "张伟", .phone: "13800138000"])
        try apply(engine, "callcenter", "r2", [.name: "张伟", .phone: "13911112222"])
        XCTAssertEqual(try liveCustomers(engine), 2)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM conflicts"), 0)
    }

    func testAFamilySharingAPhoneStaysApart() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "callcenter", "r1", [.name: "张伟", .phone: "010-12345678"])
        try apply(engine, "callcenter", "r2", [.name: "张敏", .phone: "010-12345678"])
        try apply(engine, "callcenter", "r3", [.name: "张敏", .phone: "010-12345678", .address: "北京"])
        XCTAssertEqual(try liveCustomers(engine), 2)
        // r3 found 张敏 (the closer name among the phone's holders), not 张伟.
        XCTAssertEqual(try engine.value("SELECT name FROM customers WHERE address = '北京'"), "张敏")
    }

    func testAPhoneJoinsTheSameNameInPinyinButNotAFamilyMember() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "callcenter", "r1", [.name: "张伟英", .phone: "18428894539"])
        try apply(engine, "orders", "o1", [.name: "Zhang Weiying", .phone: "+86 184 2889 4539"])
        try apply(engine, "orders", "o2", [.name: "Wei Ying ZHANG", .phone: "184-2889-4539"])
        XCTAssertEqual(try liveCustomers(engine), 1)
        // Her son shares the surname and the phone, not the name.
        try apply(engine, "orders", "o3", [.name: "Zhang Hao", .phone: "18428894539"])
        XCTAssertEqual(try liveCustomers(engine), 2)
    }

    func testAFuzzyMatchScoresTheNameAcrossScripts() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "mail", "m1", [.name: "Xu Fengli", .email: "flxu@foxmail.com", .phone: "13650857582"])
        // The same last 8 digits behind another prefix, the name in characters: the pinyin is
        // spelled alike, but a partial phone and a cross-script name make a candidate for
        // review, not a merge.
        try apply(engine, "callcenter", "c1", [.name: "徐凤丽", .phone: "13750857582"])
        XCTAssertEqual(try liveCustomers(engine), 2)
        XCTAssertEqual(try engine.value("SELECT reason FROM conflicts WHERE kind = 'merge-candidate'"),
                       "score=0.87 (name=0.92, phone=partial)")
    }

    func testAnotherNameTheCustomerIsKnownByCounts() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "mail", "m1", [.name: "Zhenming Chen", .email: "1945416066@qq.com"])
        try apply(engine, "mail", "m2", [.name: "陈珍明", .email: "1945416066@qq.com", .phone: "13286183877"])
        // The customer's current name may be either; a call as 陈珍明 finds it by phone.
        try apply(engine, "callcenter", "c1", [.name: "陈珍明", .phone: "132-8618-3877"])
        XCTAssertEqual(try liveCustomers(engine), 1)
    }

    func testASurnameWithAFormOfAddressJoinsAnOwnPhoneButNotAShared() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "orders", "o1", [.name: "胡林杰", .phone: "17388605120"])
        try apply(engine, "callcenter", "c1", [.name: "胡女士", .phone: "173 8860 5120"])
        XCTAssertEqual(try liveCustomers(engine), 1)
        // A landline shared by two 胡: the agent's 胡先生 could be either, so neither.
        try apply(engine, "orders", "o2", [.name: "胡林", .phone: "010-12345678"])
        try apply(engine, "orders", "o3", [.name: "胡明", .phone: "010-12345678"])
        try apply(engine, "callcenter", "c2", [.name: "胡先生", .phone: "010 1234 5678"])
        XCTAssertEqual(try liveCustomers(engine), 4)
        // And another surname is another person.
        try apply(engine, "callcenter", "c3", [.name: "王女士", .phone: "17388605120"])
        XCTAssertEqual(try liveCustomers(engine), 5)
    }

    func testFuzzyMatchAttachesTheSameNameWithTheSamePhoneSuffix() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "crm", "c1", [.name: "Christopher Johnson", .phone: "+8613800138000"])
        // The same name and the same last 8 digits under another prefix (a mistyped prefix).
        try apply(engine, "shop", "s1", [.name: "christopher johnson", .phone: "+8613900138000"])
        XCTAssertEqual(try liveCustomers(engine), 1)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM conflicts WHERE kind = 'merge-candidate'"), 0)
        // A typo in the name as well: two weak signals go to review instead.
        try apply(engine, "shop", "s2", [.name: "Christopher Jonson", .phone: "+8613700138000"])
        XCTAssertEqual(try liveCustomers(engine), 2)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM conflicts WHERE kind = 'merge-candidate'"), 1)
    }

    func testASharedNameAloneIsACandidateOnlyWhenReviewScoreAllowsIt() throws {
        // Same name and region, nothing else: 0.6 + 0.4·0.3 = 0.72, found only through the
        // name block, which matching reads only when such a score can matter.
        let first: [CanonicalField: String] = [.name: "Anna Müller", .region: "Berlin", .phone: "+8613800138000"]
        let second: [CanonicalField: String] = [.name: "Anna Müller", .region: "Berlin"]
        for (review, candidates) in [(0.75, 0), (0.7, 1)] {
            let store = TemporaryStore()
            let engine = try store.engine(settings: EngineSettings(autoMergeScore: 0.92, reviewScore: review))
            try apply(engine, "crm", "c1", first)
            try apply(engine, "shop", "s1", second)
            XCTAssertEqual(try liveCustomers(engine), 2, "ReviewScore=\(review)")
            XCTAssertEqual(try engine.count("SELECT count(*) FROM conflicts WHERE kind = 'merge-candidate'"),
                           Int64(candidates), "ReviewScore=\(review)")
        }
        XCTAssertEqual(MatchScorer.bestWithoutContact, 0.72, accuracy: 1e-9)
    }

    func testAMailboxNameIsNoPartialEmailAgreement() throws {
        let info = MatchProfile(name: nil, phone: nil, email: "info@a.example", region: nil)
        let otherInfo = MatchProfile(name: nil, phone: nil, email: "info@b.example", region: nil)
        XCTAssertEqual(info.evidence(against: otherInfo).email, .different)
        let anna = MatchProfile(name: nil, phone: nil, email: "anna.mueller@a.example", region: nil)
        let otherAnna = MatchProfile(name: nil, phone: nil, email: "anna.mueller@b.example", region: nil)
        XCTAssertEqual(anna.evidence(against: otherAnna).email, .partial)
    }

    func testARecordWithNameEmailAndPhoneBridgesAnEmailOnlyCustomerToTheNamedOne() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "callcenter", "c1", [.name: "李诗敏", .phone: "159 7465 7975"])
        try apply(engine, "mail", "m1", [.email: "smli@hotmail.com"])
        // Without a name the mail cannot tell a household's phone from her own: a review.
        try apply(engine, "mail", "m2", [.email: "smli@hotmail.com", .phone: "15974657975"])
        XCTAssertEqual(try liveCustomers(engine), 2)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM conflicts WHERE kind = 'merge-candidate' AND status = 'open'"), 1)
        // The order names her: the address's customer had no name, the phone's has hers.
        try apply(engine, "orders", "o1", [.name: "李诗敏", .phone: "+86 159 7465 7975", .email: "smli@hotmail.com"])
        XCTAssertEqual(try liveCustomers(engine), 1)
        XCTAssertEqual(try engine.value("SELECT resolution FROM conflicts WHERE kind = 'merge-candidate'"), "merged")
        let reason = try XCTUnwrap(try engine.value("SELECT json_extract(after, '$.reason') FROM journal WHERE kind = 'customer.merged'"))
        XCTAssertTrue(reason.contains("email points at") && reason.contains("names=1.00"), reason)
    }

    func testACustomerKnownOnlyByAPhoneIsNotBridgedToANamedOne() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "mail", "m1", [.name: "李诗敏", .email: "smli@hotmail.com"])
        // Someone in her household ordered with the shared landline and gave no name.
        try apply(engine, "orders", "o1", [.phone: "010-5596 7033"])
        try apply(engine, "orders", "o2", [.name: "李诗敏", .phone: "010-55967033", .email: "smli@hotmail.com"])
        XCTAssertEqual(try liveCustomers(engine), 2)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM conflicts WHERE kind = 'merge-candidate' AND status = 'open'"), 1)
    }

    func testAnUncertainMatchOpensAMergeCandidateWithScoreAndReason() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "crm", "c1", [.name: "Anna Müller", .email: "anna.mueller@example.com"])
        try apply(engine, "shop", "s1", [.name: "Anna Müller", .email: "anna.mueller@other.org"])
        XCTAssertEqual(try liveCustomers(engine), 2)
        let reason = try XCTUnwrap(try engine.value("SELECT reason FROM conflicts WHERE kind = 'merge-candidate'"))
        XCTAssertTrue(reason.contains("name=1.00") && reason.contains("email=partial"), reason)
    }

    func testMergeIsTransitiveAndCodesResolveToTheSurvivorAndSplitUndoesIt() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "crm", "a", [.name: "Ann Lee", .email: "ann@example.com"])
        try apply(engine, "crm", "b", [.name: "Ann Lee", .phone: "13800138000", .address: "1 Main St"])
        try apply(engine, "crm", "c", [.name: "Ann Lee", .phone: "13900139000"])
        let codes = try engine.connection.prepared("SELECT code FROM customers ORDER BY code").strings()
        XCTAssertEqual(codes.count, 3)
        try engine.mergeCustomers(codes[2], into: codes[1], source: "admin:test")
        try engine.mergeCustomers(codes[1], into: codes[0], source: "admin:test")
        XCTAssertEqual(try engine.resolveCode(codes[2]), codes[0])
        XCTAssertEqual(try engine.resolveCode(codes[1]), codes[0])
        XCTAssertEqual(try engine.value("SELECT address FROM customers WHERE code = ?", [codes[0]]), "1 Main St")
        XCTAssertEqual(try liveCustomers(engine), 1)
        XCTAssertThrowsError(try engine.mergeCustomers(codes[2], into: codes[0], source: "admin:test"))
        // A later record keyed to the absorbed customer lands on the survivor.
        try apply(engine, "crm", "c", [.name: "Ann Lee", .phone: "13900139000", .region: "BJ"])
        XCTAssertEqual(try engine.value("SELECT region FROM customers WHERE code = ?", [codes[0]]), "BJ")

        let survivor = try engine.split(codes[1], source: "admin:test")
        XCTAssertEqual(survivor, codes[0])
        XCTAssertEqual(try engine.resolveCode(codes[1]), codes[1])
        XCTAssertEqual(try engine.resolveCode(codes[2]), codes[1], "the code merged into the split one goes back with it")
        XCTAssertNil(try engine.value("SELECT address FROM customers WHERE code = ?", [codes[0]]))
        XCTAssertEqual(try engine.count("SELECT count(*) FROM journal WHERE kind = 'customer.split'"), 1)
        XCTAssertThrowsError(try engine.split(codes[0], source: "admin:test"))
    }

    func testResolvingConflicts() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "crm", "c1", [.email: "a@example.com", .address: "x"])
        _ = try engine.apply(Batch(source: "shop", items: [record("s1", [.email: "a@example.com", .address: "yy"], at: 1_000)], nextCursor: nil))
        XCTAssertEqual(try engine.value("SELECT address FROM customers"), "x")
        let id = try XCTUnwrap(try engine.connection.scalarInt("SELECT id FROM conflicts WHERE kind = 'field'"))
        XCTAssertThrowsError(try engine.resolveConflict(id, .merge, actor: "admin:test"))
        XCTAssertThrowsError(try engine.resolveConflict(id, .takeSource("nobody"), actor: "admin:test"))
        try engine.resolveConflict(id, .takeSource("shop"), actor: "admin:test")
        XCTAssertEqual(try engine.value("SELECT address FROM customers"), "yy")
        XCTAssertEqual(try engine.value("SELECT status FROM conflicts WHERE id = ?", [id]), "resolved")
        XCTAssertEqual(try engine.value("SELECT chosen_by FROM field_values WHERE field = 'address' AND chosen_by IS NOT NULL"), "manual")
        XCTAssertThrowsError(try engine.resolveConflict(id, .value("z"), actor: "admin:test"))
        XCTAssertEqual(try engine.count("SELECT count(*) FROM journal WHERE kind = 'conflict.resolved'"), 1)
    }

    /// A wrong merge, then more from the absorbed customer's own source, then the split: what
    /// that source sent meanwhile goes back with the absorbed customer, and its key keeps
    /// pointing there.
    func testSplitTakesBackWhatTheAbsorbedCustomersSourceSentAfterTheMerge() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "crm", "a", [.name: "Ann Lee", .email: "ann@example.com"])
        try apply(engine, "crm", "b", [.name: "Bob Stone", .phone: "13800138000"])
        let codes = try engine.connection.prepared("SELECT code FROM customers ORDER BY code").strings()
        XCTAssertEqual(codes.count, 2)
        try engine.mergeCustomers(codes[1], into: codes[0], source: "admin:test")

        // Bob orders while he is wrongly merged into Ann.
        let order = Interaction(kind: .order, key: "O-7", occurredAt: Date(timeIntervalSince1970: 2_000), amount: 12, currency: "CNY")
        _ = try engine.apply(Batch(source: "crm", items: [
            record("b", [.name: "Bob Stone", .phone: "13800138000", .region: "BJ"], at: 2_000, interaction: order),
        ], nextCursor: nil))
        XCTAssertEqual(try engine.resolveCode(try XCTUnwrap(try engine.value("SELECT customer_code FROM interactions WHERE source_key = 'O-7'"))),
                       codes[0], "while merged, Bob's order shows under the survivor")

        XCTAssertEqual(try engine.split(codes[1], source: "admin:test"), codes[0])
        XCTAssertEqual(try engine.value("SELECT customer_code FROM interactions WHERE source_key = 'O-7'"), codes[1],
                       "the order Bob placed during the wrong merge is his again")
        XCTAssertEqual(try engine.value("SELECT customer_code FROM applied_records WHERE source = 'crm' AND source_key = 'b'"), codes[1])
        XCTAssertEqual(try engine.count("SELECT count(*) FROM identifiers WHERE customer_code = ? AND kind = 'phone'", [codes[0]]), 0,
                       "Ann did not get Bob's phone")

        // Bob's next record goes to Bob, without a merge candidate against Ann.
        try apply(engine, "crm", "b", [.name: "Bob Stone", .phone: "13800138000", .address: "2 Side St"])
        XCTAssertEqual(try engine.value("SELECT address FROM customers WHERE code = ?", [codes[1]]), "2 Side St")
        XCTAssertNil(try engine.value("SELECT address FROM customers WHERE code = ?", [codes[0]]))
        XCTAssertEqual(try engine.count("SELECT count(*) FROM conflicts WHERE kind = 'merge-candidate'"), 0)
    }

    func testSplitGivesBackTheValuesTheAbsorbedCustomersRecordsSetOnTheSurvivor() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "crm", "a", [.name: "Ann Lee", .email: "ann@example.com", .region: "SH"], at: 1_000)
        try apply(engine, "crm", "b", [.name: "Bob Stone", .phone: "13800138000"], at: 1_000)
        let codes = try engine.connection.prepared("SELECT code FROM customers ORDER BY code").strings()
        try engine.mergeCustomers(codes[1], into: codes[0], source: "admin:test")
        // While wrongly merged, Bob's records set the survivor's region and address (newest wins)…
        try apply(engine, "crm", "b", [.name: "Bob Stone", .phone: "13800138000", .region: "BJ", .address: "2 Side St"], at: 2_000)
        XCTAssertEqual(try engine.value("SELECT region FROM customers WHERE code = ?", [codes[0]]), "BJ")
        // …and Ann's own later record changes the address again.
        try apply(engine, "crm", "a", [.name: "Ann Lee", .email: "ann@example.com", .address: "9 Main Rd"], at: 3_000)

        XCTAssertEqual(try engine.split(codes[1], source: "admin:test"), codes[0])
        XCTAssertEqual(try engine.value("SELECT region FROM customers WHERE code = ?", [codes[0]]), "SH", "Ann's region is hers again")
        XCTAssertEqual(try engine.value("SELECT address FROM customers WHERE code = ?", [codes[0]]), "9 Main Rd",
                       "a later change by Ann's own record stands")
        XCTAssertEqual(try engine.value("SELECT region FROM customers WHERE code = ?", [codes[1]]), "BJ", "Bob gets what he sent")
        XCTAssertEqual(try engine.value("SELECT address FROM customers WHERE code = ?", [codes[1]]), "2 Side St")
        XCTAssertEqual(try engine.value("""
            SELECT source FROM field_values WHERE customer_code = ? AND field = 'region' AND chosen_by IS NOT NULL
            """, [codes[1]]), "crm", "with its provenance")
        let split = try XCTUnwrap(try engine.value("SELECT after FROM journal WHERE kind = 'customer.split'"))
        // The phone the merge itself gave Ann goes back too; region is undone from Bob's record.
        XCTAssertTrue(split.contains(#""restored":["phone","region"]"#) && split.contains(#""returned":["address","region"]"#), split)
        XCTAssertNil(try engine.value("SELECT phone FROM customers WHERE code = ?", [codes[0]]))
    }

    func testCustomersAPersonKeptSeparateAreNotProposedAgain() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        try apply(engine, "mail", "m1", [.name: "李诗敏", .email: "smli@hotmail.com"])
        try apply(engine, "orders", "o1", [.phone: "010-5596 7033"])
        try apply(engine, "orders", "o2", [.name: "李诗敏", .phone: "010-55967033", .email: "smli@hotmail.com"])
        let id = try XCTUnwrap(try engine.connection.scalarInt("SELECT id FROM conflicts WHERE kind = 'merge-candidate' AND status = 'open'"))
        try engine.resolveConflict(id, .keepSeparate, actor: "admin:test")
        // Her next order carries the same e-mail and household phone.
        try apply(engine, "orders", "o3", [.name: "李诗敏", .phone: "010-55967033", .email: "smli@hotmail.com"])
        XCTAssertEqual(try liveCustomers(engine), 2)
        XCTAssertEqual(try engine.count("SELECT count(*) FROM conflicts WHERE kind = 'merge-candidate' AND status = 'open'"), 0,
                       "a pair a person kept separate does not come back to the review queue")
        XCTAssertEqual(try engine.count("SELECT count(*) FROM journal WHERE kind = 'conflict.opened'"), 1)
    }
}
