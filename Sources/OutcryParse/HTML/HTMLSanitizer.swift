/// Sanitising HTML from feeds for display, and resolving its relative URIs.
///
/// Two passes. The first follows feedparser's `_sanitizeHTML` rules and output form, so
/// results match what feedparser users expect: an allow-list of elements and attributes,
/// `script`/`style`/`applet` dropped with their content, event handlers and unknown
/// attributes dropped, `href`s with a scheme outside the allow-list emptied, and `style`
/// reduced to safe CSS. The second, `HTMLAllowList`, has the last word: it reads the result
/// with an HTML5 tokeniser as a browser would and writes back only allow-listed elements
/// and attributes from the tokens (no SVG or MathML, no `noscript`, no `action`, only
/// relative, http, https and mailto URLs after decoding, every text and value escaped,
/// open elements closed). See docs/hardening-parse.md.
///
/// ```swift
/// HTMLSanitizer.sanitize(#"<a href="javascript:x" onclick="y">hi</a><script>z</script>"#)
/// // "<a href=\"\">hi</a>"
/// HTMLSanitizer.resolveRelativeURIs(#"<img src="/i.png">"#, base: "http://example.com/a/")
/// // "<img src=\"http://example.com/i.png\" />"
/// ```
public enum HTMLSanitizer {
    /// Removes everything unsafe for display from `html`.
    /// - Parameters:
    ///   - html: the markup.
    ///   - type: its media type; `application/xhtml+xml` treats `<x/>` as closed.
    public static func sanitize(_ html: String, type: String = "text/html") -> String {
        let source = html.containsBytes("<![CDATA[") ? html.replacingAll("<![CDATA[", with: "&lt;![CDATA[") : html
        var p = SGMLProcessor(mode: .sanitize, type: type, base: "")
        let out = p.run(source)
        var s = out.pythonStripped()
        if s.containsBytes("\r\n") { s = s.replacingAll("\r\n", with: "\n") }
        return allowListed(s)
    }

    /// What in `html` could run script or load a URL other than a relative, http, https or
    /// mailto one, read as a browser's tokeniser reads it (`HTMLAllowList.dangers`): empty
    /// for anything `sanitize` returns. For tests and the fuzz target.
    public static func executableConstructs(_ html: String) -> [String] {
        HTMLAllowList.dangers(html)
    }

    /// The allow-list pass over a real HTML5 tokeniser (`HTMLAllowList`): what the browser
    /// will read, re-serialised from tokens. For feedparser-shaped markup it changes nothing.
    static func allowListed(_ s: String) -> String {
        let clean = HTMLAllowList.clean(s)
        if clean == s { return s }
        var t = clean.pythonStripped()
        if t.containsBytes("\r\n") { t = t.replacingAll("\r\n", with: "\n") }
        return t
    }

    /// `sanitize(resolveRelativeURIs(html, base: base, type: type), type: type)` in one pass:
    /// the sanitiser resolves the URI attributes it keeps. Markup with marked sections
    /// (`<![CDATA[`), which the resolving pass drops before the sanitiser sees them, takes
    /// the two passes.
    public static func resolveAndSanitize(_ html: String, base: String, type: String = "text/html") -> String {
        if html.containsBytes("<![") { return sanitize(resolveRelativeURIs(html, base: base, type: type), type: type) }
        var p = SGMLProcessor(mode: .sanitize, type: type, base: base)
        p.resolveURIs = true
        var s = p.run(html).pythonStripped()
        if s.containsBytes("\r\n") { s = s.replacingAll("\r\n", with: "\n") }
        return allowListed(s)
    }

    /// Makes the URI attributes of `html` (`a href`, `img src`, …) absolute against `base`.
    public static func resolveRelativeURIs(_ html: String, base: String, type: String = "text/html") -> String {
        var p = SGMLProcessor(mode: .resolve, type: type, base: base)
        return p.run(html)
    }

    /// feedparser's guess whether nominally plain text is really HTML: it has a closing tag or
    /// an entity, and every tag and entity in it is a known HTML one.
    static func looksLikeHTML(_ s: String) -> Bool {
        // Without '<' or '&' there is neither a closing tag nor an entity.
        var probe = s
        if !probe.withUTF8({ b in b.contains { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") } }) { return false }
        let u = Array(s.utf8)
        var hasClose = false
        var hasEntity = false
        var i = 0
        let n = u.count
        func wordEnd(_ k: Int) -> Int {
            var k = k
            while k < n, isWordByte(u[k]) { k += 1 }
            return k
        }
        while i < n {
            if u[i] == UInt8(ascii: "<") {
                var k = i + 1
                let closing = k < n && u[k] == UInt8(ascii: "/")
                if closing { k += 1 }
                let e = wordEnd(k)
                if e > k {
                    let name = String(decoding: u[k..<e], as: UTF8.self).lowercased()
                    if !acceptableElements.contains(name) { return false }
                    if closing && e < n && u[e] == UInt8(ascii: ">") { hasClose = true }
                }
            } else if u[i] == UInt8(ascii: "&") {
                var k = i + 1
                let numeric = k < n && u[k] == UInt8(ascii: "#")
                if numeric { k += 1 }
                let e = wordEnd(k)
                if e > k && e < n && u[e] == UInt8(ascii: ";") {
                    hasEntity = true
                    if !numeric {
                        let name = String(decoding: u[k..<e], as: UTF8.self)
                        if name == "apos" || HTMLEntities.table[name] == nil { return false }
                    }
                }
            }
            i += 1
        }
        return hasClose || hasEntity
    }

    static func isWordByte(_ b: UInt8) -> Bool { b.isASCIIWordByte || b >= 0x80 }

    static let acceptableElements: Set<String> = [
        "a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "big", "blockquote", "br",
        "button", "canvas", "caption", "center", "cite", "code", "col", "colgroup", "command", "datagrid",
        "datalist", "dd", "del", "details", "dfn", "dialog", "dir", "div", "dl", "dt", "em", "event-source",
        "fieldset", "figcaption", "figure", "font", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "i", "img", "input", "ins", "kbd", "keygen", "label", "legend", "li", "m", "map",
        "menu", "meter", "multicol", "nav", "nextid", "noscript", "ol", "optgroup", "option", "output", "p",
        "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp", "section", "select", "small", "sound", "source",
        "spacer", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "textarea", "tfoot", "th",
        "thead", "time", "tr", "tt", "u", "ul", "var", "video",
    ]

    static let acceptableAttributes: Set<String> = [
        "abbr", "accept", "accept-charset", "accesskey", "action", "align", "alt", "autocomplete", "autofocus",
        "axis", "background", "balance", "bgcolor", "bgproperties", "border", "bordercolor", "bordercolordark",
        "bordercolorlight", "bottompadding", "cellpadding", "cellspacing", "ch", "challenge", "char", "charoff",
        "charset", "checked", "choff", "cite", "class", "clear", "color", "cols", "colspan", "compact",
        "contenteditable", "controls", "coords", "data", "datafld", "datapagesize", "datasrc", "datetime",
        "default", "delay", "dir", "disabled", "draggable", "dynsrc", "enctype", "end", "face", "for", "form",
        "frame", "galleryimg", "gutter", "headers", "height", "hidden", "hidefocus", "high", "href", "hreflang",
        "hspace", "icon", "id", "inputmode", "ismap", "keytype", "label", "lang", "leftspacing", "list",
        "longdesc", "loop", "loopcount", "loopend", "loopstart", "low", "lowsrc", "max", "maxlength", "media",
        "method", "min", "multiple", "name", "nohref", "noshade", "nowrap", "open", "optimum", "pattern", "ping",
        "point-size", "poster", "pqg", "preload", "prompt", "radiogroup", "readonly", "rel", "repeat-max",
        "repeat-min", "replace", "required", "rev", "rightspacing", "rows", "rowspan", "rules", "scope",
        "selected", "shape", "size", "span", "src", "start", "step", "style", "summary", "suppress", "tabindex",
        "target", "template", "title", "toppadding", "type", "unselectable", "urn", "usemap", "valign", "value",
        "variable", "volume", "vrml", "vspace", "width", "wrap", "xml:lang",
    ]

    static let unacceptableElementsWithEndTag: Set<String> = ["applet", "script", "style"]

    static let acceptableCSSProperties: Set<String> = [
        "azimuth", "background-color", "border-bottom-color", "border-collapse", "border-color",
        "border-left-color", "border-right-color", "border-top-color", "clear", "color", "cursor", "direction",
        "display", "elevation", "float", "font", "font-family", "font-size", "font-style", "font-variant",
        "font-weight", "height", "letter-spacing", "line-height", "overflow", "pause", "pause-after",
        "pause-before", "pitch", "pitch-range", "richness", "speak", "speak-header", "speak-numeral",
        "speak-punctuation", "speech-rate", "stress", "text-align", "text-decoration", "text-indent",
        "unicode-bidi", "vertical-align", "voice-family", "volume", "white-space", "width",
    ]

    static let acceptableCSSKeywords: Set<String> = [
        "!important", "aqua", "auto", "black", "block", "blue", "bold", "both", "bottom", "brown", "center",
        "collapse", "dashed", "dotted", "fuchsia", "gray", "green", "italic", "left", "lime", "maroon", "medium",
        "navy", "none", "normal", "nowrap", "olive", "pointer", "purple", "red", "right", "silver", "solid",
        "teal", "top", "transparent", "underline", "white", "yellow",
    ]

    static let mathmlElements: Set<String> = [
        "annotation", "annotation-xml", "maction", "maligngroup", "malignmark", "math", "menclose", "merror",
        "mfenced", "mfrac", "mglyph", "mi", "mlabeledtr", "mlongdiv", "mmultiscripts", "mn", "mo", "mover",
        "mpadded", "mphantom", "mprescripts", "mroot", "mrow", "ms", "mscarries", "mscarry", "msgroup", "msline",
        "mspace", "msqrt", "msrow", "mstack", "mstyle", "msub", "msubsup", "msup", "mtable", "mtd", "mtext", "mtr",
        "munder", "munderover", "none", "semantics",
    ]

    static let mathmlAttributes: Set<String> = [
        "accent", "accentunder", "actiontype", "align", "alignmentscope", "altimg", "altimg-height",
        "altimg-valign", "altimg-width", "alttext", "bevelled", "charalign", "close", "columnalign", "columnlines",
        "columnspacing", "columnspan", "columnwidth", "crossout", "decimalpoint", "denomalign", "depth", "dir",
        "display", "displaystyle", "edge", "encoding", "equalcolumns", "equalrows", "fence", "fontstyle",
        "fontweight", "form", "frame", "framespacing", "groupalign", "height", "href", "id", "indentalign",
        "indentalignfirst", "indentalignlast", "indentshift", "indentshiftfirst", "indentshiftlast",
        "indenttarget", "infixlinebreakstyle", "largeop", "length", "linebreak", "linebreakmultchar",
        "linebreakstyle", "lineleading", "linethickness", "location", "longdivstyle", "lquote", "lspace",
        "mathbackground", "mathcolor", "mathsize", "mathvariant", "maxsize", "minlabelspacing", "minsize",
        "movablelimits", "notation", "numalign", "open", "other", "overflow", "position", "rowalign", "rowlines",
        "rowspacing", "rowspan", "rquote", "rspace", "scriptlevel", "scriptminsize", "scriptsizemultiplier",
        "selection", "separator", "separators", "shift", "side", "src", "stackalign", "stretchy",
        "subscriptshift", "superscriptshift", "symmetric", "voffset", "width", "xlink:href", "xlink:show",
        "xlink:type", "xmlns", "xmlns:xlink",
    ]

    static let svgElementNames: [String] = [
        "a", "animate", "animateColor", "animateMotion", "animateTransform", "circle", "defs", "desc", "ellipse",
        "font-face", "font-face-name", "font-face-src", "foreignObject", "g", "glyph", "hkern", "line",
        "linearGradient", "marker", "metadata", "missing-glyph", "mpath", "path", "polygon", "polyline",
        "radialGradient", "rect", "set", "stop", "svg", "switch", "text", "title", "tspan", "use",
    ]

    static let svgAttributeNames: [String] = [
        "accent-height", "accumulate", "additive", "alphabetic", "arabic-form", "ascent", "attributeName",
        "attributeType", "baseProfile", "bbox", "begin", "by", "calcMode", "cap-height", "class", "color",
        "color-rendering", "content", "cx", "cy", "d", "descent", "display", "dur", "dx", "dy", "end", "fill",
        "fill-opacity", "fill-rule", "font-family", "font-size", "font-stretch", "font-style", "font-variant",
        "font-weight", "from", "fx", "fy", "g1", "g2", "glyph-name", "gradientUnits", "hanging", "height",
        "horiz-adv-x", "horiz-origin-x", "id", "ideographic", "k", "keyPoints", "keySplines", "keyTimes", "lang",
        "marker-end", "marker-mid", "marker-start", "markerHeight", "markerUnits", "markerWidth", "mathematical",
        "max", "min", "name", "offset", "opacity", "orient", "origin", "overline-position", "overline-thickness",
        "panose-1", "path", "pathLength", "points", "preserveAspectRatio", "r", "refX", "refY", "repeatCount",
        "repeatDur", "requiredExtensions", "requiredFeatures", "restart", "rotate", "rx", "ry", "slope", "stemh",
        "stemv", "stop-color", "stop-opacity", "strikethrough-position", "strikethrough-thickness", "stroke",
        "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit",
        "stroke-opacity", "stroke-width", "systemLanguage", "target", "text-anchor", "to", "transform", "type",
        "u1", "u2", "underline-position", "underline-thickness", "unicode", "unicode-range", "units-per-em",
        "values", "version", "viewBox", "visibility", "width", "widths", "x", "x-height", "x1", "x2",
        "xlink:actuate", "xlink:arcrole", "xlink:href", "xlink:role", "xlink:show", "xlink:title", "xlink:type",
        "xml:base", "xml:lang", "xml:space", "xmlns", "xmlns:xlink", "y", "y1", "y2", "zoomAndPan",
    ]

    static let svgElements: Set<String> = Set(svgElementNames.map { $0.lowercased() })
    static let svgElementMap: [String: String] = Dictionary(
        svgElementNames.filter { $0 != $0.lowercased() }.map { ($0.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })
    static let svgAttributes: Set<String> = Set(svgAttributeNames.map { $0.lowercased() })
    static let svgAttributeMap: [String: String] = Dictionary(
        svgAttributeNames.filter { $0 != $0.lowercased() }.map { ($0.lowercased(), $0) }, uniquingKeysWith: { a, _ in a })

    static let acceptableSVGProperties: Set<String> = [
        "fill", "fill-opacity", "fill-rule", "stroke", "stroke-linecap", "stroke-linejoin", "stroke-opacity",
        "stroke-width",
    ]

    static let elementsNoEndTag: Set<String> = [
        "area", "base", "basefont", "br", "col", "command", "embed", "frame", "hr", "img", "input", "isindex",
        "keygen", "link", "meta", "param", "source", "track", "wbr",
    ]

    /// `elementsNoEndTag.contains(tag)`, as a switch: no hashing per tag.
    static func isVoidElement(_ tag: String) -> Bool {
        switch tag.utf8.count {
        case 2: return tag == "br" || tag == "hr"
        case 3: return tag == "col" || tag == "img" || tag == "wbr"
        case 4: return tag == "area" || tag == "base" || tag == "link" || tag == "meta"
        case 5: return tag == "embed" || tag == "frame" || tag == "input" || tag == "param" || tag == "track"
        case 6: return tag == "keygen" || tag == "source"
        case 7: return tag == "command" || tag == "isindex"
        case 8: return tag == "basefont"
        default: return false
        }
    }

    /// `relativeURIAttributes.contains(tag + " " + key)` without building the string.
    static func isRelativeURIAttribute(tag: String, key: String) -> Bool {
        switch key {
        case "href": return tag == "a" || tag == "area" || tag == "link"
        case "src":
            switch tag {
            case "audio", "frame", "iframe", "img", "input", "script", "source", "video": return true
            default: return false
            }
        case "cite": return tag == "blockquote" || tag == "del" || tag == "ins" || tag == "q"
        case "codebase": return tag == "applet" || tag == "object"
        case "background": return tag == "body"
        case "action": return tag == "form"
        case "longdesc": return tag == "frame" || tag == "iframe" || tag == "img"
        case "profile": return tag == "head"
        case "usemap": return tag == "img" || tag == "input" || tag == "object"
        case "classid", "data": return tag == "object"
        case "poster": return tag == "video"
        default: return false
        }
    }

    static let relativeURIAttributes: Set<String> = [
        "a href", "applet codebase", "area href", "audio src", "blockquote cite", "body background", "del cite",
        "form action", "frame longdesc", "frame src", "iframe longdesc", "iframe src", "head profile",
        "img longdesc", "img src", "img usemap", "input src", "input usemap", "ins cite", "link href",
        "object classid", "object codebase", "object data", "object usemap", "q cite", "script src",
        "source src", "video poster", "video src",
    ]
}
