import Foundation

/// Standard error, unbuffered: every error and progress line the CLI writes goes here.
enum StandardErrorStream {
    static func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}
