import CustSyncCore
import Foundation

/// Benchmarks that need the engine in-process. `bench/*.sh` drive it and print the figures.
///   custsync-bench engine STORE COUNT [BATCH]   apply COUNT synthetic call records to a fresh store
///   custsync-bench orders STORE COUNT [BATCH]   apply COUNT synthetic orders of COUNT/2 customers
///   custsync-bench csv COUNT                    write the same records as CSV to stdout
let arguments = CommandLine.arguments

/// Calls and orders of the last weeks (record `i` at `recentStart + i` seconds): a customer
/// with a call from 2023 would be churned, and classify as that on every apply.
let recentStart = Int(Date().timeIntervalSince1970) - 2_000_000

func synthetic(_ i: Int) -> SourceRecord {
    let at = Date(timeIntervalSince1970: Double(recentStart + i))
    return SourceRecord(
        key: "R\(i)", observedAt: at,
        fields: [.name: "Customer \(i)", .phone: "139\(String(format: "%08d", i))", .email: "c\(i)@example.com"],
        interaction: Interaction(kind: .call, key: "call-\(i)", occurredAt: at, summary: "inbound",
                                 details: ["agent": "A\(i % 50)", "duration": String(i % 600)]),
        origin: "bench \(i)")
}

/// Order `i` of customer `i / 2` (every customer orders twice), as the order-feed maps one.
func syntheticOrder(_ i: Int) -> SourceRecord {
    let customer = i / 2
    let at = Date(timeIntervalSince1970: Double(recentStart + i))
    return SourceRecord(
        key: "C\(customer)", observedAt: at,
        fields: [.name: "Customer \(customer)", .phone: "139\(String(format: "%08d", customer))",
                 .email: "c\(customer)@example.com"],
        interaction: Interaction(kind: .order, key: "SO-\(i)", occurredAt: at, summary: "2 items",
                                 status: i % 10 == 0 ? "cancelled" : "paid", amount: Double(i % 500) + 0.5,
                                 currency: "CNY", details: ["items": "[{\"sku\":\"A\(i % 90)\",\"qty\":1}]"]),
        origin: "bench order \(i)")
}

func applySynthetic(store: String, count: Int, batchSize: Int, _ make: (Int) -> SourceRecord) throws {
    let writer = try StoreWriter(path: store, settings: EngineSettings())
    let start = Date()
    var next = 1
    while next <= count {
        let end = min(count, next + batchSize - 1)
        let batch = Batch(source: "bench", items: (next...end).map { .record(make($0)) }, nextCursor: Cursor(String(end)))
        _ = try writer.apply(batch)
        next = end + 1
    }
    let seconds = Date().timeIntervalSince(start)
    print(String(format: "records=%d seconds=%.2f rate=%.0f peak_rss_mb=%.1f", count, seconds, Double(count) / seconds, peakRSSMegabytes()))
}

func peakRSSMegabytes() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
}

switch arguments.dropFirst().first {
case "engine", "orders":
    guard arguments.count >= 4, let count = Int(arguments[3]) else { fatalError("usage: engine|orders STORE COUNT [BATCH]") }
    let batchSize = arguments.count > 4 ? Int(arguments[4]) ?? 1000 : 1000
    try applySynthetic(store: arguments[2], count: count, batchSize: batchSize,
                       arguments[1] == "engine" ? synthetic : syntheticOrder)
case "csv":
    guard arguments.count >= 3, let count = Int(arguments[2]) else { fatalError("usage: csv COUNT") }
    var out = "key,observed_at,name,phone,email,call_key,summary,agent,duration\n"
    for i in 1...count {
        out += "R\(i),\(recentStart + i),Customer \(i),139\(String(format: "%08d", i)),c\(i)@example.com,call-\(i),inbound,A\(i % 50),\(i % 600)\n"
        if out.utf8.count > 1 << 20 { FileHandle.standardOutput.write(Data(out.utf8)); out = "" }
    }
    FileHandle.standardOutput.write(Data(out.utf8))
default:
    FileHandle.standardError.write(Data("usage: custsync-bench engine|orders STORE COUNT [BATCH] | csv COUNT\n".utf8))
    exit(2)
}
