// The synm executable: a thin shell over SynmDriver.
import Foundation
import SynmDriver

let status = Driver.run(Array(CommandLine.arguments.dropFirst()), console: .standard())
exit(status)
