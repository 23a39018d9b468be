/// What a journal entry records.
public enum JournalKind: String, CaseIterable, Sendable, Codable {
    case customerCreated = "customer.created"
    case fieldChanged = "field.changed"
    case customerMerged = "customer.merged"
    case customerSplit = "customer.split"
    case interactionRecorded = "interaction.recorded"
    case interactionUpdated = "interaction.updated"
    case conflictOpened = "conflict.opened"
    case conflictResolved = "conflict.resolved"
    case recordRejected = "record.rejected"
    case recordSkipped = "record.skipped"
    case lifecycleChanged = "lifecycle.changed"
    case tagChanged = "tag.changed"
    case adminAction = "admin.action"
}
