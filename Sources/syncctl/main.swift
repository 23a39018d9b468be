import CustSyncCore
import Foundation
import Glibc

signal(SIGPIPE, SIG_IGN)

do {
    let invocation = try Invocation.parse(CommandLine.arguments, environment: ProcessInfo.processInfo.environment)
    exit(try Commands.run(invocation))
} catch let error as UsageError {
    FileHandle.standardError.write(Data("syncctl: \(error)\n\nRun `syncctl help` for usage.\n".utf8))
    exit(2)
} catch let failure as ControlFailure {
    FileHandle.standardError.write(Data("syncctl: \(failure.error)\n".utf8))
    exit(failure.exit)
} catch {
    FileHandle.standardError.write(Data("syncctl: \(error)\n".utf8))
    exit(1)
}
