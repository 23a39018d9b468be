import Foundation

/// Where the built binaries and the repository's fixtures are.
enum Paths {
    /// The repository root, found from this file's location.
    static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `$CUSTSYNC_BIN_DIR` (set by `make test`) or `.build/debug`.
    static let binaries: URL = {
        if let dir = ProcessInfo.processInfo.environment["CUSTSYNC_BIN_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        return repository.appendingPathComponent(".build/debug")
    }()

    static var custsyncd: String { binaries.appendingPathComponent("custsyncd").path }
    static var syncctl: String { binaries.appendingPathComponent("syncctl").path }
    static func fixture(_ name: String) -> String { repository.appendingPathComponent("Tests/Fixtures/\(name)").path }
}
