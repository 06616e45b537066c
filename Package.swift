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
            dependencies: ["CZlib"]
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
