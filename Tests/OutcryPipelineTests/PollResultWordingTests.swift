import Foundation
import OutcryStore
@testable import OutcryPipeline
import Testing

/// A poll's one-line summary counts in words that agree with the number.
@Suite struct PollResultWordingTests {
    @Test func oneThreadAndOneAlertAreSingular() {
        var result = IngestResult()
        result.inserted = 1
        result.threadsOpened = [7]
        result.alertsQueued = 1
        let one = SourcePollResult(source: "forum", outcome: .stored(result, warning: nil), duration: 0.01).summary
        #expect(one.contains("1 thread opened, 1 alert queued"), "\(one)")
        result.threadsOpened = [7, 8]
        result.alertsQueued = 3
        let more = SourcePollResult(source: "forum", outcome: .stored(result, warning: nil), duration: 0.01).summary
        #expect(more.contains("2 threads opened, 3 alerts queued"), "\(more)")
        #expect(SourcePollResult.count(0, "contact") == "0 contacts")
    }
}
