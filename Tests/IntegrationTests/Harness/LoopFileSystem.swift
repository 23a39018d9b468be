import Foundation
import XCTest

/// An ext4 file system in an image file, loop-mounted on a folder with `errors=remount-ro`, so
/// that a test can make it fail the way a failing disk does — `trigger_fs_error` and the kernel
/// remounts it read-only at once — and repair it as an operator would: unmount, fsck, mount.
/// Needs root, loop devices and mkfs.ext4; without them the test is skipped with the reason.
final class LoopFileSystem {
    let path: String
    let image: String
    private var mounted = false

    init(at path: String, image: String, megabytes: Int) throws {
        self.path = path
        self.image = image
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let steps: [[String]] = [["truncate", "-s", "\(megabytes)M", image], ["mkfs.ext4", "-q", "-F", image]]
        for step in steps {
            let result = try CommandResult.run("/usr/bin/env", step)
            guard result.status == 0 else { throw XCTSkip("\(step[0]) failed: \(result.stderr) — this fault is NOT tested here") }
        }
        do {
            try mount()
        } catch {
            throw XCTSkip("cannot loop-mount an ext4 image on \(path) (needs root and /dev/loop*): \(error) — this fault is NOT tested here")
        }
    }

    deinit { unmount() }

    /// Makes the kernel treat the file system as damaged: with `errors=remount-ro` it turns
    /// read-only at once, under every open file.
    func failLikeADisk() throws {
        let mounts = try String(contentsOfFile: "/proc/mounts", encoding: .utf8)
        guard let device = mounts.split(separator: "\n").map({ $0.split(separator: " ") })
            .first(where: { $0.count > 1 && $0[1] == path })?.first else {
            throw TestInstallation.Failure("\(path) is not in /proc/mounts")
        }
        let trigger = "/sys/fs/ext4/\((String(device) as NSString).lastPathComponent)/trigger_fs_error"
        guard FileManager.default.fileExists(atPath: trigger) else {
            throw XCTSkip("\(trigger) is missing (kernel without ext4 error injection) — this fault is NOT tested here")
        }
        try "custsync fault test\n".write(toFile: trigger, atomically: false, encoding: .utf8)
    }

    /// Unmounts (retrying while something still holds a file open), checks and repairs the
    /// file system with e2fsck, and mounts it again read-write.
    func repair() throws {
        var result = try CommandResult.run("/usr/bin/env", ["umount", path])
        for _ in 0..<50 where result.status != 0 {
            usleep(100_000)
            result = try CommandResult.run("/usr/bin/env", ["umount", path])
        }
        guard result.status == 0 else { throw TestInstallation.Failure("umount \(path) failed: \(result.stderr)") }
        mounted = false
        let check = try CommandResult.run("/usr/bin/env", ["e2fsck", "-f", "-y", image])
        // 0: clean, 1: errors corrected, 2: corrected, reboot advised (not for an image).
        guard check.status <= 2 else { throw TestInstallation.Failure("e2fsck \(image) exited \(check.status): \(check.stdout)") }
        try mount()
    }

    func unmount() {
        guard mounted else { return }
        mounted = false
        _ = try? CommandResult.run("/usr/bin/env", ["umount", path])
    }

    private func mount() throws {
        let result = try CommandResult.run("/usr/bin/env", ["mount", "-o", "loop,errors=remount-ro", image, path])
        guard result.status == 0 else { throw TestInstallation.Failure("mount \(image) on \(path) failed: \(result.stderr)") }
        mounted = true
    }
}
