import Foundation
import TestSupport
@testable import Campaigns

/// A campaign file built from Fixtures/full.json with one change, written to a fresh folder.
struct CampaignFile {
    enum Key { case key(String), index(Int) }

    var json: Any
    var extraFiles: [String: String] = [:]

    static func full() -> CampaignFile {
        let data = try! Data(contentsOf: Repository.url("Tests/CampaignsTests/Fixtures/full.json"))
        return CampaignFile(json: try! JSONSerialization.jsonObject(with: data))
    }

    /// Sets (or with `nil` removes) the value at a path such as `["arms", 0, "role"]`.
    mutating func set(_ path: [Any], _ value: Any?) {
        json = Self.setting(json, path.map { $0 is Int ? Key.index($0 as! Int) : Key.key($0 as! String) }[...], value)
    }

    func value(_ path: [Any]) -> Any? {
        var node: Any? = json
        for component in path {
            if let key = component as? String { node = (node as? [String: Any])?[key] }
            else if let index = component as? Int { node = (node as? [Any]).flatMap { index < $0.count ? $0[index] : nil } }
        }
        return node
    }

    private static func setting(_ node: Any, _ path: ArraySlice<Key>, _ value: Any?) -> Any {
        guard let first = path.first else { return value as Any }
        switch first {
        case let .key(key):
            var object = node as! [String: Any]
            if path.count == 1 { object[key] = value } else { object[key] = setting(object[key]!, path.dropFirst(), value) }
            return object
        case let .index(index):
            var array = node as! [Any]
            if path.count == 1 { if let value { array[index] = value } else { array.remove(at: index) } }
            else { array[index] = setting(array[index], path.dropFirst(), value) }
            return array
        }
    }

    /// Writes the campaign (and any extra files beside it) and loads it.
    func load() throws(CampaignValidationError) -> LoadedCampaign {
        let folder = Repository.temporaryFolder("campaign")
        let url = folder.appendingPathComponent("campaign.json")
        try! JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys]).write(to: url)
        for (name, text) in extraFiles { try! Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        return try CampaignLoader.load(url)
    }

    /// The issues found, or none.
    func issues() -> [ValidationIssue] {
        do { _ = try load(); return [] } catch { return error.issues }
    }
}
