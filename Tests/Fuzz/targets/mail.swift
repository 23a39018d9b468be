@testable import CustSyncCore
import Foundation

// Fuzz target `mail`: the input is a message as the IMAP connector fetches it (RFC 5322 with
// MIME and RFC 2047 encoded words). It goes through MailRecordMapper as a whole message and as
// a header section alone (what is fetched of a message over MaxMessageSize), then Downstream;
// every MIME part's body is decoded as text, HTML ones stripped, and every header field decoded
// as unstructured text and as an address list.

private let mapper = MailRecordMapper(internalDomains: ["example.com"])
private let receivedAt = Date(timeIntervalSince1970: 1_700_000_000)

private func visit(_ entity: MIMEEntity) {
    let text = entity.bodyText
    if entity.contentType.subtype == "html" { _ = HTMLText.plainText(text) }
    _ = entity.isAttachment
    for part in entity.parts { visit(part) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMail(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    Downstream.apply(mapper.item(parsing: bytes, origin: "INBOX UID 1", receivedAt: receivedAt))
    if let entity = try? MIMEEntity(parsing: bytes) {
        _ = entity.textPart()
        visit(entity)
        for field in entity.headers.fields {
            _ = entity.headers.decoded(field.name)
            _ = MailAddress.parseList(MailHeaders.text(field.rawValue[...]))
            _ = MailDate.parse(MailHeaders.text(field.rawValue[...]))
        }
        let (_, bodyStart) = try! MailHeaders.parse(bytes)
        Downstream.apply(mapper.item(parsing: Array(bytes[..<bodyStart]), origin: "INBOX UID 1", receivedAt: receivedAt,
                                     headersOnly: true))
    }
    return 0
}
