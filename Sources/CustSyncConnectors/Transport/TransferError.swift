import CCurl
import Foundation
import Glibc

/// A transfer that libcurl could not complete: the curl result code, the URL, the HTTP status
/// if a response had begun, and what libcurl said. `description` says what to do about it.
public struct TransferError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, grouped by what a caller does about it.
    public enum Kind: Sendable, Equatable {
        /// The server's certificate was not accepted (or the CA file is unusable). Never retried
        /// without verification: the fix is `CAFile=` or the server's certificate.
        case certificate
        /// The TLS handshake failed for another reason (protocol, cipher, reset mid-handshake).
        case tls
        /// No connection, or it broke: DNS, refused, reset, nothing received.
        case connection
        /// The connect timeout, the transfer timeout or the low-speed limit was hit.
        case timeout
        /// The body ended before its announced length, or the connection closed mid-body.
        case truncated
        /// The body could not be decompressed.
        case badEncoding
        /// The body grew past the configured maximum; the transfer was aborted.
        case tooLarge(limit: Int)
        /// A redirect led to a protocol not followed (plain http from an https feed, or neither
        /// http nor https).
        case redirectRefused
        /// The caller asked the transfer to stop (daemon shutdown).
        case cancelled
        /// A libcurl option was refused or a handle could not be made: a bug or a broken libcurl.
        case setup
        case other
    }

    public var kind: Kind
    /// The `CURLcode`, e.g. 60 for a certificate that was not verified; 0 when libcurl succeeded
    /// but the caller refused the result.
    public var code: Int32
    public var url: String
    /// The HTTP status of the response, if one had started.
    public var status: Int?
    /// libcurl's own explanation (its error buffer, else `curl_easy_strerror`).
    public var detail: String
    /// The errno of the connect or receive that failed (`CURLINFO_OS_ERRNO`), 0 if none.
    public var systemErrno: Int32
    /// OpenSSL's verdict on the server's certificate (`CURLINFO_SSL_VERIFYRESULT`, an
    /// `X509_V_ERR_…` code), 0 if it was accepted or never seen.
    public var certificateVerifyResult = 0

    public init(kind: Kind, code: Int32, url: String, status: Int? = nil, detail: String, systemErrno: Int32 = 0) {
        self.kind = kind
        self.code = code
        self.url = url
        self.status = status
        self.detail = detail
        self.systemErrno = systemErrno
    }

    /// The error for `code` as libcurl returned it from a transfer of `url`.
    init(code: CURLcode, url: String, status: Int?, detail: String, bodyLimit: Int?, systemErrno: Int32) {
        let kind: Kind
        switch code {
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_CERTPROBLEM, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
             CURLE_SSL_CRL_BADFILE:
            kind = .certificate
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
             CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED:
            kind = .tls
        case CURLE_OPERATION_TIMEDOUT:
            kind = .timeout
        case CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT,
             CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_HTTP2, CURLE_HTTP2_STREAM,
             CURLE_WEIRD_SERVER_REPLY:
            kind = .connection
        case CURLE_PARTIAL_FILE:
            kind = .truncated
        case CURLE_BAD_CONTENT_ENCODING:
            kind = .badEncoding
        case CURLE_FILESIZE_EXCEEDED:
            kind = .tooLarge(limit: bodyLimit ?? 0)
        case CURLE_WRITE_ERROR where bodyLimit != nil:
            kind = .tooLarge(limit: bodyLimit ?? 0)
        case CURLE_ABORTED_BY_CALLBACK:
            kind = .cancelled
        case CURLE_UNSUPPORTED_PROTOCOL where (300..<400).contains(status ?? 0):
            kind = .redirectRefused
        default:
            kind = .other
        }
        self.init(kind: kind, code: Int32(bitPattern: code.rawValue), url: url, status: status, detail: detail,
                  systemErrno: systemErrno)
    }

    /// The server as `host:port`, from the URL.
    var peer: String {
        guard let components = URLComponents(string: url), let host = components.host else { return url }
        let port = components.port ?? (components.scheme?.lowercased() == "https" ? 443 : 80)
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// What happened to the connection, in the words of the system call that failed.
    var connectionCause: String {
        switch systemErrno {
        case ECONNREFUSED: return "connection refused by \(peer)"
        case ECONNRESET: return "connection reset by \(peer)"
        case EHOSTUNREACH, ENETUNREACH: return "no route to \(peer)"
        case ETIMEDOUT: return "connection to \(peer) timed out"
        default:
            return code == Int32(bitPattern: CURLE_GOT_NOTHING.rawValue)
                ? "\(peer) closed the connection without answering" : "could not reach \(peer)"
        }
    }

    /// Worth another attempt after a pause: the network or the server may recover.
    public var isTransient: Bool {
        switch kind {
        case .connection, .timeout, .tls: return true
        default: return false
        }
    }

    public var description: String {
        let what = "\(url): \(detail) (curl error \(code)\(status.map { ", HTTP \($0)" } ?? ""))"
        switch kind {
        case .certificate:
            let refused = "TLS certificate not accepted for \(what); the transfer was refused, not retried without verification"
            switch certificateVerifyResult {
            case 9: // X509_V_ERR_CERT_NOT_YET_VALID
                return "\(refused). The server's certificate is not valid yet: check its dates and the clocks of both hosts"
            case 10: // X509_V_ERR_CERT_HAS_EXPIRED
                return "\(refused). The server's certificate has expired: renew it on the server"
            case 62: // X509_V_ERR_HOSTNAME_MISMATCH
                return "\(refused). The certificate is not issued for \(peer): use the host name it names in URL=, or fix its subjectAltName"
            default:
                return "\(refused). If the server uses a private CA, set CAFile= to that CA's certificate (PEM); otherwise fix the server's certificate"
            }
        case .tls:
            return "TLS handshake failed with \(what); check that the URL's port speaks TLS and that the server supports TLS 1.2 or later"
        case .connection:
            return "\(connectionCause) (\(what)); check the host, the port, the network and any proxy (https_proxy, no_proxy)"
        case .timeout:
            return "timed out on \(what); the server is slow or unreachable: raise ConnectTimeout=/PageTimeout= or LowSpeedTime= if it is merely slow"
        case .truncated:
            return "the response from \(what) ended early (truncated body)"
        case .badEncoding:
            return "the compressed response from \(what) could not be decoded"
        case .tooLarge(let limit):
            return "the response from \(url) is larger than MaxResponseSize=\(limit) bytes and was aborted (curl error \(code)); raise MaxResponseSize= or ask the feed for smaller pages"
        case .redirectRefused:
            return "\(what): the server redirected to an address that is not followed (an https URL is never followed to plain http, and only http and https are followed at all); set the URL to the address the server should be asked at"
        case .cancelled:
            return "the transfer from \(url) was cancelled because the poll is stopping"
        case .setup:
            return "libcurl refused to set up the transfer of \(what); this is a bug or a libcurl without HTTP/TLS support"
        case .other:
            return "transfer of \(what) failed"
        }
    }
}
