import Foundation
import OutcryModel
import Testing
@testable import OutcryParse

@Suite struct JSONAPITests {
    let now = Date(timeIntervalSince1970: 1_795_400_000)

    func parse(_ json: String, preset: String) throws -> JSONAPIParser.Result {
        let mapping = try #require(JSONMapping.preset(preset))
        return try JSONAPIParser.parse(Array(json.utf8), mapping: mapping, sourceName: "s", fetchedAt: now)
    }

    @Test func mastodonTimeline() throws {
        let result = try parse(JSONAPIFixtures.mastodonTimeline, preset: "mastodon")
        #expect(result.mentions.count == 2 && result.skipped == 0)
        let m = result.mentions[0]
        #expect(m.key == "https://mastodon.social/users/lena/statuses/113540123456789012")
        #expect(m.text == ".@KestrelHome charged me twice & still no refund after 5 days\nNot good enough.")
        #expect(m.authorName == "Lena Fischer" && m.authorHandle == "@lena@mastodon.social")
        #expect(m.url == "https://mastodon.social/@lena/113540123456789012")
        #expect(m.reach == Reach(followers: 5400, likes: 40, reposts: 12, replies: 3))
        #expect(m.publishedAt == ISO8601.parse("2026-11-22T10:15:30Z"))
        #expect(m.language == "en" && m.channel == .social && m.inReplyTo == nil)
        // An empty display name falls back to the username; replies keep their parent.
        #expect(result.mentions[1].authorName == "Bob" && result.mentions[1].inReplyTo == "113540123456789012")
    }

    @Test func mastodonSearch() throws {
        let result = try parse(JSONAPIFixtures.mastodonSearch, preset: "mastodon-search")
        #expect(result.mentions.map(\.text) == ["Kestrel kettle is great"])
    }

    @Test func redditListing() throws {
        let result = try parse(JSONAPIFixtures.redditListing, preset: "reddit")
        #expect(result.mentions.count == 2)
        let m = result.mentions[0]
        #expect(m.key == "t3_1gx9abc" && m.title == "Kestrel KX-300 kettle base sparked — fire hazard?")
        #expect(m.text == "Mine sparked this morning. Is there a recall?")
        #expect(m.url == "https://www.reddit.com/r/appliances/comments/1gx9abc/kestrel_kx300_kettle_base_sparked/")
        #expect(m.authorHandle == "u/dan_w" && m.reach.likes == 57 && m.reach.replies == 23)
        #expect(m.publishedAt == Date(timeIntervalSince1970: 1_795_341_720))
        // A link post with no self text is read from its title.
        #expect(result.mentions[1].text == "Kestrel vs Breville?")
    }

    @Test func blueskySearchPosts() throws {
        let result = try parse(JSONAPIFixtures.blueskySearch, preset: "bluesky")
        let m = try #require(result.mentions.first)
        #expect(m.key == "at://did:plc:abc123xyz/app.bsky.feed.post/3lbq2kvxyz22")
        #expect(m.url == "https://bsky.app/profile/Ruth.bsky.social/post/3lbq2kvxyz22")
        #expect(m.authorHandle == "@ruth.bsky.social" && m.authorName == "Ruth Adeyemi")
        #expect(m.reach == Reach(likes: 88, reposts: 31, replies: 4) && m.language == "en")
        #expect(m.publishedAt != nil)
    }

    @Test func hackerNewsAlgolia() throws {
        let result = try parse(JSONAPIFixtures.hackerNews, preset: "hackernews")
        #expect(result.mentions.count == 2)
        #expect(result.mentions[0].text == "Kestrel Connect app leaks home addresses")
        #expect(result.mentions[0].url == "https://news.ycombinator.com/item?id=42230001" && result.mentions[0].reach.likes == 312)
        #expect(result.mentions[1].text == "The API returns the serial & address unauthenticated.\nThat is a data breach.")
        #expect(result.mentions[1].inReplyTo == "42230001" && result.mentions[1].title == "Kestrel Connect app leaks home addresses")
    }

    @Test func aCustomMappingFromOptions() throws {
        let mapping = try JSONMapping.from(options: ["items": "/results", "id": "/id", "text": "/body", "author": "/user/name", "time": "/ts"])
        let json = #"{"results": [{"id": 7, "body": "refund please", "user": {"name": "Kim"}, "ts": 1795400000}, {"body": "no id"}]}"#
        let result = try JSONAPIParser.parse(Array(json.utf8), mapping: mapping, sourceName: "s", fetchedAt: now)
        #expect(result.mentions.count == 1 && result.skipped == 1)
        #expect(result.mentions[0].key == "7" && result.mentions[0].authorName == "Kim")
    }

    @Test(arguments: [
        (["preset": "myspace"], JSONAPIError.unknownPreset("myspace")),
        (["items": "/a", "id": "/id"], JSONAPIError.incompleteMapping),
        (["items": "data", "id": "/id", "text": "/t"], JSONAPIError.badPointer("data")),
    ])
    func badMappingsSayWhatIsWrong(options: [String: String], expected: JSONAPIError) {
        #expect(throws: expected) { try JSONMapping.from(options: options) }
    }

    @Test func badResponsesSayWhatIsWrong() throws {
        let mapping = try #require(JSONMapping.preset("reddit"))
        // The API's own error answer is shown in its words (it read "no list of items" before).
        #expect(throws: JSONAPIError.apiError("429")) {
            try JSONAPIParser.parse(Array(#"{"error": 429}"#.utf8), mapping: mapping, sourceName: "s", fetchedAt: now)
        }
        #expect(throws: JSONAPIError.noItems("/data/children")) {
            try JSONAPIParser.parse(Array(#"{"kind": "Listing", "data": {}}"#.utf8), mapping: mapping, sourceName: "s", fetchedAt: now)
        }
        #expect(throws: (any Error).self) {
            try JSONAPIParser.parse(Array("<html>".utf8), mapping: mapping, sourceName: "s", fetchedAt: now)
        }
        #expect(JSONAPIError.notJSON("x").description.contains("not JSON"))
    }

    @Test func pointersFollowRFC6901() throws {
        let doc: [String: Any] = ["a/b": ["m~n": [10, 20]]]
        #expect(try JSONPointer("/a~1b/m~0n/1").resolve(in: doc) as? Int == 20)
        #expect(try JSONPointer("/a~1b/m~0n/5").resolve(in: doc) == nil)
        #expect(try JSONPointer("").resolve(in: doc) != nil)
    }
}
