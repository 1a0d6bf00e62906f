// swift-tools-version:6.0
// synm — a small probabilistic programming language that treats synthetic data honestly.
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

        .target(name: "SynmDiagnostics", exclude: ["README.md"]),
        .testTarget(name: "SynmDiagnosticsTests", dependencies: ["SynmDiagnostics"]),

        .target(name: "SynmMath", exclude: ["README.md"]),
        .testTarget(name: "SynmMathTests", dependencies: ["SynmMath"], exclude: ["Reference"]),

        .target(name: "SynmIO", exclude: ["README.md"]),
        .testTarget(name: "SynmIOTests", dependencies: ["SynmIO"]),

        .target(name: "SynmAutodiff", dependencies: ["SynmMath"], exclude: ["README.md"]),
        .testTarget(name: "SynmAutodiffTests", dependencies: ["SynmAutodiff", "SynmMath"]),

        .target(name: "SynmDistributions", dependencies: ["SynmMath"], exclude: ["README.md"]),
        .testTarget(
            name: "SynmDistributionsTests",
            dependencies: ["SynmDistributions", "SynmMath"],
            exclude: ["Reference"]
        ),

        .target(name: "SynmFrontend", dependencies: ["SynmDiagnostics"], exclude: ["README.md"]),
        .testTarget(name: "SynmFrontendTests", dependencies: ["SynmDiagnostics", "SynmFrontend", "SynmMath"]),

        .target(
            name: "SynmRuntime",
            dependencies: ["SynmAutodiff", "SynmDiagnostics", "SynmDistributions", "SynmFrontend", "SynmIO", "SynmMath"],
            exclude: ["README.md"]
        ),
        .testTarget(
            name: "SynmRuntimeTests",
            dependencies: [
                "SynmAutodiff", "SynmDiagnostics", "SynmFrontend", "SynmIO", "SynmMath", "SynmRuntime", "SynmSynthetic",
            ],
            exclude: ["Reference"]
        ),

        .target(name: "SynmInference", dependencies: ["SynmMath"], exclude: ["README.md", "Diagnostics/README.md"]),
        .testTarget(name: "SynmInferenceTests", dependencies: ["SynmInference", "SynmMath"], exclude: ["Reference"]),

        .target(
            name: "SynmSynthetic",
            dependencies: ["SynmDiagnostics", "SynmFrontend", "SynmIO", "SynmInference", "SynmMath", "SynmRuntime"],
            exclude: ["README.md"]
        ),

        .target(
            name: "SynmDriver",
            dependencies: [
                "SynmDiagnostics", "SynmFrontend", "SynmIO", "SynmInference", "SynmMath", "SynmRuntime", "SynmSynthetic",
            ],
            exclude: ["README.md"]
        ),
        .testTarget(
            name: "SynmDriverTests",
            dependencies: [
                "SynmDiagnostics", "SynmDriver", "SynmFrontend", "SynmIO", "SynmInference", "SynmMath", "SynmRuntime",
                "SynmSynthetic",
            ],
            exclude: ["Golden", "Fixtures/cmdstan-csv", "Fixtures/loo"]
        ),

        // MARK: - Executables

        .executableTarget(name: "synm", dependencies: ["SynmDriver"]),
        .executableTarget(
            name: "synm-bench",
            dependencies: [
                "SynmDiagnostics", "SynmDriver", "SynmFrontend", "SynmIO", "SynmMath", "SynmRuntime", "SynmSynthetic",
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
