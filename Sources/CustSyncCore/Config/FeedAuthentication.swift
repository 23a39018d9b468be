/// How an order feed authenticates (`Auth=` and `Credential=` in `[Feed]`).
public enum FeedAuthentication: Sendable, Equatable {
    case none
    /// `Authorization: Bearer …`; the credential file holds the token.
    case bearer(FeedCredentialSource)
    /// HTTP basic authentication; the credential file holds `user:password` on its first line.
    case basic(FeedCredentialSource)

    /// The values of `Auth=`.
    public static let schemes = ["none", "bearer", "basic"]
}
