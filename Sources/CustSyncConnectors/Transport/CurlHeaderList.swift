import CCurl

/// A libcurl `curl_slist` of request headers, owned here and freed in `deinit`. libcurl reads
/// the list during each transfer, so it must outlive every transfer that uses it; `CurlEasy`
/// keeps a reference for as long as the list is set.
final class CurlHeaderList {
    private(set) var pointer: UnsafeMutablePointer<curl_slist>?

    /// `lines` as sent, e.g. `Accept: application/json`. Lines with CR or LF are dropped: they
    /// would let a value smuggle in further headers.
    init(_ lines: [String]) {
        // Checked as bytes: a "\r\n" pair is a single Character and would slip past a Character test.
        for line in lines where !line.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
            // curl_slist_append copies the string; on failure it returns NULL and leaves the list.
            if let appended = curl_slist_append(pointer, line) { pointer = appended }
        }
    }

    deinit {
        curl_slist_free_all(pointer)
    }
}
