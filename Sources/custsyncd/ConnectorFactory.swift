import CustSyncConnectors
import CustSyncCore

/// Builds the connector a configuration describes.
enum ConnectorFactory {
    static func make(_ configuration: ConnectorConfiguration, logger: Logger) throws(ConnectorError) -> any Connector {
        let name = configuration.name
        switch configuration.kind {
        case .exec:
            guard let exec = configuration.exec else {
                throw ConnectorError("connector \(name) has no [Exec] section", permanent: true)
            }
            return ExecConnector(name: name, settings: exec) { level, message in
                let priority = Logger.Level(rawValue: level) ?? (level == "error" ? .err : .info)
                logger.write(priority, "connector.log", [("connector", name), ("message", message)])
            }
        case .orderFeed:
            guard let feed = configuration.feed else {
                throw ConnectorError("connector \(name) has no [Feed] section", permanent: true)
            }
            return OrderFeedConnector(name: name, settings: feed, userAgent: "custsync/\(Version.string)") { message in
                logger.info("connector.log", [("connector", name), ("message", message)])
            }
        case .csvDrop:
            guard let csv = configuration.csv else {
                throw ConnectorError("connector \(name) has no valid [CSV] settings", permanent: true)
            }
            return CSVDropConnector(name: name, settings: csv) { level, event, fields in
                let all: [(String, Any?)] = fields.map { ($0.0, $0.1) }
                switch level {
                case .debug: logger.debug(event, all)
                case .info: logger.info(event, all)
                case .warning: logger.warning(event, all)
                }
            }
        case .imap:
            guard let imap = configuration.imap else {
                throw ConnectorError("connector \(name) has no valid [IMAP] section", permanent: true)
            }
            return IMAPConnector(name: name, settings: imap) { message in
                logger.info("connector.log", [("connector", name), ("message", message)])
            }
        }
    }
}
