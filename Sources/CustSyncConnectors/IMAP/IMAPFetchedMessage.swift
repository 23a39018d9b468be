import Foundation

/// One `* n FETCH (…)` response, reduced to the items the imap connector asks for.
struct IMAPFetchedMessage: Equatable {
    var uid: UInt32
    /// `RFC822.SIZE`: the size of the whole message in bytes.
    var size: Int?
    /// `INTERNALDATE`: when the server received the message.
    var internalDate: Date?
    /// The bytes of the `BODY[…]` item: the message, or its header section.
    var section: [UInt8]?
}
