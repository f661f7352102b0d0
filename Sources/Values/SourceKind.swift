/// What the ledger holds under an id: a campaign planned here, or a study imported from a
/// file (one row per application).
public enum SourceKind: String, Sendable, Codable, CaseIterable {
    case campaign
    case study
}
