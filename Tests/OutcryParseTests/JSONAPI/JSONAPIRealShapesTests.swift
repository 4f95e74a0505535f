import Foundation
import OutcryModel
import Testing
@testable import OutcryParse

/// The shapes real API answers take that the first presets got wrong: deleted authors,
/// comment listings without permalinks, image-only posts, escaped titles and error bodies.
@Suite struct JSONAPIRealShapesTests {
    let now = Date(timeIntervalSince1970: 1_795_400_000)

    func parse(_ json: String, preset: String) throws -> JSONAPIParser.Result {
        let mapping = try #require(JSONMapping.preset(preset))
        return try JSONAPIParser.parse(Array(json.utf8), mapping: mapping, sourceName: "s", fetchedAt: now)
    }

    /// A Reddit comment listing (`/user/…/comments.json`, `/api/info`): no permalink, deleted
    /// authors, and `&amp;` in the text of the public JSON.
    static let redditComments = """
    {"kind": "Listing", "data": {"after": null, "children": [
      {"kind": "t1", "data": {"id": "lq1x2y3", "name": "t1_lq1x2y3", "link_id": "t3_1gx9abc", "parent_id": "t3_1gx9abc",
        "author": "[deleted]", "body": "Same here &amp; the refund &lt;still&gt; hasn&#39;t come", "created_utc": 1795390000.0,
        "score": 4, "subreddit": "appliances"}},
      {"kind": "t1", "data": {"id": "lq1x2y4", "name": "t1_lq1x2y4", "link_id": "t3_1gx9abc", "parent_id": "t1_lq1x2y3",
        "author": "[deleted]", "body": "[removed]", "created_utc": 1795390100.0, "score": 1}},
      {"kind": "t1", "data": {"id": "lq1x2y5", "name": "t1_lq1x2y5", "link_id": "t3_1gx9abc", "parent_id": "t3_1gx9abc",
        "author": "kettle_fan", "body": "Mine sparked too", "created_utc": 1795390200.0, "score": 2,
        "permalink": "/r/appliances/comments/1gx9abc/kettle/lq1x2y5/"}}
    ]}}
    """

    @Test func redditDeletedAuthorsAreUnknownNotOneAccount() throws {
        let result = try parse(Self.redditComments, preset: "reddit")
        let deleted = result.mentions.filter { $0.key == "t1_lq1x2y3" || $0.key == "t1_lq1x2y4" }
        #expect(deleted.count == 2)
        for m in deleted {
            #expect(m.authorHandle == nil && m.authorName == nil, "\(m.authorHandle ?? "")")
        }
        #expect(result.mentions.first { $0.key == "t1_lq1x2y5" }?.authorHandle == "u/kettle_fan")
    }

    @Test func redditCommentsWithoutPermalinkGetAURLFromTheirLinkAndId() throws {
        let result = try parse(Self.redditComments, preset: "reddit")
        #expect(result.mentions.first { $0.key == "t1_lq1x2y3" }?.url == "https://www.reddit.com/comments/1gx9abc/_/lq1x2y3/")
        #expect(result.mentions.first { $0.key == "t1_lq1x2y5" }?.url == "https://www.reddit.com/r/appliances/comments/1gx9abc/kettle/lq1x2y5/")
    }

    @Test func redditEscapesAreUndone() throws {
        let result = try parse(Self.redditComments, preset: "reddit")
        #expect(result.mentions.first?.text == "Same here & the refund <still> hasn&#39;t come")
        let listing = """
        {"data": {"children": [{"data": {"name": "t3_a", "id": "a", "title": "Kettle &amp; toaster both broken",
          "selftext": "", "author": "x", "permalink": "/r/a/comments/a/"}}]}}
        """
        #expect(try parse(listing, preset: "reddit").mentions.first?.title == "Kettle & toaster both broken")
    }

    @Test func blueskyImageOnlyPostsAreReadThroughTheirAltText() throws {
        let json = """
        {"posts": [{"uri": "at://did:plc:abc/app.bsky.feed.post/3kxyz", "cid": "bafy",
          "author": {"did": "did:plc:abc", "handle": "mia.bsky.social", "displayName": "Mia"},
          "record": {"$type": "app.bsky.feed.post", "text": "", "createdAt": "2026-11-22T09:00:00.000Z",
            "embed": {"$type": "app.bsky.embed.images", "images": [{"alt": "Kestrel kettle with a scorched, melted base", "image": {}}]}},
          "indexedAt": "2026-11-22T09:00:01.000Z", "likeCount": 3}]}
        """
        let result = try parse(json, preset: "bluesky")
        #expect(result.skipped == 0)
        #expect(result.mentions.first?.text == "Kestrel kettle with a scorched, melted base")
        #expect(result.mentions.first?.url == "https://bsky.app/profile/mia.bsky.social/post/3kxyz")
    }

    @Test(arguments: [
        (#"{"error": "The access token is invalid"}"#, "The access token is invalid"),
        (#"{"message": "Too Many Requests", "error": 429}"#, "Too Many Requests (429)"),
        (#"{"error": "InvalidRequest", "message": "Error: Params must have the property \"q\""}"#, "Params must have the property"),
        (#"{"errors": [{"message": "Rate limit exceeded", "code": 88}]}"#, "Rate limit exceeded"),
    ])
    func anAPIsErrorAnswerIsReportedInItsOwnWords(body: String, expected: String) throws {
        for preset in ["reddit", "mastodon", "bluesky"] {
            do {
                _ = try parse(body, preset: preset)
                Issue.record("\(preset): an error body was read as posts")
            } catch let error as JSONAPIError {
                #expect(error.description.hasPrefix("the API answered with an error: "), "\(error)")
                #expect(error.description.contains(expected), "\(error)")
            }
        }
    }

    @Test func aDocumentWithoutItemsAndWithoutAnErrorStillSaysSo() throws {
        #expect(throws: JSONAPIError.noItems("/posts")) { try parse(#"{"cursor": "x", "hits": 0}"#, preset: "bluesky") }
    }
}
