import Testing
@testable import OutcryFetch
