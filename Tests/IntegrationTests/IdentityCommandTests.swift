import Foundation
import Glibc
import XCTest

/// Merge, split, conflict resolution and manual tags through syncctl and the real daemon.
final class IdentityCommandTests: XCTestCase {
    func testMergeSplitResolveAndTagThroughSyncctl() throws {
        let installation = try TestInstallation()
        let script = installation.root.file("people.sh")
        try installation.root.write("people.sh", """
            #!/bin/sh
            echo '{"type":"record","key":"a","observed_at":100,"fields":{"name":"Ann Lee","email":"ann@example.com","address":"x"}}'
            echo '{"type":"record","key":"b","observed_at":100,"fields":{"name":"Ann Lee","phone":"13800138000"}}'
            echo '{"type":"state","cursor":"done"}'
            """)
        let shop = installation.root.file("shop.sh")
        try installation.root.write("shop.sh", """
            #!/bin/sh
            sleep 1
            echo '{"type":"record","key":"c","observed_at":100,"fields":{"email":"ann@example.com","address":"yy"}}'
            echo '{"type":"state","cursor":"done"}'
            """)
        chmod(script, 0o755)
        chmod(shop, 0o755)
        try installation.addConnector("people", "[Connector]\nName=people\nKind=exec\nInterval=1h\n[Exec]\nCommand=\(script)\n")
        try installation.addConnector("shop", "[Connector]\nName=shop\nKind=exec\nInterval=1h\n[Exec]\nCommand=\(shop)\n")
        try installation.start()
        XCTAssertTrue(try waitUntil(timeout: 20) {
            let people = try installation.connectorStatus("people")?["cursor"] as? String
            let shop = try installation.connectorStatus("shop")?["cursor"] as? String
            return people == "done" && shop == "done"
        })
        let codes = try installation.store().connection.statement("SELECT code FROM customers ORDER BY code").strings()
        XCTAssertEqual(codes.count, 2)

        // A field conflict (two sources, same time, different addresses) resolved by taking one.
        let conflictID = try installation.count("SELECT id FROM conflicts WHERE kind = 'field' AND status = 'open'")
        XCTAssertGreaterThan(conflictID, 0)
        let resolve = try installation.syncctl(["conflicts", "resolve", String(conflictID), "--value", "1 Main St"])
        XCTAssertEqual(resolve.status, 0, resolve.stderr)
        XCTAssertEqual(try installation.store().connection.statement("SELECT address FROM customers WHERE code = ?").first([codes[0]])?.string(0), "1 Main St")
        let wrong = try installation.syncctl(["conflicts", "resolve", String(conflictID), "--merge"])
        XCTAssertEqual(wrong.status, 1)
        XCTAssertTrue(wrong.stderr.contains("already resolved"), wrong.stderr)

        let merge = try installation.syncctl(["merge", codes[1], codes[0]])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM customers WHERE merged_into IS NULL"), 1)
        let shown = try XCTUnwrap(try installation.syncctl(["customer", "show", codes[1], "--json"]).json as? [String: Any])
        XCTAssertEqual(shown["code"] as? String, codes[0], "an absorbed code resolves to the survivor")
        XCTAssertEqual(shown["aliases"] as? [String], [codes[1]])
        XCTAssertNotNil(shown["stage"])
        let verify = try installation.syncctl(["verify"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        let split = try installation.syncctl(["split", codes[1], "--json"])
        XCTAssertEqual(split.status, 0, split.stderr)
        XCTAssertNotNil((split.json as? [String: Any])?["message"])
        XCTAssertEqual(try installation.count("SELECT count(*) FROM customers WHERE merged_into IS NULL"), 2)

        let tag = try installation.syncctl(["tag", codes[0], "+call-back", "+vip-watch"])
        XCTAssertEqual(tag.status, 0, tag.stderr)
        XCTAssertTrue(tag.stdout.contains("call-back vip-watch"), tag.stdout)
        XCTAssertEqual(try installation.syncctl(["tag", codes[0], "vip"]).status, 2)
        let tagged = try XCTUnwrap(try installation.syncctl(["customers", "--tag", "call-back", "--json"]).json as? [String: Any])
        XCTAssertEqual((tagged["customers"] as? [[String: Any]])?.compactMap { $0["code"] as? String }, [codes[0]])
        let potential = try XCTUnwrap(try installation.syncctl(["customers", "--stage", "potential", "--json"]).json as? [String: Any])
        XCTAssertEqual((potential["customers"] as? [Any])?.count, 2)
        XCTAssertEqual(try installation.count("SELECT count(*) FROM journal WHERE kind = 'admin.action'"), 6) // resolve ×2, merge, verify, split, tag
        XCTAssertEqual(try installation.count("SELECT count(*) FROM journal WHERE kind IN ('customer.merged', 'customer.split', 'conflict.resolved')"), 3)
    }

    func testCustomerShowRejectsAMistypedCodeByItsCheckDigit() throws {
        let installation = try TestInstallation(mainExtra: "[Codes]\nTemplate=KH-{seq:6}{check}")
        try installation.addGenerator("gen", count: 3)
        try installation.start()
        XCTAssertTrue(try waitUntil(timeout: 20) { (try installation.connectorStatus("gen")?["applied"] as? Int) == 3 })
        let code = try XCTUnwrap(try installation.store().connection.statement("SELECT min(code) FROM customers").firstString())
        XCTAssertEqual(code, "KH-0000018")
        let shown = try installation.syncctl(["customer", "show", code, "--json"])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        let show = try XCTUnwrap(shown.json as? [String: Any])
        for key in ["code", "stage", "tier", "tags"] { XCTAssertNotNil(show[key], key) }
        var typo = Array(code)
        typo[5] = "9"
        let refused = try installation.syncctl(["customer", "show", String(typo)])
        XCTAssertEqual(refused.status, 5)
        XCTAssertTrue(refused.stderr.contains("check digit does not match"), refused.stderr)
    }

    func testUnknownCodesAndConflictsExitNotFound() throws {
        // syncctl(1): exit 5 for no such customer or conflict, as `customer show` and
        // `conflicts show` do, so that a script can tell a typo from a refusal.
        let installation = try TestInstallation(mainExtra: CustomerFixture.configuration)
        try CustomerFixture.install(in: installation)
        try installation.start()
        XCTAssertTrue(try waitUntil(timeout: 30) { (try installation.connectorStatus("crm")?["cursor"] as? String) == "done" })
        let missing: [([String], String)] = [
            (["conflicts", "resolve", "999", "--take", "crm"], "no conflict #999"),
            (["tag", "KH-9999999", "+vip"], "unknown customer code KH-9999999"),
            (["merge", "KH-9999999", "KH-0000001"], "unknown customer code: KH-9999999"),
            (["merge", "KH-0000001", "KH-9999999"], "unknown customer code: KH-9999999"),
            (["split", "KH-9999999"], "unknown customer code KH-9999999"),
        ]
        for (arguments, message) in missing {
            let result = try installation.syncctl(arguments)
            XCTAssertEqual(result.status, 5, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        let notMerged = try installation.syncctl(["split", "KH-0000001"])
        XCTAssertEqual(notMerged.status, 1, "it exists; it just was never merged: \(notMerged.stderr)")
        XCTAssertTrue(notMerged.stderr.contains("is not merged into another customer"), notMerged.stderr)
    }
}

