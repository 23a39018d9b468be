import Foundation
import Glibc

/// A small, known set of customers for syncctl tests, delivered by an exec connector named
/// `crm` that prints `records.ndjson` of the installation on every poll (so a test can change
/// the upstream by rewriting that file). It gives:
/// - KH-0000001: 张伟, zhangwei@example.com, +8613800138000, an address, an order, and an open
///   conflict on `customer_type` (the main file must set `[Field customer_type] Policy=manual`);
/// - KH-0000002: Ann Lee, ann@example.org, +442079460958;
/// - one quarantined line (`line 4`, with a phone number in it).
enum CustomerFixture {
    static let configuration = """

        [Field customer_type]
        Policy=manual
        """

    static let records = [
        #"{"type":"record","key":"C1","observed_at":1700000000,"fields":{"name":"张伟","email":"ZhangWei@Example.com","phone":"138 0013 8000","address":"北京市朝阳区建国路1号","customer_type":"retail"},"interaction":{"kind":"order","key":"O-1","amount":"99.50","currency":"CNY","status":"paid","summary":"first order"}}"#,
        #"{"type":"record","key":"C2","observed_at":1700000100,"fields":{"name":"Ann Lee","email":"ann@example.org","phone":"+44 20 7946 0958"}}"#,
        #"{"type":"record","key":"C1b","observed_at":1700000200,"fields":{"email":"zhangwei@example.com","customer_type":"wholesale"}}"#,
        "this is not json, call 13912345678",
    ]

    /// Writes the connector and its data into `installation`.
    static func install(in installation: TestInstallation, records: [String] = records) throws {
        try write(records, in: installation)
        let script = installation.root.file("crm.sh")
        try installation.root.write("crm.sh", "#!/bin/sh\ncat \(installation.root.file("records.ndjson"))\necho '{\"type\":\"state\",\"cursor\":\"done\"}'\n")
        chmod(script, 0o755)
        try installation.addConnector("crm", "[Connector]\nName=crm\nKind=exec\nInterval=1h\n[Exec]\nCommand=\(script)\n")
    }

    /// Replaces what the upstream delivers at its next poll.
    static func write(_ records: [String], in installation: TestInstallation) throws {
        try installation.root.write("records.ndjson", records.joined(separator: "\n") + "\n")
    }

    /// Lets other users reach the installation (the temporary directory is created 0700).
    static func openToEveryone(_ installation: TestInstallation) {
        chmod(installation.root.path, 0o755)
    }
}
