/// The element handlers feedparser knows, keyed by `prefix_localname` (`dc_creator`,
/// `itunes_owner`, `title`). Each has a start action, an end action, or both.
enum Handler: UInt8 {
    case rss, channel, feed, image, textinput, author, contributor, name, width, height, url, email
    case subtitle, rights, item, language, webmaster, published, updated, created, expirationdate
    case category, cloud, link, guid, title, mediaTitle, description, abstract, info, generator
    case summary, enclosure, source, content, body, contentEncoded, newlocation, tags
    case dctermsValid, dcContributor, itunesOwner, itunesKeywords, itunesCategory, itunesImage
    case itunesBlock, itunesExplicit, mediaCategory, mediaKeywords, mediaGroup, mediaRating
    case mediaCredit, mediaRestriction, mediaLicense, mediaContent, mediaThumbnail, mediaPlayer
    case adminGeneratorAgent, adminErrorReportsTo, ccLicense, creativeCommonsLicense
    case pscChapters, pscChapter, georssPoint, georssLine, georssPolygon, georssBox, georssWhere
    case gmlPoint, gmlLineString, gmlPolygon, gmlExterior, gmlLinearRing, gmlPos, gmlPosList

    /// Handlers with no start action: their start tag takes the generic path.
    var hasStart: Bool {
        switch self {
        case .itunesKeywords, .itunesBlock, .itunesExplicit, .mediaKeywords: return false
        default: return true
        }
    }

    /// Handlers with no end action: their end tag takes the generic path.
    var hasEnd: Bool {
        switch self {
        case .rss, .cloud, .enclosure, .itunesImage, .mediaGroup, .mediaContent, .adminGeneratorAgent,
             .adminErrorReportsTo, .ccLicense, .pscChapter:
            return false
        default: return true
        }
    }

    static let byName: [String: Handler] = [
        "rss": .rss, "channel": .channel, "feed": .feed, "image": .image, "textinput": .textinput,
        "author": .author, "managingeditor": .author, "dc_author": .author, "dc_creator": .author, "itunes_author": .author,
        "contributor": .contributor, "name": .name, "itunes_name": .name, "width": .width, "height": .height,
        "url": .url, "homepage": .url, "uri": .url, "email": .email, "itunes_email": .email,
        "subtitle": .subtitle, "tagline": .subtitle, "itunes_subtitle": .subtitle,
        "rights": .rights, "copyright": .rights, "dc_rights": .rights, "item": .item, "entry": .item,
        "language": .language, "dc_language": .language, "webmaster": .webmaster, "dc_publisher": .webmaster,
        "published": .published, "issued": .published, "pubdate": .published, "dcterms_issued": .published,
        "updated": .updated, "modified": .updated, "lastbuilddate": .updated, "dc_date": .updated, "dcterms_modified": .updated,
        "created": .created, "dcterms_created": .created, "expirationdate": .expirationdate,
        "category": .category, "keywords": .category, "dc_subject": .category, "cloud": .cloud, "link": .link,
        "guid": .guid, "id": .guid, "title": .title, "dc_title": .title, "media_title": .mediaTitle,
        "description": .description, "dc_description": .description, "media_description": .description,
        "abstract": .abstract, "info": .info, "feedburner_browserfriendly": .info, "generator": .generator,
        "summary": .summary, "itunes_summary": .summary, "enclosure": .enclosure, "source": .source,
        "content": .content, "body": .body, "xhtml_body": .body, "content_encoded": .contentEncoded, "fullitem": .contentEncoded,
        "newlocation": .newlocation, "tags": .tags, "dcterms_valid": .dctermsValid, "dc_contributor": .dcContributor,
        "itunes_owner": .itunesOwner, "itunes_keywords": .itunesKeywords, "itunes_category": .itunesCategory,
        "itunes_image": .itunesImage, "itunes_link": .itunesImage, "itunes_block": .itunesBlock, "itunes_explicit": .itunesExplicit,
        "media_category": .mediaCategory, "media_keywords": .mediaKeywords, "media_group": .mediaGroup,
        "media_rating": .mediaRating, "media_credit": .mediaCredit, "media_restriction": .mediaRestriction,
        "media_license": .mediaLicense, "media_content": .mediaContent, "media_thumbnail": .mediaThumbnail,
        "media_player": .mediaPlayer, "admin_generatoragent": .adminGeneratorAgent, "admin_errorreportsto": .adminErrorReportsTo,
        "cc_license": .ccLicense, "creativecommons_license": .creativeCommonsLicense,
        "psc_chapters": .pscChapters, "psc_chapter": .pscChapter,
        "georss_point": .georssPoint, "georss_line": .georssLine, "georss_polygon": .georssPolygon, "georss_box": .georssBox,
        "where": .georssWhere, "georss_where": .georssWhere, "gml_point": .gmlPoint, "gml_linestring": .gmlLineString,
        "gml_polygon": .gmlPolygon, "gml_exterior": .gmlExterior, "gml_linearring": .gmlLinearRing,
        "gml_pos": .gmlPos, "gml_poslist": .gmlPosList,
    ]
}

/// Namespace URIs feedparser recognises, lowercased, with the prefix it files their elements under.
enum KnownNamespaces {
    static let prefixes: [String: String] = {
        let table: [(String, String)] = [
            ("", ""), ("http://backend.userland.com/rss", ""), ("http://blogs.law.harvard.edu/tech/rss", ""),
            ("http://purl.org/rss/1.0/", ""), ("http://my.netscape.com/rdf/simple/0.9/", ""),
            ("http://example.com/newformat#", ""), ("http://example.com/necho", ""), ("http://purl.org/echo/", ""),
            ("uri/of/echo/namespace#", ""), ("http://purl.org/pie/", ""), ("http://purl.org/atom/ns#", ""),
            ("http://www.w3.org/2005/Atom", ""), ("http://purl.org/rss/1.0/modules/rss091#", ""),
            ("http://webns.net/mvcb/", "admin"), ("http://purl.org/rss/1.0/modules/aggregation/", "ag"),
            ("http://purl.org/rss/1.0/modules/annotate/", "annotate"), ("http://media.tangent.org/rss/1.0/", "audio"),
            ("http://backend.userland.com/blogChannelModule", "blogChannel"),
            ("http://creativecommons.org/ns#license", "cc"), ("http://web.resource.org/cc/", "cc"),
            ("http://cyber.law.harvard.edu/rss/creativeCommonsRssModule.html", "creativeCommons"),
            ("http://backend.userland.com/creativeCommonsRssModule", "creativeCommons"),
            ("http://purl.org/rss/1.0/modules/company", "co"), ("http://purl.org/rss/1.0/modules/content/", "content"),
            ("http://my.theinfo.org/changed/1.0/rss/", "cp"), ("http://purl.org/dc/elements/1.1/", "dc"),
            ("http://purl.org/dc/terms/", "dcterms"), ("http://purl.org/rss/1.0/modules/email/", "email"),
            ("http://purl.org/rss/1.0/modules/event/", "ev"), ("http://rssnamespace.org/feedburner/ext/1.0", "feedburner"),
            ("http://freshmeat.net/rss/fm/", "fm"), ("http://xmlns.com/foaf/0.1/", "foaf"),
            ("http://www.w3.org/2003/01/geo/wgs84_pos#", "geo"), ("http://www.georss.org/georss", "georss"),
            ("http://www.opengis.net/gml", "gml"), ("http://postneo.com/icbm/", "icbm"),
            ("http://purl.org/rss/1.0/modules/image/", "image"), ("http://www.itunes.com/dtds/podcast-1.0.dtd", "itunes"),
            ("http://example.com/dtds/podcast-1.0.dtd", "itunes"), ("http://purl.org/rss/1.0/modules/link/", "l"),
            ("http://search.yahoo.com/mrss", "media"), ("http://search.yahoo.com/mrss/", "media"),
            ("http://madskills.com/public/xml/rss/module/pingback/", "pingback"),
            ("http://prismstandard.org/namespaces/1.2/basic/", "prism"),
            ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdf"), ("http://www.w3.org/2000/01/rdf-schema#", "rdfs"),
            ("http://purl.org/rss/1.0/modules/reference/", "ref"), ("http://purl.org/rss/1.0/modules/richequiv/", "reqv"),
            ("http://purl.org/rss/1.0/modules/search/", "search"), ("http://purl.org/rss/1.0/modules/slash/", "slash"),
            ("http://schemas.xmlsoap.org/soap/envelope/", "soap"), ("http://purl.org/rss/1.0/modules/servicestatus/", "ss"),
            ("http://hacks.benhammersley.com/rss/streaming/", "str"), ("http://purl.org/rss/1.0/modules/subscription/", "sub"),
            ("http://purl.org/rss/1.0/modules/syndication/", "sy"), ("http://schemas.pocketsoap.com/rss/mydescmodule/", "szf"),
            ("http://purl.org/rss/1.0/modules/taxonomy/", "taxo"), ("http://purl.org/rss/1.0/modules/threading/", "thr"),
            ("http://purl.org/rss/1.0/modules/textinput/", "ti"),
            ("http://madskills.com/public/xml/rss/module/trackback/", "trackback"),
            ("http://wellformedweb.org/commentapi/", "wfw"), ("http://purl.org/rss/1.0/modules/wiki/", "wiki"),
            ("http://www.w3.org/1999/xhtml", "xhtml"), ("http://www.w3.org/1999/xlink", "xlink"),
            ("http://www.w3.org/xml/1998/namespace", "xml"), ("http://podlove.org/simple-chapters", "psc"),
        ]
        var d: [String: String] = [:]
        for (uri, prefix) in table { d[uri.lowercased()] = prefix }
        return d
    }()
}
