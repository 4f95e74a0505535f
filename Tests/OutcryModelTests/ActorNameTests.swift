import OutcryModel
import Testing

/// One actor format everywhere: `SURFACE:NAME`.
@Suite struct ActorNameTests {
    @Test func namesAreMadeOneWayAndReadBack() {
        #expect(ActorName.make(.cli, "ana") == "cli:ana")
        #expect(ActorName.make(.link, "  Ana \t Lee\n") == "link:Ana Lee")
        #expect(ActorName.make(.web, "\u{1B}[31mred\u{7}") == "web:[31mred")
        #expect(ActorName.make(.cli, nil) == "cli:unknown")
        #expect(ActorName.make(.cli, "   ") == "cli:unknown")
        #expect(ActorName.make(.api, String(repeating: "x", count: 100)).count == "api:".count + ActorName.maximumNameLength)
        #expect(ActorName.make(.system, "sync") == "system:sync")
        let parsed = ActorName.parse("link:Ana Lee")
        #expect(parsed?.surface == .link && parsed?.name == "Ana Lee")
        #expect(ActorName.parse("acknowledge link") == nil)
        #expect(ActorName.parse("someone:else") == nil)
    }
}
