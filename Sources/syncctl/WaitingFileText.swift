import CustSyncCore
import Foundation

/// The files a csv-drop connector has seen in incoming/ and not taken yet, one line each under
/// the connector table of both `status` and `connectors`: an operator asking why an upload has
/// not arrived looks at either, so both say which file waits and why.
enum WaitingFileText {
    static func lines(_ connector: ConnectorStatus, now: Date = Date(), width: Int = Output.width) -> [String] {
        (connector.waitingFiles ?? []).map { file in
            "  " + Output.wrap("\(connector.name) waiting: \(file.name) (\(Output.bytes(file.size)), changed "
                               + "\(Output.relative(file.modified, now: now))): \(reason(file.reason))",
                               width: width, indent: 4)
        }
    }

    private static func reason(_ reason: WaitingFile.Reason) -> String {
        switch reason {
        case .settling: return "settling"
        case .awaitingMarker: return "no marker yet"
        case .writerOpen: return "its writer has not closed it yet"
        }
    }
}
