import Testing
@testable import OutcryScoring
