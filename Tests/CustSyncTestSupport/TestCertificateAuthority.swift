import Foundation
import XCTest

/// A throwaway CA and a server certificate for 127.0.0.1 signed by it, made with `openssl` in a
/// temporary directory for one test: nothing secret is ever committed.
public final class TestCertificateAuthority {
    public let directory: String
    public var caCertificate: String { directory + "/ca.pem" }
    public var serverCertificate: String { directory + "/server.pem" }
    public var serverKey: String { directory + "/server.key" }

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("custsync-ca-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=custsync test CA",
                 "-keyout", directory + "/ca.key", "-out", caCertificate,
                 "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try run(["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                 "-keyout", serverKey, "-out", directory + "/server.csr"])
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n"
            .write(toFile: directory + "/server.ext", atomically: true, encoding: .utf8)
        try run(["x509", "-req", "-in", directory + "/server.csr", "-CA", caCertificate, "-CAkey", directory + "/ca.key",
                 "-CAcreateserial", "-days", "2", "-extfile", directory + "/server.ext", "-out", serverCertificate])
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// A certificate for the same server key, signed by this CA, valid only in January 2020:
    /// expired. (`openssl ca` is the OpenSSL 3.0 command that takes explicit dates.)
    public func expiredServerCertificate() throws -> String {
        let database = directory + "/ca-db"
        try FileManager.default.createDirectory(atPath: database, withIntermediateDirectories: true)
        try "".write(toFile: database + "/index.txt", atomically: true, encoding: .utf8)
        try "1000\n".write(toFile: database + "/serial", atomically: true, encoding: .utf8)
        try """
            [ca]
            default_ca = test
            [test]
            database = \(database)/index.txt
            serial = \(database)/serial
            new_certs_dir = \(database)
            default_md = sha256
            policy = any_subject
            unique_subject = no
            [any_subject]
            commonName = supplied

            """.write(toFile: database + "/ca.cnf", atomically: true, encoding: .utf8)
        let expired = directory + "/expired.pem"
        try run(["ca", "-batch", "-notext", "-config", database + "/ca.cnf", "-cert", caCertificate, "-keyfile", directory + "/ca.key",
                 "-in", directory + "/server.csr", "-extfile", directory + "/server.ext",
                 "-startdate", "20200101000000Z", "-enddate", "20200131000000Z", "-out", expired])
        return expired
    }

    private func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw XCTSkip("openssl \(arguments.first ?? "") failed (is openssl installed?)")
        }
    }
}
