import Testing
@testable import SynmDiagnostics
