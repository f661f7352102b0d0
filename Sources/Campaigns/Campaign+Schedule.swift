import Values

// The design's working days and hours as numbers, for validation and the planner's clock.

extension Weekday {
    /// 0 = Monday … 6 = Sunday.
    public var index: Int { Weekday.allCases.firstIndex(of: self)! }
}

extension WorkingHours {
    /// Minutes since midnight of the start and end, if both are valid HH:MM.
    static func parse(_ node: JSONNode?) -> (start: Int, end: Int)? {
        guard let start = node?["start"]?.string.flatMap(minutes), let end = node?["end"]?.string.flatMap(minutes) else { return nil }
        return (start, end)
    }

    static func minutes(_ text: String) -> Int? { ClockTime.minutes(text) }

    public var startMinutes: Int { Self.minutes(start) ?? 0 }
    public var endMinutes: Int { Self.minutes(end) ?? 0 }
}
