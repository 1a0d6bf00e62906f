import Testing
@testable import SynmDistributions
