/// A backup or restore that could not be made, with what to do about it.
public struct BackupError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
