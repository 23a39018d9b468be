import Foundation

/// The `[Codes]` section: how customer codes are formed.
public struct CodeSettings: Sendable, Equatable {
    public static let defaultTemplate = "KH-{seq:7}"
    /// Record fields a template may contain as placeholders.
    public static let templateFields: [CanonicalField] = [.region, .customerType]
    public static let sequenceWidthRange = 1...12

    public private(set) var template: String
    public private(set) var segments: [CodeTemplateSegment]

    /// The default template, `KH-{seq:7}`.
    public init() {
        template = CodeSettings.defaultTemplate
        segments = [.literal("KH-"), .sequence(width: 7)]
    }

    public init(template: String) throws(ConfigValueError) {
        self.template = template
        self.segments = try CodeSettings.parse(template: template)
    }

    /// The zero-padding width of `{seq:N}`, or `nil` for `{seq}`.
    public var sequenceWidth: Int? {
        for case .sequence(let width) in segments { return width }
        return nil
    }

    static let keys = ["Template"]

    /// Splits a template into segments. It must contain exactly one `{seq}` or `{seq:N}`
    /// (N from 1 to 12), at most one `{check}`, and any of `{region}`, `{customer_type}`;
    /// literal text may not contain whitespace or control characters.
    public static func parse(template: String) throws(ConfigValueError) -> [CodeTemplateSegment] {
        let placeholders = "{seq} or {seq:N}, {check}, " + templateFields.map { "{\($0.rawValue)}" }.joined(separator: ", ")
        func failure(_ what: String) -> ConfigValueError {
            ConfigValueError("\"\(template)\" \(what)")
        }
        guard !template.isEmpty else {
            throw ConfigValueError("template is empty (write e.g. KH-{seq:7}, or remove the line to use the default)")
        }
        var segments: [CodeTemplateSegment] = []
        var literal = ""
        var sequences = 0
        var checks = 0
        var index = template.startIndex
        while index < template.endIndex {
            let character = template[index]
            if character == "}" {
                throw failure("has a \"}\" without a matching \"{\" (placeholders are \(placeholders))")
            }
            if character.isWhitespace || character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw failure("contains whitespace or a control character (codes are one word; use - or _ as separators)")
            }
            guard character == "{" else {
                literal.append(character)
                index = template.index(after: index)
                continue
            }
            guard let close = template[index...].firstIndex(of: "}") else {
                throw failure("has a \"{\" without a closing \"}\" (placeholders are \(placeholders))")
            }
            let name = String(template[template.index(after: index)..<close])
            let segment: CodeTemplateSegment
            if name == "seq" {
                segment = .sequence(width: nil)
            } else if name.hasPrefix("seq:") {
                let digits = name.dropFirst(4)
                guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                      let width = Int(digits), sequenceWidthRange.contains(width) else {
                    throw failure("has {\(name)}, but the width must be a number from 1 to 12 (write e.g. {seq:7})")
                }
                segment = .sequence(width: width)
            } else if name == "check" {
                segment = .check
            } else if let field = templateFields.first(where: { $0.rawValue == name }) {
                segment = .field(field)
            } else {
                throw failure("has unknown placeholder {\(name)} (placeholders are \(placeholders))")
            }
            switch segment {
            case .sequence: sequences += 1
            case .check: checks += 1
            default: break
            }
            if sequences > 1 {
                throw failure("has more than one sequence placeholder (use exactly one {seq} or {seq:N})")
            }
            if checks > 1 {
                throw failure("has more than one {check} (use it at most once)")
            }
            if !literal.isEmpty {
                segments.append(.literal(literal))
                literal = ""
            }
            segments.append(segment)
            index = template.index(after: close)
        }
        if !literal.isEmpty { segments.append(.literal(literal)) }
        guard sequences == 1 else {
            throw failure("has no sequence placeholder (add {seq} or {seq:N} where the number goes, e.g. KH-{seq:7})")
        }
        return segments
    }

    static func read(_ reader: inout IniSectionReader) -> CodeSettings {
        reader.value("Template") { text throws(ConfigValueError) in try CodeSettings(template: text) } ?? CodeSettings()
    }
}
