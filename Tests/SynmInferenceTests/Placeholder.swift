import Testing
@testable import SynmInference
