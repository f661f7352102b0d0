// swift-tools-version: 6.0
// Barometre — paired-profile discrimination testing engine.
// Module graph (one direction only; Sources/README.md says what each module owns):
//   Values ◀── every module below (shared value types: JSONValue, dates, the column table)
//   CGSL, CCbc, CKernels ◀── Stats ◀── Barometer ◀── Reports ◀──┐   (Reports also reads Campaigns: texts, CSV writer)
//   Campaigns ◀── Planning ◀── Ledger ◀── BarometreCLI ◀── barometre (executable)
//                                 Ledger ◀── WebApp ◀── BarometreCLI (`barometre serve`)
import PackageDescription

let package = Package(
    name: "Barometre",
    products: [
        .executable(name: "barometre", targets: ["barometre"]),
        .library(name: "Stats", targets: ["Stats"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // Hummingbird runs on SwiftNIO; the web app uses its thread pool for the ledger's
        // blocking calls (WebApp.swift), so it declares it.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.0.0"),
    ],
    targets: [
        // System-library bridge to GNU GSL. Only `Stats` imports it.
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        // System-library bridge to COIN-OR CBC, the open mixed-integer solver that grades
        // organizations in the report card. Only `Stats` imports it.
        .systemLibrary(
            name: "CCbc",
            pkgConfig: "cbc",
            providers: [.apt(["coinor-libcbc-dev"])]
        ),
        // Vector kernels in C (AVX2, chosen at run time) for the report card's likelihood:
        // Swift cannot ask for those instructions in one function. Only `Stats` imports it.
        .target(name: "CKernels"),
        // Value types every stage shares and none owns: JSON values, calendar dates and clock
        // times, the applications-as-columns table and its interning (no dependencies).
        .target(name: "Values"),
        .target(
            name: "Stats",
            dependencies: ["CGSL", "CCbc", "CKernels", "Values"]
        ),
        // The campaign model, its JSON Schema and validation (knows nothing of storage or statistics).
        .target(
            name: "Campaigns",
            dependencies: [
                "Values",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // Turning a campaign into a randomized, counterbalanced test plan and its documents.
        .target(
            name: "Planning",
            dependencies: [
                "Campaigns", "Stats", "Values",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The field ledger: SQLite through GRDB; outcome events are append-only.
        .target(
            name: "Ledger",
            dependencies: [
                "Campaigns", "Planning", "Values",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for the column reads of large analyses (Ledger+Columns.swift).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // From recorded outcomes to findings: every indicator, comparison and slice (no SQL).
        .target(
            name: "Barometer",
            dependencies: ["Stats", "Values"]
        ),
        // Rendering findings for people: HTML (inline CSS and SVG), Markdown, JSON; FR and EN.
        .target(
            name: "Reports",
            dependencies: ["Barometer", "Stats", "Campaigns", "Values", .product(name: "Mustache", package: "swift-mustache")]
        ),
        // The web app: testers record outcomes, staff follow progress, officials read the
        // published barometer. A thin shell over Ledger (no statistics formulas).
        .target(
            name: "WebApp",
            dependencies: [
                "Ledger", "Campaigns", "Values",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // The command-line surface as a library, so tests can check parsing and output.
        .target(
            name: "BarometreCLI",
            dependencies: [
                "Stats", "Campaigns", "Planning", "Ledger", "Barometer", "Reports", "WebApp", "Values",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "barometre",
            dependencies: ["BarometreCLI"]
        ),
        // libFuzzer targets for the CSV reader, campaign validation and the web form decoder,
        // built with -sanitize=fuzzer by `make fuzz` (bench/fuzz/); a normal build only prints how.
        .executableTarget(
            name: "BarometreFuzz",
            dependencies: ["Campaigns", "Ledger", "WebApp"]
        ),
        .target(
            name: "TestSupport",
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "StatsTests",
            dependencies: ["Stats", "TestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "CampaignsTests",
            dependencies: ["Campaigns", "TestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "PlanningTests",
            dependencies: ["Planning", "Campaigns", "Stats", "Values", "TestSupport"]
        ),
        .testTarget(
            name: "LedgerTests",
            dependencies: ["Ledger", "Planning", "Campaigns", "Values", "TestSupport",
                           .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "BarometerTests",
            dependencies: ["Barometer", "Stats", "Ledger", "Values", "TestSupport"],
            exclude: ["Fixtures/generate-analysis.R", "Fixtures/generate-applicant-slices.R"],
            resources: [.copy("Fixtures/analysis-reference.csv"), .copy("Fixtures/applicant-slices-reference.csv")]
        ),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "Barometer", "Stats", "Campaigns", "Values", "TestSupport"]
        ),
        .testTarget(
            name: "WebAppTests",
            dependencies: [
                "WebApp", "Ledger", "Planning", "Campaigns", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "BarometreCLITests",
            dependencies: ["BarometreCLI", "barometre", "TestSupport"],
            exclude: ["Golden", "Browser"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
