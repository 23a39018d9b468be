@testable import CustSyncConnectors
@testable import CustSyncCore
import Foundation

// Fuzz target `feed`: the input is a response body of an order feed. Three connectors read it,
// one per Format= (json-object with RecordsPath=, NextPath= and CursorPath=; json-array with
// UpdatedSinceParameter=; ndjson with CursorParameter= and no path), each the way FeedWalk does:
// FeedPageParser (the strict JSON parser), OrderMapper through the [Mapping] of the sample
// connector for every order, then Downstream; the resume point moves past each order, the next
// link is resolved against the page URL, and the cursor that would be committed must read back
// as the same state.

private let mapping = """
    [Mapping]
    id=order_id
    customer.id=customer_id
    customer.name=name
    customer.email=email
    customer.phone=phone
    billing.company=company
    status=status
    created_at=ordered_at
    updated_at=updated_at
    line_items=items
    total=total
    currency=currency
    """

private func connector(_ feed: String) -> FeedSettings {
    let text = "[Connector]\nName=shop\nKind=order-feed\n[Feed]\nURL=https://shop.example/api/orders\n\(feed)\n\(mapping)"
    let document = try! IniDocument(parsing: text, file: "fuzz.conf")
    let read = ConnectorConfiguration.read(document, directory: "/nonexistent", defaultBatchSize: 1000)
    guard let settings = read.configuration?.feed else { fatalError("fuzz connector: \(read.errors)") }
    return settings
}

private let connectors = [
    connector("Format=json-object\nRecordsPath=data.orders\nNextPath=links.next\nCursorParameter=cursor\nCursorPath=meta.cursor"),
    connector("Format=json-array\nUpdatedSinceParameter=updated_since\nAfterIDParameter=after_id"),
    connector("Format=ndjson\nCursorParameter=after"),
]

private let pageURL = "https://shop.example/api/orders?page=2"

private func read(_ body: [UInt8], with settings: FeedSettings) {
    guard let page = try? FeedPageParser(settings: settings).parse(body) else { return }
    let mapper = OrderMapper(mapping: settings.mapping)
    var state = FeedCursor()
    var highWater: Date?
    for (index, entry) in page.entries.enumerated() {
        guard case .order(let order) = entry else { continue }
        if case .success(let record) = mapper.record(from: order, origin: "page \(pageURL) record \(index + 1)") {
            Downstream.apply(record)
        } else {
            _ = order.compactText
        }
        state.advance(past: order, incremental: settings.incremental, mapper: mapper, highWater: &highWater,
                      latestBelievable: .distantFuture)
    }
    if case .cursor(_, .some) = settings.incremental, let token = page.cursorToken { state.token = token }
    if let link = page.next ?? LinkHeader.target(rel: "next", in: [String(decoding: body.prefix(512), as: UTF8.self)]),
       let resolved = FeedURL.resolve(link, against: pageURL) {
        _ = FeedURL.origin(of: resolved)
        state.next = resolved
    }
    _ = FeedWalk.headURL(settings: settings, state: state)
    let stored = state.cursor
    precondition(FeedCursor(stored) == state, "the committed cursor \(stored.value) does not read back as the feed's state")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFeed(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = fuzzInput(data, size)
    for settings in connectors { read(body, with: settings) }
    return 0
}
