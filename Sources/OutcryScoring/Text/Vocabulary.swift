/// Word classes the rules need, one bit each, attached to a vocabulary entry.
struct WordFlags: OptionSet, Sendable {
    let rawValue: UInt32
    static let valence = WordFlags(rawValue: 1 << 0)
    static let negation = WordFlags(rawValue: 1 << 1)
    static let booster = WordFlags(rawValue: 1 << 2)
    static let but = WordFlags(rawValue: 1 << 3)
    static let least = WordFlags(rawValue: 1 << 4)
    static let no = WordFlags(rawValue: 1 << 5)
    static let kind = WordFlags(rawValue: 1 << 6)
    static let of = WordFlags(rawValue: 1 << 7)
    static let never = WordFlags(rawValue: 1 << 8)
    static let soOrThis = WordFlags(rawValue: 1 << 9)
    static let without = WordFlags(rawValue: 1 << 10)
    static let doubt = WordFlags(rawValue: 1 << 11)
    static let atOrVery = WordFlags(rawValue: 1 << 12)
    static let orNor = WordFlags(rawValue: 1 << 13)
    static let sortOrKind = WordFlags(rawValue: 1 << 14)
    static let emoji = WordFlags(rawValue: 1 << 15)
    static let directed = WordFlags(rawValue: 1 << 16)
}

/// FNV-1a over bytes; the one hash every lookup uses.
@inline(__always)
func fnv1a(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for i in 0..<count {
        h = (h ^ UInt64(p[i])) &* 0x0000_0100_0000_01B3
    }
    return h
}

/// An immutable word table: lowercase UTF-8 bytes → dense id, with per-id attributes.
///
/// Built once (from the VADER lexicon, the rule lists and the configuration) and then only
/// read, so one instance is shared by every scoring call. Lookups hash the token's bytes
/// (FNV-1a) into an open-addressed table and confirm with a byte compare: no `String` is
/// made for a token.
final class Vocabulary: @unchecked Sendable {
    let count: Int
    private let mask: Int
    private let slotIDs: UnsafeMutablePointer<Int32>
    private let slotHashes: UnsafeMutablePointer<UInt64>
    private let keyBytes: UnsafeMutablePointer<UInt8>
    private let keyStart: UnsafeMutablePointer<Int32>
    private let keyLength: UnsafeMutablePointer<Int32>
    let valence: UnsafeMutablePointer<Double>
    let booster: UnsafeMutablePointer<Double>
    let flags: UnsafeMutablePointer<WordFlags>
    /// Bit per language whose stop-word list holds the word (see `LanguageProfile`).
    let languages: UnsafeMutablePointer<UInt8>
    /// Phrases starting with the word: `phraseHead[id] ..< phraseHead[id] + phraseCount[id]`.
    let phraseHead: UnsafeMutablePointer<Int32>
    let phraseCount: UnsafeMutablePointer<Int32>
    /// The `<num>` and `<mention>` pseudo-words.
    let numberID: Int32
    let mentionID: Int32

    init(builder b: VocabularyBuilder, phraseHeads: [Int32], phraseCounts: [Int32]) {
        count = b.words.count
        var cap = 16
        while cap < count * 2 { cap <<= 1 }
        mask = cap - 1
        slotIDs = .allocate(capacity: cap)
        slotIDs.initialize(repeating: -1, count: cap)
        slotHashes = .allocate(capacity: cap)
        slotHashes.initialize(repeating: 0, count: cap)
        let totalBytes = b.words.reduce(0) { $0 + $1.utf8.count }
        keyBytes = .allocate(capacity: max(totalBytes, 1))
        keyStart = .allocate(capacity: max(count, 1))
        keyLength = .allocate(capacity: max(count, 1))
        valence = .allocate(capacity: max(count, 1))
        booster = .allocate(capacity: max(count, 1))
        flags = .allocate(capacity: max(count, 1))
        languages = .allocate(capacity: max(count, 1))
        phraseHead = .allocate(capacity: max(count, 1))
        phraseCount = .allocate(capacity: max(count, 1))
        var offset = 0
        for (id, word) in b.words.enumerated() {
            let bytes = Array(word.utf8)
            keyStart[id] = Int32(offset)
            keyLength[id] = Int32(bytes.count)
            for byte in bytes {
                keyBytes[offset] = byte
                offset += 1
            }
            valence[id] = b.valence[id]
            booster[id] = b.booster[id]
            flags[id] = b.flags[id]
            languages[id] = b.languages[id]
            phraseHead[id] = id < phraseHeads.count ? phraseHeads[id] : 0
            phraseCount[id] = id < phraseCounts.count ? phraseCounts[id] : 0
            let h = bytes.withUnsafeBufferPointer { fnv1a($0.baseAddress!, $0.count) }
            var slot = Int(truncatingIfNeeded: h) & mask
            while slotIDs[slot] >= 0 { slot = (slot + 1) & mask }
            slotIDs[slot] = Int32(id)
            slotHashes[slot] = h
        }
        numberID = Int32(b.index["<num>"] ?? -1)
        mentionID = Int32(b.index["<mention>"] ?? -1)
    }

    deinit {
        slotIDs.deallocate(); slotHashes.deallocate(); keyBytes.deallocate(); keyStart.deallocate()
        keyLength.deallocate(); valence.deallocate(); booster.deallocate(); flags.deallocate()
        languages.deallocate(); phraseHead.deallocate(); phraseCount.deallocate()
    }

    /// The id of the word whose lowercase bytes are `p[0..<count]` (hash `h`), or -1.
    @inline(__always)
    func lookup(_ p: UnsafePointer<UInt8>, _ length: Int, hash h: UInt64) -> Int32 {
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = slotIDs[slot]
            if id < 0 { return -1 }
            if slotHashes[slot] == h && Int(keyLength[Int(id)]) == length {
                let k = keyBytes + Int(keyStart[Int(id)])
                var same = true
                for i in 0..<length where k[i] != p[i] { same = false; break }
                if same { return id }
            }
            slot = (slot + 1) & mask
        }
    }

    func lookup(_ word: String) -> Int32 {
        var bytes = Array(word.utf8)
        return bytes.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress, buf.count > 0 else { return -1 }
            return lookup(base, buf.count, hash: fnv1a(base, buf.count))
        }
    }

    func word(_ id: Int32) -> String {
        let start = keyBytes + Int(keyStart[Int(id)])
        return String(decoding: UnsafeBufferPointer(start: start, count: Int(keyLength[Int(id)])), as: UTF8.self)
    }
}

/// Collects words and their attributes before the table is frozen into a `Vocabulary`.
struct VocabularyBuilder {
    var words: [String] = []
    var index: [String: Int] = [:]
    var valence: [Double] = []
    var booster: [Double] = []
    var flags: [WordFlags] = []
    var languages: [UInt8] = []

    @discardableResult
    mutating func intern(_ raw: String) -> Int {
        let word = raw.lowercased()
        if let id = index[word] { return id }
        let id = words.count
        words.append(word)
        index[word] = id
        valence.append(0)
        booster.append(0)
        flags.append([])
        languages.append(0)
        return id
    }

    mutating func setValence(_ word: String, _ value: Double, override: Bool) {
        let id = intern(word)
        if flags[id].contains(.valence) && !override { return }
        valence[id] = value
        flags[id].insert(.valence)
    }

    mutating func add(_ word: String, flags extra: WordFlags) {
        let id = intern(word)
        flags[id].formUnion(extra)
    }
}
