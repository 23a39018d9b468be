import Foundation
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
            Acknowledge=move
            MoveTo=已处理
            """)
        XCTAssertEqual(errors, [])
        XCTAssertEqual(settings, IMAPSettings(server: "imaps://mail.example.com:993", mailbox: "Support",
                                              credential: .file("/etc/custsync/connectors.d/secrets/mail"),
                                              caFile: "/etc/custsync/connectors.d/ca.pem",
                                              internalDomains: ["example.com", "shop.example"], maxMessageSize: 2 << 20,
                                              snippetLength: 200, timeout: 30, acknowledge: .move(to: "已处理")))
    }

    func testAcknowledgement() throws {
        let base = "[IMAP]\nServer=imaps://mail.example.com\nCredential=mail\n"
        XCTAssertEqual(try read(base).0?.acknowledge, IMAPAcknowledgement.none)
        XCTAssertEqual(try read(base + "Acknowledge=seen\n").0?.acknowledge, .seen)
        let cases: [(String, String)] = [
            ("Acknowledge=flag\n", "\"flag\" is not a way to acknowledge (use one of none, seen, move"),
            ("Acknowledge=move\n", "Acknowledge=move needs MoveTo="),
            ("Acknowledge=seen\nMoveTo=Done\n", "MoveTo= is only used with Acknowledge=move"),
            ("Acknowledge=move\nMoveTo=INBOX\n", "MoveTo=INBOX is the mailbox being read"),
            ("Acknowledge=move\nMoveTo=a\"b\n", "is not a folder name"),
        ]
        for (lines, expected) in cases {
            let (settings, errors) = try read(base + lines)
            XCTAssertNil(settings, lines)
            XCTAssertEqual(errors.count, 1, "\(lines): \(errors)")
            XCTAssertTrue(errors.first?.contains(expected) == true, "\(lines): \(errors)")
        }
    }

    func testServerAndLimits() throws {
        let cases: [(String, String)] = [
            ("Server=imaps://mail.example.com/INBOX", "has a path, query or fragment"),
            ("Server=imaps://shop:pw@mail.example.com", "contains a user name or password"),
            ("Server=imaps://mail.example.com:99999", "port 99999 is out of range (use 1 to 65535"),
            ("Server=imaps://", "is not an imap:// or imaps:// server URL"),
            ("MaxMessageSize=100M", "100M is out of range (use from 1K to 64M"),
            ("MaxMessageSize=lots", "is not a size"),
            ("Timeout=0", "must be longer than 0"),
            ("ConnectTimeout=soon", "is not a duration"),
            ("SnippetLength=0", "0 is out of range (use a whole number from 1 to 10000)"),
            ("AllowPlaintext=maybe", "is not a boolean"),
        ]
        for (line, expected) in cases {
            let text = "[IMAP]\nServer=imaps://mail.example.com\nCredential=mail\n" + line + "\n"
            let (_, errors) = try read(text)
            XCTAssertEqual(errors.count, 1, "\(line): \(errors)")
            XCTAssertTrue(errors.first?.contains(expected) == true, "\(line): \(errors)")
        }
        XCTAssertEqual(try read("[IMAP]\nServer=imap://127.0.0.1:1143/\nCredential=mail\n").0?.server, "imap://127.0.0.1:1143")
    }

    /// `custsyncd --check-config` reports bad [IMAP] values with file, line and key, as it does
    /// for the other kinds, instead of the connector failing later.
    func testValuesAreCheckedWhenTheConfigurationIsRead() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("custsync-imap-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/connectors.d", withIntermediateDirectories: true)
        try "".write(toFile: root + "/custsyncd.conf", atomically: true, encoding: .utf8)
        func errors(_ connector: String) throws -> [String] {
            try connector.write(toFile: root + "/connectors.d/mail.conf", atomically: true, encoding: .utf8)
            do {
                _ = try Configuration.load(path: root + "/custsyncd.conf", environment: [:])
                return []
            } catch {
                return error.errors.map(\.description)
            }
        }
        let file = root + "/connectors.d/mail.conf"
        XCTAssertEqual(try errors("[Connector]\nName=mail\nKind=imap\n\n[IMAP]\nServer=imaps://mail.example.com\nCredential=mail\nMaxMessageSize=1G\nAcknowledge=move\n"), [
            "\(file):8: MaxMessageSize: 1G is out of range (use from 1K to 64M, e.g. 10M; a message up to this size is held in memory whole)",
            "\(file):9: Acknowledge: Acknowledge=move needs MoveTo= (the folder committed messages go to, e.g. MoveTo=Processed)",
        ])
        XCTAssertEqual(try errors("[Connector]\nName=mail\nKind=imap\n\n[IMAP]\nMailbox=Support\n"), [
            "\(file):5: Server: missing Server= (e.g. Server=imaps://mail.example.com)",
            "\(file):5: Credential: missing Credential= (a file holding user:password: a name in $CREDENTIALS_DIRECTORY, or a path to a file of mode 0600)",
        ])
        XCTAssertEqual(try errors("[Connector]\nName=mail\nKind=imap\n"),
                       ["\(file):1: Kind: Kind=imap needs an [IMAP] section (add [IMAP] with Server= and Credential=)"])
        XCTAssertEqual(try errors("[Connector]\nName=mail\nKind=exec\n[Exec]\nCommand=/bin/true\n[IMAP]\nServer=imaps://mail.example.com\n"),
                       ["\(file):6: [IMAP] is only for Kind=imap, but this connector is Kind=exec (remove [IMAP], or set Kind=imap)"])

        XCTAssertEqual(try errors("[Connector]\nName=mail\nKind=imap\n[IMAP]\nServer=imaps://mail.example.com\nCredential=mail\n"), [])
        let configuration = try Configuration.load(path: root + "/custsyncd.conf", environment: [:])
        XCTAssertEqual(configuration.connectors.first?.imap?.server, "imaps://mail.example.com")
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
