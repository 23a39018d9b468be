extension JournalEntry {
    /// A copy whose `before`/`after` have personal values masked (see `PersonalDataMask.json`).
    public func masked(_ apply: Bool = true) -> JournalEntry {
        guard apply else { return self }
        var copy = self
        copy.before = before.map { PersonalDataMask.json($0) }
        copy.after = after.map { PersonalDataMask.json($0) }
        return copy
    }
}
