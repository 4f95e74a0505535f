/// A compact multimap from 64-bit keys to contact ordinals: one sorted array of keys and one of
/// values, searched by bisection. Twelve bytes per entry, no per-key allocation, so that it holds
/// millions of identifiers.
struct SortedMultiMap: Sendable {
    private(set) var keys: [UInt64]
    private(set) var values: [Int32]
    /// Where the keys with each top-16-bit prefix start, so a search touches one small bucket.
    private var buckets: [Int32]

    /// Sorts `pairs` in place and takes them over (the array is left empty), so that building
    /// needs no second copy.
    init(taking pairs: inout [(key: UInt64, value: Int32)]) {
        pairs.sort { $0.key != $1.key ? $0.key < $1.key : $0.value < $1.value }
        keys = pairs.map(\.key)
        values = pairs.map(\.value)
        pairs = []
        buckets = [Int32](repeating: 0, count: (1 << 16) + 1)
        var position = 0
        for bucket in 0...(1 << 16) {
            while position < keys.count, Int(keys[position] >> 48) < bucket { position += 1 }
            buckets[bucket] = Int32(position)
        }
    }

    var count: Int { keys.count }

    /// The range of `values` stored under `key` (empty when none).
    func range(of key: UInt64) -> Range<Int> {
        let bucket = Int(key >> 48)
        var low = Int(buckets[bucket]), high = Int(buckets[bucket + 1])
        while low < high {
            let mid = (low + high) >> 1
            if keys[mid] < key { low = mid + 1 } else { high = mid }
        }
        var end = low
        while end < keys.count, keys[end] == key { end += 1 }
        return low..<end
    }

    func values(of key: UInt64) -> ArraySlice<Int32> { values[range(of: key)] }

    /// Every run of two or more values under one key, as ranges of `values`.
    func groups(minimumSize: Int = 2) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        while start < keys.count {
            var end = start + 1
            while end < keys.count, keys[end] == keys[start] { end += 1 }
            if end - start >= minimumSize { result.append(start..<end) }
            start = end
        }
        return result
    }
}

/// FNV-1a over a kind tag and bytes: the key of one identifier in a `SortedMultiMap`.
enum IdentifierKey {
    static let email: UInt8 = 1
    static let phone: UInt8 = 2
    static let nameBlock: UInt8 = 3
    static let companyBlock: UInt8 = 4
    static func handle(_ network: UInt8) -> UInt8 { 16 + network }

    @inline(__always)
    static func hash<S: Sequence>(_ tag: UInt8, _ bytes: S) -> UInt64 where S.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        hash ^= UInt64(tag)
        hash &*= 0x0000_0100_0000_01B3
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
