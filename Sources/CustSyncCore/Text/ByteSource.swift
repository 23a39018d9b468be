/// A pull-based stream of bytes.
///
/// The CSV reader, the UTF-16 transcoder and the encoding sniffers only ever ask for the
/// next chunk, which is what keeps their memory flat whatever the size of the file.
/// Sources are classes because they own state (a descriptor, a transcoding carry).
public protocol ByteSource: AnyObject {
    /// Fills the start of `buffer` and returns how many bytes were written.
    /// Short reads are allowed; `0` means end of stream (callers never pass an empty buffer).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

extension ByteSource {
    /// Reads and throws away up to `count` bytes; returns how many were skipped (fewer at end of stream).
    ///
    /// This is how a cursor is resumed on a stream that cannot seek, e.g. a UTF-16 file whose
    /// offsets refer to the transcoded UTF-8 bytes: transcode again from the start and skip.
    public func skip(_ count: Int64, chunkSize: Int = 65_536) throws -> Int64 {
        precondition(count >= 0 && chunkSize > 0)
        var skipped: Int64 = 0
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 1)
        defer { scratch.deallocate() }
        while skipped < count {
            let want = Int(min(Int64(chunkSize), count - skipped))
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[0..<want]))
            if n == 0 { break }
            skipped += Int64(n)
        }
        return skipped
    }
}
