// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "gatelog",
    products: [
        .executable(name: "gatelog", targets: ["gatelog"]),
        .library(name: "GateLogKit", targets: ["GateLogKit"]),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "GateLogKit",
            dependencies: ["CZlib"],
            // Release builds skip the dynamic exclusivity checks (swift_beginAccess on every class-property access
            // in the per-line loops: ~30% of the grouping time). Debug builds and tests keep them.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        .executableTarget(
            name: "gatelog",
            dependencies: ["GateLogKit"]
        ),
        .testTarget(
            name: "GateLogKitTests",
            dependencies: ["GateLogKit"]
        ),
        .testTarget(
            name: "gatelogTests",
            dependencies: ["gatelog", "GateLogKit"],
            exclude: ["Fixtures", "html-check.sh"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
