import Testing
@testable import OutcryParse
