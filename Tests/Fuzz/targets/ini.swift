@testable import CustSyncCore
import Foundation

// Fuzz target `ini`: the input is a configuration file. It is parsed as an INI document, read as
// a connector file (every kind's sections, [Mapping] with its JSON paths and CSV columns), and
// loaded as the main file of a whole configuration whose connectors.d/ holds the same text as a
// connector: what `custsyncd --check-config` does. Input that is not UTF-8 stops where
// IniDocument.readText refuses it.

/// A scratch folder on tmpfs when there is one (files are written twice per input), removed at exit.
private let directory: String = {
    let parent = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : "/tmp"
    var template = Array("\(parent)/custsync-fuzz-ini.XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { fatalError("mkdtemp: \(String(cString: strerror(errno)))") }
    let path = String(cString: made)
    try! FileManager.default.createDirectory(atPath: path + "/connectors.d", withIntermediateDirectories: false)
    atexit { try? FileManager.default.removeItem(atPath: directory) }
    return path
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIni(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    guard let text = String(validating: bytes, as: UTF8.self) else { return 0 }
    let (document, _) = IniDocument.parse(text, file: "fuzz.conf")
    _ = ConnectorConfiguration.read(document, directory: directory, defaultBatchSize: 1000)
    try! Data(bytes).write(to: URL(fileURLWithPath: directory + "/main.ini"))
    try! Data(bytes).write(to: URL(fileURLWithPath: directory + "/connectors.d/fuzz.conf"))
    _ = try? Configuration.load(path: directory + "/main.ini", environment: [:])
    return 0
}
