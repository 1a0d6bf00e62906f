import Testing
@testable import SynmMath
