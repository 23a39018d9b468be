/// What the server answered a login it did not accept, found among the response lines libcurl
/// passed on while it logged in (the commands, with the password, are not among them).
/// RFC 5530's response codes tell a passing failure (`UNAVAILABLE`: the server's
/// authentication backend is down) from a refusal (`AUTHENTICATIONFAILED` and the rest).
struct IMAPLoginAnswer: Equatable {
    /// The answer after the tag, e.g. `NO [UNAVAILABLE] Temporary authentication failure.`
    let text: String
    /// The server could not check the login for now; the same credentials may work later.
    let isTemporary: Bool

    /// The last tagged `NO` or `BAD` among `responseLines` (keywords in any case, as IMAP
    /// allows); nil when there is none.
    init?(responseLines: [String]) {
        for line in responseLines.reversed() {
            let words = line.split(separator: " ", maxSplits: 1)
            guard words.count == 2, words[0] != "*", words[0] != "+" else { continue }
            let answer = words[1]
            let keyword = answer.prefix { $0 != " " }.uppercased()
            guard keyword == "NO" || keyword == "BAD" else { continue }
            text = String(answer.prefix(200))
            let code = answer.split(separator: " ", maxSplits: 2).dropFirst().first ?? ""
            isTemporary = Self.temporaryCodes.contains(code.uppercased())
            return
        }
        return nil
    }

    /// Codes of failures that pass (RFC 5530): the backend is unavailable, a limit such as the
    /// number of connections was reached, or the server failed on its own.
    static let temporaryCodes: Set<String> = ["[UNAVAILABLE]", "[LIMIT]", "[SERVERBUG]", "[INUSE]"]
}
