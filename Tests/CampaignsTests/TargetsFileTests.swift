import Foundation
import Testing
import TestSupport
@testable import Campaigns

private let csvHeader = "id,organization,sector,city,district,channel,title,contact"
private let goodRows = [
    "S01,Pharmacie A,santé,Lille,Wazemmes,letter,Stage,1 rue A",
    "S02,Garage B,automobile,Lille,Fives,letter,Stage,2 rue B",
    "S03,Studio C,communication,Lille,Moulins,letter,Stage,3 rue C",
]

/// A corpus of bad target files, each answered with its CSV line and reason.
@Suite("Targets CSV")
struct TargetsFileTests {

    func issues(_ csv: String, file name: String = "targets.csv") -> [ValidationIssue] {
        var file = CampaignFile.full()
        file.set(["targets"], ["file": "targets.csv"])
        file.extraFiles[name] = csv
        return file.issues()
    }

    @Test("a good file is read")
    func good() throws {
        var file = CampaignFile.full()
        file.set(["targets"], ["file": "targets.csv"])
        file.extraFiles["targets.csv"] = ([csvHeader] + goodRows).joined(separator: "\n") + "\n"
        let loaded = try file.load()
        #expect(loaded.targets.map(\.id) == ["S01", "S02", "S03"])
        #expect(loaded.targets[1].district == "Fives")
    }

    @Test("bad files", arguments: [
        ("id,organization,sector,channel\nS01,A,santé,letter", "line 1", "required column \"city\" is missing"),
        (csvHeader + ",cty\n" + goodRows[0] + ",x", "line 1, column cty", "unknown column \"cty\""),
        (csvHeader + "\n" + goodRows[0] + "\nS02,,automobile,Lille,Fives,letter,Stage,2 rue B", "line 3, column organization", "is empty"),
        (csvHeader + "\n" + goodRows[0] + "\nS02,Garage B,automobile,Lille,Fives,courrier,Stage,2 rue B", "line 3, column channel", "\"courrier\" is not one of"),
        (csvHeader + "\n" + goodRows[0] + "\nS01,Garage B,automobile,Lille,Fives,letter,Stage,2 rue B", "line 3, column id", "target id \"S01\" already used on line 2"),
        (csvHeader + "\n" + goodRows[0] + "\nS02,Garage B,automobile", "line 3", "has 3 fields, the header has 8"),
        (csvHeader + "\n", "file", "lists no target"),
    ])
    func bad(csv: String, location: String, message: String) {
        let found = issues(csv)
        #expect(found.contains { $0.location == location && $0.message.contains(message) && $0.file.hasSuffix("targets.csv") },
                "got: \(found.map(\.description))")
    }

    @Test("a missing targets file names the path it looked for")
    func missing() {
        let found = issues("", file: "other.csv")
        #expect(found.contains { $0.file.hasSuffix("targets.csv") && $0.message.contains("cannot be read") })
    }
}
