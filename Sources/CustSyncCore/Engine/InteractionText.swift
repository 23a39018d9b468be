/// The JSON the store keeps for an interaction: its `details` column and the summary its
/// journal entries carry. Made while normalizing, on the thread that runs ahead of the writer
/// (`NormalizationAhead`), so the writer only binds them.
struct InteractionText: Sendable {
    /// `details` as a JSON object with its keys sorted.
    var details: String
    /// `{"kind":…,"key":…,"status":…,"amount":…}` for `interaction.recorded` and `.updated`.
    var summary: String

    init(_ interaction: Interaction) {
        details = JSONText.object(interaction.details.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        summary = JSONText.object([
            ("kind", interaction.kind.rawValue), ("key", interaction.key),
            ("status", interaction.status), ("amount", interaction.amount.map { String($0) }),
        ])
    }
}
