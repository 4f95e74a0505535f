import CLibXML2

/// Drives libxml2's SAX2 parser over a prepared UTF-8 document and feeds the events to a
/// `FeedBuilder`, resolving element and attribute names by namespace URI the way feedparser's
/// strict parser does. Options: no network, no entity substitution, no DTD loading, recovery
/// on; the first error is recorded and parsing goes on as far as libxml2 can.
final class XMLEventSource {
    private struct TagKey: Hashable {
        let local: UInt
        let prefix: UInt
        let uri: UInt
    }

    let builder: FeedBuilder
    private(set) var firstError: String?
    private var tagCache: [TagKey: FeedBuilder.Tag] = [:]
    /// A direct-mapped front for `tagCache`: libxml2 interns names, so the same element comes
    /// back with the same pointers and most lookups are a slot compare, no hashing.
    private static let slots = 64
    private var slotKeys = [TagKey?](repeating: nil, count: XMLEventSource.slots)
    private var slotTags = [FeedBuilder.Tag?](repeating: nil, count: XMLEventSource.slots)
    private var cacheGeneration = 0
    private var pendingDecls: [(String, String)] = []

    init(builder: FeedBuilder) {
        self.builder = builder
    }

    func parse(_ bytes: [UInt8]) {
        var callbacks = outcry_sax_callbacks()
        callbacks.start_element = { user, localname, prefix, uri, nbNamespaces, namespaces, nbAttributes, attributes in
            guard let user, let localname else { return }
            let me = Unmanaged<XMLEventSource>.fromOpaque(user).takeUnretainedValue()
            me.startElement(localname, prefix, uri, Int(nbNamespaces), namespaces, Int(nbAttributes), attributes)
        }
        callbacks.end_element = { user, localname, prefix, uri in
            guard let user, let localname else { return }
            let me = Unmanaged<XMLEventSource>.fromOpaque(user).takeUnretainedValue()
            me.builder.endElement(me.resolve(localname, prefix, uri))
        }
        callbacks.characters = { user, text, length in
            guard let user, let text, length > 0 else { return }
            let me = Unmanaged<XMLEventSource>.fromOpaque(user).takeUnretainedValue()
            me.builder.characters(UnsafeBufferPointer(start: text, count: Int(length)))
        }
        callbacks.error = { user, level, namespaceError, code, line, message in
            guard let user else { return }
            let me = Unmanaged<XMLEventSource>.fromOpaque(user).takeUnretainedValue()
            guard level >= 2 || namespaceError != 0, me.firstError == nil else { return }
            let text = message.map { String(cString: $0) }?.pythonStripped() ?? "XML error \(code)"
            me.firstError = "line \(line): \(text)"
        }
        let user = Unmanaged.passUnretained(self).toOpaque()
        let status: Int32 = bytes.withUnsafeBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) { chars in
                withUnsafePointer(to: &callbacks) { cb in
                    outcry_sax_parse(cb, user, chars.baseAddress, Int32(chars.count))
                }
            }
        }
        if status < 0 && firstError == nil { firstError = "the XML parser could not be created" }
    }

    @inline(__always)
    private static func string(_ p: UnsafePointer<UInt8>?) -> String? {
        guard let p else { return nil }
        return String(cString: p)
    }

    private func startElement(
        _ localname: UnsafePointer<UInt8>, _ prefix: UnsafePointer<UInt8>?, _ uri: UnsafePointer<UInt8>?,
        _ nbNamespaces: Int, _ namespaces: UnsafeMutablePointer<UnsafePointer<UInt8>?>?,
        _ nbAttributes: Int, _ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    ) {
        if nbNamespaces > 0, let namespaces {
            for k in 0..<nbNamespaces {
                let p = XMLEventSource.string(namespaces[2 * k])
                guard let u = XMLEventSource.string(namespaces[2 * k + 1]), !u.isEmpty else { continue }
                builder.trackNamespace(prefix: (p?.isEmpty ?? true) ? nil : p, uri: u)
                if let p, !p.isEmpty, u == "http://www.w3.org/1999/xlink" { pendingDecls.append(("xmlns:" + p, u)) }
            }
        }
        let tag = resolve(localname, prefix, uri)

        var attrs: [(String, String)] = pendingDecls
        pendingDecls.removeAll()
        if tag.suffix == "math" && XMLEventSource.string(uri) == "http://www.w3.org/1998/Math/MathML" {
            attrs.append(("xmlns", "http://www.w3.org/1998/Math/MathML"))
        }
        if tag.suffix == "svg" && XMLEventSource.string(uri) == "http://www.w3.org/2000/svg" {
            attrs.append(("xmlns", "http://www.w3.org/2000/svg"))
        }
        if nbAttributes > 0, let attributes {
            var qnames: [(String, String)] = []
            for k in 0..<nbAttributes {
                let base = 5 * k
                guard let lname = XMLEventSource.string(attributes[base]) else { continue }
                let aprefix = XMLEventSource.string(attributes[base + 1])
                let auri = XMLEventSource.string(attributes[base + 2])
                var value = ""
                if let vs = attributes[base + 3], let ve = attributes[base + 4] {
                    value = String(decoding: UnsafeBufferPointer(start: vs, count: ve - vs), as: UTF8.self)
                    if value.containsBytes("&#38;") { value = value.replacingAll("&#38;", with: "&") }
                }
                let known = auri.map { KnownNamespaces.prefixes[$0.lowercased()] ?? "" } ?? ""
                let key = (known.isEmpty ? lname : known + ":" + lname).lowercased()
                attrs.append((key, value))
                if let aprefix, !aprefix.isEmpty {
                    qnames.append(((aprefix + ":" + lname).lowercased(), value))
                }
            }
            attrs += qnames
        }
        builder.startElement(tag, attrs: attrs)
    }

    fileprivate func resolve(_ localname: UnsafePointer<UInt8>, _ prefix: UnsafePointer<UInt8>?, _ uri: UnsafePointer<UInt8>?) -> FeedBuilder.Tag {
        if cacheGeneration != builder.namespaceGeneration {
            tagCache.removeAll(keepingCapacity: true)
            for k in 0..<XMLEventSource.slots { slotKeys[k] = nil; slotTags[k] = nil }
            cacheGeneration = builder.namespaceGeneration
        }
        let key = TagKey(
            local: UInt(bitPattern: localname), prefix: UInt(bitPattern: prefix), uri: UInt(bitPattern: uri))
        let slot = Int(truncatingIfNeeded: ((key.local >> 4) ^ (key.uri >> 6) ^ (key.prefix >> 5)) & UInt(XMLEventSource.slots - 1))
        if slotKeys[slot] == key, let tag = slotTags[slot] { return tag }
        if let cached = tagCache[key] {
            slotKeys[slot] = key
            slotTags[slot] = cached
            return cached
        }

        var namespace = XMLEventSource.string(uri) ?? ""
        var lowerNamespace = namespace.lowercased()
        if lowerNamespace.contains("backend.userland.com/rss") {
            namespace = "http://backend.userland.com/rss"
            lowerNamespace = namespace
        }
        let givenPrefix = XMLEventSource.string(prefix).flatMap { $0.isEmpty ? nil : $0 }
        var canonical = KnownNamespaces.prefixes[lowerNamespace] ?? givenPrefix
        if let givenPrefix, canonical == nil || (canonical == "" && lowerNamespace.isEmpty),
            builder.namespacesInUse[givenPrefix] == nil
        {
            if firstError == nil { firstError = "'\(givenPrefix)' is not associated with a namespace" }
            canonical = givenPrefix
        }
        var local = (XMLEventSource.string(localname) ?? "").lowercased()
        if let canonical, !canonical.isEmpty { local = canonical.lowercased() + ":" + local }
        let tag = builder.resolve(tag: local)
        tagCache[key] = tag
        slotKeys[slot] = key
        slotTags[slot] = tag
        return tag
    }
}
