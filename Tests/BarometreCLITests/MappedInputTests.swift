import Foundation
import Testing
import TestSupport

/// A large input file is mapped into memory rather than copied (issue #17). If another
/// program shortens it while a command reads it, the pages past its new end are gone: the
/// command must stop with a clear message and exit 74, never die of a signal.
@Suite("a mapped input file shortened while it is read")
struct MappedInputTests {
    @Test("import-study of a file truncated while mapped: exit 74, the file named, nothing imported")
    func truncatedWhileRead() throws {
        let folder = Repository.temporaryFolder("mapped-input")
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("study.csv"), db = folder.appendingPathComponent("ledger.sqlite").path
        // 48 MB (mapped from 8 MB on): long enough to read that the command is stopped mid-way.
        var text = "offer,arm,callback\n"
        text.reserveCapacity(48 << 20)
        var test = 0
        while text.utf8.count < 48 << 20 {
            text += "T\(test),R,TRUE\nT\(test),T,FALSE\n"
            test += 1
        }
        try Data(text.utf8).write(to: csv)

        let process = Process()
        process.executableURL = CommandRunner.executable
        process.arguments = ["import-study", csv.path, "--id", "s", "--target", "offer", "--arm", "arm", "--reference", "R",
                             "--outcome", "callback", "--positive", "TRUE", "--db", db]
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Once the file is mapped (it shows in the process's memory map), pause the command,
        // shorten the file, and let the command go on.
        let maps = "/proc/\(process.processIdentifier)/maps"
        var mapped = false
        for _ in 0..<20_000 where process.isRunning {
            if let map = try? String(contentsOfFile: maps, encoding: .utf8), map.contains(csv.path) { mapped = true; break }
            usleep(200)
        }
        #expect(mapped, "the command never mapped its input")
        kill(process.processIdentifier, SIGSTOP)
        truncate(csv.path, 0)
        kill(process.processIdentifier, SIGCONT)
        let errText = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        _ = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 74, "\(process.terminationReason) \(process.terminationStatus): \(errText)")
        #expect(errText.contains("\(csv.path) changed while it was read"), "\(errText)")
        let status = try CommandRunner.run(["status", "--db", db, "--format", "json"])
        #expect(!status.standardOutput.contains("\"s\""), "\(status.standardOutput)")
    }
}
