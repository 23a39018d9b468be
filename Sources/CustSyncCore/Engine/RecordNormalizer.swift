import Foundation

/// Turns a connector's `SourceRecord` into a `NormalizedRecord`, or explains why it cannot.
struct RecordNormalizer: Sendable {
    let settings: EngineSettings
    /// The engine's clock, against which a source's observation time is checked.
    let now: Date

    /// How far in the future a source may date a record: clocks drift and zones get mixed up,
    /// but a record dated later than this would win every `newest` decision until then.
    static let futureTolerance: TimeInterval = 86_400

    enum Failure: Error, Sendable { case invalid(String) }

    func normalize(_ record: SourceRecord, source: String) -> Result<NormalizedRecord, Failure> {
        let key = record.key.trimmingWhitespace()
        guard !key.isEmpty else { return .failure(.invalid("record has no key")) }
        guard record.observedAt.timeIntervalSince(now) <= Self.futureTolerance else {
            return .failure(.invalid("observed at \(ISO8601.string(record.observedAt)), more than a day after now "
                                     + "(\(ISO8601.string(now))): the source's clock, time zone or time unit is wrong"))
        }
        var fields: [CanonicalField: String] = [:]
        var name: PersonName?
        var email: EmailAddress?
        var phone: PhoneNumber?
        var problems: [String] = []
        for (field, raw) in record.fields {
            let folded = TextFolding.fold(raw)
            if folded.isEmpty { continue }
            do {
                switch field {
                case .email:
                    let parsed = try EmailAddress(parsing: folded,
                                                  ignoreDotsDomains: settings.emailIgnoreDotsDomains,
                                                  stripPlusTagDomains: settings.emailStripPlusTagDomains)
                    email = parsed
                    fields[field] = parsed.normalized
                case .phone:
                    let parsed = try PhoneNumber(parsing: folded, defaultRegion: settings.defaultRegion)
                    phone = parsed
                    fields[field] = parsed.description
                case .name:
                    let parsed = try PersonName(parsing: folded)
                    name = parsed
                    fields[field] = parsed.display
                default:
                    fields[field] = folded
                }
            } catch {
                problems.append("\(error)")
            }
        }
        if !problems.isEmpty {
            return .failure(.invalid(problems.sorted().joined(separator: "; ")))
        }
        if let interaction = record.interaction,
           interaction.key.trimmingWhitespace().isEmpty {
            return .failure(.invalid("interaction has no key"))
        }
        guard !fields.isEmpty || record.interaction != nil else {
            return .failure(.invalid("record carries no customer field and no interaction"))
        }
        return .success(NormalizedRecord(
            source: source, key: key, observedAt: record.observedAt, fields: fields,
            name: name, email: email, phone: phone, interaction: record.interaction,
            interactionText: record.interaction.map(InteractionText.init),
            contentHash: ContentHash.of(key: key, fields: fields,
                                        interaction: record.interaction)))
    }
}
