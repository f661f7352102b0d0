import ArgumentParser

public struct BarometreCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "barometre",
        abstract: "Design, record and analyse paired discrimination tests (testing de situation).",
        subcommands: []
    )
    public init() {}
}
