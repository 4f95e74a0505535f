/// Synthetic feeds shaped like those that common generators emit (WordPress, Blogger, Ghost,
/// Substack, Medium, Mastodon, GitHub, YouTube, Reddit, Discourse, Micro.blog, a podcast host),
/// for the parse benchmark (`outcry-bench-parse shapes`) and the fast-path differential tests.
///
/// Each shape reproduces its generator's structure — root attributes, namespaces, channel or
/// feed metadata, the elements of an item and how they are escaped (CDATA, entity-escaped
/// HTML, `type="html"`) — with made-up text from a fixed seed: no real feed is copied.
///
/// ```swift
/// let doc = FeedShapes.make(.wordpress, bytes: 200_000)   // ~200 kB of WordPress-shaped RSS
/// ```
public enum FeedShapes {
    public enum Shape: String, CaseIterable, Sendable {
        case wordpress, blogger, ghost, substack, medium, mastodon, github, youtube, reddit, discourse, microblog, podcast
    }

    /// A document of `shape` of about `bytes` bytes (at least `minItems` items).
    public static func make(_ shape: Shape, bytes: Int, minItems: Int = 3) -> [UInt8] {
        var g = Generator(seed: 0x5EED_0000 &+ UInt64(Shape.allCases.firstIndex(of: shape)!))
        var body = ""
        var i = 0
        let (head, tail) = frame(shape)
        while body.utf8.count + head.utf8.count < bytes || i < minItems {
            body += item(shape, i, &g)
            i += 1
        }
        return Array((head + body + tail).utf8)
    }

    // MARK: - Text

    struct Generator {
        var state: UInt64
        init(seed: UInt64) { state = seed }

        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }

        static let words = ("service outage refund broken app login support slow awful great thanks love hate waiting "
            + "order delivery late account charged twice cancel subscription help urgent please fix today "
            + "customer phone email again still nobody answers weekend update crash battery screen release "
            + "version feature bug report team product launch review pricing plan store café naïve déjà").split(separator: " ").map(String.init)

        mutating func words(_ lo: Int, _ hi: Int) -> String {
            let n = lo + next(hi - lo + 1)
            var out: [String] = []
            for k in 0..<n { out.append(Generator.words[next(Generator.words.count)] + (k > 0 && next(9) == 0 ? "," : "")) }
            return out.joined(separator: " ")
        }

        mutating func sentence() -> String {
            let s = words(6, 18)
            return s.prefix(1).uppercased() + s.dropFirst() + (next(7) == 0 ? "?" : ".")
        }

        mutating func title() -> String {
            let s = words(3, 9)
            return s.prefix(1).uppercased() + s.dropFirst()
        }

        mutating func paragraph(_ i: Int, host: String) -> String {
            var p = ""
            for k in 0..<(1 + next(4)) {
                if k > 0 { p += " " }
                p += sentence()
                switch next(6) {
                case 0: p += " See <a href=\"https://\(host)/\(i)/\(k)\">the \(words(1, 3))</a>."
                case 1: p += " It&#8217;s <strong>\(words(1, 2))</strong> &amp; <em>\(words(1, 2))</em>."
                default: break
                }
            }
            return "<p>\(p)</p>"
        }
    }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count + s.utf8.count / 8)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func rfc822(_ i: Int) -> String {
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let d = 1 + (i * 7) % 28
        return "\(days[d % 7]), \(d < 10 ? "0" : "")\(d) Mar 2025 \(two(i % 24)):\(two((i * 13) % 60)):\(two((i * 7) % 60)) +0000"
    }

    static func iso(_ i: Int, zone: String = "Z") -> String {
        "2025-\(two(1 + i % 12))-\(two(1 + (i * 5) % 28))T\(two(i % 24)):\(two((i * 13) % 60)):\(two((i * 7) % 60))\(zone)"
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    // MARK: - Documents

    static let xmlDecl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

    static func frame(_ shape: Shape) -> (String, String) {
        let rssTail = "</channel>\n</rss>\n"
        switch shape {
        case .wordpress:
            return (xmlDecl + """
                <rss version="2.0"
                \txmlns:content="http://purl.org/rss/1.0/modules/content/"
                \txmlns:wfw="http://wellformedweb.org/CommentAPI/"
                \txmlns:dc="http://purl.org/dc/elements/1.1/"
                \txmlns:atom="http://www.w3.org/2005/Atom"
                \txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
                \txmlns:slash="http://purl.org/rss/1.0/modules/slash/"
                \t>

                <channel>
                \t<title>Example Widgets Blog</title>
                \t<atom:link href="https://blog.example.com/feed/" rel="self" type="application/rss+xml" />
                \t<link>https://blog.example.com</link>
                \t<description>News from the widget team</description>
                \t<lastBuildDate>Mon, 03 Mar 2025 10:00:00 +0000</lastBuildDate>
                \t<language>en-US</language>
                \t<sy:updatePeriod>
                \thourly\t</sy:updatePeriod>
                \t<sy:updateFrequency>
                \t1\t</sy:updateFrequency>
                \t<generator>https://wordpress.org/?v=6.7.1</generator>

                <image>
                \t<url>https://blog.example.com/wp-content/uploads/2024/01/icon-32x32.png</url>
                \t<title>Example Widgets Blog</title>
                \t<link>https://blog.example.com</link>
                \t<width>32</width>
                \t<height>32</height>
                </image> \n
                """, rssTail)
        case .blogger:
            return (xmlDecl + "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' "
                + "xmlns:blogger='http://schemas.google.com/blogger/2008' xmlns:georss='http://www.georss.org/georss' "
                + "xmlns:gd=\"http://schemas.google.com/g/2005\" xmlns:thr='http://purl.org/syndication/thread/1.0'>"
                + "<id>tag:blogger.com,1999:blog-1234567890</id><updated>2025-03-03T10:00:00.000-08:00</updated>"
                + "<category term=\"news\"/><category term=\"widgets\"/><title type='text'>Widget Notes</title>"
                + "<subtitle type='html'>Notes &amp;amp; news</subtitle>"
                + "<link rel='http://schemas.google.com/g/2005#feed' type='application/atom+xml' href='https://widgets.example.blogspot.com/feeds/posts/default'/>"
                + "<link rel='self' type='application/atom+xml' href='https://www.blogger.com/feeds/1234567890/posts/default'/>"
                + "<link rel='alternate' type='text/html' href='https://widgets.example.blogspot.com/'/>"
                + "<link rel='hub' href='http://pubsubhubbub.appspot.com/'/>"
                + "<author><name>Jo Writer</name><uri>http://www.blogger.com/profile/0987</uri><email>noreply@blogger.com</email>"
                + "<gd:image rel='http://schemas.google.com/g/2005#thumbnail' width='16' height='16' src='https://img1.blogblog.com/img/b16-rounded.gif'/></author>"
                + "<generator version='7.00' uri='http://www.blogger.com'>Blogger</generator>"
                + "<openSearch:totalResults>120</openSearch:totalResults><openSearch:startIndex>1</openSearch:startIndex>"
                + "<openSearch:itemsPerPage>25</openSearch:itemsPerPage>", "</feed>")
        case .ghost:
            return (xmlDecl + "<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
                + "xmlns:atom=\"http://www.w3.org/2005/Atom\" version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\"><channel>"
                + "<title><![CDATA[Widget Weekly]]></title><description><![CDATA[Thoughts on widgets]]></description>"
                + "<link>https://weekly.example.com/</link><image><url>https://weekly.example.com/favicon.png</url>"
                + "<title>Widget Weekly</title><link>https://weekly.example.com/</link></image>"
                + "<generator>Ghost 5.105</generator><lastBuildDate>Mon, 03 Mar 2025 10:00:00 GMT</lastBuildDate>"
                + "<atom:link href=\"https://weekly.example.com/rss/\" rel=\"self\" type=\"application/rss+xml\"/><ttl>60</ttl>", "</channel></rss>")
        case .substack:
            return (xmlDecl + "<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
                + "xmlns:atom=\"http://www.w3.org/2005/Atom\" version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" "
                + "xmlns:googleplay=\"http://www.google.com/schemas/play-podcasts/1.0\"><channel>"
                + "<title><![CDATA[The Widget Letter]]></title><description><![CDATA[A newsletter about widgets]]></description>"
                + "<link>https://widgetletter.substack.com</link><image><url>https://substackcdn.com/image/fetch/w_256/icon.png</url>"
                + "<title>The Widget Letter</title><link>https://widgetletter.substack.com</link></image>"
                + "<generator>Substack</generator><lastBuildDate>Mon, 03 Mar 2025 10:00:00 GMT</lastBuildDate>"
                + "<atom:link href=\"https://widgetletter.substack.com/feed\" rel=\"self\" type=\"application/rss+xml\"/>"
                + "<copyright><![CDATA[Widget Media]]></copyright><language><![CDATA[en]]></language>"
                + "<webMaster><![CDATA[widgetletter@substack.com]]></webMaster>"
                + "<itunes:owner><itunes:email><![CDATA[widgetletter@substack.com]]></itunes:email><itunes:name><![CDATA[Widget Media]]></itunes:name></itunes:owner>"
                + "<itunes:author><![CDATA[Widget Media]]></itunes:author><googleplay:owner><![CDATA[widgetletter@substack.com]]></googleplay:owner>"
                + "<googleplay:email><![CDATA[widgetletter@substack.com]]></googleplay:email><googleplay:author><![CDATA[Widget Media]]></googleplay:author>",
                "</channel></rss>")
        case .medium:
            return (xmlDecl + "<rss xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" "
                + "xmlns:atom=\"http://www.w3.org/2005/Atom\" version=\"2.0\" xmlns:cc=\"http://cyber.law.harvard.edu/rss/creativeCommonsRssModule.html\">"
                + "<channel><title><![CDATA[Widget Engineering - Medium]]></title><description><![CDATA[Stories from the widget team - Medium]]></description>"
                + "<link>https://medium.com/widget-eng?source=rss----abc123---4</link><image><url>https://cdn-images-1.medium.com/proxy/1*TGH72Nnw24QL3iV9IOm4VA.png</url>"
                + "<title>Widget Engineering - Medium</title><link>https://medium.com/widget-eng?source=rss----abc123---4</link></image>"
                + "<generator>Medium</generator><lastBuildDate>Mon, 03 Mar 2025 10:00:00 GMT</lastBuildDate>"
                + "<atom:link href=\"https://medium.com/feed/widget-eng\" rel=\"self\" type=\"application/rss+xml\"/>"
                + "<webMaster><![CDATA[yourfriends@medium.com]]></webMaster>"
                + "<atom:link href=\"http://medium.superfeedr.com\" rel=\"hub\"/>", "</channel></rss>")
        case .mastodon:
            return (xmlDecl + "<rss version=\"2.0\" xmlns:webfeeds=\"http://webfeeds.org/rss/1.0\" xmlns:media=\"http://search.yahoo.com/mrss/\">\n"
                + "  <channel>\n    <title>Widget Support</title>\n    <description>Public posts from @support@social.example</description>\n"
                + "    <link>https://social.example/@support</link>\n    <image>\n      <url>https://files.social.example/accounts/avatars/original/1.png</url>\n"
                + "      <title>Widget Support</title>\n      <link>https://social.example/@support</link>\n    </image>\n"
                + "    <lastBuildDate>Mon, 03 Mar 2025 10:00:00 +0000</lastBuildDate>\n"
                + "    <webfeeds:icon>https://files.social.example/accounts/avatars/original/1.png</webfeeds:icon>\n"
                + "    <generator>Mastodon v4.3.4</generator>\n", "  </channel>\n</rss>\n")
        case .github:
            return (xmlDecl + "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:media=\"http://search.yahoo.com/mrss/\" xml:lang=\"en-US\">\n"
                + "  <id>tag:github.com,2008:https://github.com/widgets/widget/releases</id>\n"
                + "  <link type=\"text/html\" rel=\"alternate\" href=\"https://github.com/widgets/widget/releases\"/>\n"
                + "  <link type=\"application/atom+xml\" rel=\"self\" href=\"https://github.com/widgets/widget/releases.atom\"/>\n"
                + "  <title>Release notes from widget</title>\n  <updated>2025-03-03T10:00:00Z</updated>\n", "</feed>\n")
        case .youtube:
            return (xmlDecl + "<feed xmlns:yt=\"http://www.youtube.com/xml/schemas/2015\" xmlns:media=\"http://search.yahoo.com/mrss/\" xmlns=\"http://www.w3.org/2005/Atom\">\n"
                + " <link rel=\"self\" href=\"http://www.youtube.com/feeds/videos.xml?channel_id=UCabcdefghijklmnopqrstuv\"/>\n"
                + " <id>yt:channel:abcdefghijklmnopqrstuv</id>\n <yt:channelId>abcdefghijklmnopqrstuv</yt:channelId>\n <title>Widget TV</title>\n"
                + " <link rel=\"alternate\" href=\"https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv\"/>\n"
                + " <author>\n  <name>Widget TV</name>\n  <uri>https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv</uri>\n </author>\n"
                + " <published>2015-06-01T12:00:00+00:00</published>\n", "</feed>")
        case .reddit:
            return (xmlDecl + "<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:media=\"http://search.yahoo.com/mrss/\">"
                + "<category term=\"widgets\" label=\"r/widgets\"/><updated>2025-03-03T10:00:00+00:00</updated>"
                + "<icon>https://www.redditstatic.com/icon.png/</icon><id>/r/widgets/.rss</id>"
                + "<link rel=\"self\" href=\"https://www.reddit.com/r/widgets/.rss\" type=\"application/atom+xml\" />"
                + "<link rel=\"alternate\" href=\"https://www.reddit.com/r/widgets/\" type=\"text/html\" />"
                + "<subtitle>All about widgets</subtitle><title>widgets</title>", "</feed>")
        case .discourse:
            return (xmlDecl + "<rss xmlns:discourse=\"http://www.discourse.org/\" xmlns:atom=\"http://www.w3.org/2005/Atom\" "
                + "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" version=\"2.0\">\n  <channel>\n    <title>Widget Forum - Latest topics</title>\n"
                + "    <link>https://forum.example.com/latest</link>\n    <description>Latest topics</description>\n"
                + "    <atom:link href=\"https://forum.example.com/latest.rss\" rel=\"self\" type=\"application/rss+xml\" />\n",
                "  </channel>\n</rss>\n")
        case .microblog:
            return (xmlDecl + "<rss version=\"2.0\">\n  <channel>\n    <title>Jo's microblog</title>\n    <link>https://jo.micro.example/</link>\n"
                + "    <description>Follow @jo on Micro.blog.</description>\n", "  </channel>\n</rss>\n")
        case .podcast:
            return (xmlDecl + "<rss version=\"2.0\" xmlns:itunes=\"http://www.itunes.com/dtds/podcast-1.0.dtd\" "
                + "xmlns:podcast=\"https://podcastindex.org/namespace/1.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" "
                + "xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n"
                + "  <atom:link href=\"https://feeds.host.example/widget-talk\" rel=\"self\" type=\"application/rss+xml\"/>\n"
                + "  <title>Widget Talk</title>\n  <lastBuildDate>Mon, 03 Mar 2025 10:00:00 +0000</lastBuildDate>\n"
                + "  <link>https://widgettalk.example.com</link>\n  <language>en</language>\n  <copyright>Widget Talk 2025</copyright>\n"
                + "  <itunes:subtitle>Conversations about widgets</itunes:subtitle>\n  <itunes:author>Widget Talk</itunes:author>\n"
                + "  <itunes:summary>A weekly show about widgets.</itunes:summary>\n  <description><![CDATA[<p>A weekly show about widgets.</p>]]></description>\n"
                + "  <itunes:owner>\n    <itunes:name>Widget Talk</itunes:name>\n    <itunes:email>host@widgettalk.example.com</itunes:email>\n  </itunes:owner>\n"
                + "  <itunes:explicit>false</itunes:explicit>\n  <itunes:category text=\"Technology\" />\n"
                + "  <itunes:image href=\"https://widgettalk.example.com/cover.jpg\" />\n  <itunes:type>episodic</itunes:type>\n"
                + "  <podcast:locked>no</podcast:locked>\n  <podcast:guid>c1d2e3f4-0000-4000-8000-000000000001</podcast:guid>\n",
                "</channel>\n</rss>\n")
        }
    }

    static func item(_ shape: Shape, _ i: Int, _ g: inout Generator) -> String {
        switch shape {
        case .wordpress:
            let slug = "post-\(i)"
            let url = "https://blog.example.com/2025/03/\(slug)/"
            let title = g.title()
            let paras = (0..<(2 + g.next(4))).map { _ in g.paragraph(i, host: "blog.example.com") }.joined(separator: "\n")
            let figure = g.next(3) == 0 ? "\n<figure class=\"wp-block-image size-large\"><img src=\"https://blog.example.com/wp-content/uploads/2025/03/w\(i).jpg\" alt=\"\(g.words(2, 4))\" width=\"1024\" height=\"683\"/></figure>" : ""
            return """
                \t<item>
                \t\t<title>\(escape(title))</title>
                \t\t<link>\(url)</link>
                \t\t\t\t\t<comments>\(url)#respond</comments>
                \t\t
                \t\t<dc:creator><![CDATA[Author \(i % 7)]]></dc:creator>
                \t\t<pubDate>\(rfc822(i))</pubDate>
                \t\t\t\t<category><![CDATA[News]]></category>
                \t\t<category><![CDATA[\(g.words(1, 2))]]></category>
                \t\t<guid isPermaLink="false">https://blog.example.com/?p=\(1000 + i)</guid>

                \t\t\t\t\t<description><![CDATA[\(g.sentence()) &#8230; <a href="\(url)" class="more-link">Continue reading<span class="screen-reader-text"> \(escape(title))</span></a>]]></description>
                \t\t\t\t\t\t\t\t\t\t<content:encoded><![CDATA[\(paras)\(figure)
                <p>The post <a href="\(url)">\(escape(title))</a> appeared first on <a href="https://blog.example.com">Example Widgets Blog</a>.</p>
                ]]></content:encoded>
                \t\t\t\t\t
                \t\t\t\t\t<wfw:commentRss>\(url)feed/</wfw:commentRss>
                \t\t\t<slash:comments>\(i % 9)</slash:comments>
                \t\t
                \t\t
                \t\t\t\t\t\t\t
                \t\t\t\t\t</item>

                """
        case .blogger:
            let id = "tag:blogger.com,1999:blog-1234567890.post-\(900_000 + i)"
            let url = "https://widgets.example.blogspot.com/2025/03/post-\(i).html"
            let title = g.title()
            let html = (0..<(1 + g.next(3))).map { _ in g.paragraph(i, host: "widgets.example.blogspot.com") }.joined()
                + (g.next(2) == 0 ? "<div class=\"separator\"><a href=\"https://blogger.googleusercontent.com/img/b/\(i).png\"><img border=\"0\" src=\"https://blogger.googleusercontent.com/img/b/s320/\(i).png\" width=\"320\" height=\"200\" /></a></div>" : "")
            return "<entry><id>\(id)</id><published>\(iso(i, zone: ".000-08:00"))</published><updated>\(iso(i, zone: ".123-08:00"))</updated>"
                + "<category scheme=\"http://www.blogger.com/atom/ns#\" term=\"\(g.words(1, 1))\"/>"
                + "<title type='text'>\(escape(title))</title><content type='html'>\(escape(html))</content>"
                + "<link rel='replies' type='application/atom+xml' href='https://widgets.example.blogspot.com/feeds/\(i)/comments/default' title='Post Comments'/>"
                + "<link rel='replies' type='text/html' href='\(url)#comment-form' title='\(i % 5) Comments'/>"
                + "<link rel='edit' type='application/atom+xml' href='https://www.blogger.com/feeds/1234567890/posts/default/\(i)'/>"
                + "<link rel='self' type='application/atom+xml' href='https://www.blogger.com/feeds/1234567890/posts/default/\(i)'/>"
                + "<link rel='alternate' type='text/html' href='\(url)' title='\(escape(title).replacingAll("'", with: "&#39;"))'/>"
                + "<author><name>Jo Writer</name><uri>http://www.blogger.com/profile/0987</uri><email>noreply@blogger.com</email>"
                + "<gd:image rel='http://schemas.google.com/g/2005#thumbnail' width='16' height='16' src='https://img1.blogblog.com/img/b16-rounded.gif'/></author>"
                + (g.next(2) == 0 ? "<media:thumbnail xmlns:media='http://search.yahoo.com/mrss/' url='https://blogger.googleusercontent.com/img/b/s72-c/\(i).png' height='72' width='72'/>" : "")
                + "<thr:total>\(i % 5)</thr:total></entry>"
        case .ghost:
            let url = "https://weekly.example.com/issue-\(i)/"
            let paras = (0..<(2 + g.next(4))).map { _ in g.paragraph(i, host: "weekly.example.com") }.joined()
            return "<item><title><![CDATA[\(g.title())]]></title><description><![CDATA[\(g.sentence())]]></description>"
                + "<link>\(url)</link><guid isPermaLink=\"false\">65f0c0ffee\(String(i, radix: 16))</guid>"
                + "<category><![CDATA[\(g.words(1, 1))]]></category><dc:creator><![CDATA[Sam Editor]]></dc:creator>"
                + "<pubDate>\(rfc822(i).replacingAll("+0000", with: "GMT"))</pubDate>"
                + "<media:content url=\"https://weekly.example.com/content/images/2025/03/cover-\(i).jpg\" medium=\"image\"/>"
                + "<content:encoded><![CDATA[<img src=\"https://weekly.example.com/content/images/2025/03/cover-\(i).jpg\" alt=\"\(g.words(2, 3))\"><p>\(g.sentence())</p>\(paras)]]></content:encoded></item>"
        case .substack:
            let url = "https://widgetletter.substack.com/p/issue-\(i)"
            let paras = (0..<(3 + g.next(5))).map { _ in g.paragraph(i, host: "widgetletter.substack.com") }.joined()
            return "<item><title><![CDATA[\(g.title())]]></title><description><![CDATA[\(g.sentence())]]></description>"
                + "<link>\(url)</link><guid isPermaLink=\"false\">\(url)</guid><dc:creator><![CDATA[Widget Media]]></dc:creator>"
                + "<pubDate>\(rfc822(i).replacingAll("+0000", with: "GMT"))</pubDate>"
                + "<enclosure url=\"https://substackcdn.com/image/fetch/w_1456/\(i).jpeg\" length=\"0\" type=\"image/jpeg\"/>"
                + "<content:encoded><![CDATA[\(paras)<h3>\(g.title())</h3>\(g.paragraph(i, host: "widgetletter.substack.com"))]]></content:encoded></item>"
        case .medium:
            let id = String(0xA0B0C0 + i * 7919, radix: 16)
            let url = "https://medium.com/widget-eng/\(g.words(2, 4).replacingAll(" ", with: "-").replacingAll(",", with: ""))-\(id)?source=rss----abc123---4"
            let paras = (0..<(3 + g.next(5))).map { _ in g.paragraph(i, host: "medium.com") }.joined()
            return "<item><title><![CDATA[\(g.title())]]></title><link>\(url)</link>"
                + "<guid isPermaLink=\"false\">https://medium.com/p/\(id)</guid>"
                + "<category><![CDATA[\(g.words(1, 1))]]></category><category><![CDATA[engineering]]></category>"
                + "<dc:creator><![CDATA[Riley Coder]]></dc:creator><pubDate>\(rfc822(i).replacingAll("+0000", with: "GMT"))</pubDate>"
                + "<atom:updated>\(iso(i, zone: ".123Z"))</atom:updated>"
                + "<content:encoded><![CDATA[<h3>\(g.title())</h3>\(paras)<figure><img alt=\"\" src=\"https://cdn-images-1.medium.com/max/1024/1*\(id).png\" /></figure>"
                + "<img src=\"https://medium.com/_/stat?event=post.clientViewed&referrerSource=full_rss&postId=\(id)\" width=\"1\" height=\"1\" alt=\"\">]]></content:encoded></item>"
        case .mastodon:
            let url = "https://social.example/@support/\(113_000_000_000 + i)"
            var html = "<p>"
            if g.next(2) == 0 {
                html += "<span class=\"h-card\" translate=\"no\"><a href=\"https://social.example/@user\(i % 97)\" class=\"u-url mention\">@<span>user\(i % 97)</span></a></span> "
            }
            html += g.sentence() + " " + g.sentence()
            if g.next(3) == 0 {
                html += " <a href=\"https://social.example/tags/widgets\" class=\"mention hashtag\" rel=\"tag\">#<span>widgets</span></a>"
            }
            html += "</p>"
            var media = ""
            if g.next(4) == 0 {
                media = "\n      <media:content url=\"https://files.social.example/media_attachments/files/\(i)/original/a.png\" type=\"image/png\" fileSize=\"\(20_000 + i)\" medium=\"image\">\n"
                    + "        <media:rating scheme=\"urn:simple\">nonadult</media:rating>\n"
                    + "        <media:description type=\"plain\">\(escape(g.sentence()))</media:description>\n      </media:content>"
            }
            return "    <item>\n      <guid isPermaLink=\"true\">\(url)</guid>\n      <link>\(url)</link>\n      <pubDate>\(rfc822(i))</pubDate>\n"
                + "      <description>\(escape(html))</description>\(media)\n"
                + (g.next(3) == 0 ? "      <category>widgets</category>\n" : "") + "    </item>\n"
        case .github:
            let tag = "v\(1 + i / 100).\(i % 100).\(g.next(10))"
            let html = "<h2>What&#39;s changed</h2>\n<ul>\n" + (0..<(2 + g.next(5))).map { k in
                "<li>\(escape(g.sentence())) by <a class=\"user-mention notranslate\" href=\"https://github.com/dev\(k)\">@dev\(k)</a> in <a href=\"https://github.com/widgets/widget/pull/\(i * 10 + k)\">#\(i * 10 + k)</a></li>\n"
            }.joined() + "</ul>\n<p><strong>Full Changelog</strong>: <a href=\"https://github.com/widgets/widget/compare/\(tag)\"><tt>\(tag)</tt></a></p>"
            return "  <entry>\n    <id>tag:github.com,2008:Repository/123456/\(tag)</id>\n    <updated>\(iso(i))</updated>\n"
                + "    <link rel=\"alternate\" type=\"text/html\" href=\"https://github.com/widgets/widget/releases/tag/\(tag)\"/>\n"
                + "    <title>\(tag)</title>\n    <content type=\"html\">\(escape(html))</content>\n"
                + "    <author>\n      <name>release-bot</name>\n    </author>\n"
                + "    <media:thumbnail height=\"30\" width=\"30\" url=\"https://avatars.githubusercontent.com/u/\(i % 50)?s=60&amp;v=4\"/>\n  </entry>\n"
        case .youtube:
            let vid = String(0x1000_0000 + i * 104_729, radix: 36)
            let title = g.title()
            var desc = ""
            for _ in 0..<(1 + g.next(4)) { desc += g.sentence() + "\n" }
            desc += "https://widgets.example.com/\(i)"
            return " <entry>\n  <id>yt:video:\(vid)</id>\n  <yt:videoId>\(vid)</yt:videoId>\n  <yt:channelId>abcdefghijklmnopqrstuv</yt:channelId>\n"
                + "  <title>\(escape(title))</title>\n  <link rel=\"alternate\" href=\"https://www.youtube.com/watch?v=\(vid)\"/>\n"
                + "  <author>\n   <name>Widget TV</name>\n   <uri>https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv</uri>\n  </author>\n"
                + "  <published>\(iso(i, zone: "+00:00"))</published>\n  <updated>\(iso(i + 1, zone: "+00:00"))</updated>\n"
                + "  <media:group>\n   <media:title>\(escape(title))</media:title>\n"
                + "   <media:content url=\"https://www.youtube.com/v/\(vid)?version=3\" type=\"application/x-shockwave-flash\" width=\"640\" height=\"390\"/>\n"
                + "   <media:thumbnail url=\"https://i1.ytimg.com/vi/\(vid)/hqdefault.jpg\" width=\"480\" height=\"360\"/>\n"
                + "   <media:description>\(escape(desc))</media:description>\n"
                + "   <media:community>\n    <media:starRating count=\"\(i * 3)\" average=\"5.00\" min=\"1\" max=\"5\"/>\n"
                + "    <media:statistics views=\"\(i * 41)\"/>\n   </media:community>\n  </media:group>\n </entry>\n"
        case .reddit:
            let id = String(0x1A2B3C + i, radix: 36)
            let user = "u\(g.next(500))"
            let selftext = g.next(2) == 0
                ? "<!-- SC_OFF --><div class=\"md\"><p>\(g.sentence()) \(g.sentence())</p>\n</div><!-- SC_ON --> &#32; submitted by &#32; <a href=\"https://www.reddit.com/user/\(user)\"> /u/\(user) </a>"
                : "<table> <tr><td> <a href=\"https://www.reddit.com/r/widgets/comments/\(id)/x/\"> <img src=\"https://b.thumbs.redditmedia.com/\(id).jpg\" alt=\"\(g.words(2, 4))\" title=\"\(g.words(2, 4))\" /> </a> </td><td> &#32; submitted by &#32; <a href=\"https://www.reddit.com/user/\(user)\"> /u/\(user) </a>"
            let html = selftext + " <br/> <span><a href=\"https://www.reddit.com/r/widgets/comments/\(id)/x/\">[link]</a></span> &#32; <span><a href=\"https://www.reddit.com/r/widgets/comments/\(id)/x/\">[comments]</a></span>"
                + (selftext.hasPrefix("<table>") ? " </td></tr></table>" : "")
            return "<entry><author><name>/u/\(user)</name><uri>https://www.reddit.com/user/\(user)</uri></author>"
                + "<category term=\"widgets\" label=\"r/widgets\"/><content type=\"html\">\(escape(html))</content>"
                + "<id>t3_\(id)</id>" + (g.next(2) == 0 ? "<media:thumbnail url=\"https://b.thumbs.redditmedia.com/\(id).jpg\" />" : "")
                + "<link href=\"https://www.reddit.com/r/widgets/comments/\(id)/x/\" /><updated>\(iso(i, zone: "+00:00"))</updated>"
                + "<published>\(iso(i, zone: "+00:00"))</published><title>\(escape(g.title()))</title></entry>"
        case .discourse:
            let url = "https://forum.example.com/t/topic-\(i)/\(5000 + i)"
            let html = "\n            <p>\(g.sentence()) \(g.sentence())</p>\n<p>\(g.sentence())</p>\n"
                + "            <p><small>\(1 + i % 20) posts - \(1 + i % 7) participants</small></p>\n"
                + "            <p><a href=\"\(url)\">Read full topic</a></p>\n          "
            return "      <item>\n        <title>\(escape(g.title()))</title>\n        <dc:creator><![CDATA[user\(i % 31)]]></dc:creator>\n"
                + "        <category>Support</category>\n        <description><![CDATA[\(html)]]></description>\n"
                + "        <link>\(url)</link>\n        <pubDate>\(rfc822(i))</pubDate>\n"
                + "        <discourse:topicPinned>No</discourse:topicPinned>\n        <discourse:topicClosed>No</discourse:topicClosed>\n"
                + "        <discourse:topicArchived>No</discourse:topicArchived>\n"
                + "        <guid isPermaLink=\"false\">forum.example.com-topic-\(5000 + i)</guid>\n"
                + "        <source url=\"https://forum.example.com/t/topic-\(i)/\(5000 + i).rss\">\(escape(g.title()))</source>\n      </item>\n"
        case .microblog:
            let url = "https://jo.micro.example/2025/03/03/\(100_000 + i).html"
            let html = "<p>\(g.sentence())" + (g.next(3) == 0 ? " <a href=\"https://micro.example/someone\">@someone</a>" : "") + "</p>"
                + (g.next(4) == 0 ? "\n<img src=\"https://jo.micro.example/uploads/2025/\(i).jpg\" width=\"600\" height=\"450\" alt=\"\">" : "")
            return "    <item>\n" + (g.next(4) == 0 ? "      <title>\(escape(g.title()))</title>\n" : "")
                + "      <link>\(url)</link>\n      <pubDate>\(rfc822(i))</pubDate>\n"
                + "      <guid isPermaLink=\"true\">\(url)</guid>\n      <description>\(escape(html))</description>\n    </item>\n"
        case .podcast:
            let title = g.title()
            let notes = (0..<(2 + g.next(3))).map { _ in g.paragraph(i, host: "widgettalk.example.com") }.joined()
            return "  <item>\n    <title>\(escape(title))</title>\n    <itunes:title>\(escape(title))</itunes:title>\n"
                + "    <pubDate>\(rfc822(i))</pubDate>\n    <guid isPermaLink=\"false\">\(String(0xABCDEF + i, radix: 16))-ep</guid>\n"
                + "    <link>https://widgettalk.example.com/episodes/\(i)</link>\n"
                + "    <itunes:image href=\"https://widgettalk.example.com/ep\(i).jpg\" />\n"
                + "    <description><![CDATA[\(notes)]]></description>\n    <content:encoded><![CDATA[\(notes)]]></content:encoded>\n"
                + "    <enclosure length=\"\(30_000_000 + i)\" type=\"audio/mpeg\" url=\"https://media.host.example/widget-talk/ep\(i).mp3\" />\n"
                + "    <itunes:duration>\(1800 + i)</itunes:duration>\n    <itunes:explicit>false</itunes:explicit>\n"
                + "    <itunes:keywords>widgets,talk</itunes:keywords>\n    <itunes:episodeType>full</itunes:episodeType>\n"
                + "    <itunes:episode>\(i + 1)</itunes:episode>\n    <itunes:author>Widget Talk</itunes:author>\n"
                + "    <podcast:transcript url=\"https://widgettalk.example.com/ep\(i).vtt\" type=\"text/vtt\" />\n  </item>\n"
        }
    }
}
