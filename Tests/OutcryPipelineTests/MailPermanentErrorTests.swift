import Foundation
import OutcryModel
@testable import OutcryPipeline
import OutcryStore
import OutcryTestSupport
import Testing

/// A mailbox that refuses the login needs its configuration fixed: `outcry sources` says so and
/// the mailbox is retried only at the backoff cap.
@Suite(.serialized, .timeLimit(.minutes(2))) struct MailPermanentErrorTests {
    @Test func aRefusedLoginSaysFixTheConfiguration() async throws {
        try await MailRig.with { rig in
            let source = rig.imap("support", ["password": "wrong"])
            try await rig.store.syncSources([source], now: rig.clock.now())
            let state = try await rig.store.pollState("support")
            let outcome = try await rig.poller().poll(source, state: state)
            guard case .failed = outcome else { Issue.record("expected a failure, got \(outcome)"); return }
            let after = try await rig.store.pollState("support")
            #expect(after.needsConfigurationFix, "\(after.lastError ?? "")")
            #expect((after.nextPollAt ?? .distantPast).timeIntervalSince(rig.clock.now()) >= PollerSettings().backoffCap - 1)
        }
    }

    @Test func ageInTheOneDurationSyntax() {
        #expect(MailSince("1d12h") == .age(129_600))
        #expect(MailSince("30d") == .age(2_592_000))
        #expect(MailSince("30") == nil)
    }
}
