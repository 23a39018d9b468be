import Foundation
import Glibc

/// The way back to one control client: response lines, or for a streamed answer (`export`) a
/// header line, one line per item and a trailer. Owned by the client's thread; the descriptor
/// belongs to `ControlServer`.
final class ResponseStream {
    private let descriptor: Int32
    /// False once a send failed (the client went away); a streaming handler stops then.
    private(set) var isOpen = true
    /// The send failed because the client read nothing for `ControlServer.clientTimeout`.
    private(set) var stalled = false

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Sends `line` and a newline; false when the client is gone.
    @discardableResult
    func send(_ line: Data) -> Bool {
        guard isOpen else { return false }
        var data = line
        data.append(UInt8(ascii: "\n"))
        isOpen = ControlServer.sendAll(descriptor, data)
        if !isOpen && (errno == EAGAIN || errno == EWOULDBLOCK) { stalled = true }
        return isOpen
    }
}
