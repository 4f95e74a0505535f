/// Responses shaped as the networks document them (trimmed to the fields that matter).
enum JSONAPIFixtures {
    /// Mastodon `GET /api/v1/timelines/tag/:hashtag` — an array of Status entities.
    static let mastodonTimeline = #"""
    [
      {
        "id": "113540123456789012",
        "created_at": "2026-11-22T10:15:30.000Z",
        "in_reply_to_id": null,
        "in_reply_to_account_id": null,
        "sensitive": false,
        "spoiler_text": "",
        "visibility": "public",
        "language": "en",
        "uri": "https://mastodon.social/users/lena/statuses/113540123456789012",
        "url": "https://mastodon.social/@lena/113540123456789012",
        "replies_count": 3,
        "reblogs_count": 12,
        "favourites_count": 40,
        "content": "<p>.<span class=\"h-card\"><a href=\"https://mastodon.social/@KestrelHome\" class=\"u-url mention\">@<span>KestrelHome</span></a></span> charged me twice &amp; still no refund after 5 days</p><p>Not good enough.</p>",
        "account": {
          "id": "109999",
          "username": "lena",
          "acct": "lena@mastodon.social",
          "display_name": "Lena Fischer",
          "followers_count": 5400,
          "url": "https://mastodon.social/@lena"
        },
        "media_attachments": [],
        "mentions": [],
        "tags": [{"name": "kestrel", "url": "https://mastodon.social/tags/kestrel"}]
      },
      {
        "id": "113540123456789999",
        "created_at": "2026-11-22T11:00:00.000Z",
        "in_reply_to_id": "113540123456789012",
        "language": "en",
        "uri": "https://mastodon.social/users/bob/statuses/113540123456789999",
        "url": "https://mastodon.social/@bob/113540123456789999",
        "replies_count": 0, "reblogs_count": 0, "favourites_count": 1,
        "content": "<p>Same here!</p>",
        "account": {"id": "1", "username": "Bob", "acct": "Bob", "display_name": "", "followers_count": 12}
      }
    ]
    """#

    /// Mastodon `GET /api/v2/search?q=kestrel&type=statuses`.
    static let mastodonSearch = #"""
    {"accounts": [], "hashtags": [], "statuses": [
      {"id": "1", "created_at": "2026-11-22T10:15:30Z", "uri": "https://m.example/users/a/statuses/1", "url": "https://m.example/@a/1",
       "content": "<p>Kestrel kettle is great</p>", "language": "en", "replies_count": 0, "reblogs_count": 0, "favourites_count": 0,
       "account": {"acct": "a", "username": "a", "display_name": "A", "followers_count": 1}}
    ]}
    """#

    /// Reddit listing JSON, e.g. `https://www.reddit.com/r/appliances/search.json?q=kestrel`.
    static let redditListing = #"""
    {
      "kind": "Listing",
      "data": {
        "after": "t3_1gx9abc", "dist": 2, "before": null,
        "children": [
          {"kind": "t3", "data": {
            "id": "1gx9abc", "name": "t3_1gx9abc", "subreddit": "appliances",
            "title": "Kestrel KX-300 kettle base sparked — fire hazard?",
            "selftext": "Mine sparked this morning. Is there a recall?",
            "author": "dan_w", "permalink": "/r/appliances/comments/1gx9abc/kestrel_kx300_kettle_base_sparked/",
            "url": "https://www.reddit.com/r/appliances/comments/1gx9abc/kestrel_kx300_kettle_base_sparked/",
            "created_utc": 1795341720.0, "score": 57, "ups": 57, "num_comments": 23
          }},
          {"kind": "t3", "data": {
            "id": "1gx9xyz", "name": "t3_1gx9xyz", "title": "Kestrel vs Breville?", "selftext": "",
            "author": "sam", "permalink": "/r/appliances/comments/1gx9xyz/kestrel_vs_breville/",
            "created_utc": 1795345320, "score": 2, "num_comments": 4
          }}
        ]
      }
    }
    """#

    /// Bluesky `app.bsky.feed.searchPosts`.
    static let blueskySearch = #"""
    {
      "cursor": "25",
      "hitsTotal": 1,
      "posts": [
        {
          "uri": "at://did:plc:abc123xyz/app.bsky.feed.post/3lbq2kvxyz22",
          "cid": "bafyreib2rxk3rybk",
          "author": {"did": "did:plc:abc123xyz", "handle": "Ruth.bsky.social", "displayName": "Ruth Adeyemi"},
          "record": {
            "$type": "app.bsky.feed.post",
            "createdAt": "2026-11-22T08:30:00.123Z",
            "langs": ["en"],
            "text": "Journalist here: looking into Kestrel KX-300 kettles overheating. Affected? DM me."
          },
          "replyCount": 4, "repostCount": 31, "likeCount": 88, "quoteCount": 2,
          "indexedAt": "2026-11-22T08:30:01.456Z"
        }
      ]
    }
    """#

    /// Hacker News Algolia `GET /api/v1/search_by_date?query=kestrel&tags=(story,comment)`.
    static let hackerNews = #"""
    {
      "hits": [
        {"objectID": "42230001", "author": "pg_fan", "created_at": "2026-11-22T09:00:00Z", "created_at_i": 1795338000,
         "title": "Kestrel Connect app leaks home addresses", "url": "https://example.org/kestrel-leak", "points": 312,
         "num_comments": 140, "story_text": null, "comment_text": null, "_tags": ["story", "author_pg_fan", "story_42230001"]},
        {"objectID": "42230555", "author": "tptacek_fan", "created_at": "2026-11-22T09:30:00Z", "created_at_i": 1795339800,
         "comment_text": "The API returns the serial &amp; address <i>unauthenticated</i>.<p>That is a data breach.",
         "story_title": "Kestrel Connect app leaks home addresses", "parent_id": 42230001, "story_id": 42230001,
         "_tags": ["comment", "author_tptacek_fan", "story_42230001"]}
      ],
      "nbHits": 2, "page": 0, "nbPages": 1, "hitsPerPage": 20
    }
    """#
}
