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
    var hint = ""
    if let code = (error as? StoreError)?.primaryCode, code == 11 || code == 26 {
        hint = " The store file is damaged: restore a backup (`custsyncd --restore latest`, see docs/RESTORE.md)."
    }
    FileHandle.standardError.write(Data("<2>custsyncd: cannot start: \(error)\(hint)\n".utf8))
    exit(1)
}
dispatchMain()
