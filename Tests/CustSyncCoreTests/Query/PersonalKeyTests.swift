@testable import CustSyncCore
import XCTest

final class PersonalKeyTests: XCTestCase {
    func testKeysThatHoldPersonalDataNameTheirField() {
        let expected: [String: String] = [
            "email": "email", "customer_email": "email", "customerEmail": "email", "E-Mail": "email",
            "emails": "email", "mail": "email", "EmailAddress": "email",
            "phone": "phone", "contact_phone": "phone", "mobile": "phone", "tel": "phone", "Tel": "phone",
            "phoneNumber": "phone", "cellphone": "phone", "receiver.mobile": "phone", "fax": "phone",
            "address": "address", "shipping_address": "address", "billingAddress": "address",
            "receiver_address": "address", "addr": "address", "street": "address", "zip": "address",
        ]
        for (key, field) in expected { XCTAssertEqual(PersonalKey.field(of: key), field, key) }
    }

    func testKeysThatOnlyDescribePersonalDataOrMerelyContainAShortWordNameNone() {
        for key in ["email_verified", "emailVerified", "phone_type", "address_id", "email_opt_in", "phone_country",
                    "address_status", "hotel", "cancelled", "telemetry", "mailbox", "name", "company", "amount",
                    "created_at", "id", "value", "field"] {
            XCTAssertNil(PersonalKey.field(of: key), key)
        }
    }
}
