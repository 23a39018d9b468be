import Foundation

/// custsyncd's command line.
struct DaemonOptions {
    enum Mode: Equatable { case run, checkConfig, version, help, restore(String) }

    var mode: Mode = .run
    var configPath = "/etc/custsync/custsyncd.conf"

    static let usage = """
    usage: custsyncd [--config PATH] [--check-config] [--version] [--help]
           custsyncd [--config PATH] --restore BACKUP

      --config PATH    main configuration file (default /etc/custsync/custsyncd.conf);
                       connectors come from its ConnectorsDirectory= (connectors.d/)
      --check-config   validate the configuration (syntax and values) and exit 0 or 1
      --restore BACKUP put BACKUP in place of the store, with the daemon stopped: a path,
                       a file name from `syncctl backups`, or `latest`; the old store is
                       kept beside it (see docs/RESTORE.md)
      --version        print the version and exit
      --help           print this help and exit

    Runs in the foreground; logs go to stderr with <N> priority prefixes for journald.
    Signals: SIGTERM/SIGINT stop after the batch in flight, SIGHUP reloads the configuration.
    See custsyncd(8) and custsyncd.conf(5).
    """

    struct UsageError: Error, CustomStringConvertible { let description: String }

    static func parse(_ arguments: [String]) throws(UsageError) -> DaemonOptions {
        var options = DaemonOptions()
        var rest = arguments.dropFirst()[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--config", "-c":
                guard let value = rest.popFirst() else { throw UsageError(description: "--config needs a path") }
                options.configPath = value
            case _ where argument.hasPrefix("--config="):
                options.configPath = String(argument.dropFirst("--config=".count))
            case "--check-config", "-t": options.mode = .checkConfig
            case "--restore":
                guard let value = rest.popFirst() else { throw UsageError(description: "--restore needs a backup (a path, a name from `syncctl backups`, or latest)") }
                options.mode = .restore(value)
            case _ where argument.hasPrefix("--restore="):
                options.mode = .restore(String(argument.dropFirst("--restore=".count)))
            case "--version": options.mode = .version
            case "--help", "-h": options.mode = .help
            default: throw UsageError(description: "unknown argument \(argument)")
            }
        }
        return options
    }
}
