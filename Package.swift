// swift-tools-version:6.0
// synm — a small probabilistic programming language with honest synthetic data.
// No package dependencies: the Swift toolchain only (Foundation, Swift Testing).
// Each target imports only the targets listed in its `dependencies`; CI enforces this
// with `swift build --explicit-target-dependency-import-check error`.
import PackageDescription

let package = Package(
    name: "synm",
    products: [
        .executable(name: "synm", targets: ["synm"]),
        .executable(name: "synm-bench", targets: ["synm-bench"]),
    ],
    targets: [
        // MARK: - Libraries

        .target(name: "SynmDiagnostics"),
        .testTarget(name: "SynmDiagnosticsTests", dependencies: ["SynmDiagnostics"]),

        .target(name: "SynmMath"),
        .testTarget(name: "SynmMathTests", dependencies: ["SynmMath"]),

        .target(name: "SynmIO"),
        .testTarget(name: "SynmIOTests", dependencies: ["SynmIO"]),

        .target(name: "SynmAutodiff", dependencies: ["SynmMath"]),
        .testTarget(name: "SynmAutodiffTests", dependencies: ["SynmAutodiff", "SynmMath"]),

        .target(name: "SynmDistributions", dependencies: ["SynmMath"]),
        .testTarget(name: "SynmDistributionsTests", dependencies: ["SynmDistributions", "SynmMath"]),

        .target(name: "SynmFrontend", dependencies: ["SynmDiagnostics"]),
        .testTarget(name: "SynmFrontendTests", dependencies: ["SynmDiagnostics", "SynmFrontend"]),

        .target(
            name: "SynmDriver",
            dependencies: ["SynmDiagnostics", "SynmFrontend", "SynmIO", "SynmMath"]
        ),
        .testTarget(
            name: "SynmDriverTests",
            dependencies: ["SynmDiagnostics", "SynmDriver", "SynmFrontend"]
        ),

        // MARK: - Executables

        .executableTarget(name: "synm", dependencies: ["SynmDriver"]),
        .executableTarget(name: "synm-bench", dependencies: ["SynmDriver"]),
    ],
    swiftLanguageModes: [.v6]
)
