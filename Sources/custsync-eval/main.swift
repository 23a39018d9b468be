import Foundation

/// `make eval`: identity-resolution quality on a seeded multi-source population with ground
/// truth (pairwise precision, recall, F1), and the cost of matching against 10k vs 1M
/// customers. Figures are printed (Markdown), never asserted.
///
///   custsync-eval [all|quality|scaling] [--work DIR] [--keep]
///
/// Environment (defaults in brackets):
///   EVAL_PERSONS [20000]        true persons of the quality run (1–4 records each)
///   EVAL_SEED [42]              the generator's seed
///   EVAL_SCALE_SMALL [10000]    customers in the small store of the scaling run
///   EVAL_SCALE_BIG [1000000]    customers in the big store (filling takes most of the time)
///   EVAL_INCOMING [2000]        records of new persons, and as many of known ones
///   EVAL_WARMUP [500]           of those, applied before the timing starts
///   EVAL_FILL [auto]            engine | sql | auto: the engine while it would finish within
///                               EVAL_FILL_BUDGET [120] seconds, SQL inserts for the rest
///   EVAL_MATCH_BUDGET [90]      seconds of timed matching per store (stops after that batch)
///   EVAL_WORK, EVAL_KEEP=1      where the stores go, and keep them; with EVAL_KEEP each filled
///                               store is also kept as scale-N-seedS-incomingI-FILL.filled.db, and later
///                               runs with the same work folder start from a copy of it
let environment = ProcessInfo.processInfo.environment
var arguments = Array(CommandLine.arguments.dropFirst())

func environmentInt(_ name: String, _ fallback: Int) -> Int {
    guard let text = environment[name] else { return fallback }
    guard let value = Int(text.replacingOccurrences(of: "_", with: "")), value >= 0 else {
        FileHandle.standardError.write(Data("custsync-eval: \(name)=\(text) is not a count\n".utf8))
        exit(2)
    }
    return value
}

var mode = "all"
var work = environment["EVAL_WORK"]
var keep = environment["EVAL_KEEP"] == "1"
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    switch argument {
    case "all", "quality", "scaling": mode = argument
    case "--work" where !arguments.isEmpty: work = arguments.removeFirst()
    case "--keep": keep = true
    default:
        FileHandle.standardError.write(Data("usage: custsync-eval [all|quality|scaling] [--work DIR] [--keep]\n".utf8))
        exit(2)
    }
}
guard let fill = FillMode(rawValue: environment["EVAL_FILL"] ?? "auto") else {
    FileHandle.standardError.write(Data("custsync-eval: EVAL_FILL must be auto, engine or sql\n".utf8))
    exit(2)
}
let seed = UInt64(environmentInt("EVAL_SEED", 42))
let ownsWork = work == nil
let workDirectory = work ?? NSTemporaryDirectory() + "custsync-eval-\(getpid())"
do {
    try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true)
    let started = Date()
    if mode == "all" || mode == "quality" {
        let path = (workDirectory as NSString).appendingPathComponent("quality.db")
        removeStore(path)
        try runQuality(QualityOptions(persons: environmentInt("EVAL_PERSONS", 20_000), seed: seed, batchSize: 1000,
                                      storePath: path))
        if !keep { removeStore(path) }
    }
    if mode == "all" || mode == "scaling" {
        let sizes = [environmentInt("EVAL_SCALE_SMALL", 10_000), environmentInt("EVAL_SCALE_BIG", 1_000_000)]
            .filter { $0 > 0 }
        _ = try runScaling(ScalingOptions(sizes: sizes, incoming: environmentInt("EVAL_INCOMING", 2000), fill: fill,
                                          fillBatch: 5000, fillBudget: Double(environmentInt("EVAL_FILL_BUDGET", 120)),
                                          batchSize: 100, warmup: environmentInt("EVAL_WARMUP", 500), matchBudget: Double(environmentInt("EVAL_MATCH_BUDGET", 90)),
                                          seed: seed, work: workDirectory, keep: keep))
    }
    print("eval run time: \(fixed(Date().timeIntervalSince(started), 0)) s")
    if ownsWork && !keep { try? FileManager.default.removeItem(atPath: workDirectory) }
} catch {
    FileHandle.standardError.write(Data("custsync-eval: \(error)\n".utf8))
    exit(1)
}
