@testable import CustSyncConnectors
import XCTest

final class IMAPLoginAnswerTests: XCTestCase {
    func testARefusalAndAPassingFailureAreToldApart() {
        let greeting = "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE AUTH=PLAIN] Dovecot ready."
        let refused = IMAPLoginAnswer(responseLines: [greeting, "A001 NO [AUTHENTICATIONFAILED] Authentication failed."])
        XCTAssertEqual(refused?.text, "NO [AUTHENTICATIONFAILED] Authentication failed.")
        XCTAssertEqual(refused?.isTemporary, false)
        let unavailable = IMAPLoginAnswer(responseLines: [greeting, "* CAPABILITY IMAP4rev1",
                                                          "A002 NO [UNAVAILABLE] Temporary authentication failure. [host:2026-11-23 05:40:01]"])
        XCTAssertEqual(unavailable?.isTemporary, true)
        XCTAssertEqual(unavailable?.text.hasPrefix("NO [UNAVAILABLE] Temporary authentication failure."), true)
        XCTAssertEqual(IMAPLoginAnswer(responseLines: ["A001 BAD Error in IMAP command"])?.isTemporary, false)
    }

    func testNoTaggedFailureMeansNoAnswer() {
        XCTAssertNil(IMAPLoginAnswer(responseLines: []))
        XCTAssertNil(IMAPLoginAnswer(responseLines: ["* OK Dovecot ready.", "* NO untagged warning", "A001 OK Logged in"]))
    }
}
