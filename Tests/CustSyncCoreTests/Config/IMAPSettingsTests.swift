import XCTest
@testable import CustSyncCore

final class IMAPSettingsTests: XCTestCase {
    private func read(_ text: String) throws -> (IMAPSettings?, [String]) {
        let document = try IniDocument(parsing: text, file: "/etc/custsync/connectors.d/mail.conf")
        var reader = IniSectionReader(file: document.file, section: document.sections(named: "IMAP").first)
        let settings = IMAPSettings.read(&reader, directory: "/etc/custsync/connectors.d")
        return (settings, reader.errors.map(\.message))
    }

    func testFullSection() throws {
        let (settings, errors) = try read("""
            [IMAP]
            Server=imaps://mail.example.com:993
            Mailbox=Support
            Credential=secrets/mail
            CAFile=ca.pem
            InternalDomains=Example.com shop.example
            MaxMessageSize=2M
            SnippetLength=200
            Timeout=30s
            """)
        XCTAssertEqual(errors, [])
        XCTAssertEqual(settings, IMAPSettings(server: "imaps://mail.example.com:993", mailbox: "Support",
                                              credential: .file("/etc/custsync/connectors.d/secrets/mail"),
                                              caFile: "/etc/custsync/connectors.d/ca.pem",
                                              internalDomains: ["example.com", "shop.example"], maxMessageSize: 2 << 20,
                                              snippetLength: 200, timeout: 30))
    }

    func testDefaultsAndErrors() throws {
        let (settings, errors) = try read("[IMAP]\nServer=imap://127.0.0.1\nCredential=mail\n")
        XCTAssertEqual(settings?.mailbox, "INBOX")
        XCTAssertEqual(settings?.credential, .named("mail"))
        XCTAssertEqual(settings?.maxMessageSize, IMAPSettings.defaultMaxMessageSize)
        XCTAssertEqual(errors, [])

        let (missing, missingErrors) = try read("[IMAP]\nMailbox=INBOX\n")
        XCTAssertNil(missing)
        XCTAssertEqual(missingErrors.count, 2)
        XCTAssertTrue(missingErrors[0].contains("missing Server="))

        let (bad, badErrors) = try read("[IMAP]\nServer=https://user:pw@mail.example.com\nCredential=mail\n")
        XCTAssertNil(bad)
        XCTAssertTrue(badErrors.first?.contains("is not an imap:// or imaps:// server URL") == true)
    }

    func testSchemaKnowsTheKeys() {
        XCTAssertEqual(SectionSchema.connectorFile.first { $0.name == "IMAP" }?.keys, IMAPSettings.keys)
    }
}
