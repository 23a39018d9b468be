import CustSyncCore
import Dispatch
import Foundation
import Glibc

signal(SIGPIPE, SIG_IGN)

let options: DaemonOptions
do {
    options = try DaemonOptions.parse(CommandLine.arguments)
} catch {
    FileHandle.standardError.write(Data("custsyncd: \(error)\n\(DaemonOptions.usage)\n".utf8))
    exit(2)
}

switch options.mode {
case .help:
    print(DaemonOptions.usage)
    exit(0)
case .version:
    print("custsyncd \(Version.string)")
    exit(0)
case .checkConfig, .run, .restore:
    break
}

let configuration: Configuration
do throws(ConfigurationErrors) {
    configuration = try Configuration.load(path: options.configPath)
} catch {
    for problem in error.errors {
        FileHandle.standardError.write(Data("<3>\(problem)\n".utf8))
    }
    FileHandle.standardError.write(Data("<3>custsyncd: configuration refused (\(error.errors.count) problem(s))\n".utf8))
    exit(1)
}

if options.mode == .checkConfig {
    print("custsyncd: \(options.configPath): configuration OK (\(configuration.connectors.count) connectors)")
    exit(0)
}

if case .restore(let backup) = options.mode {
    exit(RestoreCommand.run(backup: backup, configuration: configuration))
}

do {
    let daemon = try Daemon(configPath: options.configPath, configuration: configuration)
    try daemon.start()
} catch {
    let failure = StartFailure(error, store: configuration.daemon.store)
    FileHandle.standardError.write(Data("<2>custsyncd: \(failure.message)\n".utf8))
    exit(failure.exitStatus)
}
dispatchMain()
