import CustSyncCore
import Foundation
import Glibc

/// Writes exported customers to standard output as they arrive: JSON lines as the daemon sent
/// them, or CSV (RFC 4180) with a header row. Buffered, flushed at the end.
final class ExportWriter {
    private let format: String
    private var buffer = Data()
    private var headerWritten = false

    init(format: String) {
        self.format = format
    }

    func write(_ row: Data) throws {
        if format == "csv" {
            if !headerWritten {
                append(Self.csvLine(ExportRecord.csvHeader))
                headerWritten = true
            }
            let record = try ControlJSON.decoder().decode(ExportRecord.self, from: row)
            append(Self.csvLine(record.csvCells))
        } else {
            buffer.append(row)
            buffer.append(UInt8(ascii: "\n"))
        }
        if buffer.count >= 1 << 16 { try flush() }
    }

    func finish() throws {
        if format == "csv" && !headerWritten { append(Self.csvLine(ExportRecord.csvHeader)) }
        try flush()
    }

    private func append(_ line: String) {
        buffer.append(contentsOf: line.utf8)
    }

    /// Writes the buffer with write(2): a closed pipe (`| head`) ends the export with an error
    /// instead of a crash.
    private func flush() throws {
        try buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(1, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw ControlFailure("cannot write the export: \(String(cString: strerror(errno)))") }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    static func csvLine(_ cells: [String]) -> String {
        cells.map { cell in
            guard cell.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) else {
                return cell
            }
            return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }.joined(separator: ",") + "\r\n"
    }
}
