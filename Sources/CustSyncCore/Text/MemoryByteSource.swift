/// A `ByteSource` over bytes already in memory (small inputs, tests).
///
/// `maxReadSize` caps each read so tests can force the short reads a pipe or a slow disk
/// would produce and prove that nothing depends on where chunks happen to end.
public final class MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private let maxReadSize: Int
    private var position = 0

    public init(_ bytes: [UInt8], maxReadSize: Int = .max) {
        precondition(maxReadSize > 0)
        self.bytes = bytes
        self.maxReadSize = maxReadSize
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, maxReadSize, bytes.count - position)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { src in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[position..<(position + n)]))
        }
        position += n
        return n
    }
}
