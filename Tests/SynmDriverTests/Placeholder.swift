import Testing
@testable import SynmDriver
