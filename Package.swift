// swift-tools-version: 6.0
// Barometre — paired-profile discrimination testing engine.
// Module graph (one direction only, see ../shared/DESIGN.md):
//   CGSL ◀── Stats ◀── BarometreCLI ◀── barometre (executable)
import PackageDescription

let package = Package(
    name: "Barometre",
    products: [
        .executable(name: "barometre", targets: ["barometre"]),
        .library(name: "Stats", targets: ["Stats"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System-library bridge to GNU GSL. Only `Stats` imports it.
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        .target(
            name: "Stats",
            dependencies: ["CGSL"]
        ),
        // The command-line surface as a library, so tests can check parsing and output.
        .target(
            name: "BarometreCLI",
            dependencies: [
                "Stats",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "barometre",
            dependencies: ["BarometreCLI"]
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
            name: "BarometreCLITests",
            dependencies: ["BarometreCLI", "barometre", "TestSupport"],
            exclude: ["Golden"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
