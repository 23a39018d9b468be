import Foundation

/// How a transfer behaves: limits, TLS trust and identification. TLS verification is not an
/// option: it is always on.
public struct TransferOptions: Sendable, Equatable {
    /// Time allowed to connect (TCP and TLS handshake).
    public var connectTimeout: TimeInterval
    /// Time allowed for a whole transfer, connect included.
    public var timeout: TimeInterval
    /// A transfer slower than `lowSpeedLimit` bytes/s for `lowSpeedTime` is aborted.
    public var lowSpeedLimit: Int
    public var lowSpeedTime: TimeInterval
    /// Bodies larger than this (after decompression) are aborted.
    public var maxResponseSize: Int
    /// A PEM file of CA certificates to trust in addition to the system's.
    public var caFile: String?
    public var userAgent: String
    /// Follow up to this many redirects (0: none).
    public var maxRedirects: Int

    public init(connectTimeout: TimeInterval = 10, timeout: TimeInterval = 60, lowSpeedLimit: Int = 100,
                lowSpeedTime: TimeInterval = 30, maxResponseSize: Int = 32 << 20, caFile: String? = nil,
                userAgent: String, maxRedirects: Int = 5) {
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
        self.maxResponseSize = maxResponseSize
        self.caFile = caFile
        self.userAgent = userAgent
        self.maxRedirects = maxRedirects
    }
}
