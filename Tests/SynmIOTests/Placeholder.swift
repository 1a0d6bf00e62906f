import Testing
@testable import SynmIO
