/// The `[Mapping]` of an `order-feed` connector, checked: each line maps a JSON path in an order
/// to a canonical customer field or an order field. A target may be mapped more than once; the
/// first path (in file order) that has a value in an order wins. Order fields that are not
/// mapped are read from the path of their own name (`order_id` from `id`).
public struct FeedMapping: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public var path: FeedPath
        public var target: FeedMappingTarget
        public var line: Int

        public init(path: FeedPath, target: FeedMappingTarget, line: Int) {
            self.path = path
            self.target = target
            self.line = line
        }
    }

    public var rules: [Rule]

    public init(rules: [Rule] = []) {
        self.rules = rules
    }

    /// The paths that feed `target`, in order.
    public func paths(for target: FeedMappingTarget) -> [FeedPath] {
        let mapped = rules.filter { $0.target == target }.map(\.path)
        if !mapped.isEmpty { return mapped }
        if case .order(let field) = target, let path = try? FeedPath(parsing: field.defaultPath) { return [path] }
        return []
    }

    /// Checks raw `[Mapping]` lines (source path = target); problems are reported on `reader`
    /// at the line and key (the path) they concern.
    static func read(_ entries: ConnectorConfiguration.Mapping, reporting reader: inout IniSectionReader) -> FeedMapping {
        var rules: [Rule] = []
        for entry in entries {
            let targetName = entry.target.trimmingCharacters(in: .whitespaces)
            guard let target = FeedMappingTarget(name: targetName) else {
                reader.report(ConfigValueParser.unknownMappingTarget(targetName, targets: FeedMappingTarget.names),
                              key: entry.source, line: entry.line)
                continue
            }
            do {
                rules.append(Rule(path: try FeedPath(parsing: entry.source), target: target, line: entry.line))
            } catch {
                reader.report(error.message, key: entry.source, line: entry.line)
            }
        }
        return FeedMapping(rules: rules)
    }
}
