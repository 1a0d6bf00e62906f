// Shared helpers for the distribution tests: argument generators, finite differences,
// and Monte Carlo summaries.
import SynmMath
import Testing
@testable import SynmDistributions
