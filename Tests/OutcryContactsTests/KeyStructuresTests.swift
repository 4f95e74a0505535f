import OutcryModel
import Testing
@testable import OutcryContacts

/// The contact index's key structures against plain Swift collections.
@Suite("Contact index key structures")
struct KeyStructuresTests {
    /// Every key's range equals a linear scan, at sizes that give 256 buckets up to many
    /// thousands, with duplicate keys, keys at both ends of the range and keys not present.
    @Test("sorted multimap ranges", arguments: [0, 1, 2, 300, 70_000])
    func sortedMultiMap(size: Int) {
        var random = SplitMix64(state: UInt64(size) &+ 11)
        var pairs: [(key: UInt64, value: Int32)] = []
        for n in 0..<size {
            // A third of the keys repeat an earlier one.
            let key = n > 0 && random.below(3) == 0 ? pairs[random.below(pairs.count)].key : random.next()
            pairs.append((key, Int32(n)))
        }
        if size > 2 {
            pairs.append((0, 1))
            pairs.append((UInt64.max, 2))
            pairs.append((UInt64.max, 3))
        }
        let reference = pairs
        let map = SortedMultiMap(taking: &pairs)
        #expect(pairs.isEmpty)
        #expect(map.count == reference.count)
        var expected: [UInt64: [Int32]] = [:]
        for pair in reference { expected[pair.key, default: []].append(pair.value) }
        for (key, values) in expected {
            #expect(Array(map.values(of: key)) == values.sorted())
        }
        for _ in 0..<1_000 {
            let absent = random.next()
            if expected[absent] == nil { #expect(map.range(of: absent).isEmpty) }
        }
    }

    @Test func keySetAgreesWithSet() {
        var random = SplitMix64(state: 5)
        var set = KeySet()
        var reference = Set<UInt64>()
        #expect(set.isEmpty && !set.contains(0))
        for n in 0..<20_000 {
            let key = n % 1_000 == 0 ? 0 : (random.below(4) == 0 ? UInt64(random.below(500)) : random.next())
            #expect(set.insert(key) == reference.insert(key).inserted)
        }
        #expect(set.count == reference.count)
        for key in reference { #expect(set.contains(key)) }
        for _ in 0..<20_000 {
            let key = random.next()
            #expect(set.contains(key) == reference.contains(key))
        }
    }

    /// Small tables live on the heap, large ones are mapped on their own pages: both hold what
    /// they were filled with, and a slice keeps its table alive after the table's last owner.
    @Test("page buffers", arguments: [0, 3, PageBuffer<UInt64>.mappingThreshold / 8 + 1_000])
    func pageBuffer(count: Int) {
        var random = SplitMix64(state: UInt64(count))
        let values = (0..<count).map { _ in random.next() }
        var table: PageBuffer<UInt64>? = PageBuffer(values)
        #expect(table!.count == count)
        #expect(Array(table!) == values)
        let slice = table![(count / 2)...]
        table = nil
        #expect(Array(slice) == Array(values[(count / 2)...]))
    }
}
