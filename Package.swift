// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "custsync",
    products: [
        .executable(name: "custsyncd", targets: ["custsyncd"]),
        .executable(name: "syncctl", targets: ["syncctl"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "CCurl",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        .target(name: "CLinux"),
        .target(
            name: "CustSyncCore",
            dependencies: ["CSQLite"]
        ),
        .target(
            name: "CustSyncConnectors",
            dependencies: ["CustSyncCore", "CCurl", "CLinux"]
        ),
        .executableTarget(
            name: "custsyncd",
            dependencies: ["CustSyncCore", "CustSyncConnectors", "CLinux"]
        ),
        .executableTarget(
            name: "syncctl",
            dependencies: ["CustSyncCore"]
        ),
        .executableTarget(
            name: "custsync-bench",
            dependencies: ["CustSyncCore"]
        ),
        .executableTarget(
            name: "custsync-eval",
            dependencies: ["CustSyncCore"]
        ),
        .testTarget(
            name: "CustSyncCoreTests",
            dependencies: ["CustSyncCore"]
        ),
        .target(
            name: "CustSyncTestSupport",
            dependencies: ["CustSyncConnectors"],
            path: "Tests/CustSyncTestSupport"
        ),
        .testTarget(
            name: "CustSyncConnectorsTests",
            dependencies: ["CustSyncConnectors", "CustSyncCore", "CustSyncTestSupport"]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["CustSyncCore", "CustSyncTestSupport"]
        ),
    ]
)
