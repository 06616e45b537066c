/// The report key of a request that names no resource template (denied before routing logged one): its route
/// `VERB /concrete/path` with the id-like path segments written `{id}`, so that `GET /pets/48213` and `GET /pets/991`
/// share one report row, and rows stay as many as the distinct shapes, not the distinct paths.
///
/// A segment is id-like when it is all digits, a UUID, a hex run of 12 or more characters with a digit, 8 or more
/// characters mixing letters and digits (`order-12345`, `a1b2c3d4`), holds a redaction mask (`****`), or is 20 or more
/// characters long. Other segments stay literal (`/v1/pets`, `/store/inventory`).
public enum PathShape {
    /// The text written for an id-like segment.
    public static let placeholder = "{id}"

    /// The shape of `route` when it is `VERB /path` (the route of a request without a template), else nil. A route with
    /// no id-like segment is its own shape (returned as is, without copying).
    public static func shape(ofRoute route: String) -> String? {
        let result = route.utf8.withContiguousStorageIfAvailable { shape(UnsafeRawBufferPointer($0)) }
            ?? { var copy = route; return copy.withUTF8 { shape(UnsafeRawBufferPointer($0)) } }()
        switch result {
        case .notARoute: return nil
        case .unchanged: return route
        case .shaped(let text): return text
        }
    }

    private enum Result {
        case notARoute, unchanged, shaped(String)
    }

    @inline(__always)
    private static func shape(_ bytes: UnsafeRawBufferPointer) -> Result {
        guard let pathStart = pathStart(bytes) else { return .notARoute }
        var idSegments = 0
        forEachSegment(bytes, from: pathStart) { start, end in
            if isIDLike(bytes, start, end) { idSegments += 1 }
        }
        if idSegments == 0 { return .unchanged }
        // One allocation at most (none for a short shape): written straight into the string's storage.
        let text = String(unsafeUninitializedCapacity: bytes.count + idSegments * 4) { buffer in
            var n = 0
            @inline(__always)
            func write(_ byte: UInt8) {
                buffer[n] = byte
                n += 1
            }
            for i in 0..<pathStart { write(bytes[i]) }
            forEachSegment(bytes, from: pathStart) { start, end in
                write(0x2F)
                if isIDLike(bytes, start, end) {
                    for byte in placeholder.utf8 { write(byte) }
                } else {
                    for i in start..<end { write(bytes[i]) }
                }
            }
            return n
        }
        return .shaped(text)
    }

    /// Where the path starts in `VERB /path` (the offset of its first `/`), nil for anything else.
    @inline(__always)
    static func pathStart(_ bytes: UnsafeRawBufferPointer) -> Int? {
        var i = 0
        while i < bytes.count, bytes[i] != 0x20 { i += 1 }
        guard i > 0, i + 1 < bytes.count, bytes[i + 1] == 0x2F else { return nil }
        return i + 1
    }

    /// Calls `body` with the bounds of each segment after the `/` at `from` (`/` alone: one empty segment).
    @inline(__always)
    static func forEachSegment(_ bytes: UnsafeRawBufferPointer, from: Int, _ body: (Int, Int) -> Void) {
        var start = from + 1
        var i = start
        while i < bytes.count {
            if bytes[i] == 0x2F {
                body(start, i)
                start = i + 1
            }
            i += 1
        }
        body(start, bytes.count)
    }

    /// Whether `bytes[start..<end]` is an id-like segment (see the type's documentation).
    @inline(__always)
    static func isIDLike(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        let length = end - start
        if length == 0 { return false }
        if length >= 20 { return true }
        var digits = 0, letters = 0, hex = 0, stars = 0, maskRun = 0
        for i in start..<end {
            let byte = bytes[i]
            if byte &- 0x30 < 10 {
                digits += 1
                hex += 1
                stars = 0
            } else if (byte | 0x20) &- 0x61 < 26 {
                letters += 1
                if (byte | 0x20) &- 0x61 < 6 { hex += 1 }
                stars = 0
            } else if byte == 0x2A {
                stars += 1
                maskRun = max(maskRun, stars)
            } else {
                stars = 0
            }
        }
        if maskRun >= 4 { return true }
        if digits == length { return true }
        if digits > 0, hex == length, length >= 12 { return true }
        if length >= 8, digits > 0, letters > 0 { return true }
        return false
    }

    // MARK: Matching configured templates

    /// A route split for matching: its method and path segments.
    struct SplitRoute {
        var method: Substring
        var segments: [Substring]

        init?(_ route: String) {
            guard let space = route.firstIndex(of: " ") else { return nil }
            let path = route[route.index(after: space)...]
            guard space > route.startIndex, path.first == "/" else { return nil }
            method = route[..<space]
            segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        }
    }

    /// A configured route (`GET /pets/{petId}`, `ANY /{proxy+}`) a shape may fold into.
    struct Template {
        var route: SplitRoute
        var isAnyMethod: Bool
        /// Segments that are not `{param}`s.
        var literals: Int
        /// Which segments are literal, the first in the highest bit (up to 64 segments).
        var literalPositions: UInt64
        /// Whether it ends in a greedy `{name+}`.
        var isGreedy: Bool

        init?(_ route: String) {
            guard let split = SplitRoute(route) else { return nil }
            self.route = split
            isAnyMethod = split.method == "ANY"
            literals = 0
            literalPositions = 0
            for (i, segment) in split.segments.enumerated() where !PathShape.isParameter(segment) {
                literals += 1
                if i < 64 { literalPositions |= 1 << (63 - UInt64(i)) }
            }
            isGreedy = split.segments.last.map { PathShape.isParameter($0) && $0.hasSuffix("+}") } ?? false
        }

        /// Whether the template's path covers the shape's: segment by segment a `{param}` (any non-empty segment,
        /// `{id}` included) or the same literal; a last `{name+}` covers one or more segments.
        func coversPath(_ shape: SplitRoute) -> Bool {
            let segments = route.segments
            for (i, segment) in segments.enumerated() {
                guard i < shape.segments.count else { return false }
                if PathShape.isParameter(segment) {
                    guard !shape.segments[i].isEmpty else { return false }
                    if i == segments.count - 1, isGreedy { return true }
                } else if segment != shape.segments[i] {
                    return false
                }
            }
            return shape.segments.count == segments.count
        }

        /// Whether the template reads exactly as the shape (`GET /pets` for the requests of `GET /pets` that logged no
        /// template): the row the report adds such requests to as they come (`Report.add`).
        func readsAs(_ shape: SplitRoute) -> Bool { route.method == shape.method && route.segments == shape.segments }

        /// Whether the template's method takes the shape's verb: the same, or `ANY`.
        func takesMethod(of shape: SplitRoute) -> Bool { isAnyMethod || route.method == shape.method }

        /// Whether this path is more specific than `other`'s: more literal segments, then literals further left,
        /// then not greedy; nil when they rank alike.
        func isMoreSpecific(than other: Template) -> Bool? {
            if literals != other.literals { return literals > other.literals }
            if literalPositions != other.literalPositions { return literalPositions > other.literalPositions }
            if isGreedy != other.isGreedy { return !isGreedy }
            return nil
        }
    }

    static func isParameter(_ segment: Substring) -> Bool {
        segment.count >= 3 && segment.first == "{" && segment.last == "}"
    }

    /// Of `templates` (candidate rows: their key and template), the one `shape` folds into, nil when none takes it.
    /// As API Gateway routes a request, the most specific resource path that covers the shape's path is chosen first
    /// (more literal segments, then literals further left, then not greedy), then the method on it: the shape's verb,
    /// else `ANY`. A verb that resource does not have is not taken by a less specific one (API Gateway answers such a
    /// request `Missing Authentication Token`, it does not fall back to `/{proxy+}`). Ties go to the smallest key.
    static func bestMatch(for shape: String, among templates: [(key: String, template: Template)]) -> Int? {
        guard let split = SplitRoute(shape) else { return nil }
        var best: Int?
        for (i, candidate) in templates.enumerated() where candidate.template.coversPath(split) {
            guard let b = best else { best = i; continue }
            let x = candidate.template, y = templates[b].template
            switch x.isMoreSpecific(than: y) {
            case true?: best = i
            case false?: break
            case nil:
                // The same path: the template that reads as the shape, then the shape's verb over ANY over another
                // verb, then the smallest key.
                let rank = { (t: Template) in t.readsAs(split) ? 0 : t.route.method == split.method ? 1 : t.isAnyMethod ? 2 : 3 }
                if (rank(x), candidate.key) < (rank(y), templates[b].key) { best = i }
            }
        }
        guard let best, templates[best].template.takesMethod(of: split) else { return nil }
        return best
    }
}
