// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "Outcry",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "outcry", targets: ["outcry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        // The store on PostgreSQL (`database: postgres://…`), through the same SQLKit statements.
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // The JSON API and the acknowledge links (OutcryWeb); swift-configuration support is not needed.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // The dashboard: bcrypt password hashes (HummingbirdBcrypt) and server-rendered pages (Mustache escapes by default).
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // Operations: the pipeline counts through swift-metrics; the web server exports Prometheus at /metrics.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .target(name: "OutcryModel", swiftSettings: strict),
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .target(
            name: "CLibXML2",
            cSettings: [.unsafeFlags(["-I/usr/include/libxml2"])],
            linkerSettings: [.linkedLibrary("xml2")]
        ),
        .target(
            name: "OutcryFetch",
            dependencies: ["OutcryModel", "CCurl", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // Dynamic exclusivity checks stay on (they cost about 5% of a feed parse): this module
        // reads hostile input, and a memory-safety check is worth more than those 5%.
        .target(name: "OutcryParse", dependencies: ["OutcryModel", "CLibXML2"], swiftSettings: strict),
        .target(name: "OutcryScoring", dependencies: ["OutcryModel"], swiftSettings: strict),
        // Contacts: CRM decoders, normalisers, the index, linking, duplicates and merge. Pure, no I/O.
        .target(name: "OutcryContacts", dependencies: ["OutcryModel"], swiftSettings: strict),
        // SLA clocks, escalation, routing, notification payloads and reports: pure logic, no I/O.
        .target(
            name: "OutcryAlerting",
            dependencies: [
                "OutcryModel", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),  // receivers' own notification templates
            ],
            swiftSettings: strict
        ),
        .target(
            name: "OutcryStore",
            dependencies: [
                "OutcryModel",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),  // keyed suppression hashes (issue 13)
            ],
            swiftSettings: strict
        ),
        .target(
            name: "OutcryPipeline",
            dependencies: [
                "OutcryModel", "OutcryFetch", "OutcryParse", "OutcryScoring", "OutcryContacts", "OutcryStore",
                "OutcryAlerting",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        // The dashboard, the JSON API and the signed acknowledge links, served by `outcry run` (Hummingbird).
        .target(
            name: "OutcryWeb",
            dependencies: [
                "OutcryApp", "OutcryModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "OutcryApp",
            dependencies: [
                "OutcryModel", "OutcryFetch", "OutcryParse", "OutcryScoring", "OutcryContacts", "OutcryStore", "OutcryPipeline",
                "OutcryAlerting",
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "outcry",
            dependencies: [
                "OutcryApp", "OutcryWeb", "OutcryModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // Scorer throughput benchmark: `swift build -c release --product outcry-bench-score`.
        .executableTarget(name: "outcry-bench-score", dependencies: ["OutcryScoring", "OutcryModel"], swiftSettings: strict),
        // Feed parse loop without the CLI, for callgrind instruction counts (scripts/bench_parse.sh uses `outcry parse bench`).
        .executableTarget(name: "outcry-bench-parse", dependencies: ["OutcryParse"], swiftSettings: strict),
        // Parser fuzzing: `scripts/fuzz.sh` builds it with libFuzzer; a plain build replays files.
        .executableTarget(name: "outcry-fuzz", dependencies: ["OutcryParse", "OutcryModel"], swiftSettings: strict),
        // Benchmark of contact import and linking (scripts/bench_contacts.sh).
        .executableTarget(
            name: "outcry-bench-contacts",
            dependencies: ["OutcryModel", "OutcryContacts"],
            swiftSettings: strict
        ),
        // Test support: a real HTTP server on 127.0.0.1 (SwiftNIO) for fetch and end-to-end tests.
        .target(name: "CZlib", path: "Tests/CZlib", linkerSettings: [.linkedLibrary("z")]),
        .target(
            name: "OutcryTestSupport",
            dependencies: [
                "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/OutcryTestSupport",
            swiftSettings: strict
        ),
        .testTarget(name: "OutcryModelTests", dependencies: ["OutcryModel"], swiftSettings: strict),
        .testTarget(name: "OutcryFetchTests", dependencies: ["OutcryFetch", "CCurl", "OutcryTestSupport"], swiftSettings: strict),
        .testTarget(name: "OutcryParseTests", dependencies: ["OutcryParse", "OutcryTestSupport"], swiftSettings: strict),
        .testTarget(name: "OutcryScoringTests", dependencies: ["OutcryScoring"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "OutcryContactsTests", dependencies: ["OutcryContacts"], swiftSettings: strict),
        .testTarget(
            name: "OutcryAlertingTests",
            dependencies: ["OutcryAlerting", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .testTarget(name: "OutcryStoreTests", dependencies: ["OutcryStore", "OutcryTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "OutcryPipelineTests",
            dependencies: ["OutcryPipeline", "OutcryTestSupport", "OutcryAlerting"],
            swiftSettings: strict
        ),
        .testTarget(name: "OutcryAppTests", dependencies: ["OutcryApp", "OutcryTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "OutcryWebTests",
            dependencies: [
                "OutcryWeb", "OutcryApp", "OutcryModel", "OutcryFetch", "OutcryStore", "OutcryPipeline", "OutcryAlerting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
    ]
)
