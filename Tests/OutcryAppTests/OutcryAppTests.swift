import Testing
@testable import OutcryApp
