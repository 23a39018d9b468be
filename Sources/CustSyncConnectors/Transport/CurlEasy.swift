import CCurl

/// One libcurl easy handle, with its error buffer. It is created in `init` and freed in
/// `deinit`, and no pointer to it leaves this type. A handle serves one transfer at a time and
/// is not thread-safe; `reset()` between transfers keeps its connection cache, so a sequence of
/// requests to one server reuses the connection.
final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let errorBufferSize: Int
    /// The header list set with `setHeaders`, kept alive while libcurl may read it.
    private var headers: CurlHeaderList?

    /// A new handle; initialises libcurl for the process on first use.
    init() throws(TransferError) {
        let global = CurlGlobal.ensureInitialised()
        guard global == CURLE_OK else {
            throw TransferError(kind: .setup, code: Int32(bitPattern: global.rawValue), url: "",
                                detail: "curl_global_init failed: \(String(cString: curl_easy_strerror(global)))")
        }
        guard let handle = curl_easy_init() else {
            throw TransferError(kind: .setup, code: Int32(bitPattern: CURLE_FAILED_INIT.rawValue), url: "",
                                detail: "curl_easy_init returned no handle (out of memory?)")
        }
        self.handle = handle
        errorBufferSize = ccurl_error_size()
        errorBuffer = .allocate(capacity: errorBufferSize)
        errorBuffer.initialize(repeating: 0, count: errorBufferSize)
        try prepare()
    }

    deinit {
        // The handle goes first: it may still refer to the error buffer and the header list.
        curl_easy_cleanup(handle)
        headers = nil
        errorBuffer.deallocate()
    }

    /// Clears every option (`curl_easy_reset`) but keeps live connections and caches.
    func reset() throws(TransferError) {
        curl_easy_reset(handle)
        headers = nil
        try prepare()
    }

    /// Options every transfer needs: our error buffer, and no signals (libcurl must not use
    /// SIGALRM for DNS timeouts in a multi-threaded process).
    private func prepare() throws(TransferError) {
        try check(ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), CURLOPT_ERRORBUFFER)
        try set(CURLOPT_NOSIGNAL, 1)
    }

    /// `curl_easy_setopt` with a `long`.
    func set(_ option: CURLoption, _ value: Int) throws(TransferError) {
        try check(ccurl_setopt_long(handle, option, value), option)
    }

    /// `curl_easy_setopt` with a `curl_off_t`.
    func set(_ option: CURLoption, offset value: Int64) throws(TransferError) {
        try check(ccurl_setopt_offset(handle, option, curl_off_t(value)), option)
    }

    /// `curl_easy_setopt` with a string; libcurl copies it.
    func set(_ option: CURLoption, _ value: String) throws(TransferError) {
        try check(ccurl_setopt_string(handle, option, value), option)
    }

    /// `CURLOPT_HTTPHEADER`; the list stays alive until the next `reset()` or call.
    func setHeaders(_ list: CurlHeaderList?) throws(TransferError) {
        try check(ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, list?.pointer), CURLOPT_HTTPHEADER)
        headers = list
    }

    /// Runs the transfer (`curl_easy_perform`) with its body and headers going to `sink`.
    /// `url` is only used to describe failures; set `CURLOPT_URL` before.
    func perform(into sink: TransferSink, url: String) throws(TransferError) {
        let userdata = Unmanaged.passUnretained(sink).toOpaque()
        try check(ccurl_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, CurlEasy.writeBody), CURLOPT_WRITEFUNCTION)
        try check(ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, userdata), CURLOPT_WRITEDATA)
        try check(ccurl_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, CurlEasy.writeHeader), CURLOPT_HEADERFUNCTION)
        try check(ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, userdata), CURLOPT_HEADERDATA)
        try check(ccurl_setopt_xferinfo_callback(handle, CurlEasy.progress), CURLOPT_XFERINFOFUNCTION)
        try check(ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, userdata), CURLOPT_XFERINFODATA)
        try set(CURLOPT_NOPROGRESS, 0)
        errorBuffer[0] = 0
        let code = withExtendedLifetime(sink) { curl_easy_perform(handle) }
        // The callbacks point at `sink`, which the caller may release: unhook them.
        _ = ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, nil)
        _ = ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, nil)
        _ = ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, nil)
        _ = ccurl_setopt_long(handle, CURLOPT_NOPROGRESS, 1)
        guard code == CURLE_OK else {
            let status = responseCode
            var systemErrno = 0
            _ = ccurl_getinfo_long(handle, CURLINFO_OS_ERRNO, &systemErrno)
            var verifyResult = 0
            _ = ccurl_getinfo_long(handle, CURLINFO_SSL_VERIFYRESULT, &verifyResult)
            var error = TransferError(code: code, url: url, status: status == 0 ? nil : status,
                                      detail: message(for: code),
                                      bodyLimit: sink.exceeded || code == CURLE_FILESIZE_EXCEEDED ? sink.limit : nil,
                                      systemErrno: Int32(truncatingIfNeeded: systemErrno))
            error.certificateVerifyResult = verifyResult
            throw error
        }
    }

    // MARK: A connection of its own (`CURLOPT_CONNECT_ONLY`)

    /// `curl_easy_send` on the connection a `CURLOPT_CONNECT_ONLY` transfer left open: the
    /// number of bytes written, 0 when the socket would block (wait with `activeSocket`).
    func send(_ bytes: UnsafeRawBufferPointer, url: String) throws(TransferError) -> Int {
        var sent = 0
        let code = curl_easy_send(handle, bytes.baseAddress, bytes.count, &sent)
        if code == CURLE_AGAIN { return 0 }
        guard code == CURLE_OK else {
            throw connectionError(code, url: url)
        }
        return sent
    }

    /// `curl_easy_recv` on that connection (TLS included): the number of bytes read into
    /// `buffer`, `nil` when none are ready yet, 0 when the server closed the connection.
    func receive(into buffer: UnsafeMutableRawBufferPointer, url: String) throws(TransferError) -> Int? {
        var received = 0
        let code = curl_easy_recv(handle, buffer.baseAddress, buffer.count, &received)
        if code == CURLE_AGAIN { return nil }
        guard code == CURLE_OK else {
            throw connectionError(code, url: url)
        }
        return received
    }

    /// The failure of a send or receive on that connection, with the system's errno (a reset
    /// names itself).
    private func connectionError(_ code: CURLcode, url: String) -> TransferError {
        var systemErrno = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_OS_ERRNO, &systemErrno)
        return TransferError(code: code, url: url, status: nil, detail: message(for: code), bodyLimit: nil,
                             systemErrno: Int32(truncatingIfNeeded: systemErrno))
    }

    /// `CURLINFO_ACTIVESOCKET`: the socket of that connection, to wait on with `poll(2)`;
    /// libcurl owns it.
    var activeSocket: Int32? {
        var socket = curl_socket_t(-1)
        guard ccurl_getinfo_socket(handle, CURLINFO_ACTIVESOCKET, &socket) == CURLE_OK, socket >= 0 else { return nil }
        return socket
    }

    /// `CURLINFO_RESPONSE_CODE`: the last response's status, 0 if none arrived.
    var responseCode: Int {
        var code = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// `CURLINFO_EFFECTIVE_URL`: the URL the last transfer ended at, after redirects.
    var effectiveURL: String? {
        var pointer: UnsafePointer<CChar>?
        guard ccurl_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &pointer) == CURLE_OK, let pointer else { return nil }
        return String(cString: pointer)
    }

    /// libcurl's explanation of the last failure: the error buffer when it has one, else the
    /// generic text for `code`.
    private func message(for code: CURLcode) -> String {
        errorBuffer[errorBufferSize - 1] = 0
        let specific = String(cString: errorBuffer)
        return specific.isEmpty ? String(cString: curl_easy_strerror(code)) : specific
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(TransferError) {
        guard code == CURLE_OK else {
            throw TransferError(kind: .setup, code: Int32(bitPattern: code.rawValue), url: "",
                                detail: "curl_easy_setopt(\(option.rawValue)): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    // MARK: C callbacks; `userdata` is the `TransferSink` of the running transfer.

    private static let writeBody: ccurl_data_callback = { data, size, count, userdata in
        guard let userdata else { return 0 }
        let sink = Unmanaged<TransferSink>.fromOpaque(userdata).takeUnretainedValue()
        let length = size * count
        // Any count other than `length` makes libcurl abort with CURLE_WRITE_ERROR.
        return sink.appendBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
    }

    private static let writeHeader: ccurl_data_callback = { data, size, count, userdata in
        guard let userdata else { return 0 }
        let sink = Unmanaged<TransferSink>.fromOpaque(userdata).takeUnretainedValue()
        let length = size * count
        sink.appendHeader(UnsafeRawBufferPointer(start: data, count: length))
        return length
    }

    private static let progress: ccurl_xferinfo_callback = { userdata, _, _, _, _ in
        guard let userdata else { return 0 }
        let sink = Unmanaged<TransferSink>.fromOpaque(userdata).takeUnretainedValue()
        // Nonzero aborts the transfer with CURLE_ABORTED_BY_CALLBACK.
        return sink.shouldCancel() ? 1 : 0
    }
}
