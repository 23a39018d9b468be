import Foundation
import Glibc

/// A parsed INI file in the style of systemd unit files.
///
/// Syntax:
/// - `[Section]` or `[Section argument]` headers; section names use letters, digits, `_` and `-`;
///   an argument in double quotes may contain spaces.
/// - `Key=Value` settings; whitespace around key and value is trimmed. Bare keys use letters and
///   digits of any script and `_ - . / : @ $ [ ]`; any other key (e.g. a CSV column with spaces)
///   is written in double quotes: `"Customer Name"=name` (inside, `\"` and `\\` are escapes).
/// - Lines starting with `#` or `;` are comments; blank lines are ignored.
/// - A value ending in a backslash continues on the next line: the backslash becomes one space.
///   Comment lines inside a continuation are skipped; a blank line ends it.
/// - Keys may repeat; what that means is up to the reader (see `IniSectionReader`).
///
/// Parsing never stops at the first problem: `parse(_:file:)` returns the document with every
/// well-formed line, plus an error for every malformed one.
public struct IniDocument: Sendable, Equatable {
    /// The file name used in errors.
    public var file: String
    public var sections: [IniSection]

    public init(file: String, sections: [IniSection]) {
        self.file = file
        self.sections = sections
    }

    /// Parses `text`, throwing all syntax errors if there are any.
    public init(parsing text: String, file: String) throws(ConfigurationErrors) {
        let (document, errors) = IniDocument.parse(text, file: file)
        if !errors.isEmpty { throw ConfigurationErrors(errors) }
        self = document
    }

    /// All sections named `name` (any argument), in file order.
    public func sections(named name: String) -> [IniSection] {
        sections.filter { $0.name == name }
    }

    /// Lenient parse: the document of all well-formed lines and the errors for the others.
    public static func parse(_ text: String, file: String) -> (document: IniDocument, errors: [ConfigError]) {
        var parser = Parser(file: file)
        parser.run(text)
        return (IniDocument(file: file, sections: parser.sections), parser.errors)
    }

    /// Reads a file as UTF-8 text; the error names `displayName` (default: `path`).
    public static func readText(path: String, displayName: String? = nil) -> Result<String, ConfigError> {
        let shown = displayName ?? path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            // A dangling link (say into a file system not mounted yet) is not "not found": say
            // where it points, since that is what to fix.
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                return .failure(ConfigError(file: shown, message: "is a symbolic link to \(target), which does not exist (fix the link, or remove it)"))
            }
            return .failure(ConfigError(file: shown, message: "file not found (check the path, or create the file)"))
        }
        if isDirectory.boolValue {
            return .failure(ConfigError(file: shown, message: "is a directory, not a configuration file (give the path of the file)"))
        }
        if let kind = specialFileKind(path) {
            return .failure(ConfigError(file: shown, message: "is a \(kind), not a regular file (configuration is read from regular files only)"))
        }
        guard FileManager.default.isReadableFile(atPath: path),
              let data = FileManager.default.contents(atPath: path) else {
            return .failure(ConfigError(file: shown, message: "cannot be read (check its permissions: the daemon and syncctl need read access)"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(ConfigError(file: shown, message: "is not valid UTF-8 text (save it as UTF-8)"))
        }
        return .success(text)
    }

    /// What `path` (followed through links) is when reading it would block until some writer
    /// comes (a FIFO) or fail with a baffling error (a socket).
    private static func specialFileKind(_ path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        switch status.st_mode & S_IFMT {
        case S_IFIFO: return "FIFO"
        case S_IFSOCK: return "socket"
        default: return nil
        }
    }

    // MARK: - Parser

    private struct Parser {
        enum Current {
            case none
            case section(Int)
            /// After a malformed header: its settings are skipped without further errors.
            case broken
        }

        struct Pending {
            var key: String
            var value: String
            var line: Int
            var keep: Bool
        }

        let file: String
        var sections: [IniSection] = []
        var errors: [ConfigError] = []
        var current: Current = .none
        var pending: Pending?

        init(file: String) {
            self.file = file
        }

        mutating func run(_ text: String) {
            var body = Substring(text)
            if body.first == "\u{FEFF}" { body = body.dropFirst() }
            // Lines end at LF or CR LF ("\r\n" is one Character) and nowhere else, as editors and
            // `grep -n` count them. Swift's other newlines (form feed, vertical tab, U+2028, NEL,
            // a lone CR) inside a line would otherwise split a comment or a value in two and shift
            // every later line number in the errors; at the ends of a line they trim like spaces.
            let lines = body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            for (index, line) in lines.enumerated() {
                handle(line.trimmingCharacters(in: .whitespacesAndNewlines), number: index + 1)
            }
            finishPending()
        }

        mutating func handle(_ trimmed: String, number: Int) {
            if var continued = pending {
                if trimmed.isEmpty {
                    finishPending()
                    return
                }
                if isComment(trimmed) { return }
                let (part, continues) = Parser.splitContinuation(trimmed)
                if !part.isEmpty {
                    continued.value = continued.value.isEmpty ? part : continued.value + " " + part
                }
                pending = continued
                if !continues { finishPending() }
                return
            }
            if trimmed.isEmpty || isComment(trimmed) { return }
            if trimmed.hasPrefix("[") {
                header(trimmed, number: number)
            } else {
                setting(trimmed, number: number)
            }
        }

        func isComment(_ trimmed: String) -> Bool {
            trimmed.hasPrefix("#") || trimmed.hasPrefix(";")
        }

        mutating func error(_ number: Int, _ key: String?, _ message: String) {
            errors.append(ConfigError(file: file, line: number, key: key, message: message))
        }

        mutating func header(_ trimmed: String, number: Int) {
            guard let close = trimmed.firstIndex(of: "]") else {
                error(number, nil, "section header \(trimmed) has no closing \"]\" (write it as \(trimmed)])")
                current = .broken
                return
            }
            let after = trimmed[trimmed.index(after: close)...].trimmingCharacters(in: .whitespaces)
            if !after.isEmpty {
                error(number, nil, "unexpected text \"\(after)\" after section header \(trimmed[...close]) (put settings on their own lines below the header)")
                current = .broken
                return
            }
            let inner = trimmed[trimmed.index(after: trimmed.startIndex)..<close].trimmingCharacters(in: .whitespaces)
            if inner.isEmpty {
                error(number, nil, "section header [] has no name (write a name such as [Daemon])")
                current = .broken
                return
            }
            let name: String
            var argument: String?
            if let space = inner.firstIndex(where: { $0.isWhitespace }) {
                name = String(inner[..<space])
                var rest = inner[space...].trimmingCharacters(in: .whitespaces)
                if rest.count >= 2, rest.hasPrefix("\""), rest.hasSuffix("\"") {
                    rest = String(rest.dropFirst().dropLast())
                }
                argument = rest
            } else {
                name = inner
            }
            if let bad = name.first(where: { !Parser.isSectionNameCharacter($0) }) {
                error(number, nil, "section name \"\(name)\" contains \"\(bad)\" (section names use letters, digits, _ and -, e.g. [Daemon] or [Field email])")
                current = .broken
                return
            }
            sections.append(IniSection(name: name, argument: argument, line: number))
            current = .section(sections.count - 1)
        }

        mutating func setting(_ trimmed: String, number: Int) {
            let key: String
            let rest: Substring
            if trimmed.hasPrefix("\"") {
                guard let (quotedKey, afterQuote) = Parser.quotedKey(trimmed) else {
                    error(number, nil, "quoted key \(trimmed) has no closing double quote (write e.g. \"Customer Name\"=name)")
                    return
                }
                let remainder = afterQuote.drop(while: { $0.isWhitespace })
                guard remainder.first == "=" else {
                    error(number, quotedKey, "quoted key is not followed by \"=\" (write \"\(quotedKey)\"=value)")
                    return
                }
                key = quotedKey
                rest = remainder.dropFirst()
                if key.isEmpty {
                    error(number, nil, "setting has an empty key (write Key=Value)")
                    return
                }
            } else {
                guard let equals = trimmed.firstIndex(of: "=") else {
                    error(number, nil, "\"\(trimmed)\" is not a setting (write Key=Value, a [Section] header, or start a comment with #)")
                    return
                }
                key = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
                rest = trimmed[trimmed.index(after: equals)...]
                if key.isEmpty {
                    error(number, nil, "setting \"\(trimmed)\" has no key before \"=\" (write Key=Value)")
                    return
                }
                if let bad = key.first(where: { !Parser.isKeyCharacter($0) }) {
                    let shown = bad.isWhitespace ? "a space" : "\"\(bad)\""
                    error(number, key, "key contains \(shown) (bare keys use letters, digits and _ - . / : @ $ [ ]; put other keys in double quotes, e.g. \"Customer Name\"=name)")
                    return
                }
            }
            var keep = true
            switch current {
            case .section: break
            case .broken: keep = false
            case .none:
                error(number, key, "setting appears before any [Section] header (add the header of the section it belongs to above it)")
                keep = false
            }
            let (value, continues) = Parser.splitContinuation(rest.trimmingCharacters(in: .whitespaces))
            pending = Pending(key: key, value: value, line: number, keep: keep)
            if !continues { finishPending() }
        }

        mutating func finishPending() {
            guard let done = pending else { return }
            pending = nil
            guard done.keep, case .section(let index) = current else { return }
            sections[index].entries.append(IniEntry(key: done.key, value: done.value, line: done.line))
        }

        static func splitContinuation(_ text: String) -> (String, Bool) {
            guard text.hasSuffix("\\") else { return (text, false) }
            var part = text.dropLast()
            while let last = part.last, last.isWhitespace { part = part.dropLast() }
            return (String(part), true)
        }

        static func quotedKey(_ text: String) -> (String, Substring)? {
            var key = ""
            var index = text.index(after: text.startIndex)
            while index < text.endIndex {
                let character = text[index]
                if character == "\\" {
                    let next = text.index(after: index)
                    if next < text.endIndex, text[next] == "\"" || text[next] == "\\" {
                        key.append(text[next])
                        index = text.index(after: next)
                        continue
                    }
                    key.append(character)
                } else if character == "\"" {
                    return (key, text[text.index(after: index)...])
                } else {
                    key.append(character)
                }
                index = text.index(after: index)
            }
            return nil
        }

        static func isSectionNameCharacter(_ character: Character) -> Bool {
            character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == "-")
        }

        static func isKeyCharacter(_ character: Character) -> Bool {
            if character.isLetter || character.isNumber { return true }
            return "_-./:@$[]".contains(character)
        }
    }
}
