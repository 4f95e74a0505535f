import Testing
@testable import OutcryPipeline
