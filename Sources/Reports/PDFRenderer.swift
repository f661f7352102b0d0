import Foundation

/// HTML → PDF with a real rendering engine.
/// Why no PDF could be written.
public enum PDFRenderError: Error, CustomStringConvertible {
    case noEngine
    public var description: String { "no PDF engine could render the report (WeasyPrint and Chromium were tried)" }
}

public enum PDFRenderer {
    public static func render(html: String) throws -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("barometre-pdf-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("report.html"), output = folder.appendingPathComponent("report.pdf")
        try Data(html.utf8).write(to: input)
        let engines: [(String, [String])] = [
            ("weasyprint", [input.path, output.path]),
            ("chromium", ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--print-to-pdf=\(output.path)", input.absoluteString]),
        ]
        for (engine, arguments) in engines {
            guard let executable = which(engine) else { continue }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            if process.terminationStatus == 0, let data = FileManager.default.contents(atPath: output.path), !data.isEmpty { return data }
        }
        throw PDFRenderError.noEngine
    }

    static func which(_ name: String) -> String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

