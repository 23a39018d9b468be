import Foundation

/// The whole typed configuration: the main file (`custsyncd.conf`) and one file per connector
/// in the connectors directory.
public struct Configuration: Sendable, Equatable {
    /// The main file, as given to `load`.
    public var path: String
    public var daemon: DaemonSettings
    public var access: AccessSettings
    public var identity: IdentitySettings
    public var codes: CodeSettings
    /// Rules from `[Field NAME]` sections; fields without one use `FieldRule.default`.
    public var fieldRules: [CanonicalField: FieldRule]
    /// Connectors in order of their file names.
    public var connectors: [ConnectorConfiguration]
    /// `[Lifecycle]`, `[Tiers]` and `[Tag …]`: how stages, tiers and rule tags are derived.
    public var lifecycle = LifecycleSettings()
    public var tiers = TierSettings()
    public var tagRules: [TagRule] = []
    /// `[Backup]`: scheduled backups (the folder itself is `[Daemon] BackupDirectory=`).
    public var backup = BackupSettings()

    public init(path: String = "", daemon: DaemonSettings = DaemonSettings(), access: AccessSettings = AccessSettings(),
                identity: IdentitySettings = IdentitySettings(), codes: CodeSettings = CodeSettings(),
                fieldRules: [CanonicalField: FieldRule] = [:], connectors: [ConnectorConfiguration] = []) {
        self.path = path
        self.daemon = daemon
        self.access = access
        self.identity = identity
        self.codes = codes
        self.fieldRules = fieldRules
        self.connectors = connectors
    }

    /// The rule for `field`: its `[Field]` section's, else newest and unguarded.
    public func rule(for field: CanonicalField) -> FieldRule {
        fieldRules[field] ?? .default
    }

    /// The connector called `name`, if configured.
    public func connector(named name: String) -> ConnectorConfiguration? {
        connectors.first { $0.name == name }
    }

    /// Loads the main file at `path` and every `*.conf` file in its connectors directory
    /// (sorted by name; hidden files, other files and subdirectories are ignored; a missing
    /// directory means no connectors; a `*.conf` link to nothing is an error).
    ///
    /// Relative paths resolve against the directory of the file they are written in.
    /// `environment` supplies systemd's `$STATE_DIRECTORY` and `$RUNTIME_DIRECTORY`, used as the
    /// defaults of `StateDirectory=` and `RuntimeDirectory=` when set to absolute paths.
    ///
    /// - Throws: every problem found, in file and line order.
    public static func load(path: String,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationErrors) -> Configuration {
        let absolutePath = ConfigValueParser.resolve(path, relativeTo: FileManager.default.currentDirectoryPath)
        let baseDirectory = ConfigValueParser.directory(of: absolutePath)
        let text: String
        switch IniDocument.readText(path: absolutePath, displayName: path) {
        case .success(let contents): text = contents
        case .failure(let error): throw ConfigurationErrors([error])
        }
        var errors: [ConfigError] = []
        let (document, syntaxErrors) = IniDocument.parse(text, file: path)
        errors += syntaxErrors
        let sections = SectionSchema.check(document, against: SectionSchema.mainFile, errors: &errors)
        func reader(_ name: String) -> IniSectionReader {
            IniSectionReader(file: path, section: sections.first { $0.name == name })
        }

        var daemonReader = reader("Daemon")
        let daemon = DaemonSettings.read(&daemonReader, baseDirectory: baseDirectory, environment: environment)
        errors += daemonReader.errors
        /// Reads section `name` with `read`, keeping the problems it reports.
        func readSection<T>(_ name: String, _ read: (inout IniSectionReader) -> T) -> T {
            var sectionReader = reader(name)
            defer { errors += sectionReader.errors }
            return read(&sectionReader)
        }
        let access = readSection("Access") { AccessSettings.read(&$0) }
        let identity = readSection("Identity") { IdentitySettings.read(&$0) }
        let codes = readSection("Codes") { CodeSettings.read(&$0) }
        let backup = readSection("Backup") { BackupSettings.read(&$0, baseDirectory: baseDirectory) }
        let lifecycle = readSection("Lifecycle") { LifecycleSettings.read(&$0) }
        let tiers = readSection("Tiers") { TierSettings.read(&$0) }
        var tagRules: [TagRule] = []
        for section in sections where section.name == "Tag" {
            let name = section.argument ?? ""
            var tagReader = IniSectionReader(file: path, section: section)
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                errors.append(ConfigError(file: path, line: section.line, message: "tag name \"\(name)\" may only hold letters, digits, - and _"))
                continue
            }
            if let rule = TagRule.read(name: name, &tagReader) {
                tagRules.append(rule)
            } else if tagReader.all("Condition").isEmpty {
                errors.append(ConfigError(file: path, line: section.line,
                                          message: "[Tag \(name)] needs at least one Condition= (e.g. Condition=orders >= 3)"))
            }
            errors += tagReader.errors
        }

        var fieldRules: [CanonicalField: FieldRule] = [:]
        var sourceReferences: [(name: String, line: Int)] = []
        let fieldNames = CanonicalField.allCases.map(\.rawValue)
        for section in sections where section.name == "Field" {
            let argument = section.argument ?? ""
            guard let field = CanonicalField(rawValue: argument) else {
                var message = "unknown field \"\(argument)\" in \(section.header) (valid fields: \(fieldNames.joined(separator: ", "))"
                if let close = ConfigValueParser.closest(to: argument, among: fieldNames) { message += "; did you mean [Field \(close)]?" }
                errors.append(ConfigError(file: path, line: section.line, message: message + ")"))
                continue
            }
            var fieldReader = IniSectionReader(file: path, section: section)
            let (rule, sources) = FieldRule.read(&fieldReader)
            errors += fieldReader.errors
            sourceReferences += sources
            if let rule { fieldRules[field] = rule }
        }

        // Connectors.
        let connectorsValue = daemonReader.last("ConnectorsDirectory").map { $0.value.trimmingCharacters(in: .whitespaces) }
            .flatMap { value in (try? ConfigValueParser.path(value, relativeTo: baseDirectory)) == nil ? nil : value }
            ?? DaemonSettings.defaultConnectorsDirectory
        let connectorsShown = connectorsValue.hasPrefix("/")
            ? daemon.connectorsDirectory
            : ConfigValueParser.resolve(connectorsValue, relativeTo: ConfigValueParser.directory(of: path))
        var connectors: [ConnectorConfiguration] = []
        var connectorNames: [String: (file: String, line: Int?)] = [:]
        var connectorErrors: [ConfigError] = []
        let files = connectorFiles(in: daemon.connectorsDirectory, shownAs: connectorsShown,
                                   key: daemonReader.last("ConnectorsDirectory").map { ("ConnectorsDirectory", $0.line) },
                                   mainFile: path, errors: &errors)
        for name in files {
            let fileShown = ConfigValueParser.resolve(name, relativeTo: connectorsShown)
            let fileAbsolute = ConfigValueParser.resolve(name, relativeTo: daemon.connectorsDirectory)
            let contents: String
            switch IniDocument.readText(path: fileAbsolute, displayName: fileShown) {
            case .success(let read): contents = read
            case .failure(let error):
                connectorErrors.append(error)
                continue
            }
            let (connectorDocument, connectorSyntaxErrors) = IniDocument.parse(contents, file: fileShown)
            var result = ConnectorConfiguration.read(connectorDocument, directory: daemon.connectorsDirectory,
                                                     defaultBatchSize: daemon.batchSize,
                                                     spoolDirectory: daemon.spoolDirectory)
            result.errors = connectorSyntaxErrors + result.errors
            if let connectorName = result.name {
                if let earlier = connectorNames[connectorName] {
                    let place = earlier.file + (earlier.line.map { ":\($0)" } ?? "")
                    result.errors.append(ConfigError(file: fileShown, line: result.nameLine, key: "Name",
                                                     message: "connector name \"\(connectorName)\" is already used by \(place) (names must be unique: rename one of them)"))
                } else {
                    connectorNames[connectorName] = (fileShown, result.nameLine)
                }
            }
            connectorErrors += sorted(result.errors)
            if result.errors.isEmpty, let configuration = result.configuration {
                connectors.append(configuration)
            }
        }

        // Sources= must name configured connectors.
        let known = connectorNames.keys.sorted()
        for reference in sourceReferences where connectorNames[reference.name] == nil {
            var message = "unknown connector \"\(reference.name)\" (configured connectors: \(known.isEmpty ? "none" : known.joined(separator: ", "))"
            if let close = ConfigValueParser.closest(to: reference.name, among: known) { message += "; did you mean \(close)?" }
            errors.append(ConfigError(file: path, line: reference.line, key: "Sources",
                                      message: message + "; Sources= lists connector Name= values)"))
        }

        let all = sorted(errors) + connectorErrors
        if !all.isEmpty { throw ConfigurationErrors(all) }
        var configuration = Configuration(path: path, daemon: daemon, access: access, identity: identity, codes: codes,
                                          fieldRules: fieldRules, connectors: connectors)
        configuration.lifecycle = lifecycle
        configuration.tiers = tiers
        configuration.tagRules = tagRules
        configuration.backup = backup
        return configuration
    }

    /// The `*.conf` file names in `directory`, sorted; errors when it exists but is unusable.
    private static func connectorFiles(in directory: String, shownAs shown: String, key: (String, Int)?,
                                       mainFile: String, errors: inout [ConfigError]) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else {
            errors.append(ConfigError(file: mainFile, line: key?.1, key: key?.0 ?? "ConnectorsDirectory",
                                      message: "\(shown) is not a directory (point ConnectorsDirectory= at the folder holding the connector .conf files)"))
            return []
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            errors.append(ConfigError(file: mainFile, line: key?.1, key: key?.0 ?? "ConnectorsDirectory",
                                      message: "cannot list \(shown) (check its permissions: the daemon and syncctl need read access)"))
            return []
        }
        return names.filter { name in
            guard name.hasSuffix(".conf"), !name.hasPrefix(".") else { return false }
            var entryIsDirectory: ObjCBool = false
            let full = ConfigValueParser.resolve(name, relativeTo: directory)
            if FileManager.default.fileExists(atPath: full, isDirectory: &entryIsDirectory) {
                return !entryIsDirectory.boolValue
            }
            // A dangling symbolic link stays in, so that reading it reports it: skipping it would
            // drop its connector (and at a reload stop it) without a word.
            return (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) != nil
        }.sorted()
    }

    /// Orders errors by line, keeping the order of errors on the same line.
    private static func sorted(_ errors: [ConfigError]) -> [ConfigError] {
        errors.enumerated()
            .sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }
            .map(\.element)
    }
}
