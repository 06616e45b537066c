/// libFuzzer entry point for gatelog's record and entry parsers. Built by `Tests/Fuzz/run.sh` into one module with
/// the GateLogKit sources and `Tests/GateLogKitTests/FuzzHarness.swift` (which does the work, and which the
/// regression tests run too), with `-sanitize=fuzzer,address`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecordsTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzHarness.run(bytes)
    return 0
}
