import Foundation

/// One result row, by column position.
public struct Row: Sendable {
    public let values: [SQLValue]

    public subscript(_ index: Int) -> SQLValue { values[index] }
    public func string(_ index: Int) -> String? { values[index].stringValue }
    public func int(_ index: Int) -> Int64? { values[index].int64Value }
    public func double(_ index: Int) -> Double? { values[index].doubleValue }
    public func date(_ index: Int) -> Date? { double(index).map(Date.init(timeIntervalSince1970:)) }
}
