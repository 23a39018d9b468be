import CustSyncCore
import Foundation
import XCTest

final class BackupSettingsTests: XCTestCase {
    private func load(_ text: String) throws -> Result<Configuration, ConfigurationErrors> {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("custsync-backup-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/custsyncd.conf"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        do throws(ConfigurationErrors) {
            return .success(try Configuration.load(path: path, environment: [:]))
        } catch {
            return .failure(error)
        }
    }

    func testDefaultsAndValues() throws {
        let defaults = try load("[Daemon]\nStateDirectory=/srv/cs\n").get()
        XCTAssertEqual(defaults.backup, BackupSettings(interval: 86_400, keep: 7, secondaryDirectory: nil))
        XCTAssertEqual(defaults.daemon.backupDirectory, "/srv/cs/backups")
        let set = try load("[Backup]\nBackupInterval=6h\nBackupKeep=28\nSecondaryDirectory=../mnt/backup\n").get()
        XCTAssertEqual(set.backup.interval, 21_600)
        XCTAssertEqual(set.backup.keep, 28)
        XCTAssertTrue(set.backup.secondaryDirectory?.hasSuffix("/mnt/backup") == true, "\(String(describing: set.backup.secondaryDirectory))")
        XCTAssertEqual(try load("[Backup]\nBackupInterval=0\n").get().backup.interval, 0, "0 turns scheduled backups off")
    }

    func testInvalidValuesAreNamedWithTheirLine() throws {
        guard case .failure(let errors) = try load("[Backup]\nBackupInterval=500ms\nBackupKeep=0\nBackupDir=/x\n") else {
            return XCTFail("expected errors")
        }
        let text = errors.errors.map(\.description)
        XCTAssertTrue(text.contains { $0.contains(":2: BackupInterval: must be 0 (off) or at least 1s") }, "\(text)")
        XCTAssertTrue(text.contains { $0.contains(":3: BackupKeep:") && $0.contains("1 to 10000") }, "\(text)")
        XCTAssertTrue(text.contains { $0.contains(":4: BackupDir: unknown key in [Backup]") }, "\(text)")
    }
}
