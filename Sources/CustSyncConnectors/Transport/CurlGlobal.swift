import CCurl

/// libcurl's process-wide state. `curl_global_init` is not thread-safe and must run once before
/// any handle exists; a static `let` is initialised exactly once, atomically, on first use.
enum CurlGlobal {
    /// The result of the one `curl_global_init` call.
    static let initialisation: CURLcode = ccurl_global_init()

    /// Makes sure libcurl is initialised; cheap after the first call.
    static func ensureInitialised() -> CURLcode { initialisation }
}
