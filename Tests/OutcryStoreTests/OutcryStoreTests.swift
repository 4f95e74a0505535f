import Testing
@testable import OutcryStore
