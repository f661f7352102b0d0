import Foundation

/// Paths inside the repository, for tests that read committed files (examples, fixtures).
public enum Repository {
    /// The repository root, found from this source file's location.
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func url(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

    /// A fresh empty folder, inside this test process's own folder in the system's temporary
    /// directory (``processFolder``), which is removed when the process exits.
    public static func temporaryFolder(_ label: String = "barometre") -> URL {
        let url = processFolder.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// `barometre-tests-PID` in the system's temporary directory: every folder a test asks
    /// for is made in it, and it is removed when the test process exits, with the folders of
    /// earlier runs whose process is gone (one left by a crash, say). Test folders were left
    /// behind one by one, a few gigabytes after a hundred runs.
    public static let processFolder: URL = {
        let manager = FileManager.default, root = manager.temporaryDirectory, prefix = "barometre-tests-"
        for name in (try? manager.contentsOfDirectory(atPath: root.path)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            removeAll(root.appendingPathComponent(name))
        }
        let folder = root.appendingPathComponent("\(prefix)\(getpid())")
        try? manager.createDirectory(at: folder, withIntermediateDirectories: true)
        atexit { Repository.removeAll(Repository.processFolder) }
        return folder
    }()

    /// Removes a folder and everything in it, read-only folders included (tests make some:
    /// an archived ledger in a 0555 folder).
    static func removeAll(_ folder: URL) {
        let manager = FileManager.default
        if let paths = manager.enumerator(atPath: folder.path) {
            for case let path as String in paths {
                let url = folder.appendingPathComponent(path)
                var isFolder: ObjCBool = false
                if manager.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
                    try? manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: url.path)
                }
            }
        }
        try? manager.removeItem(at: folder)
    }
}
