import Foundation
import Glibc

/// An exec connector named `witness` that prints every line of `witness.ndjson` on each poll,
/// once a second: a test adds a record and watches it land while something else fails.
/// Lines it printed before change nothing when printed again.
struct WitnessConnector {
    static let name = "witness"
    let installation: TestInstallation
    private var file: String { installation.root.file("witness.ndjson") }

    init(in installation: TestInstallation) throws {
        self.installation = installation
        try installation.root.write("witness.ndjson", "")
        let script = installation.root.file("witness.sh")
        try installation.root.write("witness.sh", """
            #!/bin/sh
            cat \(file)
            echo "{\\"type\\":\\"state\\",\\"cursor\\":\\"$(wc -l < \(file))\\"}"

            """)
        chmod(script, 0o755)
        try installation.addConnector(Self.name, """
            [Connector]
            Name=\(Self.name)
            Kind=exec
            Interval=1s
            Backoff=1s
            BackoffMax=2s

            [Exec]
            Command=\(script)
            """)
    }

    /// Appends customer `number` (key W<number>) for the next poll.
    func add(_ number: Int) throws {
        let line = #"{"type":"record","key":"W\#(number)","observed_at":\#(1_700_000_000 + number),"fields":{"name":"Witness \#(number)","email":"w\#(number)@example.com"}}"# + "\n"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(line.utf8))
        try handle.close()
    }

    /// Records applied so far, as `syncctl status` reports them.
    func applied() throws -> Int {
        try installation.connectorStatus(Self.name)?["applied"] as? Int ?? 0
    }
}
