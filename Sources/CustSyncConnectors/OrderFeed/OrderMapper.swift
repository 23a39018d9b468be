import CustSyncCore
import Foundation

/// Turns one order object into a `SourceRecord` through the connector's `[Mapping]`: customer
/// fields as asserted values, and the order itself as an `Interaction` keyed by its order id,
/// so a changed order (status, refund) updates the same interaction.
///
/// The record's key is the feed's customer id when mapped and present, else the order id.
/// Its observed time is the order's `updated_at` (else `ordered_at`); an order with neither
/// is rejected, because without a time of its own a re-read order would not be recognised as
/// unchanged.
struct OrderMapper: Sendable {
    /// Why one order could not be read; it is quarantined, the rest of the page goes on.
    struct Rejected: Error, Sendable, Equatable {
        var reason: String
    }

    private let customerPaths: [(field: CanonicalField, paths: [FeedPath])]
    private let orderPaths: [OrderField: [FeedPath]]

    init(mapping: FeedMapping) {
        customerPaths = CanonicalField.allCases.compactMap { field in
            let paths = mapping.paths(for: .customer(field))
            return paths.isEmpty ? nil : (field, paths)
        }
        var orderPaths: [OrderField: [FeedPath]] = [:]
        for field in OrderField.allCases { orderPaths[field] = mapping.paths(for: .order(field)) }
        self.orderPaths = orderPaths
    }

    /// The first non-null value of `field`, with the path it came from.
    private func lookup(_ field: OrderField, in order: JSONValue) -> (value: JSONValue, path: FeedPath)? {
        for path in orderPaths[field] ?? [] {
            if let value = order.value(at: path), value != .null { return (value, path) }
        }
        return nil
    }

    /// The order id, if the order has a usable one.
    func orderID(of order: JSONValue) -> String? {
        guard let (value, _) = lookup(.orderID, in: order) else { return nil }
        switch value {
        case .string(let text): return text.isEmpty ? nil : text
        case .number(let text): return text
        default: return nil
        }
    }

    /// When the order last changed, if it says so readably.
    func updatedAt(of order: JSONValue) -> FeedTimestamp? {
        lookup(.updatedAt, in: order).flatMap { FeedTimestamp($0.value) }
    }

    func record(from order: JSONValue, origin: String) -> Result<SourceRecord, Rejected> {
        guard case .object = order else {
            return .failure(Rejected(reason: "the record is \(order.kindName), not an order object"))
        }
        func fail(_ reason: String) -> Result<SourceRecord, Rejected> { .failure(Rejected(reason: reason)) }
        func path(_ field: OrderField) -> String {
            (orderPaths[field] ?? []).map(\.text).joined(separator: " or ")
        }

        guard let orderID = orderID(of: order) else {
            if let (value, found) = lookup(.orderID, in: order) {
                return fail("order id at \(found.text) is \(value.kindName), not a string or number")
            }
            return fail("the order has no id at \(path(.orderID)) (map the feed's order id to order_id in [Mapping])")
        }

        var updatedAt: FeedTimestamp?
        if let (value, found) = lookup(.updatedAt, in: order) {
            guard let parsed = FeedTimestamp(value) else {
                return fail("order \(orderID): updated_at at \(found.text) is not a timestamp (\(value.compactText.prefix(60)); use ISO 8601 or Unix time)")
            }
            updatedAt = parsed
        }
        var orderedAt: FeedTimestamp?
        if let (value, found) = lookup(.orderedAt, in: order) {
            guard let parsed = FeedTimestamp(value) else {
                return fail("order \(orderID): ordered_at at \(found.text) is not a timestamp (\(value.compactText.prefix(60)); use ISO 8601 or Unix time)")
            }
            orderedAt = parsed
        }
        guard let observed = updatedAt ?? orderedAt else {
            return fail("order \(orderID) has no updated_at or ordered_at at \(path(.updatedAt)) or \(path(.orderedAt)) (map the time the order last changed to updated_at)")
        }

        var amount: Double?
        if let (value, found) = lookup(.total, in: order) {
            guard let text = value.scalarText, let number = OrderAmount.parse(text) else {
                return fail("order \(orderID): total at \(found.text) is not a number (\(value.compactText.prefix(60)))")
            }
            amount = number
        }
        var currency: String?
        if let (value, found) = lookup(.currency, in: order) {
            guard case .string(let text) = value else {
                return fail("order \(orderID): currency at \(found.text) is \(value.kindName), not a currency code")
            }
            currency = text.trimmingWhitespace().uppercased()
        }
        var status: String?
        if let (value, found) = lookup(.status, in: order) {
            guard let text = value.scalarText else {
                return fail("order \(orderID): status at \(found.text) is \(value.kindName), not text")
            }
            status = text
        }
        var details: [String: String] = [:]
        var summary: String?
        if let (items, _) = lookup(.items, in: order) {
            details["items"] = items.compactText
            if case .array(let lines) = items { summary = lines.count == 1 ? "1 item" : "\(lines.count) items" }
        }
        if let updatedAt { details["updated_at"] = updatedAt.text }

        var customerKey: String?
        if let (value, found) = lookup(.customerID, in: order) {
            guard let text = value.scalarText, !text.isEmpty else {
                return fail("order \(orderID): customer id at \(found.text) is \(value.kindName), not a string or number")
            }
            customerKey = text
        }

        var fields: [CanonicalField: String] = [:]
        for (field, paths) in customerPaths {
            for path in paths {
                guard let value = order.value(at: path), value != .null else { continue }
                guard let text = value.scalarText else {
                    return fail("order \(orderID): \(path.text) (mapped to \(field.rawValue)) is \(value.kindName), not a value")
                }
                fields[field] = text
                break
            }
        }

        let interaction = Interaction(kind: .order, key: orderID, occurredAt: (orderedAt ?? observed).date,
                                      summary: summary, status: status, amount: amount, currency: currency,
                                      details: details)
        return .success(SourceRecord(key: customerKey ?? orderID, observedAt: observed.date, fields: fields,
                                     interaction: interaction, origin: origin, raw: order.compactText))
    }
}
