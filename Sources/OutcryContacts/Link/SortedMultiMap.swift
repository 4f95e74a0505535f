#if canImport(Glibc)
import Glibc
#endif

/// A compact multimap from 64-bit keys to contact ordinals: one sorted array of keys and one of
/// values, found through a table of buckets by the keys' top bits. About fourteen bytes per
/// entry, no per-key allocation, so that it holds millions of identifiers.
struct SortedMultiMap: Sendable {
    let keys: PageBuffer<UInt64>
    let values: PageBuffer<Int32>
    /// Where the keys with each top-`bits` prefix start (`buckets[p] ..< buckets[p + 1]`), so a
    /// search touches one bucket of one or two keys: about one cache line of `keys` instead of
    /// a bisection's several misses across a large array. Four bytes per one or two keys.
    private let buckets: PageBuffer<Int32>
    private let shift: UInt64

    /// Sorts `pairs` in place and takes them over (the array is left empty).
    init(taking pairs: inout [(key: UInt64, value: Int32)]) {
        pairs.sort { $0.key != $1.key ? $0.key < $1.key : $0.value < $1.value }
        let sorted = pairs
        pairs = []
        let keys = PageBuffer<UInt64>(count: sorted.count) { for i in $0.indices { $0[i] = sorted[i].key } }
        self.keys = keys
        values = PageBuffer(count: sorted.count) { for i in $0.indices { $0[i] = sorted[i].value } }
        // About two keys per bucket: 2^(⌈log2 n⌉ - 1) buckets, at least 256, at most 2^24.
        let bits = Swift.max(8, Swift.min(24, (sorted.count.bitWidth - sorted.count.leadingZeroBitCount) - 1))
        let shift = UInt64(64 - bits)
        self.shift = shift
        buckets = PageBuffer(count: (1 << bits) + 1) { buckets in
            var position = 0
            for bucket in buckets.indices {
                while position < keys.count, Int(keys[position] >> shift) < bucket { position += 1 }
                buckets[bucket] = Int32(position)
            }
        }
    }

    var count: Int { keys.count }

    /// The range of `values` stored under `key` (empty when none).
    func range(of key: UInt64) -> Range<Int> {
        let bucket = Int(key >> shift)
        var low = Int(buckets[bucket]), high = Int(buckets[bucket + 1])
        while low < high {
            let mid = (low + high) >> 1
            if keys[mid] < key { low = mid + 1 } else { high = mid }
        }
        var end = low
        while end < keys.count, keys[end] == key { end += 1 }
        return low..<end
    }

    func values(of key: UInt64) -> Slice<PageBuffer<Int32>> { values[range(of: key)] }
}

/// A fixed table of plain values for the contact index, on transparent huge pages where the
/// system offers them (Linux with THP in `madvise` or `always` mode; the machines here run
/// `madvise`).
///
/// Linking reads these tables at random: with 4 KiB pages nearly every look-up in a
/// million-contact index also misses the TLB, and on 2 MiB pages the same benchmark links about
/// a quarter more mentions per second. A large table is mapped on its own (`mmap`) and advised
/// before it is first written, so the advice holds from the first page; a small one is plain
/// heap memory. Immutable once filled; a slice keeps the table alive.
final class PageBuffer<Element: BitwiseCopyable>: RandomAccessCollection, @unchecked Sendable {
    /// Tables from this size are mapped on their own.
    static var mappingThreshold: Int { 4 << 20 }

    private let base: UnsafeMutablePointer<Element>
    let count: Int
    /// Bytes mapped with `mmap`, 0 when the table is on the heap.
    private let mappedBytes: Int

    /// A table of `count` values; `fill` must set every one.
    init(count: Int, _ fill: (UnsafeMutableBufferPointer<Element>) -> Void) {
        precondition(count >= 0)
        self.count = count
        let bytes = Swift.max(1, count) * MemoryLayout<Element>.stride
        var mapped: UnsafeMutableRawPointer?
        #if os(Linux)
        if bytes >= Self.mappingThreshold {
            let region = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            if let region, region != MAP_FAILED {
                _ = madvise(region, bytes, MADV_HUGEPAGE)  // a hint: nothing changes where the system says no
                mapped = region
            }
        }
        #endif
        if let mapped {
            base = mapped.bindMemory(to: Element.self, capacity: count)
            mappedBytes = bytes
        } else {
            base = .allocate(capacity: Swift.max(1, count))
            mappedBytes = 0
        }
        fill(UnsafeMutableBufferPointer(start: base, count: count))
    }

    /// A table holding `values`.
    convenience init<C: Collection>(_ values: C) where C.Element == Element {
        self.init(count: values.count) { _ = $0.initialize(from: values) }
    }

    deinit {
        #if os(Linux)
        if mappedBytes > 0 {
            munmap(base, mappedBytes)
            return
        }
        #endif
        base.deallocate()
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(position: Int) -> Element {
        precondition(position >= 0 && position < count, "PageBuffer index out of range")
        return base[position]
    }

    /// The values in place, for loops that check their own bounds once.
    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: count))
    }
}

/// A set of 64-bit keys that are already hashes (`IdentifierKey`): open addressing with linear
/// probing, at most half full. A look-up is one multiply and usually one cache line, where
/// `Set<UInt64>` hashes each key again (SipHash); company names are looked for at every word of
/// every mention's text.
struct KeySet: Sendable {
    /// 0 marks an empty slot; the key 0 itself is kept in `hasZero`.
    private var slots: [UInt64] = [UInt64](repeating: 0, count: 16)
    private var shift: UInt64 = 60
    private var hasZero = false
    private(set) var count = 0

    init() {}

    var isEmpty: Bool { count == 0 }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    func contains(_ key: UInt64) -> Bool {
        if key == 0 { return hasZero }
        var index = slot(key)
        while true {
            let found = slots[index]
            if found == key { return true }
            if found == 0 { return false }
            index = (index + 1) & (slots.count - 1)
        }
    }

    /// Adds a key; true when it was not there yet.
    @discardableResult
    mutating func insert(_ key: UInt64) -> Bool {
        if key == 0 {
            defer { hasZero = true }
            if !hasZero { count += 1 }
            return !hasZero
        }
        if (count + 1) * 2 > slots.count { grow() }
        var index = slot(key)
        while slots[index] != 0 {
            if slots[index] == key { return false }
            index = (index + 1) & (slots.count - 1)
        }
        slots[index] = key
        count += 1
        return true
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        shift -= 1
        for key in old where key != 0 {
            var index = slot(key)
            while slots[index] != 0 { index = (index + 1) & (slots.count - 1) }
            slots[index] = key
        }
    }
}

/// FNV-1a over a kind tag and bytes: the key of one identifier in a `SortedMultiMap`.
///
/// Keys made of several parts (`smith|acme`) are hashed part by part with a `Hasher` value, so
/// that no joined copy of the bytes is made: FNV-1a reads bytes in order, and the parts fed one
/// after another hash exactly as their concatenation.
enum IdentifierKey {
    static let email: UInt8 = 1
    static let phone: UInt8 = 2
    static let nameBlock: UInt8 = 3
    static let companyBlock: UInt8 = 4
    static func handle(_ network: UInt8) -> UInt8 { 16 + network }

    @inline(__always)
    static func hash<S: Sequence>(_ tag: UInt8, _ bytes: S) -> UInt64 where S.Element == UInt8 {
        var hasher = Hasher(tag)
        hasher.add(bytes)
        return hasher.value
    }

    /// FNV-1a state: a tag, then bytes in order.
    struct Hasher {
        private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

        @inline(__always)
        init(_ tag: UInt8) { add(tag) }

        @inline(__always)
        mutating func add(_ byte: UInt8) {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01B3
        }

        @inline(__always)
        mutating func add<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
            for byte in bytes { add(byte) }
        }
    }
}
