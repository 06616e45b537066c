#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One token of JSON text as `JSONScanner` delivers it.
public enum JSONToken: Sendable, Equatable {
    case beginObject, endObject, beginArray, endArray
    /// An object member name; its unescaped bytes are in `JSONScanner.text`.
    case key
    /// A string value; its unescaped bytes are in `JSONScanner.text`.
    case string
    /// A number; its literal bytes are in `JSONScanner.text`.
    case number
    case trueValue, falseValue, null
    /// No more input, and every value seen so far was complete.
    case endOfInput
}

/// Malformed JSON: where it was found (absolute byte offset and 1-based line) and what was wrong.
public struct JSONSyntaxError: Error, Sendable, CustomStringConvertible {
    public var offset: Int64
    public var line: Int
    public var reason: String

    public init(offset: Int64, line: Int, reason: String) {
        self.offset = offset
        self.line = line
        self.reason = reason
    }

    /// The problem to report for input `file`: source `file:line`, message naming the byte offset.
    public func problem(in file: String) -> InputProblem {
        InputProblem(source: "\(file):\(line)", message: "malformed JSON at byte \(offset): \(reason)")
    }

    public var description: String { "line \(line), byte \(offset): \(reason)" }
}

/// An incremental JSON tokenizer that reads a `ByteSource` through its own buffer and never holds a whole document.
///
/// * Several top-level values may follow each other, with or without whitespace between them (Firehose objects are
///   `…]}{"messageType":…`; NDJSON has one value per line). `endOfInput` comes only after a complete value.
/// * String values and keys are unescaped (`\uXXXX` surrogate pairs joined; invalid escapes and lone surrogates become
///   U+FFFD; raw bytes, including invalid UTF-8 and control characters, pass through unchanged). `text` borrows them and
///   stays valid only until the next call that advances the scanner. A string longer than `maxStringLength` is cut and
///   `textDroppedBytes` says how many decoded bytes were lost.
/// * Malformed input throws a `JSONSyntaxError` that names the byte offset and the line; read failures of the source
///   propagate unchanged.
///
/// Plain string content is found with `memchr`, so long messages cost little more than a copy.
public final class JSONScanner<Source: ByteSource> {
    public private(set) var source: Source
    public let maxStringLength: Int
    public let maxDepth: Int

    // The scalar state below is marked `@exclusivity(unchecked)`: it is only touched by this class's own methods, never
    // passed `inout`, and the runtime access bookkeeping otherwise costs about a tenth of the scanning time.
    private let capacity: Int
    private let buffer: UnsafeMutableRawPointer
    @exclusivity(unchecked) private var pos = 0
    @exclusivity(unchecked) private var end = 0
    @exclusivity(unchecked) private var atEOF = false
    /// Counts buffer compactions and reads, so cached buffer indices can be recognised as stale.
    @exclusivity(unchecked) private var refillGeneration = 0
    @exclusivity(unchecked) private var checkedByteOrderMark = false
    /// Absolute input offset of `buffer[0]`.
    @exclusivity(unchecked) private var bufferOffset: Int64 = 0

    // Line counting is lazy: `newlinesBeforeScan` newlines precede buffer index `lineScanPos`.
    @exclusivity(unchecked) private var newlinesBeforeScan = 0
    @exclusivity(unchecked) private var lineScanPos = 0

    @exclusivity(unchecked) private var tokenStart = 0
    @exclusivity(unchecked) private var tokenStartOffset: Int64 = 0
    @exclusivity(unchecked) private var tokenStartLineCache = 0

    // Decoded text of the last key/string/number.
    @exclusivity(unchecked) public private(set) var text = UnsafeRawBufferPointer(start: nil, count: 0)
    @exclusivity(unchecked) public private(set) var textDroppedBytes = 0
    private var scratch: UnsafeMutableRawPointer
    private var scratchCapacity: Int
    @exclusivity(unchecked) private var scratchCount = 0
    private let numberScratch: UnsafeMutableRawPointer
    private static var numberScratchSize: Int { 128 }

    // Structure.
    private enum Expect { case value, valueOrEnd, keyOrEnd, key, colon, commaOrEnd }
    @exclusivity(unchecked) private var expect = Expect.value
    /// One byte per open container (1 for an object, 0 for an array); `depth` of them are in use.
    private let containers: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) public private(set) var depth = 0
    private var innermostIsObject: Bool { containers[depth - 1] != 0 }

    // Raw capture of a value's bytes (for nested objects passed on as text).
    private var capturing = false
    private var captureFrom = 0
    private var captured: [UInt8] = []
    private var captureLimit = 0
    private var captureDropped = 0
    private var lastResynchronization: Int64 = -1

    /// - Parameters:
    ///   - bufferSize: bytes read from the source at a time (at least 64).
    ///   - maxStringLength: decoded bytes kept per string; the rest is dropped and counted.
    public init(source: Source, bufferSize: Int = 1 << 20, maxStringLength: Int = 1 << 20, maxDepth: Int = 512) {
        precondition(maxStringLength > 0 && maxDepth > 0)
        self.source = source
        self.capacity = max(bufferSize, 64)
        self.maxStringLength = maxStringLength
        self.maxDepth = maxDepth
        buffer = .allocate(byteCount: capacity, alignment: 16)
        scratchCapacity = min(maxStringLength, 64 << 10)
        scratch = .allocate(byteCount: scratchCapacity, alignment: 16)
        numberScratch = .allocate(byteCount: Self.numberScratchSize, alignment: 16)
        containers = .allocate(capacity: maxDepth)
    }

    deinit {
        buffer.deallocate()
        scratch.deallocate()
        numberScratch.deallocate()
        containers.deallocate()
    }

    // MARK: Positions

    /// Absolute byte offset where the last token starts.
    public var tokenOffset: Int64 { tokenStartOffset }

    /// 1-based line where the last token starts.
    public var tokenLine: Int {
        if tokenStartLineCache > 0 { return tokenStartLineCache }
        tokenStartLineCache = line(atBufferIndex: tokenStart)
        return tokenStartLineCache
    }

    /// Absolute byte offset of the next unread byte.
    public var offset: Int64 { bufferOffset + Int64(pos) }

    /// 1-based line of the next unread byte.
    public var currentLine: Int { line(atBufferIndex: pos) }

    /// Bytes consumed from the source so far.
    public var bytesRead: Int64 { bufferOffset + Int64(end) }

    private func line(atBufferIndex index: Int) -> Int {
        if index >= lineScanPos {
            newlinesBeforeScan += Self.countNewlines(buffer + lineScanPos, index - lineScanPos)
        } else {
            newlinesBeforeScan -= Self.countNewlines(buffer + index, lineScanPos - index)
        }
        lineScanPos = index
        return newlinesBeforeScan + 1
    }

    /// Counts newline bytes eight at a time (pretty-printed JSON has one every few dozen bytes, too many for `memchr`).
    private static func countNewlines(_ start: UnsafeMutableRawPointer, _ count: Int) -> Int {
        var found = 0
        var i = 0
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        while i + 8 <= count {
            // Per-byte counters (one per lane, at most 255 words before they are summed).
            var lanes: UInt64 = 0
            let stop = min(count, i + 255 * 8)
            while i + 8 <= stop {
                let word = start.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x0A0A_0A0A_0A0A_0A0A
                // High bit set exactly in the bytes that were 0x0A.
                let zeroBytes = ~(((word & lows) &+ lows) | word | lows)
                lanes &+= zeroBytes >> 7
                i += 8
            }
            found &+= Int((lanes &* 0x0101_0101_0101_0101) >> 56)
        }
        while i < count {
            if start.load(fromByteOffset: i, as: UInt8.self) == 0x0A { found += 1 }
            i += 1
        }
        return found
    }

    // MARK: Buffer management

    /// Drops `buffer[0..<keep]`, moves the rest to the front and reads more. Returns false at end of input.
    private func refill(keepingFrom keep: Int) throws -> Bool {
        refillGeneration &+= 1
        if keep > 0 {
            if tokenStartLineCache == 0, tokenStart < keep { _ = tokenLine }
            if lineScanPos < keep { _ = line(atBufferIndex: keep) }
            lineScanPos -= keep
            tokenStart -= keep
            if capturing {
                if captureFrom < keep { appendCapture(from: captureFrom, to: keep); captureFrom = 0 } else { captureFrom -= keep }
            }
            if end > keep { memmove(buffer, buffer + keep, end - keep) }
            end -= keep
            pos -= keep
            bufferOffset += Int64(keep)
        }
        if atEOF { return false }
        precondition(end < capacity, "JSONScanner: token does not fit its buffer")
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        if n == 0 {
            atEOF = true
            return false
        }
        end += n
        return true
    }

    /// Makes `count` bytes available at buffer index `index` (which moves when the buffer is compacted).
    /// Returns false when the input ends first.
    @inline(__always)
    private func ensure(_ count: Int, at index: inout Int) throws -> Bool {
        while end - index < count {
            let before = index
            let moved = try refill(keepingFrom: before)
            index = 0
            if !moved { return end - index >= count }
        }
        return true
    }

    @inline(__always)
    private func byte(_ index: Int) -> UInt8 { buffer.load(fromByteOffset: index, as: UInt8.self) }

    private func syntaxError(_ reason: String, at index: Int) -> JSONSyntaxError {
        let line = line(atBufferIndex: min(max(index, 0), end))
        return JSONSyntaxError(offset: bufferOffset + Int64(index), line: line, reason: reason)
    }

    private func describe(_ c: UInt8) -> String {
        if c >= 0x21 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        let hex = String(c, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
    }

    /// Skips whitespace (and a leading byte order mark); returns the next byte without consuming it, nil at end of input.
    @inline(__always)
    private func peekNonWhitespace() throws -> UInt8? {
        while true {
            var p = pos
            let limit = end
            let base = buffer
            while p < limit {
                let c = base.load(fromByteOffset: p, as: UInt8.self)
                if c == 0x20 {
                    // Indentation comes in runs of spaces: step over eight at a time.
                    p += 1
                    while p + 8 <= limit, base.loadUnaligned(fromByteOffset: p, as: UInt64.self) == 0x2020_2020_2020_2020 {
                        p += 8
                    }
                    continue
                }
                if c == 0x0A || c == 0x0D || c == 0x09 {
                    p += 1
                    continue
                }
                pos = p
                if !checkedByteOrderMark {
                    checkedByteOrderMark = true
                    if c == 0xEF && bufferOffset + Int64(p) == 0 {
                        var at = p
                        if try ensure(3, at: &at), byte(at + 1) == 0xBB, byte(at + 2) == 0xBF {
                            pos = at + 3
                        } else {
                            pos = at
                            return c
                        }
                        break
                    }
                }
                return c
            }
            if p >= limit { pos = p }
            if pos < end { continue }
            if try !refill(keepingFrom: pos) && pos >= end { return nil }
        }
    }

    // MARK: Tokens

    /// The next token. With `decodingStrings: false` strings are stepped over without filling `text` (for skipping).
    public func next(decodingStrings: Bool = true) throws -> JSONToken {
        while true {
            guard let c = try peekNonWhitespace() else {
                if depth == 0 && expect == .value { return .endOfInput }
                throw syntaxError(
                    innermostIsObject ? "input ends inside an object" : "input ends inside an array", at: pos)
            }
            markTokenStart()
            switch expect {
            case .colon:
                guard c == 0x3A else { throw syntaxError("expected ':' after object key, found \(describe(c))", at: pos) }
                pos += 1
                expect = .value
                continue
            case .commaOrEnd:
                let inObject = innermostIsObject
                if c == 0x2C {
                    pos += 1
                    expect = inObject ? .key : .value
                    continue
                }
                if inObject && c == 0x7D { return close() }
                if !inObject && c == 0x5D { return close() }
                throw syntaxError(
                    inObject ? "expected ',' or '}' after object member, found \(describe(c))"
                        : "expected ',' or ']' after array element, found \(describe(c))", at: pos)
            case .keyOrEnd, .key:
                if c == 0x22 {
                    pos += 1
                    try scanString(decode: decodingStrings)
                    expect = .colon
                    return .key
                }
                if c == 0x7D && expect == .keyOrEnd { return close() }
                throw syntaxError("expected an object key in double quotes, found \(describe(c))", at: pos)
            case .valueOrEnd:
                if c == 0x5D { return close() }
                return try value(c, decodingStrings: decodingStrings)
            case .value:
                return try value(c, decodingStrings: decodingStrings)
            }
        }
    }

    @inline(__always)
    private func markTokenStart() {
        tokenStart = pos
        tokenStartOffset = bufferOffset + Int64(pos)
        tokenStartLineCache = 0
    }

    @inline(__always)
    private func close() -> JSONToken {
        pos += 1
        depth -= 1
        let wasObject = containers[depth] != 0
        expect = depth == 0 ? .value : .commaOrEnd
        return wasObject ? .endObject : .endArray
    }

    @inline(__always)
    private func afterScalar() {
        expect = depth == 0 ? .value : .commaOrEnd
    }

    private func value(_ c: UInt8, decodingStrings: Bool) throws -> JSONToken {
        switch c {
        case 0x22:
            pos += 1
            try scanString(decode: decodingStrings)
            afterScalar()
            return .string
        case 0x7B, 0x5B:
            guard depth < maxDepth else { throw syntaxError("nesting deeper than \(maxDepth) levels", at: pos) }
            pos += 1
            let isObject = c == 0x7B
            containers[depth] = isObject ? 1 : 0
            depth += 1
            expect = isObject ? .keyOrEnd : .valueOrEnd
            return isObject ? .beginObject : .beginArray
        case 0x2D, 0x30...0x39:
            try scanNumber()
            afterScalar()
            return .number
        case 0x74:
            try literal("true")
            afterScalar()
            return .trueValue
        case 0x66:
            try literal("false")
            afterScalar()
            return .falseValue
        case 0x6E:
            try literal("null")
            afterScalar()
            return .null
        default:
            throw syntaxError("expected a JSON value, found \(describe(c))", at: pos)
        }
    }

    private func literal(_ word: StaticString) throws {
        var at = pos
        let length = word.utf8CodeUnitCount
        let complete = try ensure(length, at: &at)
        pos = at
        guard complete, memcmp(buffer + at, word.utf8Start, length) == 0 else {
            throw syntaxError("invalid literal, expected '\(word)'", at: at)
        }
        pos = at + length
    }

    private func scanNumber() throws {
        var count = 0
        var dropped = 0
        while true {
            while pos < end {
                let c = byte(pos)
                let isNumberByte = (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2B || c == 0x2E || c == 0x65 || c == 0x45
                if !isNumberByte { break }
                if count < Self.numberScratchSize {
                    numberScratch.storeBytes(of: c, toByteOffset: count, as: UInt8.self)
                    count += 1
                } else {
                    dropped += 1
                }
                pos += 1
            }
            if pos < end { break }
            if try !refill(keepingFrom: pos) { break }
        }
        text = UnsafeRawBufferPointer(start: numberScratch, count: count)
        textDroppedBytes = dropped
        if dropped == 0 && !Self.isValidNumber(text) {
            throw JSONSyntaxError(offset: tokenStartOffset, line: tokenLine, reason: "invalid number '\(String(decoding: text, as: UTF8.self))'")
        }
    }

    /// JSON number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private static func isValidNumber(_ t: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = t.count
        func digits() -> Int {
            let start = i
            while i < n, t[i] >= 0x30, t[i] <= 0x39 { i += 1 }
            return i - start
        }
        if i < n, t[i] == 0x2D { i += 1 }
        guard i < n else { return false }
        if t[i] == 0x30 { i += 1 } else if digits() == 0 { return false }
        if i < n, t[i] == 0x2E {
            i += 1
            if digits() == 0 { return false }
        }
        if i < n, t[i] == 0x65 || t[i] == 0x45 {
            i += 1
            if i < n, t[i] == 0x2B || t[i] == 0x2D { i += 1 }
            if digits() == 0 { return false }
        }
        return i == n
    }

    // MARK: Strings

    @inline(__always)
    private func appendScratch(_ from: UnsafeRawPointer, _ count: Int) {
        guard count > 0 else { return }
        let room = maxStringLength - scratchCount
        let kept = min(room, count)
        if kept > 0 {
            if scratchCount + kept > scratchCapacity { growScratch(to: scratchCount + kept) }
            (scratch + scratchCount).copyMemory(from: from, byteCount: kept)
            scratchCount += kept
        }
        textDroppedBytes += count - kept
    }

    private func growScratch(to needed: Int) {
        var newCapacity = scratchCapacity
        while newCapacity < needed { newCapacity *= 2 }
        newCapacity = min(newCapacity, maxStringLength)
        let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        grown.copyMemory(from: scratch, byteCount: scratchCount)
        scratch.deallocate()
        scratch = grown
        scratchCapacity = newCapacity
    }

    @inline(__always)
    private func appendScalar(_ value: UInt32) {
        JSONEscapes.withUTF8(of: value) { appendScratch($0.baseAddress!, $0.count) }
    }

    private static var replacementCharacter: UInt32 { JSONEscapes.replacementCharacter }

    /// Decodes the escape whose backslash is at `index` into the scratch buffer; returns the index after it.
    private func decodeEscape(at start: Int) throws -> Int {
        var index = start
        // Up to 12 bytes for a surrogate pair; fewer are fine at the end of input.
        _ = try ensure(12, at: &index)
        guard end - index >= 2 else { throw syntaxError("input ends inside a string", at: end) }
        let c = byte(index + 1)
        let simple: UInt8
        switch (c, JSONEscapes.simpleEscape(c)) {
        case (_, let byte?): simple = byte
        case (0x75, nil):
            return decodeUnicodeEscape(at: index)
        default:
            // Unknown escape: one replacement character for the backslash and an ASCII letter after it.
            appendScalar(Self.replacementCharacter)
            return index + (c < 0x80 ? 2 : 1)
        }
        var b = simple
        appendScratch(&b, 1)
        return index + 2
    }

    private func decodeUnicodeEscape(at index: Int) -> Int {
        let (scalar, length) = JSONEscapes.unicodeEscape(UnsafeRawPointer(buffer), at: index, end: end)
        appendScalar(scalar)
        return index + length
    }

    /// Scans a string whose opening quote has been consumed. With `decode`, fills `text`.
    private func scanString(decode: Bool) throws {
        scratchCount = 0
        textDroppedBytes = 0
        var inScratch = false
        var runStart = pos
        var p = pos
        var knownQuote = -1   // index of the next '"' at or after p, or `end` when none is in the buffer

        while true {
            if p >= end {
                if decode && p > runStart {
                    appendScratch(buffer + runStart, p - runStart)
                    inScratch = true
                }
                pos = p
                if try !refill(keepingFrom: p) {
                    throw syntaxError("input ends inside a string", at: end)
                }
                p = pos
                runStart = p
                knownQuote = -1
                continue
            }
            if knownQuote < p {
                if let q = memchr(buffer + p, 0x22, end - p) {
                    knownQuote = buffer.distance(to: q)
                } else {
                    knownQuote = end
                }
            }
            let backslash = memchr(buffer + p, 0x5C, knownQuote - p)
            if let backslash {
                let b = buffer.distance(to: backslash)
                if decode {
                    if b > runStart { appendScratch(buffer + runStart, b - runStart) }
                    inScratch = true
                    let generation = refillGeneration
                    pos = b
                    p = try decodeEscape(at: b)
                    if refillGeneration != generation { knownQuote = -1 }
                } else {
                    var at = b
                    let generation = refillGeneration
                    pos = b
                    guard try ensure(2, at: &at) else { throw syntaxError("input ends inside a string", at: end) }
                    if refillGeneration != generation { knownQuote = -1 }
                    p = at + 2
                }
                runStart = p
                continue
            }
            if knownQuote < end {
                // Closing quote.
                if decode {
                    if inScratch {
                        appendScratch(buffer + runStart, knownQuote - runStart)
                        text = UnsafeRawBufferPointer(start: scratch, count: scratchCount)
                    } else {
                        let length = knownQuote - runStart
                        let kept = min(length, maxStringLength)
                        text = UnsafeRawBufferPointer(start: buffer + runStart, count: kept)
                        textDroppedBytes = length - kept
                    }
                }
                pos = knownQuote + 1
                return
            }
            p = end
        }
    }

    // MARK: Fast paths for readers

    /// The input bytes already in the buffer and not yet consumed (no read happens). For a reader's fast path, which
    /// parses a whole value from them when it lies entirely in the buffer and otherwise falls back to `next()`.
    var bufferedUnread: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: buffer + pos, count: end - pos) }

    /// Consumes `count` bytes of `bufferedUnread` that completed the object whose `{` was the last token returned:
    /// they must end with its closing `}` (the caller has checked that they are well-formed members).
    /// `newlines`, when known, is how many newline bytes the consumed bytes hold; it saves counting them again.
    func finishObject(consumedBytes count: Int, newlines: Int?) {
        precondition(depth > 0 && innermostIsObject && count > 0 && count <= end - pos
                     && byte(pos + count - 1) == 0x7D)
        // Lines are counted up to the `{` (just before `pos`) when the reader asked for the event's line.
        if let newlines, lineScanPos == tokenStart, tokenStart == pos - 1 {
            newlinesBeforeScan += newlines
            lineScanPos = pos + count
        }
        pos += count
        depth -= 1
        expect = depth == 0 ? .value : .commaOrEnd
    }

    // MARK: Conveniences for readers

    /// Steps over the rest of the value that `token` opened (nothing to do for scalars).
    public func skipValue(startingWith token: JSONToken) throws {
        guard token == .beginObject || token == .beginArray else { return }
        let target = depth - 1
        while depth > target {
            _ = try next(decodingStrings: false)
        }
    }

    /// Reads the next value: true when it is a string (then in `text`); anything else is skipped whole.
    public func nextIsString() throws -> Bool {
        let token = try next()
        if token == .string { return true }
        try skipValue(startingWith: token)
        return false
    }

    /// Whether `text` equals `literal` byte for byte.
    @inline(__always)
    public func textEquals(_ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        return text.count == n && (n == 0 || memcmp(text.baseAddress!, literal.utf8Start, n) == 0)
    }

    /// `text` of a `.number` token as an integer, when it is one that fits; a fraction is truncated.
    public func integerValue() -> Int64? {
        guard textDroppedBytes == 0, !text.isEmpty else { return nil }
        var value: Int64 = 0
        var negative = false
        var i = 0
        if text[0] == 0x2D { negative = true; i = 1 }
        var sawDigit = false
        while i < text.count {
            let c = text[i]
            if c < 0x30 || c > 0x39 { break }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(c - 0x30))
            if o1 || o2 { return nil }
            value = s
            sawDigit = true
            i += 1
        }
        guard sawDigit else { return nil }
        if i < text.count {
            // Fraction or exponent: go through Double.
            guard let d = Double(String(decoding: text, as: UTF8.self)), d.isFinite,
                  d > -9.2e18, d < 9.2e18 else { return nil }
            return Int64(d)
        }
        return negative ? -value : value
    }

    /// Starts recording the raw bytes of the value whose first token was just returned (call right after it).
    public func beginCapture(limit: Int) {
        capturing = true
        captureFrom = tokenStart
        captured.removeAll(keepingCapacity: true)
        captureLimit = limit
        captureDropped = 0
    }

    /// Stops recording; returns the raw bytes from the captured value's first byte up to the current position, and how
    /// many bytes beyond `limit` were dropped.
    public func endCapture() -> (bytes: [UInt8], dropped: Int) {
        appendCapture(from: captureFrom, to: pos)
        capturing = false
        return (captured, captureDropped)
    }

    private func appendCapture(from: Int, to: Int) {
        guard to > from else { return }
        let room = captureLimit - captured.count
        let kept = min(room, to - from)
        if kept > 0 { captured.append(contentsOf: UnsafeRawBufferPointer(start: buffer + from, count: kept)) }
        captureDropped += (to - from) - kept
    }

    /// After a syntax error: forgets the open containers and continues where the next line's value can start — at the
    /// offending byte when it opens an object or array at the start of its line (the previous line was cut short),
    /// otherwise after the next newline. Always makes progress. Returns false at end of input.
    public func resynchronizeAtLineStart() throws -> Bool {
        depth = 0
        expect = .value
        capturing = false
        pos = min(max(pos, 0), end)
        if pos < end, byte(pos) == 0x7B || byte(pos) == 0x5B, offset != lastResynchronization {
            var back = pos - 1
            while back >= 0, byte(back) == 0x20 || byte(back) == 0x09 || byte(back) == 0x0D { back -= 1 }
            if (back >= 0 && byte(back) == 0x0A) || (back < 0 && bufferOffset == 0) {
                lastResynchronization = offset
                return true
            }
        }
        while true {
            if pos < end, let nl = memchr(buffer + pos, 0x0A, end - pos) {
                pos = buffer.distance(to: nl) + 1
                lastResynchronization = offset
                return true
            }
            pos = end
            if try !refill(keepingFrom: pos) { return false }
        }
    }
}
