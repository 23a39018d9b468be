import CCurl
import Foundation

/// HTTP GET requests over one libcurl easy handle, so consecutive requests to one server reuse
/// its connection. Not thread-safe: one transfer object per thread (a connector makes one per poll).
///
/// Every request verifies TLS (peer and host name), accepts any compression libcurl supports,
/// takes proxies from the environment as libcurl does (`http_proxy`, `https_proxy`, `no_proxy`),
/// and is bounded in time (connect, total, low speed) and size (counted in the write callback,
/// so a body of unannounced length is bounded too).
public final class HTTPTransfer {
    public let options: TransferOptions
    private let easy: CurlEasy

    public init(options: TransferOptions) throws(TransferError) {
        self.options = options
        self.easy = try CurlEasy()
    }

    /// GETs `url`. Any complete response is returned, whatever its status; only a failed
    /// transfer throws.
    ///
    /// - Parameters:
    ///   - headers: extra request header lines, e.g. `If-None-Match: "abc"`.
    ///   - timeout: a tighter total timeout for this request than `options.timeout`.
    ///   - shouldCancel: polled during the transfer; true aborts it (`TransferError.Kind.cancelled`).
    public func get(_ url: String, headers: [String] = [], authentication: HTTPAuthentication? = nil,
                    timeout: TimeInterval? = nil,
                    shouldCancel: @escaping () -> Bool = { false }) throws(TransferError) -> HTTPResponse {
        do {
            return try perform(url, headers: headers, authentication: authentication, timeout: timeout,
                               shouldCancel: shouldCancel)
        } catch {
            var located = error
            if located.url.isEmpty { located.url = url }
            throw located
        }
    }

    private func perform(_ url: String, headers: [String], authentication: HTTPAuthentication?,
                         timeout: TimeInterval?, shouldCancel: @escaping () -> Bool) throws(TransferError) -> HTTPResponse {
        try easy.reset()
        try easy.set(CURLOPT_URL, url)
        try easy.set(CURLOPT_HTTPGET, 1)
        let https = url.lowercased().hasPrefix("https:")
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        // Never let a redirect downgrade an https feed to plain http.
        try easy.set(CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https")
        try easy.set(CURLOPT_FOLLOWLOCATION, options.maxRedirects > 0 ? 1 : 0)
        try easy.set(CURLOPT_MAXREDIRS, options.maxRedirects)

        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds(options.connectTimeout))
        try easy.set(CURLOPT_TIMEOUT_MS, milliseconds(min(timeout ?? options.timeout, options.timeout)))
        try easy.set(CURLOPT_LOW_SPEED_LIMIT, options.lowSpeedLimit)
        try easy.set(CURLOPT_LOW_SPEED_TIME, max(1, Int(options.lowSpeedTime.rounded(.up))))
        // Stops bodies of announced size before they start; the write callback stops the rest.
        try easy.set(CURLOPT_MAXFILESIZE_LARGE, offset: Int64(options.maxResponseSize))
        try easy.set(CURLOPT_ACCEPT_ENCODING, "")
        try easy.set(CURLOPT_USERAGENT, options.userAgent)

        try easy.set(CURLOPT_SSL_VERIFYPEER, 1)
        try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = options.caFile { try easy.set(CURLOPT_CAINFO, caFile) }

        switch authentication {
        case .basic(let user, let password):
            try easy.set(CURLOPT_HTTPAUTH, ccurl_auth_basic())
            try easy.set(CURLOPT_USERNAME, user)
            try easy.set(CURLOPT_PASSWORD, password)
        case .bearer(let token):
            try easy.set(CURLOPT_HTTPAUTH, ccurl_auth_bearer())
            try easy.set(CURLOPT_XOAUTH2_BEARER, token)
        case nil:
            break
        }
        try easy.setHeaders(headers.isEmpty ? nil : CurlHeaderList(headers))

        let sink = TransferSink(limit: options.maxResponseSize, shouldCancel: shouldCancel)
        try easy.perform(into: sink, url: url)
        return HTTPResponse(status: easy.responseCode, headers: HTTPHeaders(lines: sink.headerLines),
                            body: sink.body, url: easy.effectiveURL ?? url)
    }

    private func milliseconds(_ interval: TimeInterval) -> Int {
        max(1, Int((interval * 1000).rounded(.up)))
    }
}
