@testable import CustSyncCore

/// Produces a large stream from a few repeated patterns without holding it in memory,
/// so memory tests measure the reader and not the test input.
final class GeneratedByteSource: ByteSource {
    private var segments: [(pattern: [UInt8], remaining: Int)]
    private var phase = 0

    /// Each segment yields `count` bytes cycling through `pattern`.
    init(_ segments: [(pattern: [UInt8], count: Int)]) {
        self.segments = segments.map { (pattern: $0.pattern, remaining: $0.count) }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while let first = segments.first, first.remaining == 0 {
            segments.removeFirst()
            phase = 0
        }
        guard !segments.isEmpty else { return 0 }
        let pattern = segments[0].pattern
        let n = min(buffer.count, segments[0].remaining)
        for i in 0..<n {
            buffer[i] = pattern[phase]
            phase = (phase + 1) % pattern.count
        }
        segments[0].remaining -= n
        return n
    }
}
