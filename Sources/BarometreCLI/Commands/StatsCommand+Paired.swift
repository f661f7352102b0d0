import Reports
import ArgumentParser
import Stats

extension StatsCommand {
    /// `barometre stats paired`: every paired indicator and test for one 2×2 table.
    struct Paired: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "paired",
            abstract: "Analyse one paired 2×2 table of tests (reference arm against tested arm).",
            discussion: """
                Each test sends one application per arm to the same target. Count the tests by \
                which applications got a positive answer:

                                     tested positive   tested negative
                  reference positive     --both        --reference-only
                  reference negative  --tested-only       --neither

                Printed: positive rates per arm; the difference p_R − p_T over all tests \
                (Newcombe, Tango, Bonett–Price; Wald for reference only); the ratio p_R/p_T \
                (Tang, Bonett–Price, MOVER-Wilson); the conditional odds ratio b/c; net \
                discrimination (b − c)/(a + b + c) over tests with at least one positive answer; \
                the discordant share b/(b + c); McNemar tests (asymptotic, continuity-corrected, \
                exact, and mid-p, the default p-value). Methods and papers: METHODS.md.
                """
        )

        @Option(name: .customLong("both"), parsing: .unconditional, help: ArgumentHelp("a: tests where both applications got a positive answer.", valueName: "A"))
        var both: Int

        @Option(name: .customLong("reference-only"), parsing: .unconditional, help: ArgumentHelp("b: tests where only the reference arm's application did.", valueName: "B"))
        var referenceOnly: Int

        @Option(name: .customLong("tested-only"), parsing: .unconditional, help: ArgumentHelp("c: tests where only the tested arm's application did.", valueName: "C"))
        var testedOnly: Int

        @Option(name: .customLong("neither"), parsing: .unconditional, help: ArgumentHelp("d: tests where neither did.", valueName: "D"))
        var neither: Int

        @OptionGroup var level: LevelOption
        @OptionGroup var output: OutputOptions

        func validate() throws {
            for (name, value) in [("--both", both), ("--reference-only", referenceOnly), ("--tested-only", testedOnly), ("--neither", neither)]
            where value < 0 {
                throw ValidationError("\(name) must be a count of tests (0 or more), got \(value).")
            }
        }

        func run() async throws {
            let analysis: PairedAnalysis
            do {
                let table = try PairedTable(both: both, referenceOnly: referenceOnly, testedOnly: testedOnly, neither: neither)
                analysis = try PairedAnalysis(table, level: level.level)
            } catch {
                throw report(error)
            }
            switch output.format {
            case .json: print(analysis.json.rendered())
            case .table: print(PairedTableRenderer(analysis).text)
            }
        }
    }
}
