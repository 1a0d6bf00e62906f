import Testing
@testable import SynmRuntime
