// swift-tools-version:6.0
// synm — a small probabilistic programming language that treats synthetic data honestly.
// No package dependencies: the Swift toolchain only (Foundation, Swift Testing).
// Each target imports only the targets listed in its `dependencies`; CI enforces this
// with `swift build --explicit-target-dependency-import-check error`.
import PackageDescription

// SynmGLMKernelsHaswell: the GLM kernels compiled for x86-64 with AVX2 (LLVM's `haswell`), run
// only on processors that have it (docs/PERFORMANCE.md, "The SIMD width"). Elsewhere the
// target compiles for the baseline like the rest.
#if arch(x86_64)
let haswellSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let haswellSettings: [SwiftSetting] = []
#endif

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

        // The fused GLM kernels, twice: for the target's baseline, and (the same files, linked)
        // for x86-64 with AVX2, chosen per process by SynmRuntime's GLMKernelDispatch.
        .target(name: "SynmGLMKernels", exclude: ["README.md"]),
        .target(name: "SynmGLMKernelsHaswell", exclude: ["README.md"], swiftSettings: haswellSettings),

        .target(name: "SynmFrontend", dependencies: ["SynmDiagnostics"], exclude: ["README.md"]),
        .testTarget(name: "SynmFrontendTests", dependencies: ["SynmDiagnostics", "SynmFrontend", "SynmMath"]),

        .target(
            name: "SynmRuntime",
            dependencies: [
                "SynmAutodiff", "SynmDiagnostics", "SynmDistributions", "SynmFrontend", "SynmGLMKernels",
                "SynmGLMKernelsHaswell", "SynmIO", "SynmMath",
            ],
            exclude: ["README.md"]
        ),
        .testTarget(
            name: "SynmRuntimeTests",
            dependencies: [
                "SynmAutodiff", "SynmDiagnostics", "SynmFrontend", "SynmGLMKernels", "SynmGLMKernelsHaswell", "SynmIO",
                "SynmMath", "SynmRuntime", "SynmSynthetic",
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
                "SynmDiagnostics", "SynmDriver", "SynmFrontend", "SynmGLMKernels", "SynmIO", "SynmMath", "SynmRuntime",
                "SynmSynthetic",
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
