/// AWS masks secrets in execution logs as a run of `*` followed by a short visible tail (log-formats.md §1.4), and the
/// number of stars varies; pastes add `...` or `…` after the stars. gatelog writes every mask with exactly four stars
/// (DESIGN.md §3 "Values"), so the same secret always prints the same: `****bkwef5`.
public enum Masking {
    /// Normalizes one masked value: `*****…I1BUdE` → `****I1BUdE`, `**er` → `****er`. Values that are not masks
    /// (no leading run of at least two `*`) are returned unchanged.
    public static func normalize<S: StringProtocol>(_ value: S) -> String {
        let scalars = String(value).unicodeScalars
        var index = scalars.startIndex
        var stars = 0
        while index < scalars.endIndex, scalars[index] == "*" {
            stars += 1
            index = scalars.index(after: index)
        }
        guard stars >= 2 else { return String(value) }
        index = skipEllipsis(scalars, from: index)
        return "****" + String(String.UnicodeScalarView(scalars[index...]))
    }

    /// Normalizes every masked run inside a longer text, e.g. a REQUEST-authorizer identity map
    /// `{method.request.header.Hash=********aaaaaa}` → `{method.request.header.Hash=****aaaaaa}`.
    /// Single stars (`*/*`, wildcard ARNs) are left alone.
    public static func normalizeAll<S: StringProtocol>(in text: S) -> String {
        let scalars = String(text).unicodeScalars
        var out = String.UnicodeScalarView()
        var index = scalars.startIndex
        while index < scalars.endIndex {
            guard scalars[index] == "*" else {
                out.append(scalars[index])
                index = scalars.index(after: index)
                continue
            }
            var runEnd = index
            var stars = 0
            while runEnd < scalars.endIndex, scalars[runEnd] == "*" {
                stars += 1
                runEnd = scalars.index(after: runEnd)
            }
            if stars >= 2 {
                out.append(contentsOf: "****".unicodeScalars)
                index = skipEllipsis(scalars, from: runEnd)
            } else {
                out.append(contentsOf: scalars[index..<runEnd])
                index = runEnd
            }
        }
        return String(out)
    }

    /// Whether `value` looks like an AWS mask (a run of at least two `*`).
    public static func isMasked<S: StringProtocol>(_ value: S) -> Bool {
        value.unicodeScalars.prefix(2).elementsEqual("**".unicodeScalars)
    }

    private static func skipEllipsis<V: BidirectionalCollection>(_ scalars: V, from start: V.Index) -> V.Index
    where V.Element == Unicode.Scalar {
        var index = start
        if index < scalars.endIndex, scalars[index] == "…" { return scalars.index(after: index) }
        var dots = 0
        while index < scalars.endIndex, scalars[index] == ".", dots < 3 {
            dots += 1
            index = scalars.index(after: index)
        }
        return dots == 3 ? index : start
    }
}
