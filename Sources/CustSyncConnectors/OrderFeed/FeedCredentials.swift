import CustSyncCore
import Foundation
import Glibc

/// Reads an order feed's secret from its credential file at the start of each poll, so a
/// rotated token is picked up without a reload. Errors name the file, never its content.
enum FeedCredentials {
    /// The largest credential file read; a token or `user:password` line is far smaller.
    static let maxSize = 64 * 1024

    static func authentication(for configured: FeedAuthentication,
                               environment: [String: String]) throws(ConnectorError) -> HTTPAuthentication? {
        switch configured {
        case .none:
            return nil
        case .bearer(let source):
            let secret = try read(source, environment: environment)
            return .bearer(token: secret)
        case .basic(let source):
            let secret = try read(source, environment: environment)
            guard let colon = secret.firstIndex(of: ":"), colon != secret.startIndex else {
                throw ConnectorError("\(source) must hold user:password on its first line for Auth=basic (it has no user name before a colon)", permanent: true)
            }
            return .basic(user: String(secret[..<colon]), password: String(secret[secret.index(after: colon)...]))
        }
    }

    /// The first line of the credential file, without surrounding whitespace.
    private static func read(_ source: FeedCredentialSource, environment: [String: String]) throws(ConnectorError) -> String {
        let path: String
        switch source {
        case .named(let name):
            guard let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty else {
                throw ConnectorError("Credential=\(name) names a systemd credential, but $CREDENTIALS_DIRECTORY is not set (add LoadCredential=\(name):/path/to/secret to the unit, or give Credential= a path to a file of mode 0600)", permanent: true)
            }
            path = directory + "/" + name
        case .file(let file):
            path = file
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            if errno == ELOOP {
                // O_NOFOLLOW: the mode checked must be the secret's own, not a link's.
                throw ConnectorError("cannot open \(source) (\(path)): it is a symbolic link, which is not followed (give the path of the file itself, of mode 0600 or stricter)", permanent: true)
            }
            let reason = String(cString: strerror(errno))
            throw ConnectorError("cannot open \(source) (\(path)): \(reason) (check that it exists and that the daemon's user may read it)", permanent: true)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw ConnectorError("\(source) (\(path)) is not a regular file", permanent: true)
        }
        if case .file = source, info.st_mode & 0o077 != 0 {
            throw ConnectorError("\(source) is readable by others (mode \(String(info.st_mode & 0o777, radix: 8))): make it mode 0600 or stricter (chmod 600 \(path)) so only the daemon's user can read it", permanent: true)
        }
        var bytes = [UInt8](repeating: 0, count: maxSize)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else {
                throw ConnectorError("cannot read \(source) (\(path)): \(String(cString: strerror(errno)))", permanent: true)
            }
            if n == 0 { break }
            count += n
        }
        let firstLine = bytes[..<count].split(separator: 0x0A, maxSplits: 1, omittingEmptySubsequences: false).first ?? []
        let secret = String(decoding: firstLine, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        // Wipe the copy we read; the secret itself lives on only in the returned string.
        bytes.withUnsafeMutableBytes { _ = memset($0.baseAddress!, 0, $0.count) }
        guard !secret.isEmpty else {
            throw ConnectorError("\(source) (\(path)) is empty (put the token, or user:password for Auth=basic, on its first line)", permanent: true)
        }
        return secret
    }
}
