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
            return ExecConnector(name: name, settings: exec) { message in
                logger.info("connector.log", [("connector", name), ("message", message)])
            }
        default:
            throw ConnectorError("connector kind \(configuration.kind.rawValue) is not available in this build", permanent: true)
        }
    }
}
