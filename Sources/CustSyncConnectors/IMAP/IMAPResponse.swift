import Foundation

/// What IMAP responses other than FETCH say. Each function reads a command's whole response
/// as `IMAPSession.run` returns it.
enum IMAPResponse {
    /// What SELECT or EXAMINE reports about the mailbox it opened.
    struct MailboxStatus: Equatable {
        var uidValidity: UInt32?
        var uidNext: UInt32?
        /// The server opened it read-only (`[READ-ONLY]`): EXAMINE, or SELECT without the right to change it.
        var readOnly = false
    }

    /// `* OK [UIDVALIDITY 1700000000] …`, `* OK [UIDNEXT 43] …` and `A003 OK [READ-ONLY] …`.
    static func mailboxStatus(_ bytes: [UInt8]) -> MailboxStatus {
        var status = MailboxStatus()
        for line in lines(bytes) {
            let upper = line.uppercased()
            if upper.hasPrefix("* OK [UIDVALIDITY ") { status.uidValidity = number(after: "[UIDVALIDITY ", in: upper) }
            if upper.hasPrefix("* OK [UIDNEXT ") { status.uidNext = number(after: "[UIDNEXT ", in: upper) }
            if !upper.hasPrefix("*") && upper.contains("[READ-ONLY]") { status.readOnly = true }
        }
        return status
    }

    /// The words of the last `* CAPABILITY …` line, upper-cased.
    static func capabilities(_ bytes: [UInt8]) -> Set<String> {
        guard let line = lines(bytes).last(where: { $0.uppercased().hasPrefix("* CAPABILITY ") }) else { return [] }
        return Set(line.uppercased().split(separator: " ").dropFirst(2).map(String.init))
    }

    private static func number(after key: String, in line: String) -> UInt32? {
        guard let range = line.range(of: key) else { return nil }
        return UInt32(line[range.upperBound...].prefix(while: { $0.isNumber }))
    }

    private static func lines(_ bytes: [UInt8]) -> [String] {
        bytes.split(separator: 0x0A).map {
            String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
