@testable import CustSyncCore
import XCTest

final class PersonalDataMaskTests: XCTestCase {
    func testFieldValues() {
        let cases: [(field: String, value: String, masked: String)] = [
            ("email", "zhangwei@example.com", "z***@example.com"),
            ("email", "ZhangWei@Example.com", "z***@example.com"),
            ("phone", "+8613800138000", "138****8000"),
            ("phone", "13800138000", "138****8000"),
            ("phone", "+442079460958", "+442*****0958"),
            ("address", "北京市朝阳区建国路1号", "***"),
            ("address", "", ""),
            ("name", "张伟", "张伟"),
            ("company", "Example Ltd", "Example Ltd"),
            ("customer_type", "retail", "retail"),
        ]
        for (field, value, masked) in cases {
            XCTAssertEqual(PersonalDataMask.value(value, field: field), masked, "\(field) \(value)")
        }
    }

    func testFreeTextMasksAddressesAndPhoneNumbersButNotCodesOrDates() {
        let cases: [(String, String)] = [
            ("this is not json, call 13912345678", "this is not json, call 139****5678"),
            ("mail zhangwei@example.com now", "mail z***@example.com now"),
            ("phone: \"138 0013 8000\" is odd", "phone: \"138 **** 8000\" is odd"),
            // A quarantine reason quotes the address it refused.
            ("email: \"bob@@example.com\" contains more than one \"@\"", "email: \"b***@example.com\" contains more than one \"@\""),
            ("customer KH-0000012 and order O-2026112201", "customer KH-0000012 and order O-2026112201"),
            ("observed 2026-11-22T10:00:00Z", "observed 2026-11-22T10:00:00Z"),
            ("line 42", "line 42"),
            ("", ""),
        ]
        for (text, masked) in cases {
            XCTAssertEqual(PersonalDataMask.freeText(text), masked, text)
        }
    }

    func testJournalDetailsAreMaskedByKeyAndField() throws {
        func object(_ text: String) throws -> [String: String] {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
        }
        let created = try object(PersonalDataMask.json(#"{"name":"张伟","email":"zhangwei@example.com","phone":"+8613800138000","address":"北京"}"#))
        XCTAssertEqual(created, ["name": "张伟", "email": "z***@example.com", "phone": "138****8000", "address": "***"])
        let changed = try object(PersonalDataMask.json(#"{"field":"phone","value":"+8613800138000","source":"crm","rule":"newest"}"#))
        XCTAssertEqual(changed, ["field": "phone", "value": "138****8000", "source": "crm", "rule": "newest"])
        let name = try object(PersonalDataMask.json(#"{"field":"name","value":"Ann Lee","source":"crm"}"#))
        XCTAssertEqual(name["value"], "Ann Lee")
        let candidates = PersonalDataMask.json(#"[{"value":"ann@example.org","source":"a","observed_at":"2026-11-22T10:00:00.000Z"}]"#, field: "email")
        XCTAssertFalse(candidates.contains("ann@example.org"), candidates)
        XCTAssertTrue(candidates.contains("2026-11-22T10:00:00.000Z"), candidates)
        XCTAssertEqual(PersonalDataMask.json("not json 13912345678"), "not json 139****5678")
    }

    func testViewsMaskEveryPersonalMember() {
        var view = CustomerView(code: "KH-0000001", stage: "active", createdAt: Date(), updatedAt: Date(), version: 1)
        view.fields = [.init(field: "email", value: "zhangwei@example.com", source: "crm", rule: "newest", observedAt: nil),
                       .init(field: "name", value: "张伟", source: "crm", rule: "newest", observedAt: nil)]
        view.identifiers = [.init(kind: "phone", value: "+8613800138000", source: "crm", firstSeen: Date())]
        let masked = view.masked()
        XCTAssertTrue(masked.masked)
        XCTAssertEqual(masked.fields.map(\.value), ["z***@example.com", "张伟"])
        XCTAssertEqual(masked.identifiers.map(\.value), ["138****8000"])
        XCTAssertFalse(view.masked(false).masked)

        var summary = CustomerSummary(code: "KH-0000002", stage: "potential", updatedAt: Date())
        summary.email = "ann@example.org"
        summary.phone = "+442079460958"
        XCTAssertEqual(summary.masked().email, "a***@example.org")
        XCTAssertEqual(summary.masked().phone, "+442*****0958")
    }

    func testAnAddressAConflictWasResolvedWithStaysMaskedInTheJournalAndTheConflict() throws {
        let store = TemporaryStore()
        let engine = try store.engine()
        _ = try engine.apply(Batch(source: "crm", items: [record("c1", [.email: "a@example.com", .address: "7 Secret Road"])], nextCursor: nil))
        _ = try engine.apply(Batch(source: "shop", items: [record("s1", [.email: "a@example.com", .address: "9 Hidden Lane"])], nextCursor: nil))
        let ids = try engine.connection.statement("SELECT id FROM conflicts WHERE kind = 'field' ORDER BY id").rows().compactMap { $0.int(0) }
        let id = try XCTUnwrap(ids.first)
        try engine.resolveConflict(id, .takeSource("shop"), actor: "admin:op")
        _ = try AdminWriter(connection: engine.connection).journal(AdminAction(
            uid: 1000, user: "op", role: .operator, command: "conflicts resolve",
            arguments: ["id": String(id), "value": "11 Private Way"], outcome: "ok"))

        let journal = try JournalQueries(connection: engine.connection).page(JournalFilter(), limit: 100).entries
        let masked = journal.map { $0.masked() }.map { ($0.before ?? "") + ($0.after ?? "") }.joined(separator: "\n")
        for secret in ["Hidden", "Secret", "Private"] { XCTAssertFalse(masked.contains(secret), masked) }
        let unmasked = journal.map { ($0.before ?? "") + ($0.after ?? "") }.joined(separator: "\n")
        XCTAssertTrue(unmasked.contains("9 Hidden Lane"), "admins still see what the conflict was resolved with")

        let conflict = try XCTUnwrap(try ConflictQueries(connection: engine.connection).conflict(id: id))
        XCTAssertEqual(conflict.status, "resolved")
        XCTAssertFalse((conflict.masked().resolution ?? "").contains("Hidden"), conflict.masked().resolution ?? "")
    }

    func testQuarantinedJSONInputHasEveryPersonalValueMasked() {
        // An exec line rejected for its phone number still carries a good address and e-mail,
        // and a phone number another upstream sends as a JSON number.
        let raw = #"{"type":"record","key":"L1","observed_at":1700000000,"fields":{"name":"王芳","email":"bob@@example.com","phone":13912345678,"address":"221B Baker Street, London"}}"#
        let entry = QuarantineEntry(id: 1, source: "crm", origin: "line 1", reason: "email: not valid", raw: raw, at: Date(), status: "open")
        let masked = entry.masked().raw ?? ""
        for secret in ["Baker", "bob@", "13912345678"] { XCTAssertFalse(masked.contains(secret), masked) }
        XCTAssertTrue(masked.contains("王芳") && masked.contains("1700000000"), "names and times stay readable: \(masked)")
        XCTAssertEqual(entry.masked(false).raw, raw, "admins see the input as it came")
        // Input that is not a JSON object or array (a CSV row, a bare number) stays free text.
        let row = QuarantineEntry(id: 2, source: "calls", origin: "line 2", reason: "bad", raw: "13912345678", at: Date(), status: "open")
        XCTAssertEqual(row.masked().raw, "139****5678")
    }

    func testAnOrderIsMaskedByWhatItsKeysSayAndWhatItsValuesLookLike() throws {
        let order = #"{"id":"O-77","customer_email":"li@example.com","email_verified":true,"#
            + #""contact_phone":"+86 139 1234 5678","phone_type":"mobile","mobile":13912345678,"#
            + #""shipping":{"address":"88 Harbour Road","phone":"13800138000"},"#
            + #""billingAddress":{"line1":"Room 5, 77 Wensan Road","city":"Hangzhou","zip":310000},"#
            + #""receiver_address":"9 Elm Street","note":"call 13700137000 or li.alt@example.org","total":"99.50"}"#
        let masked = PersonalDataMask.input(order)
        for secret in ["li@", "1234 5678", "13912345678", "Harbour", "13800138000", "Wensan", "Hangzhou",
                       "310000", "Elm", "13700137000", "li.alt@"] {
            XCTAssertFalse(masked.contains(secret), "\(secret): \(masked)")
        }
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(masked.utf8)) as? [String: Any])
        XCTAssertEqual(object["email_verified"] as? Bool, true, "a flag about a personal value is no personal value")
        XCTAssertEqual(object["phone_type"] as? String, "mobile")
        XCTAssertEqual(object["customer_email"] as? String, "l***@example.com")
        XCTAssertEqual(object["mobile"] as? String, "139****5678")
        XCTAssertEqual((object["billingAddress"] as? [String: Any])?["zip"] as? String, "***")
        XCTAssertEqual(object["id"] as? String, "O-77")
        XCTAssertEqual(object["total"] as? String, "99.50")
    }
}
