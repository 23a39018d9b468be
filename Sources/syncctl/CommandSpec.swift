import CustSyncCore

/// One syncctl command: its words, the wire command it sends, what it takes, and how it runs.
/// `syncctl help` is generated from these, so help never drifts from behaviour; the role each
/// needs comes from the daemon's role table (`CommandRoles`).
struct CommandSpec: Sendable {
    /// The words that name it (`["quarantine", "retry"]`).
    let words: [String]
    /// The control command it sends (`quarantine.retry`); its role comes from `CommandRoles`.
    let wire: String
    /// The operands after the words, for usage (`ID`, `[TEXT]`).
    let operands: String
    let operandCount: ClosedRange<Int>
    let abstract: String
    /// Options it takes, with their help (`("--limit N", "at most N rows")`).
    let options: [(String, String)]
    /// The `--json` shape, for `syncctl help COMMAND`.
    let json: String
    /// Not listed by `help` (commands of a later issue that the daemon refuses for now).
    var hidden = false
    let run: @Sendable (Invocation, [String]) throws -> Int32

    var name: String { words.joined(separator: " ") }
    var synopsis: String { operands.isEmpty ? name : "\(name) \(operands)" }
    var role: Role { CommandRoles.required(for: wire) ?? .none }

    /// The option names it accepts (`limit`, `follow`).
    var optionNames: Set<String> {
        Set(options.map { option in
            let name = option.0.dropFirst(2)
            return String(name.prefix { $0 != " " && $0 != "=" })
        })
    }
}
