@testable import CustSyncConnectors
import CustSyncCore
import Foundation
import Glibc
import Synchronization

/// A drop folder, a store and a csv-drop connector over them, driven directly: each `session`
/// is one poll whose batches commit through a real `StoreWriter`.
final class DropFixture {
    let root: String
    let writer: StoreWriter
    var settings: CSVDropSettings
    private(set) var connector: CSVDropConnector
    /// When set, deliveries after this many more batches fail (as if the daemon died there).
    let failAfter = FailSwitch()
    /// Runs after each delivery that committed, with how many have committed in this fixture.
    let afterDelivery = DeliveryHook()

    init(columns: [(String, CSVMappingTarget)] = DropFixture.callColumns, configure: (inout CSVDropSettings) -> Void = { _ in }) throws {
        var template = Array("/tmp/cs-drop-XXXXXX".utf8CString)
        root = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        writer = try StoreWriter(path: root + "/store.db", settings: EngineSettings())
        settings = CSVDropSettings(directory: root + "/spool/calls", settleTime: 0,
                                   columns: columns.enumerated().map { CSVColumnMapping(column: $1.0, target: $1.1, line: $0 + 1) })
        settings.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        configure(&settings)
        connector = CSVDropConnector(name: "calls", settings: settings)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    static let callColumns: [(String, CSVMappingTarget)] = [
        ("时间", .call(.time)), ("电话", .customer(.phone)), ("姓名", .customer(.name)),
        ("坐席", .call(.agent)), ("结果", .call(.disposition)), ("时长", .call(.duration)), ("备注", .call(.notes)),
    ]
    static let callHeader = "时间,电话,姓名,坐席,结果,时长,备注\n"

    /// Replaces the connector (a restarted daemon: no session state survives).
    func restart() {
        connector = CSVDropConnector(name: "calls", settings: settings)
    }

    var folder: String { settings.directory }
    func path(_ relative: String) -> String { folder + "/" + relative }

    /// Writes a file into `incoming/` through a hidden temporary name, then renames it into place.
    func drop(_ name: String, _ bytes: [UInt8]) throws {
        try FileManager.default.createDirectory(atPath: path("incoming"), withIntermediateDirectories: true)
        let temporary = path("incoming/.\(name).partial")
        try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path("incoming/\(name)")) == 0 else { throw POSIXError(.EIO) }
    }

    func drop(_ name: String, _ text: String) throws { try drop(name, Array(text.utf8)) }

    /// One poll of about `seconds`, from the committed cursor. Returns what it threw, if anything.
    @discardableResult
    func session(seconds: TimeInterval = 0.7, batchSize: Int = 100) -> Error? {
        let writer = self.writer
        let failAfter = self.failAfter
        let afterDelivery = self.afterDelivery
        let context = PollContext(
            connector: "calls", deadline: Date().addingTimeInterval(seconds), batchSize: batchSize,
            hasCompletedContent: { hash in try writer.perform { try $0.hasCompletedContent(source: "calls", hash: hash) } }
        ) { batch in
            let fail = failAfter.remaining.withLock { left -> Bool in
                guard let remaining = left else { return false }
                if remaining == 0 { return true }
                left = remaining - 1
                return false
            }
            if fail { throw ConnectorError("simulated crash") }
            let applied = try writer.apply(batch)
            afterDelivery.delivered()
            return applied
        }
        do {
            let cursor = try writer.perform { try $0.cursor(for: "calls") }
            try connector.poll(from: cursor, context: context)
            return nil
        } catch {
            return error
        }
    }

    func count(_ sql: String) throws -> Int64 {
        try StoreReader(path: root + "/store.db").connection.scalarInt(sql) ?? -1
    }

    func string(_ sql: String) throws -> String? {
        try StoreReader(path: root + "/store.db").connection.statement(sql).first()?.string(0)
    }

    var cursor: DropCursor? { DropCursor((try? writer.perform { try $0.cursor(for: "calls") }) ?? nil) }

    /// Names in a folder area (recursively for archive/), sorted.
    func files(_ area: String) -> [String] {
        let base = path(area)
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return [] }
        var names: [String] = []
        while let relative = enumerator.nextObject() as? String {
            var st = stat()
            if lstat(base + "/" + relative, &st) == 0, st.st_mode & S_IFMT != S_IFDIR {
                names.append((relative as NSString).lastPathComponent)
            }
        }
        return names.sorted()
    }

    func read(_ relative: String) -> String {
        (try? String(contentsOfFile: path(relative), encoding: .utf8)) ?? ""
    }
}

/// How many more deliveries succeed before they fail; `nil`: all do.
final class FailSwitch: Sendable {
    let remaining = Mutex<Int?>(nil)
    func set(_ value: Int?) { remaining.withLock { $0 = value } }
}

/// Something to do after a given delivery, e.g. an uploader writing to a file being read.
final class DeliveryHook: Sendable {
    private let state = Mutex<(count: Int, action: (at: Int, run: @Sendable () -> Void)?)>((0, nil))
    /// Runs `action` once, right after delivery number `delivery` (counted from 1) commits.
    func set(after delivery: Int, _ action: @escaping @Sendable () -> Void) { state.withLock { $0.action = (delivery, action) } }
    func delivered() {
        let due = state.withLock { value -> (@Sendable () -> Void)? in
            value.count += 1
            guard let action = value.action, action.at == value.count else { return nil }
            value.action = nil
            return action.run
        }
        due?()
    }
}

/// Appends `text` to the file at `path` (an uploader still writing).
func append(_ text: String, to path: String) {
    let fd = open(path, O_WRONLY | O_APPEND)
    precondition(fd >= 0, "cannot open \(path)")
    let bytes = Array(text.utf8)
    precondition(write(fd, bytes, bytes.count) == bytes.count)
    close(fd)
}

/// A call-center file: a header and one row per call.
func callRows(_ rows: [String], header: String = DropFixture.callHeader) -> String {
    header + rows.map { $0 + "\n" }.joined()
}
