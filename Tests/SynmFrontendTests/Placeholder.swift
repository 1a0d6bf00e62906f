import Testing
@testable import SynmFrontend
