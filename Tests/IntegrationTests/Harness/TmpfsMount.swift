import Foundation
import XCTest

/// A tmpfs of a given size mounted on a folder for one test: a store folder that fills up, or
/// one that is read-only. Mounting needs root with CAP_SYS_ADMIN; without it the test is
/// skipped with the reason. `unmount()` (or releasing the value) undoes it.
final class TmpfsMount {
    let path: String
    private var mounted = true

    init(at path: String, size: String, readOnly: Bool = false) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let options = "size=\(size)" + (readOnly ? ",ro" : "")
        let result = try CommandResult.run("/usr/bin/env", ["mount", "-t", "tmpfs", "-o", options, "tmpfs", path])
        guard result.status == 0 else {
            throw XCTSkip("cannot mount a tmpfs on \(path) (needs root with CAP_SYS_ADMIN): \(result.stderr) — this fault is NOT tested here")
        }
        self.path = path
    }

    deinit { unmount() }

    /// Grows (or shrinks) the file system in place; open files stay open.
    func resize(_ size: String) throws {
        let result = try CommandResult.run("/usr/bin/env", ["mount", "-o", "remount,size=\(size)", path])
        guard result.status == 0 else { throw TestInstallation.Failure("remount \(path) size=\(size) failed: \(result.stderr)") }
    }

    func unmount() {
        guard mounted else { return }
        mounted = false
        _ = try? CommandResult.run("/usr/bin/env", ["umount", path])
    }
}
