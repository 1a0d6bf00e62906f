import Testing
@testable import SynmAutodiff
