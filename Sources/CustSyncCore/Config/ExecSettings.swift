import Foundation

/// The `[Exec]` section of an `exec` connector: the program to run.
public struct ExecSettings: Sendable, Equatable {
    /// Program and arguments. A program given with a `/` is resolved against the connector
    /// file's directory; a bare name is looked up in `PATH` when run.
    public var argv: [String]
    /// Absolute directory to run in, when set.
    public var workingDirectory: String?
    /// Variables to add to the program's environment.
    public var environment: [String: String]

    public init(argv: [String], workingDirectory: String? = nil, environment: [String: String] = [:]) {
        self.argv = argv
        self.workingDirectory = workingDirectory
        self.environment = environment
    }

    static let keys = ["Command", "WorkingDirectory", "Environment"]

    /// `NAME=value` (one assignment per line; the value may contain spaces and `=`).
    public static func assignment(_ text: String) throws(ConfigValueError) -> (name: String, value: String) {
        guard let equals = text.firstIndex(of: "=") else {
            throw ConfigValueError("\"\(text)\" is not an assignment (write Environment=NAME=value)")
        }
        let name = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
        let valid = name.first.map { $0.isASCII && ($0.isLetter || $0 == "_") } == true
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        guard valid else {
            throw ConfigValueError("\"\(name)\" is not a variable name (use letters, digits and _, not starting with a digit, e.g. Environment=API_URL=https://…)")
        }
        return (name, String(text[text.index(after: equals)...]))
    }

    /// Reads `[Exec]`; `nil` when `Command=` is missing or invalid (reported).
    static func read(_ reader: inout IniSectionReader, directory: String) -> ExecSettings? {
        var argv = reader.value("Command", ConfigValueParser.commandLine)
        if argv == nil, reader.last("Command") == nil {
            reader.report("missing Command= (give the program and its arguments, e.g. Command=/usr/local/bin/export-crm --since 1d)",
                          key: "Command", line: reader.section?.line)
        }
        if let program = argv?.first, program.contains("/") {
            argv?[0] = ConfigValueParser.resolve(program, relativeTo: directory)
        }
        let workingDirectory = reader.value("WorkingDirectory") { text throws(ConfigValueError) in
            try ConfigValueParser.path(text, relativeTo: directory)
        }
        var environment: [String: String] = [:]
        for entry in reader.all("Environment") {
            do {
                let (name, value) = try assignment(entry.value)
                environment[name] = value
            } catch {
                reader.report(error.message, key: "Environment", line: entry.line)
            }
        }
        guard let argv else { return nil }
        return ExecSettings(argv: argv, workingDirectory: workingDirectory, environment: environment)
    }
}
