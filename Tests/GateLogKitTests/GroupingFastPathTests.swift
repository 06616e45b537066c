import Foundation
import Testing
@testable import GateLogKit

/// The hand-made structures of the grouping hot path, checked against the plain Swift ones they replaced, and the
/// reader's borrowed-record path checked against line-by-line delivery.
@Suite struct GroupingFastPathTests {
    /// A deterministic stream of pseudo-random keys (splitmix64), some of them interned-style (small `low`, marker `high`).
    private struct KeyStream {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func key(pool: UInt64) -> RequestKey {
            let pick = next() % pool
            return pick % 5 == 0
                ? RequestKey(high: RequestKey.internedMarker, low: pick)
                : RequestKey(high: pick &* 0x1000_0000_0001, low: pick ^ 0xABCD)
        }
    }

    @Test func openTableAgreesWithADictionaryThroughGrowthAndDeletion() {
        var table = OpenRequestTable(capacity: 16)
        defer { table.release() }
        var reference: [RequestKey: RequestLifecycle] = [:]
        var stream = KeyStream(state: 7)
        for step in 0..<20_000 {
            // A small pool keeps clusters dense, so backward-shift deletion meets wrapped and displaced entries.
            let key = stream.key(pool: step < 10_000 ? 3_000 : 300)
            if let existing = reference[key] {
                #expect(table.find(key)?.takeUnretainedValue() === existing)
                table.remove(key)
                reference[key] = nil
            } else {
                #expect(table.find(key) == nil)
                let lifecycle = RequestLifecycle(key: key, requestId: "r\(step)")
                table.insert(lifecycle)
                reference[key] = lifecycle
            }
            #expect(table.count == reference.count)
        }
        for (key, lifecycle) in reference { #expect(table.find(key)?.takeUnretainedValue() === lifecycle) }
        #expect(Set(table.all.map(ObjectIdentifier.init)) == Set(reference.values.map(ObjectIdentifier.init)))
    }

    @Test func closedMemoryForgetsExactlyLikeASetWithAnOrderList() {
        let limit = 97
        var memory = ClosedRequestMemory(limit: limit)
        defer { memory.release() }
        var set: Set<RequestKey> = []
        var order: [RequestKey] = []
        var head = 0
        var stream = KeyStream(state: 11)
        for _ in 0..<5_000 {
            // Keys repeat now and then: remembering one twice must behave as the Set + list did.
            let key = stream.key(pool: 400)
            memory.remember(key)
            set.insert(key)
            order.append(key)
            if order.count - head > limit {
                set.remove(order[head])
                head += 1
            }
            let probe = stream.key(pool: 400)
            #expect(memory.contains(probe) == set.contains(probe))
            #expect(memory.contains(key) == set.contains(key))
        }
    }

    @Test func uuidDecodingMatchesDigitByDigitReading() throws {
        let texts = ["286364ab-3a83-11e9-8dc8-db3cf4c83204", "286364AB-3A83-11E9-8DC8-DB3CF4C83204",
                     "00000000-0000-0000-0000-000000000000", "fedcba98-7654-3210-0f1e-2d3c4b5a6978"]
        for text in texts {
            let key = try #require(Array(text.utf8).withUnsafeBytes { RequestKey.uuid($0) })
            let digits = text.filter { $0 != "-" }
            #expect(key.high == UInt64(digits.prefix(16), radix: 16))
            #expect(key.low == UInt64(digits.suffix(16), radix: 16))
            #expect(key.uuidString == text.lowercased())
        }
        for bad in ["286364ab-3a83-11e9-8dc8-db3cf4c8320g", "286364ab-3a83-11e9-8dc8-db3cf4c8320", "286364ab_3a83-11e9-8dc8-db3cf4c83204",
                    "286364ab-3a83-11e9-8dc8-db3cf4c8320:", "ffffffff-ffff-ffff-0000-000000000000"] {
            #expect(Array(bad.utf8).withUnsafeBytes { RequestKey.uuid($0) } == nil, "\(bad)")
        }
    }

    /// Records kept borrowed from the line reader's buffer must come out exactly as records copied line by line, also
    /// when records, continuation lines and colour codes straddle buffer refills.
    @Test func borrowedRecordsMatchLineByLineDelivery() throws {
        var text = ""
        for i in 0..<60 {
            let id = String(format: "286364ab-3a83-11e9-8dc8-%012x", i % 7)
            text += "2019-02-26T15:29:3\(i % 10).\(100 + i)Z (\(id)) Method request body before transformations: {\n"
            if i % 3 == 0 { text += "  \"pet\": \(i),\n}\n" }
            if i % 4 == 0 { text += "\u{1B}[32m2019-02-27T11:31:00.425000+00:00\u{1B}[0m (\(id)) Method completed with status: 200\n" }
            if i % 5 == 0 { text += "\n" }
        }
        for bufferSize in [201, 257, 400, 1 << 16] {
            let borrowed = CollectingSink()
            let reader = TextRecordReader(sink: borrowed, origin: nil, displayName: "paste.txt")
            var lines = LineReader(source: MemorySource(Array(text.utf8)), bufferSize: bufferSize, maxLineLength: 200)
            try reader.read(&lines)

            let copied = CollectingSink()
            let oneByOne = TextRecordReader(sink: copied, origin: nil, displayName: "paste.txt")
            var plain = LineReader(source: MemorySource(Array(text.utf8)), bufferSize: bufferSize, maxLineLength: 200)
            try plain.forEachLine { line, number, dropped in
                let copy = Array(line)
                try copy.withUnsafeBytes { try oneByOne.consume(line: $0, number: number, dropped: dropped) }
            }
            try oneByOne.finish()

            #expect(borrowed.records.count > 60)
            #expect(borrowed.records == copied.records, "buffer \(bufferSize)")
            #expect(reader.continuationLines == oneByOne.continuationLines)
        }
    }
}
