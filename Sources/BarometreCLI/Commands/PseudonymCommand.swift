import ArgumentParser
import Foundation
import Ledger

/// `barometre pseudonym`: staff map a report's pseudonym back to the organization's name.
struct PseudonymCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pseudonym",
        abstract: "Say which organization a report's pseudonym stands for (staff only: it reads the ledger's key).",
        discussion: """
            Reports call organizations by pseudonyms such as O-7KQ2MX: a keyed hash of the \
            name under a secret key that the ledger created and never prints or exports. The \
            pseudonym says nothing of the name, of its alphabetical order or of the plan's \
            order, and an organization keeps it across waves. Only someone holding the ledger \
            can map it back, with this command:
              barometre pseudonym O-7KQ2MX --campaign logement-origine-residence-lille-2026
              barometre pseudonym --list --campaign ID      # every organization and its pseudonym
            Keep the ledger (and its backups) where only staff can read it.
            """
    )

    @Argument(help: ArgumentHelp("The pseudonym, as printed in a report (O-…).", valueName: "pseudonym"))
    var pseudonym: String?

    @Option(help: ArgumentHelp("The campaign whose report printed it.", valueName: "id"))
    var campaign: String?

    @Option(help: ArgumentHelp("The imported study whose report printed it.", valueName: "id"))
    var study: String?

    @Flag(help: "List every organization of the campaign or study with its pseudonym.")
    var list = false

    @OptionGroup var ledger: LedgerOptions

    func validate() throws {
        guard (campaign == nil) != (study == nil) else { throw ValidationError("Give --campaign ID or --study ID (the report's subject).") }
        guard (pseudonym == nil) == list else { throw ValidationError("Give a pseudonym (e.g. O-7KQ2MX), or --list.") }
    }

    func run() async throws {
        let store = try ledger.openForReading()
        let id = campaign ?? study!
        do {
            if list {
                let names = try store.applicationColumns(campaign: id).organizations.sorted()
                let labels = try store.pseudonyms(for: names)
                for (label, name) in zip(labels, names).sorted(by: { $0.0 < $1.0 }) { print("\(label)\t\(name)") }
                return
            }
            guard let name = try store.organization(forPseudonym: pseudonym!, campaign: id) else {
                printError("error: no organization of \(id) has the pseudonym \(pseudonym!)\n  hint: copy it from the report of \(id) (O- and six letters or digits); `barometre pseudonym --list --\(campaign != nil ? "campaign" : "study") \(id)` lists them")
                throw SysExit.dataError
            }
            print(name)
        } catch let error as LedgerError {
            throw report(error)
        }
    }
}
