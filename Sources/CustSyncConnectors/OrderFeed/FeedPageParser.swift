import CustSyncCore

/// Reads a response body in the feed's `Format=` into a `FeedPage`.
struct FeedPageParser: Sendable {
    let format: FeedFormat
    let recordsPath: FeedPath?
    let nextPath: FeedPath?
    let cursorPath: FeedPath?

    init(settings: FeedSettings) {
        format = settings.format
        recordsPath = settings.recordsPath
        nextPath = settings.nextPath
        if case .cursor(_, let path) = settings.incremental { cursorPath = path } else { cursorPath = nil }
    }

    func parse(_ body: [UInt8]) throws(MalformedPage) -> FeedPage {
        switch format {
        case .jsonArray:
            guard case .array(let orders) = try document(body) else {
                throw MalformedPage(reason: "the body is JSON but not an array of orders (Format=json-array expects [ {…}, … ]; for an object holding the orders use Format=json-object with RecordsPath=)")
            }
            return FeedPage(entries: orders.map(FeedPage.Entry.order), next: nil, cursorToken: nil)
        case .jsonObject:
            let root = try document(body)
            guard case .object = root else {
                throw MalformedPage(reason: "the body is JSON \(root.kindName), not an object (Format=json-object expects {\"records\": [ … ], …})")
            }
            let path = recordsPath?.text ?? "records"
            let orders: [JSONValue]
            switch recordsPath.flatMap(root.value(at:)) {
            case .array(let elements)?: orders = elements
            case .null?: orders = []
            case nil:
                // Not an empty page: an answer of another shape (often an error sent with 200)
                // that would otherwise end the walk as if the feed had nothing new.
                throw MalformedPage(reason: "the object has no \(path) (\(Self.keys(of: root))): not a page of orders (an error answer sent with status 200, or check RecordsPath=)")
            case let other?:
                throw MalformedPage(reason: "\(path) is \(other.kindName), not an array of orders (check RecordsPath=)")
            }
            let next: String?
            switch nextPath.flatMap(root.value(at:)) {
            case .string(let link)? where !link.isEmpty: next = link
            case .string?, .null?, nil: next = nil
            case let other?:
                throw MalformedPage(reason: "\(nextPath?.text ?? "next") is \(other.kindName), not a link (check NextPath=)")
            }
            let token = cursorPath.flatMap(root.value(at:))?.scalarText
            return FeedPage(entries: orders.map(FeedPage.Entry.order), next: next, cursorToken: token)
        case .ndjson:
            return try lines(body)
        }
    }

    /// The first keys of an object, for a message.
    private static func keys(of object: JSONValue) -> String {
        guard case .object(let members) = object, !members.isEmpty else { return "it has no keys" }
        let shown = members.prefix(8).map { "\"\($0.key.prefix(40))\"" }.joined(separator: ", ")
        return "its keys: \(shown)\(members.count > 8 ? ", …" : "")"
    }

    private func document(_ body: [UInt8]) throws(MalformedPage) -> JSONValue {
        guard body.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
            throw MalformedPage(reason: "the body is empty")
        }
        do {
            return try JSONParser.parse(body)
        } catch {
            throw MalformedPage(reason: error.description)
        }
    }

    /// One order per line. A bad line in the middle is one bad record; a bad last line without
    /// a final newline means the body was cut off, and the whole page is malformed.
    private func lines(_ body: [UInt8]) throws(MalformedPage) -> FeedPage {
        var entries: [FeedPage.Entry] = []
        var start = 0
        var lineNumber = 0
        while start < body.count {
            let newline = body[start...].firstIndex(of: 0x0A)
            let stop = newline ?? body.count
            lineNumber += 1
            var lineEnd = stop
            if lineEnd > start, body[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let isBlank = body[start..<lineEnd].allSatisfy { $0 == 0x20 || $0 == 0x09 }
            if !isBlank {
                do {
                    entries.append(.order(try JSONParser.parse(body, range: start..<lineEnd)))
                } catch {
                    if newline == nil {
                        throw MalformedPage(reason: "line \(lineNumber) has no final newline and is not valid JSON (\(error.description)): the body looks truncated")
                    }
                    let raw = String(decoding: body[start..<min(lineEnd, start + 4096)], as: UTF8.self)
                    entries.append(.invalid(line: lineNumber, reason: error.description, raw: raw))
                }
            }
            start = stop + 1
        }
        return FeedPage(entries: entries, next: nil, cursorToken: nil)
    }
}
