/// Where one transfer's response goes: the header lines of the last response (redirects and
/// `100 Continue` are dropped) and the body, up to `limit` bytes. Counting here is what bounds
/// a body of unannounced size: libcurl's `CURLOPT_MAXFILESIZE` only stops announced ones.
final class TransferSink {
    let limit: Int
    private(set) var body: [UInt8] = []
    private(set) var headerLines: [String] = []
    /// True once the body passed `limit` and the transfer was aborted.
    private(set) var exceeded = false
    /// Asked during the transfer; returning true aborts it.
    let shouldCancel: () -> Bool

    init(limit: Int, shouldCancel: @escaping () -> Bool) {
        self.limit = limit
        self.shouldCancel = shouldCancel
    }

    /// Keeps `bytes` unless the body would grow past `limit`; false aborts the transfer.
    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard body.count + bytes.count <= limit else {
            exceeded = true
            return false
        }
        body.append(contentsOf: bytes)
        return true
    }

    /// One header line as libcurl delivers it, CRLF included.
    func appendHeader(_ bytes: UnsafeRawBufferPointer) {
        // Strip CR and LF as bytes: as Characters, "\r\n" is one grapheme and matches neither.
        var count = bytes.count
        while count > 0, bytes[count - 1] == 0x0A || bytes[count - 1] == 0x0D { count -= 1 }
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<count]), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new response begins (after a redirect or an interim 1xx): forget the previous one.
            headerLines.removeAll()
        }
        if !line.isEmpty { headerLines.append(line) }
    }
}
