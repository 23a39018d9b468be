/// One piece of a customer-code template such as `KH-{region}-{seq:7}{check}`.
public enum CodeTemplateSegment: Sendable, Equatable, Hashable {
    /// Text copied as is.
    case literal(String)
    /// The sequence number, zero-padded to `width` digits when given (`{seq:7}`), else unpadded (`{seq}`).
    case sequence(width: Int?)
    /// A check character computed over the rest of the code (`{check}`).
    case check
    /// A field of the customer record (`{region}`, `{customer_type}`).
    case field(CanonicalField)
}
