import Foundation
import XCTest
import CustSyncCore

final class ConfigurationLoadTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("custsync-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Writes `text` to `root/relative`, creating directories, and returns the full path.
    @discardableResult
    private func write(_ relative: String, _ text: String) throws -> String {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Loads and expects failure; returns the errors.
    private func loadErrors(_ path: String, file: StaticString = #filePath, line: UInt = #line) -> [ConfigError] {
        do {
            let configuration = try Configuration.load(path: path, environment: [:])
            XCTFail("expected errors, loaded \(configuration)", file: file, line: line)
            return []
        } catch {
            return error.errors
        }
    }

    private let crmConnector = """
        [Connector]
        Name=crm
        Kind=exec
        Interval=5min
        Jitter=10s
        Backoff=10s
        BackoffMax=1h

        [Exec]
        Command=./bin/export-crm --since "last run" \\
            --format=json
        WorkingDirectory=work
        Environment=API_URL=https://crm.example/api?a=b
        Environment=TOKEN_FILE=/etc/custsync/crm.token

        [Mapping]
        "Customer Name"=name
        contact.email=email
        手机=phone
        """

    private let shopConnector = """
        [Connector]
        Name=shop
        Kind=order-feed
        Enabled=no

        [Feed]
        URL=https://shop.example/orders
        PageSize=100
        """

    func testFullLoad() throws {
        let main = try write("etc/custsyncd.conf", """
            [Daemon]
            StateDirectory=/srv/custsync
            LogLevel=debug
            BatchSize=500
            StopTimeoutSec=1min 30s

            [Access]
            ReaderGroup=staff

            [Identity]
            DefaultRegion=hk
            EmailIgnoreDotsDomains=gmail.com GoogleMail.com
            EmailStripPlusTagDomains=gmail.com
            EmailStripPlusTagDomains=outlook.com
            AutoMergeScore=0.9
            ReviewScore=0.8

            [Codes]
            Template=C-{region}-{seq:5}{check}

            [Field email]
            Policy=source-priority
            Sources=crm shop
            Guarded=yes

            [Field phone]
            Policy=most-complete
            """)
        try write("etc/connectors.d/10-crm.conf", crmConnector)
        try write("etc/connectors.d/20-shop.conf", shopConnector)
        try write("etc/connectors.d/README.txt", "not a config file = ignored")
        try write("etc/connectors.d/.hidden.conf", "garbage")
        try write("etc/connectors.d/30-old.conf.disabled", "garbage")

        let configuration = try Configuration.load(path: main, environment: [:])
        let etc = root + "/etc"
        XCTAssertEqual(configuration.path, main)
        XCTAssertEqual(configuration.daemon, DaemonSettings(
            stateDirectory: "/srv/custsync", runtimeDirectory: "/run/custsync", spoolDirectory: "/var/spool/custsync",
            connectorsDirectory: etc + "/connectors.d", store: "/srv/custsync/store.db",
            controlSocket: "/run/custsync/control.sock", backupDirectory: "/srv/custsync/backups",
            logLevel: .debug, stopTimeout: 90, batchSize: 500))
        XCTAssertEqual(configuration.access, AccessSettings(readerGroup: "staff"))
        XCTAssertEqual(configuration.identity, IdentitySettings(
            defaultRegion: "HK", emailIgnoreDotsDomains: ["gmail.com", "googlemail.com"],
            emailStripPlusTagDomains: ["gmail.com", "outlook.com"], autoMergeScore: 0.9, reviewScore: 0.8))
        XCTAssertEqual(configuration.codes.template, "C-{region}-{seq:5}{check}")
        XCTAssertEqual(configuration.codes.sequenceWidth, 5)

        XCTAssertEqual(configuration.rule(for: .email), FieldRule(policy: .sourcePriority(["crm", "shop"]), guarded: true))
        XCTAssertEqual(configuration.rule(for: .phone), FieldRule(policy: .mostComplete, guarded: false))
        XCTAssertEqual(configuration.rule(for: .name), FieldRule(policy: .newest, guarded: false))
        XCTAssertEqual(configuration.fieldRules.count, 2)

        XCTAssertEqual(configuration.connectors.map(\.name), ["crm", "shop"])
        let crm = try XCTUnwrap(configuration.connector(named: "crm"))
        XCTAssertEqual(crm.kind, .exec)
        XCTAssertTrue(crm.enabled)
        XCTAssertEqual(crm.interval, 300)
        XCTAssertEqual(crm.jitter, 10)
        XCTAssertEqual(crm.timeout, 300)
        XCTAssertEqual(crm.backoff, 10)
        XCTAssertEqual(crm.backoffMax, 3600)
        XCTAssertEqual(crm.batchSize, 500, "defaults to the daemon's BatchSize")
        XCTAssertEqual(crm.file, etc + "/connectors.d/10-crm.conf")
        XCTAssertEqual(crm.exec, ExecSettings(
            argv: [etc + "/connectors.d/bin/export-crm", "--since", "last run", "--format=json"],
            workingDirectory: etc + "/connectors.d/work",
            environment: ["API_URL": "https://crm.example/api?a=b", "TOKEN_FILE": "/etc/custsync/crm.token"]))
        XCTAssertEqual(crm.mapping.map(\.source), ["Customer Name", "contact.email", "手机"])
        XCTAssertEqual(crm.mapping.map(\.target), ["name", "email", "phone"])
        XCTAssertEqual(crm.mapping.map(\.line), [17, 18, 19])

        let shop = try XCTUnwrap(configuration.connector(named: "shop"))
        XCTAssertEqual(shop.kind, .orderFeed)
        XCTAssertFalse(shop.enabled)
        XCTAssertNil(shop.exec)
        XCTAssertEqual(shop.interval, 60)
        XCTAssertEqual(shop.backoffMax, 900)
        let feed = try XCTUnwrap(shop.section(named: "Feed"))
        XCTAssertEqual(feed.value(for: "URL"), "https://shop.example/orders")
        XCTAssertEqual(feed.value(for: "PageSize"), "100")
        XCTAssertEqual(feed.line, 6)
    }

    func testDefaultsWithoutConnectorsDirectory() throws {
        let main = try write("custsyncd.conf", "# nothing configured\n")
        let configuration = try Configuration.load(path: main, environment: [:])
        XCTAssertEqual(configuration.daemon.stateDirectory, "/var/lib/custsync")
        XCTAssertEqual(configuration.daemon.runtimeDirectory, "/run/custsync")
        XCTAssertEqual(configuration.daemon.spoolDirectory, "/var/spool/custsync")
        XCTAssertEqual(configuration.daemon.connectorsDirectory, root + "/connectors.d")
        XCTAssertEqual(configuration.daemon.store, "/var/lib/custsync/store.db")
        XCTAssertEqual(configuration.daemon.controlSocket, "/run/custsync/control.sock")
        XCTAssertEqual(configuration.daemon.backupDirectory, "/var/lib/custsync/backups")
        XCTAssertEqual(configuration.daemon.logLevel, .info)
        XCTAssertEqual(configuration.daemon.stopTimeout, 4)
        XCTAssertEqual(configuration.daemon.batchSize, 1000)
        XCTAssertEqual(configuration.access, AccessSettings(readerGroup: "custsync-read", operatorGroup: "custsync-operator",
                                                            adminGroup: "custsync-admin"))
        XCTAssertEqual(configuration.identity, IdentitySettings())
        XCTAssertEqual(configuration.identity.defaultRegion, "CN")
        XCTAssertEqual(configuration.identity.autoMergeScore, 0.92)
        XCTAssertEqual(configuration.identity.reviewScore, 0.75)
        XCTAssertEqual(configuration.codes.template, "KH-{seq:7}")
        XCTAssertEqual(configuration.fieldRules, [:])
        XCTAssertEqual(configuration.connectors, [])
        XCTAssertEqual(configuration.rule(for: .address), .default)
    }

    func testSystemdDirectoriesFromEnvironment() throws {
        let main = try write("custsyncd.conf", "[Daemon]\nRuntimeDirectory=/tmp/rt\n")
        let configuration = try Configuration.load(path: main, environment: [
            "STATE_DIRECTORY": "/var/lib/other:/var/lib/second", "RUNTIME_DIRECTORY": "/run/ignored",
        ])
        XCTAssertEqual(configuration.daemon.stateDirectory, "/var/lib/other")
        XCTAssertEqual(configuration.daemon.store, "/var/lib/other/store.db")
        XCTAssertEqual(configuration.daemon.runtimeDirectory, "/tmp/rt", "the file wins over the environment")
    }

    func testLastValueWinsAndEmptyResets() throws {
        let main = try write("custsyncd.conf", """
            [Daemon]
            LogLevel=debug
            LogLevel=
            BatchSize=10
            BatchSize=20
            [Daemon]
            StopTimeoutSec=9s
            [Identity]
            EmailIgnoreDotsDomains=a.com
            EmailIgnoreDotsDomains=
            EmailIgnoreDotsDomains=b.com
            """)
        let configuration = try Configuration.load(path: main, environment: [:])
        XCTAssertEqual(configuration.daemon.logLevel, .info)
        XCTAssertEqual(configuration.daemon.batchSize, 20)
        XCTAssertEqual(configuration.daemon.stopTimeout, 9)
        XCTAssertEqual(configuration.identity.emailIgnoreDotsDomains, ["b.com"])
    }

    func testRelativePathsResolveAgainstTheirOwnFile() throws {
        let main = try write("etc/custsync/custsyncd.conf", """
            [Daemon]
            StateDirectory=../../var/state
            Store=db/store.db
            ConnectorsDirectory=conn
            SpoolDirectory=/abs/spool
            """)
        try write("etc/custsync/conn/a.conf", """
            [Connector]
            Name=a
            Kind=exec
            [Exec]
            Command=scripts/run.sh arg/with/slash
            WorkingDirectory=../work
            """)
        try write("etc/custsync/conn/b.conf", """
            [Connector]
            Name=b
            Kind=exec
            [Exec]
            Command=python3 -m exporter
            WorkingDirectory=/srv/b
            """)
        let configuration = try Configuration.load(path: main, environment: [:])
        XCTAssertEqual(configuration.daemon.stateDirectory, root + "/var/state")
        XCTAssertEqual(configuration.daemon.store, root + "/etc/custsync/db/store.db", "relative to the main file, not StateDirectory")
        XCTAssertEqual(configuration.daemon.backupDirectory, root + "/var/state/backups")
        XCTAssertEqual(configuration.daemon.connectorsDirectory, root + "/etc/custsync/conn")
        XCTAssertEqual(configuration.daemon.spoolDirectory, "/abs/spool")
        let a = try XCTUnwrap(configuration.connector(named: "a")?.exec)
        XCTAssertEqual(a.argv, [root + "/etc/custsync/conn/scripts/run.sh", "arg/with/slash"])
        XCTAssertEqual(a.workingDirectory, root + "/etc/custsync/work")
        let b = try XCTUnwrap(configuration.connector(named: "b")?.exec)
        XCTAssertEqual(b.argv, ["python3", "-m", "exporter"], "a bare program name is left for PATH lookup")
        XCTAssertEqual(b.workingDirectory, "/srv/b")
    }

    func testUnknownKeyNamesFileLineAndKey() throws {
        let main = try write("custsyncd.conf", """
            [Daemon]
            LogLevel=info

            Intervall=5s
            """)
        let errors = loadErrors(main)
        XCTAssertEqual(errors.count, 1)
        let error = try XCTUnwrap(errors.first)
        XCTAssertEqual(error.file, main)
        XCTAssertEqual(error.line, 4)
        XCTAssertEqual(error.key, "Intervall")
        XCTAssertTrue(error.message.hasPrefix("unknown key in [Daemon] (valid keys: StateDirectory, RuntimeDirectory"), error.message)
        XCTAssertTrue(error.description.hasPrefix("\(main):4: Intervall: unknown key in [Daemon]"), error.description)
    }

    func testUnknownKeyInConnectorSuggestsSpelling() throws {
        let main = try write("custsyncd.conf", "")
        try write("connectors.d/crm.conf", "[Connector]\nName=crm\nKind=imap\nIntervall=5min\n\n[IMAP]\nServer=imaps://mail.example.com\nCredential=mail\n")
        let errors = loadErrors(main)
        XCTAssertEqual(errors.map(\.file), [root + "/connectors.d/crm.conf"])
        XCTAssertEqual(errors.map(\.line), [4])
        XCTAssertEqual(errors.map(\.key), ["Intervall"])
        XCTAssertTrue(errors[0].message.contains("did you mean Interval?"), errors[0].message)
    }

    func testInvalidDurationMessage() throws {
        let main = try write("custsyncd.conf", "")
        try write("connectors.d/crm.conf", "[Connector]\nName=crm\nKind=csv-drop\nInterval=5 parsecs\n[Mapping]\nphone=phone\n")
        let errors = loadErrors(main)
        XCTAssertEqual(errors.map(\.description),
                       ["\(root)/connectors.d/crm.conf:4: Interval: \"5 parsecs\" is not a duration (use e.g. 30s, 5min, 1h)"])
    }

    /// Tests/Fuzz/regressions/ini: a 30-digit Backoff= was read as 1e30 s and
    /// the BackoffMax= message trapped formatting it.
    func testOverlongDurationIsAnError() throws {
        let main = try write("custsyncd.conf", "")
        let digits = String(repeating: "9", count: 30)
        try write("connectors.d/crm.conf", "[Connector]\nName=crm\nKind=exec\nBackoff=\(digits)\nBackoffMax=1\n[Exec]\nCommand=/bin/true\n")
        let errors = loadErrors(main)
        XCTAssertEqual(errors.map(\.description), [
            "\(root)/connectors.d/crm.conf:4: Backoff: \"\(digits)\" is too long: a duration is at most 3650d (ten years; use e.g. 1d or 1w)",
            "\(root)/connectors.d/crm.conf:5: BackoffMax: BackoffMax 1s is shorter than Backoff 5s (BackoffMax is the longest delay between retries: make it at least Backoff)",
        ])
    }

    func testDuplicateConnectorName() throws {
        let main = try write("custsyncd.conf", "")
        try write("connectors.d/10-crm.conf", "[Connector]\nName=crm\nKind=imap\n\n[IMAP]\nServer=imaps://mail.example.com\nCredential=mail\n")
        try write("connectors.d/20-crm-again.conf", "# copy\n[Connector]\nKind=imap\nName=crm\n\n[IMAP]\nServer=imaps://mail.example.com\nCredential=mail\n")
        let errors = loadErrors(main)
        XCTAssertEqual(errors.count, 1)
        let error = try XCTUnwrap(errors.first)
        XCTAssertEqual(error.file, root + "/connectors.d/20-crm-again.conf")
        XCTAssertEqual(error.line, 4)
        XCTAssertEqual(error.key, "Name")
        XCTAssertTrue(error.message.contains("\(root)/connectors.d/10-crm.conf:2"), error.message)
        XCTAssertTrue(error.message.contains("rename"), error.message)
    }

    /// What in connectors.d is a connector file. A `*.conf` name that cannot be read must be an
    /// error naming it: ignoring it would drop (and at a reload stop) its connector silently.
    func testConnectorsDirectoryEntries() throws {
        enum Entry { case file(String), symlink(to: String), directory, fifo }
        let crm = "[Connector]\nName=crm\nKind=exec\n[Exec]\nCommand=/bin/true\n"
        let cases: [(name: String, entry: Entry, connectors: [String]?, error: String?)] = [
            ("crm.conf", .file(crm), ["crm"], nil),
            ("crm.conf~", .file("garbage"), [], nil),
            (".crm.conf.swp", .file("garbage"), [], nil),
            ("crm.conf.dpkg-old", .file("garbage"), [], nil),
            ("crm.conf.d", .directory, [], nil),
            ("crm.conf", .symlink(to: "../shared/crm.conf"), ["crm"], nil),
            ("crm.conf", .symlink(to: "/nonexistent/crm.conf"), nil,
             "is a symbolic link to /nonexistent/crm.conf, which does not exist (fix the link, or remove it)"),
            ("crm.conf", .fifo, nil, "is a FIFO, not a regular file (configuration is read from regular files only)"),
        ]
        for (index, test) in cases.enumerated() {
            let directory = "t\(index)"
            let main = try write("\(directory)/custsyncd.conf", "")
            try write("\(directory)/shared/crm.conf", crm)
            let path = "\(root)/\(directory)/connectors.d/\(test.name)"
            try FileManager.default.createDirectory(atPath: "\(root)/\(directory)/connectors.d", withIntermediateDirectories: true)
            switch test.entry {
            case .file(let text): try write("\(directory)/connectors.d/\(test.name)", text)
            case .symlink(let target): try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
            case .directory: try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            case .fifo: XCTAssertEqual(mkfifo(path, 0o644), 0)
            }
            do {
                let configuration = try Configuration.load(path: main, environment: [:])
                XCTAssertEqual(configuration.connectors.map(\.name), test.connectors, "\(test.name) (case \(index))")
                XCTAssertNil(test.error, "\(test.name) (case \(index))")
            } catch {
                XCTAssertEqual(error.errors, test.error.map { [ConfigError(file: path, message: $0)] } ?? [],
                               "\(test.name) (case \(index))")
            }
        }
    }

    func testReviewScoreAboveAutoMergeScore() throws {
        let main = try write("custsyncd.conf", "[Identity]\nAutoMergeScore=0.8\nReviewScore=0.85\n")
        let errors = loadErrors(main)
        XCTAssertEqual(errors.map(\.line), [3])
        XCTAssertEqual(errors.map(\.key), ["ReviewScore"])
        XCTAssertTrue(errors[0].message.contains("0.85 is above AutoMergeScore 0.8"), errors[0].message)

        // Against the default AutoMergeScore (0.92).
        try write("custsyncd.conf", "[Identity]\nReviewScore=0.95\n")
        XCTAssertEqual(loadErrors(main).map(\.key), ["ReviewScore"])
        // Equal is fine.
        try write("custsyncd.conf", "[Identity]\nReviewScore=0.9\nAutoMergeScore=0.9\n")
        XCTAssertNoThrow(try Configuration.load(path: main, environment: [:]))
    }

    func testSourcesMustNameConfiguredConnectors() throws {
        let main = try write("custsyncd.conf", """
            [Field email]
            Policy=source-priority
            Sources=crm
            Sources=shopp
            """)
        try write("connectors.d/crm.conf", "[Connector]\nName=crm\nKind=exec\n[Exec]\nCommand=/bin/true\n")
        try write("connectors.d/shop.conf", "[Connector]\nName=shop\nKind=exec\n[Exec]\nCommand=/bin/true\n")
        let errors = loadErrors(main)
        XCTAssertEqual(errors.count, 1)
        XCTAssertEqual(errors.first?.line, 4)
        XCTAssertEqual(errors.first?.key, "Sources")
        XCTAssertTrue(errors.first?.message.hasPrefix("unknown connector \"shopp\" (configured connectors: crm, shop; did you mean shop?") == true,
                      errors.first?.message ?? "")
    }

    func testFieldSectionErrors() throws {
        let main = try write("custsyncd.conf", """
            [Field emial]
            Policy=newest
            [Field]
            Policy=newest
            [Field phone]
            Policy=source-priority
            [Field name]
            Policy=newest
            Sources=crm
            [Field company]
            Policy=sometimes
            Guarded=perhaps
            """)
        let errors = loadErrors(main)
        XCTAssertEqual(errors.map(\.line), [1, 3, 6, 9, 11, 12])
        XCTAssertEqual(errors.map(\.key), [nil, nil, "Policy", "Sources", "Policy", "Guarded"])
        XCTAssertTrue(errors[0].message.contains("valid fields: name, email, phone, address, company, region, customer_type"), errors[0].message)
        XCTAssertTrue(errors[0].message.contains("did you mean [Field email]?"), errors[0].message)
        XCTAssertTrue(errors[1].message.contains("needs a field name"), errors[1].message)
        XCTAssertTrue(errors[2].message.contains("needs Sources="), errors[2].message)
        XCTAssertTrue(errors[3].message.contains("only used with Policy=source-priority"), errors[3].message)
    }

    func testUnknownSectionsAndArguments() throws {
        let main = try write("custsyncd.conf", """
            [Lifecycle]
            ChurnAfter=90d
            [Tag price-sensitive]
            [Daemon extra]
            [Deamon]
            [Loyalty]
            """)
        let errors = loadErrors(main)
        XCTAssertEqual(errors.map(\.line), [2, 3, 4, 5, 6])
        XCTAssertTrue(errors[0].message.hasPrefix("unknown key in [Lifecycle]"), errors[0].message)
        XCTAssertTrue(errors[1].message.contains("[Tag price-sensitive] needs at least one Condition="), errors[1].message)
        XCTAssertTrue(errors[2].message.contains("takes no argument"), errors[2].message)
        XCTAssertTrue(errors[3].message.contains("did you mean [Daemon]?"), errors[3].message)
        XCTAssertTrue(errors[4].message.hasPrefix("unknown section [Loyalty] (valid sections: [Daemon], [Access], [Identity], [Codes]"), errors[4].message)
        XCTAssertTrue(errors[4].message.contains("[Lifecycle], [Tiers], [Tag NAME]"), errors[4].message)
    }

    func testClassificationSections() throws {
        let main = try write("custsyncd.conf", """
            [Lifecycle]
            DormantDays=200
            ChurnedDays=100
            [Tiers]
            Tiers=vip:5 regular:9
            RecencyDays=30 20 10 5
            [Tag big]
            Condition=spend > 10
            """)
        let errors = loadErrors(main)
        XCTAssertEqual(errors.map(\.key), ["ChurnedDays", "Tiers", "RecencyDays", "Condition"])
        XCTAssertTrue(errors[3].message.contains("unknown metric \"spend\""), errors[3].message)
        try write("custsyncd.conf", "[Tag big]\nCondition=total_spent >= 5000\nCondition=region = 北京\n[Tiers]\nScoring=thresholds\n")
        let configuration = try Configuration.load(path: main, environment: [:])
        XCTAssertEqual(configuration.tagRules.first?.conditions.map(\.description), ["total_spent >= 5000", "region = 北京"])
        XCTAssertEqual(configuration.tiers.scoring, .thresholds)
    }

    func testConnectorStructureErrors() throws {
        let main = try write("custsyncd.conf", "")
        try write("connectors.d/a.conf", "[Mapping]\nx=name\n")
        try write("connectors.d/b.conf", "[Connector]\nEnabled=yes\n")
        try write("connectors.d/c.conf", "[Connector]\nName=c\nKind=exec\n")
        try write("connectors.d/d.conf", "[Connector]\nName=d\nKind=csv-drop\n[Exec]\nCommand=x\n[Weird]\n[Mapping]\nphone=phone\n")
        try write("connectors.d/e.conf", "[Connector]\nName=E!\nKind=ftp\nBackoff=10min\nBackoffMax=1min\nBatchSize=0\n")
        try write("connectors.d/f.conf", "[Connector]\nName=f\nKind=exec\n[Exec]\nWorkingDirectory=x\nEnvironment=1BAD=x\nEnvironment=novalue\n")
        let errors = loadErrors(main)
        let summary = errors.map { "\(($0.file as NSString).lastPathComponent):\($0.line.map(String.init) ?? "-"):\($0.key ?? "-")" }
        XCTAssertEqual(summary, [
            "a.conf:-:-",
            "b.conf:1:Name", "b.conf:1:Kind",
            "c.conf:1:Kind",
            "d.conf:4:-", "d.conf:6:-",
            "e.conf:2:Name", "e.conf:3:Kind", "e.conf:5:BackoffMax", "e.conf:6:BatchSize",
            "f.conf:4:Command", "f.conf:6:Environment", "f.conf:7:Environment",
        ])
        XCTAssertTrue(errors[0].message.contains("has no [Connector] section"), errors[0].message)
        XCTAssertTrue(errors[3].message.contains("needs an [Exec] section"), errors[3].message)
        XCTAssertTrue(errors[4].message.contains("only for Kind=exec"), errors[4].message)
        XCTAssertTrue(errors[7].message.contains("use one of exec, csv-drop, order-feed, imap"), errors[7].message)
        XCTAssertTrue(errors[8].message.contains("BackoffMax 1min is shorter than Backoff 10min"), errors[8].message)
    }

    func testAllErrorsAcrossFilesInOrder() throws {
        let main = try write("custsyncd.conf", """
            [Daemon]
            BatchSize=lots
            LogLevel=verbose
            not a setting
            [Codes]
            Template=KH-{id}
            """)
        try write("connectors.d/1.conf", "[Connector]\nName=one\nKind=imap\nEnabled=maybe\n\n[IMAP]\nServer=imaps://mail.example.com\nCredential=mail\n")
        try write("connectors.d/2.conf", "[Connector]\nName=two\nKind=imap\nTimeout=0\n\n[IMAP]\nServer=imaps://mail.example.com\nCredential=mail\n")
        do {
            _ = try Configuration.load(path: main, environment: [:])
            XCTFail("expected errors")
        } catch {
            XCTAssertEqual(error.errors.map(\.line), [2, 3, 4, 6, 4, 4])
            XCTAssertEqual(error.errors.map(\.key), ["BatchSize", "LogLevel", nil, "Template", "Enabled", "Timeout"])
            let lines = error.description.split(separator: "\n")
            XCTAssertEqual(lines.count, 6)
            XCTAssertEqual(String(lines[0]), "\(main):2: BatchSize: \"lots\" is not a whole number (use a whole number from 1 to 100000)")
            XCTAssertEqual(String(lines[1]), "\(main):3: LogLevel: \"verbose\" is not a log level (use one of debug, info, notice, warning, err)")
            XCTAssertTrue(lines[3].contains("unknown placeholder {id}"))
            XCTAssertTrue(lines[5].hasSuffix("Timeout: must be longer than 0 (use e.g. 5min)"), String(lines[5]))
        }
    }

    func testMissingMainFileAndBadConnectorsDirectory() throws {
        let errors = loadErrors(root + "/nope.conf")
        XCTAssertEqual(errors, [ConfigError(file: root + "/nope.conf", message: "file not found (check the path, or create the file)")])

        try write("notadir", "x")
        let main = try write("custsyncd.conf", "[Daemon]\nConnectorsDirectory=notadir\n")
        let second = loadErrors(main)
        XCTAssertEqual(second.map(\.line), [2])
        XCTAssertEqual(second.map(\.key), ["ConnectorsDirectory"])
    }

    func testControlSocketPathLength() throws {
        let long = "/run/" + String(repeating: "x", count: 120)
        let main = try write("custsyncd.conf", "[Daemon]\nRuntimeDirectory=\(long)\n")
        let errors = loadErrors(main)
        XCTAssertEqual(errors.map(\.key), ["RuntimeDirectory"])
        XCTAssertEqual(errors.map(\.line), [2])
    }
}
