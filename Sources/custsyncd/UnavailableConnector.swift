import CustSyncConnectors
import CustSyncCore

/// Stands in for a connector that could not be built, so its error shows in `syncctl status`
/// like any other failing connector instead of stopping the daemon.
final class UnavailableConnector: Connector {
    let name: String
    let error: ConnectorError

    init(name: String, error: ConnectorError) {
        self.name = name
        self.error = error
    }

    func poll(from cursor: Cursor?, context: PollContext) throws { throw error }
}
