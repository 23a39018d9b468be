/// One `Key=Value` setting. Continuation lines are already joined into `value`;
/// `line` is the line the key is on.
public struct IniEntry: Sendable, Equatable, Hashable {
    public var key: String
    public var value: String
    public var line: Int

    public init(key: String, value: String, line: Int) {
        self.key = key
        self.value = value
        self.line = line
    }
}
