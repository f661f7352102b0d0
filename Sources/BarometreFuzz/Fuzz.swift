// Fuzz targets (issue #18 item 8): libFuzzer through `swiftc -sanitize=fuzzer`, built and run
// by `make fuzz` (bench/fuzz/run.sh). One binary; BAROMETRE_FUZZ_TARGET picks the parser:
//   csv       CSV bytes → the ledger's RFC 4180 reader, then import-study and outcome import
//   campaign  JSON bytes → the JSON reader, the schema and the campaign rules (`validate`)
//   form      bytes → the web form decoder, the note check and the measures parser
// Every input must be answered by a value or a typed refusal: a crash, a hang or a sanitizer
// report is a bug, to be turned into a regression test.
#if FUZZING
import Foundation
@testable import Campaigns
@testable import Ledger
@testable import WebApp

let target = ProcessInfo.processInfo.environment["BAROMETRE_FUZZ_TARGET"] ?? "csv"

/// libFuzzer's driver (LLVM ≥ 11). SwiftPM links an executable target's entry point under
/// the name `<Target>_main`; with no `@main` here, that entry point hands over to libFuzzer.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("BarometreFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { start, size in fuzzOneInput(start, size) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    switch target {
    case "campaign": fuzzCampaign(data)
    case "form": fuzzForm(data)
    default: fuzzCSV(data)
    }
    return 0
}

func fuzzCSV(_ data: Data) {
    guard let rows = try? CSVRows(data) else { return }
    // What the reader promises: whole records of the header's width, lines increasing.
    precondition(rows.offsets.count == rows.count * rows.width && rows.lengths.count == rows.offsets.count)
    precondition(zip(rows.lines, rows.lines.dropFirst()).allSatisfy { $0 < $1 })
    for record in 0..<rows.count { _ = rows.fields(record) }
    // The importers on the same bytes: a summary or a LedgerError, nothing else.
    let header = rows.header
    if header.count >= 3, rows.count > 0, Set(header.prefix(3)).count == 3 {
        let options = StudyImportOptions(id: "fuzz", targetColumn: header[0], armColumns: [header[1]], reference: [rows.string(0, 1)],
                                         outcomeColumn: header[2], sliceColumns: Array(header.dropFirst(3).prefix(2)))
        _ = try? Ledger.inMemory().importStudy(data, fileName: "fuzz.csv", options: options)
    }
    _ = try? Ledger.inMemory().importOutcomes(data, fileName: "fuzz.csv", recordedBy: "fuzz")
}

func fuzzCampaign(_ data: Data) {
    guard let document = try? JSONReader.read(data) else { return }
    var issues = SchemaValidator(file: "fuzz.json").validate(document)
    var validator = CampaignValidator(file: "fuzz.json", document: document, targets: [])
    issues += validator.validate()
    for issue in issues { _ = issue.description }
}

func fuzzForm(_ data: Data) {
    let form = FormData(encoded: String(decoding: data, as: UTF8.self))
    if let note = form["note"] { _ = TextSafety.problem(in: note, multiline: true); _ = TextSafety.printable(note) }
    _ = RouteHandlers.measures(form["measures"] ?? "")
    _ = RouteHandlers.readableMeasures(form["measures"] ?? "")
}
#else
/// Without `make fuzz` (a normal build), the fuzz binary only says how to build it.
@main
enum FuzzEntry {
    static func main() {
        print("barometre-fuzz: the fuzz targets are built by `make fuzz` (swiftc -sanitize=fuzzer); see bench/fuzz/README.md")
    }
}
#endif
