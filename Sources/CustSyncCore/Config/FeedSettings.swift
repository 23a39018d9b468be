import Foundation

/// The `[Feed]` section of an `order-feed` connector, with its `[Mapping]`: where the orders
/// are, how they are paged and authenticated, and the limits on each transfer.
public struct FeedSettings: Sendable, Equatable {
    public static let defaultConnectTimeout: TimeInterval = 10
    public static let defaultPageTimeout: TimeInterval = 60
    public static let defaultLowSpeedLimit = 100
    public static let defaultLowSpeedTime: TimeInterval = 30
    public static let defaultMaxResponseSize = 32 << 20
    public static let maxResponseSizeRange: ClosedRange<Int64> = 1024...(1 << 30)
    public static let defaultRetries = 4
    public static let defaultRetryDelay: TimeInterval = 1
    public static let defaultRetryDelayMax: TimeInterval = 30

    /// The first page: `http://` or `https://`, without credentials or fragment.
    public var url: String
    public var format: FeedFormat
    /// `json-object` only: where the array of orders is.
    public var recordsPath: FeedPath?
    /// `json-object` only: where the next page's URL is (a `Link: rel="next"` header is always honoured).
    public var nextPath: FeedPath?
    public var incremental: FeedIncrementalMode
    /// Added to the first request of each poll as `pageSizeParameter=pageSize`, when set.
    public var pageSize: Int?
    public var pageSizeParameter: String
    public var authentication: FeedAuthentication
    /// Extra CA certificates (PEM) to trust, e.g. a private CA. Verification is always on.
    public var caFile: String?
    public var connectTimeout: TimeInterval
    /// The longest one page's transfer may take.
    public var pageTimeout: TimeInterval
    /// A transfer slower than `lowSpeedLimit` bytes/s for `lowSpeedTime` is aborted.
    public var lowSpeedLimit: Int
    public var lowSpeedTime: TimeInterval
    public var maxResponseSize: Int
    /// Attempts after the first for a page that failed on the network, timed out or got a 5xx/429.
    public var retries: Int
    /// The first retry waits about this long; each further one twice as long, up to `retryDelayMax`.
    public var retryDelay: TimeInterval
    public var retryDelayMax: TimeInterval
    public var mapping: FeedMapping

    public init(url: String, format: FeedFormat = .jsonArray, recordsPath: FeedPath? = nil, nextPath: FeedPath? = nil,
                incremental: FeedIncrementalMode = .none, pageSize: Int? = nil, pageSizeParameter: String = "limit",
                authentication: FeedAuthentication = .none, caFile: String? = nil,
                connectTimeout: TimeInterval = FeedSettings.defaultConnectTimeout,
                pageTimeout: TimeInterval = FeedSettings.defaultPageTimeout,
                lowSpeedLimit: Int = FeedSettings.defaultLowSpeedLimit,
                lowSpeedTime: TimeInterval = FeedSettings.defaultLowSpeedTime,
                maxResponseSize: Int = FeedSettings.defaultMaxResponseSize,
                retries: Int = FeedSettings.defaultRetries, retryDelay: TimeInterval = FeedSettings.defaultRetryDelay,
                retryDelayMax: TimeInterval = FeedSettings.defaultRetryDelayMax, mapping: FeedMapping = FeedMapping()) {
        self.url = url
        self.format = format
        self.recordsPath = recordsPath
        self.nextPath = nextPath
        self.incremental = incremental
        self.pageSize = pageSize
        self.pageSizeParameter = pageSizeParameter
        self.authentication = authentication
        self.caFile = caFile
        self.connectTimeout = connectTimeout
        self.pageTimeout = pageTimeout
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
        self.maxResponseSize = maxResponseSize
        self.retries = retries
        self.retryDelay = retryDelay
        self.retryDelayMax = retryDelayMax
        self.mapping = mapping
    }

    static let keys = [
        "URL", "Format", "RecordsPath", "NextPath", "CursorParameter", "CursorPath", "UpdatedSinceParameter",
        "AfterIDParameter", "UpdatedSinceOverlap", "PageSize", "PageSizeParameter", "Auth", "Credential", "CAFile", "ConnectTimeout",
        "PageTimeout", "LowSpeedLimit", "LowSpeedTime", "MaxResponseSize", "Retries", "RetryDelay", "RetryDelayMax",
    ]

    // MARK: Value parsers

    /// An `http://` or `https://` URL with a host, without `user:password@` (credentials belong
    /// in a credential file) and without a `#fragment`.
    public static func feedURL(_ text: String) throws(ConfigValueError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty else {
            throw ConfigValueError("\"\(text)\" is not an http:// or https:// URL (write e.g. https://shop.example/api/orders)")
        }
        if components.user != nil || components.password != nil {
            throw ConfigValueError("the URL contains a user name or password; remove it and put the secret in a credential file (Auth= and Credential=)")
        }
        if components.fragment != nil {
            throw ConfigValueError("the URL has a #fragment, which is never sent to the server (remove it)")
        }
        return trimmed
    }

    /// A query parameter name: letters, digits and `_ - . [ ]`, e.g. `updated_since`.
    public static func parameterName(_ text: String) throws(ConfigValueError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.[]".contains($0)) }) else {
            throw ConfigValueError("\"\(text)\" is not a query parameter name (use letters, digits and _ - . [ ], e.g. updated_since)")
        }
        return trimmed
    }

    // MARK: Reading

    /// Reads `[Feed]` and checks `mapping` for an `order-feed` connector; `nil` when a required
    /// value is missing or invalid (every problem is reported on `reader`).
    static func read(_ reader: inout IniSectionReader, mapping entries: ConnectorConfiguration.Mapping,
                     directory: String) -> FeedSettings? {
        let sectionLine = reader.section?.line
        let url = reader.value("URL", feedURL)
        if reader.last("URL") == nil {
            reader.report("missing URL= (the first page of the feed, e.g. URL=https://shop.example/api/orders)",
                          key: "URL", line: sectionLine)
        }
        let format = reader.value("Format") { text throws(ConfigValueError) in
            FeedFormat(rawValue: try ConfigValueParser.choice(text, of: FeedFormat.allCases.map(\.rawValue), what: "feed format"))!
        } ?? .jsonArray

        func path(_ key: String) -> FeedPath? {
            reader.value(key) { text throws(ConfigValueError) in try FeedPath(parsing: text) }
        }
        func onlyFor(_ key: String, _ what: String) {
            reader.report("\(key)= only applies to \(what) (remove it, or set Format=json-object)", key: key, line: reader.line(of: key))
        }
        var recordsPath = path("RecordsPath")
        var nextPath = path("NextPath")
        if format == .jsonObject {
            recordsPath = recordsPath ?? (try? FeedPath(parsing: "records"))
            nextPath = nextPath ?? (try? FeedPath(parsing: "next"))
        } else {
            if reader.last("RecordsPath") != nil { onlyFor("RecordsPath", "Format=json-object, whose orders sit inside an object") }
            if reader.last("NextPath") != nil { onlyFor("NextPath", "Format=json-object; other formats page with a Link: rel=\"next\" header") }
            recordsPath = nil
            nextPath = nil
        }

        let cursorParameter = reader.value("CursorParameter", parameterName)
        let cursorPath = path("CursorPath")
        let updatedSince = reader.value("UpdatedSinceParameter", parameterName)
        let afterID = reader.value("AfterIDParameter", parameterName)
        var incremental = FeedIncrementalMode.none
        if let cursorParameter {
            if reader.last("UpdatedSinceParameter") != nil {
                reader.report("set either CursorParameter= or UpdatedSinceParameter=, not both (a feed resumes one way)",
                              key: "UpdatedSinceParameter", line: reader.line(of: "UpdatedSinceParameter"))
            }
            if cursorPath != nil && format != .jsonObject {
                onlyFor("CursorPath", "Format=json-object; without it the cursor is the last order's id")
            }
            incremental = .cursor(parameter: cursorParameter, path: format == .jsonObject ? cursorPath : nil)
        } else if let updatedSince {
            let overlap = reader.value("UpdatedSinceOverlap", ConfigValueParser.duration) ?? 0
            incremental = .updatedSince(parameter: updatedSince, afterIDParameter: afterID, overlap: overlap)
        }
        if reader.last("CursorPath") != nil && reader.last("CursorParameter") == nil {
            reader.report("CursorPath= needs CursorParameter= (the query parameter the cursor is sent in)",
                          key: "CursorPath", line: reader.line(of: "CursorPath"))
        }
        if reader.last("UpdatedSinceOverlap") != nil && reader.last("UpdatedSinceParameter") == nil {
            reader.report("UpdatedSinceOverlap= needs UpdatedSinceParameter= (it moves the updated_since of each poll back)",
                          key: "UpdatedSinceOverlap", line: reader.line(of: "UpdatedSinceOverlap"))
        }
        if reader.last("AfterIDParameter") != nil && reader.last("UpdatedSinceParameter") == nil {
            reader.report("AfterIDParameter= needs UpdatedSinceParameter= (it breaks ties between orders with the same updated_at)",
                          key: "AfterIDParameter", line: reader.line(of: "AfterIDParameter"))
        }

        let pageSize = reader.value("PageSize") { text throws(ConfigValueError) in
            try ConfigValueParser.positiveInteger(text, in: 1...100_000)
        }
        let pageSizeParameter = reader.value("PageSizeParameter", parameterName) ?? "limit"

        let credential = reader.value("Credential") { text throws(ConfigValueError) -> FeedCredentialSource in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.contains("/") {
                return .file(try ConfigValueParser.path(trimmed, relativeTo: directory))
            }
            guard trimmed != "." && trimmed != ".." && !trimmed.isEmpty else {
                throw ConfigValueError("\"\(text)\" is not a credential name (give the name of a file in $CREDENTIALS_DIRECTORY, or a path)")
            }
            return .named(trimmed)
        }
        let scheme = reader.value("Auth") { text throws(ConfigValueError) in
            try ConfigValueParser.choice(text, of: FeedAuthentication.schemes, what: "supported authentication scheme")
        }
        var authentication = FeedAuthentication.none
        switch (scheme, credential) {
        case ("bearer", let source?): authentication = .bearer(source)
        case ("basic", let source?): authentication = .basic(source)
        case ("bearer", nil), ("basic", nil):
            if reader.last("Credential") == nil {
                reader.report("Auth=\(scheme ?? "") needs Credential= (the name of a file in $CREDENTIALS_DIRECTORY, or a path to a file of mode 0600)",
                              key: "Auth", line: reader.line(of: "Auth"))
            }
        case (_, .some):
            if scheme == "none" || reader.last("Auth") == nil {
                reader.report("Credential= is set but Auth= is \(scheme ?? "not set") (set Auth=bearer or Auth=basic, or remove Credential=)",
                              key: "Credential", line: reader.line(of: "Credential"))
            }
        default:
            break
        }

        let caFile = reader.value("CAFile") { text throws(ConfigValueError) -> String in
            let resolved = try ConfigValueParser.path(text, relativeTo: directory)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw ConfigValueError("\(resolved) does not exist or is not a file (give the PEM file of the CA that signed the feed's certificate)")
            }
            return resolved
        }

        func duration(_ key: String, default value: TimeInterval) -> TimeInterval {
            guard let parsed = reader.value(key, ConfigValueParser.duration) else { return value }
            guard parsed > 0 else {
                reader.report("must be longer than 0 (use e.g. \(ConfigValueParser.formatDuration(value)))", key: key, line: reader.line(of: key))
                return value
            }
            return parsed
        }
        let connectTimeout = duration("ConnectTimeout", default: defaultConnectTimeout)
        let pageTimeout = duration("PageTimeout", default: defaultPageTimeout)
        let lowSpeedTime = duration("LowSpeedTime", default: defaultLowSpeedTime)
        let lowSpeedLimit = reader.value("LowSpeedLimit") { text throws(ConfigValueError) in
            Int(try ConfigValueParser.byteSize(text, in: 0...(1 << 30), hint: "use at most 1G a second, e.g. 100"))
        } ?? defaultLowSpeedLimit
        let maxResponseSize = reader.value("MaxResponseSize") { text throws(ConfigValueError) in
            Int(try ConfigValueParser.byteSize(text, in: maxResponseSizeRange, hint: "use from 1K to 1G, e.g. 32M"))
        } ?? defaultMaxResponseSize
        let retries = reader.value("Retries") { text throws(ConfigValueError) in
            try ConfigValueParser.positiveInteger(text, in: 0...20)
        } ?? defaultRetries
        let retryDelay = duration("RetryDelay", default: defaultRetryDelay)
        let retryDelayMax = duration("RetryDelayMax", default: max(defaultRetryDelayMax, retryDelay))
        if retryDelayMax < retryDelay {
            reader.report("RetryDelayMax \(ConfigValueParser.formatDuration(retryDelayMax)) is shorter than RetryDelay \(ConfigValueParser.formatDuration(retryDelay)) (make it at least RetryDelay)",
                          key: "RetryDelayMax", line: reader.line(of: "RetryDelayMax"))
        }

        let mapping = FeedMapping.read(entries, reporting: &reader)

        guard let url else { return nil }
        return FeedSettings(url: url, format: format, recordsPath: recordsPath, nextPath: nextPath,
                            incremental: incremental, pageSize: pageSize, pageSizeParameter: pageSizeParameter,
                            authentication: authentication, caFile: caFile, connectTimeout: connectTimeout,
                            pageTimeout: pageTimeout, lowSpeedLimit: lowSpeedLimit, lowSpeedTime: lowSpeedTime,
                            maxResponseSize: maxResponseSize, retries: retries, retryDelay: retryDelay,
                            retryDelayMax: retryDelayMax, mapping: mapping)
    }
}
