import CustSyncConnectors
import CustSyncCore
import Dispatch
import Foundation
import Glibc

/// The running daemon: configuration, the store writer, one runner per connector, the control
/// socket, signals and systemd notifications. Reload and shutdown run on `queue`, one at a time.
final class Daemon: @unchecked Sendable {
    // @unchecked: `configuration`, `logger` and `runners` change only on `queue`; other threads
    // read them through `queue.sync`.
    let configPath: String
    private(set) var configuration: Configuration
    private(set) var logger: Logger
    private var runners: [String: ConnectorRunner] = [:]
    /// Runners stopped by a reload whose poll outlived `StopTimeoutSec=`, by connector: a new
    /// runner of the same name waits for its poll to end (`ConnectorRunner.start(after:)`).
    private var retiring: [String: ConnectorRunner] = [:]
    let writer: StoreWriter
    let notifier = SystemdNotifier()
    let startedAt = Date()
    let queue = DispatchQueue(label: "custsync.daemon")
    let backups = BackupScheduler()
    /// Copies of `configuration` and `logger` for other threads, so that they never wait for
    /// `queue` (which may be busy reloading or stopping).
    private let publishedLock = NSLock()
    private var published: (configuration: Configuration, logger: Logger)
    private var control: ControlServer?
    private var signalSources: [any DispatchSourceSignal] = []
    private var timers: [any DispatchSourceTimer] = []
    private var stopping = false

    init(configPath: String, configuration: Configuration) throws {
        self.configPath = configPath
        self.configuration = configuration
        self.logger = Logger(threshold: configuration.daemon.logLevel)
        self.published = (configuration, Logger(threshold: configuration.daemon.logLevel))
        try FileManager.default.createDirectory(atPath: (configuration.daemon.store as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try StoreFile.checkSound(path: configuration.daemon.store)
        writer = try StoreWriter(path: configuration.daemon.store, settings: EngineSettings(configuration))
    }

    /// Starts everything and reports READY=1; returns once started (work runs on other threads).
    func start() throws {
        control = try ControlServer(path: configuration.daemon.controlSocket) { [self] request, peer, stream in
            ControlHandler(daemon: self).handle(request, peer: peer, stream: stream)
        }
        writer.observeHealth { [self] fault in storeHealthChanged(fault) }
        backups.start(startedAt: startedAt, configuration: { [self] in currentConfiguration }, logger: { [self] in currentLogger })
        queue.sync { startRunners(configuration.connectors) }
        installSignalHandlers()
        startWatchdog()
        startStatusUpdates()
        startClassificationSweeps()
        let keys = (try? writer.perform { $0.keyPresenceLoad }) ?? nil
        logger.notice("daemon.started", [("version", Version.string), ("config", configPath),
                                         ("store", configuration.daemon.store),
                                         ("store_keys", keys?.keys ?? 0),
                                         ("keys_read_seconds", String(format: "%.2f", keys?.seconds ?? 0)),
                                         ("socket", configuration.daemon.controlSocket),
                                         ("connectors", configuration.connectors.count)])
        notifier.notify("READY=1\nSTATUS=\(queue.sync { statusLine() })")
    }

    // MARK: runners

    private func startRunners(_ connectors: [ConnectorConfiguration]) {
        for connectorConfiguration in connectors {
            let connector: any Connector
            do {
                connector = try ConnectorFactory.make(connectorConfiguration, logger: logger)
            } catch {
                logger.error("connector.unavailable", [("connector", connectorConfiguration.name), ("error", error.message)])
                connector = UnavailableConnector(name: connectorConfiguration.name, error: error)
            }
            let runner = ConnectorRunner(configuration: connectorConfiguration, connector: connector,
                                         writer: writer, logger: logger)
            runners[connectorConfiguration.name] = runner
            runner.start(after: retiring[connectorConfiguration.name])
        }
    }

    private func stopRunners(_ names: [String], deadline: Date) {
        let selected = names.compactMap { runners[$0] }
        DispatchQueue.concurrentPerform(iterations: selected.count) { index in
            if !selected[index].stop(until: deadline) {
                logger.warning("connector.stop-timeout", [("connector", selected[index].name)])
            }
        }
        retiring = retiring.filter { !$0.value.isFinished }
        for runner in selected where !runner.isFinished { retiring[runner.name] = runner }
        names.forEach { runners[$0] = nil }
    }

    func runner(named name: String) -> ConnectorRunner? { queue.sync { runners[name] } }

    /// The configuration in force, from any thread.
    var currentConfiguration: Configuration { publishedLock.withLock { published.configuration } }

    /// The logger in force, from any thread.
    var currentLogger: Logger { publishedLock.withLock { published.logger } }

    /// The runtime half of every connector's status (from any thread but `queue`).
    var connectorStatuses: [ConnectorStatus] { queue.sync { statusesOnQueue() } }

    private func statusesOnQueue() -> [ConnectorStatus] {
        dispatchPrecondition(condition: .onQueue(queue))
        return configuration.connectors.map { connector in
            var status = ConnectorStatus(name: connector.name, kind: connector.kind.rawValue, state: RunnerState.disabled.rawValue)
            if let runner = runners[connector.name] {
                let snapshot = runner.snapshot()
                status.state = snapshot.state.rawValue
                status.nextPoll = snapshot.nextPoll
                status.consecutiveFailures = snapshot.failures
                let waiting = runner.waitingFiles
                status.waitingFiles = waiting.isEmpty ? nil : waiting
            }
            return status
        }
    }

    // MARK: reload and stop

    /// Re-reads the configuration; applies it only if it is entirely valid.
    func reload() {
        queue.async { [self] in
            notifier.notify("RELOADING=1")
            logger.notice("config.reloading", [("config", configPath)])
            do throws(ConfigurationErrors) {
                let fresh = try Configuration.load(path: configPath)
                apply(fresh)
                logger.notice("config.reloaded", [("connectors", fresh.connectors.count)])
            } catch {
                for problem in error.errors {
                    logger.error("config.invalid", [("file", problem.file), ("line", problem.line), ("key", problem.key),
                                                    ("error", problem.message)])
                }
                logger.error("config.kept", [("reason", "the new configuration is invalid; the running one stays")])
            }
            notifier.notify("READY=1\nSTATUS=\(statusLine())")
        }
    }

    private func apply(_ loaded: Configuration) {
        // The writer keeps the store it opened and the server the socket it bound, so the
        // configuration in force must keep naming them: status, reads and backups go by it, and
        // a store that does not exist yet (a new StateDirectory=) would fail every request.
        var fresh = loaded
        if fresh.daemon.store != configuration.daemon.store || fresh.daemon.controlSocket != configuration.daemon.controlSocket {
            logger.warning("config.restart-needed", [("store", configuration.daemon.store), ("new_store", fresh.daemon.store),
                                                     ("socket", configuration.daemon.controlSocket),
                                                     ("new_socket", fresh.daemon.controlSocket),
                                                     ("reason", "Store= and ControlSocket= take effect at the next start; until then the daemon uses the ones it opened (restart it to move them)")])
            fresh.daemon.store = configuration.daemon.store
            fresh.daemon.controlSocket = configuration.daemon.controlSocket
        }
        let old = Dictionary(uniqueKeysWithValues: configuration.connectors.map { ($0.name, $0) })
        let new = Dictionary(uniqueKeysWithValues: fresh.connectors.map { ($0.name, $0) })
        let changed = old.keys.filter { new[$0] != old[$0] }
        stopRunners(changed, deadline: Date().addingTimeInterval(fresh.daemon.stopTimeout))
        configuration = fresh
        logger = Logger(threshold: fresh.daemon.logLevel)
        publishedLock.withLock { published = (configuration, logger) }
        writer.update(settings: EngineSettings(fresh))
        startRunners(fresh.connectors.filter { runners[$0.name] == nil })
    }

    /// Stops after the batches in flight have committed, then exits 0.
    func shutdown(reason: String) {
        queue.async { [self] in
            guard !stopping else { return }
            stopping = true
            logger.notice("daemon.stopping", [("reason", reason)])
            notifier.notify("STOPPING=1")
            let deadline = Date().addingTimeInterval(configuration.daemon.stopTimeout)
            backups.stop(until: deadline)
            stopRunners(Array(runners.keys), deadline: deadline)
            // Polls that outlived a reload's stop get the same deadline.
            for runner in retiring.values where !runner.stop(until: deadline) {
                logger.warning("connector.stop-timeout", [("connector", runner.name)])
            }
            control?.close()
            _ = writer.ping(timeout: max(0.1, deadline.timeIntervalSinceNow))
            logger.notice("daemon.stopped", [])
            exit(0)
        }
    }

    // MARK: signals and watchdog

    private func installSignalHandlers() {
        onSignal(SIGTERM) { [self] in shutdown(reason: "SIGTERM") }
        onSignal(SIGINT) { [self] in shutdown(reason: "SIGINT") }
        onSignal(SIGHUP) { [self] in reload() }
        // With CUSTSYNC_TEST_HOOKS=1, SIGUSR2 wedges the store writer so tests can watch the
        // watchdog stop feeding systemd. Never set in production.
        if ProcessInfo.processInfo.environment["CUSTSYNC_TEST_HOOKS"] == "1" {
            onSignal(SIGUSR2) { [self] in
                logger.warning("test-hook.stall-writer", [])
                DispatchQueue.global().async { [writer] in _ = try? writer.perform { _ in while true { sleep(3600) } } }
            }
        }
    }

    private func onSignal(_ number: Int32, _ action: @escaping @Sendable () -> Void) {
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler(handler: action)
        source.resume()
        signalSources.append(source)
    }

    private func startWatchdog() {
        guard let interval = notifier.watchdogInterval else { return }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "custsync.watchdog"))
        timer.schedule(deadline: .now(), repeating: interval / 2)
        timer.setEventHandler { [self] in
            let writerAlive = writer.ping(timeout: interval / 4)
            let schedulerAlive = queue.sync { runners.values.allSatisfy { $0.isMakingProgress(grace: max(interval, 5)) } }
            if writerAlive && schedulerAlive {
                notifier.notify("WATCHDOG=1")
            } else {
                logger.error("watchdog.withheld", [("writer", writerAlive ? "ok" : "stuck"),
                                                    ("scheduler", schedulerAlive ? "ok" : "stuck")])
            }
        }
        timer.resume()
        timers.append(timer)
    }

    /// Stages change with time alone (a customer goes dormant by not calling), so once a day —
    /// and a minute after start — every customer is reclassified, in small transactions so
    /// connectors keep committing in between.
    private func startClassificationSweeps() {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "custsync.sweep"))
        timer.schedule(deadline: .now() + 60, repeating: 86_400)
        timer.setEventHandler { [self] in sweepClassification() }
        timer.resume()
        timers.append(timer)
    }

    func sweepClassification() {
        let started = Date()
        do {
            try writer.perform { try $0.refreshQuintiles() }
            var after: String?
            var batches = 0
            repeat {
                after = try writer.perform { try $0.sweepClassification(after: after, limit: 500) }
                batches += 1
            } while after != nil && !queue.sync(execute: { stopping })
            currentLogger.info("classification.swept", [("batches", batches), ("seconds", String(format: "%.1f", Date().timeIntervalSince(started)))])
        } catch {
            currentLogger.error("classification.sweep-failed", [("error", "\(error)")])
        }
    }

    /// Refreshes systemd's one-line STATUS= (shown by `systemctl status`) every 10 s.
    private func startStatusUpdates() {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + 10, repeating: 10)
        timer.setEventHandler { [self] in notifier.notify("STATUS=\(statusLine())") }
        timer.resume()
        timers.append(timer)
    }

    /// Logs a store fault or recovery and tells systemd at once (on the writer's queue, so it
    /// touches neither the writer nor `queue`).
    private func storeHealthChanged(_ fault: StoreFault?) {
        if let fault {
            currentLogger.error("store.fault", [("kind", fault.kind.rawValue), ("store", fault.store), ("free_bytes", fault.freeBytes),
                                                ("error", fault.detail), ("action", fault.description)])
            notifier.notify("STATUS=ingestion paused: \(fault)")
        } else {
            currentLogger.notice("store.recovered", [("store", currentConfiguration.daemon.store),
                                                     ("action", "ingestion resumes")])
            notifier.notify("STATUS=store writable again; ingestion resumes")
        }
    }

    /// The one-line STATUS= for systemd (on `queue`).
    private func statusLine() -> String {
        if let fault = writer.fault { return "ingestion paused: \(fault)" }
        let statuses = statusesOnQueue()
        let failing = statuses.filter { $0.state == RunnerState.failing.rawValue }.count
        return "\(statuses.count) connectors, \(failing) failing"
    }
}

extension EngineSettings {
    init(_ configuration: Configuration) {
        self.init(defaultRegion: configuration.identity.defaultRegion,
                  emailIgnoreDotsDomains: Set(configuration.identity.emailIgnoreDotsDomains),
                  emailStripPlusTagDomains: Set(configuration.identity.emailStripPlusTagDomains),
                  fieldRules: configuration.fieldRules,
                  codeRule: CustomerCodeRule(configuration.codes),
                  autoMergeScore: configuration.identity.autoMergeScore,
                  reviewScore: configuration.identity.reviewScore)
        classification = ClassificationSettings(lifecycle: configuration.lifecycle, tiers: configuration.tiers,
                                                tagRules: configuration.tagRules)
    }
}
