import Foundation

/// custsyncd's command line.
struct DaemonOptions {
    enum Mode { case run, checkConfig, version, help }

    var mode: Mode = .run
    var configPath = "/etc/custsync/custsyncd.conf"

    static let usage = """
    usage: custsyncd [--config PATH] [--check-config] [--version] [--help]

      --config PATH    main configuration file (default /etc/custsync/custsyncd.conf);
                       connectors come from its ConnectorsDirectory= (connectors.d/)
      --check-config   validate the configuration (syntax and values) and exit 0 or 1
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
            case "--version": options.mode = .version
            case "--help", "-h": options.mode = .help
            default: throw UsageError(description: "unknown argument \(argument)")
            }
        }
        return options
    }
}
