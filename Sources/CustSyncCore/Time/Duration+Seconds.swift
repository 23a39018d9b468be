extension Duration {
    /// The duration in seconds, as `TimeInterval` arithmetic wants it.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
